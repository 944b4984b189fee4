/* test-threads.c: an honest status when other threads exist
 *
 * Below ABI 8 (no TSYNC) landlock_restrict_self() restricts only the
 * calling thread. The library must say so (PARTIALLY_ENFORCED, with the
 * number of threads left out), and these tests prove that what it says is
 * what the kernel does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

/* A thread that sits idle until told to try opening a file, and reports
 * the errno it got. It was started before the sandbox was applied. */
typedef struct
{
  GMutex      lock;
  GCond       cond;
  const char *path_to_open;   /* set by the main thread: go */
  gboolean    done;
  int         open_errno;
} Worker;

static gpointer
worker_run (gpointer user_data)
{
  Worker *worker = user_data;
  const char *path;
  int result;

  g_mutex_lock (&worker->lock);
  while (worker->path_to_open == NULL)
    g_cond_wait (&worker->cond, &worker->lock);
  path = worker->path_to_open;
  g_mutex_unlock (&worker->lock);

  result = ll_test_open_errno (path, O_RDONLY);

  g_mutex_lock (&worker->lock);
  worker->open_errno = result;
  worker->done = TRUE;
  g_cond_signal (&worker->cond);
  g_mutex_unlock (&worker->lock);
  return NULL;
}

/* Has @worker open @path and returns the errno it got (0: success). */
static int
worker_open_errno (Worker     *worker,
                   const char *path)
{
  int result;

  g_mutex_lock (&worker->lock);
  worker->path_to_open = path;
  g_cond_signal (&worker->cond);
  while (!worker->done)
    g_cond_wait (&worker->cond, &worker->lock);
  result = worker->open_errno;
  g_mutex_unlock (&worker->lock);
  return result;
}

static gpointer
open_outside_thread (gpointer user_data)
{
  return GINT_TO_POINTER (ll_test_open_errno (user_data, O_RDONLY));
}

static void
test_threads_other_thread_unrestricted (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  Worker worker = { 0 };
  LlStatus status = LL_STATUS_NOT_ENFORCED;
  GThread *thread;
  const char *reason;

  if (!ll_test_in_child ())
    {
      int abi = ll_get_abi_version (NULL);

      if (!ll_test_require_abi (1))
        return;
      if (abi >= 8)
        {
          /* With TSYNC every thread is covered; that is checked with the
           * emulated kernel, not here. */
          g_autofree char *msg = g_strdup_printf ("ABI %d has TSYNC: no thread is left "
                                                  "unrestricted to check", abi);
          g_test_skip (msg);
          return;
        }
      ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  g_mutex_init (&worker.lock);
  g_cond_init (&worker.cond);
  thread = g_thread_new ("ll-test-worker", worker_run, &worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);

  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  /* all-threads is the default: the library cannot cover the worker on
   * this kernel, and must say so rather than fail or claim FULLY. */
  g_assert_true (ll_ruleset_get_all_threads (ruleset));

  g_assert_true (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 1);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  g_test_message ("reason: %s", reason);

  /* The main thread is restricted... */
  g_assert_cmpint (ll_test_open_errno (tree.inside_file, O_RDONLY), ==, 0);
  g_assert_cmpint (ll_test_open_errno (tree.outside_file, O_RDONLY), ==, EACCES);

  /* ...and the worker really is not: that is what the status reports. */
  g_assert_cmpint (worker_open_errno (&worker, tree.outside_file), ==, 0);

  g_thread_join (thread);
  g_mutex_clear (&worker.lock);
  g_cond_clear (&worker.cond);
}

static void
test_threads_created_after_apply_restricted (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };
  GThread *thread;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  /* A thread inherits its creator's domain: FULLY stays true. */
  thread = g_thread_new ("ll-test-late", open_outside_thread, tree.outside_file);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (thread)), ==, EACCES);
  thread = g_thread_new ("ll-test-late", open_outside_thread, tree.inside_file);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (thread)), ==, 0);
}

static void
test_threads_single_thread_fully (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  g_assert_cmpuint (ll_get_thread_count (), ==, 1);
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }

  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);
  g_assert_cmpint (ll_test_open_errno (tree.inside_file, O_RDONLY), ==, 0);
  g_assert_cmpint (ll_test_open_errno (tree.outside_file, O_RDONLY), ==, EACCES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/threads/other-thread-unrestricted", test_threads_other_thread_unrestricted);
  g_test_add_func ("/threads/created-after-apply-restricted",
                   test_threads_created_after_apply_restricted);
  g_test_add_func ("/threads/single-thread-fully", test_threads_single_thread_fully);

  return g_test_run ();
}
