/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctrmeta: container runtimes' own files, parsed: names and pods. Pure. */
#include "ctrmeta.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* Runtime configs nest a few levels; a deeper document is not one of them. */
#define JSON_DEPTH 64

void pd_ctrmeta_release(struct pd_ctrmeta *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->pod_namespace);
	free(m->pod_name);
	free(m->pod_uid);
	memset(m, 0, sizeof(*m));
}

static void fill(char **dst, char **src)
{
	if (!*dst) {
		*dst = *src;
		*src = NULL;
	}
}

int pd_ctrmeta_merge(struct pd_ctrmeta *m, struct pd_ctrmeta *from)
{
	fill(&m->name, &from->name);
	fill(&m->pod_namespace, &from->pod_namespace);
	fill(&m->pod_name, &from->pod_name);
	fill(&m->pod_uid, &from->pod_uid);
	if (m->role == PD_ROLE_PAYLOAD)
		m->role = from->role;
	pd_ctrmeta_release(from);
	return 0;
}

/*
 * Parse the LEN bytes at BUF as one JSON value of type TYPE (trailing
 * white space allowed). *ret is freed with json_object_put(). Returns 0,
 * -EINVAL, -ENOMEM.
 */
static int json_parse(const char *buf, size_t len, enum json_type type,
		      json_object **ret)
{
	struct json_tokener *tok;
	json_object *o;
	size_t end;
	int r = 0;

	if (len > INT_MAX)
		return -EINVAL;
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success) {
		/* an incomplete document is as bad as a wrong one here */
		json_object_put(o);
		r = -EINVAL;
		goto out_free;
	}
	for (end = json_tokener_get_parse_end(tok); end < len; end++)
		if (!strchr(" \t\r\n", buf[end]) || !buf[end]) {
			json_object_put(o);
			r = -EINVAL;
			goto out_free;
		}
	if (!json_object_is_type(o, type)) {
		json_object_put(o);
		r = -EINVAL;
		goto out_free;
	}
	*ret = o;
out_free:
	json_tokener_free(tok);
	return r;
}

/*
 * The string member KEY of object O, when it is a non-empty string without
 * NUL bytes; NULL otherwise. Lives as long as O.
 */
static const char *str_of(json_object *o, const char *key)
{
	json_object *v;
	const char *s;
	int n;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	n = json_object_get_string_len(v);
	if (!s || n <= 0 || memchr(s, '\0', (size_t)n))
		return NULL;
	return s;
}

/* *DST = strdup(S) unless *DST is set or S is NULL. */
static int set(char **dst, const char *s)
{
	if (*dst || !s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static json_object *obj_of(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/* The kubelet's labels: io.kubernetes.{container.name,pod.*}. */
static int kube_labels(json_object *l, struct pd_ctrmeta *m)
{
	const char *ctr = str_of(l, "io.kubernetes.container.name");
	int r = 0;

	/* dockershim called the sandbox "POD" */
	if (ctr && !strcmp(ctr, "POD"))
		m->role = PD_ROLE_SANDBOX;
	else
		r = set(&m->name, ctr);
	if (!r)
		r = set(&m->pod_name, str_of(l, "io.kubernetes.pod.name"));
	if (!r)
		r = set(&m->pod_namespace,
			str_of(l, "io.kubernetes.pod.namespace"));
	if (!r)
		r = set(&m->pod_uid, str_of(l, "io.kubernetes.pod.uid"));
	return r;
}

/* Fill the gaps of *M from a k8s_ name S (nothing when S is not one). */
static int from_k8sname(const char *s, struct pd_ctrmeta *m)
{
	struct pd_ctrmeta k = { 0 };
	int r;

	if (!s)
		return 0;
	r = pd_ctrmeta_k8sname_parse(s, &k);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	return pd_ctrmeta_merge(m, &k);
}

int pd_ctrmeta_docker_parse(const char *buf, size_t len,
			    struct pd_ctrmeta *ret_m)
{
	struct pd_ctrmeta m = { 0 };
	json_object *root, *labels;
	const char *name, *type;
	int r;

	r = json_parse(buf, len, json_type_object, &root);
	if (r < 0)
		return r;
	name = str_of(root, "Name");
	if (name && name[0] == '/')
		name++;
	labels = obj_of(obj_of(root, "Config"), "Labels");
	type = str_of(labels, "io.kubernetes.docker.type");
	if (type && !strcmp(type, "podsandbox"))
		m.role = PD_ROLE_SANDBOX;
	r = kube_labels(labels, &m);
	if (!r && name && *name) {
		struct pd_ctrmeta k = { 0 };
		int kr = -EINVAL;

		if (!strncmp(name, "k8s_", 4))
			kr = pd_ctrmeta_k8sname_parse(name, &k);
		if (!kr)
			r = pd_ctrmeta_merge(&m, &k);
		else if (kr != -EINVAL)
			r = kr;
		else if (!m.pod_name && m.role != PD_ROLE_SANDBOX)
			r = set(&m.name, name);
	}
	json_object_put(root);
	if (r < 0) {
		pd_ctrmeta_release(&m);
		return r;
	}
	*ret_m = m;
	return 0;
}

/* CRI-O keeps the kubelet's labels as a JSON string in an annotation. */
static int crio_labels(const char *text, struct pd_ctrmeta *m)
{
	json_object *l;
	int r;

	if (!text)
		return 0;
	r = json_parse(text, strlen(text), json_type_object, &l);
	if (r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	r = kube_labels(l, m);
	json_object_put(l);
	return r;
}

int pd_ctrmeta_oci_parse(const char *buf, size_t len, struct pd_ctrmeta *ret_m)
{
	struct pd_ctrmeta m = { 0 };
	json_object *root, *a;
	const char *type;
	int r;

	r = json_parse(buf, len, json_type_object, &root);
	if (r < 0)
		return r;
	a = obj_of(root, "annotations");
	/* containerd's CRI plugin */
	type = str_of(a, "io.kubernetes.cri.container-type");
	if (!type)
		type = str_of(a, "io.kubernetes.cri-o.ContainerType");
	if (type && !strcmp(type, "sandbox"))
		m.role = PD_ROLE_SANDBOX;
	r = set(&m.name, str_of(a, "io.kubernetes.cri.container-name"));
	if (!r)
		r = set(&m.pod_name, str_of(a, "io.kubernetes.cri.sandbox-name"));
	if (!r)
		r = set(&m.pod_namespace,
			str_of(a, "io.kubernetes.cri.sandbox-namespace"));
	if (!r)
		r = set(&m.pod_uid, str_of(a, "io.kubernetes.cri.sandbox-uid"));
	/* CRI-O */
	if (!r)
		r = kube_labels(a, &m);
	if (!r)
		r = crio_labels(str_of(a, "io.kubernetes.cri-o.Labels"), &m);
	if (!r)
		r = from_k8sname(str_of(a, "io.kubernetes.cri-o.Name"), &m);
	/* nerdctl, outside Kubernetes */
	if (!r)
		r = set(&m.name, str_of(a, "nerdctl/name"));
	json_object_put(root);
	if (r < 0) {
		pd_ctrmeta_release(&m);
		return r;
	}
	*ret_m = m;
	return 0;
}

int pd_ctrmeta_storage_parse(const char *buf, size_t len,
			     int (*fn)(void *arg, const char *id,
				       const char *name),
			     void *arg)
{
	json_object *root;
	size_t i, n;
	int r;

	r = json_parse(buf, len, json_type_array, &root);
	if (r < 0)
		return r;
	n = json_object_array_length(root);
	for (i = 0; i < n && !r; i++) {
		json_object *c = json_object_array_get_idx(root, i);
		json_object *names, *first;
		const char *id, *name;
		int nlen;

		if (!json_object_is_type(c, json_type_object))
			continue;
		id = str_of(c, "id");
		if (!id || !json_object_object_get_ex(c, "names", &names) ||
		    !json_object_is_type(names, json_type_array) ||
		    !json_object_array_length(names))
			continue;
		first = json_object_array_get_idx(names, 0);
		if (!json_object_is_type(first, json_type_string))
			continue;
		name = json_object_get_string(first);
		nlen = json_object_get_string_len(first);
		if (!name || nlen <= 0 || memchr(name, '\0', (size_t)nlen))
			continue;
		r = fn(arg, id, name);
	}
	json_object_put(root);
	return r;
}

int pd_ctrmeta_daemon_parse(const char *buf, size_t len, char **ret_dir)
{
	json_object *root;
	const char *dir;
	int r;

	r = json_parse(buf, len, json_type_object, &root);
	if (r < 0)
		return r;
	dir = str_of(root, "data-root");
	if (!dir)
		dir = str_of(root, "graph");
	if (dir && dir[0] != '/')
		dir = NULL;
	*ret_dir = NULL;
	r = set(ret_dir, dir);
	json_object_put(root);
	return r;
}

/*
 * Split S at each SEP into up to MAX fields; *ret_n is the count found
 * (MAX + 1 when there are more). Fields point into S, none is empty.
 */
static bool split(const char *s, char sep, const char **f, size_t *flen,
		  size_t max, size_t *ret_n)
{
	size_t n = 0;

	for (;;) {
		const char *e = strchr(s, sep);
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (!l)
			return false;
		if (n == max) {
			*ret_n = max + 1;
			return true;
		}
		f[n] = s;
		flen[n++] = l;
		if (!e)
			break;
		s = e + 1;
	}
	*ret_n = n;
	return true;
}

static int setn(char **dst, const char *s, size_t n)
{
	*dst = strndup(s, n);
	return *dst ? 0 : -ENOMEM;
}

int pd_ctrmeta_k8sname_parse(const char *s, struct pd_ctrmeta *ret_m)
{
	struct pd_ctrmeta m = { 0 };
	const char *f[6];
	size_t fl[6], n, i, first;
	int r;

	if (!split(s, '_', f, fl, 6, &n) || n < 5 || n > 6 ||
	    fl[0] != 3 || memcmp(f[0], "k8s", 3))
		return -EINVAL;
	/* the attempt counter */
	for (i = 0; i < fl[n - 1]; i++)
		if (f[n - 1][i] < '0' || f[n - 1][i] > '9')
			return -EINVAL;
	first = n == 6 ? 2 : 1;
	if (n == 5 || (fl[1] == 3 && !memcmp(f[1], "POD", 3)))
		m.role = PD_ROLE_SANDBOX;
	r = n == 6 && m.role != PD_ROLE_SANDBOX ? setn(&m.name, f[1], fl[1]) : 0;
	if (!r)
		r = setn(&m.pod_name, f[first], fl[first]);
	if (!r)
		r = setn(&m.pod_namespace, f[first + 1], fl[first + 1]);
	if (!r)
		r = setn(&m.pod_uid, f[first + 2], fl[first + 2]);
	if (r < 0) {
		pd_ctrmeta_release(&m);
		return r;
	}
	*ret_m = m;
	return 0;
}

int pd_ctrmeta_podlog_parse(const char *s, struct pd_ctrmeta *ret_m)
{
	struct pd_ctrmeta m = { 0 };
	const char *f[3];
	size_t fl[3], n;
	int r;

	if (!split(s, '_', f, fl, 3, &n) || n != 3)
		return -EINVAL;
	r = setn(&m.pod_namespace, f[0], fl[0]);
	if (!r)
		r = setn(&m.pod_name, f[1], fl[1]);
	if (!r)
		r = setn(&m.pod_uid, f[2], fl[2]);
	if (r < 0) {
		pd_ctrmeta_release(&m);
		return r;
	}
	*ret_m = m;
	return 0;
}

int pd_ctrmeta_ctrlog_parse(const char *s, struct pd_ctrmeta *ret_m,
			    char **ret_id)
{
	struct pd_ctrmeta m = { 0 };
	const char *f[3], *dash, *id;
	size_t fl[3], n, len = strlen(s), i;
	char *stem, *idc = NULL;
	int r;

	/* "-" + 64 hex + ".log" after at least "a_b_c" */
	if (len < 5 + 1 + 64 + 4 || strcmp(s + len - 4, ".log"))
		return -EINVAL;
	id = s + len - 4 - 64;
	dash = id - 1;
	if (*dash != '-')
		return -EINVAL;
	for (i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", id[i]) || !id[i])
			return -EINVAL;
	stem = strndup(s, (size_t)(dash - s));
	if (!stem)
		return -ENOMEM;
	if (!split(stem, '_', f, fl, 3, &n) || n != 3) {
		r = -EINVAL;
		goto out_free;
	}
	r = setn(&m.pod_name, f[0], fl[0]);
	if (!r)
		r = setn(&m.pod_namespace, f[1], fl[1]);
	if (!r)
		r = setn(&m.name, f[2], fl[2]);
	if (!r)
		r = setn(&idc, id, 64);
	if (r < 0) {
		pd_ctrmeta_release(&m);
		goto out_free;
	}
	*ret_m = m;
	*ret_id = idc;
out_free:
	free(stem);
	return r;
}
