/* ll-sys-private.h: the raw Landlock system calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ll-uapi-private.h"

/* These return a value >= 0 on success and -errno on failure, touch no
 * global state but errno, and allocate nothing: they are safe to call
 * between fork() and exec(). */
int    _ll_sys_query                (uint32_t                            flags);
int    _ll_sys_create_ruleset       (const struct ll_uapi_ruleset_attr  *attr);
size_t _ll_sys_ruleset_attr_size    (const struct ll_uapi_ruleset_attr  *attr);
int    _ll_sys_add_path_beneath     (int                                 ruleset_fd,
                                     int                                 parent_fd,
                                     uint64_t                            allowed_access,
                                     uint32_t                            flags);
int    _ll_sys_add_net_port         (int                                 ruleset_fd,
                                     uint64_t                            port,
                                     uint64_t                            allowed_access,
                                     uint32_t                            flags);
int    _ll_sys_restrict_self        (int                                 ruleset_fd,
                                     uint32_t                            flags);
int    _ll_sys_set_no_new_privs     (void);

/* An O_PATH | O_CLOEXEC descriptor of @path for a rule; without
 * @follow_symlinks, ELOOP if any component of @path is a symbolic link
 * (openat2(2) with RESOLVE_NO_SYMLINKS: ENOSYS before Linux 5.6). */
int    _ll_sys_open_rule_path       (const char                         *path,
                                     int                                 follow_symlinks);
