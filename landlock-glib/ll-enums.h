/* ll-enums.h: the access rights, scopes and flags of Landlock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:ll-enums
 * @Title: Rights, scopes and flags
 * @Short_description: what a Landlock ruleset can restrict
 *
 * The flags of this section carry the kernel's own bit values, so they can
 * be passed to the raw calls of the syscall layer unchanged. Each value
 * exists from a given Landlock ABI version; ll_access_fs_for_abi() and its
 * siblings say which values the running kernel knows.
 */

/**
 * LlAccessFs:
 * @LL_ACCESS_FS_NONE: no filesystem right
 * @LL_ACCESS_FS_EXECUTE: execute a file (ABI 1)
 * @LL_ACCESS_FS_WRITE_FILE: open a file with write access (ABI 1)
 * @LL_ACCESS_FS_READ_FILE: open a file with read access (ABI 1)
 * @LL_ACCESS_FS_READ_DIR: open a directory or list its content (ABI 1)
 * @LL_ACCESS_FS_REMOVE_DIR: remove an empty directory or rename one (ABI 1)
 * @LL_ACCESS_FS_REMOVE_FILE: unlink or rename a file (ABI 1)
 * @LL_ACCESS_FS_MAKE_CHAR: create, rename or link a character device (ABI 1)
 * @LL_ACCESS_FS_MAKE_DIR: create or rename a directory (ABI 1)
 * @LL_ACCESS_FS_MAKE_REG: create, rename or link a regular file (ABI 1)
 * @LL_ACCESS_FS_MAKE_SOCK: create, rename or link a UNIX domain socket (ABI 1)
 * @LL_ACCESS_FS_MAKE_FIFO: create, rename or link a named pipe (ABI 1)
 * @LL_ACCESS_FS_MAKE_BLOCK: create, rename or link a block device (ABI 1)
 * @LL_ACCESS_FS_MAKE_SYM: create, rename or link a symbolic link (ABI 1)
 * @LL_ACCESS_FS_REFER: link or rename a file from or to a different
 *   directory, i.e. reparent it (ABI 2). Always denied on ABI 1.
 * @LL_ACCESS_FS_TRUNCATE: truncate a file with truncate(2), ftruncate(2),
 *   creat(2) or open(2) with `O_TRUNC` (ABI 3)
 * @LL_ACCESS_FS_IOCTL_DEV: ioctl(2) on a character or block device (ABI 5)
 * @LL_ACCESS_FS_RESOLVE_UNIX: connect to, or send to, a UNIX domain socket
 *   bound to a path (ABI 9)
 *
 * Filesystem access rights. The values are the kernel's
 * `LANDLOCK_ACCESS_FS_*` bits. A ruleset *handles* a set of rights (denies
 * them by default) and its rules grant some of them back beneath given
 * paths. Each right exists from the Landlock ABI given in parentheses: see
 * ll_access_fs_for_abi().
 *
 * Only %LL_ACCESS_FS_EXECUTE, %LL_ACCESS_FS_WRITE_FILE,
 * %LL_ACCESS_FS_READ_FILE, %LL_ACCESS_FS_TRUNCATE, %LL_ACCESS_FS_IOCTL_DEV
 * and %LL_ACCESS_FS_RESOLVE_UNIX can be granted on something that is not a
 * directory; #LlRuleset drops the other rights from rules on files.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_ACCESS_FS >*/
{
  LL_ACCESS_FS_NONE         = 0,
  LL_ACCESS_FS_EXECUTE      = 1 << 0,
  LL_ACCESS_FS_WRITE_FILE   = 1 << 1,
  LL_ACCESS_FS_READ_FILE    = 1 << 2,
  LL_ACCESS_FS_READ_DIR     = 1 << 3,
  LL_ACCESS_FS_REMOVE_DIR   = 1 << 4,
  LL_ACCESS_FS_REMOVE_FILE  = 1 << 5,
  LL_ACCESS_FS_MAKE_CHAR    = 1 << 6,
  LL_ACCESS_FS_MAKE_DIR     = 1 << 7,
  LL_ACCESS_FS_MAKE_REG     = 1 << 8,
  LL_ACCESS_FS_MAKE_SOCK    = 1 << 9,
  LL_ACCESS_FS_MAKE_FIFO    = 1 << 10,
  LL_ACCESS_FS_MAKE_BLOCK   = 1 << 11,
  LL_ACCESS_FS_MAKE_SYM     = 1 << 12,
  LL_ACCESS_FS_REFER        = 1 << 13,
  LL_ACCESS_FS_TRUNCATE     = 1 << 14,
  LL_ACCESS_FS_IOCTL_DEV    = 1 << 15,
  LL_ACCESS_FS_RESOLVE_UNIX = 1 << 16,
} LlAccessFs;

/**
 * LlAccessNet:
 * @LL_ACCESS_NET_NONE: no network right
 * @LL_ACCESS_NET_BIND_TCP: bind a TCP socket to a local port (ABI 4)
 * @LL_ACCESS_NET_CONNECT_TCP: connect a TCP socket to a remote port (ABI 4)
 * @LL_ACCESS_NET_BIND_UDP: bind a UDP socket to a local port (ABI 10)
 * @LL_ACCESS_NET_CONNECT_SEND_UDP: connect a UDP socket to, or send a
 *   datagram to, a remote port (ABI 10)
 *
 * Network access rights, the kernel's `LANDLOCK_ACCESS_NET_*` bits. Rules
 * grant them for a port number.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_ACCESS_NET >*/
{
  LL_ACCESS_NET_NONE             = 0,
  LL_ACCESS_NET_BIND_TCP         = 1 << 0,
  LL_ACCESS_NET_CONNECT_TCP      = 1 << 1,
  LL_ACCESS_NET_BIND_UDP         = 1 << 2,
  LL_ACCESS_NET_CONNECT_SEND_UDP = 1 << 3,
} LlAccessNet;

/**
 * LlScope:
 * @LL_SCOPE_NONE: no scope
 * @LL_SCOPE_ABSTRACT_UNIX_SOCKET: deny connecting to, or sending to, an
 *   abstract UNIX socket created outside the sandbox (ABI 6)
 * @LL_SCOPE_SIGNAL: deny sending a signal to a process outside the sandbox
 *   (ABI 6)
 *
 * IPC scopes, the kernel's `LANDLOCK_SCOPE_*` bits. A scoped ruleset cuts
 * the sandboxed process off from the given IPC with processes outside its
 * Landlock domain.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_SCOPE >*/
{
  LL_SCOPE_NONE                 = 0,
  LL_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0,
  LL_SCOPE_SIGNAL               = 1 << 1,
} LlScope;

/**
 * LlRestrictFlags:
 * @LL_RESTRICT_FLAGS_NONE: the kernel's defaults
 * @LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF: do not audit-log denials of the
 *   sandboxed program itself, until it executes another one (ABI 7)
 * @LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON: audit-log denials of programs the
 *   sandboxed program executes (ABI 7)
 * @LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF: do not audit-log denials of nested
 *   sandboxes created later (ABI 7)
 * @LL_RESTRICT_FLAGS_TSYNC: restrict every thread of the process, not only
 *   the calling one (ABI 8)
 * @LL_RESTRICT_FLAGS_NO_NEW_PRIVS: let the kernel set no_new_privs as part
 *   of restricting, on every restricted thread, and only if restricting
 *   succeeds (ABI 11). #LlRuleset uses it on its own where the kernel has
 *   it; it needs a ruleset.
 *
 * Flags of `landlock_restrict_self(2)`, the kernel's
 * `LANDLOCK_RESTRICT_SELF_*` bits. See #LlRuleset:restrict-flags and
 * #LlRuleset:all-threads.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_RESTRICT_FLAGS >*/
{
  LL_RESTRICT_FLAGS_NONE               = 0,
  LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF  = 1 << 0,
  LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON    = 1 << 1,
  LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF = 1 << 2,
  LL_RESTRICT_FLAGS_TSYNC              = 1 << 3,
  LL_RESTRICT_FLAGS_NO_NEW_PRIVS       = 1 << 4,
} LlRestrictFlags;

/**
 * LlRuleFlags:
 * @LL_RULE_FLAGS_NONE: an ordinary rule
 * @LL_RULE_FLAGS_QUIET: the rule's object is quiet: denied accesses listed
 *   in the ruleset's quiet masks are not audit-logged for it (ABI 10; see
 *   ll_ruleset_set_quiet_access())
 *
 * Flags of `landlock_add_rule(2)`, the kernel's `LANDLOCK_ADD_RULE_*` bits.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_RULE_FLAGS >*/
{
  LL_RULE_FLAGS_NONE  = 0,
  LL_RULE_FLAGS_QUIET = 1 << 0,
} LlRuleFlags;

/**
 * LlStatus:
 * @LL_STATUS_NOT_ENFORCED: nothing is enforced: the kernel has no usable
 *   Landlock and the ruleset is in best-effort mode
 * @LL_STATUS_PARTIALLY_ENFORCED: a sandbox is in place, but it protects
 *   less than was asked for: a right, scope or flag the kernel lacks was
 *   dropped (best-effort), or other threads of the process are not
 *   restricted. ll_ruleset_get_status_reason() says which.
 * @LL_STATUS_FULLY_ENFORCED: every restriction that was asked for is
 *   enforced, on every thread of the process
 *
 * What ll_ruleset_apply() achieved. The status measures protection: a rule
 * skipped because its path does not exist grants less, never more, and
 * leaves the status as it is (#LlRuleset:skipped-paths lists them).
 *
 * A ruleset that keeps its default handled sets asks for everything the
 * running kernel can restrict, so on an older kernel
 * %LL_STATUS_FULLY_ENFORCED covers less: below ABI 4 the network is not
 * restricted at all, below ABI 6 neither are signals and abstract UNIX
 * sockets. #LlRuleset:unrestricted-access-fs,
 * #LlRuleset:unrestricted-access-net and #LlRuleset:unrestricted-scopes
 * say what the sandbox leaves open; check them before telling users that
 * something is denied.
 *
 * Since: 1.0
 */
typedef enum /*< prefix=LL_STATUS >*/
{
  LL_STATUS_NOT_ENFORCED,
  LL_STATUS_PARTIALLY_ENFORCED,
  LL_STATUS_FULLY_ENFORCED,
} LlStatus;

G_END_DECLS
