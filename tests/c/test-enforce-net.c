/* test-enforce-net.c: the TCP and UDP rights, enforced by the running kernel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test runs its sandbox in a g_test_trap_subprocess() child, on
 * 127.0.0.1 only. Ports are picked by the kernel (bind to port 0) before
 * the child restricts itself, so that parallel test runs do not collide.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ll-test-utils.h"

static struct sockaddr_in
loopback_addr (guint16 port)
{
  struct sockaddr_in addr = {
    .sin_family = AF_INET,
    .sin_port = htons (port),
    .sin_addr.s_addr = htonl (INADDR_LOOPBACK),
  };

  return addr;
}

static int
tcp_socket (void)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_no_errno (fd);
  return fd;
}

static guint16
bound_port (int fd)
{
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;

  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &len));
  return ntohs (addr.sin_port);
}

/* A TCP socket bound to a port the kernel picks, listening when @listening:
 * returns the socket, and its port in @port. */
static int
tcp_bound_socket (gboolean  listening,
                  guint16  *port)
{
  struct sockaddr_in addr = loopback_addr (0);
  int fd = tcp_socket ();

  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  if (listening)
    g_assert_no_errno (listen (fd, 8));
  *port = bound_port (fd);
  return fd;
}

/* Two distinct free ports: both are held while the second is picked, then
 * released for the test to bind again. Never bound sockets leave nothing
 * in TIME_WAIT, so the numbers can be reused at once. */
static void
pick_free_ports (guint16 *port1,
                 guint16 *port2)
{
  int fd1 = tcp_bound_socket (FALSE, port1);
  int fd2 = tcp_bound_socket (FALSE, port2);

  g_assert_cmpuint (*port1, !=, *port2);
  g_assert_no_errno (close (fd1));
  g_assert_no_errno (close (fd2));
}

/* Binds a new TCP socket to @port and returns what bind(2) did: 0, or -1
 * with errno set. The socket is returned in @out_fd on success when not
 * NULL. */
static int
tcp_bind (guint16  port,
          int     *out_fd)
{
  struct sockaddr_in addr = loopback_addr (port);
  int fd = tcp_socket ();
  int errsv = 0;

  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    errsv = errno;
  if (errsv == 0 && out_fd != NULL)
    *out_fd = fd;
  else
    close (fd);
  return ll_test_errno_result (errsv);
}

/* connect(2) of a new TCP socket to @port: 0, or -1 with errno set. */
static int
tcp_connect (guint16 port)
{
  struct sockaddr_in addr = loopback_addr (port);
  int fd = tcp_socket ();
  int errsv = 0;

  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

/* bind(2) of a new UDP socket to @port: 0, or -1 with errno set. */
static int
udp_bind (guint16 port)
{
  struct sockaddr_in addr = loopback_addr (port);
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int errsv = 0;

  g_assert_no_errno (fd);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

static int
udp_socket (void)
{
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_no_errno (fd);
  return fd;
}

/* A UDP socket bound to a port the kernel picks, to receive on. */
static int
udp_receiver (guint16 *port)
{
  struct sockaddr_in addr = loopback_addr (0);
  int fd = udp_socket ();

  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  *port = bound_port (fd);
  return fd;
}

/* Sends one datagram to @port from @fd (a new, unbound socket when -1):
 * 0, or -1 with errno set by sendto(2). */
static int
udp_sendto (int     fd,
            guint16 port)
{
  struct sockaddr_in addr = loopback_addr (port);
  gboolean own = fd < 0;
  int errsv = 0;

  if (own)
    fd = udp_socket ();
  if (sendto (fd, "ping", 4, 0, (struct sockaddr *) &addr, sizeof addr) != 4)
    errsv = errno;
  if (own)
    close (fd);
  return ll_test_errno_result (errsv);
}

/* Whether @receiver got a datagram (without waiting long: it was sent to
 * the loopback before). */
static gboolean
udp_received (int receiver)
{
  char buffer[8];

  return recv (receiver, buffer, sizeof buffer, MSG_DONTWAIT) == 4;
}

/* /enforce/net/bind */

static void
test_bind (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      guint16 allowed, denied;
      int server = -1;

      pick_free_ports (&allowed, &denied);
      ll_ruleset_allow_network (ruleset, &allowed, 1, TRUE, FALSE);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_errno (tcp_bind (allowed, &server), 0);
      g_assert_no_errno (listen (server, 8));
      ll_test_assert_errno (tcp_bind (denied, NULL), EACCES);
      /* Only binding was granted: connecting, even to our own listener on
       * that very port, is not. */
      ll_test_assert_errno (tcp_connect (allowed), EACCES);
      g_assert_no_errno (close (server));

      /* The kernel's TCP rights say nothing about UDP before ABI 10. */
      if ((ll_ruleset_get_handled_access_net (ruleset) & LL_ACCESS_NET_BIND_UDP) == 0)
        ll_test_assert_errno (udp_bind (denied), 0);
      return;
    }

  if (!ll_test_require_abi (4))
    return;
  ll_test_run_child ();
}

/* /enforce/net/connect */

static void
test_connect (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      guint16 allowed, denied, unused, other;
      int listener1, listener2;

      /* Both listeners exist before the sandbox, so that a refused
       * connection can only be Landlock's doing (ECONNREFUSED would mean
       * nobody listens, not a denial). */
      listener1 = tcp_bound_socket (TRUE, &allowed);
      listener2 = tcp_bound_socket (TRUE, &denied);
      pick_free_ports (&unused, &other);

      ll_ruleset_allow_network (ruleset, &allowed, 1, FALSE, TRUE);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_errno (tcp_connect (allowed), 0);
      ll_test_assert_errno (tcp_connect (denied), EACCES);
      /* Only connecting was granted. */
      ll_test_assert_errno (tcp_bind (unused, NULL), EACCES);

      g_assert_no_errno (close (listener1));
      g_assert_no_errno (close (listener2));
      return;
    }

  if (!ll_test_require_abi (4))
    return;
  ll_test_run_child ();
}

/* /enforce/net/allow-all */

static void
test_allow_all (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      guint16 listening, port1, port2;
      int listener;
      int server = -1;

      listener = tcp_bound_socket (TRUE, &listening);
      pick_free_ports (&port1, &port2);

      ll_ruleset_allow_all_network (ruleset);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      g_assert_cmpint (ll_ruleset_get_handled_access_net (ruleset), ==, LL_ACCESS_NET_NONE);

      ll_test_assert_errno (tcp_connect (listening), 0);
      ll_test_assert_errno (tcp_bind (port1, &server), 0);
      g_assert_no_errno (listen (server, 8));
      ll_test_assert_errno (tcp_connect (port1), 0);
      g_assert_no_errno (close (server));
      ll_test_assert_errno (tcp_bind (port2, NULL), 0);

      /* The sandbox is in force all the same: the filesystem is denied. */
      ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);

      g_assert_no_errno (close (listener));
      return;
    }

  if (!ll_test_require_abi (4))
    return;
  ll_test_run_child ();
}

/* /enforce/net/port-out-of-range */

static void
test_port_out_of_range (void)
{
  if (ll_test_in_child ())
    {
      const int bad_ports[] = { -1, 65536, G_MAXINT };

      for (gsize i = 0; i < G_N_ELEMENTS (bad_ports); i++)
        {
          g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
          g_autoptr(GError) error = NULL;
          g_autoptr(GError) check_error = NULL;
          LlStatus status = LL_STATUS_FULLY_ENFORCED;
          guint16 port1, port2;

          ll_ruleset_add_net_rule (ruleset, bad_ports[i], LL_ACCESS_NET_BIND_TCP,
                                   LL_RULE_FLAGS_NONE);

          g_assert_false (ll_ruleset_check (ruleset, &check_error));
          g_assert_error (check_error, LL_ERROR, LL_ERROR_INVALID);

          g_assert_false (ll_ruleset_apply (ruleset, &status, &error));
          g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
          g_test_message ("port %d: %s", bad_ports[i], error->message);
          g_assert_false (ll_ruleset_get_applied (ruleset));

          /* Nothing was applied: the child still reads and binds freely. */
          ll_test_assert_open ("/etc/passwd", O_RDONLY, 0);
          pick_free_ports (&port1, &port2);
          ll_test_assert_errno (tcp_bind (port1, NULL), 0);
        }
      return;
    }

  if (!ll_test_require_abi (4))
    return;
  ll_test_run_child ();
}

/* /enforce/net/udp/bind */

static void
test_udp_bind (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      guint16 allowed, denied;

      pick_free_ports (&allowed, &denied);
      ll_ruleset_allow_udp (ruleset, &allowed, 1, TRUE, FALSE);
      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

      ll_test_assert_errno (udp_bind (allowed), 0);
      ll_test_assert_errno (udp_bind (denied), EACCES);
      /* A UDP rule grants nothing for TCP. */
      ll_test_assert_errno (tcp_bind (allowed, NULL), EACCES);
      return;
    }

  if (!ll_test_require_abi (10))
    return;
  ll_test_run_child ();
}

/* /enforce/net/udp/client: a client sends from a socket it never bound.
 * The kernel binds it to an ephemeral port first (autobind), which
 * Landlock checks as binding port 0: connect-send alone is not enough,
 * ll_ruleset_allow_udp_client() grants both, and a socket bound before
 * the sandbox needs only connect-send. */
static void
test_udp_client (void)
{
  if (ll_test_in_child ())
    {
      guint16 server_port, other_port;
      int server = udp_receiver (&server_port);
      int other = udp_receiver (&other_port);
      int prebound;
      guint16 prebound_port;
      pid_t pid;
      int wait_status;

      /* connect-send alone, in a child of this child: autobind is refused. */
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

          ll_ruleset_allow_udp (ruleset, &server_port, 1, FALSE, TRUE);
          ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
          /* A failed assertion aborts: the exit status below is not 0. */
          ll_test_assert_errno (udp_sendto (-1, server_port), EACCES);
          _exit (0);
        }
      g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
      g_assert_false (udp_received (server));

      prebound = udp_receiver (&prebound_port);
      {
        g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

        ll_ruleset_allow_udp_client (ruleset, &server_port, 1);
        ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      }

      /* Unbound socket: reaches the server, and no other port. */
      ll_test_assert_errno (udp_sendto (-1, server_port), 0);
      g_assert_true (udp_received (server));
      ll_test_assert_errno (udp_sendto (-1, other_port), EACCES);
      g_assert_false (udp_received (other));
      /* Bound before the sandbox: the same. */
      ll_test_assert_errno (udp_sendto (prebound, server_port), 0);
      g_assert_true (udp_received (server));
      ll_test_assert_errno (udp_sendto (prebound, other_port), EACCES);
      /* Port 0 lets the kernel pick a port, never the program. */
      ll_test_assert_errno (udp_bind (other_port), EACCES);

      close (prebound);
      close (server);
      close (other);
      return;
    }

  if (!ll_test_require_abi (10))
    return;
  ll_test_run_child ();
}

/* /enforce/net/downgrade: a kernel without TCP rules (below ABI 4). A
 * strict ruleset that asks for one fails before anything happens; a
 * best-effort one drops it and says so; the default ruleset restricts
 * files and leaves TCP open, and says that too: the connection and the
 * bind go through. */
static void
test_downgrade (void)
{
  if (ll_test_in_child ())
    {
      guint16 listening, port1, port2;
      int listener = tcp_bound_socket (TRUE, &listening);

      pick_free_ports (&port1, &port2);
      {
        g_autoptr(LlRuleset) strict = ll_ruleset_new ();
        g_autoptr(GError) error = NULL;

        ll_ruleset_allow_network (strict, &port1, 1, TRUE, FALSE);
        g_assert_false (ll_ruleset_apply (strict, NULL, &error));
        g_assert_error (error, LL_ERROR, LL_ERROR_INCOMPATIBLE);
        g_assert_nonnull (strstr (error->message, "bind-tcp (ABI 4)"));
      }
      {
        g_autoptr(LlRuleset) lenient = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);
        g_autofree char *open = NULL;

        ll_ruleset_allow_network (lenient, &port1, 1, TRUE, FALSE);
        g_assert_cmphex (ll_ruleset_get_unrestricted_access_net (lenient), ==,
                         ll_access_net_for_abi (LL_ABI_MAX));
        ll_test_apply_expect (lenient, LL_STATUS_PARTIALLY_ENFORCED);
        g_assert_nonnull (strstr (ll_ruleset_get_status_reason (lenient), "bind-tcp (ABI 4)"));
        open = ll_ruleset_describe_unrestricted (lenient);
        g_assert_nonnull (strstr (open, "TCP (ABI 4)"));
      }
      /* Files are restricted, TCP is not. */
      ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);
      ll_test_assert_errno (tcp_connect (listening), 0);
      ll_test_assert_errno (tcp_bind (port2, NULL), 0);
      g_assert_no_errno (close (listener));
      return;
    }

  ll_test_run_child_below_abi (4, "/enforce/net/bind");
}

/* /enforce/net/udp/downgrade: below ABI 10, UDP is not restricted: a
 * strict UDP rule fails, the default ruleset leaves UDP open and says so,
 * and a datagram really goes out. */
static void
test_udp_downgrade (void)
{
  if (ll_test_in_child ())
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      g_autoptr(LlRuleset) strict = ll_ruleset_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *open = NULL;
      guint16 port;
      int receiver = udp_receiver (&port);

      ll_ruleset_allow_udp_client (strict, &port, 1);
      g_assert_false (ll_ruleset_apply (strict, NULL, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_INCOMPATIBLE);

      ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
      open = ll_ruleset_describe_unrestricted (ruleset);
      g_assert_nonnull (strstr (open, "UDP (ABI 10)"));
      ll_test_assert_errno (udp_sendto (-1, port), 0);
      g_assert_true (udp_received (receiver));
      close (receiver);
      return;
    }

  ll_test_run_child_below_abi (10, "/enforce/net/udp/client");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enforce/net/bind", test_bind);
  g_test_add_func ("/enforce/net/connect", test_connect);
  g_test_add_func ("/enforce/net/allow-all", test_allow_all);
  g_test_add_func ("/enforce/net/port-out-of-range", test_port_out_of_range);
  g_test_add_func ("/enforce/net/downgrade", test_downgrade);
  g_test_add_func ("/enforce/net/udp/bind", test_udp_bind);
  g_test_add_func ("/enforce/net/udp/client", test_udp_client);
  g_test_add_func ("/enforce/net/udp/downgrade", test_udp_downgrade);

  g_test_add_func ("/enforce/net/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
