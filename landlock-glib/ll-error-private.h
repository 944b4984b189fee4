/* ll-error-private.h: errno to LlError, in one place
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ll-error.h"

/* How the messages tell a user to be best-effort, in words that name no
 * language's spelling; landlock-run replaces it with its own option. */
#define _LL_HINT_BEST_EFFORT "a best-effort ruleset (set its strict property to false)"

G_BEGIN_DECLS

/* The same errno means different things depending on the call that
 * returned it (E2BIG is an oversized attr for create_ruleset but the layer
 * limit for restrict_self), so the mapping is told which call failed. */
typedef enum
{
  LL_SYSCALL_QUERY,           /* create_ruleset (NULL, 0, VERSION|ERRATA) */
  LL_SYSCALL_CREATE_RULESET,
  LL_SYSCALL_ADD_RULE,
  LL_SYSCALL_RESTRICT_SELF,
  LL_SYSCALL_NO_NEW_PRIVS,
} LlSyscall;

LlError _ll_error_code_from_errno (LlSyscall   syscall,
                                   int         errnum);

/* Sets @error from @errnum; @what describes the request ("adding a rule
 * for port 443") and is followed by the kernel's reason and a hint. */
void    _ll_set_error_from_errno  (GError    **error,
                                   LlSyscall   syscall,
                                   int         errnum,
                                   const char *what);

G_END_DECLS
