/* test-bad-input.c: every public function against hostile arguments
 *
 * Each hostile input must give what the API documents, and nothing else:
 * a programming error (NULL where an object is needed, a wrong type) is a
 * g_return_if_fail() critical, which the test environment makes fatal
 * (G_DEBUG=fatal-criticals), so those calls run in a
 * g_test_trap_subprocess() child that must die of the critical and of
 * nothing else; a bad value (an empty path, a port out of range, unknown
 * bits, a descriptor that is no ruleset, a path that cannot be opened) is
 * an #LlError, in-process. Never a crash, a hang, a leak (the valgrind and
 * sanitizer setups run this too) or a descriptor left open.
 *
 * Every input tried is counted, and the total printed at the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ll-test-utils.h"

#define HUGE_N_PATHS 100000

static guint n_hostile;

/* Landlock answers ENOSYS under valgrind: what needs the kernel then fails
 * earlier, with LL_ERROR_NOT_AVAILABLE (LL_ERROR_DISABLED on a kernel that
 * boots without it), and that is what is checked. */
static gboolean
have_landlock (void)
{
  return ll_get_abi_version (NULL) > 0;
}

/* A GError message and a string property are UTF-8: bindings decode them
 * as such. A filename that is not UTF-8 must be shown escaped (as
 * g_filename_display_name() does), never copied as it is. */
static void
check_utf8 (const char *what,
            const char *text)
{
  /* Messages and status reasons reach the bindings as UTF-8 strings, so a
   * path that is not UTF-8 must be escaped on its way into them. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *escaped = g_strescape (text, NULL);

      g_error ("%s is not UTF-8: %s", what, escaped);
    }
}

static void
expect_error_code (GError  **error,
                   LlError   code,
                   gboolean  needs_kernel)
{
  n_hostile++;
  if (needs_kernel && !have_landlock ())
    code = ll_test_no_landlock_error ();
  g_assert_error (*error, LL_ERROR, (int) code);
}

static void
expect_error (GError  **error,
              LlError   code,
              gboolean  needs_kernel)
{
  expect_error_code (error, code, needs_kernel);
  g_assert_true (g_utf8_validate ((*error)->message, -1, NULL));
  g_clear_error (error);
}

/* Builds a ruleset with @build, then checks that check() reports @code. */
static void
expect_problem (LlRuleset *ruleset,
                LlError    code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ll_ruleset_check (ruleset, &error));
  expect_error (&error, code, FALSE);
}

/* Prepares @ruleset in this process, as for a child, without restricting
 * anything: the path that opens every rule's path and talks to the kernel. */
static gboolean
prepare (LlRuleset  *ruleset,
         GError    **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);

  return ll_ruleset_apply_to_launcher (ruleset, launcher, error);
}

/* ------------------------------------------------------------------ */
/* Criticals: each runs in a child that must die of it.               */

typedef void (*CriticalCall) (LlRuleset *bad, LlRuleset *good);

#define CRITICAL_CASE(name, body) \
  static void critical_##name (LlRuleset *bad, LlRuleset *good) { body; }

static const char * const some_paths[] = { "/", NULL };
static const guint16 some_ports[] = { 80 };

/* Every function that takes the ruleset; run with NULL and with an object
 * of another type as @bad. */
CRITICAL_CASE (allow_read, ll_ruleset_allow_read (bad, some_paths))
CRITICAL_CASE (allow_write, ll_ruleset_allow_write (bad, some_paths))
CRITICAL_CASE (allow_execute, ll_ruleset_allow_execute (bad, some_paths))
CRITICAL_CASE (allow_read_write, ll_ruleset_allow_read_write (bad, some_paths))
CRITICAL_CASE (add_path_rule, ll_ruleset_add_path_rule (bad, some_paths, LL_ACCESS_FS_READ_FILE))
CRITICAL_CASE (add_path_rule_full, ll_ruleset_add_path_rule_full (bad, some_paths, LL_ACCESS_FS_READ_FILE, 0))
CRITICAL_CASE (allow_network, ll_ruleset_allow_network (bad, some_ports, 1, TRUE, TRUE))
CRITICAL_CASE (allow_udp, ll_ruleset_allow_udp (bad, some_ports, 1, TRUE, TRUE))
CRITICAL_CASE (add_net_rule, ll_ruleset_add_net_rule (bad, 80, LL_ACCESS_NET_BIND_TCP, 0))
CRITICAL_CASE (allow_all_network, ll_ruleset_allow_all_network (bad))
CRITICAL_CASE (allow_scope, ll_ruleset_allow_scope (bad, LL_SCOPE_SIGNAL))
CRITICAL_CASE (allow_all_scope, ll_ruleset_allow_all_scope (bad))
CRITICAL_CASE (set_handled_access, ll_ruleset_set_handled_access (bad, LL_ACCESS_FS_READ_FILE, 0, 0))
CRITICAL_CASE (set_quiet_access, ll_ruleset_set_quiet_access (bad, 0, 0, 0))
CRITICAL_CASE (get_handled_access_fs, ll_ruleset_get_handled_access_fs (bad))
CRITICAL_CASE (get_handled_access_net, ll_ruleset_get_handled_access_net (bad))
CRITICAL_CASE (get_scoped, ll_ruleset_get_scoped (bad))
CRITICAL_CASE (get_strict, ll_ruleset_get_strict (bad))
CRITICAL_CASE (set_strict, ll_ruleset_set_strict (bad, FALSE))
CRITICAL_CASE (get_ignore_missing, ll_ruleset_get_ignore_missing (bad))
CRITICAL_CASE (set_ignore_missing, ll_ruleset_set_ignore_missing (bad, TRUE))
CRITICAL_CASE (get_all_threads, ll_ruleset_get_all_threads (bad))
CRITICAL_CASE (set_all_threads, ll_ruleset_set_all_threads (bad, FALSE))
CRITICAL_CASE (get_restrict_flags, ll_ruleset_get_restrict_flags (bad))
CRITICAL_CASE (set_restrict_flags, ll_ruleset_set_restrict_flags (bad, 0))
CRITICAL_CASE (get_abi, ll_ruleset_get_abi (bad))
CRITICAL_CASE (check, ll_ruleset_check (bad, NULL))
CRITICAL_CASE (apply, ll_ruleset_apply (bad, NULL, NULL))
CRITICAL_CASE (restrict_self, ll_ruleset_restrict_self (bad, NULL))
CRITICAL_CASE (get_applied, ll_ruleset_get_applied (bad))
CRITICAL_CASE (get_status, ll_ruleset_get_status (bad))
CRITICAL_CASE (get_status_reason, ll_ruleset_get_status_reason (bad))
CRITICAL_CASE (get_unrestricted_threads, ll_ruleset_get_unrestricted_threads (bad))
CRITICAL_CASE (apply_to_launcher, ll_ruleset_apply_to_launcher (bad, g_subprocess_launcher_new (0), NULL))
CRITICAL_CASE (spawnv, ll_ruleset_spawnv (bad, (const char * const []) { "/bin/true", NULL }, 0, NULL))
CRITICAL_CASE (spawn, ll_ruleset_spawn (bad, 0, NULL, "/bin/true", NULL))

/* Bad arguments other than the ruleset; @good is a real one. */
CRITICAL_CASE (allow_read_null_paths, ll_ruleset_allow_read (good, NULL))
CRITICAL_CASE (allow_write_null_paths, ll_ruleset_allow_write (good, NULL))
CRITICAL_CASE (allow_execute_null_paths, ll_ruleset_allow_execute (good, NULL))
CRITICAL_CASE (allow_read_write_null_paths, ll_ruleset_allow_read_write (good, NULL))
CRITICAL_CASE (add_path_rule_null_paths, ll_ruleset_add_path_rule (good, NULL, LL_ACCESS_FS_READ_FILE))
CRITICAL_CASE (add_path_rule_full_null_paths, ll_ruleset_add_path_rule_full (good, NULL, LL_ACCESS_FS_READ_FILE, 0))
CRITICAL_CASE (allow_network_null_ports, ll_ruleset_allow_network (good, NULL, 3, TRUE, TRUE))
CRITICAL_CASE (allow_udp_null_ports, ll_ruleset_allow_udp (good, NULL, 3, TRUE, TRUE))
CRITICAL_CASE (apply_to_launcher_null_launcher, ll_ruleset_apply_to_launcher (good, NULL, NULL))
CRITICAL_CASE (apply_to_launcher_not_a_launcher,
               ll_ruleset_apply_to_launcher (good, (GSubprocessLauncher *) g_object_new (G_TYPE_OBJECT, NULL), NULL))
CRITICAL_CASE (spawnv_null_argv, ll_ruleset_spawnv (good, NULL, 0, NULL))
CRITICAL_CASE (spawnv_empty_argv, ll_ruleset_spawnv (good, (const char * const []) { NULL }, 0, NULL))
CRITICAL_CASE (spawn_null_argv0, ll_ruleset_spawn (good, 0, NULL, NULL, NULL))

/* An error that is already set is a programming error too. */
#define ERROR_SET(var) GError *var = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "set before")
CRITICAL_CASE (check_error_set, ERROR_SET (e); ll_ruleset_check (good, &e))
CRITICAL_CASE (apply_error_set, ERROR_SET (e); ll_ruleset_apply (good, NULL, &e))
CRITICAL_CASE (restrict_self_error_set, ERROR_SET (e); ll_ruleset_restrict_self (good, &e))
CRITICAL_CASE (apply_to_launcher_error_set,
               ERROR_SET (e); ll_ruleset_apply_to_launcher (good, g_subprocess_launcher_new (0), &e))
CRITICAL_CASE (spawnv_error_set,
               ERROR_SET (e); ll_ruleset_spawnv (good, (const char * const []) { "/bin/true", NULL }, 0, &e))

typedef struct
{
  const char *name;
  CriticalCall call;
  gboolean takes_bad_ruleset;   /* run with NULL and with a wrong type */
} CriticalCase;

#define SELF(name) { #name, critical_##name, TRUE }
#define ARG(name) { #name, critical_##name, FALSE }

static const CriticalCase critical_cases[] = {
  SELF (allow_read), SELF (allow_write), SELF (allow_execute), SELF (allow_read_write),
  SELF (add_path_rule), SELF (add_path_rule_full), SELF (allow_network), SELF (allow_udp),
  SELF (add_net_rule), SELF (allow_all_network), SELF (allow_scope), SELF (allow_all_scope),
  SELF (set_handled_access), SELF (set_quiet_access), SELF (get_handled_access_fs),
  SELF (get_handled_access_net), SELF (get_scoped), SELF (get_strict), SELF (set_strict),
  SELF (get_ignore_missing), SELF (set_ignore_missing), SELF (get_all_threads),
  SELF (set_all_threads), SELF (get_restrict_flags), SELF (set_restrict_flags), SELF (get_abi),
  SELF (check), SELF (apply), SELF (restrict_self), SELF (get_applied), SELF (get_status),
  SELF (get_status_reason), SELF (get_unrestricted_threads), SELF (apply_to_launcher),
  SELF (spawnv), SELF (spawn),
  ARG (allow_read_null_paths), ARG (allow_write_null_paths), ARG (allow_execute_null_paths),
  ARG (allow_read_write_null_paths), ARG (add_path_rule_null_paths),
  ARG (add_path_rule_full_null_paths), ARG (allow_network_null_ports),
  ARG (allow_udp_null_ports), ARG (apply_to_launcher_null_launcher),
  ARG (apply_to_launcher_not_a_launcher), ARG (spawnv_null_argv), ARG (spawnv_empty_argv),
  ARG (spawn_null_argv0), ARG (check_error_set), ARG (apply_error_set),
  ARG (restrict_self_error_set), ARG (apply_to_launcher_error_set), ARG (spawnv_error_set),
};

typedef struct
{
  const CriticalCase *critical;
  gboolean wrong_type;
} CriticalRun;

static void
test_critical (gconstpointer data)
{
  const CriticalRun *run = data;

  if (g_test_subprocess ())
    {
      g_autoptr(LlRuleset) good = ll_ruleset_new ();
      LlRuleset *bad = run->wrong_type ? (LlRuleset *) g_object_new (G_TYPE_OBJECT, NULL) : NULL;

      run->critical->call (bad, good);
      /* Not reached: the critical is fatal. */
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
  /* A crash (SIGSEGV) is not a critical: the child must have aborted. */
  g_test_trap_assert_stderr_unmatched ("*Segmentation*");
  n_hostile++;
}

/* ------------------------------------------------------------------ */
/* Values: in-process, each an LlError.                              */

typedef struct
{
  char *dir;
  char *file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = ll_test_make_tmpdir ("bad-input");
  fixture->file = ll_test_write_file (fixture->dir, "file", "contents\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ll_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->file);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const empty_path[] = { "", NULL };
  const char * const no_path[] = { NULL };
  LlRuleset *(*path_builders[]) (LlRuleset *, const char * const *) = {
    ll_ruleset_allow_read, ll_ruleset_allow_write, ll_ruleset_allow_execute,
    ll_ruleset_allow_read_write,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (path_builders); i++)
    {
      g_autoptr(LlRuleset) with_empty = ll_ruleset_new ();
      g_autoptr(LlRuleset) with_none = ll_ruleset_new ();

      path_builders[i] (with_empty, empty_path);
      expect_problem (with_empty, LL_ERROR_INVALID);

      /* No path at all is no rule, and no problem. */
      path_builders[i] (with_none, no_path);
      g_assert_true (ll_ruleset_check (with_none, &error));
      g_assert_no_error (error);
      n_hostile++;
    }

  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_add_path_rule (ruleset, empty_path, LL_ACCESS_FS_READ_FILE);
    expect_problem (ruleset, LL_ERROR_INVALID);
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* Granting nothing. */
    ll_ruleset_add_path_rule (ruleset, (const char * const []) { fixture->dir, NULL }, 0);
    expect_problem (ruleset, LL_ERROR_INVALID);
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_add_net_rule (ruleset, 80, 0, 0);
    expect_problem (ruleset, LL_ERROR_INVALID);
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* No port, and neither bind nor connect: nothing is added. */
    ll_ruleset_allow_network (ruleset, NULL, 0, TRUE, TRUE);
    ll_ruleset_allow_udp (ruleset, NULL, 0, TRUE, TRUE);
    g_assert_true (ll_ruleset_check (ruleset, &error));
    n_hostile += 2;
    ll_ruleset_allow_network (ruleset, some_ports, 1, FALSE, FALSE);
    expect_problem (ruleset, LL_ERROR_INVALID);
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* Handling nothing restricts nothing: refused when applied. */
    ll_ruleset_set_handled_access (ruleset, 0, 0, 0);
    g_assert_true (ll_ruleset_check (ruleset, &error));
    g_assert_false (prepare (ruleset, &error));
    expect_error (&error, LL_ERROR_INVALID, FALSE);
  }
}

static void
test_huge (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **paths = g_new0 (const char *, HUGE_N_PATHS + 1);
  g_autofree guint16 *ports = g_new (guint16, HUGE_N_PATHS);
  guint fds_before = ll_test_count_fds ();

  for (gsize i = 0; i < HUGE_N_PATHS; i++)
    {
      paths[i] = (i % 2 == 0) ? fixture->dir : fixture->file;
      ports[i] = (guint16) i;
    }

  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
    gboolean ok;

    ll_ruleset_allow_read (ruleset, paths);
    ll_ruleset_allow_network (ruleset, ports, HUGE_N_PATHS, TRUE, TRUE);
    g_assert_true (ll_ruleset_check (ruleset, &error));
    g_assert_no_error (error);
    ok = prepare (ruleset, &error);
    if (ll_get_abi_version (NULL) >= 4)
      {
        g_assert_no_error (error);
        g_assert_true (ok);
        n_hostile += 2;
      }
    else
      {
        /* Strict: TCP rules need ABI 4. */
        g_assert_false (ok);
        expect_error (&error, LL_ERROR_INCOMPATIBLE, TRUE);
      }
  }

  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* The last one of them is missing. */
    paths[HUGE_N_PATHS - 1] = "/nonexistent/ll-test-bad-input";
    ll_ruleset_allow_read (ruleset, paths);
    g_assert_false (prepare (ruleset, &error));
    expect_error (&error, LL_ERROR_PATH, TRUE);
  }

  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

static void
test_long_paths (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_malloc (PATH_MAX + 2);
  g_autofree char *long_name = NULL;
  g_autofree char *long_component = g_strnfill (NAME_MAX + 1, 'n');

  too_long[0] = '/';
  memset (too_long + 1, 'a', PATH_MAX);
  too_long[PATH_MAX + 1] = '\0';
  g_assert_cmpuint (strlen (too_long), ==, PATH_MAX + 1);
  long_name = g_build_filename (fixture->dir, long_component, NULL);

  for (int ignore_missing = 0; ignore_missing <= 1; ignore_missing++)
    {
      const char *cases[] = { too_long, long_name };

      for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

          /* ENAMETOOLONG is not "missing": never skipped. */
          ll_ruleset_set_ignore_missing (ruleset, ignore_missing);
          ll_ruleset_allow_read (ruleset, (const char * const []) { cases[i], NULL });
          g_assert_true (ll_ruleset_check (ruleset, &error));
          g_assert_false (prepare (ruleset, &error));
          expect_error (&error, LL_ERROR_PATH, TRUE);
        }
    }
}

static void
test_non_utf8 (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = ll_test_write_file (fixture->dir, "not-utf8-\xff\xfe", "x\n");
  g_autofree char *missing = g_build_filename (fixture->dir, "missing-\xc3\x28", NULL);

  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
    gboolean ok;

    /* Filenames are bytes: a rule on one that is no UTF-8 works. */
    ll_ruleset_allow_read (ruleset, (const char * const []) { existing, NULL });
    ok = prepare (ruleset, &error);
    if (have_landlock ())
      {
        g_assert_no_error (error);
        g_assert_true (ok);
        n_hostile++;
      }
    else
      {
        expect_error (&error, ll_test_no_landlock_error (), FALSE);
      }
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* The error names the path; a GError message is UTF-8 (bindings
     * decode it as such), which expect_error() checks. */
    ll_ruleset_allow_read (ruleset, (const char * const []) { missing, NULL });
    g_assert_false (prepare (ruleset, &error));
    expect_error_code (&error, LL_ERROR_PATH, TRUE);
    check_utf8 ("the error message", error->message);
    g_clear_error (&error);
  }
  if (have_landlock ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

      /* Skipped, and listed as it was given: skipped-paths holds file
       * names (bytes), not text, so nothing is rewritten. */
      ll_ruleset_set_ignore_missing (ruleset, TRUE);
      ll_ruleset_allow_read (ruleset, (const char * const []) { missing, NULL });
      g_assert_true (prepare (ruleset, &error));
      g_assert_no_error (error);
      g_assert_cmpstrv (ll_ruleset_get_skipped_paths (ruleset),
                        ((const char * const []) { missing, NULL }));
      n_hostile++;
    }
}

/* A path quoted into a message cannot drive the terminal that shows it:
 * no control character, no line break, no bidirectional override gets
 * through (ll-quote.c), whatever the path holds. */
static void
test_controls_in_messages (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autofree char *missing =
    g_build_filename (fixture->dir, "missing\nlandlock-run: forged line\x1b]0;title\x07"
                      "\xc2\x9b" "31m\xe2\x80\xae" "evil\xff", NULL);

  ll_ruleset_allow_read (ruleset, (const char * const []) { missing, NULL });
  g_assert_false (prepare (ruleset, &error));
  expect_error_code (&error, LL_ERROR_PATH, TRUE);
  if (g_error_matches (error, LL_ERROR, LL_ERROR_PATH))
    {
      const char *message = error->message;

      check_utf8 ("the error message", message);
      for (const char *c = message; *c != '\0'; c++)
        if ((guchar) *c < 0x20 || *c == 0x7f)
          g_error ("a control character (0x%02x) reaches the message: %s", (guchar) *c, message);
      g_assert_null (strstr (message, "\xc2\x9b"));
      g_assert_null (strstr (message, "\xe2\x80\xae"));
      g_assert_nonnull (strstr (message, "missing\\nlandlock-run: forged line\\u001b]0;title\\u0007"
                                         "\\u009b31m\\u202eevil\\xff"));
    }
}

static void
test_ports (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const int good_ports[] = { 0, 1, 65535 };
  static const int bad_ports[] = { -1, 65536, 65537, G_MAXINT, G_MININT, -65535 };
  static const gint64 bad_sys_ports[] = { -1, 65536, G_MAXINT64, G_MININT64, G_MAXUINT32 + G_GINT64_CONSTANT (1) };
  static const guint16 edge_ports[] = { 0, 65535 };

  for (gsize i = 0; i < G_N_ELEMENTS (good_ports); i++)
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

      ll_ruleset_add_net_rule (ruleset, good_ports[i], LL_ACCESS_NET_BIND_TCP, 0);
      g_assert_true (ll_ruleset_check (ruleset, &error));
      g_assert_no_error (error);
      n_hostile++;
    }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_allow_network (ruleset, edge_ports, G_N_ELEMENTS (edge_ports), TRUE, TRUE);
    g_assert_true (ll_ruleset_check (ruleset, &error));
    if (ll_get_abi_version (NULL) >= 4)
      g_assert_true (prepare (ruleset, &error));
    g_assert_no_error (error);
    n_hostile += 2;
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_ports); i++)
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

      ll_ruleset_add_net_rule (ruleset, bad_ports[i], LL_ACCESS_NET_BIND_TCP, 0);
      expect_problem (ruleset, LL_ERROR_INVALID);
    }

  /* The raw call checks the range itself, whatever the descriptor. */
  for (gsize i = 0; i < G_N_ELEMENTS (bad_sys_ports); i++)
    {
      g_assert_false (ll_sys_add_net_rule (-1, bad_sys_ports[i], LL_ACCESS_NET_BIND_TCP, 0, &error));
      expect_error (&error, LL_ERROR_INVALID, FALSE);
    }
  if (ll_get_abi_version (NULL) >= 4)
    {
      int fd = ll_sys_create_ruleset (0, LL_ACCESS_NET_BIND_TCP, 0, &error);

      g_assert_no_error (error);
      for (gsize i = 0; i < G_N_ELEMENTS (edge_ports); i++)
        {
          g_assert_true (ll_sys_add_net_rule (fd, edge_ports[i], LL_ACCESS_NET_BIND_TCP, 0, &error));
          g_assert_no_error (error);
          n_hostile++;
        }
      close (fd);
    }
}

static void
test_unknown_bits (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const dir[] = { fixture->dir, NULL };
  int abi = ll_get_abi_version (NULL);

  for (guint shift = 0; shift < 32; shift++)
    {
      guint bit = 1u << shift;

      if ((bit & ll_access_fs_for_abi (LL_ABI_MAX)) == 0)
        {
          g_autoptr(LlRuleset) path_rule = ll_ruleset_new ();
          g_autoptr(LlRuleset) handled = ll_ruleset_new ();
          g_autoptr(LlRuleset) quiet = ll_ruleset_new ();

          ll_ruleset_add_path_rule (path_rule, dir, bit);
          expect_problem (path_rule, LL_ERROR_INVALID);
          ll_ruleset_set_handled_access (handled, bit, 0, 0);
          expect_problem (handled, LL_ERROR_INVALID);
          ll_ruleset_set_quiet_access (quiet, bit, 0, 0);
          expect_problem (quiet, LL_ERROR_INVALID);

          /* The kernel refuses them too, through the raw calls. */
          g_assert_cmpint (ll_sys_create_ruleset (bit, 0, 0, &error), ==, -1);
          expect_error (&error, LL_ERROR_INVALID, TRUE);
        }
      if ((bit & ll_access_net_for_abi (LL_ABI_MAX)) == 0)
        {
          g_autoptr(LlRuleset) net_rule = ll_ruleset_new ();
          g_autoptr(LlRuleset) handled = ll_ruleset_new ();
          g_autoptr(LlRuleset) quiet = ll_ruleset_new ();

          ll_ruleset_add_net_rule (net_rule, 80, bit, 0);
          expect_problem (net_rule, LL_ERROR_INVALID);
          ll_ruleset_set_handled_access (handled, 0, bit, 0);
          expect_problem (handled, LL_ERROR_INVALID);
          ll_ruleset_set_quiet_access (quiet, 0, bit, 0);
          expect_problem (quiet, LL_ERROR_INVALID);
        }
      if ((bit & ll_scope_for_abi (LL_ABI_MAX)) == 0)
        {
          g_autoptr(LlRuleset) allow = ll_ruleset_new ();
          g_autoptr(LlRuleset) handled = ll_ruleset_new ();
          g_autoptr(LlRuleset) quiet = ll_ruleset_new ();

          ll_ruleset_allow_scope (allow, bit);
          expect_problem (allow, LL_ERROR_INVALID);
          ll_ruleset_set_handled_access (handled, 0, 0, bit);
          expect_problem (handled, LL_ERROR_INVALID);
          ll_ruleset_set_quiet_access (quiet, 0, 0, bit);
          expect_problem (quiet, LL_ERROR_INVALID);
        }
      if ((bit & ll_restrict_flags_for_abi (LL_ABI_MAX)) == 0)
        {
          g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

          ll_ruleset_set_restrict_flags (ruleset, bit);
          expect_problem (ruleset, LL_ERROR_INVALID);
        }
      if ((bit & ll_rule_flags_for_abi (LL_ABI_MAX)) == 0)
        {
          g_autoptr(LlRuleset) path_rule = ll_ruleset_new ();
          g_autoptr(LlRuleset) net_rule = ll_ruleset_new ();

          ll_ruleset_add_path_rule_full (path_rule, dir, LL_ACCESS_FS_READ_FILE, bit);
          expect_problem (path_rule, LL_ERROR_INVALID);
          ll_ruleset_add_net_rule (net_rule, 80, LL_ACCESS_NET_BIND_TCP, bit);
          expect_problem (net_rule, LL_ERROR_INVALID);
        }

      /* Bits the library knows but this kernel does not: a strict
       * ruleset refuses them, a best-effort one drops them. */
      if (abi > 0 && (bit & ll_access_fs_for_abi (LL_ABI_MAX) & ~ll_access_fs_for_abi (abi)) != 0)
        {
          g_autoptr(LlRuleset) strict = ll_ruleset_new ();
          g_autoptr(LlRuleset) best_effort = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);

          ll_ruleset_add_path_rule (strict, dir, bit);
          g_assert_false (prepare (strict, &error));
          expect_error (&error, LL_ERROR_INCOMPATIBLE, TRUE);

          ll_ruleset_add_path_rule (best_effort, dir, bit);
          g_assert_true (prepare (best_effort, &error));
          g_assert_no_error (error);
          g_assert_cmpint (ll_ruleset_get_status (best_effort), ==, LL_STATUS_PARTIALLY_ENFORCED);
          n_hostile++;
        }
    }

  /* ABI numbers no kernel has. */
  {
    static const int abis[] = { G_MININT, -1, 0, LL_ABI_MAX + 1, G_MAXINT };

    for (gsize i = 0; i < G_N_ELEMENTS (abis); i++)
      {
        int expected = abis[i] < 1 ? 0 : LL_ABI_MAX;

        g_assert_cmphex (ll_access_fs_for_abi (abis[i]), ==, ll_access_fs_for_abi (expected));
        g_assert_cmphex (ll_access_net_for_abi (abis[i]), ==, ll_access_net_for_abi (expected));
        g_assert_cmphex (ll_scope_for_abi (abis[i]), ==, ll_scope_for_abi (expected));
        g_assert_cmphex (ll_restrict_flags_for_abi (abis[i]), ==,
                         abis[i] < 1 ? 0 : ll_restrict_flags_for_abi (LL_ABI_MAX));
        g_assert_cmphex (ll_rule_flags_for_abi (abis[i]), ==, ll_rule_flags_for_abi (expected));
        n_hostile++;
      }
  }
}

/* Descriptors that are not what ll_sys_* expect. */
typedef enum { FD_MINUS_ONE, FD_CLOSED, FD_INT_MAX, FD_PIPE, FD_DEV_NULL, FD_DIRECTORY, N_BAD_FDS } BadFd;

static int
open_bad_fd (BadFd       kind,
             const char *dir,
             int         pipe_fds[2])
{
  int fd;

  switch (kind)
    {
    case FD_MINUS_ONE: return -1;
    case FD_INT_MAX: return G_MAXINT;
    case FD_CLOSED:
      fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      close (fd);
      return fd;
    case FD_PIPE: return pipe_fds[0];
    case FD_DEV_NULL: return open ("/dev/null", O_RDONLY | O_CLOEXEC);
    case FD_DIRECTORY: return open (dir, O_PATH | O_CLOEXEC);
    case N_BAD_FDS:
    default:
      g_assert_not_reached ();
    }
}

static void
close_bad_fd (BadFd kind,
              int   fd)
{
  if (kind == FD_DEV_NULL || kind == FD_DIRECTORY)
    close (fd);
}

static void
test_bad_fds (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int pipe_fds[2];
  int ruleset_fd = -1, dir_fd;
  guint fds_before = ll_test_count_fds ();

  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
  dir_fd = open (fixture->dir, O_PATH | O_CLOEXEC);
  if (have_landlock ())
    {
      ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
      g_assert_no_error (error);
    }

  for (BadFd kind = 0; kind < N_BAD_FDS; kind++)
    {
      int fd = open_bad_fd (kind, fixture->dir, pipe_fds);

      /* As the ruleset. */
      g_assert_false (ll_sys_add_path_rule (fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
      expect_error (&error, LL_ERROR_INVALID, TRUE);
      g_assert_false (ll_sys_add_net_rule (fd, 80, LL_ACCESS_NET_BIND_TCP, 0, &error));
      expect_error (&error, LL_ERROR_INVALID, TRUE);

      /* As the path (a directory is a good one). */
      if (kind == FD_DEV_NULL && ruleset_fd >= 0)
        {
          /* A device node is a fine file to grant reading on. */
          g_assert_true (ll_sys_add_path_rule (ruleset_fd, fd, LL_ACCESS_FS_READ_FILE, 0, &error));
          g_assert_no_error (error);
          n_hostile++;
        }
      else if (kind != FD_DIRECTORY && ruleset_fd >= 0)
        {
          /* Not open, or a pipe (an internal filesystem): EBADF, EBADFD. */
          g_assert_false (ll_sys_add_path_rule (ruleset_fd, fd, LL_ACCESS_FS_READ_FILE, 0, &error));
          expect_error (&error, LL_ERROR_INVALID, TRUE);
        }
      close_bad_fd (kind, fd);
    }

  /* The ruleset as its own rule's path: an internal file, refused. */
  if (ruleset_fd >= 0)
    {
      g_assert_false (ll_sys_add_path_rule (ruleset_fd, ruleset_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
      expect_error (&error, LL_ERROR_INVALID, TRUE);
      close (ruleset_fd);
    }
  close (dir_fd);
  close (pipe_fds[0]);
  close (pipe_fds[1]);
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

/* restrict_self() looks at the descriptor only once no_new_privs is set
 * (or with CAP_SYS_ADMIN): in a child, which sets it first. */
static void
test_restrict_bad_fds (Fixture       *fixture,
                       gconstpointer  data)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      /* The child counts in its own process; what it tried is known. */
      n_hostile += N_BAD_FDS + 32 - __builtin_popcount (ll_restrict_flags_for_abi (LL_ABI_MAX));
      return;
    }

  {
    g_autoptr(GError) error = NULL;
    int pipe_fds[2];

    g_assert_true (ll_sys_set_no_new_privs (&error) || !have_landlock ());
    g_clear_error (&error);
    g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
    for (BadFd kind = 0; kind < N_BAD_FDS; kind++)
      {
        int fd = open_bad_fd (kind, fixture->dir, pipe_fds);

        g_assert_false (ll_sys_restrict_self (fd, 0, &error));
        expect_error (&error, LL_ERROR_INVALID, TRUE);
        close_bad_fd (kind, fd);
      }
    /* Unknown flags, whatever the descriptor. */
    for (guint shift = 0; shift < 32; shift++)
      {
        guint bit = 1u << shift;

        if ((bit & ll_restrict_flags_for_abi (LL_ABI_MAX)) != 0)
          continue;
        g_assert_false (ll_sys_restrict_self (pipe_fds[0], bit, &error));
        expect_error (&error, LL_ERROR_INVALID, TRUE);
      }
  }
}

/* Two threads on one ruleset at once. LlRuleset, like most GObjects, is
 * not thread-safe (docs/security.md); what is checked here is the misuse a
 * program is most likely to make of one shared, finished ruleset: checking
 * it, reading its properties and starting sandboxed children from two
 * threads, with the same outcome each time. Neither may crash, hang, leak
 * or fail. */
#define N_THREADS 2
#define N_ROUNDS 200

static gpointer
use_shared_ruleset (gpointer data)
{
  LlRuleset *ruleset = data;

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
      g_autoptr(GError) error = NULL;

      g_assert_true (ll_ruleset_check (ruleset, &error));
      g_assert_no_error (error);
      ll_ruleset_get_handled_access_fs (ruleset);
      ll_ruleset_get_status_reason (ruleset);
      g_assert_true (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_two_threads (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LlRuleset) ruleset = g_object_new (LL_TYPE_RULESET, "strict", FALSE,
                                               "ignore-missing", TRUE, NULL);
  GThread *threads[N_THREADS];
  guint fds_before = ll_test_count_fds ();

  ll_ruleset_allow_read (ruleset, (const char * const []) { fixture->dir, fixture->file,
                                                            "/nonexistent/ll-test-bad-input", NULL });
  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("ruleset-user", use_shared_ruleset, ruleset);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  n_hostile++;

  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==,
                   have_landlock () ? LL_STATUS_FULLY_ENFORCED : LL_STATUS_NOT_ENFORCED);
  if (have_landlock ())
    g_assert_cmpstrv (ll_ruleset_get_skipped_paths (ruleset),
                      ((const char * const []) { "/nonexistent/ll-test-bad-input", NULL }));
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

/* Last: prints the total. */
static void
test_count (void)
{
  g_test_message ("hostile inputs tried: %u", n_hostile);
  g_assert_cmpuint (n_hostile, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (critical_cases); i++)
    {
      for (int wrong_type = 0; wrong_type <= critical_cases[i].takes_bad_ruleset; wrong_type++)
        {
          CriticalRun *run = g_new0 (CriticalRun, 1);
          g_autofree char *path = NULL;

          run->critical = &critical_cases[i];
          run->wrong_type = wrong_type;
          g_ptr_array_add (runs, run);
          path = g_strdup_printf ("/bad-input/critical/%s%s", critical_cases[i].name,
                                  !critical_cases[i].takes_bad_ruleset ? ""
                                    : wrong_type ? "/wrong-type" : "/null");
          g_test_add_data_func (path, run, test_critical);
        }
    }

#define ADD(name, func) \
  g_test_add ("/bad-input/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("empty", test_empty);
  ADD ("huge", test_huge);
  ADD ("long-paths", test_long_paths);
  ADD ("non-utf8", test_non_utf8);
  ADD ("controls-in-messages", test_controls_in_messages);
  ADD ("ports", test_ports);
  ADD ("unknown-bits", test_unknown_bits);
  ADD ("bad-fds", test_bad_fds);
  ADD ("restrict-bad-fds", test_restrict_bad_fds);
  ADD ("two-threads", test_two_threads);
#undef ADD
  /* A suite created after the others runs after them. */
  g_test_add_func ("/bad-input/total/count", test_count);

  return g_test_run ();
}
