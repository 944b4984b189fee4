/* test-layers.c: stacked rulesets, no_new_privs and a ruleset's life cycle
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every ruleset applied adds a layer to the process's Landlock domain: a
 * later layer can only take rights away, never give them back. All of it
 * runs in g_test_trap_subprocess() children.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

/* The kernel's limit on stacked layers. */
#define LANDLOCK_MAX_LAYERS 16

static char *
path_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* "a" and "b", each with a "file". */
static char *
prepare_two_dirs (const char *name)
{
  char *dir = ll_test_make_tmpdir (name);
  const char * const subdirs[] = { "a", "b" };

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = path_in (dir, subdirs[i]);

      g_assert_no_errno (g_mkdir (sub, 0755));
      g_free (ll_test_write_file (sub, "file", "hello"));
    }
  return dir;
}

/* /layers/narrowing */

static void
test_narrowing (void)
{
  g_autofree char *tmpdir = NULL;

  if (ll_test_in_child ())
    {
      const char *dir = ll_test_child_dir ();
      g_autofree char *a = path_in (dir, "a");
      g_autofree char *b = path_in (dir, "b");
      g_autofree char *a_file = path_in (a, "file");
      g_autofree char *b_file = path_in (b, "file");
      g_autoptr(LlRuleset) first = ll_ruleset_new ();
      g_autoptr(LlRuleset) second = ll_ruleset_new ();

      ll_ruleset_allow_read (first, (const char *[]) { a, b, NULL });
      ll_test_apply_expect (first, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_open (a_file, O_RDONLY, 0);
      ll_test_assert_open (b_file, O_RDONLY, 0);
      ll_test_assert_open (a_file, O_WRONLY, EACCES);

      /* The second layer grants writing in "a", which the first did not,
       * and nothing in "b", which the first let us read. */
      ll_ruleset_allow_read_write (second, (const char *[]) { a, NULL });
      ll_test_apply_expect (second, LL_STATUS_FULLY_ENFORCED);

      /* Both allow it. */
      ll_test_assert_open (a_file, O_RDONLY, 0);
      /* Only the first allows it. */
      ll_test_assert_open (b_file, O_RDONLY, EACCES);
      /* Only the second allows it. */
      ll_test_assert_open (a_file, O_WRONLY, EACCES);
      return;
    }

  if (!ll_test_require_abi (1))
    return;
  tmpdir = prepare_two_dirs ("narrowing");
  ll_test_run_child_with_dir (tmpdir);
}

/* /layers/no-new-privs */

static void
test_no_new_privs (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      int before = prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

      g_assert_no_errno (before);
      /* Unless the runner already had it, the bit is not set yet. */
      if (before == 0)
        g_test_message ("no_new_privs was not set before apply()");

      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      /* Set even for root, who could restrict itself without it: the
       * library always sets it, as the kernel documentation advises. */
      g_assert_cmpint (prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), ==, 1);
      ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);
      return;
    }

  if (!ll_test_require_abi (1))
    return;
  ll_test_run_child ();
}

/* /layers/limit */

static void
test_layer_limit (void)
{
  g_autofree char *tmpdir = NULL;

  if (ll_test_in_child ())
    {
      const char *dir = ll_test_child_dir ();
      g_autofree char *a = path_in (dir, "a");
      g_autofree char *a_file = path_in (a, "file");
      g_autoptr(LlRuleset) last = ll_ruleset_new ();
      g_autoptr(GError) error = NULL;
      LlStatus status;

      for (int i = 0; i < LANDLOCK_MAX_LAYERS; i++)
        {
          g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

          g_test_message ("layer %d", i + 1);
          ll_ruleset_allow_read (ruleset, (const char *[]) { a, NULL });
          ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
        }

      ll_ruleset_allow_read (last, (const char *[]) { a, NULL });
      g_assert_false (ll_ruleset_apply (last, &status, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_LAYER_LIMIT);
      g_test_message ("layer %d: %s", LANDLOCK_MAX_LAYERS + 1, error->message);
      g_assert_false (ll_ruleset_get_applied (last));

      /* The 16 layers stay in force. */
      ll_test_assert_open (a_file, O_RDONLY, 0);
      ll_test_assert_open (a_file, O_WRONLY, EACCES);
      ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);
      return;
    }

  if (!ll_test_require_abi (1))
    return;
  tmpdir = prepare_two_dirs ("limit");
  ll_test_run_child_with_dir (tmpdir);
}

/* /layers/apply-twice */

static void
test_apply_twice (void)
{
  g_autofree char *tmpdir = NULL;

  if (ll_test_in_child ())
    {
      const char *dir = ll_test_child_dir ();
      g_autofree char *a = path_in (dir, "a");
      g_autofree char *a_file = path_in (a, "file");
      g_autofree char *b_file = g_build_filename (dir, "b", "file", NULL);
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      g_autoptr(GError) error = NULL;
      LlStatus status;

      ll_ruleset_allow_read (ruleset, (const char *[]) { a, NULL });
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      g_assert_true (ll_ruleset_get_applied (ruleset));

      g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
      g_test_message ("%s", error->message);

      /* The first application is untouched. */
      g_assert_true (ll_ruleset_get_applied (ruleset));
      g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
      ll_test_assert_open (a_file, O_RDONLY, 0);
      ll_test_assert_open (b_file, O_RDONLY, EACCES);
      return;
    }

  if (!ll_test_require_abi (1))
    return;
  tmpdir = prepare_two_dirs ("apply-twice");
  ll_test_run_child_with_dir (tmpdir);
}

/* /layers/modify-after-apply */

static void
test_modify_after_apply (void)
{
  g_autofree char *tmpdir = NULL;

  if (ll_test_in_child ())
    {
      const char *dir = ll_test_child_dir ();
      g_autofree char *a = path_in (dir, "a");
      g_autofree char *b = path_in (dir, "b");
      g_autofree char *a_file = path_in (a, "file");
      g_autofree char *b_file = path_in (b, "file");
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) apply_error = NULL;

      ll_ruleset_allow_read (ruleset, (const char *[]) { a, NULL });
      g_assert_true (ll_ruleset_check (ruleset, &error));
      g_assert_no_error (error);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      /* The builder still chains, but the rule can no longer take effect:
       * check() says so instead of letting the caller believe it did. */
      g_assert_true (ll_ruleset_allow_read (ruleset, (const char *[]) { b, NULL }) == ruleset);
      g_assert_false (ll_ruleset_check (ruleset, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_false (ll_ruleset_apply (ruleset, NULL, &apply_error));
      g_assert_error (apply_error, LL_ERROR, LL_ERROR_INVALID);

      ll_test_assert_open (a_file, O_RDONLY, 0);
      ll_test_assert_open (b_file, O_RDONLY, EACCES);
      return;
    }

  if (!ll_test_require_abi (1))
    return;
  tmpdir = prepare_two_dirs ("modify");
  ll_test_run_child_with_dir (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layers/narrowing", test_narrowing);
  g_test_add_func ("/layers/no-new-privs", test_no_new_privs);
  g_test_add_func ("/layers/limit", test_layer_limit);
  g_test_add_func ("/layers/apply-twice", test_apply_twice);
  g_test_add_func ("/layers/modify-after-apply", test_modify_after_apply);

  g_test_add_func ("/layers/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
