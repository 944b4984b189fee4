/* ll-ruleset.h: a Landlock ruleset as a GObject
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib-object.h>

#include "ll-enums.h"
#include "ll-version-macros.h"

G_BEGIN_DECLS

#define LL_TYPE_RULESET (ll_ruleset_get_type ())

LL_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (LlRuleset, ll_ruleset, LL, RULESET, GObject)

LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_new                   (void);

/* Rules */
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_read            (LlRuleset          *self,
                                                  const char * const *paths);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_write           (LlRuleset          *self,
                                                  const char * const *paths);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_execute         (LlRuleset          *self,
                                                  const char * const *paths);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_read_write      (LlRuleset          *self,
                                                  const char * const *paths);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_add_path_rule         (LlRuleset          *self,
                                                  const char * const *paths,
                                                  LlAccessFs          access);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_add_path_rule_full    (LlRuleset          *self,
                                                  const char * const *paths,
                                                  LlAccessFs          access,
                                                  LlRuleFlags         flags);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_network         (LlRuleset          *self,
                                                  const guint16      *ports,
                                                  gsize               n_ports,
                                                  gboolean            bind,
                                                  gboolean            connect);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_udp             (LlRuleset          *self,
                                                  const guint16      *ports,
                                                  gsize               n_ports,
                                                  gboolean            bind,
                                                  gboolean            connect_send);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_udp_client      (LlRuleset          *self,
                                                  const guint16      *ports,
                                                  gsize               n_ports);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_add_net_rule          (LlRuleset          *self,
                                                  int                 port,
                                                  LlAccessNet         access,
                                                  LlRuleFlags         flags);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_all_network     (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_scope           (LlRuleset          *self,
                                                  LlScope             scope);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_allow_all_scope       (LlRuleset          *self);

/* What the ruleset handles, and how it is applied */
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_set_handled_access    (LlRuleset          *self,
                                                  LlAccessFs          fs,
                                                  LlAccessNet         net,
                                                  LlScope             scoped);
LL_AVAILABLE_IN_1_0
LlRuleset      *ll_ruleset_set_quiet_access      (LlRuleset          *self,
                                                  LlAccessFs          fs,
                                                  LlAccessNet         net,
                                                  LlScope             scoped);
LL_AVAILABLE_IN_1_0
LlAccessFs      ll_ruleset_get_handled_access_fs (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
LlAccessNet     ll_ruleset_get_handled_access_net (LlRuleset         *self);
LL_AVAILABLE_IN_1_0
LlScope         ll_ruleset_get_scoped            (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
LlAccessFs      ll_ruleset_get_unrestricted_access_fs  (LlRuleset    *self);
LL_AVAILABLE_IN_1_0
LlAccessNet     ll_ruleset_get_unrestricted_access_net (LlRuleset    *self);
LL_AVAILABLE_IN_1_0
LlScope         ll_ruleset_get_unrestricted_scopes     (LlRuleset    *self);
LL_AVAILABLE_IN_1_0
char           *ll_ruleset_describe_unrestricted       (LlRuleset    *self);

LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_get_strict            (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
void            ll_ruleset_set_strict            (LlRuleset          *self,
                                                  gboolean            strict);
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_get_ignore_missing    (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
void            ll_ruleset_set_ignore_missing    (LlRuleset          *self,
                                                  gboolean            ignore_missing);
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_get_follow_symlinks   (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
void            ll_ruleset_set_follow_symlinks   (LlRuleset          *self,
                                                  gboolean            follow_symlinks);
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_get_all_threads       (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
void            ll_ruleset_set_all_threads       (LlRuleset          *self,
                                                  gboolean            all_threads);
LL_AVAILABLE_IN_1_0
LlRestrictFlags ll_ruleset_get_restrict_flags    (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
void            ll_ruleset_set_restrict_flags    (LlRuleset          *self,
                                                  LlRestrictFlags     flags);
LL_AVAILABLE_IN_1_0
int             ll_ruleset_get_abi               (LlRuleset          *self);

/* Applying */
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_check                 (LlRuleset          *self,
                                                  GError            **error);
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_apply                 (LlRuleset          *self,
                                                  LlStatus           *out_status,
                                                  GError            **error);
LL_AVAILABLE_IN_1_0
LlStatus        ll_ruleset_restrict_self         (LlRuleset          *self,
                                                  GError            **error);
LL_AVAILABLE_IN_1_0
gboolean        ll_ruleset_get_applied           (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
LlStatus        ll_ruleset_get_status            (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
const char     *ll_ruleset_get_status_reason     (LlRuleset          *self);
LL_AVAILABLE_IN_1_0
guint           ll_ruleset_get_unrestricted_threads (LlRuleset       *self);
LL_AVAILABLE_IN_1_0
const char * const *ll_ruleset_get_skipped_paths (LlRuleset          *self);

G_END_DECLS
