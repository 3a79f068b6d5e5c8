/* SPDX-License-Identifier: GPL-2.0-or-later */
/* users: uid to user name, looked up once per uid. */
#include "users.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pd_user_entry {
	uid_t uid;
	char *name;
};

struct pd_users {
	struct pd_user_entry *v;
	size_t n, cap;
};

int pd_users_new(struct pd_users **ret_users)
{
	struct pd_users *u = calloc(1, sizeof(*u));

	if (!u)
		return -ENOMEM;
	*ret_users = u;
	return 0;
}

void pd_users_free(struct pd_users *users)
{
	size_t i;

	if (!users)
		return;
	for (i = 0; i < users->n; i++)
		free(users->v[i].name);
	free(users->v);
	free(users);
}

static char *lookup_name(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096], num[16];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		return strdup(res->pw_name);
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	return strdup(num);
}

const char *pd_users_name(struct pd_users *users, uid_t uid)
{
	struct pd_user_entry *nv;
	char *name;
	size_t i;

	/* A scan sees a handful of distinct uids: a linear cache is enough. */
	for (i = 0; i < users->n; i++)
		if (users->v[i].uid == uid)
			return users->v[i].name;
	name = lookup_name(uid);
	if (!name)
		return NULL;
	if (users->n == users->cap) {
		size_t cap = users->cap ? users->cap * 2 : 16;

		nv = realloc(users->v, cap * sizeof(*nv));
		if (!nv) {
			free(name);
			return NULL;
		}
		users->v = nv;
		users->cap = cap;
	}
	users->v[users->n].uid = uid;
	users->v[users->n].name = name;
	return users->v[users->n++].name;
}

int pd_users_parse(const char *s, uid_t *ret_uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096], *e;
	unsigned long v;

	if (!*s)
		return -EINVAL;
	if (getpwnam_r(s, &pw, buf, sizeof(buf), &res) == 0 && res) {
		*ret_uid = res->pw_uid;
		return 0;
	}
	/* strtoul() takes blanks and signs: "-18446744073709551615" is 1 */
	if (!isdigit((unsigned char)s[0]))
		return -ENOENT;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (*e || errno || v > UINT32_MAX - 1)
		return -ENOENT;
	*ret_uid = (uid_t)v;
	return 0;
}
