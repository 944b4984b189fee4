/* ll-test-utils.h: what every C test of landlock-glib shares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <errno.h>

#include <landlock-glib/landlock-glib.h>

G_BEGIN_DECLS

/* Skips the current test (with the reason) and returns FALSE when the
 * running kernel's Landlock ABI is below @min_abi or Landlock is missing. */
gboolean  ll_test_require_abi        (int          min_abi);

/* Where the kernel has no usable Landlock: the error code a strict
 * ruleset fails with here, LL_ERROR_NOT_AVAILABLE (no Landlock, or
 * valgrind) or LL_ERROR_DISABLED (left out of lsm= at boot). test-abi
 * checks the library's answer against the raw system call. */
LlError   ll_test_no_landlock_error  (void);

/* A test for kernels without Landlock (Linux 5.10, or Landlock left out
 * of lsm=), registered by every enforcement test program so that such a
 * kernel checks what it must do instead of skipping everything: a strict
 * ruleset fails with the documented error and changes nothing, a
 * best-effort one reports NOT_ENFORCED and says why, and nothing is
 * restricted. Skips where the kernel has Landlock (the other tests of the
 * program check that). */
void      ll_test_no_landlock        (void);

/* For the downgrade tests: in the test runner, runs the current test in a
 * child on a kernel with Landlock but below @abi; elsewhere skips, naming
 * @covered_by, the test that checks the feature where the kernel has it. */
void      ll_test_run_child_below_abi (int         abi,
                                       const char *covered_by);

/* A number of seconds or iterations for the environment the tests run in:
 * multiplied by LL_TEST_TIMEOUT_MULTIPLIER (emulated CPUs are slow), or
 * divided by 10 when LL_TEST_QUICK is set (heavy loops in a VM). */
guint     ll_test_timeout_seconds    (guint        seconds);
guint     ll_test_iterations         (guint        iterations);

/* A fresh directory under the test's temporary area; removed with
 * ll_test_rm_rf(). */
char     *ll_test_make_tmpdir        (const char  *name);
void      ll_test_rm_rf              (const char  *path);

/* Writes @contents into @dir/@name and returns the new file's path. */
char     *ll_test_write_file         (const char  *dir,
                                      const char  *name,
                                      const char  *contents);

/* Returns 0 when open(2) with @flags succeeds (and closes the fd), else the
 * errno it failed with: for a thread that reports what it got to another.
 * In the thread that opens, assert with ll_test_assert_open() instead. */
int       ll_test_open_errno         (const char  *path,
                                      int          flags);

/* For a helper that learns an errno elsewhere (from another thread, or
 * posix_spawn()'s return value): sets errno to @errsv and returns -1, or
 * returns 0 when @errsv is 0. The helper then reports like a system call,
 * and is checked with ll_test_assert_errno() as one. */
int       ll_test_errno_result       (int          errsv);

/* Applies @ruleset and asserts that it succeeded with @expected_status. */
void      ll_test_apply_expect       (LlRuleset   *ruleset,
                                      LlStatus     expected_status);

/* Lets the processes a test spawns under @ruleset start at all: grants
 * reading and executing beneath the system's program and library
 * directories that exist here (/usr, /lib, /lib64, /bin, /sbin), and
 * reading the dynamic linker's cache. Only existing paths are added, so
 * the ruleset keeps its default strictness about missing ones. */
void      ll_test_allow_programs     (LlRuleset   *ruleset);

/* Number of open file descriptors of this process (/proc/self/fd). */
guint     ll_test_count_fds          (void);

/* The same without touching the filesystem (fcntl() on 0 to 1023), so that
 * it still works once a sandbox denies reading /proc/self/fd. */
guint     ll_test_count_fds_by_probe (void);

/* Whether this thread has no_new_privs set. */
gboolean  ll_test_no_new_privs_is_set (void);

/* Like ll_test_count_fds(), once the count has stopped changing for a
 * while. GLib's worker thread closes the descriptors of a finished child
 * (its pidfd, the context of a synchronous wait) a moment after the waiter
 * returns; counting at once would race with it. */
guint     ll_test_count_fds_settled  (void);

/* Runs the current test's body in a child process (g_test_trap_subprocess),
 * and asserts that the child passed. Use as:
 *
 *   if (ll_test_in_child ()) { ...restrict and check...; return; }
 *   ll_test_run_child ();
 */
#define ll_test_in_child() g_test_subprocess ()
void      ll_test_run_child          (void);

/* Like ll_test_run_child(), but hands @dir (prepared by the parent) to the
 * child through the environment, where ll_test_child_dir() finds it: a
 * g_test_trap_subprocess() child starts afresh and shares no variables with
 * its parent. Removes @dir once the child is done, before asserting that it
 * passed, so that a failing test leaves nothing behind. */
void      ll_test_run_child_with_dir (const char  *dir);

/* The same, calling @cleanup (@data) once the child is done, before
 * asserting that it passed: what the parent changed for the child is put
 * back whatever the child's outcome. */
void      ll_test_run_child_with_dir_then (const char *dir,
                                           GFunc       cleanup,
                                           gpointer    data);

/* In the child: the directory given to ll_test_run_child_with_dir(). */
const char *ll_test_child_dir        (void);

/* The one way the C tests assert the errno of an operation, denied or
 * allowed: ll_test_assert_errno(), or ll_test_assert_open() for open(2).
 *
 * Asserts that @call, a system call (or a helper that reports like one:
 * -1 with errno set on failure) failed with @expected_errno, or succeeded
 * when that is 0. The message names the call and both errors, by name and
 * description, so that a denial which is not Landlock's (ENOENT, EPERM
 * from DAC...) is told apart from EACCES:
 *
 *   open ("/tmp/x/denied", O_RDONLY): expected EACCES (Permission denied),
 *   got ENOENT (No such file or directory)
 *
 * A helper that wraps a call (a socket made, bound and closed) reports
 * like a system call too, with ll_test_errno_result(). Setting-up calls
 * that must simply succeed keep GLib's g_assert_no_errno(). */
#define ll_test_assert_errno(call, expected_errno) \
  G_STMT_START { \
    long ll_ret_ = (long) (call); \
    int ll_errsv_ = errno; \
    ll_test_check_errno (__FILE__, __LINE__, G_STRFUNC, #call, \
                         ll_ret_, ll_errsv_, (expected_errno)); \
  } G_STMT_END

/* Asserts that open(2) of @path with @flags fails with @expected_errno, or
 * succeeds when that is 0 (the descriptor is closed again). */
#define ll_test_assert_open(path, flags, expected_errno) \
  ll_test_check_open (__FILE__, __LINE__, G_STRFUNC, (path), (flags), #flags, \
                      (expected_errno))

void      ll_test_check_errno        (const char  *file,
                                      int          line,
                                      const char  *func,
                                      const char  *expr,
                                      long         ret,
                                      int          errsv,
                                      int          expected_errno);
void      ll_test_check_open         (const char  *file,
                                      int          line,
                                      const char  *func,
                                      const char  *path,
                                      int          flags,
                                      const char  *flags_str,
                                      int          expected_errno);

/* A small tree for tests that restrict a child: the parent makes it, so
 * that the restricted child only has to use it.
 *
 *   root/inside/file   "inside\n"
 *   root/outside       "outside\n"
 *
 * In the parent, ll_test_tree_run_child() makes the tree in a fresh
 * temporary directory, runs the current test in a child and removes the
 * tree; in the child, ll_test_tree_from_child() fills in the paths. */
typedef struct
{
  char *root;
  char *inside_dir;
  char *inside_file;
  char *outside_file;
} LlTestTree;

void      ll_test_tree_clear         (LlTestTree  *tree);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LlTestTree, ll_test_tree_clear)
void      ll_test_tree_run_child     (const char  *name);
void      ll_test_tree_from_child    (LlTestTree  *tree);

G_END_DECLS
