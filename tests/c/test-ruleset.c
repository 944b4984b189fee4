/* test-ruleset.c: the LlRuleset object: properties, builders, errors,
 * strict and best-effort modes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

#define MISSING_PATH "/nonexistent/ll-test-ruleset-missing"

/* Case-insensitive: the library may name a right by nick ("bind-udp") or
 * by macro (BIND_UDP); either names the feature. */
static void
assert_mentions (const char *message,
                 const char *needle)
{
  g_autofree char *message_folded = g_ascii_strdown (message, -1);
  g_autofree char *needle_folded = g_ascii_strdown (needle, -1);

  if (strstr (message_folded, needle_folded) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", message, needle);
}

/* Asserts that a failed apply changed nothing: not applied, no
 * no_new_privs, no descriptor left open, and nothing is denied. */
static void
assert_nothing_done (LlRuleset  *ruleset,
                     guint       fds_before,
                     const LlTestTree *tree)
{
  g_assert_false (ll_ruleset_get_applied (ruleset));
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_NOT_ENFORCED);
  g_assert_false (ll_test_no_new_privs_is_set ());
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
  ll_test_assert_open (tree->outside_file, O_RDONLY, 0);
}

/* Properties */

static void
test_ruleset_defaults (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  int abi = ll_get_abi_version (NULL);
  gboolean strict, ignore_missing, all_threads;
  LlRestrictFlags restrict_flags;
  int abi_property;

  g_assert_true (LL_IS_RULESET (ruleset));
  g_assert_true (ll_ruleset_get_strict (ruleset));
  g_assert_false (ll_ruleset_get_ignore_missing (ruleset));
  g_assert_true (ll_ruleset_get_all_threads (ruleset));
  g_assert_cmphex (ll_ruleset_get_restrict_flags (ruleset), ==, LL_RESTRICT_FLAGS_NONE);
  g_assert_cmpint (ll_ruleset_get_abi (ruleset), ==, abi);

  g_object_get (ruleset,
                "strict", &strict,
                "ignore-missing", &ignore_missing,
                "all-threads", &all_threads,
                "restrict-flags", &restrict_flags,
                "abi", &abi_property,
                NULL);
  g_assert_true (strict);
  g_assert_false (ignore_missing);
  g_assert_true (all_threads);
  g_assert_cmphex (restrict_flags, ==, LL_RESTRICT_FLAGS_NONE);
  g_assert_cmpint (abi_property, ==, abi);

  /* Deny by default: everything the running kernel knows is handled, and
   * what it does not know is left open, and said to be. Without Landlock
   * the handled sets show the intent (every right the library knows), and
   * everything is open. */
  g_assert_cmphex (ll_ruleset_get_handled_access_fs (ruleset), ==,
                   ll_access_fs_for_abi (abi > 0 ? abi : LL_ABI_MAX));
  g_assert_cmphex (ll_ruleset_get_handled_access_net (ruleset), ==,
                   ll_access_net_for_abi (abi > 0 ? abi : LL_ABI_MAX));
  g_assert_cmphex (ll_ruleset_get_scoped (ruleset), ==,
                   ll_scope_for_abi (abi > 0 ? abi : LL_ABI_MAX));
  /* ABI 1 has no REFER right and denies every move between directories. */
  g_assert_cmphex (ll_ruleset_get_unrestricted_access_fs (ruleset), ==,
                   ll_access_fs_for_abi (LL_ABI_MAX) & ~ll_access_fs_for_abi (abi) &
                   ~(abi == 1 ? LL_ACCESS_FS_REFER : 0));
  g_assert_cmphex (ll_ruleset_get_unrestricted_access_net (ruleset), ==,
                   ll_access_net_for_abi (LL_ABI_MAX) & ~ll_access_net_for_abi (abi));
  g_assert_cmphex (ll_ruleset_get_unrestricted_scopes (ruleset), ==,
                   ll_scope_for_abi (LL_ABI_MAX) & ~ll_scope_for_abi (abi));
  g_assert_cmpstrv (ll_ruleset_get_skipped_paths (ruleset), ((const char *[]) { NULL }));

  /* Not applied yet: nothing to report. */
  g_assert_false (ll_ruleset_get_applied (ruleset));
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_NOT_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);
}

static void
test_ruleset_pspecs (void)
{
  static const char * const writable[] = { "strict", "ignore-missing", "follow-symlinks", "all-threads",
                                           "restrict-flags" };
  g_autoptr(GTypeClass) klass = g_type_class_ref (LL_TYPE_RULESET);
  GParamSpec *pspec;

  for (gsize i = 0; i < G_N_ELEMENTS (writable); i++)
    {
      pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), writable[i]);
      g_assert_nonnull (pspec);
      g_assert_true (pspec->flags & G_PARAM_READABLE);
      g_assert_true (pspec->flags & G_PARAM_WRITABLE);
      /* So that setting the same value does not notify. */
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
    }

  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "restrict-flags");
  g_assert_true (G_IS_PARAM_SPEC_FLAGS (pspec));
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == LL_TYPE_RESTRICT_FLAGS);

  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "abi");
  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_INT (pspec));
  g_assert_true (pspec->flags & G_PARAM_READABLE);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_ruleset_notify (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  guint strict_count = 0, ignore_missing_count = 0, all_threads_count = 0, flags_count = 0;

  g_signal_connect (ruleset, "notify::strict", G_CALLBACK (count_notify), &strict_count);
  g_signal_connect (ruleset, "notify::ignore-missing", G_CALLBACK (count_notify), &ignore_missing_count);
  g_signal_connect (ruleset, "notify::all-threads", G_CALLBACK (count_notify), &all_threads_count);
  g_signal_connect (ruleset, "notify::restrict-flags", G_CALLBACK (count_notify), &flags_count);

  /* Same value as the default: no notification. */
  ll_ruleset_set_strict (ruleset, TRUE);
  ll_ruleset_set_ignore_missing (ruleset, FALSE);
  ll_ruleset_set_all_threads (ruleset, TRUE);
  ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_NONE);
  g_object_set (ruleset, "strict", TRUE, "ignore-missing", FALSE, "all-threads", TRUE,
                "restrict-flags", LL_RESTRICT_FLAGS_NONE, NULL);
  g_assert_cmpuint (strict_count, ==, 0);
  g_assert_cmpuint (ignore_missing_count, ==, 0);
  g_assert_cmpuint (all_threads_count, ==, 0);
  g_assert_cmpuint (flags_count, ==, 0);

  /* A change: exactly one notification each, through the setter... */
  ll_ruleset_set_strict (ruleset, FALSE);
  ll_ruleset_set_ignore_missing (ruleset, TRUE);
  ll_ruleset_set_all_threads (ruleset, FALSE);
  ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF);
  g_assert_cmpuint (strict_count, ==, 1);
  g_assert_cmpuint (ignore_missing_count, ==, 1);
  g_assert_cmpuint (all_threads_count, ==, 1);
  g_assert_cmpuint (flags_count, ==, 1);
  g_assert_false (ll_ruleset_get_strict (ruleset));
  g_assert_true (ll_ruleset_get_ignore_missing (ruleset));
  g_assert_false (ll_ruleset_get_all_threads (ruleset));
  g_assert_cmphex (ll_ruleset_get_restrict_flags (ruleset), ==, LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF);

  /* ...setting it again does not notify... */
  ll_ruleset_set_strict (ruleset, FALSE);
  ll_ruleset_set_ignore_missing (ruleset, TRUE);
  ll_ruleset_set_all_threads (ruleset, FALSE);
  ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF);
  g_object_set (ruleset, "strict", FALSE, "ignore-missing", TRUE, "all-threads", FALSE,
                "restrict-flags", LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF, NULL);
  g_assert_cmpuint (strict_count, ==, 1);
  g_assert_cmpuint (ignore_missing_count, ==, 1);
  g_assert_cmpuint (all_threads_count, ==, 1);
  g_assert_cmpuint (flags_count, ==, 1);

  /* ...and g_object_set() with a new value notifies once. */
  g_object_set (ruleset, "strict", TRUE, "ignore-missing", FALSE, "all-threads", TRUE,
                "restrict-flags", LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON, NULL);
  g_assert_cmpuint (strict_count, ==, 2);
  g_assert_cmpuint (ignore_missing_count, ==, 2);
  g_assert_cmpuint (all_threads_count, ==, 2);
  g_assert_cmpuint (flags_count, ==, 2);
  g_assert_true (ll_ruleset_get_strict (ruleset));
  g_assert_cmphex (ll_ruleset_get_restrict_flags (ruleset), ==, LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON);
}

static void
test_ruleset_construct_properties (void)
{
  g_autoptr(LlRuleset) ruleset = NULL;

  /* What Landlock.Ruleset(strict=False) does from Python. */
  ruleset = g_object_new (LL_TYPE_RULESET,
                          "strict", FALSE,
                          "ignore-missing", TRUE,
                          "all-threads", FALSE,
                          "restrict-flags", LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF,
                          NULL);
  g_assert_false (ll_ruleset_get_strict (ruleset));
  g_assert_true (ll_ruleset_get_ignore_missing (ruleset));
  g_assert_false (ll_ruleset_get_all_threads (ruleset));
  g_assert_cmphex (ll_ruleset_get_restrict_flags (ruleset), ==, LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF);
  g_assert_cmpint (ll_ruleset_get_abi (ruleset), ==, ll_get_abi_version (NULL));
}

static void
test_ruleset_builders_return_self (void)
{
  static const char * const paths[] = { "/usr", NULL };
  static const guint16 ports[] = { 443, 8080 };
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  /* Nothing is applied: problems (UDP on an old kernel...) are kept for
   * apply(), and every builder hands back the same object to chain. */
  g_assert_true (ll_ruleset_allow_read (ruleset, paths) == ruleset);
  g_assert_true (ll_ruleset_allow_write (ruleset, paths) == ruleset);
  g_assert_true (ll_ruleset_allow_execute (ruleset, paths) == ruleset);
  g_assert_true (ll_ruleset_allow_read_write (ruleset, paths) == ruleset);
  g_assert_true (ll_ruleset_add_path_rule (ruleset, paths, LL_ACCESS_FS_READ_FILE) == ruleset);
  g_assert_true (ll_ruleset_add_path_rule_full (ruleset, paths, LL_ACCESS_FS_READ_FILE,
                                                LL_RULE_FLAGS_NONE) == ruleset);
  g_assert_true (ll_ruleset_allow_network (ruleset, ports, G_N_ELEMENTS (ports), TRUE, TRUE) == ruleset);
  g_assert_true (ll_ruleset_allow_udp (ruleset, ports, G_N_ELEMENTS (ports), TRUE, TRUE) == ruleset);
  g_assert_true (ll_ruleset_add_net_rule (ruleset, 53, LL_ACCESS_NET_CONNECT_TCP, 0) == ruleset);
  g_assert_true (ll_ruleset_allow_scope (ruleset, LL_SCOPE_SIGNAL) == ruleset);
  g_assert_true (ll_ruleset_allow_all_network (ruleset) == ruleset);
  g_assert_true (ll_ruleset_allow_all_scope (ruleset) == ruleset);
  g_assert_true (ll_ruleset_set_handled_access (ruleset, LL_ACCESS_FS_READ_FILE, 0, 0) == ruleset);
  g_assert_true (ll_ruleset_set_quiet_access (ruleset, 0, 0, 0) == ruleset);

  /* Chained, as in every language binding. */
  g_assert_true (ll_ruleset_allow_execute (ll_ruleset_allow_read (ruleset, paths), paths) == ruleset);
  g_assert_false (ll_ruleset_get_applied (ruleset));
}

static void
test_ruleset_allow_all (void)
{
  g_autoptr(LlRuleset) network = ll_ruleset_new ();
  g_autoptr(LlRuleset) scope = ll_ruleset_new ();
  int abi = ll_get_abi_version (NULL);

  if (!ll_test_require_abi (1))
    return;

  /* allow_all_network() stops handling the network, nothing else. */
  ll_ruleset_allow_all_network (network);
  g_assert_cmphex (ll_ruleset_get_handled_access_net (network), ==, 0);
  g_assert_cmphex (ll_ruleset_get_handled_access_fs (network), ==, ll_access_fs_for_abi (abi));
  g_assert_cmphex (ll_ruleset_get_scoped (network), ==, ll_scope_for_abi (abi));

  ll_ruleset_allow_all_scope (scope);
  g_assert_cmphex (ll_ruleset_get_scoped (scope), ==, 0);
  g_assert_cmphex (ll_ruleset_get_handled_access_fs (scope), ==, ll_access_fs_for_abi (abi));
  g_assert_cmphex (ll_ruleset_get_handled_access_net (scope), ==, ll_access_net_for_abi (abi));
}

static void
test_ruleset_check (void)
{
  static const char * const usr[] = { "/usr", NULL };
  static const char * const empty_path[] = { "", NULL };
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;

  /* check() applies nothing, so it runs in the runner: problems found
   * while building are reported early, the first one first. */
  ll_ruleset_allow_read (ruleset, usr);
  g_assert_true (ll_ruleset_check (ruleset, &error));
  g_assert_no_error (error);

  ll_ruleset_allow_read (ruleset, empty_path);
  ll_ruleset_add_net_rule (ruleset, 70000, LL_ACCESS_NET_BIND_TCP, 0);
  g_assert_false (ll_ruleset_check (ruleset, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_test_message ("%s", error->message);
  /* The empty path came first; the port is mentioned only as "more". */
  g_assert_null (strstr (error->message, "70000"));
  assert_mentions (error->message, "more");
  g_assert_false (ll_ruleset_get_applied (ruleset));

  /* A missing path is only found by apply(), which opens the paths. */
  {
    static const char * const missing[] = { MISSING_PATH, NULL };
    g_autoptr(LlRuleset) missing_ruleset = ll_ruleset_allow_read (ll_ruleset_new (), missing);

    g_clear_error (&error);
    g_assert_true (ll_ruleset_check (missing_ruleset, &error));
    g_assert_no_error (error);
  }
}

/* Criticals on programmer errors: G_DEBUG=fatal-criticals turns them into
 * an abort, so each is checked in a child. */

typedef enum
{
  CRITICAL_ALLOW_READ_NULL_SELF,
  CRITICAL_ALLOW_READ_NULL_PATHS,
  CRITICAL_ADD_PATH_RULE_NULL_PATHS,
  CRITICAL_APPLY_NULL_SELF,
  CRITICAL_GET_STRICT_NULL_SELF,
  CRITICAL_ALLOW_NETWORK_NULL_PORTS,
} CriticalCase;

static void
test_ruleset_critical (gconstpointer data)
{
  CriticalCase which = GPOINTER_TO_INT (data);
  static const char * const paths[] = { "/usr", NULL };

  if (!g_test_subprocess ())
    {
      static const char * const patterns[] = {
        [CRITICAL_ALLOW_READ_NULL_SELF] = "*CRITICAL*ll_ruleset_allow_read*",
        [CRITICAL_ALLOW_READ_NULL_PATHS] = "*CRITICAL*ll_ruleset_allow_read*",
        [CRITICAL_ADD_PATH_RULE_NULL_PATHS] = "*CRITICAL*ll_ruleset_add_path_rule*",
        [CRITICAL_APPLY_NULL_SELF] = "*CRITICAL*ll_ruleset_apply*",
        [CRITICAL_GET_STRICT_NULL_SELF] = "*CRITICAL*ll_ruleset_get_strict*",
        [CRITICAL_ALLOW_NETWORK_NULL_PORTS] = "*CRITICAL*ll_ruleset_allow_network*",
      };

      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr (patterns[which]);
      return;
    }

  switch (which)
    {
    case CRITICAL_ALLOW_READ_NULL_SELF:
      ll_ruleset_allow_read (NULL, paths);
      break;
    case CRITICAL_ALLOW_READ_NULL_PATHS:
      {
        g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
        ll_ruleset_allow_read (ruleset, NULL);
      }
      break;
    case CRITICAL_ADD_PATH_RULE_NULL_PATHS:
      {
        g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
        ll_ruleset_add_path_rule (ruleset, NULL, LL_ACCESS_FS_READ_FILE);
      }
      break;
    case CRITICAL_APPLY_NULL_SELF:
      ll_ruleset_apply (NULL, NULL, NULL);
      break;
    case CRITICAL_GET_STRICT_NULL_SELF:
      ll_ruleset_get_strict (NULL);
      break;
    case CRITICAL_ALLOW_NETWORK_NULL_PORTS:
      {
        g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
        ll_ruleset_allow_network (ruleset, NULL, 2, TRUE, TRUE);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  /* Reached only if no critical was raised: the parent sees a pass and
   * fails on g_test_trap_assert_failed(). */
}

/* Bad input, reported by apply(). Failing applies restrict nothing, but
 * apply() is only ever called in a child. */

/* What the sandbox leaves open: by the kernel (what its ABI lacks) and by
 * the ruleset (what it chose not to restrict), for programs and in words. */
static void
test_ruleset_unrestricted (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint notified = 0;
  int abi = ll_get_abi_version (NULL);

  before = ll_ruleset_describe_unrestricted (ruleset);
  g_test_message ("default: %s", before);
  if (abi == 0)
    g_assert_cmpstr (before, ==, "nothing is restricted: Landlock is not available");
  else if (abi >= 10)
    g_assert_null (before);
  else
    {
      g_assert_nonnull (before);
      g_assert_true (g_str_has_prefix (before, "not restricted by this kernel (Landlock ABI "));
      g_assert_nonnull (strstr (before, "UDP (ABI 10)"));
      g_assert_null (strstr (before, "by this ruleset"));
      g_assert_cmpint (abi >= 4, ==, strstr (before, "TCP (ABI 4)") == NULL);
    }

  g_signal_connect (ruleset, "notify::unrestricted-access-net",
                    G_CALLBACK (count_notify), &notified);
  ll_ruleset_allow_all_network (ruleset);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmphex (ll_ruleset_get_unrestricted_access_net (ruleset), ==,
                   ll_access_net_for_abi (LL_ABI_MAX));
  ll_ruleset_allow_scope (ruleset, LL_SCOPE_SIGNAL);
  g_assert_true (ll_ruleset_get_unrestricted_scopes (ruleset) & LL_SCOPE_SIGNAL);

  after = ll_ruleset_describe_unrestricted (ruleset);
  g_test_message ("with the network and signals allowed: %s", after);
  if (abi >= 6)
    {
      g_assert_nonnull (strstr (after, "not restricted by this ruleset: "));
      g_assert_nonnull (strstr (after, "signals"));
      g_assert_null (strstr (after, "signals (ABI"));
    }
  if (abi >= 10)
    g_assert_cmpstr (after, ==, "not restricted by this ruleset: TCP, signals, UDP");
}

static void
test_ruleset_missing_path_strict (void)
{
  static const char * const paths[] = { MISSING_PATH, NULL };
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  LlStatus status = LL_STATUS_FULLY_ENFORCED;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  fds_before = ll_test_count_fds ();

  ruleset = ll_ruleset_allow_read (ll_ruleset_new (), paths);
  g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_PATH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, MISSING_PATH));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  assert_nothing_done (ruleset, fds_before, &tree);
}

static void
test_ruleset_missing_path_ignored (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };
  g_auto(GStrv) skipped = NULL;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  {
    const char * const paths[] = { MISSING_PATH, tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ll_ruleset_set_ignore_missing (ruleset, TRUE);
  fds_before = ll_test_count_fds_by_probe ();

  /* A skipped rule grants less, never more: the status is not lowered,
   * and the path is listed where a program can read it. */
  g_assert_cmpstrv (ll_ruleset_get_skipped_paths (ruleset), ((const char *[]) { NULL }));
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_test_count_fds_by_probe (), ==, fds_before);
  g_assert_true (ll_ruleset_get_applied (ruleset));
  g_assert_null (ll_ruleset_get_status_reason (ruleset));
  g_assert_cmpstrv (ll_ruleset_get_skipped_paths (ruleset), ((const char *[]) { MISSING_PATH, NULL }));
  g_object_get (ruleset, "skipped-paths", &skipped, NULL);
  g_assert_cmpstrv (skipped, ((const char *[]) { MISSING_PATH, NULL }));

  /* The paths that exist are still granted, the rest is still denied. */
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
}

static void
test_ruleset_invalid_input (void)
{
  static const char * const empty_path[] = { "", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  LlStatus status;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  fds_before = ll_test_count_fds ();

  /* Each is a fresh ruleset with one bad request, so that the error
   * checked is the one of that request. */
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_allow_read (ll_ruleset_new (), empty_path);

    /* ll-error.h documents an empty path as LL_ERROR_INVALID. */
    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_test_message ("empty path: %s", error->message);
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    g_autoptr(LlRuleset) ruleset =
      ll_ruleset_add_path_rule (ll_ruleset_new (), paths, (LlAccessFs) (1u << 30));

    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_test_message ("unknown FS bit: %s", error->message);
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
  {
    /* Unknown bits are a programming error in best-effort mode too: they
     * are not a right that an older kernel lacks. */
    const char * const paths[] = { tree.inside_dir, NULL };
    g_autoptr(LlRuleset) ruleset = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);

    ll_ruleset_add_path_rule (ruleset, paths, LL_ACCESS_FS_READ_FILE | (LlAccessFs) (1u << 30));
    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
  {
    g_autoptr(LlRuleset) ruleset =
      ll_ruleset_allow_scope (ll_ruleset_new (), (LlScope) (1u << 20));

    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_test_message ("unknown scope bit: %s", error->message);
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
  {
    g_autoptr(LlRuleset) ruleset =
      ll_ruleset_add_net_rule (ll_ruleset_new (), 65536, LL_ACCESS_NET_CONNECT_TCP, 0);

    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_test_message ("port 65536: %s", error->message);
    g_assert_nonnull (strstr (error->message, "65536"));
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
  {
    g_autoptr(LlRuleset) ruleset =
      ll_ruleset_add_net_rule (ll_ruleset_new (), -1, LL_ACCESS_NET_CONNECT_TCP, 0);

    g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_clear_error (&error);
    assert_nothing_done (ruleset, fds_before, &tree);
  }
}

static void
test_ruleset_file_with_directory_rights (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  {
    /* READ_DIR, MAKE_REG and REMOVE_FILE make no sense on a file: the
     * kernel would say EINVAL, the library masks them off. */
    const char * const paths[] = { tree.inside_file, NULL };
    ll_ruleset_add_path_rule (ruleset, paths,
                              LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR |
                              LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REMOVE_FILE);
  }

  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
  /* Write was neither asked nor granted. */
  ll_test_assert_open (tree.inside_file, O_WRONLY, EACCES);
}

static void
test_ruleset_apply_twice (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  LlStatus status = LL_STATUS_NOT_ENFORCED;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_test_message ("second apply: %s", error->message);

  /* A rule added afterwards cannot take effect: check() says so. */
  g_clear_error (&error);
  {
    const char * const paths[] = { tree.root, NULL };
    g_assert_true (ll_ruleset_allow_read (ruleset, paths) == ruleset);
  }
  g_assert_false (ll_ruleset_check (ruleset, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);

  /* The first application stands. */
  g_assert_true (ll_ruleset_get_applied (ruleset));
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
}

static void
test_ruleset_strict_fully_enforced (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  g_assert_cmpuint (ll_get_thread_count (), ==, 1);
  {
    const char * const paths[] = { tree.inside_dir, tree.inside_file, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  fds_before = ll_test_count_fds_by_probe ();

  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  /* The ruleset fd and every O_PATH fd were closed on success too. */
  g_assert_cmpuint (ll_test_count_fds_by_probe (), ==, fds_before);
  g_assert_true (ll_ruleset_get_applied (ruleset));
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);
  g_assert_true (ll_test_no_new_privs_is_set ());

  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
  /* Deny by default covers every right, not only the ones used in rules. */
  ll_test_assert_open (tree.inside_file, O_WRONLY, EACCES);
}

/* Features above the running ABI, in strict and best-effort modes. */

typedef enum
{
  FEATURE_UDP,
  FEATURE_RESOLVE_UNIX,
  FEATURE_TSYNC,
} Feature;

typedef struct
{
  Feature     feature;
  int         abi_needed;
  const char *name;         /* what the message must mention */
} FeatureCase;

static const FeatureCase feature_cases[] = {
  { FEATURE_UDP, 10, "udp" },
  { FEATURE_RESOLVE_UNIX, 9, "resolve-unix" },
  { FEATURE_TSYNC, 8, "tsync" },
};

static void
ask_for_feature (LlRuleset *ruleset,
                 Feature    feature,
                 const LlTestTree *tree)
{
  static const guint16 dns_port = 53;
  const char * const paths[] = { tree->inside_dir, NULL };

  switch (feature)
    {
    case FEATURE_UDP:
      ll_ruleset_allow_udp (ruleset, &dns_port, 1, TRUE, TRUE);
      break;
    case FEATURE_RESOLVE_UNIX:
      ll_ruleset_add_path_rule (ruleset, paths, LL_ACCESS_FS_RESOLVE_UNIX);
      break;
    case FEATURE_TSYNC:
      ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_TSYNC);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
require_abi_below (int abi_needed)
{
  int abi = ll_get_abi_version (NULL);

  if (!ll_test_require_abi (1))
    return FALSE;
  if (abi >= abi_needed)
    {
      g_autofree char *msg = g_strdup_printf ("the kernel has ABI %d, which has this feature "
                                              "(ABI %d): nothing is missing to report",
                                              abi, abi_needed);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

static void
test_ruleset_strict_incompatible (gconstpointer data)
{
  const FeatureCase *fc = data;
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *abi_needed = NULL;
  g_autofree char *abi_present = NULL;
  g_auto(LlTestTree) tree = { 0 };
  LlStatus status = LL_STATUS_FULLY_ENFORCED;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (require_abi_below (fc->abi_needed))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  fds_before = ll_test_count_fds ();
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ask_for_feature (ruleset, fc->feature, &tree);

  g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INCOMPATIBLE);
  g_test_message ("%s", error->message);

  /* The message names the feature, the ABI it needs and the ABI here. */
  abi_needed = g_strdup_printf ("%d", fc->abi_needed);
  abi_present = g_strdup_printf ("%d", ll_get_abi_version (NULL));
  assert_mentions (error->message, fc->name);
  assert_mentions (error->message, abi_needed);
  assert_mentions (error->message, abi_present);

  /* Strict failures come before anything irreversible. */
  assert_nothing_done (ruleset, fds_before, &tree);
}

static void
test_ruleset_best_effort_drops (gconstpointer data)
{
  const FeatureCase *fc = data;
  g_autoptr(LlRuleset) ruleset = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);
  g_auto(LlTestTree) tree = { 0 };
  const char *reason;

  if (!ll_test_in_child ())
    {
      if (require_abi_below (fc->abi_needed))
        ll_test_tree_run_child ("ruleset");
      return;
    }

  ll_test_tree_from_child (&tree);
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ask_for_feature (ruleset, fc->feature, &tree);

  ll_test_apply_expect (ruleset, LL_STATUS_PARTIALLY_ENFORCED);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_assert_nonnull (reason);
  g_test_message ("reason: %s", reason);
  assert_mentions (reason, fc->name);

  /* What the kernel does know is still enforced, both ways. */
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
  ll_test_assert_open (tree.inside_file, O_WRONLY, EACCES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ruleset/defaults", test_ruleset_defaults);
  g_test_add_func ("/ruleset/pspecs", test_ruleset_pspecs);
  g_test_add_func ("/ruleset/notify", test_ruleset_notify);
  g_test_add_func ("/ruleset/construct-properties", test_ruleset_construct_properties);
  g_test_add_func ("/ruleset/builders-return-self", test_ruleset_builders_return_self);
  g_test_add_func ("/ruleset/allow-all", test_ruleset_allow_all);
  g_test_add_func ("/ruleset/check", test_ruleset_check);

  g_test_add_data_func ("/ruleset/critical/allow-read-null-self",
                        GINT_TO_POINTER (CRITICAL_ALLOW_READ_NULL_SELF), test_ruleset_critical);
  g_test_add_data_func ("/ruleset/critical/allow-read-null-paths",
                        GINT_TO_POINTER (CRITICAL_ALLOW_READ_NULL_PATHS), test_ruleset_critical);
  g_test_add_data_func ("/ruleset/critical/add-path-rule-null-paths",
                        GINT_TO_POINTER (CRITICAL_ADD_PATH_RULE_NULL_PATHS), test_ruleset_critical);
  g_test_add_data_func ("/ruleset/critical/apply-null-self",
                        GINT_TO_POINTER (CRITICAL_APPLY_NULL_SELF), test_ruleset_critical);
  g_test_add_data_func ("/ruleset/critical/get-strict-null-self",
                        GINT_TO_POINTER (CRITICAL_GET_STRICT_NULL_SELF), test_ruleset_critical);
  g_test_add_data_func ("/ruleset/critical/allow-network-null-ports",
                        GINT_TO_POINTER (CRITICAL_ALLOW_NETWORK_NULL_PORTS), test_ruleset_critical);

  g_test_add_func ("/ruleset/unrestricted", test_ruleset_unrestricted);
  g_test_add_func ("/ruleset/missing-path/strict", test_ruleset_missing_path_strict);
  g_test_add_func ("/ruleset/missing-path/ignored", test_ruleset_missing_path_ignored);
  g_test_add_func ("/ruleset/invalid-input", test_ruleset_invalid_input);
  g_test_add_func ("/ruleset/file-with-directory-rights", test_ruleset_file_with_directory_rights);
  g_test_add_func ("/ruleset/apply-twice", test_ruleset_apply_twice);
  g_test_add_func ("/ruleset/strict/fully-enforced", test_ruleset_strict_fully_enforced);

  for (gsize i = 0; i < G_N_ELEMENTS (feature_cases); i++)
    {
      g_autofree char *strict_path = g_strdup_printf ("/ruleset/strict/incompatible/%s",
                                                      feature_cases[i].name);
      g_autofree char *best_effort_path = g_strdup_printf ("/ruleset/best-effort/drops/%s",
                                                           feature_cases[i].name);

      g_test_add_data_func (strict_path, &feature_cases[i], test_ruleset_strict_incompatible);
      g_test_add_data_func (best_effort_path, &feature_cases[i], test_ruleset_best_effort_drops);
    }

  return g_test_run ();
}
