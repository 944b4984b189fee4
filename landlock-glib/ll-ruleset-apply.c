/* ll-ruleset-apply.c: from an LlRuleset to a kernel ruleset, and restricting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The security-critical half of LlRuleset (the GObject half is
 * ll-ruleset.c; struct _LlRuleset is in ll-ruleset-private.h). Applying is
 * done in two steps, so that a forked child can do the second with
 * async-signal-safe calls only:
 *
 *  1. _ll_ruleset_prepare(): every check and every allocation. The ABI is
 *     probed, what the ruleset asks for is compared with it (strict: fail;
 *     best-effort: drop and say so), the kernel ruleset is created, every
 *     rule's path is opened and added, the threads are accounted for, and
 *     the status is decided. Nothing about the process changes.
 *  2. no_new_privs and landlock_restrict_self(): in ll_ruleset_apply() for
 *     this process, in ll-subprocess.c's child setup for a child.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ll-abi-private.h"
#include "ll-enum-types.h"
#include "ll-error-private.h"
#include "ll-quote-private.h"
#include "ll-ruleset-private.h"
#include "ll-sys-private.h"

/* The ABI whose ruleset attr has the quiet_* fields: that of the QUIET rule
 * flag, which came with them. */
static int
quiet_masks_abi (void)
{
  return _ll_abi_introducing (LL_TYPE_RULE_FLAGS, LL_RULE_FLAGS_QUIET);
}

void
_ll_prepared_clear (LlPrepared *prepared)
{
  if (prepared->ruleset_fd >= 0)
    close (prepared->ruleset_fd);
  prepared->ruleset_fd = -1;
  if (prepared->reason != NULL)
    g_string_free (prepared->reason, TRUE);
  prepared->reason = NULL;
  g_clear_pointer (&prepared->skipped_paths, g_ptr_array_unref);
}

static void
add_reason (LlPrepared *prepared,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (LlPrepared *prepared,
            const char *format,
            ...)
{
  va_list args;

  if (prepared->reason->len > 0)
    g_string_append (prepared->reason, "; ");
  va_start (args, format);
  g_string_append_vprintf (prepared->reason, format, args);
  va_end (args);
  prepared->status = MIN (prepared->status, LL_STATUS_PARTIALLY_ENFORCED);
}

/* What this ruleset asks for beyond the default "everything the kernel
 * knows": the kernel must know all of it, or strict mode fails. */
typedef struct
{
  guint64 fs;
  guint64 net;
  guint64 scoped;
  guint64 restrict_flags;
  guint64 rule_flags;
  gboolean quiet_masks;       /* a feature of its own: ABI 10 */
} Requests;

static void
collect_requests (LlRuleset *self,
                  Requests  *requests)
{
  memset (requests, 0, sizeof *requests);

  if (self->handled_explicit)
    {
      requests->fs = self->handled_fs;
      requests->net = self->handled_net;
      requests->scoped = self->scoped;
    }
  requests->fs |= self->quiet_fs;
  requests->net |= self->quiet_net;
  requests->scoped |= self->quiet_scoped;
  requests->quiet_masks = (self->quiet_fs | self->quiet_net | self->quiet_scoped) != 0;
  requests->restrict_flags = self->restrict_flags;

  /* Rights granted by a rule matter only where they are handled: a rule
   * for a right nobody restricts changes nothing. */
  for (guint i = 0; i < self->path_rules->len; i++)
    {
      const LlRulesetPathRule *rule = &g_array_index (self->path_rules, LlRulesetPathRule, i);

      requests->fs |= rule->access & self->handled_fs;
      requests->rule_flags |= rule->flags;
    }
  for (guint i = 0; i < self->net_rules->len; i++)
    {
      const LlRulesetNetRule *rule = &g_array_index (self->net_rules, LlRulesetNetRule, i);

      requests->net |= rule->access & self->handled_net;
      requests->rule_flags |= rule->flags;
    }
}

/* Describes every request the kernel of ABI @abi lacks into @out; returns
 * whether there was any. */
static gboolean
describe_requests_lacking (const Requests *requests,
                           int             abi,
                           GString        *out)
{
  const struct {
    guint64 asked;
    GType type;
  } kinds[] = {
    { requests->fs, LL_TYPE_ACCESS_FS },
    { requests->net, LL_TYPE_ACCESS_NET },
    { requests->scoped, LL_TYPE_SCOPE },
    { requests->restrict_flags, LL_TYPE_RESTRICT_FLAGS },
    { requests->rule_flags, LL_TYPE_RULE_FLAGS },
  };
  gboolean any = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *lacking = _ll_abi_describe_missing (kinds[i].type, kinds[i].asked, abi);

      if (lacking == NULL)
        continue;
      if (any)
        g_string_append (out, ", ");
      g_string_append (out, lacking);
      any = TRUE;
    }

  /* The quiet masks are fields of the ruleset attr, not bits: a kernel that
   * does not know the fields rejects the whole attr (E2BIG). */
  if (requests->quiet_masks && abi < quiet_masks_abi ())
    {
      if (any)
        g_string_append (out, ", ");
      g_string_append_printf (out, "quiet masks (ABI %d)", quiet_masks_abi ());
      any = TRUE;
    }
  return any;
}

/* Where the kernel puts a rule for a child: in the parent, which cannot
 * name the child. A relative path resolves against this process's working
 * directory, whatever directory the launcher gives the child, and
 * /proc/self, /dev/fd and the like name this process. Either would grant
 * what the caller did not mean, so both are refused, by name here and by
 * what the path leads to in names_this_process(). */
static gboolean
check_path_for_child (const char  *path,
                      GError     **error)
{
  static const char * const own[] = {
    "/proc/self", "/proc/thread-self", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr",
  };
  g_autofree char *display = NULL;
  g_autofree char *canonical = NULL;
  char own_pid[32];

  if (!g_path_is_absolute (path))
    {
      display = _ll_quote (path, -1, LL_QUOTE_MAX_PATH);
      g_set_error (error, LL_ERROR, LL_ERROR_PATH,
                   "Cannot use the relative path \"%s\" in a ruleset for a child process: it "
                   "would be resolved in this process's working directory, not in the child's; "
                   "give an absolute path", display);
      return FALSE;
    }

  canonical = g_canonicalize_filename (path, "/");
  g_snprintf (own_pid, sizeof own_pid, "/proc/%d", (int) getpid ());
  for (gsize i = 0; i <= G_N_ELEMENTS (own); i++)
    {
      const char *prefix = i < G_N_ELEMENTS (own) ? own[i] : own_pid;
      gsize length = strlen (prefix);

      if (strncmp (canonical, prefix, length) == 0 &&
          (canonical[length] == '\0' || canonical[length] == '/'))
        {
          display = _ll_quote (path, -1, LL_QUOTE_MAX_PATH);
          g_set_error (error, LL_ERROR, LL_ERROR_PATH,
                       "Cannot use \"%s\" in a ruleset for a child process: it names this "
                       "process (%d), not the child, so the rule would grant this process's "
                       "files; a child reaches its own through a ruleset it applies itself",
                       display, (int) getpid ());
          return FALSE;
        }
    }
  return TRUE;
}

/* Whether @fd, opened for a child's rule, is this process's own entry in
 * procfs (reached through a link, which the names above cannot see). */
static gboolean
names_this_process (int fd)
{
  char link[64], target[64];
  struct statfs fs;
  ssize_t length;
  int n;

  if (fstatfs (fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
    return FALSE;
  g_snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  length = readlink (link, target, sizeof target - 1);
  if (length < 0)
    return TRUE;      /* procfs, and cannot tell whose: refuse */
  target[length] = '\0';
  n = g_snprintf (link, sizeof link, "/proc/%d", (int) getpid ());
  return strncmp (target, link, n) == 0 && (target[n] == '\0' || target[n] == '/');
}

static gboolean
add_path_rules_to_kernel (LlRuleset  *self,
                          LlPrepared *prepared,
                          guint64     handled_fs,
                          guint32     rule_flags_mask,
                          gboolean    for_child,
                          GError    **error)
{
  for (guint i = 0; i < self->path_rules->len; i++)
    {
      const LlRulesetPathRule *rule = &g_array_index (self->path_rules, LlRulesetPathRule, i);
      guint64 access = rule->access & handled_fs;
      guint32 flags = rule->flags & rule_flags_mask;
      struct stat st;
      int fd, result;

      if (access == 0 && (flags & LL_RULE_FLAGS_QUIET) == 0)
        continue;
      if (for_child && !check_path_for_child (rule->path, error))
        return FALSE;

      fd = _ll_sys_open_rule_path (rule->path, self->follow_symlinks);
      if (fd < 0)
        {
          int errsv = -fd;
          /* Messages reach bindings as UTF-8 strings; a path need not be. */
          g_autofree char *display = _ll_quote (rule->path, -1, LL_QUOTE_MAX_PATH);

          /* Skipping grants less than asked, never more: it is no reason
           * for a lower status, but it is reported (skipped-paths). */
          if (errsv == ENOENT && self->ignore_missing)
            {
              g_ptr_array_add (prepared->skipped_paths, g_strdup (rule->path));
              continue;
            }
          g_set_error (error, LL_ERROR, LL_ERROR_PATH,
                       "Cannot open \"%s\" for a Landlock rule: %s (%s)",
                       display, g_strerror (errsv),
                       errsv == ENOENT
                         ? "check the path, or set the ruleset's ignore-missing property to true to skip "
                           "paths that do not exist"
                         : errsv == ELOOP && !self->follow_symlinks
                         ? "a component of the path is a symbolic link, which a ruleset refuses when its "
                           "follow-symlinks property is false: give the path the link leads to, "
                           "if you trust it"
                         : errsv == ENOSYS && !self->follow_symlinks
                         ? "refusing symbolic links needs openat2(2), Linux 5.6 or later"
                         : "the rule's path must be reachable by this process");
          return FALSE;
        }

      if (for_child && names_this_process (fd))
        {
          g_autofree char *display = _ll_quote (rule->path, -1, LL_QUOTE_MAX_PATH);

          close (fd);
          g_set_error (error, LL_ERROR, LL_ERROR_PATH,
                       "Cannot use \"%s\" in a ruleset for a child process: it leads to this "
                       "process's own /proc/%d, not the child's", display, (int) getpid ());
          return FALSE;
        }

      /* Rights that only make sense on directories are EINVAL on anything
       * else: keep what a file rule can grant. Rules are mostly about
       * directories, so ask the kernel first and fstat() only when it
       * refuses (it adds nothing on EINVAL): one system call less per
       * rule, with the same outcome as checking first. */
      result = _ll_sys_add_path_beneath (prepared->ruleset_fd, fd, access, flags);
      if (result == -EINVAL && (access & ~_LL_ACCESS_FS_ON_FILES) != 0 &&
          fstat (fd, &st) == 0 && !S_ISDIR (st.st_mode))
        {
          access &= _LL_ACCESS_FS_ON_FILES;
          result = 0;
          if (access != 0 || (flags & LL_RULE_FLAGS_QUIET) != 0)
            result = _ll_sys_add_path_beneath (prepared->ruleset_fd, fd, access, flags);
        }
      close (fd);

      if (result < 0)
        {
          g_autofree char *display = _ll_quote (rule->path, -1, LL_QUOTE_MAX_PATH);
          g_autofree char *what = g_strdup_printf ("Adding the Landlock rule for \"%s\"", display);
          _ll_set_error_from_errno (error, LL_SYSCALL_ADD_RULE, -result, what);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_net_rules_to_kernel (LlRuleset  *self,
                         LlPrepared *prepared,
                         guint64     handled_net,
                         guint32     rule_flags_mask,
                         GError    **error)
{
  for (guint i = 0; i < self->net_rules->len; i++)
    {
      const LlRulesetNetRule *rule = &g_array_index (self->net_rules, LlRulesetNetRule, i);
      guint64 access = rule->access & handled_net;
      guint32 flags = rule->flags & rule_flags_mask;
      int result;

      if (access == 0 && (flags & LL_RULE_FLAGS_QUIET) == 0)
        continue;

      result = _ll_sys_add_net_port (prepared->ruleset_fd, rule->port, access, flags);
      if (result < 0)
        {
          g_autofree char *what = g_strdup_printf ("Adding the Landlock rule for port %u", rule->port);
          _ll_set_error_from_errno (error, LL_SYSCALL_ADD_RULE, -result, what);
          return FALSE;
        }
    }
  return TRUE;
}

/* Threads that restricted themselves alone (without TSYNC) while other
 * threads existed: from then on their sandbox differs from their
 * siblings'. TSYNC gives every thread the credentials of the calling one,
 * whatever domain a sibling had, so applying with it from another thread
 * would replace such a sandbox with the caller's, widening it. Kept for
 * the life of the process: threads that such a thread started share its
 * sandbox and cannot be told apart. */
G_LOCK_DEFINE_STATIC (thread_only);
static GArray *thread_only_tids;  /* pid_t */

static void
remember_thread_only_apply (void)
{
  pid_t tid = gettid ();

  gboolean known = FALSE;

  G_LOCK (thread_only);
  if (thread_only_tids == NULL)
    thread_only_tids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  for (guint i = 0; i < thread_only_tids->len && !known; i++)
    known = g_array_index (thread_only_tids, pid_t, i) == tid;
  if (!known)
    g_array_append_val (thread_only_tids, tid);
  G_UNLOCK (thread_only);
}

/* A thread other than the calling one that restricted itself alone, or 0.
 * Such a thread's sandbox can only be tightened by itself: the calling
 * thread's own domain, or its descendants', is never widened by TSYNC. */
static pid_t
other_thread_only_apply (void)
{
  pid_t tid = gettid ();
  pid_t other = 0;

  G_LOCK (thread_only);
  for (guint i = 0; thread_only_tids != NULL && i < thread_only_tids->len; i++)
    if (g_array_index (thread_only_tids, pid_t, i) != tid)
      {
        other = g_array_index (thread_only_tids, pid_t, i);
        break;
      }
  G_UNLOCK (thread_only);
  return other;
}

/* Decides who is left unrestricted: without TSYNC, every other thread that
 * exists now keeps its freedom, and the status must say so.
 * @tsync_withheld_for: a thread whose own sandbox TSYNC would have widened
 * (0: none). */
static void
account_for_threads (LlRuleset *self,
                     LlPrepared *prepared,
                     int        abi,
                     pid_t      tsync_withheld_for)
{
  gboolean tsync = (prepared->restrict_flags & LL_RESTRICT_FLAGS_TSYNC) != 0;
  guint n_threads;

  if (tsync)
    return;

  n_threads = ll_get_thread_count ();
  if (n_threads == 0)
    {
      add_reason (prepared,
                  "the threads of the process cannot be counted (is procfs mounted on /proc?), "
                  "so other threads may be unrestricted");
      return;
    }
  if (n_threads == 1)
    return;

  prepared->unrestricted_threads = n_threads - 1;
  if (tsync_withheld_for != 0)
    add_reason (prepared,
                "%u other thread%s of the process %s not restricted by this ruleset: restricting "
                "every thread would have replaced the sandbox that thread %d gave itself alone "
                "with this one, widening it, so only the calling thread was restricted",
                n_threads - 1, n_threads == 2 ? "" : "s", n_threads == 2 ? "is" : "are",
                (int) tsync_withheld_for);
  else if (!self->all_threads)
    add_reason (prepared,
                "%u other thread%s of the process %s not restricted, since the ruleset's "
                "all-threads property is false: only the calling thread and what it starts "
                "from now on are",
                n_threads - 1, n_threads == 2 ? "" : "s", n_threads == 2 ? "is" : "are");
  else
    add_reason (prepared,
                "%u other thread%s of the process %s not restricted: below Landlock ABI 8 "
                "(this kernel has ABI %d) the kernel restricts only the calling thread; "
                "apply the ruleset before any thread starts, or sandbox a child process",
                n_threads - 1, n_threads == 2 ? "" : "s", n_threads == 2 ? "is" : "are", abi);
}

gboolean
_ll_ruleset_prepare (LlRuleset  *self,
                     LlPrepared *prepared,
                     gboolean    for_child,
                     GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  struct ll_uapi_ruleset_attr attr = { 0 };
  Requests requests;
  guint32 rule_flags_mask;
  pid_t tsync_withheld_for = 0;
  int abi;

  prepared->ruleset_fd = -1;
  prepared->status = LL_STATUS_FULLY_ENFORCED;
  prepared->reason = g_string_new (NULL);
  prepared->skipped_paths = g_ptr_array_new_with_free_func (g_free);

  if (!ll_ruleset_check (self, error))
    return FALSE;

  if (self->handled_explicit && self->handled_fs == 0 && self->handled_net == 0 && self->scoped == 0)
    {
      g_set_error_literal (error, LL_ERROR, LL_ERROR_INVALID,
                           "This ruleset handles no right and no scope, so it would restrict "
                           "nothing: set its handled access to at least one right or scope");
      return FALSE;
    }

  abi = ll_get_abi_version (&local_error);
  if (abi == 0)
    {
      if (self->strict)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      prepared->status = LL_STATUS_NOT_ENFORCED;
      g_string_append (prepared->reason, local_error->message);
      return TRUE;
    }

  collect_requests (self, &requests);
  {
    g_autoptr(GString) missing = g_string_new (NULL);

    if (describe_requests_lacking (&requests, abi, missing))
      {
        if (self->strict)
          {
            g_set_error (error, LL_ERROR, LL_ERROR_INCOMPATIBLE,
                         "This ruleset asks for %s, but the running kernel has Landlock ABI %d: "
                         "run a newer kernel, drop these, or use " _LL_HINT_BEST_EFFORT
                         " to apply the rest",
                         missing->str, abi);
            return FALSE;
          }
        add_reason (prepared, "dropped what this kernel (Landlock ABI %d) lacks: %s",
                    abi, missing->str);
      }
  }

  attr.handled_access_fs = self->handled_fs & ll_access_fs_for_abi (abi);
  attr.handled_access_net = self->handled_net & ll_access_net_for_abi (abi);
  attr.scoped = self->scoped & ll_scope_for_abi (abi);
  /* A quiet mask names denials, so only handled rights can be in it; and
   * only a kernel that knows the quiet fields may see them. */
  if (abi >= quiet_masks_abi ())
    {
      attr.quiet_access_fs = self->quiet_fs & attr.handled_access_fs;
      attr.quiet_access_net = self->quiet_net & attr.handled_access_net;
      attr.quiet_scoped = self->quiet_scoped & attr.scoped;
    }
  rule_flags_mask = ll_rule_flags_for_abi (abi);

  if (attr.handled_access_fs == 0 && attr.handled_access_net == 0 && attr.scoped == 0)
    {
      /* Only reachable in best-effort mode: everything asked for is newer
       * than the kernel, so there is nothing left to enforce. */
      prepared->status = LL_STATUS_NOT_ENFORCED;
      return TRUE;
    }

  prepared->restrict_flags = self->restrict_flags & ll_restrict_flags_for_abi (abi);
  /* From ABI 11 the kernel sets no_new_privs itself, on every thread it
   * restricts and only if restricting succeeds: a failure then changes
   * nothing, and with TSYNC no thread is left without it. */
  prepared->restrict_flags |= LL_RESTRICT_FLAGS_NO_NEW_PRIVS & ll_restrict_flags_for_abi (abi);
  if (self->all_threads && (ll_restrict_flags_for_abi (abi) & LL_RESTRICT_FLAGS_TSYNC) != 0 &&
      !for_child)
    {
      tsync_withheld_for = other_thread_only_apply ();
      if (tsync_withheld_for != 0 && ll_get_thread_count () == 1)
        tsync_withheld_for = 0;   /* no sibling left to widen */
      if (tsync_withheld_for != 0 && self->strict)
        {
          g_set_error (error, LL_ERROR, LL_ERROR_INVALID,
                       "Restricting every thread of the process would replace the sandbox that "
                       "thread %d gave itself alone (its all-threads property false) with this one, "
                       "widening it: the kernel gives every thread the calling thread's sandbox. "
                       "Apply this ruleset from that thread, set its all-threads property to "
                       "false to restrict only the calling thread, or sandbox a child process",
                       (int) tsync_withheld_for);
          return FALSE;
        }
      if (tsync_withheld_for == 0)
        prepared->restrict_flags |= LL_RESTRICT_FLAGS_TSYNC;
    }

  prepared->ruleset_fd = _ll_sys_create_ruleset (&attr);
  if (prepared->ruleset_fd < 0)
    {
      int errsv = -prepared->ruleset_fd;

      prepared->ruleset_fd = -1;
      _ll_set_error_from_errno (error, LL_SYSCALL_CREATE_RULESET, errsv,
                                "Creating the Landlock ruleset");
      return FALSE;
    }

  if (!add_path_rules_to_kernel (self, prepared, attr.handled_access_fs, rule_flags_mask,
                                 for_child, error) ||
      !add_net_rules_to_kernel (self, prepared, attr.handled_access_net, rule_flags_mask, error))
    return FALSE;

  if (!for_child)
    account_for_threads (self, prepared, abi, tsync_withheld_for);
  return TRUE;
}

/**
 * ll_ruleset_apply: (skip)
 * @self: an #LlRuleset
 * @out_status: (out) (optional): return location for what was enforced
 * @error: return location for a #GError, or %NULL
 *
 * Restricts the calling process with the ruleset, irrevocably: from now
 * on it (and every process it starts) can only do what the rules grant,
 * for everything the ruleset handles.
 *
 * Everything that can fail is done before the process is touched: the
 * ruleset is checked against the running kernel, each rule's path is
 * opened (`O_PATH`), rights that only apply to directories are dropped from
 * rules on files, and the rules are given to the kernel. Only then is
 * no_new_privs set and the process restricted; from ABI 11 the kernel sets
 * no_new_privs itself as part of restricting
 * (%LL_RESTRICT_FLAGS_NO_NEW_PRIVS), so that a failure changes nothing.
 * Every file descriptor opened on the way is closed, on success and on
 * failure.
 *
 * With #LlRuleset:all-threads on a kernel with ABI 8, every thread of the
 * process is restricted, and the kernel gives each the calling thread's
 * sandbox. That would widen the sandbox of a thread that restricted itself
 * alone before (all-threads %FALSE, while other threads existed): a strict
 * ruleset then fails with %LL_ERROR_INVALID, and a best-effort one
 * restricts only the calling thread and says so in the status. Only
 * restrictions made through #LlRuleset are known; raw
 * ll_sys_restrict_self() calls are not.
 *
 * A ruleset applies once; applying it again is %LL_ERROR_INVALID.
 *
 * Bindings see ll_ruleset_restrict_self() under this name: in Python, GJS
 * and Vala the status is the return value and a failure raises
 * (`status = ruleset.apply()`).
 *
 * Returns: %TRUE if the process is now restricted as
 *   @out_status says (or, best-effort without Landlock, not at all),
 *   %FALSE with @error set if nothing was changed (or, for
 *   %LL_ERROR_RESTRICT and %LL_ERROR_LAYER_LIMIT below ABI 11, only
 *   no_new_privs)
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_apply (LlRuleset  *self,
                  LlStatus   *out_status,
                  GError    **error)
{
  g_auto(LlPrepared) prepared = LL_PREPARED_INIT;
  int result;

  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_status != NULL)
    *out_status = LL_STATUS_NOT_ENFORCED;

  if (!_ll_ruleset_prepare (self, &prepared, FALSE, error))
    return FALSE;

  if (prepared.ruleset_fd >= 0)
    {
      if ((prepared.restrict_flags & LL_RESTRICT_FLAGS_NO_NEW_PRIVS) == 0)
        {
          result = _ll_sys_set_no_new_privs ();
          if (result < 0)
            {
              _ll_set_error_from_errno (error, LL_SYSCALL_NO_NEW_PRIVS, -result,
                                        "Setting no_new_privs before restricting the process");
              return FALSE;
            }
        }
      result = _ll_sys_restrict_self (prepared.ruleset_fd, prepared.restrict_flags);
      if (result < 0)
        {
          _ll_set_error_from_errno (error, LL_SYSCALL_RESTRICT_SELF, -result,
                                    "Restricting the process with Landlock");
          return FALSE;
        }
      if ((prepared.restrict_flags & LL_RESTRICT_FLAGS_TSYNC) == 0 && ll_get_thread_count () != 1)
        remember_thread_only_apply ();
    }

  _ll_ruleset_set_status (self, &prepared, TRUE);
  if (out_status != NULL)
    *out_status = self->status;
  return TRUE;
}

/**
 * ll_ruleset_restrict_self: (rename-to ll_ruleset_apply)
 * @self: an #LlRuleset
 * @error: return location for a #GError, or %NULL
 *
 * Does what ll_ruleset_apply() does, returning the status instead of a
 * boolean. Bindings know this function as `apply()`, so that
 * `status = ruleset.apply()` works in Python, GJS and Vala alike. In C,
 * check @error: %LL_STATUS_NOT_ENFORCED is also what a best-effort
 * ruleset achieves on a kernel without Landlock.
 *
 * Returns: what was enforced; %LL_STATUS_NOT_ENFORCED with @error set on
 *   failure
 *
 * Since: 1.0
 */
LlStatus
ll_ruleset_restrict_self (LlRuleset  *self,
                          GError    **error)
{
  LlStatus status = LL_STATUS_NOT_ENFORCED;

  ll_ruleset_apply (self, &status, error);
  return status;
}
