/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgpath: what a cgroup path alone says: unit, slice, container, pod. */
#ifndef PD_CGPATH_H
#define PD_CGPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The container runtimes a cgroup path can name. */
enum pd_runtime {
	PD_RUNTIME_NONE = 0,	/* no container, or a bare id of no known runtime */
	PD_RUNTIME_DOCKER,
	PD_RUNTIME_PODMAN,
	PD_RUNTIME_CONTAINERD,
	PD_RUNTIME_CRIO,
	PD_RUNTIME_LXC,
	PD_RUNTIME_NSPAWN,
	PD_RUNTIME_LIBVIRT,	/* machine-qemu\x2dN\x2dNAME.scope, not nspawn */
};

/* Which processes of a container a cgroup holds. */
enum pd_cgroup_role {
	PD_ROLE_PAYLOAD = 0,	/* the container's own (or no container) */
	PD_ROLE_MONITOR,	/* the runtime's monitor: conmon, lxc monitor,
				 * the nspawn supervisor */
	PD_ROLE_SANDBOX,	/* a pod's sandbox (pause, infra) container; only
				 * the runtime's files tell this */
};

/*
 * What PATH says (a cgroup path as /proc/PID/cgroup prints it, v1 or v2,
 * any prefix). Everything below the first container component belongs to
 * the container (its own systemd, a nested runtime) and is not looked at,
 * but for the nspawn "supervisor" child. All strings malloc'ed or NULL.
 */
struct pd_cgpath {
	char *unit;		/* innermost unit at or above the container,
				 * \xHH decoded: "nginx.service" */
	char *slice;		/* innermost slice likewise: "user-1000.slice" */
	enum pd_runtime runtime;
	char *id;		/* the container id, lower-case hex as the path has it */
	char *name;		/* a name the path itself carries (LXC, nspawn, libvirt) */
	char *parent;		/* a bare id's parent component: "docker", a
				 * containerd namespace; NULL otherwise */
	char *pod_uid;		/* Kubernetes pod UID, dashes restored */
	const char *qos;	/* "Guaranteed", "Burstable", "BestEffort" (static) */
	enum pd_cgroup_role role;
	bool has_uid;		/* below user@UID.service: a rootless runtime */
	uid_t uid;
};

/*
 * Parse cgroup PATH into *RET_CP (every field zero/NULL when the path names
 * nothing). Returns 0 or -ENOMEM. Release with pd_cgpath_release().
 */
int pd_cgpath_parse(const char *path, struct pd_cgpath *ret_cp);
void pd_cgpath_release(struct pd_cgpath *cp);

/* The runtime's name ("docker", "podman", "containerd", "cri-o", "lxc",
 * "nspawn", "libvirt"), or NULL for PD_RUNTIME_NONE. */
const char *pd_runtime_name(enum pd_runtime rt);

/*
 * Decode systemd's unit name escapes (\xHH, as in "foo\x2dbar.service")
 * in the N bytes at S; other bytes are kept. *ret is malloc'ed and
 * NUL-terminated (caller frees); a decoded NUL byte is kept as "\x00".
 * Returns 0 or -ENOMEM.
 */
int pd_cgpath_unescape(const char *s, size_t n, char **ret);

#endif
