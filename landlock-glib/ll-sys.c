/* ll-sys.c: the Landlock system calls, with GError reporting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The three Landlock system calls and openat2(), twice: raw (_ll_sys_*,
 * returning -errno, async-signal-safe, for the library itself and a
 * forked child) and public (ll_sys_*, with a GError whose code and message
 * say what the errno means for that call). It decides nothing: which
 * rights to ask for and whether a kernel can take them is ll-abi.c's and
 * ll-ruleset-apply.c's.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ll-error-private.h"
#include "ll-sys-private.h"
#include "ll-sys.h"

/**
 * SECTION:ll-sys
 * @Title: System calls
 * @Short_description: the raw Landlock system calls
 *
 * These functions are thin wrappers over the three Landlock system calls,
 * for programs that want to drive the kernel interface themselves (the
 * low-level API of py-landlock). They check nothing the kernel checks,
 * except that port numbers fit in 16 bits, and translate the kernel's
 * errno into an #LlError with a message.
 *
 * Most programs want #LlRuleset instead, which probes the ABI, opens and
 * closes paths, masks rights and reports an honest #LlStatus.
 *
 * |[<!-- language="C" -->
 * g_autoptr(GError) error = NULL;
 * int ruleset_fd, dir_fd;
 *
 * ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
 * dir_fd = open ("/usr", O_PATH | O_CLOEXEC);
 * if (ruleset_fd < 0 ||
 *     !ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error) ||
 *     !ll_sys_set_no_new_privs (&error) ||
 *     !ll_sys_restrict_self (ruleset_fd, 0, &error))
 *   g_printerr ("%s\n", error->message);
 * ]|
 */

static int
negative_errno (long result)
{
  return result < 0 ? -errno : (int) result;
}

int
_ll_sys_query (uint32_t flags)
{
  return negative_errno (syscall (__NR_landlock_create_ruleset, NULL, (size_t) 0, flags));
}

size_t
_ll_sys_ruleset_attr_size (const struct ll_uapi_ruleset_attr *attr)
{
  /* A kernel rejects non-zero bytes past the struct it knows with E2BIG,
   * and accepts zeros there: the smallest size covering every non-zero
   * field therefore works on every kernel that knows those fields. */
  if (attr->quiet_access_fs != 0 || attr->quiet_access_net != 0 || attr->quiet_scoped != 0)
    return LL_UAPI_RULESET_ATTR_SIZE_V10;
  if (attr->scoped != 0)
    return LL_UAPI_RULESET_ATTR_SIZE_V6;
  if (attr->handled_access_net != 0)
    return LL_UAPI_RULESET_ATTR_SIZE_V4;
  return LL_UAPI_RULESET_ATTR_SIZE_V1;
}

int
_ll_sys_create_ruleset (const struct ll_uapi_ruleset_attr *attr)
{
  return negative_errno (syscall (__NR_landlock_create_ruleset, attr,
                                  _ll_sys_ruleset_attr_size (attr), (uint32_t) 0));
}

static int
add_rule (int            ruleset_fd,
          int            rule_type,
          gconstpointer  rule_attr,
          uint32_t       flags)
{
  return negative_errno (syscall (__NR_landlock_add_rule, ruleset_fd, rule_type, rule_attr, flags));
}

int
_ll_sys_add_path_beneath (int      ruleset_fd,
                          int      parent_fd,
                          uint64_t allowed_access,
                          uint32_t flags)
{
  return add_rule (ruleset_fd, LL_UAPI_RULE_PATH_BENEATH,
                   &(struct ll_uapi_path_beneath_attr) { .allowed_access = allowed_access,
                                                         .parent_fd = parent_fd },
                   flags);
}

int
_ll_sys_add_net_port (int      ruleset_fd,
                      uint64_t port,
                      uint64_t allowed_access,
                      uint32_t flags)
{
  return add_rule (ruleset_fd, LL_UAPI_RULE_NET_PORT,
                   &(struct ll_uapi_net_port_attr) { .allowed_access = allowed_access,
                                                     .port = port },
                   flags);
}

int
_ll_sys_restrict_self (int      ruleset_fd,
                       uint32_t flags)
{
  return negative_errno (syscall (__NR_landlock_restrict_self, ruleset_fd, flags));
}

int
_ll_sys_set_no_new_privs (void)
{
  return negative_errno (prctl (PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L));
}

int
_ll_sys_open_rule_path (const char *path,
                        int         follow_symlinks)
{
  /* RESOLVE_NO_SYMLINKS refuses symbolic links in every component, and
   * the "magic" links of /proc too: what is opened is what the path
   * says, and nobody can redirect it by planting a link. */
  struct open_how how = {
    .flags = O_PATH | O_CLOEXEC,
    .resolve = RESOLVE_NO_SYMLINKS,
  };

  if (follow_symlinks)
    return negative_errno (open (path, O_PATH | O_CLOEXEC));
  return negative_errno (syscall (SYS_openat2, AT_FDCWD, path, &how, sizeof how));
}

/**
 * ll_sys_create_ruleset:
 * @handled_access_fs: the filesystem rights the ruleset denies by default
 * @handled_access_net: the network rights the ruleset denies by default
 *   (ABI 4)
 * @scoped: the IPC scopes the ruleset restricts (ABI 6)
 * @error: return location for a #GError, or %NULL
 *
 * Calls `landlock_create_ruleset(2)`. The attribute size passed is the
 * smallest that covers the non-zero fields, so an older kernel accepts the
 * call as long as it knows every bit passed.
 *
 * Returns: a new ruleset file descriptor (close-on-exec), to be closed with
 *   close(), or -1 with @error set
 *
 * Since: 1.0
 */
int
ll_sys_create_ruleset (LlAccessFs    handled_access_fs,
                       LlAccessNet   handled_access_net,
                       LlScope       scoped,
                       GError      **error)
{
  return ll_sys_create_ruleset_full (handled_access_fs, handled_access_net, scoped,
                                     0, 0, 0, error);
}

/**
 * ll_sys_create_ruleset_full:
 * @handled_access_fs: the filesystem rights the ruleset denies by default
 * @handled_access_net: the network rights the ruleset denies by default
 *   (ABI 4)
 * @scoped: the IPC scopes the ruleset restricts (ABI 6)
 * @quiet_access_fs: the filesystem denials that quiet rules keep out of
 *   the audit log (ABI 10)
 * @quiet_access_net: the network denials that quiet rules keep out of the
 *   audit log (ABI 10)
 * @quiet_scoped: the scope denials kept out of the audit log (ABI 10)
 * @error: return location for a #GError, or %NULL
 *
 * Like ll_sys_create_ruleset(), with the quiet masks of ABI 10.
 *
 * Returns: a new ruleset file descriptor (close-on-exec), to be closed with
 *   close(), or -1 with @error set
 *
 * Since: 1.0
 */
int
ll_sys_create_ruleset_full (LlAccessFs    handled_access_fs,
                            LlAccessNet   handled_access_net,
                            LlScope       scoped,
                            LlAccessFs    quiet_access_fs,
                            LlAccessNet   quiet_access_net,
                            LlScope       quiet_scoped,
                            GError      **error)
{
  struct ll_uapi_ruleset_attr attr = {
    .handled_access_fs = handled_access_fs,
    .handled_access_net = handled_access_net,
    .scoped = scoped,
    .quiet_access_fs = quiet_access_fs,
    .quiet_access_net = quiet_access_net,
    .quiet_scoped = quiet_scoped,
  };
  int fd;

  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  fd = _ll_sys_create_ruleset (&attr);
  if (fd < 0)
    {
      g_autofree char *what =
        g_strdup_printf ("Creating a Landlock ruleset (filesystem 0x%x, network 0x%x, scopes 0x%x)",
                         handled_access_fs, handled_access_net, scoped);
      _ll_set_error_from_errno (error, LL_SYSCALL_CREATE_RULESET, -fd, what);
      return -1;
    }
  return fd;
}

/**
 * ll_sys_add_path_rule:
 * @ruleset_fd: a ruleset file descriptor
 * @parent_fd: a file descriptor of the file or directory the rule is about,
 *   preferably opened with `O_PATH`
 * @allowed_access: the rights granted beneath @parent_fd
 * @flags: rule flags (%LL_RULE_FLAGS_QUIET needs ABI 10)
 * @error: return location for a #GError, or %NULL
 *
 * Calls `landlock_add_rule(2)` with a path-beneath rule. On something that
 * is not a directory only file rights may be granted (see #LlAccessFs).
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
ll_sys_add_path_rule (int           ruleset_fd,
                      int           parent_fd,
                      LlAccessFs    allowed_access,
                      LlRuleFlags   flags,
                      GError      **error)
{
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = _ll_sys_add_path_beneath (ruleset_fd, parent_fd, allowed_access, flags);
  if (result < 0)
    {
      g_autofree char *what =
        g_strdup_printf ("Adding a Landlock rule granting 0x%x beneath fd %d to the ruleset fd %d",
                         allowed_access, parent_fd, ruleset_fd);
      _ll_set_error_from_errno (error, LL_SYSCALL_ADD_RULE, -result, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * ll_sys_add_net_rule:
 * @ruleset_fd: a ruleset file descriptor
 * @port: a port number, 0 to 65535, in host byte order
 * @allowed_access: the network rights granted for @port
 * @flags: rule flags (%LL_RULE_FLAGS_QUIET needs ABI 10)
 * @error: return location for a #GError, or %NULL
 *
 * Calls `landlock_add_rule(2)` with a network port rule (ABI 4). A port
 * outside 0 to 65535 is %LL_ERROR_INVALID; the parameter is wider than 16
 * bits so that bindings can pass such values and get that error.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
ll_sys_add_net_rule (int           ruleset_fd,
                     gint64        port,
                     LlAccessNet   allowed_access,
                     LlRuleFlags   flags,
                     GError      **error)
{
  g_autofree char *what = NULL;
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (port < 0 || port > G_MAXUINT16)
    {
      g_set_error (error, LL_ERROR, LL_ERROR_INVALID,
                   "Adding a Landlock rule for port %" G_GINT64_FORMAT " failed: "
                   "a port number is between 0 and 65535", port);
      return FALSE;
    }

  result = _ll_sys_add_net_port (ruleset_fd, (uint64_t) port, allowed_access, flags);
  if (result >= 0)
    return TRUE;

  what = g_strdup_printf ("Adding a Landlock rule granting 0x%x on port %" G_GINT64_FORMAT
                          " to the ruleset fd %d", allowed_access, port, ruleset_fd);
  _ll_set_error_from_errno (error, LL_SYSCALL_ADD_RULE, -result, what);
  return FALSE;
}

/**
 * ll_sys_restrict_self:
 * @ruleset_fd: a ruleset file descriptor, or -1 with
 *   %LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF alone (ABI 7)
 * @flags: restrict flags
 * @error: return location for a #GError, or %NULL
 *
 * Calls `landlock_restrict_self(2)`: from now on the calling thread (every
 * thread with %LL_RESTRICT_FLAGS_TSYNC) and the processes it creates are
 * restricted by the ruleset. The process needs no_new_privs
 * (ll_sys_set_no_new_privs()) or `CAP_SYS_ADMIN`. This cannot be undone.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
ll_sys_restrict_self (int               ruleset_fd,
                      LlRestrictFlags   flags,
                      GError          **error)
{
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = _ll_sys_restrict_self (ruleset_fd, flags);
  if (result < 0)
    {
      _ll_set_error_from_errno (error, LL_SYSCALL_RESTRICT_SELF, -result,
                                "Restricting the process with Landlock");
      return FALSE;
    }
  return TRUE;
}

/**
 * ll_sys_set_no_new_privs:
 * @error: return location for a #GError, or %NULL
 *
 * Sets the no_new_privs attribute of the calling thread (it is inherited
 * by children and cannot be unset): executing a set-user-ID program no
 * longer grants privileges, which is what lets an unprivileged process
 * restrict itself.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
ll_sys_set_no_new_privs (GError **error)
{
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = _ll_sys_set_no_new_privs ();
  if (result < 0)
    {
      _ll_set_error_from_errno (error, LL_SYSCALL_NO_NEW_PRIVS, -result,
                                "Setting no_new_privs");
      return FALSE;
    }
  return TRUE;
}
