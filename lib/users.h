/* SPDX-License-Identifier: GPL-2.0-or-later */
/* users: uid to user name, looked up once per uid. */
#ifndef PD_USERS_H
#define PD_USERS_H

#include <sys/types.h>

struct pd_users;

/* Returns 0 or -ENOMEM; free with pd_users_free(). */
int pd_users_new(struct pd_users **ret_users);
void pd_users_free(struct pd_users *users);

/*
 * The name of UID, or its decimal form when the user database has none.
 * The string lives as long as USERS. Returns NULL only on ENOMEM.
 */
const char *pd_users_name(struct pd_users *users, uid_t uid);

/*
 * Resolve a user given on the command line: a name, or a decimal uid.
 * Returns 0, -ENOENT for an unknown name, -EINVAL for an empty string.
 */
int pd_users_parse(const char *s, uid_t *ret_uid);

#endif
