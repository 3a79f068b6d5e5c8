/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/ctrmeta: the runtimes' files of tests/fixtures/cgname
 * (made by make-cgname.sh) and inline variants of them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrmeta.h"

#define ROOT PD_FIXTURES_DIR "/cgname/"
#define DOCKER_WEB "f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb"
#define DOCKER_NGINX "edb3196755746fcd4f74b6bcfdf45a8f9a59f07d68eabf33f11df88fc3be3166"
#define DOCKER_PAUSE "a6c0b0e3ba0757e6e1329abfec28534dd0314dd7d67d24297f0b954ae3252859"
#define PODMAN_DB "cc68e1d9877507693f2627038a9947317d784e78728a2cdc290274f23414b7e0"
#define CTRD_API "a1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2"
#define CTRD_SANDBOX "f0c28c2942ea49aba3377441f657aa3043c87d04c201276564b4b35c583e6ed0"
#define NERD_CACHE "28991f231417b0cc76231b4a0e5aabed59c0c9cbcd2b5096c17e8a1f215a1515"
#define CRIO_AUTH "200d2a5be1795f16914f5a79230a8b34ba75a1b620c5a3256e37bbeec7d109f0"
#define CRIO_WORKER "dc626e6558351adeb72e354009bc7a95d016aa9a24b7e6482f13d48bedcedde6"
#define CRIO_SIDECAR "564700cf49aeafe2b88d48da90f3508bce90b43b2e9b7df140afa4ac2cb5729b"
#define BROKEN "f526795c95399cea27c055c842c3d6ab018ed0fa4f66f701c28ab22dec28237b"
#define POD_DOCKER "f4e8f6ae-4918-584f-955f-14258a02ac47"
#define POD_API "fdbcccad-ad87-5547-ae34-ffcb590943d4"
#define POD_AUTH "ae0bf033-df52-56db-be31-7c685c4d9161"

/* The result of the current test and the file it read: freed at teardown. */
static struct pd_ctrmeta m;
static char *text;

static int teardown(void **state)
{
	(void)state;
	pd_ctrmeta_release(&m);
	free(text);
	text = NULL;
	return 0;
}

static size_t slurp(const char *rel)
{
	char path[1024];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", ROOT, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	free(text);
	text = malloc(1 << 20);
	assert_non_null(text);
	n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	text[n] = '\0';
	return n;
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

static void assert_meta(const char *name, const char *ns, const char *pod,
			const char *uid, enum pd_cgroup_role role)
{
	assert_str(m.name, name);
	assert_str(m.pod_namespace, ns);
	assert_str(m.pod_name, pod);
	assert_str(m.pod_uid, uid);
	assert_int_equal(m.role, role);
}

static void docker_file(const char *id)
{
	char rel[256];
	size_t n;

	snprintf(rel, sizeof(rel), "var/lib/docker/containers/%s/config.v2.json",
		 id);
	n = slurp(rel);
	assert_int_equal(pd_ctrmeta_docker_parse(text, n, &m), 0);
}

static void oci_file(const char *rel)
{
	size_t n = slurp(rel);

	assert_int_equal(pd_ctrmeta_oci_parse(text, n, &m), 0);
}

static void test_ctrmeta_docker_name_drops_the_slash(void **state)
{
	(void)state;
	docker_file(DOCKER_WEB);
	assert_meta("web", NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_docker_kubernetes_labels(void **state)
{
	(void)state;
	docker_file(DOCKER_NGINX);
	assert_meta("nginx", "shop", "web-0", POD_DOCKER, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_docker_pod_sandbox(void **state)
{
	(void)state;
	docker_file(DOCKER_PAUSE);
	assert_meta(NULL, "shop", "web-0", POD_DOCKER, PD_ROLE_SANDBOX);
}

static void test_ctrmeta_docker_k8s_name_without_labels(void **state)
{
	static const char j[] =
		"{\"Name\":\"/k8s_nginx_web-0_shop_" POD_DOCKER "_3\","
		"\"Config\":{\"Labels\":null}}";

	(void)state;
	assert_int_equal(pd_ctrmeta_docker_parse(j, strlen(j), &m), 0);
	assert_meta("nginx", "shop", "web-0", POD_DOCKER, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_docker_k8s_lookalike_name_is_a_name(void **state)
{
	static const char j[] = "{\"Name\":\"/k8s_backup\"}";

	(void)state;
	assert_int_equal(pd_ctrmeta_docker_parse(j, strlen(j), &m), 0);
	assert_meta("k8s_backup", NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_docker_truncated_file_is_einval(void **state)
{
	size_t n;

	(void)state;
	n = slurp("var/lib/docker/containers/" BROKEN "/config.v2.json");
	assert_int_equal(pd_ctrmeta_docker_parse(text, n, &m), -EINVAL);
	assert_meta(NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_docker_odd_documents(void **state)
{
	static const struct {
		const char *json;
		int ret;
		const char *name;
	} cases[] = {
		{ "[]", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
		{ "{\"Name\":\"/a\"} x", -EINVAL, NULL },
		{ "{\"Name\":\"/a\"}{}", -EINVAL, NULL },
		{ "{\"Name\":\"/a\"}\n\n", 0, "a" },
		{ "{\"Name\":7}", 0, NULL },
		{ "{\"Name\":\"/\"}", 0, NULL },
		{ "{\"Name\":\"\"}", 0, NULL },
		/* a NUL inside would cut the name: no name */
		{ "{\"Name\":\"/a\\u0000b\"}", 0, NULL },
		{ "{\"Name\":\"no-slash\"}", 0, "no-slash" },
		{ "{\"Config\":{\"Labels\":\"x\"},\"Name\":\"/b\"}", 0, "b" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = pd_ctrmeta_docker_parse(cases[i].json,
						strlen(cases[i].json), &m);

		assert_int_equal(r, cases[i].ret);
		assert_str(m.name, cases[i].name);
		pd_ctrmeta_release(&m);
	}
	/* the length is what counts, not a NUL */
	assert_int_equal(pd_ctrmeta_docker_parse("{\"Name\":\"/a\"}\0zz", 16, &m),
			 -EINVAL);
}

static void test_ctrmeta_oci_containerd_cri(void **state)
{
	(void)state;
	oci_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/" CTRD_API
		 "/config.json");
	assert_meta("api", "shop", "api-7d9f8b6c5-x2x7q", POD_API,
		    PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_oci_containerd_sandbox(void **state)
{
	(void)state;
	oci_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/"
		 CTRD_SANDBOX "/config.json");
	assert_meta(NULL, "shop", "api-7d9f8b6c5-x2x7q", POD_API,
		    PD_ROLE_SANDBOX);
}

static void test_ctrmeta_oci_nerdctl_name(void **state)
{
	(void)state;
	oci_file("run/containerd/io.containerd.runtime.v2.task/default/"
		 NERD_CACHE "/config.json");
	assert_meta("cache", NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_oci_crio(void **state)
{
	(void)state;
	oci_file("var/lib/containers/storage/overlay-containers/" CRIO_AUTH
		 "/userdata/config.json");
	assert_meta("auth", "login", "auth-0", POD_AUTH, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_oci_crio_labels_annotation_only(void **state)
{
	(void)state;
	oci_file("run/containers/storage/overlay-containers/" CRIO_WORKER
		 "/userdata/config.json");
	assert_meta("worker", "login", "auth-0", POD_AUTH, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_oci_crio_name_annotation_only(void **state)
{
	static const char j[] =
		"{\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":"
		"\"sandbox\",\"io.kubernetes.cri-o.Name\":"
		"\"k8s_auth-0_login_" POD_AUTH "_0\"}}";

	(void)state;
	assert_int_equal(pd_ctrmeta_oci_parse(j, strlen(j), &m), 0);
	assert_meta(NULL, "login", "auth-0", POD_AUTH, PD_ROLE_SANDBOX);
}

static void test_ctrmeta_oci_without_annotations(void **state)
{
	static const char j[] = "{\"ociVersion\":\"1.2.0\",\"annotations\":[1]}";

	(void)state;
	assert_int_equal(pd_ctrmeta_oci_parse(j, strlen(j), &m), 0);
	assert_meta(NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(pd_ctrmeta_oci_parse("{\"annotations\":", 15, &m),
			 -EINVAL);
}

/* Labels that are not JSON: the other annotations still count. */
static void test_ctrmeta_oci_bad_labels_string(void **state)
{
	static const char j[] =
		"{\"annotations\":{\"io.kubernetes.cri-o.Labels\":\"{oops\","
		"\"io.kubernetes.container.name\":\"c\"}}";

	(void)state;
	assert_int_equal(pd_ctrmeta_oci_parse(j, strlen(j), &m), 0);
	assert_meta("c", NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

struct seen {
	char ids[4][65];
	char names[4][128];
	size_t n;
	int stop_at;
};

static int see(void *arg, const char *id, const char *name)
{
	struct seen *s = arg;

	if ((int)s->n == s->stop_at)
		return -ECANCELED;
	assert_true(s->n < 4);
	snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", id);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	s->n++;
	return 0;
}

static void test_ctrmeta_storage_lists_every_named_container(void **state)
{
	struct seen s = { .stop_at = -1 };
	size_t n;

	(void)state;
	n = slurp("var/lib/containers/storage/overlay-containers/containers.json");
	assert_int_equal(pd_ctrmeta_storage_parse(text, n, see, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.ids[0], PODMAN_DB);
	assert_string_equal(s.names[0], "db");
	assert_string_equal(s.ids[1], CRIO_SIDECAR);
	assert_string_equal(s.names[1], "k8s_sidecar_auth-0_login_" POD_AUTH "_1");
}

static void test_ctrmeta_storage_skips_unnamed_and_odd_entries(void **state)
{
	static const char j[] =
		"[1,{\"id\":\"a\"},{\"id\":\"b\",\"names\":[]},"
		"{\"id\":\"c\",\"names\":[7]},{\"names\":[\"x\"]},"
		"{\"id\":\"d\",\"names\":\"d\"},{\"id\":\"e\",\"names\":[\"e1\",\"e2\"]}]";
	struct seen s = { .stop_at = -1 };

	(void)state;
	assert_int_equal(pd_ctrmeta_storage_parse(j, strlen(j), see, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "e");
	assert_string_equal(s.names[0], "e1");
}

static void test_ctrmeta_storage_callback_error_stops(void **state)
{
	static const char j[] =
		"[{\"id\":\"a\",\"names\":[\"x\"]},{\"id\":\"b\",\"names\":[\"y\"]}]";
	struct seen s = { .stop_at = 1 };

	(void)state;
	assert_int_equal(pd_ctrmeta_storage_parse(j, strlen(j), see, &s),
			 -ECANCELED);
	assert_int_equal(s.n, 1);
	assert_int_equal(pd_ctrmeta_storage_parse("{}", 2, see, &s), -EINVAL);
}

static void test_ctrmeta_daemon_data_root(void **state)
{
	char *dir = NULL;
	FILE *f;
	size_t n;

	(void)state;
	f = fopen(PD_FIXTURES_DIR "/cgname-moved/etc/docker/daemon.json", "r");
	assert_non_null(f);
	text = malloc(4096);
	assert_non_null(text);
	n = fread(text, 1, 4096, f);
	fclose(f);
	assert_int_equal(pd_ctrmeta_daemon_parse(text, n, &dir), 0);
	assert_string_equal(dir, "/data/docker");
	free(dir);
	/* the pre-17.05 name */
	assert_int_equal(pd_ctrmeta_daemon_parse("{\"graph\":\"/d\"}", 14, &dir),
			 0);
	assert_string_equal(dir, "/d");
	free(dir);
	/* relative, or none: the default */
	assert_int_equal(pd_ctrmeta_daemon_parse("{\"data-root\":\"d\"}", 17,
						 &dir),
			 0);
	assert_null(dir);
	assert_int_equal(pd_ctrmeta_daemon_parse("{}", 2, &dir), 0);
	assert_null(dir);
	assert_int_equal(pd_ctrmeta_daemon_parse("{", 1, &dir), -EINVAL);
}

static void test_ctrmeta_k8sname(void **state)
{
	(void)state;
	assert_int_equal(pd_ctrmeta_k8sname_parse(
				 "k8s_nginx_web-0_shop_" POD_DOCKER "_12", &m),
			 0);
	assert_meta("nginx", "shop", "web-0", POD_DOCKER, PD_ROLE_PAYLOAD);
	pd_ctrmeta_release(&m);
	/* dockershim's sandbox */
	assert_int_equal(pd_ctrmeta_k8sname_parse(
				 "k8s_POD_web-0_shop_" POD_DOCKER "_0", &m),
			 0);
	assert_meta(NULL, "shop", "web-0", POD_DOCKER, PD_ROLE_SANDBOX);
	pd_ctrmeta_release(&m);
	/* CRI-O's sandbox: no container part */
	assert_int_equal(pd_ctrmeta_k8sname_parse(
				 "k8s_auth-0_login_" POD_AUTH "_0", &m),
			 0);
	assert_meta(NULL, "login", "auth-0", POD_AUTH, PD_ROLE_SANDBOX);
}

static void test_ctrmeta_k8sname_rejects(void **state)
{
	static const char *const bad[] = {
		"k8s_a_b_c", "k8s_a_b_c_d_e_f_7", "k8s_a_b_c_d_x",
		"k8s_a__c_d_0", "K8S_a_b_c_d_0", "k8s_a_b_c_d_", "_a_b_c_d_0",
		"k8s", "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(pd_ctrmeta_k8sname_parse(bad[i], &m), -EINVAL);
		assert_meta(NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD);
	}
}

static void test_ctrmeta_podlog(void **state)
{
	(void)state;
	assert_int_equal(pd_ctrmeta_podlog_parse(
				 "shop_api-7d9f8b6c5-x2x7q_" POD_API, &m),
			 0);
	assert_meta(NULL, "shop", "api-7d9f8b6c5-x2x7q", POD_API,
		    PD_ROLE_PAYLOAD);
	pd_ctrmeta_release(&m);
	assert_int_equal(pd_ctrmeta_podlog_parse("lost+found", &m), -EINVAL);
	assert_int_equal(pd_ctrmeta_podlog_parse("a_b_c_d", &m), -EINVAL);
	assert_int_equal(pd_ctrmeta_podlog_parse("a__c", &m), -EINVAL);
	assert_meta(NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_ctrlog(void **state)
{
	char *id = NULL;

	(void)state;
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "api-7d9f8b6c5-x2x7q_shop_api-" CTRD_API ".log",
				 &m, &id),
			 0);
	assert_meta("api", "shop", "api-7d9f8b6c5-x2x7q", NULL,
		    PD_ROLE_PAYLOAD);
	assert_string_equal(id, CTRD_API);
	free(id);
	pd_ctrmeta_release(&m);
	id = NULL;
	assert_int_equal(pd_ctrmeta_ctrlog_parse("README", &m, &id), -EINVAL);
	/* the shortest: one-letter names */
	assert_int_equal(pd_ctrmeta_ctrlog_parse("p_n_c-" CTRD_API ".log", &m,
						 &id),
			 0);
	free(id);
	pd_ctrmeta_release(&m);
	id = NULL;
	/* a 63-character id, an upper-case one, no dash, too few parts, a
	 * suffix after .log */
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "p_n_c-1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2.log",
				 &m, &id),
			 -EINVAL);
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "p_n_c-A1153A1970EA17B773D92B866F3E57718AF6E81398B9433342D06E65A22BBEB2.log",
				 &m, &id),
			 -EINVAL);
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "p_n_cx" CTRD_API ".log", &m, &id),
			 -EINVAL);
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "p_nc-" CTRD_API ".log", &m, &id),
			 -EINVAL);
	assert_int_equal(pd_ctrmeta_ctrlog_parse(
				 "p_n_c-" CTRD_API ".logx", &m, &id),
			 -EINVAL);
	assert_null(id);
	assert_meta(NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

static void test_ctrmeta_merge_fills_gaps_only(void **state)
{
	struct pd_ctrmeta from = { 0 };

	(void)state;
	m.name = strdup("first");
	from.name = strdup("second");
	from.pod_name = strdup("pod");
	from.role = PD_ROLE_SANDBOX;
	assert_non_null(m.name);
	assert_non_null(from.name);
	assert_non_null(from.pod_name);
	assert_int_equal(pd_ctrmeta_merge(&m, &from), 0);
	assert_meta("first", NULL, "pod", NULL, PD_ROLE_SANDBOX);
	/* FROM is released */
	assert_null(from.name);
	assert_null(from.pod_name);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ctrmeta_docker_name_drops_the_slash),
		T(test_ctrmeta_docker_kubernetes_labels),
		T(test_ctrmeta_docker_pod_sandbox),
		T(test_ctrmeta_docker_k8s_name_without_labels),
		T(test_ctrmeta_docker_k8s_lookalike_name_is_a_name),
		T(test_ctrmeta_docker_truncated_file_is_einval),
		T(test_ctrmeta_docker_odd_documents),
		T(test_ctrmeta_oci_containerd_cri),
		T(test_ctrmeta_oci_containerd_sandbox),
		T(test_ctrmeta_oci_nerdctl_name),
		T(test_ctrmeta_oci_crio),
		T(test_ctrmeta_oci_crio_labels_annotation_only),
		T(test_ctrmeta_oci_crio_name_annotation_only),
		T(test_ctrmeta_oci_without_annotations),
		T(test_ctrmeta_oci_bad_labels_string),
		T(test_ctrmeta_storage_lists_every_named_container),
		T(test_ctrmeta_storage_skips_unnamed_and_odd_entries),
		T(test_ctrmeta_storage_callback_error_stops),
		T(test_ctrmeta_daemon_data_root),
		T(test_ctrmeta_k8sname),
		T(test_ctrmeta_k8sname_rejects),
		T(test_ctrmeta_podlog),
		T(test_ctrmeta_ctrlog),
		T(test_ctrmeta_merge_fills_gaps_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
