/* landlock-demo.c: what Landlock offers on this kernel, and a sandbox at work
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The demo prints the kernel's Landlock support, then sandboxes a process
 * that may only read /usr and its own demo directory, and shows the kernel
 * allowing and denying what it should. Every claim it prints is checked:
 * it exits 0 only when all of them held, and 1 when one did not. On a
 * kernel without a usable Landlock it says that nothing is enforced, and
 * shows that this is so.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <landlock-glib/landlock-glib.h>

#define EXIT_CLAIM_FAILED 1

#define DEMO_FILE_CONTENTS "written before the sandbox, read back inside it\n"

typedef struct
{
  guint held;
  guint failed;
  guint skipped;
} Claims;

typedef struct
{
  int running_abi;            /* 0: no usable Landlock */
  char *demo_dir;             /* read-only inside the sandbox */
  char *demo_file;            /* in demo_dir */
  char *outside_file;         /* in /tmp, outside demo_dir: must not appear */
  const char *usr_file;       /* a file beneath /usr, or NULL */
  guint16 closed_port;        /* a local TCP port with no listener */
} Demo;

/* The kernel's errno, by name as well as text: the name is what a reader
 * looks up in the Landlock documentation. */
static const char *
errno_name (int errsv)
{
  switch (errsv)
    {
    case 0: return "no error";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    default: return "another errno";
    }
}

static char *
describe_errno (int errsv)
{
  if (errsv == 0)
    return g_strdup ("succeeded");
  return g_strdup_printf ("failed: %s (%s)", errno_name (errsv), g_strerror (errsv));
}

static void
claim (Claims     *claims,
       gboolean    held,
       const char *format,
       ...) G_GNUC_PRINTF (3, 4);

static void
claim (Claims     *claims,
       gboolean    held,
       const char *format,
       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (held)
    claims->held++;
  else
    claims->failed++;

  g_print ("  [%s] %s\n", held ? " ok " : "FAIL", message);
}

static void
skip_claim (Claims     *claims,
            const char *message)
{
  claims->skipped++;
  g_print ("  [skip] %s\n", message);
}

/* open(2) rather than g_file_get_contents(): the point is the kernel's own
 * errno, which GFileError would blur. */
static int
open_errno (const char *path,
            int         flags)
{
  int fd = open (path, flags | O_CLOEXEC, 0600);

  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

static int
tcp_connect_errno (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int errsv = 0;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno;

  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  if (connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    errsv = errno;
  close (fd);
  return errsv;
}

/* A port nobody listens on, so that without Landlock a connection is
 * refused (ECONNREFUSED): EACCES then can only come from the sandbox. The
 * kernel picks a free port for a socket bound to port 0; closing it
 * without listen() leaves the port closed. */
static guint16
find_closed_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  guint16 port = 0;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) == 0 &&
      getsockname (fd, (struct sockaddr *) &address, &length) == 0)
    port = ntohs (address.sin_port);
  close (fd);
  return port;
}

/* The first ABI whose mask (one of the ll_*_for_abi() functions) has @bit;
 * 0 if no ABI this library knows has it. */
typedef guint (*AbiMaskFunc) (int abi);

static guint fs_mask_for_abi (int abi) { return ll_access_fs_for_abi (abi); }
static guint net_mask_for_abi (int abi) { return ll_access_net_for_abi (abi); }
static guint scope_mask_for_abi (int abi) { return ll_scope_for_abi (abi); }
static guint restrict_mask_for_abi (int abi) { return ll_restrict_flags_for_abi (abi); }
static guint rule_mask_for_abi (int abi) { return ll_rule_flags_for_abi (abi); }

static int
abi_introducing (AbiMaskFunc mask_for_abi,
                 guint       bit)
{
  for (int abi = 1; abi <= LL_ABI_MAX; abi++)
    {
      if (mask_for_abi (abi) & bit)
        return abi;
    }
  return 0;
}

/* The table is built from the registered GFlags types and the library's
 * own per-ABI masks, so it lists every right the library knows, including
 * rights added after this demo was written. */
static void
print_feature_table (const char  *title,
                     GType        flags_type,
                     AbiMaskFunc  mask_for_abi,
                     int          running_abi)
{
  GFlagsClass *flags_class = g_type_class_ref (flags_type);

  g_print ("\n%s\n", title);
  for (guint i = 0; i < flags_class->n_values; i++)
    {
      const GFlagsValue *value = &flags_class->values[i];
      int needed_abi;

      if (value->value == 0)
        continue;

      needed_abi = abi_introducing (mask_for_abi, value->value);
      g_print ("  %-24s needs ABI %2d   %s\n",
               value->value_nick, needed_abi,
               running_abi >= needed_abi ? "available" : "not available");
    }
  g_type_class_unref (flags_class);
}

static void
print_kernel_support (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) errata_names = NULL;
  GFlagsClass *errata_class;
  guint errata;

  g_print ("landlock-glib %s, built for Landlock ABI 1 to %d\n\n",
           LL_VERSION_S, LL_ABI_MAX);

  demo->running_abi = ll_get_abi_version (&error);
  if (demo->running_abi == 0)
    {
      g_print ("Landlock ABI: none: %s\n", error->message);
      return;
    }
  g_print ("Landlock ABI: %d\n", demo->running_abi);

  errata = ll_get_errata (NULL);
  errata_names = g_string_new (NULL);
  errata_class = g_type_class_ref (LL_TYPE_ERRATA);
  for (guint i = 0; i < errata_class->n_values; i++)
    {
      const GFlagsValue *value = &errata_class->values[i];

      if (value->value != 0 && (errata & value->value) == value->value)
        g_string_append_printf (errata_names, "%s%s",
                                errata_names->len > 0 ? ", " : "", value->value_nick);
    }
  g_type_class_unref (errata_class);
  g_print ("Errata fixed: %s\n", errata_names->len > 0 ? errata_names->str : "none reported");

  g_print ("Threads in this process: %u\n", ll_get_thread_count ());
}

static void
print_feature_tables (Demo *demo)
{
  print_feature_table ("Filesystem rights", LL_TYPE_ACCESS_FS,
                       fs_mask_for_abi, demo->running_abi);
  print_feature_table ("Network rights", LL_TYPE_ACCESS_NET,
                       net_mask_for_abi, demo->running_abi);
  print_feature_table ("IPC scopes", LL_TYPE_SCOPE,
                       scope_mask_for_abi, demo->running_abi);
  print_feature_table ("Sandbox flags (audit logging, every thread: tsync)",
                       LL_TYPE_RESTRICT_FLAGS,
                       restrict_mask_for_abi, demo->running_abi);
  print_feature_table ("Rule flags", LL_TYPE_RULE_FLAGS,
                       rule_mask_for_abi, demo->running_abi);
}

static gboolean
prepare_demo_dir (Demo    *demo,
                  GError **error)
{
  demo->demo_dir = g_dir_make_tmp ("landlock-demo-XXXXXX", error);
  if (demo->demo_dir == NULL)
    return FALSE;

  demo->demo_file = g_build_filename (demo->demo_dir, "hello.txt", NULL);
  demo->outside_file = g_strdup_printf ("%s-outside.txt", demo->demo_dir);
  return g_file_set_contents (demo->demo_file, DEMO_FILE_CONTENTS, -1, error);
}

static void
remove_demo_dir (Demo *demo)
{
  if (demo->demo_dir == NULL)
    return;

  g_unlink (demo->demo_file);
  g_unlink (demo->outside_file);
  g_rmdir (demo->demo_dir);
}

/* The allowed read under /usr needs a file that exists on any distribution;
 * os-release is required by systemd and present without it on Debian. */
static const char *
find_usr_file (void)
{
  static const char * const candidates[] = {
    "/usr/lib/os-release",
    "/usr/share/common-licenses/GPL",
    "/usr/include/stdio.h",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (open_errno (candidates[i], O_RDONLY) == 0)
        return candidates[i];
    }
  return NULL;
}

static void
show_baseline (Demo *demo)
{
  g_autofree char *passwd = describe_errno (open_errno ("/etc/passwd", O_RDONLY));

  g_print ("\nBefore the sandbox\n");
  g_print ("  read /etc/passwd: %s\n", passwd);
  if (demo->closed_port != 0)
    {
      g_autofree char *outcome = describe_errno (tcp_connect_errno (demo->closed_port));

      g_print ("  TCP connect to 127.0.0.1:%u (nobody listens): %s\n",
               demo->closed_port, outcome);
    }
}

static void
check_denied (Claims     *claims,
              int         errsv,
              const char *what)
{
  g_autofree char *outcome = describe_errno (errsv);

  claim (claims, errsv == EACCES, "denied: %s: %s", what, outcome);
}

static void
check_allowed_read (Claims     *claims,
                    const char *path,
                    const char *expected_contents)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      claim (claims, FALSE, "allowed: read %s: %s", path, error->message);
      return;
    }

  if (expected_contents != NULL && g_strcmp0 (contents, expected_contents) != 0)
    {
      claim (claims, FALSE, "allowed: read %s: unexpected contents", path);
      return;
    }

  claim (claims, TRUE, "allowed: read %s: succeeded", path);
}

/* Runs in a child process: a sandbox cannot be lifted, and the parent must
 * stay free to remove the demo directory afterwards. */
static int
run_sandboxed (Demo *demo)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) readable = g_ptr_array_new ();
  Claims claims = { 0 };
  GEnumClass *status_class;
  const char *reason;
  LlStatus status;
  int errsv;

  /* Best-effort, so that the demo also runs, and says so, on a kernel
   * without Landlock or with an older ABI; the status tells what held. */
  ll_ruleset_set_strict (ruleset, FALSE);

  /* Only the allowed reads need rules: the ruleset handles every right
   * the kernel knows, so everything else is denied. The program's own
   * libraries are already mapped and need nothing more. */
  g_ptr_array_add (readable, (gpointer) "/usr");
  g_ptr_array_add (readable, demo->demo_dir);
  g_ptr_array_add (readable, NULL);
  ll_ruleset_allow_read (ruleset, (const char * const *) readable->pdata);

  g_print ("\nApplying a ruleset: read /usr and %s; deny every other file,\n"
           "network and IPC right this kernel can restrict\n", demo->demo_dir);

  if (!ll_ruleset_apply (ruleset, &status, &error))
    {
      g_printerr ("Could not apply the ruleset: %s\n", error->message);
      return EXIT_CLAIM_FAILED;
    }

  status_class = g_type_class_ref (LL_TYPE_STATUS);
  g_print ("  status: %s\n", g_enum_get_value (status_class, status)->value_nick);
  g_type_class_unref (status_class);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_print ("  reason: %s\n", reason != NULL && *reason != '\0' ?
           reason : "none: everything asked for is enforced");
  g_print ("  threads left unrestricted: %u\n",
           ll_ruleset_get_unrestricted_threads (ruleset));
  {
    /* Never claim what this kernel does not restrict. */
    g_autofree char *open = ll_ruleset_describe_unrestricted (ruleset);

    g_print ("  left open: %s\n", open != NULL ? open : "nothing landlock-glib knows");
  }

  if (status == LL_STATUS_NOT_ENFORCED)
    {
      /* Best-effort without Landlock: the status says nothing holds, and
       * the demo shows that this is the truth rather than pretend. */
      g_print ("\nNo usable Landlock here (the reason says why): nothing is enforced\n");
      errsv = open_errno ("/etc/passwd", O_RDONLY);
      claim (&claims, errsv == 0, "not enforced, as the status says: read /etc/passwd: %s",
             errsv == 0 ? "succeeded" : g_strerror (errsv));
      g_print ("\n%u claims held, %u failed, %u skipped\n",
               claims.held, claims.failed, claims.skipped);
      return claims.failed == 0 ? EXIT_SUCCESS : EXIT_CLAIM_FAILED;
    }

  g_print ("\nInside the sandbox\n");

  check_allowed_read (&claims, demo->demo_file, DEMO_FILE_CONTENTS);
  if (demo->usr_file != NULL)
    check_allowed_read (&claims, demo->usr_file, NULL);
  else
    skip_claim (&claims, "allowed: read a file beneath /usr: none found");

  check_denied (&claims, open_errno ("/etc/passwd", O_RDONLY),
                "read /etc/passwd");

  errsv = open_errno (demo->outside_file, O_WRONLY | O_CREAT | O_EXCL);
  {
    g_autofree char *what = g_strdup_printf ("create %s", demo->outside_file);
    check_denied (&claims, errsv, what);
  }

  errsv = open_errno (demo->demo_file, O_WRONLY);
  {
    g_autofree char *what = g_strdup_printf ("write %s (read-only)", demo->demo_file);
    check_denied (&claims, errsv, what);
  }

  if (demo->closed_port == 0)
    {
      skip_claim (&claims, "denied: TCP connect: this machine has no IPv4 loopback");
    }
  else if (ll_ruleset_get_unrestricted_access_net (ruleset) & LL_ACCESS_NET_CONNECT_TCP)
    {
      /* The other side of the boundary: a kernel without TCP rules lets
       * the connection through to the port, where nobody listens. */
      g_autofree char *outcome = describe_errno (tcp_connect_errno (demo->closed_port));

      claim (&claims, g_str_has_prefix (outcome, "failed: ECONNREFUSED"),
             "not restricted by this kernel (TCP needs Landlock ABI %d): TCP connect to "
             "127.0.0.1:%u reaches the port: %s",
             abi_introducing (net_mask_for_abi, LL_ACCESS_NET_CONNECT_TCP),
             demo->closed_port, outcome);
    }
  else
    {
      g_autofree char *what =
        g_strdup_printf ("TCP connect to 127.0.0.1:%u", demo->closed_port);
      check_denied (&claims, tcp_connect_errno (demo->closed_port), what);
    }

  g_print ("\n%u claims held, %u failed, %u skipped\n",
           claims.held, claims.failed, claims.skipped);

  return claims.failed == 0 ? EXIT_SUCCESS : EXIT_CLAIM_FAILED;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  Demo demo = { 0 };
  int child_status;
  int exit_code;
  pid_t child;

  print_kernel_support (&demo);
  print_feature_tables (&demo);

  if (!prepare_demo_dir (&demo, &error))
    {
      g_printerr ("Could not create the demo directory: %s\n", error->message);
      remove_demo_dir (&demo);
      return EXIT_CLAIM_FAILED;
    }
  demo.usr_file = find_usr_file ();
  demo.closed_port = find_closed_port ();

  show_baseline (&demo);

  /* Buffered output would otherwise be printed by both processes. */
  fflush (stdout);
  fflush (stderr);

  child = fork ();
  if (child < 0)
    {
      int errsv = errno;

      g_printerr ("Could not fork: %s\n", g_strerror (errsv));
      remove_demo_dir (&demo);
      return EXIT_CLAIM_FAILED;
    }
  if (child == 0)
    {
      exit_code = run_sandboxed (&demo);
      fflush (stdout);
      _exit (exit_code);
    }

  while (waitpid (child, &child_status, 0) < 0 && errno == EINTR)
    ;

  remove_demo_dir (&demo);

  if (WIFEXITED (child_status))
    exit_code = WEXITSTATUS (child_status);
  else
    {
      g_printerr ("The sandboxed process died of signal %d\n", WTERMSIG (child_status));
      exit_code = EXIT_CLAIM_FAILED;
    }

  g_free (demo.demo_dir);
  g_free (demo.demo_file);
  g_free (demo.outside_file);

  return exit_code;
}
