/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/cgpath: the cgroup path shapes of systemd, Docker,
 * Podman, containerd, CRI-O, the kubelet, LXC, nspawn and libvirt, with
 * the systemd and cgroupfs drivers, cgroup v1 and v2, rootful and rootless.
 * The shapes are the ones the runtimes make (see each test's comment). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgpath.h"

#define ID "f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb"
#define ID2 "a1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2"
#define UID "fdbcccad-ad87-5547-ae34-ffcb590943d4"
/* the systemd driver writes the pod UID with "_" for "-" */
#define UID_ "fdbcccad_ad87_5547_ae34_ffcb590943d4"

/* The parse of the current test, released by the teardown. */
static struct pd_cgpath cp;

static int teardown(void **state)
{
	(void)state;
	pd_cgpath_release(&cp);
	return 0;
}

static void parse(const char *path)
{
	assert_int_equal(pd_cgpath_parse(path, &cp), 0);
}

#define assert_str(got, want)                                                  \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (!w_)                                                       \
			assert_null(g_);                                       \
		else {                                                         \
			assert_non_null(g_);                                   \
			assert_string_equal(g_, w_);                           \
		}                                                              \
	} while (0)

/* No container, no pod: only systemd's names, if any. */
static void assert_host_only(void)
{
	assert_int_equal(cp.runtime, PD_RUNTIME_NONE);
	assert_null(cp.id);
	assert_null(cp.name);
	assert_null(cp.pod_uid);
	assert_null(cp.qos);
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
}

static void test_cgpath_system_service(void **state)
{
	(void)state;
	parse("/system.slice/nginx.service");
	assert_str(cp.unit, "nginx.service");
	assert_str(cp.slice, "system.slice");
	assert_false(cp.has_uid);
	assert_host_only();
}

static void test_cgpath_login_session_is_a_scope_in_the_user_slice(void **state)
{
	(void)state;
	parse("/user.slice/user-1000.slice/session-3.scope");
	assert_str(cp.unit, "session-3.scope");
	assert_str(cp.slice, "user-1000.slice");
	/* a session is not the user's service manager: not rootless */
	assert_false(cp.has_uid);
	assert_host_only();
}

static void test_cgpath_user_manager_units_are_the_innermost(void **state)
{
	(void)state;
	parse("/user.slice/user-1000.slice/user@1000.service/app.slice/"
	      "app-gnome-org.gnome.Terminal.slice/vte-spawn-3c1f.scope");
	assert_str(cp.unit, "vte-spawn-3c1f.scope");
	assert_str(cp.slice, "app-gnome-org.gnome.Terminal.slice");
	assert_true(cp.has_uid);
	assert_int_equal(cp.uid, 1000);
	assert_host_only();
}

static void test_cgpath_unit_and_slice_escapes_are_decoded(void **state)
{
	(void)state;
	/* systemd-escape: "-" in an instance or slice name is \x2d */
	parse("/system.slice/system-systemd\\x2dfsck.slice/"
	      "systemd-fsck@dev-disk-by\\x2duuid-0b1c.service");
	assert_str(cp.unit, "systemd-fsck@dev-disk-by-uuid-0b1c.service");
	assert_str(cp.slice, "system-systemd-fsck.slice");
	assert_host_only();
}

static void test_cgpath_cgroupfs_escape_prefix_is_dropped(void **state)
{
	(void)state;
	/* cg_escape(): a name that clashes with cgroupfs' own files
	 * ("cpu.*", "cgroup.*", "tasks") gets a leading "_" */
	parse("/system.slice/_cpu.service");
	assert_str(cp.unit, "cpu.service");
	assert_host_only();
}

static void test_cgpath_unescape(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(pd_cgpath_unescape("a\\x2db\\x2Dc", 11, &s), 0);
	assert_string_equal(s, "a-b-c");
	free(s);
	/* incomplete or not hex: kept as they are */
	assert_int_equal(pd_cgpath_unescape("x\\x2", 4, &s), 0);
	assert_string_equal(s, "x\\x2");
	free(s);
	assert_int_equal(pd_cgpath_unescape("\\xzz\\", 5, &s), 0);
	assert_string_equal(s, "\\xzz\\");
	free(s);
	/* a NUL would cut the name short: it stays escaped */
	assert_int_equal(pd_cgpath_unescape("a\\x00b", 6, &s), 0);
	assert_string_equal(s, "a\\x00b");
	free(s);
	/* only the N bytes given */
	assert_int_equal(pd_cgpath_unescape("ab\\x41", 2, &s), 0);
	assert_string_equal(s, "ab");
	free(s);
	/* a control byte is decoded: escaping at print is the printer's job */
	assert_int_equal(pd_cgpath_unescape("\\x1b[2J", 7, &s), 0);
	assert_string_equal(s, "\x1b[2J");
	free(s);
}

static void test_cgpath_root_and_empty_name_nothing(void **state)
{
	(void)state;
	parse("/");
	assert_null(cp.unit);
	assert_null(cp.slice);
	assert_host_only();
	pd_cgpath_release(&cp);
	parse("");
	assert_null(cp.unit);
	assert_host_only();
}

/* Docker with the systemd driver (the default on cgroup v2). */
static void test_cgpath_docker_systemd_scope(void **state)
{
	(void)state;
	parse("/system.slice/docker-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
	assert_str(cp.id, ID);
	assert_str(cp.unit, "docker-" ID ".scope");
	assert_str(cp.slice, "system.slice");
	assert_null(cp.parent);
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
	assert_false(cp.has_uid);
}

/* Docker with the cgroupfs driver (cgroup v1 default): /docker/<id>. */
static void test_cgpath_docker_cgroupfs(void **state)
{
	(void)state;
	parse("/docker/" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
	assert_str(cp.id, ID);
	assert_str(cp.parent, "docker");
	assert_null(cp.unit);
	assert_null(cp.slice);
}

/* Rootless Docker: dockerd under the user's manager, user.slice in it. */
static void test_cgpath_docker_rootless(void **state)
{
	(void)state;
	parse("/user.slice/user-1000.slice/user@1000.service/user.slice/"
	      "docker-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
	assert_str(cp.id, ID);
	assert_str(cp.slice, "user.slice");
	assert_true(cp.has_uid);
	assert_int_equal(cp.uid, 1000);
}

/* What runs inside a container (its own systemd) is not the host's unit. */
static void test_cgpath_below_the_container_is_the_containers(void **state)
{
	(void)state;
	parse("/system.slice/docker-" ID ".scope/system.slice/sshd.service");
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
	assert_str(cp.unit, "docker-" ID ".scope");
	assert_str(cp.slice, "system.slice");
}

/* Podman, systemd driver: crun puts the payload in a "container" child. */
static void test_cgpath_podman_scope_with_crun_subgroup(void **state)
{
	(void)state;
	parse("/machine.slice/libpod-" ID ".scope/container");
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.id, ID);
	assert_str(cp.unit, "libpod-" ID ".scope");
	assert_str(cp.slice, "machine.slice");
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
}

static void test_cgpath_podman_conmon_is_the_monitor(void **state)
{
	(void)state;
	parse("/machine.slice/libpod-conmon-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.id, ID);
	assert_int_equal(cp.role, PD_ROLE_MONITOR);
}

/* Quadlet (--cgroups=split): the payload under the unit's own cgroup. */
static void test_cgpath_podman_quadlet_payload_keeps_its_unit(void **state)
{
	(void)state;
	parse("/system.slice/web.service/libpod-payload-" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.id, ID);
	assert_str(cp.unit, "web.service");
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
}

static void test_cgpath_podman_cgroupfs(void **state)
{
	(void)state;
	parse("/libpod_parent/libpod-" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.id, ID);
	assert_null(cp.unit);
}

static void test_cgpath_podman_rootless(void **state)
{
	(void)state;
	parse("/user.slice/user-1001.slice/user@1001.service/user.slice/"
	      "libpod-" ID ".scope/container");
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.id, ID);
	assert_true(cp.has_uid);
	assert_int_equal(cp.uid, 1001);
}

static void test_cgpath_podman_pod_slice(void **state)
{
	(void)state;
	parse("/machine.slice/machine-libpod_pod_0c5d5e2a.slice/libpod-" ID
	      ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_PODMAN);
	assert_str(cp.slice, "machine-libpod_pod_0c5d5e2a.slice");
	/* a Podman pod is not a Kubernetes pod */
	assert_null(cp.pod_uid);
}

/* The kubelet with the systemd driver and containerd. */
static void test_cgpath_kubepods_systemd_burstable_containerd(void **state)
{
	(void)state;
	parse("/kubepods.slice/kubepods-burstable.slice/"
	      "kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID2
	      ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_CONTAINERD);
	assert_str(cp.id, ID2);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "Burstable");
	assert_str(cp.unit, "cri-containerd-" ID2 ".scope");
	assert_str(cp.slice, "kubepods-burstable-pod" UID_ ".slice");
}

static void test_cgpath_kubepods_systemd_guaranteed_crio(void **state)
{
	(void)state;
	parse("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_CRIO);
	assert_str(cp.id, ID);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "Guaranteed");
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
}

static void test_cgpath_kubepods_crio_conmon(void **state)
{
	(void)state;
	parse("/kubepods.slice/kubepods-besteffort.slice/"
	      "kubepods-besteffort-pod" UID_ ".slice/crio-conmon-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_CRIO);
	assert_str(cp.qos, "BestEffort");
	assert_int_equal(cp.role, PD_ROLE_MONITOR);
}

/* The kubelet with the cgroupfs driver (v1): bare ids, no runtime named. */
static void test_cgpath_kubepods_cgroupfs_besteffort(void **state)
{
	(void)state;
	parse("/kubepods/besteffort/pod" UID "/" ID2);
	assert_int_equal(cp.runtime, PD_RUNTIME_NONE);
	assert_str(cp.id, ID2);
	assert_str(cp.parent, "pod" UID);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "BestEffort");
	assert_null(cp.unit);
}

static void test_cgpath_kubepods_cgroupfs_guaranteed(void **state)
{
	(void)state;
	parse("/kubepods/pod" UID "/" ID2);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "Guaranteed");
	assert_str(cp.id, ID2);
}

static void test_cgpath_kubepods_cgroupfs_crio(void **state)
{
	(void)state;
	parse("/kubepods/burstable/pod" UID "/crio-" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_CRIO);
	assert_str(cp.qos, "Burstable");
	assert_str(cp.pod_uid, UID);
}

/* A static pod's UID is the hash of its manifest: 32 hex, no dashes. */
static void test_cgpath_static_pod_and_the_pod_row_itself(void **state)
{
	(void)state;
	parse("/kubepods.slice/kubepods-burstable.slice/"
	      "kubepods-burstable-pod6f2b7f2e5f0b3d9f6e5f1c9e6d1a2b3c.slice");
	assert_str(cp.pod_uid, "6f2b7f2e5f0b3d9f6e5f1c9e6d1a2b3c");
	assert_str(cp.qos, "Burstable");
	assert_null(cp.id);
	assert_int_equal(cp.runtime, PD_RUNTIME_NONE);
}

static void test_cgpath_qos_rows(void **state)
{
	(void)state;
	parse("/kubepods.slice/kubepods-besteffort.slice");
	assert_str(cp.qos, "BestEffort");
	assert_null(cp.pod_uid);
	pd_cgpath_release(&cp);
	parse("/kubepods/burstable");
	assert_str(cp.qos, "Burstable");
	pd_cgpath_release(&cp);
	/* all classes are below kubepods itself */
	parse("/kubepods.slice");
	assert_null(cp.qos);
	assert_str(cp.slice, "kubepods.slice");
}

/* kind's kubelet runs with --cgroup-root=/kubelet. */
static void test_cgpath_kubelet_cgroup_root_prefix(void **state)
{
	(void)state;
	parse("/kubelet.slice/kubelet-kubepods.slice/"
	      "kubelet-kubepods-besteffort.slice/"
	      "kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-"
	      ID2 ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_CONTAINERD);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "BestEffort");
}

/* A kind node seen from its host: the node is the Docker container. */
static void test_cgpath_nested_pods_belong_to_their_node(void **state)
{
	(void)state;
	parse("/system.slice/docker-" ID ".scope/kubelet.slice/"
	      "kubelet-kubepods.slice/kubelet-kubepods-pod" UID_
	      ".slice/cri-containerd-" ID2 ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
	assert_str(cp.id, ID);
	assert_null(cp.pod_uid);
	assert_null(cp.qos);
}

/* A "pod..." cgroup outside kubepods is nobody's pod. */
static void test_cgpath_pod_outside_kubepods_is_not_a_pod(void **state)
{
	(void)state;
	parse("/system.slice/podman-pod" UID_ ".slice");
	assert_null(cp.pod_uid);
	pd_cgpath_release(&cp);
	parse("/kubepods.slice/kubepods-podnothex.slice");
	assert_null(cp.pod_uid);
}

/* nerdctl (containerd without Kubernetes), both drivers. */
static void test_cgpath_nerdctl(void **state)
{
	(void)state;
	parse("/system.slice/nerdctl-" ID ".scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_CONTAINERD);
	assert_str(cp.id, ID);
	pd_cgpath_release(&cp);
	parse("/default/" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_NONE);
	assert_str(cp.id, ID);
	assert_str(cp.parent, "default");
}

/* Only a whole 64-hex id is an id. */
static void test_cgpath_ids_must_be_64_lower_hex(void **state)
{
	(void)state;
	parse("/system.slice/docker-abc123.scope");
	assert_str(cp.unit, "docker-abc123.scope");
	assert_host_only();
	pd_cgpath_release(&cp);
	/* 63 characters */
	parse("/docker/f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bb");
	assert_host_only();
	pd_cgpath_release(&cp);
	parse("/docker/F31F384749F9115ACF01FCF82F5A966B59DCC0A4CBD7C9740888C0BF32AA2BBB");
	assert_host_only();
	pd_cgpath_release(&cp);
	parse("/system.slice/docker-" ID ".scopex");
	assert_host_only();
}

/* LXC 4+ and LXD/Incus: lxc.payload.NAME, lxc.monitor.NAME. */
static void test_cgpath_lxc(void **state)
{
	(void)state;
	parse("/lxc.payload.web/system.slice/sshd.service");
	assert_int_equal(cp.runtime, PD_RUNTIME_LXC);
	assert_str(cp.name, "web");
	assert_null(cp.id);
	assert_null(cp.unit);
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
	pd_cgpath_release(&cp);
	parse("/lxc.monitor.web");
	assert_int_equal(cp.runtime, PD_RUNTIME_LXC);
	assert_str(cp.name, "web");
	assert_int_equal(cp.role, PD_ROLE_MONITOR);
	pd_cgpath_release(&cp);
	/* an LXD project: <project>_<name> */
	parse("/lxc.payload.shop_db");
	assert_str(cp.name, "shop_db");
}

/* LXC 3 and Proxmox VE: lxc/NAME (lxc/101/ns/...), lxc.monitor/NAME. */
static void test_cgpath_lxc_legacy_and_proxmox(void **state)
{
	(void)state;
	parse("/lxc/101/ns/init.scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_LXC);
	assert_str(cp.name, "101");
	assert_null(cp.unit);
	pd_cgpath_release(&cp);
	parse("/lxc.monitor/101");
	assert_str(cp.name, "101");
	assert_int_equal(cp.role, PD_ROLE_MONITOR);
	pd_cgpath_release(&cp);
	/* "lxc" alone is just a cgroup */
	parse("/lxc");
	assert_host_only();
}

/* machinectl start: systemd-nspawn@NAME.service, payload/ and supervisor/. */
static void test_cgpath_nspawn_service(void **state)
{
	(void)state;
	parse("/machine.slice/systemd-nspawn@my\\x2dbox.service/payload/"
	      "system.slice/sshd.service");
	assert_int_equal(cp.runtime, PD_RUNTIME_NSPAWN);
	assert_str(cp.name, "my-box");
	assert_str(cp.unit, "systemd-nspawn@my-box.service");
	assert_str(cp.slice, "machine.slice");
	assert_int_equal(cp.role, PD_ROLE_PAYLOAD);
	pd_cgpath_release(&cp);
	parse("/machine.slice/systemd-nspawn@my\\x2dbox.service/supervisor");
	assert_str(cp.name, "my-box");
	assert_int_equal(cp.role, PD_ROLE_MONITOR);
}

/* systemd-nspawn run by hand registers machine-NAME.scope. */
static void test_cgpath_nspawn_scope(void **state)
{
	(void)state;
	parse("/machine.slice/machine-my\\x2dbox.scope/payload");
	assert_int_equal(cp.runtime, PD_RUNTIME_NSPAWN);
	assert_str(cp.name, "my-box");
	assert_str(cp.unit, "machine-my-box.scope");
}

/* libvirt's guests are machines too: machine-qemu\x2dN\x2dNAME.scope. */
static void test_cgpath_libvirt_guest_is_not_nspawn(void **state)
{
	(void)state;
	parse("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator");
	assert_int_equal(cp.runtime, PD_RUNTIME_LIBVIRT);
	assert_str(cp.name, "vm1");
	pd_cgpath_release(&cp);
	parse("/machine.slice/machine-lxc\\x2d4242\\x2dweb\\x2d1.scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_LIBVIRT);
	assert_str(cp.name, "web-1");
	pd_cgpath_release(&cp);
	/* a machine merely called qemu-something */
	parse("/machine.slice/machine-qemu\\x2dbuild.scope");
	assert_int_equal(cp.runtime, PD_RUNTIME_NSPAWN);
	assert_str(cp.name, "qemu-build");
}

/* The same shapes under a prefix (a nested cgroup namespace's view, a
 * test's own directory) and in a v1 controller hierarchy. */
static void test_cgpath_shapes_hold_under_a_prefix(void **state)
{
	(void)state;
	parse("/pd-test-Xy12ab/kubepods/burstable/pod" UID "/" ID2);
	assert_str(cp.pod_uid, UID);
	assert_str(cp.qos, "Burstable");
	assert_str(cp.id, ID2);
	pd_cgpath_release(&cp);
	parse("/pd-test-Xy12ab/docker/" ID);
	assert_int_equal(cp.runtime, PD_RUNTIME_DOCKER);
}

static void test_cgpath_runtime_names(void **state)
{
	(void)state;
	assert_null(pd_runtime_name(PD_RUNTIME_NONE));
	assert_string_equal(pd_runtime_name(PD_RUNTIME_DOCKER), "docker");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_PODMAN), "podman");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_CONTAINERD), "containerd");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_CRIO), "cri-o");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_LXC), "lxc");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_NSPAWN), "nspawn");
	assert_string_equal(pd_runtime_name(PD_RUNTIME_LIBVIRT), "libvirt");
	assert_null(pd_runtime_name((enum pd_runtime)99));
}

static void test_cgpath_user_manager_uid_bounds(void **state)
{
	(void)state;
	parse("/user.slice/user-4294967295.slice/user@4294967295.service/x.scope");
	/* (uid_t)-1 is no user */
	assert_false(cp.has_uid);
	pd_cgpath_release(&cp);
	parse("/user.slice/user@12345678901.service/x.scope");
	assert_false(cp.has_uid);
	pd_cgpath_release(&cp);
	parse("/user.slice/user@.service/x.scope");
	assert_false(cp.has_uid);
	pd_cgpath_release(&cp);
	parse("/user.slice/user@0.service/x.scope");
	assert_true(cp.has_uid);
	assert_int_equal(cp.uid, 0);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cgpath_system_service),
		T(test_cgpath_login_session_is_a_scope_in_the_user_slice),
		T(test_cgpath_user_manager_units_are_the_innermost),
		T(test_cgpath_unit_and_slice_escapes_are_decoded),
		T(test_cgpath_cgroupfs_escape_prefix_is_dropped),
		T(test_cgpath_unescape),
		T(test_cgpath_root_and_empty_name_nothing),
		T(test_cgpath_docker_systemd_scope),
		T(test_cgpath_docker_cgroupfs),
		T(test_cgpath_docker_rootless),
		T(test_cgpath_below_the_container_is_the_containers),
		T(test_cgpath_podman_scope_with_crun_subgroup),
		T(test_cgpath_podman_conmon_is_the_monitor),
		T(test_cgpath_podman_quadlet_payload_keeps_its_unit),
		T(test_cgpath_podman_cgroupfs),
		T(test_cgpath_podman_rootless),
		T(test_cgpath_podman_pod_slice),
		T(test_cgpath_kubepods_systemd_burstable_containerd),
		T(test_cgpath_kubepods_systemd_guaranteed_crio),
		T(test_cgpath_kubepods_crio_conmon),
		T(test_cgpath_kubepods_cgroupfs_besteffort),
		T(test_cgpath_kubepods_cgroupfs_guaranteed),
		T(test_cgpath_kubepods_cgroupfs_crio),
		T(test_cgpath_static_pod_and_the_pod_row_itself),
		T(test_cgpath_qos_rows),
		T(test_cgpath_kubelet_cgroup_root_prefix),
		T(test_cgpath_nested_pods_belong_to_their_node),
		T(test_cgpath_pod_outside_kubepods_is_not_a_pod),
		T(test_cgpath_nerdctl),
		T(test_cgpath_ids_must_be_64_lower_hex),
		T(test_cgpath_lxc),
		T(test_cgpath_lxc_legacy_and_proxmox),
		T(test_cgpath_nspawn_service),
		T(test_cgpath_nspawn_scope),
		T(test_cgpath_libvirt_guest_is_not_nspawn),
		T(test_cgpath_shapes_hold_under_a_prefix),
		T(test_cgpath_runtime_names),
		T(test_cgpath_user_manager_uid_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
