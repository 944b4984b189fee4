/* test-enforce-scope.c: IPC scoping (ABI 6), enforced by the running kernel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A scoped sandbox cannot reach abstract UNIX sockets or signal processes
 * outside its Landlock domain; what it creates after restricting itself
 * (sockets, child processes) is inside the domain and stays reachable.
 * Everything runs in a g_test_trap_subprocess() child.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ll-test-utils.h"

/* An abstract address: no file, hence no filesystem right involved; the
 * pid keeps parallel runs apart. */
static socklen_t
abstract_addr (const char         *tag,
               struct sockaddr_un *addr)
{
  g_autofree char *name = g_strdup_printf ("ll-test-%d-%s", (int) getpid (), tag);
  gsize len = strlen (name);

  g_assert_cmpuint (len + 1, <=, sizeof addr->sun_path);
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  /* sun_path[0] stays '\0': that makes the address abstract. */
  memcpy (addr->sun_path + 1, name, len);
  return offsetof (struct sockaddr_un, sun_path) + 1 + len;
}

/* A bound abstract socket: listening for SOCK_STREAM, ready to receive for
 * SOCK_DGRAM. */
static int
abstract_server (const char *tag,
                 int         type)
{
  struct sockaddr_un addr;
  socklen_t len = abstract_addr (tag, &addr);
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);

  g_assert_no_errno (fd);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, len));
  if (type == SOCK_STREAM)
    g_assert_no_errno (listen (fd, 8));
  return fd;
}

/* connect(2) of a new socket to the abstract @tag: 0, or -1 with errno
 * set. */
static int
abstract_connect (const char *tag)
{
  struct sockaddr_un addr;
  socklen_t len = abstract_addr (tag, &addr);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int errsv = 0;

  g_assert_no_errno (fd);
  if (connect (fd, (struct sockaddr *) &addr, len) != 0)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

/* sendto(2) of one byte from a new socket to the abstract @tag: 0, or -1
 * with errno set. */
static int
abstract_sendto (const char *tag)
{
  struct sockaddr_un addr;
  socklen_t len = abstract_addr (tag, &addr);
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int errsv = 0;

  g_assert_no_errno (fd);
  if (sendto (fd, "x", 1, 0, (struct sockaddr *) &addr, len) != 1)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

/* A process that waits until @out_pipe's write end (returned) is closed,
 * then exits with 0. The pipe ends it whatever happens: once sandboxed, the
 * test may be unable to signal it. */
static pid_t
spawn_waiter (int *out_write_end)
{
  int fds[2];
  pid_t pid;

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  pid = fork ();
  g_assert_no_errno (pid);
  if (pid == 0)
    {
      char c;
      ssize_t n;

      close (fds[1]);
      do
        n = read (fds[0], &c, 1);
      while (n > 0 || (n < 0 && errno == EINTR));
      _exit (0);
    }
  close (fds[0]);
  *out_write_end = fds[1];
  return pid;
}

/* Ends the waiter by closing its pipe, and asserts that it was not killed
 * on the way. */
static void
reap_waiter (pid_t pid,
             int   write_end)
{
  int status;

  g_assert_no_errno (close (write_end));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* /enforce/scope/abstract-unix/denied */

static void
test_abstract_unix_denied (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      int outside_stream, outside_dgram, inside_stream, inside_dgram;

      /* Created before restricting: outside the domain. */
      outside_stream = abstract_server ("outside-stream", SOCK_STREAM);
      outside_dgram = abstract_server ("outside-dgram", SOCK_DGRAM);

      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      g_assert_cmpint (ll_ruleset_get_scoped (ruleset) & LL_SCOPE_ABSTRACT_UNIX_SOCKET,
                       ==, LL_SCOPE_ABSTRACT_UNIX_SOCKET);

      /* Created after restricting: inside the domain. */
      inside_stream = abstract_server ("inside-stream", SOCK_STREAM);
      inside_dgram = abstract_server ("inside-dgram", SOCK_DGRAM);

      ll_test_assert_errno (abstract_connect ("inside-stream"), 0);
      ll_test_assert_errno (abstract_sendto ("inside-dgram"), 0);
      ll_test_assert_errno (abstract_connect ("outside-stream"), EPERM);
      ll_test_assert_errno (abstract_sendto ("outside-dgram"), EPERM);

      close (outside_stream);
      close (outside_dgram);
      close (inside_stream);
      close (inside_dgram);
      return;
    }

  if (!ll_test_require_abi (6))
    return;
  ll_test_run_child ();
}

/* /enforce/scope/abstract-unix/allowed */

static void
test_abstract_unix_allowed (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      int outside_stream, outside_dgram;

      outside_stream = abstract_server ("outside-stream", SOCK_STREAM);
      outside_dgram = abstract_server ("outside-dgram", SOCK_DGRAM);

      ll_ruleset_allow_scope (ruleset, LL_SCOPE_ABSTRACT_UNIX_SOCKET);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_errno (abstract_connect ("outside-stream"), 0);
      ll_test_assert_errno (abstract_sendto ("outside-dgram"), 0);
      /* Only that scope was lifted: signals stay scoped. */
      ll_test_assert_errno (kill (getppid (), 0), EPERM);

      close (outside_stream);
      close (outside_dgram);
      return;
    }

  if (!ll_test_require_abi (6))
    return;
  ll_test_run_child ();
}

/* /enforce/scope/signal/denied */

static void
test_signal_denied (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      int outside_pipe, inside_pipe;
      pid_t outside, inside;
      int status;

      outside = spawn_waiter (&outside_pipe);

      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      g_assert_cmpint (ll_ruleset_get_scoped (ruleset) & LL_SCOPE_SIGNAL, ==, LL_SCOPE_SIGNAL);

      inside = spawn_waiter (&inside_pipe);

      /* Inside the domain: ourselves and what we fork now. */
      ll_test_assert_errno (kill (getpid (), 0), 0);
      ll_test_assert_errno (kill (inside, 0), 0);
      ll_test_assert_errno (kill (inside, SIGKILL), 0);
      g_assert_cmpint (waitpid (inside, &status, 0), ==, inside);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      g_assert_no_errno (close (inside_pipe));

      /* Outside: a process forked before restricting, and the test runner.
       * A real signal is denied too (the waiter proves it survived). */
      ll_test_assert_errno (kill (outside, 0), EPERM);
      ll_test_assert_errno (kill (outside, SIGKILL), EPERM);
      ll_test_assert_errno (kill (getppid (), 0), EPERM);
      reap_waiter (outside, outside_pipe);
      return;
    }

  if (!ll_test_require_abi (6))
    return;
  ll_test_run_child ();
}

/* /enforce/scope/signal/allowed */

static void
test_signal_allowed (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      int outside_pipe;
      int outside_stream;
      pid_t outside;

      outside = spawn_waiter (&outside_pipe);
      outside_stream = abstract_server ("outside-stream", SOCK_STREAM);

      ll_ruleset_allow_scope (ruleset, LL_SCOPE_SIGNAL);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_errno (kill (outside, 0), 0);
      ll_test_assert_errno (kill (getppid (), 0), 0);
      /* Only that scope was lifted: abstract sockets stay scoped. */
      ll_test_assert_errno (abstract_connect ("outside-stream"), EPERM);

      close (outside_stream);
      reap_waiter (outside, outside_pipe);
      return;
    }

  if (!ll_test_require_abi (6))
    return;
  ll_test_run_child ();
}

/* /enforce/scope/downgrade: a kernel without scopes (below ABI 6). The
 * default ruleset leaves signals and abstract UNIX sockets open, and says
 * so; asking to lift a scope changes nothing and is no error. */
static void
test_downgrade (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      g_autofree char *open = NULL;
      int outside = abstract_server ("outside-stream", SOCK_STREAM);

      g_assert_cmphex (ll_ruleset_get_unrestricted_scopes (ruleset), ==,
                       ll_scope_for_abi (LL_ABI_MAX));
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      open = ll_ruleset_describe_unrestricted (ruleset);
      g_assert_nonnull (strstr (open, "signals (ABI 6)"));
      g_assert_nonnull (strstr (open, "abstract UNIX sockets (ABI 6)"));

      ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);
      ll_test_assert_errno (kill (getppid (), 0), 0);
      ll_test_assert_errno (abstract_connect ("outside-stream"), 0);
      close (outside);
      return;
    }

  ll_test_run_child_below_abi (6, "/enforce/scope/*/denied");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enforce/scope/abstract-unix/denied", test_abstract_unix_denied);
  g_test_add_func ("/enforce/scope/abstract-unix/allowed", test_abstract_unix_allowed);
  g_test_add_func ("/enforce/scope/signal/denied", test_signal_denied);
  g_test_add_func ("/enforce/scope/signal/allowed", test_signal_allowed);
  g_test_add_func ("/enforce/scope/downgrade", test_downgrade);

  g_test_add_func ("/enforce/scope/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
