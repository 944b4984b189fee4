/* ll-policy.h: rulesets from policy files (the landlockconfig JSON format)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

#include "ll-ruleset.h"
#include "ll-version-macros.h"

G_BEGIN_DECLS

LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_data     (const char         *data,
                                         gssize              length,
                                         GError            **error);
LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_bytes    (GBytes             *bytes,
                                         GError            **error);
LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_file     (const char         *path,
                                         GError            **error);
LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_files    (const char * const *paths,
                                         GError            **error);
LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_files_full (const char * const *paths,
                                           const char * const *variables,
                                           GError            **error);
LL_AVAILABLE_IN_1_0
LlRuleset *ll_ruleset_new_from_resource (const char         *resource_path,
                                         GError            **error);
LL_AVAILABLE_IN_1_0
char      *ll_ruleset_to_json           (LlRuleset          *self);

G_END_DECLS
