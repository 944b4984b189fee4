/* ll-error.h: the landlock-glib error domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

#include "ll-version-macros.h"

G_BEGIN_DECLS

/**
 * LL_ERROR:
 *
 * The error domain of landlock-glib. Errors in this domain carry an
 * #LlError code.
 *
 * Since: 1.0
 */
#define LL_ERROR (ll_error_quark ())

/**
 * LlError:
 * @LL_ERROR_NOT_AVAILABLE: the kernel has no Landlock (`ENOSYS`: too old,
 *   built without it, a seccomp filter hides it, or not Linux at all)
 * @LL_ERROR_DISABLED: Landlock is built into the kernel but disabled at
 *   boot (`EOPNOTSUPP`)
 * @LL_ERROR_INCOMPATIBLE: a strict ruleset asked for a right, scope or flag
 *   that the running kernel's Landlock ABI lacks
 * @LL_ERROR_PATH: the path of a rule cannot be opened
 * @LL_ERROR_INVALID: a bad argument: a port out of range, unknown bits, an
 *   empty path, a ruleset already applied, a file descriptor that is not a
 *   ruleset...
 * @LL_ERROR_RULESET: the kernel refused to create or fill the ruleset
 * @LL_ERROR_RESTRICT: the kernel refused to restrict the process
 *   (`landlock_restrict_self(2)`), for instance `EPERM` without
 *   no_new_privs or `CAP_SYS_ADMIN`
 * @LL_ERROR_LAYER_LIMIT: the process already has the maximum number of
 *   stacked Landlock layers (16, `E2BIG`)
 * @LL_ERROR_NETWORK_DISABLED: the kernel has no TCP/IP support, so network
 *   rules cannot be added (`EAFNOSUPPORT`)
 * @LL_ERROR_POLICY: a policy document (see ll_ruleset_new_from_data()) was
 *   rejected: invalid JSON, an unknown or duplicate key, an unknown access
 *   right, an undefined variable... The message gives the file, the line
 *   and column, the JSON path of the offending value and what is wrong
 *
 * Error codes of the #LL_ERROR domain. More codes may be added in later
 * versions: treat unknown ones as failures.
 *
 * Since: 1.0
 */
typedef enum /*< prefix=LL_ERROR >*/
{
  LL_ERROR_NOT_AVAILABLE,
  LL_ERROR_DISABLED,
  LL_ERROR_INCOMPATIBLE,
  LL_ERROR_PATH,
  LL_ERROR_INVALID,
  LL_ERROR_RULESET,
  LL_ERROR_RESTRICT,
  LL_ERROR_LAYER_LIMIT,
  LL_ERROR_NETWORK_DISABLED,
  LL_ERROR_POLICY,
} LlError;

LL_AVAILABLE_IN_1_0
GQuark ll_error_quark (void);

G_END_DECLS
