/* ll-ruleset.c: a Landlock ruleset as a GObject
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The GObject half of LlRuleset: the type, its properties and their
 * accessors, the problem found while building (ll_ruleset_check()), and
 * the status a ruleset publishes once applied. The builder methods are in
 * ll-ruleset-rules.c, the engine that applies in ll-ruleset-apply.c, and
 * struct _LlRuleset in ll-ruleset-private.h. Nothing here talks to the
 * kernel.
 */

#include <stdarg.h>

#include "ll-abi-private.h"
#include "ll-enum-types.h"
#include "ll-error-private.h"
#include "ll-ruleset-private.h"

/**
 * SECTION:ll-ruleset
 * @Title: LlRuleset
 * @Short_description: build a sandbox and restrict the process with it
 *
 * An #LlRuleset describes a Landlock sandbox. A new ruleset denies
 * everything the running kernel can restrict: every filesystem right,
 * every network right and every IPC scope. Its rules grant exceptions, and
 * ll_ruleset_apply() restricts the calling process with it, irrevocably.
 * To sandbox a helper process instead, and leave the caller as it is,
 * give the ruleset to ll_ruleset_spawnv() or
 * ll_ruleset_apply_to_launcher(): see [Sandboxing a helper
 * process][child-processes], with examples in every language.
 *
 * |[<!-- language="C" -->
 * g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
 * g_autoptr(GError) error = NULL;
 * LlStatus status;
 *
 * ll_ruleset_allow_read (ruleset, (const char *[]) { "/usr", "/etc", NULL });
 * ll_ruleset_allow_execute (ruleset, (const char *[]) { "/usr/bin", NULL });
 * ll_ruleset_allow_read_write (ruleset, (const char *[]) { cache_dir, NULL });
 * if (!ll_ruleset_apply (ruleset, &status, &error))
 *   g_error ("Cannot sandbox: %s", error->message);
 * ]|
 *
 * The builder methods return the ruleset, so calls chain in every
 * language:
 *
 * |[<!-- language="Python" -->
 * from gi.repository import Landlock
 * status = Landlock.Ruleset().allow_read(["/usr"]).allow_execute(["/usr/bin"]).apply()
 * ]|
 *
 * A problem found while adding a rule (an empty path, a port out of
 * range, unknown bits) is kept and reported by ll_ruleset_apply(), or
 * earlier by ll_ruleset_check(): nothing is silently dropped. Paths are
 * opened by ll_ruleset_apply(), so a path that does not exist is reported
 * there as %LL_ERROR_PATH, unless #LlRuleset:ignore-missing is set.
 *
 * # Strict and best-effort
 *
 * A ruleset is strict by default (#LlRuleset:strict): asking for a right,
 * scope or flag that the running kernel lacks is %LL_ERROR_INCOMPATIBLE,
 * and a kernel without Landlock is %LL_ERROR_NOT_AVAILABLE or
 * %LL_ERROR_DISABLED. A best-effort ruleset drops what the kernel lacks,
 * applies the rest, and reports %LL_STATUS_PARTIALLY_ENFORCED; without
 * Landlock it reports %LL_STATUS_NOT_ENFORCED instead of failing.
 *
 * The filesystem convenience methods (ll_ruleset_allow_read() and
 * friends) grant a group of rights as the running kernel knows them, so
 * they never make a strict ruleset incompatible. Everything else is a
 * request that the kernel must support in strict mode: rights named
 * explicitly with ll_ruleset_add_path_rule(), network rules (TCP needs
 * ABI 4, UDP ABI 10), handled sets and quiet masks set explicitly, and
 * restrict and rule flags.
 *
 * # Threads
 *
 * Before ABI 8 the kernel restricts only the calling thread and the
 * threads and processes it creates afterwards. From ABI 8, with
 * #LlRuleset:all-threads (the default), every thread of the process is
 * restricted at once. When other threads exist and cannot be covered,
 * ll_ruleset_apply() still restricts the calling thread but reports
 * %LL_STATUS_PARTIALLY_ENFORCED, with the number of threads left
 * unrestricted in #LlRuleset:unrestricted-threads and an explanation in
 * #LlRuleset:status-reason. To get full coverage on such kernels, apply
 * the ruleset before any thread starts (GLib starts some for GDBus and
 * GIO), or [sandbox a child process][child-processes] instead.
 *
 * An #LlRuleset is not thread-safe: build and apply it from one thread,
 * or guard it with a lock of your own.
 */

/**
 * LlRuleset:
 *
 * A Landlock ruleset: what the sandbox handles and the rules that grant
 * exceptions. An opaque, final object; use the functions below.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (LlRuleset, ll_ruleset, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STRICT,
  PROP_IGNORE_MISSING,
  PROP_FOLLOW_SYMLINKS,
  PROP_ALL_THREADS,
  PROP_RESTRICT_FLAGS,
  PROP_ABI,
  PROP_HANDLED_ACCESS_FS,
  PROP_HANDLED_ACCESS_NET,
  PROP_SCOPED,
  PROP_APPLIED,
  PROP_STATUS,
  PROP_STATUS_REASON,
  PROP_UNRESTRICTED_THREADS,
  PROP_UNRESTRICTED_ACCESS_FS,
  PROP_UNRESTRICTED_ACCESS_NET,
  PROP_UNRESTRICTED_SCOPES,
  PROP_SKIPPED_PATHS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];



/* Keeps the first problem for check()/apply() and counts the others, so
 * that the user sees the root cause first and knows there is more. */
void
_ll_ruleset_add_problem (LlRuleset  *self,
                         LlError     code,
                         const char *format,
                         ...)
{
  va_list args;

  if (self->problem != NULL)
    {
      self->n_more_problems++;
      return;
    }

  va_start (args, format);
  self->problem = g_error_new_valist (LL_ERROR, code, format, args);
  va_end (args);
}

/* Changing a ruleset once it restricted the process would suggest that the
 * change took effect: it cannot, so it is a problem reported by check(). */
gboolean
_ll_ruleset_check_not_applied (LlRuleset  *self,
                               const char *what)
{
  if (!self->applied)
    return TRUE;

  _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                           "Cannot %s: this ruleset was already applied, and a Landlock "
                           "sandbox cannot change once in place; create a new ruleset "
                           "and apply it to restrict further", what);
  return FALSE;
}

/* A handled set and what the sandbox leaves open change together. */
void
_ll_ruleset_notify_change (LlRuleset       *self,
                           LlRulesetChange  change)
{
  static const guint changed[][2] = {
    [LL_RULESET_CHANGE_FS] = { PROP_HANDLED_ACCESS_FS, PROP_UNRESTRICTED_ACCESS_FS },
    [LL_RULESET_CHANGE_NET] = { PROP_HANDLED_ACCESS_NET, PROP_UNRESTRICTED_ACCESS_NET },
    [LL_RULESET_CHANGE_SCOPES] = { PROP_SCOPED, PROP_UNRESTRICTED_SCOPES },
    [LL_RULESET_CHANGE_RESTRICT_FLAGS] = { PROP_RESTRICT_FLAGS, PROP_0 },
  };

  g_return_if_fail (change < G_N_ELEMENTS (changed));

  for (guint i = 0; i < G_N_ELEMENTS (changed[change]); i++)
    if (changed[change][i] != PROP_0)
      g_object_notify_by_pspec (G_OBJECT (self), properties[changed[change][i]]);
}

static void
ll_ruleset_finalize (GObject *object)
{
  LlRuleset *self = LL_RULESET (object);

  g_clear_pointer (&self->path_rules, g_array_unref);
  g_clear_pointer (&self->net_rules, g_array_unref);
  g_clear_pointer (&self->paths, g_string_chunk_free);
  g_clear_error (&self->problem);
  g_clear_pointer (&self->policy_invalid_ports, g_array_unref);
  g_clear_pointer (&self->policy_unset_variables, g_strfreev);
  g_clear_pointer (&self->status_reason, g_free);
  g_clear_pointer (&self->skipped_paths, g_strfreev);

  G_OBJECT_CLASS (ll_ruleset_parent_class)->finalize (object);
}

static void
ll_ruleset_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LlRuleset *self = LL_RULESET (object);

  switch (prop_id)
    {
    case PROP_STRICT:
      g_value_set_boolean (value, self->strict);
      break;
    case PROP_IGNORE_MISSING:
      g_value_set_boolean (value, self->ignore_missing);
      break;
    case PROP_FOLLOW_SYMLINKS:
      g_value_set_boolean (value, self->follow_symlinks);
      break;
    case PROP_ALL_THREADS:
      g_value_set_boolean (value, self->all_threads);
      break;
    case PROP_RESTRICT_FLAGS:
      g_value_set_flags (value, self->restrict_flags);
      break;
    case PROP_ABI:
      g_value_set_int (value, self->abi);
      break;
    case PROP_HANDLED_ACCESS_FS:
      g_value_set_flags (value, ll_ruleset_get_handled_access_fs (self));
      break;
    case PROP_HANDLED_ACCESS_NET:
      g_value_set_flags (value, ll_ruleset_get_handled_access_net (self));
      break;
    case PROP_SCOPED:
      g_value_set_flags (value, ll_ruleset_get_scoped (self));
      break;
    case PROP_APPLIED:
      g_value_set_boolean (value, self->applied);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_REASON:
      g_value_set_string (value, self->status_reason);
      break;
    case PROP_UNRESTRICTED_THREADS:
      g_value_set_uint (value, self->unrestricted_threads);
      break;
    case PROP_UNRESTRICTED_ACCESS_FS:
      g_value_set_flags (value, ll_ruleset_get_unrestricted_access_fs (self));
      break;
    case PROP_UNRESTRICTED_ACCESS_NET:
      g_value_set_flags (value, ll_ruleset_get_unrestricted_access_net (self));
      break;
    case PROP_UNRESTRICTED_SCOPES:
      g_value_set_flags (value, ll_ruleset_get_unrestricted_scopes (self));
      break;
    case PROP_SKIPPED_PATHS:
      g_value_set_boxed (value, self->skipped_paths);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ll_ruleset_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LlRuleset *self = LL_RULESET (object);

  switch (prop_id)
    {
    case PROP_STRICT:
      ll_ruleset_set_strict (self, g_value_get_boolean (value));
      break;
    case PROP_IGNORE_MISSING:
      ll_ruleset_set_ignore_missing (self, g_value_get_boolean (value));
      break;
    case PROP_FOLLOW_SYMLINKS:
      ll_ruleset_set_follow_symlinks (self, g_value_get_boolean (value));
      break;
    case PROP_ALL_THREADS:
      ll_ruleset_set_all_threads (self, g_value_get_boolean (value));
      break;
    case PROP_RESTRICT_FLAGS:
      ll_ruleset_set_restrict_flags (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ll_ruleset_class_init (LlRulesetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ll_ruleset_finalize;
  object_class->get_property = ll_ruleset_get_property;
  object_class->set_property = ll_ruleset_set_property;

  /**
   * LlRuleset:strict:
   *
   * Whether asking for something the running kernel lacks is an error
   * (%LL_ERROR_INCOMPATIBLE), and a kernel without Landlock too. When
   * %FALSE (best-effort), such requests are dropped, the rest is enforced
   * and #LlRuleset:status tells what was achieved.
   *
   * Since: 1.0
   */
  properties[PROP_STRICT] =
    g_param_spec_boolean ("strict", "Strict",
                          "Whether a right or flag the kernel lacks is an error rather than dropped",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:ignore-missing:
   *
   * Whether a rule's path that does not exist is skipped instead of
   * failing with %LL_ERROR_PATH. A skipped rule grants less than asked,
   * never more, so it leaves #LlRuleset:status as it is; the paths are
   * listed in #LlRuleset:skipped-paths.
   *
   * Since: 1.0
   */
  properties[PROP_IGNORE_MISSING] =
    g_param_spec_boolean ("ignore-missing", "Ignore missing",
                          "Whether a path rule whose path does not exist is skipped",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:follow-symlinks:
   *
   * Whether a rule's path may go through symbolic links. A rule is on what
   * its path leads to when applying: a link in the path grants its target.
   * Where another user can create files (a path beneath `/tmp` that does
   * not exist yet, say), they can plant a link there that points into your
   * home, and the rule then grants your home. Set this to %FALSE to refuse
   * such paths: applying then fails with %LL_ERROR_PATH if any component of
   * a rule's path is a symbolic link (this needs `openat2(2)`, Linux 5.6).
   * Give the paths as they really are (`/usr/lib`, not `/lib`, on systems
   * where `/lib` is a link).
   *
   * Since: 1.0
   */
  properties[PROP_FOLLOW_SYMLINKS] =
    g_param_spec_boolean ("follow-symlinks", "Follow symlinks",
                          "Whether a rule's path may go through symbolic links",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:all-threads:
   *
   * Whether to restrict every thread of the process when the kernel can
   * (ABI 8, %LL_RESTRICT_FLAGS_TSYNC). Below ABI 8 only the calling thread
   * is restricted whatever this says; the status is then
   * %LL_STATUS_PARTIALLY_ENFORCED if other threads exist. Set it to %FALSE
   * to restrict only the calling thread on purpose (a worker thread that
   * sandboxes itself).
   *
   * Since: 1.0
   */
  properties[PROP_ALL_THREADS] =
    g_param_spec_boolean ("all-threads", "All threads",
                          "Whether applying restricts every thread of the process",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:restrict-flags:
   *
   * The flags passed to `landlock_restrict_self(2)`: audit logging choices
   * (ABI 7) and %LL_RESTRICT_FLAGS_TSYNC (ABI 8). Flags set here are
   * requests: a strict ruleset fails on a kernel that lacks one.
   *
   * Since: 1.0
   */
  properties[PROP_RESTRICT_FLAGS] =
    g_param_spec_flags ("restrict-flags", "Restrict flags",
                        "The flags passed when applying",
                        LL_TYPE_RESTRICT_FLAGS,
                        LL_RESTRICT_FLAGS_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:abi:
   *
   * The Landlock ABI version of the running kernel, which the ruleset
   * targets (clamped to %LL_ABI_MAX), or 0 when Landlock is not available.
   *
   * Since: 1.0
   */
  properties[PROP_ABI] =
    g_param_spec_int ("abi", "ABI",
                      "The Landlock ABI version of the running kernel",
                      0, LL_ABI_MAX, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:handled-access-fs:
   *
   * The filesystem rights the ruleset denies unless a rule grants them.
   * By default every right of the running kernel.
   *
   * Since: 1.0
   */
  properties[PROP_HANDLED_ACCESS_FS] =
    g_param_spec_flags ("handled-access-fs", "Handled filesystem access",
                        "The filesystem rights the ruleset restricts",
                        LL_TYPE_ACCESS_FS,
                        LL_ACCESS_FS_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:handled-access-net:
   *
   * The network rights the ruleset denies unless a rule grants them.
   * By default every right of the running kernel.
   *
   * Since: 1.0
   */
  properties[PROP_HANDLED_ACCESS_NET] =
    g_param_spec_flags ("handled-access-net", "Handled network access",
                        "The network rights the ruleset restricts",
                        LL_TYPE_ACCESS_NET,
                        LL_ACCESS_NET_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:scoped:
   *
   * The IPC scopes the ruleset restricts. By default every scope of the
   * running kernel.
   *
   * Since: 1.0
   */
  properties[PROP_SCOPED] =
    g_param_spec_flags ("scoped", "Scoped",
                        "The IPC scopes the ruleset restricts",
                        LL_TYPE_SCOPE,
                        LL_SCOPE_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:applied:
   *
   * Whether ll_ruleset_apply() succeeded with this ruleset.
   *
   * Since: 1.0
   */
  properties[PROP_APPLIED] =
    g_param_spec_boolean ("applied", "Applied",
                          "Whether the ruleset has been applied",
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:status:
   *
   * How far the sandbox is enforced: what ll_ruleset_apply() achieved for
   * the calling process or, after ll_ruleset_spawnv(), ll_ruleset_spawn()
   * or ll_ruleset_apply_to_launcher(), what their children get (the
   * calling process is not restricted then, and #LlRuleset:applied stays
   * %FALSE). %LL_STATUS_NOT_ENFORCED until one of them succeeds.
   *
   * %LL_STATUS_FULLY_ENFORCED means that every restriction asked for
   * holds, on every thread (a child has only one);
   * #LlRuleset:status-reason explains anything less. A rule skipped
   * because its path does not exist grants less, never more, so it does
   * not lower the status (#LlRuleset:skipped-paths lists it). What the
   * running kernel cannot restrict at all, which a default ruleset does
   * not ask for, does not lower it either: see
   * #LlRuleset:unrestricted-access-fs and ll_ruleset_describe_unrestricted().
   *
   * Since: 1.0
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", "Status",
                       "How far the ruleset is enforced",
                       LL_TYPE_STATUS,
                       LL_STATUS_NOT_ENFORCED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:status-reason:
   *
   * Why #LlRuleset:status is not %LL_STATUS_FULLY_ENFORCED, in words for
   * humans: what was dropped, which threads were left unrestricted, or
   * why nothing is enforced. %NULL when the status is
   * %LL_STATUS_FULLY_ENFORCED, and before the ruleset is applied or given
   * to children.
   *
   * Since: 1.0
   */
  properties[PROP_STATUS_REASON] =
    g_param_spec_string ("status-reason", "Status reason",
                         "Why the ruleset is not fully enforced",
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:unrestricted-threads:
   *
   * How many threads of the process were left unrestricted by
   * ll_ruleset_apply(): the other threads that existed at that moment
   * when the kernel could not restrict them (below ABI 8) or
   * #LlRuleset:all-threads was %FALSE.
   *
   * Since: 1.0
   */
  properties[PROP_UNRESTRICTED_THREADS] =
    g_param_spec_uint ("unrestricted-threads", "Unrestricted threads",
                       "How many other threads applying left unrestricted",
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:unrestricted-access-fs:
   *
   * The filesystem rights that the sandbox leaves open: every right
   * landlock-glib knows that the ruleset does not handle on the running
   * kernel, because the kernel lacks it or because it was not asked for.
   * A program that stays unrestricted in some way is told here, even when
   * #LlRuleset:status is %LL_STATUS_FULLY_ENFORCED: a default ruleset asks
   * for what the running kernel can restrict, and an older kernel restricts
   * less (no %LL_ACCESS_FS_TRUNCATE below ABI 3, for instance). Everything
   * when Landlock is not available.
   *
   * Since: 1.0
   */
  properties[PROP_UNRESTRICTED_ACCESS_FS] =
    g_param_spec_flags ("unrestricted-access-fs", "Unrestricted filesystem access",
                        "The filesystem rights the sandbox leaves open",
                        LL_TYPE_ACCESS_FS,
                        LL_ACCESS_FS_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:unrestricted-access-net:
   *
   * The network rights that the sandbox leaves open, as
   * #LlRuleset:unrestricted-access-fs does for files: TCP below ABI 4, UDP
   * below ABI 10, or whatever ll_ruleset_allow_all_network() opened.
   *
   * Since: 1.0
   */
  properties[PROP_UNRESTRICTED_ACCESS_NET] =
    g_param_spec_flags ("unrestricted-access-net", "Unrestricted network access",
                        "The network rights the sandbox leaves open",
                        LL_TYPE_ACCESS_NET,
                        LL_ACCESS_NET_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:unrestricted-scopes:
   *
   * The IPC scopes that the sandbox leaves open, as
   * #LlRuleset:unrestricted-access-fs does for files: every scope below
   * ABI 6, or what ll_ruleset_allow_scope() opened.
   *
   * Since: 1.0
   */
  properties[PROP_UNRESTRICTED_SCOPES] =
    g_param_spec_flags ("unrestricted-scopes", "Unrestricted scopes",
                        "The IPC scopes the sandbox leaves open",
                        LL_TYPE_SCOPE,
                        LL_SCOPE_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LlRuleset:skipped-paths:
   *
   * The paths whose rules were skipped when applying because they do not
   * exist (#LlRuleset:ignore-missing), an empty list if none. A skipped
   * rule grants less than was asked, never more, so it does not lower
   * #LlRuleset:status: the program may fail on what it was not granted,
   * but the sandbox is as tight as asked or tighter.
   *
   * Since: 1.0
   */
  properties[PROP_SKIPPED_PATHS] =
    g_param_spec_boxed ("skipped-paths", "Skipped paths",
                        "The rule paths skipped because they do not exist",
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ll_ruleset_init (LlRuleset *self)
{
  self->abi = ll_get_abi_version (NULL);
  self->strict = TRUE;
  self->follow_symlinks = TRUE;
  self->all_threads = TRUE;
  self->handled_fs = _LL_KNOWN_ACCESS_FS;
  self->handled_net = _LL_KNOWN_ACCESS_NET;
  self->scoped = _LL_KNOWN_SCOPES;
  self->path_rules = g_array_new (FALSE, FALSE, sizeof (LlRulesetPathRule));
  self->paths = g_string_chunk_new (4096);
  self->net_rules = g_array_new (FALSE, FALSE, sizeof (LlRulesetNetRule));
  self->status = LL_STATUS_NOT_ENFORCED;
  self->skipped_paths = g_new0 (char *, 1);
}

/**
 * ll_ruleset_new:
 *
 * Creates a strict ruleset that handles every filesystem right, network
 * right and IPC scope of the running kernel: once applied, the process can
 * do none of these things, except what rules grant. Use
 * `g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL)` (in Python
 * `Landlock.Ruleset(strict=False)`) for a best-effort ruleset.
 *
 * Returns: (transfer full): a new #LlRuleset
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new (void)
{
  return g_object_new (LL_TYPE_RULESET, NULL);
}

/* The setters of the boolean properties differ only in the field and the
 * pspec they touch. */
static void
set_boolean_property (LlRuleset  *self,
                      gboolean   *field,
                      gboolean    value,
                      guint       prop_id,
                      const char *what)
{
  value = !!value;
  if (*field == value || !_ll_ruleset_check_not_applied (self, what))
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * ll_ruleset_get_strict:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:strict.
 *
 * Returns: the value of #LlRuleset:strict
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_get_strict (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);

  return self->strict;
}

/**
 * ll_ruleset_set_strict:
 * @self: an #LlRuleset
 * @strict: %FALSE for best-effort
 *
 * Sets #LlRuleset:strict.
 *
 * Since: 1.0
 */
void
ll_ruleset_set_strict (LlRuleset *self,
                       gboolean   strict)
{
  g_return_if_fail (LL_IS_RULESET (self));

  set_boolean_property (self, &self->strict, strict, PROP_STRICT, "change strict mode");
}

/**
 * ll_ruleset_get_ignore_missing:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:ignore-missing.
 *
 * Returns: the value of #LlRuleset:ignore-missing
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_get_ignore_missing (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);

  return self->ignore_missing;
}

/**
 * ll_ruleset_set_ignore_missing:
 * @self: an #LlRuleset
 * @ignore_missing: whether to skip paths that do not exist
 *
 * Sets #LlRuleset:ignore-missing.
 *
 * Since: 1.0
 */
void
ll_ruleset_set_ignore_missing (LlRuleset *self,
                               gboolean   ignore_missing)
{
  g_return_if_fail (LL_IS_RULESET (self));

  set_boolean_property (self, &self->ignore_missing, ignore_missing,
                        PROP_IGNORE_MISSING, "change ignore-missing");
}

/**
 * ll_ruleset_get_follow_symlinks:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:follow-symlinks.
 *
 * Returns: the value of #LlRuleset:follow-symlinks
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_get_follow_symlinks (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), TRUE);

  return self->follow_symlinks;
}

/**
 * ll_ruleset_set_follow_symlinks:
 * @self: an #LlRuleset
 * @follow_symlinks: %FALSE to refuse rule paths that go through a symbolic
 *   link
 *
 * Sets #LlRuleset:follow-symlinks.
 *
 * Since: 1.0
 */
void
ll_ruleset_set_follow_symlinks (LlRuleset *self,
                                gboolean   follow_symlinks)
{
  g_return_if_fail (LL_IS_RULESET (self));

  set_boolean_property (self, &self->follow_symlinks, follow_symlinks,
                        PROP_FOLLOW_SYMLINKS, "change follow-symlinks");
}

/**
 * ll_ruleset_get_all_threads:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:all-threads.
 *
 * Returns: the value of #LlRuleset:all-threads
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_get_all_threads (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);

  return self->all_threads;
}

/**
 * ll_ruleset_set_all_threads:
 * @self: an #LlRuleset
 * @all_threads: whether to restrict every thread when the kernel can
 *
 * Sets #LlRuleset:all-threads.
 *
 * Since: 1.0
 */
void
ll_ruleset_set_all_threads (LlRuleset *self,
                            gboolean   all_threads)
{
  g_return_if_fail (LL_IS_RULESET (self));

  set_boolean_property (self, &self->all_threads, all_threads,
                        PROP_ALL_THREADS, "change all-threads");
}

/**
 * ll_ruleset_get_abi:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:abi.
 *
 * Returns: the value of #LlRuleset:abi
 *
 * Since: 1.0
 */
int
ll_ruleset_get_abi (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->abi;
}

/**
 * ll_ruleset_get_applied:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:applied.
 *
 * Returns: the value of #LlRuleset:applied
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_get_applied (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);

  return self->applied;
}

/**
 * ll_ruleset_get_status:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:status.
 *
 * Returns: the value of #LlRuleset:status
 *
 * Since: 1.0
 */
LlStatus
ll_ruleset_get_status (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), LL_STATUS_NOT_ENFORCED);

  return self->status;
}

/**
 * ll_ruleset_get_status_reason:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:status-reason: why #LlRuleset:status is
 * not %LL_STATUS_FULLY_ENFORCED.
 *
 * Returns: (nullable): the reason, in words for humans; %NULL when the
 *   ruleset is fully enforced, and before it is applied or given to
 *   children (ll_ruleset_spawnv(), ll_ruleset_apply_to_launcher())
 *
 * Since: 1.0
 */
const char *
ll_ruleset_get_status_reason (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  return self->status_reason;
}

/**
 * ll_ruleset_get_unrestricted_threads:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:unrestricted-threads.
 *
 * Returns: the value of #LlRuleset:unrestricted-threads
 *
 * Since: 1.0
 */
guint
ll_ruleset_get_unrestricted_threads (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->unrestricted_threads;
}

/**
 * ll_ruleset_describe_unrestricted:
 * @self: an #LlRuleset
 *
 * Says in words what the sandbox leaves open on the running kernel, for a
 * person to read: what the kernel cannot restrict, with the Landlock ABI
 * that brought each, and what the ruleset chose not to restrict. For
 * instance, on Debian 12's Linux 6.1 (ABI 2), a default ruleset gives
 * `not restricted by this kernel (Landlock ABI 2): truncating files (ABI 3),
 * TCP (ABI 4), ioctl on devices (ABI 5), abstract UNIX sockets (ABI 6),
 * signals (ABI 6), UNIX sockets bound to paths (ABI 9), UDP (ABI 10)`.
 *
 * This is the text to show before telling users that something is denied.
 * Programs read #LlRuleset:unrestricted-access-fs and its siblings
 * instead.
 *
 * Returns: (transfer full) (nullable): the description, or %NULL when the
 *   sandbox restricts everything landlock-glib knows
 *
 * Since: 1.0
 */
char *
ll_ruleset_describe_unrestricted (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  return _ll_abi_describe_open (self->abi, ll_ruleset_get_unrestricted_access_fs (self),
                                ll_ruleset_get_unrestricted_access_net (self),
                                ll_ruleset_get_unrestricted_scopes (self));
}

/**
 * ll_ruleset_get_skipped_paths:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:skipped-paths.
 *
 * Returns: (transfer none) (array zero-terminated=1) (element-type filename):
 *   the paths skipped when applying because they do not exist; empty if
 *   none
 *
 * Since: 1.0
 */
const char * const *
ll_ruleset_get_skipped_paths (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  return (const char * const *) self->skipped_paths;
}

/**
 * ll_ruleset_check:
 * @self: an #LlRuleset
 * @error: return location for a #GError, or %NULL
 *
 * Reports the first problem found while the ruleset was built (an empty
 * path, a port out of range, unknown bits, a change after it was applied),
 * without applying anything. ll_ruleset_apply() makes the same check
 * first; call this one to report problems early, where the rules are
 * added. Problems that depend on the kernel or the filesystem (an
 * incompatible right, a missing path) are only found by ll_ruleset_apply().
 *
 * Returns: %TRUE if no problem is known, %FALSE with @error set otherwise
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_check (LlRuleset  *self,
                  GError    **error)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->problem != NULL)
    {
      g_set_error (error, LL_ERROR, self->problem->code, "%s%s", self->problem->message,
                   self->n_more_problems > 0 ? " (and more problems after this one)" : "");
      return FALSE;
    }
  if (self->applied)
    {
      g_set_error_literal (error, LL_ERROR, LL_ERROR_INVALID,
                           "This ruleset was already applied; a ruleset applies once: "
                           "create a new ruleset to restrict the process further");
      return FALSE;
    }
  return TRUE;
}

void
_ll_ruleset_set_status (LlRuleset  *self,
                        LlPrepared *prepared,
                        gboolean    applied)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);

  if (applied && !self->applied)
    {
      self->applied = TRUE;
      g_object_notify_by_pspec (object, properties[PROP_APPLIED]);
    }

  if (self->status != prepared->status)
    {
      self->status = prepared->status;
      g_object_notify_by_pspec (object, properties[PROP_STATUS]);
    }

  {
    const char *reason = prepared->reason->len > 0 ? prepared->reason->str : NULL;

    if (g_strcmp0 (self->status_reason, reason) != 0)
      {
        g_free (self->status_reason);
        self->status_reason = g_strdup (reason);
        g_object_notify_by_pspec (object, properties[PROP_STATUS_REASON]);
      }
  }

  if (self->unrestricted_threads != prepared->unrestricted_threads)
    {
      self->unrestricted_threads = prepared->unrestricted_threads;
      g_object_notify_by_pspec (object, properties[PROP_UNRESTRICTED_THREADS]);
    }

  /* Replaced only when it changes, as the reason is: a ruleset applied to
   * launchers again and again then keeps the same strings. */
  if (prepared->skipped_paths != NULL)
    {
      g_ptr_array_add (prepared->skipped_paths, NULL);
      if (!g_strv_equal ((const char * const *) self->skipped_paths,
                         (const char * const *) prepared->skipped_paths->pdata))
        {
          g_strfreev (self->skipped_paths);
          self->skipped_paths = (char **) g_ptr_array_steal (prepared->skipped_paths, NULL);
          g_object_notify_by_pspec (object, properties[PROP_SKIPPED_PATHS]);
        }
    }

  g_object_thaw_notify (object);
}

/* Accessors for policy files (ll-ruleset-private.h). */

gboolean
_ll_ruleset_get_handled_explicit (LlRuleset *self,
                                  guint64   *fs,
                                  guint64   *net,
                                  guint64   *scoped)
{
  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);

  *fs = self->handled_fs;
  *net = self->handled_net;
  *scoped = self->scoped;
  return self->handled_explicit;
}

void
_ll_ruleset_foreach_path_rule (LlRuleset      *self,
                               LlPathRuleFunc  func,
                               gpointer        user_data)
{
  g_return_if_fail (LL_IS_RULESET (self));

  for (guint i = 0; i < self->path_rules->len; i++)
    {
      const LlRulesetPathRule *rule = &g_array_index (self->path_rules, LlRulesetPathRule, i);

      func (rule->path, rule->access, rule->flags, user_data);
    }
}

void
_ll_ruleset_foreach_net_rule (LlRuleset     *self,
                              LlNetRuleFunc  func,
                              gpointer       user_data)
{
  g_return_if_fail (LL_IS_RULESET (self));

  for (guint i = 0; i < self->net_rules->len; i++)
    {
      const LlRulesetNetRule *rule = &g_array_index (self->net_rules, LlRulesetNetRule, i);

      func (rule->port, rule->access, rule->flags, user_data);
    }
}
