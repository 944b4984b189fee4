/* ll-sys.h: the Landlock system calls, with GError reporting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

#include "ll-enums.h"
#include "ll-version-macros.h"

G_BEGIN_DECLS

LL_AVAILABLE_IN_1_0
int      ll_sys_create_ruleset      (LlAccessFs       handled_access_fs,
                                     LlAccessNet      handled_access_net,
                                     LlScope          scoped,
                                     GError         **error);
LL_AVAILABLE_IN_1_0
int      ll_sys_create_ruleset_full (LlAccessFs       handled_access_fs,
                                     LlAccessNet      handled_access_net,
                                     LlScope          scoped,
                                     LlAccessFs       quiet_access_fs,
                                     LlAccessNet      quiet_access_net,
                                     LlScope          quiet_scoped,
                                     GError         **error);
LL_AVAILABLE_IN_1_0
gboolean ll_sys_add_path_rule       (int              ruleset_fd,
                                     int              parent_fd,
                                     LlAccessFs       allowed_access,
                                     LlRuleFlags      flags,
                                     GError         **error);
LL_AVAILABLE_IN_1_0
gboolean ll_sys_add_net_rule        (int              ruleset_fd,
                                     gint64           port,
                                     LlAccessNet      allowed_access,
                                     LlRuleFlags      flags,
                                     GError         **error);
LL_AVAILABLE_IN_1_0
gboolean ll_sys_restrict_self       (int              ruleset_fd,
                                     LlRestrictFlags  flags,
                                     GError         **error);
LL_AVAILABLE_IN_1_0
gboolean ll_sys_set_no_new_privs    (GError         **error);

G_END_DECLS
