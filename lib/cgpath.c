/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgpath: what a cgroup path alone says: unit, slice, container, pod. */
#include "cgpath.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Container ids of Docker, Podman, containerd and CRI-O: sha256 in hex. */
#define ID_LEN 64

/* One component of the path: N bytes at S (not NUL-terminated). */
struct comp {
	const char *s;
	size_t n;
};

static const char *const runtime_names[] = {
	[PD_RUNTIME_NONE] = NULL,
	[PD_RUNTIME_DOCKER] = "docker",
	[PD_RUNTIME_PODMAN] = "podman",
	[PD_RUNTIME_CONTAINERD] = "containerd",
	[PD_RUNTIME_CRIO] = "cri-o",
	[PD_RUNTIME_LXC] = "lxc",
	[PD_RUNTIME_NSPAWN] = "nspawn",
	[PD_RUNTIME_LIBVIRT] = "libvirt",
};

const char *pd_runtime_name(enum pd_runtime rt)
{
	if ((size_t)rt >= sizeof(runtime_names) / sizeof(runtime_names[0]))
		return NULL;
	return runtime_names[rt];
}

/*
 * "<prefix><id>[.scope]": the systemd driver makes a scope, the cgroupfs
 * driver a plain directory. Longer prefixes first ("libpod-conmon-" before
 * "libpod-").
 */
static const struct {
	const char *prefix;
	enum pd_runtime rt;
	enum pd_cgroup_role role;
} id_prefixes[] = {
	{ "docker-", PD_RUNTIME_DOCKER, PD_ROLE_PAYLOAD },
	{ "libpod-conmon-", PD_RUNTIME_PODMAN, PD_ROLE_MONITOR },
	/* podman --cgroups=split, Quadlet: <unit>.service/libpod-payload-<id> */
	{ "libpod-payload-", PD_RUNTIME_PODMAN, PD_ROLE_PAYLOAD },
	{ "libpod-", PD_RUNTIME_PODMAN, PD_ROLE_PAYLOAD },
	{ "cri-containerd-", PD_RUNTIME_CONTAINERD, PD_ROLE_PAYLOAD },
	{ "nerdctl-", PD_RUNTIME_CONTAINERD, PD_ROLE_PAYLOAD },
	{ "crio-conmon-", PD_RUNTIME_CRIO, PD_ROLE_MONITOR },
	{ "crio-", PD_RUNTIME_CRIO, PD_ROLE_PAYLOAD },
};

static const char *const unit_suffixes[] = {
	".service", ".scope", ".socket", ".mount", ".swap", ".slice",
};

static bool has_prefix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s, p, n);
}

static bool has_suffix(struct comp c, const char *sfx)
{
	size_t n = strlen(sfx);

	return c.n >= n && !memcmp(c.s + c.n - n, sfx, n);
}

static bool is(struct comp c, const char *s)
{
	return c.n == strlen(s) && !memcmp(c.s, s, c.n);
}

static bool is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != ID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool is_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_unit(struct comp c)
{
	size_t i;

	for (i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		if (c.n > strlen(unit_suffixes[i]) && has_suffix(c, unit_suffixes[i]))
			return true;
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pd_cgpath_unescape(const char *s, size_t n, char **ret)
{
	char *out, *o;
	size_t i;

	/* a decoded NUL stays "\x00": never longer than the input */
	out = malloc(n + 1);
	if (!out)
		return -ENOMEM;
	o = out;
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '\\' && n - i >= 4 && s[i + 1] == 'x') {
			hi = hexval(s[i + 2]);
			lo = hexval(s[i + 3]);
			if (hi >= 0 && lo >= 0 && (hi || lo)) {
				*o++ = (char)(hi << 4 | lo);
				i += 3;
				continue;
			}
		}
		*o++ = s[i];
	}
	*o = '\0';
	*ret = out;
	return 0;
}

static int take(char **dst, const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static int take_unescaped(char **dst, const char *s, size_t n)
{
	char *d;
	int r;

	r = pd_cgpath_unescape(s, n, &d);
	if (r < 0)
		return r;
	free(*dst);
	*dst = d;
	return 0;
}

/*
 * The Kubernetes pod component: "pod<uid>" (cgroupfs driver) or
 * "<qos slice>-pod<uid with _ for ->.slice" (systemd driver). *RET_QOS
 * comes from the systemd name itself; NULL for the cgroupfs form.
 */
static bool pod_component(struct comp c, struct comp *ret_uid,
			  const char **ret_qos)
{
	const char *p;
	size_t i, n;

	if (has_suffix(c, ".slice")) {
		struct comp stem = { c.s, c.n - 6 };

		/* the last "-pod" of the stem: kubepods-burstable-pod<uid> */
		for (p = NULL, i = stem.n; i >= 4; i--)
			if (!memcmp(stem.s + i - 4, "-pod", 4)) {
				p = stem.s + i;
				break;
			}
		if (!p)
			return false;
		n = (size_t)(stem.s + stem.n - p);
		*ret_qos = "Guaranteed";
		if (p - 4 - stem.s >= 10 && !memcmp(p - 14, "-burstable", 10))
			*ret_qos = "Burstable";
		else if (p - 4 - stem.s >= 11 &&
			 !memcmp(p - 15, "-besteffort", 11))
			*ret_qos = "BestEffort";
	} else {
		if (!has_prefix(c, "pod"))
			return false;
		p = c.s + 3;
		n = c.n - 3;
		*ret_qos = NULL;
	}
	/* a UUID, or the 32-hex hash of a static pod */
	if (!n || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (hexval(p[i]) < 0 && p[i] != '-' && p[i] != '_')
			return false;
	ret_uid->s = p;
	ret_uid->n = n;
	return true;
}

static int set_pod_uid(struct pd_cgpath *cp, struct comp uid)
{
	size_t i;
	int r;

	r = take(&cp->pod_uid, uid.s, uid.n);
	if (r < 0)
		return r;
	for (i = 0; i < uid.n; i++)
		if (cp->pod_uid[i] == '_')
			cp->pod_uid[i] = '-';
	return 0;
}

/* "machine-<name>.scope": nspawn, unless libvirt's qemu-N-NAME or lxc-N-NAME. */
static int machine_scope(struct pd_cgpath *cp, struct comp c)
{
	char *name = NULL, *p;
	int r;

	r = pd_cgpath_unescape(c.s + 8, c.n - 8 - 6, &name);
	if (r < 0)
		return r;
	cp->runtime = PD_RUNTIME_NSPAWN;
	if (!strncmp(name, "qemu-", 5) || !strncmp(name, "lxc-", 4)) {
		size_t digits;

		p = strchr(name, '-') + 1;
		digits = strspn(p, "0123456789");
		if (digits && p[digits] == '-' && p[digits + 1]) {
			p += digits + 1;
			memmove(name, p, strlen(p) + 1);
			cp->runtime = PD_RUNTIME_LIBVIRT;
		}
	}
	cp->name = name;
	return 0;
}

/*
 * Is component C (with NEXT after it, or NULL) a container? Fills CP and
 * returns 1; 0 if not; -ENOMEM. *RET_SKIP: components it consumed after C.
 */
static int container_component(struct pd_cgpath *cp, struct comp c,
				const struct comp *prev,
				const struct comp *next, size_t *ret_skip)
{
	size_t i;
	int r;

	*ret_skip = 0;
	for (i = 0; i < sizeof(id_prefixes) / sizeof(id_prefixes[0]); i++) {
		struct comp rest;

		if (!has_prefix(c, id_prefixes[i].prefix))
			continue;
		rest.s = c.s + strlen(id_prefixes[i].prefix);
		rest.n = c.n - strlen(id_prefixes[i].prefix);
		if (has_suffix(rest, ".scope"))
			rest.n -= 6;
		if (!is_hex_id(rest.s, rest.n))
			continue;
		cp->runtime = id_prefixes[i].rt;
		cp->role = id_prefixes[i].role;
		r = take(&cp->id, rest.s, rest.n);
		return r < 0 ? r : 1;
	}
	/* LXC 4+ (and LXD, Incus): lxc.payload.NAME, lxc.monitor.NAME */
	if ((has_prefix(c, "lxc.payload.") && c.n > 12) ||
	    (has_prefix(c, "lxc.monitor.") && c.n > 12)) {
		cp->runtime = PD_RUNTIME_LXC;
		cp->role = c.s[4] == 'm' ? PD_ROLE_MONITOR : PD_ROLE_PAYLOAD;
		r = take(&cp->name, c.s + 12, c.n - 12);
		return r < 0 ? r : 1;
	}
	/* LXC 3 and Proxmox: lxc/NAME, lxc.payload/NAME, lxc.monitor/NAME */
	if (next && (is(c, "lxc") || is(c, "lxc.payload") ||
		     is(c, "lxc.monitor"))) {
		cp->runtime = PD_RUNTIME_LXC;
		cp->role = is(c, "lxc.monitor") ? PD_ROLE_MONITOR :
						  PD_ROLE_PAYLOAD;
		*ret_skip = 1;
		r = take(&cp->name, next->s, next->n);
		return r < 0 ? r : 1;
	}
	/* machinectl start NAME: systemd-nspawn@NAME.service */
	if (has_prefix(c, "systemd-nspawn@") && has_suffix(c, ".service") &&
	    c.n > 15 + 8) {
		cp->runtime = PD_RUNTIME_NSPAWN;
		r = pd_cgpath_unescape(c.s + 15, c.n - 15 - 8, &cp->name);
		return r < 0 ? r : 1;
	}
	/* systemd-nspawn run directly, or a libvirt guest */
	if (has_prefix(c, "machine-") && has_suffix(c, ".scope") &&
	    c.n > 8 + 6) {
		r = machine_scope(cp, c);
		return r < 0 ? r : 1;
	}
	/* cgroupfs drivers: /docker/<id>, /kubepods/.../pod<uid>/<id>,
	 * containerd's /<namespace>/<id> */
	if (is_hex_id(c.s, c.n)) {
		if (prev && is(*prev, "docker"))
			cp->runtime = PD_RUNTIME_DOCKER;
		if (prev) {
			r = take(&cp->parent, prev->s, prev->n);
			if (r < 0)
				return r;
		}
		r = take(&cp->id, c.s, c.n);
		return r < 0 ? r : 1;
	}
	return 0;
}

/* A systemd-side component above the container: unit, slice, user, pod. */
static int host_component(struct pd_cgpath *cp, struct comp c,
			  const struct comp *prev, bool *in_kube)
{
	struct comp uid;
	const char *qos;
	int r;

	if (is_unit(c)) {
		r = take_unescaped(has_suffix(c, ".slice") ? &cp->slice :
							    &cp->unit,
				   c.s, c.n);
		if (r < 0)
			return r;
	}
	if (c.n > 13 && c.n <= 23 && has_prefix(c, "user@") &&
	    has_suffix(c, ".service") && is_digits(c.s + 5, c.n - 13)) {
		unsigned long v = strtoul(c.s + 5, NULL, 10);

		if (v < UINT32_MAX) {
			cp->has_uid = true;
			cp->uid = (uid_t)v;
		}
	}
	if (!*in_kube) {
		/* kubepods, kubepods.slice, kubelet-kubepods.slice (kind) */
		if (memmem(c.s, c.n, "kubepods", 8))
			*in_kube = true;
		return 0;
	}
	if (pod_component(c, &uid, &qos)) {
		if (!qos) {
			qos = "Guaranteed";
			if (prev && is(*prev, "burstable"))
				qos = "Burstable";
			else if (prev && is(*prev, "besteffort"))
				qos = "BestEffort";
		}
		cp->qos = qos;
		return set_pod_uid(cp, uid);
	}
	/* the QoS level itself: a row for kubepods-burstable.slice */
	if (is(c, "burstable") || has_suffix(c, "-burstable.slice"))
		cp->qos = "Burstable";
	else if (is(c, "besteffort") || has_suffix(c, "-besteffort.slice"))
		cp->qos = "BestEffort";
	return 0;
}

void pd_cgpath_release(struct pd_cgpath *cp)
{
	if (!cp)
		return;
	free(cp->unit);
	free(cp->slice);
	free(cp->id);
	free(cp->name);
	free(cp->parent);
	free(cp->pod_uid);
	memset(cp, 0, sizeof(*cp));
}

int pd_cgpath_parse(const char *path, struct pd_cgpath *ret_cp)
{
	struct pd_cgpath cp = { 0 };
	struct comp prev = { NULL, 0 }, c, next;
	const char *p = path;
	bool in_kube = false, have_prev = false;
	int r = 0;

	while (*p) {
		const char *s = strchr(p, '/');
		const char *q;
		size_t skip;

		c.s = p;
		c.n = s ? (size_t)(s - p) : strlen(p);
		p = s ? s + 1 : p + c.n;
		if (!c.n)
			continue;
		/* systemd prefixes "_" to names that clash with cgroupfs' own */
		if (c.s[0] == '_' && c.n > 1) {
			c.s++;
			c.n--;
		}
		q = strchr(p, '/');
		next.s = p;
		next.n = q ? (size_t)(q - p) : strlen(p);
		r = container_component(&cp, c, have_prev ? &prev : NULL,
					next.n ? &next : NULL, &skip);
		if (r < 0)
			goto out_release;
		if (r > 0) {
			/* a scope of its own is the container's unit too */
			if (is_unit(c)) {
				r = take_unescaped(&cp.unit, c.s, c.n);
				if (r < 0)
					goto out_release;
			}
			/* nspawn on the unified hierarchy: payload/, supervisor/ */
			if (cp.runtime == PD_RUNTIME_NSPAWN && !skip &&
			    is(next, "supervisor"))
				cp.role = PD_ROLE_MONITOR;
			break;
		}
		r = host_component(&cp, c, have_prev ? &prev : NULL, &in_kube);
		if (r < 0)
			goto out_release;
		prev = c;
		have_prev = true;
	}
	*ret_cp = cp;
	return 0;

out_release:
	pd_cgpath_release(&cp);
	return r;
}
