/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgname: names people know for a cgroup: unit, container, pod. */
#ifndef PD_CGNAME_H
#define PD_CGNAME_H

#include <stddef.h>
#include <sys/types.h>

#include "cgpath.h"

/*
 * Who a cgroup is. Every field is NULL when unknown; the strings live as
 * long as the context that gave them.
 */
struct pd_cgname {
	const char *unit;	/* systemd unit at or above the container,
				 * \xHH decoded: "nginx.service",
				 * "docker-<id>.scope", "session-3.scope" */
	const char *slice;	/* innermost slice likewise: "user-1000.slice" */
	const char *runtime;	/* "docker", "podman", "containerd", "cri-o",
				 * "lxc", "nspawn", "libvirt" */
	const char *id;		/* full container id (64 hex) */
	const char *short_id;	/* its first 12 characters, as `docker ps` */
	const char *name;	/* container name: "web"; in a pod, the
				 * container's name in the pod spec; the
				 * LXC/nspawn machine name */
	const char *pod_namespace;	/* Kubernetes pod */
	const char *pod_name;
	const char *pod_uid;
	const char *qos;	/* "Guaranteed", "Burstable", "BestEffort" */
	enum pd_cgroup_role role;	/* payload, runtime monitor, pod sandbox */
};

/* Read no runtime file: only what the cgroup path itself says. */
#define PD_CGNAME_PATH_ONLY (1u << 0)

struct pd_cgname_ctx;

/*
 * A naming context over the file system root ROOT (NULL: "/"), where the
 * runtimes' state is read from (ROOT/var/lib/docker, ROOT/var/log/pods,
 * ...); with a root other than the live "/", users' home directories come
 * from ROOT/etc/passwd instead of the user database. FLAGS: PD_CGNAME_*.
 * Returns 0, -errno of opening ROOT, -ENOMEM. Free with pd_cgname_free().
 */
int pd_cgname_new(const char *root, unsigned flags,
		  struct pd_cgname_ctx **ret_ctx);
void pd_cgname_free(struct pd_cgname_ctx *ctx);

/*
 * Name the cgroup PATH (as /proc/PID/cgroup shows it, or a path under a
 * cgroup mount's root). Each path is worked out once per context, each
 * container's files read once, each state directory listed once; what
 * cannot be read (no runtime, no permission, a malformed file) only leaves
 * fields NULL. The context does not notice containers that start after it
 * read a runtime's list: make a new context per scan. One thread at a
 * time. Cost: a path seen before is one hash lookup; a new path is parsed
 * (a few microseconds); a new container costs a few opens and one JSON
 * parse of its config (tens of microseconds). Returns 0 or -ENOMEM.
 */
int pd_cgname_lookup(struct pd_cgname_ctx *ctx, const char *path,
		     struct pd_cgname *ret_name);

/* What a context has done, for tests and -v. */
struct pd_cgname_stats {
	unsigned paths;		/* distinct paths worked out */
	unsigned opens;		/* files and directories it tried to open */
	unsigned parsed;	/* runtime files parsed */
	unsigned bad;		/* files it could open but not use (too big,
				 * not a regular file, malformed) */
	unsigned denied;	/* opens refused (EACCES/EPERM): names that
				 * need root; a tool may warn once */
};
void pd_cgname_get_stats(const struct pd_cgname_ctx *ctx,
			 struct pd_cgname_stats *ret_stats);

/*
 * The words every tool shows for NAME, so that a container or pod reads
 * the same in each: the CONTAINER column's "RUNTIME:NAME" ("docker:web"),
 * the short id in place of a missing name ("docker:f31f384749f9"), no
 * "RUNTIME:" when the runtime is unknown (a container only the kubelet's
 * logs name), and " (monitor)" or " (sandbox)" after the runtime's
 * monitor and a pod's sandbox; the POD column's "NAMESPACE/NAME", or the
 * pod's uid. Written into BUF (SIZE bytes, cut to fit: PD_CGNAME_TEXT_SIZE
 * holds any the runtimes allow). Returns BUF, or NULL when NAME names no
 * container (no runtime, id or name), or no pod.
 */
#define PD_CGNAME_TEXT_SIZE 512
const char *pd_cgname_container_text(const struct pd_cgname *name, char *buf,
				     size_t size);
const char *pd_cgname_pod_text(const struct pd_cgname *name, char *buf,
			       size_t size);

/*
 * The home directory of UID in passwd(5) text BUF (LEN bytes): the sixth
 * field of the first line whose third field is UID. *ret_home is malloc'ed.
 * Returns 0, -ENOENT (no such line, or an empty home), -ENOMEM.
 */
int pd_cgname_home_parse(const char *buf, size_t len, uid_t uid,
			 char **ret_home);

#endif
