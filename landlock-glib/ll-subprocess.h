/* ll-subprocess.h: sandboxed child processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "ll-ruleset.h"
#include "ll-version-macros.h"

G_BEGIN_DECLS

/**
 * LL_CHILD_SETUP_FAILED:
 *
 * The exit status of a child process that could not be restricted after
 * fork(): it exits with this status instead of running unsandboxed. It
 * matches what env(1) and landlock-run use for "could not set up".
 *
 * Since: 1.0
 */
#define LL_CHILD_SETUP_FAILED 125

LL_AVAILABLE_IN_1_0
gboolean     ll_ruleset_apply_to_launcher (LlRuleset            *self,
                                           GSubprocessLauncher  *launcher,
                                           GError              **error);
LL_AVAILABLE_IN_1_0
GSubprocess *ll_ruleset_spawnv            (LlRuleset            *self,
                                           const char * const   *argv,
                                           GSubprocessFlags      flags,
                                           GError              **error);
LL_AVAILABLE_IN_1_0
GSubprocess *ll_ruleset_spawn             (LlRuleset            *self,
                                           GSubprocessFlags      flags,
                                           GError              **error,
                                           const char           *argv0,
                                           ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
