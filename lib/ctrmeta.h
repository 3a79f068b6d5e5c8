/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctrmeta: container runtimes' own files, parsed: names and pods. Pure. */
#ifndef PD_CTRMETA_H
#define PD_CTRMETA_H

#include <stddef.h>

#include "cgpath.h"

/* Who a container is, as its runtime's files say. All malloc'ed or NULL. */
struct pd_ctrmeta {
	char *name;		/* "web"; in a Kubernetes pod, the container's
				 * name in the pod spec */
	char *pod_namespace;
	char *pod_name;
	char *pod_uid;
	enum pd_cgroup_role role;	/* PD_ROLE_SANDBOX: the pod's pause */
};

void pd_ctrmeta_release(struct pd_ctrmeta *m);

/*
 * Fill what *M lacks from FROM (first found wins), then release FROM.
 * Returns 0.
 */
int pd_ctrmeta_merge(struct pd_ctrmeta *m, struct pd_ctrmeta *from);

/*
 * Docker's containers/<id>/config.v2.json: "Name" ("/web", the slash
 * dropped); for a Kubernetes container (dockershim, cri-dockerd) the
 * io.kubernetes.* labels of "Config"."Labels", else its k8s_ name. The
 * JSON is read with json-c; every field may be missing. Returns 0,
 * -EINVAL (not a JSON object), -ENOMEM.
 */
int pd_ctrmeta_docker_parse(const char *buf, size_t len,
			    struct pd_ctrmeta *ret_m);

/*
 * An OCI runtime bundle's config.json: its "annotations". containerd's
 * CRI plugin writes io.kubernetes.cri.{container-name,sandbox-name,
 * sandbox-namespace,sandbox-uid,container-type}; CRI-O writes the
 * kubelet's io.kubernetes.{container.name,pod.name,pod.namespace,pod.uid}
 * (also inside its io.kubernetes.cri-o.Labels JSON string, and as the k8s_
 * name io.kubernetes.cri-o.Name) and io.kubernetes.cri-o.ContainerType;
 * nerdctl writes nerdctl/name. Returns 0, -EINVAL, -ENOMEM.
 */
int pd_ctrmeta_oci_parse(const char *buf, size_t len, struct pd_ctrmeta *ret_m);

/*
 * containers/storage's containers.json (and volatile-containers.json), as
 * Podman, CRI-O and Buildah keep it: an array of {"id": ..., "names":
 * [...]}. Calls FN(ARG, id, first name) for each container that has both;
 * FN returns 0 to go on or -errno to stop. Returns 0, -EINVAL (not a
 * JSON array), -ENOMEM, or what FN returned.
 */
int pd_ctrmeta_storage_parse(const char *buf, size_t len,
			     int (*fn)(void *arg, const char *id,
				       const char *name),
			     void *arg);

/*
 * Docker's daemon.json: "data-root" (or the older "graph"), an absolute
 * path; *ret_dir is malloc'ed, NULL when the file names none. Returns 0,
 * -EINVAL, -ENOMEM.
 */
int pd_ctrmeta_daemon_parse(const char *buf, size_t len, char **ret_dir);

/*
 * "k8s_<container>_<pod>_<namespace>_<uid>_<attempt>": the names the
 * kubelet gives Docker containers and CRI-O gives its containers; container
 * "POD", or the five-part "k8s_<pod>_<namespace>_<uid>_<attempt>", is the
 * sandbox. Returns 0, -EINVAL (not such a name), -ENOMEM.
 */
int pd_ctrmeta_k8sname_parse(const char *s, struct pd_ctrmeta *ret_m);

/*
 * A directory name of /var/log/pods: "<namespace>_<pod>_<uid>", as the
 * kubelet makes it (none of the three can hold "_"). Returns 0, -EINVAL,
 * -ENOMEM.
 */
int pd_ctrmeta_podlog_parse(const char *s, struct pd_ctrmeta *ret_m);

/*
 * A link name of /var/log/containers: "<pod>_<namespace>_<container>-<id>
 * .log" with a 64-hex container id in *ret_id (malloc'ed). Returns 0,
 * -EINVAL, -ENOMEM.
 */
int pd_ctrmeta_ctrlog_parse(const char *s, struct pd_ctrmeta *ret_m,
			    char **ret_id);

#endif
