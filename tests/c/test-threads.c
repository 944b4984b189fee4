/* test-threads.c: an honest status when other threads exist
 *
 * Below ABI 8 (no TSYNC) landlock_restrict_self() restricts only the
 * calling thread. The library must say so (PARTIALLY_ENFORCED, with the
 * number of threads left out), and these tests prove that what it says is
 * what the kernel does. From ABI 8 every thread is restricted at once,
 * which must never widen the sandbox a thread gave itself alone; from
 * ABI 11 every thread also gets no_new_privs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

/* A thread that sits idle until given a job, runs it and reports its
 * result, as many times as asked. It was started before the sandbox was
 * applied, so it shows what the kernel did to a thread that existed. */
typedef int (*WorkerJob) (gconstpointer data);

typedef struct
{
  GMutex        lock;
  GCond         cond;
  WorkerJob     job;          /* set by the main thread: go */
  gconstpointer data;
  gboolean      done;
  gboolean      quit;
  int           result;
  GThread      *thread;
} Worker;

static gpointer
worker_run (gpointer user_data)
{
  Worker *worker = user_data;

  g_mutex_lock (&worker->lock);
  for (;;)
    {
      while (worker->job == NULL && !worker->quit)
        g_cond_wait (&worker->cond, &worker->lock);
      if (worker->quit)
        break;
      worker->result = worker->job (worker->data);
      worker->job = NULL;
      worker->done = TRUE;
      g_cond_broadcast (&worker->cond);
    }
  g_mutex_unlock (&worker->lock);
  return NULL;
}

static void
worker_start (Worker *worker)
{
  g_mutex_init (&worker->lock);
  g_cond_init (&worker->cond);
  worker->thread = g_thread_new ("ll-test-worker", worker_run, worker);
}

/* Runs @job (@data) in @worker's thread and returns what it returned. */
static int
worker_call (Worker        *worker,
             WorkerJob      job,
             gconstpointer  data)
{
  int result;

  g_mutex_lock (&worker->lock);
  worker->job = job;
  worker->data = data;
  worker->done = FALSE;
  g_cond_broadcast (&worker->cond);
  while (!worker->done)
    g_cond_wait (&worker->cond, &worker->lock);
  result = worker->result;
  g_mutex_unlock (&worker->lock);
  return result;
}

static void
worker_stop (Worker *worker)
{
  g_mutex_lock (&worker->lock);
  worker->quit = TRUE;
  g_cond_broadcast (&worker->cond);
  g_mutex_unlock (&worker->lock);
  g_thread_join (worker->thread);
  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->cond);
}

static int
job_open (gconstpointer path)
{
  return ll_test_open_errno (path, O_RDONLY);
}

/* Has @worker open @path; reports what it got like open(2) would (0, or
 * -1 with errno set), for ll_test_assert_errno(). */
static int
worker_open (Worker     *worker,
             const char *path)
{
  return ll_test_errno_result (worker_call (worker, job_open, path));
}

/* prctl(), not /proc: the sandbox may deny reading /proc. */
static int
job_no_new_privs (gconstpointer data)
{
  return ll_test_no_new_privs_is_set ();
}

/* The worker restricts itself alone, granting nothing at all. */
static int
job_sandbox_alone (gconstpointer data)
{
  g_autoptr(LlRuleset) own = g_object_new (LL_TYPE_RULESET, "all-threads", FALSE, NULL);
  g_autoptr(GError) error = NULL;

  if (!ll_ruleset_apply (own, NULL, &error))
    {
      g_printerr ("the worker could not sandbox itself: %s\n", error->message);
      return -1;
    }
  return 0;
}

/* Skips when the kernel has no TSYNC (ABI 8): below, nothing restricts
 * another thread, so there is nothing of this to check. */
static gboolean
require_tsync (void)
{
  return ll_test_require_abi (8);
}

static gpointer
open_thread (gpointer user_data)
{
  return GINT_TO_POINTER (ll_test_open_errno (user_data, O_RDONLY));
}

/* Opens @path in a thread started now, and reports what it got like
 * open(2) would (0, or -1 with errno set), for ll_test_assert_errno(). */
static int
open_in_new_thread (const char *path)
{
  GThread *thread = g_thread_new ("ll-test-late", open_thread, (gpointer) path);

  return ll_test_errno_result (GPOINTER_TO_INT (g_thread_join (thread)));
}

static void
test_threads_other_thread_unrestricted (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  Worker worker = { 0 };
  LlStatus status = LL_STATUS_NOT_ENFORCED;
  const char *reason;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  worker_start (&worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);

  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  /* Below ABI 8 the library cannot cover the worker with the default
   * all-threads, and must say so rather than fail or claim FULLY; from
   * ABI 8 it could (see /threads/tsync/), so the worker is left out on
   * purpose, which the status must say just the same. */
  if (ll_get_abi_version (NULL) >= 8)
    ll_ruleset_set_all_threads (ruleset, FALSE);

  g_assert_true (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 1);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  g_test_message ("reason: %s", reason);
  g_assert_nonnull (strstr (reason, ll_ruleset_get_all_threads (ruleset) ? "ABI 8" : "all-threads"));

  /* The main thread is restricted... */
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);

  /* ...and the worker really is not: that is what the status reports. */
  ll_test_assert_errno (worker_open (&worker, tree.outside_file), 0);

  worker_stop (&worker);
}

/* /threads/tsync/earlier-thread-restricted: from ABI 8, a thread started
 * before apply() is restricted too, and the status can say FULLY. */
static void
test_threads_tsync_covers_earlier_thread (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_auto(LlTestTree) tree = { 0 };
  Worker worker = { 0 };

  if (!ll_test_in_child ())
    {
      if (require_tsync ())
        ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  worker_start (&worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);
  ll_test_assert_errno (worker_open (&worker, tree.outside_file), 0);

  ll_ruleset_allow_read (ruleset, (const char *[]) { tree.inside_dir, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);

  ll_test_assert_errno (worker_open (&worker, tree.inside_file), 0);
  ll_test_assert_errno (worker_open (&worker, tree.outside_file), EACCES);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);

  /* Every thread gets no_new_privs with the sandbox: from ABI 11 the
   * kernel sets it itself (LL_RESTRICT_FLAGS_NO_NEW_PRIVS); on 8 to 10,
   * TSYNC copies the calling thread's, which the library set (seen on the
   * real 7.2 kernel). */
  g_assert_true (ll_test_no_new_privs_is_set ());
  g_assert_true (worker_call (&worker, job_no_new_privs, NULL));

  worker_stop (&worker);
}

/* /threads/tsync/never-widens: a worker restricted itself alone, more
 * tightly; TSYNC from the main thread would give it the main thread's
 * sandbox instead. Strict: refused, nothing changes. Best-effort: only the
 * calling thread is restricted, the worker keeps its own sandbox. */
static void
test_threads_tsync_never_widens (void)
{
  g_auto(LlTestTree) tree = { 0 };
  Worker worker = { 0 };

  if (!ll_test_in_child ())
    {
      if (require_tsync ())
        ll_test_tree_run_child ("threads");
      return;
    }

  ll_test_tree_from_child (&tree);
  worker_start (&worker);
  g_assert_cmpint (worker_call (&worker, job_sandbox_alone, NULL), ==, 0);
  ll_test_assert_errno (worker_open (&worker, tree.inside_file), EACCES);
  ll_test_assert_open (tree.outside_file, O_RDONLY, 0);

  {
    g_autoptr(LlRuleset) strict = ll_ruleset_new ();
    g_autoptr(GError) error = NULL;

    ll_ruleset_allow_read (strict, (const char *[]) { tree.inside_dir, NULL });
    g_assert_false (ll_ruleset_apply (strict, NULL, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
    g_test_message ("strict: %s", error->message);
    g_assert_nonnull (strstr (error->message, "widening"));
    g_assert_false (ll_ruleset_get_applied (strict));
    /* Nothing was applied. */
    ll_test_assert_open (tree.outside_file, O_RDONLY, 0);
  }
  {
    g_autoptr(LlRuleset) lenient = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);

    ll_ruleset_allow_read (lenient, (const char *[]) { tree.inside_dir, NULL });
    ll_test_apply_expect (lenient, LL_STATUS_PARTIALLY_ENFORCED);
    g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (lenient), ==, 1);
    g_test_message ("best-effort: %s", ll_ruleset_get_status_reason (lenient));
    g_assert_nonnull (strstr (ll_ruleset_get_status_reason (lenient), "widening"));
  }

  /* The main thread has its new sandbox; the worker kept its own, which
   * grants nothing: it was not widened to the main thread's. */
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
  ll_test_assert_errno (worker_open (&worker, tree.inside_file), EACCES);

  worker_stop (&worker);
}

static void
test_threads_created_after_apply_restricted (void)
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
  {
    const char * const paths[] = { tree.inside_dir, NULL };
    ll_ruleset_allow_read (ruleset, paths);
  }
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  /* A thread inherits its creator's domain: FULLY stays true. */
  ll_test_assert_errno (open_in_new_thread (tree.outside_file), EACCES);
  ll_test_assert_errno (open_in_new_thread (tree.inside_file), 0);
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
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
}

/* /threads/count-needs-procfs: the count believes /proc only if it is
 * procfs. Whoever can mount (root, or a user namespace) could put a tmpfs
 * there with a /proc/self/task of one entry, and a partial sandbox would
 * then look complete. */
static void
test_threads_count_needs_procfs (void)
{
  g_autoptr(LlRuleset) ruleset = NULL;
  Worker worker = { 0 };

  if (!ll_test_in_child ())
    {
      if (!ll_test_require_abi (1))
        return;
      if (geteuid () != 0)
        {
          g_test_skip ("needs root to mount a fake /proc in a mount namespace of its own");
          return;
        }
      ll_test_run_child ();
      return;
    }

  /* A private mount namespace, before any thread exists (unshare() of the
   * filesystem attributes needs a single thread). */
  g_assert_no_errno (unshare (CLONE_NEWNS));
  g_assert_no_errno (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
  g_assert_no_errno (mount ("ll-test-fake-proc", "/proc", "tmpfs", 0, NULL));
  g_assert_no_errno (g_mkdir_with_parents ("/proc/self/task/1", 0755));

  worker_start (&worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 0);

  /* all-threads FALSE: the count decides the status on every ABI. */
  ruleset = g_object_new (LL_TYPE_RULESET, "all-threads", FALSE, NULL);
  ll_ruleset_allow_read (ruleset, (const char *[]) { "/usr", NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_PARTIALLY_ENFORCED);
  g_test_message ("%s", ll_ruleset_get_status_reason (ruleset));
  g_assert_nonnull (strstr (ll_ruleset_get_status_reason (ruleset), "cannot be counted"));

  worker_stop (&worker);
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
  g_test_add_func ("/threads/tsync/earlier-thread-restricted",
                   test_threads_tsync_covers_earlier_thread);
  g_test_add_func ("/threads/tsync/never-widens", test_threads_tsync_never_widens);
  g_test_add_func ("/threads/count-needs-procfs", test_threads_count_needs_procfs);

  g_test_add_func ("/threads/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
