/* ll-error.c: the landlock-glib error domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LL_ERROR, and the one translation of a Landlock system call's errno
 * into an LlError code and a message that says what to do
 * (_ll_set_error_from_errno(), ll-error-private.h). Errors about input
 * (a path that cannot be opened, a bad policy) are worded where the
 * input is checked.
 */

#include <errno.h>
#include <string.h>

#include "ll-error-private.h"

/**
 * SECTION:ll-error
 * @Title: Errors
 * @Short_description: the LL_ERROR domain
 *
 * Every function of landlock-glib that can fail reports a #GError in the
 * #LL_ERROR domain. The message says what was asked, what the kernel
 * answered (with strerror() where an errno is involved) and what the
 * caller can do about it, so it can be shown to a user as it is.
 *
 * From Python the error is a `GLib.Error` whose `domain` is
 * `"ll-error-quark"` and whose `code` is a `Landlock.Error` value; from
 * GJS use `error.matches (Landlock.Error, Landlock.Error.PATH)`.
 */

/**
 * ll_error_quark:
 *
 * The quark of the #LL_ERROR domain, whose string is `ll-error-quark`.
 *
 * Returns: the error domain of landlock-glib
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (ll-error-quark, ll_error)

LlError
_ll_error_code_from_errno (LlSyscall syscall,
                           int       errnum)
{
  /* Whatever the call, these two say "no usable Landlock". */
  if (errnum == ENOSYS)
    return LL_ERROR_NOT_AVAILABLE;
  if (errnum == EOPNOTSUPP)
    return LL_ERROR_DISABLED;

  switch (syscall)
    {
    case LL_SYSCALL_QUERY:
      return LL_ERROR_NOT_AVAILABLE;

    case LL_SYSCALL_CREATE_RULESET:
      /* EINVAL: unknown bits; EFAULT: bad pointer. ENOMSG (nothing
       * handled) and E2BIG (attr too large) are refusals of the ruleset. */
      if (errnum == EINVAL || errnum == EFAULT)
        return LL_ERROR_INVALID;
      return LL_ERROR_RULESET;

    case LL_SYSCALL_ADD_RULE:
      if (errnum == EAFNOSUPPORT)
        return LL_ERROR_NETWORK_DISABLED;
      if (errnum == EINVAL || errnum == ENOMSG || errnum == EBADF ||
          errnum == EBADFD || errnum == EFAULT)
        return LL_ERROR_INVALID;
      return LL_ERROR_RULESET;

    case LL_SYSCALL_RESTRICT_SELF:
      if (errnum == E2BIG)
        return LL_ERROR_LAYER_LIMIT;
      if (errnum == EINVAL || errnum == EBADF || errnum == EBADFD)
        return LL_ERROR_INVALID;
      return LL_ERROR_RESTRICT;

    case LL_SYSCALL_NO_NEW_PRIVS:
    default:
      return LL_ERROR_RESTRICT;
    }
}

static const char *
hint_for (LlSyscall syscall,
          int       errnum)
{
  switch (errnum)
    {
    case ENOSYS:
      return "this kernel has no Landlock (it needs Linux 5.13 or later built with "
             "CONFIG_SECURITY_LANDLOCK, and no seccomp filter hiding it); "
             "use " _LL_HINT_BEST_EFFORT " to run unsandboxed";
    case EOPNOTSUPP:
      return "Landlock is built into this kernel but disabled at boot: add "
             "\"landlock\" to the lsm= kernel command line, or use "
             _LL_HINT_BEST_EFFORT " to run unsandboxed";
    case EAFNOSUPPORT:
      return "this kernel has no TCP/IP support: drop the network rules";
    case ENOMSG:
      return syscall == LL_SYSCALL_ADD_RULE
        ? "a rule must grant at least one right that the ruleset handles"
        : "a ruleset must handle at least one right or scope";
    case EBADF:
    case EBADFD:
      return syscall == LL_SYSCALL_ADD_RULE
        ? "pass a ruleset descriptor from landlock_create_ruleset(2) and an open path "
          "descriptor"
        : "pass a ruleset descriptor from landlock_create_ruleset(2)";
    case EINVAL:
      return syscall == LL_SYSCALL_ADD_RULE
        ? "a rule may only grant rights its ruleset handles, and only file rights "
          "on something that is not a directory"
        : "an argument holds bits this kernel does not know";
    case E2BIG:
      return syscall == LL_SYSCALL_RESTRICT_SELF
        ? "the process already has 16 stacked Landlock layers: merge rulesets "
          "instead of applying them one after the other"
        : "the kernel is older than the ruleset attributes passed";
    case EPERM:
      return syscall == LL_SYSCALL_RESTRICT_SELF
        ? "restricting needs no_new_privs or CAP_SYS_ADMIN: set no_new_privs first "
          "(PR_SET_NO_NEW_PRIVS, prctl(2)); applying a ruleset does it for you"
        : "the descriptor was not opened for this operation";
    default:
      return NULL;
    }
}

void
_ll_set_error_from_errno (GError     **error,
                          LlSyscall    syscall,
                          int          errnum,
                          const char  *what)
{
  const char *hint = hint_for (syscall, errnum);
  LlError code = _ll_error_code_from_errno (syscall, errnum);

  if (hint != NULL)
    g_set_error (error, LL_ERROR, code, "%s failed: %s (%s)",
                 what, g_strerror (errnum), hint);
  else
    g_set_error (error, LL_ERROR, code, "%s failed: %s",
                 what, g_strerror (errnum));
}
