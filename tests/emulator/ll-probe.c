/* ll-probe.c: build and apply one LlRuleset, print what happened as JSON
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run under ll-emulate by test-abi-matrix.py: the emulator's log shows what
 * the library asked the (emulated) kernel, and the single JSON line this
 * prints on stdout shows what the library told its caller. The options pick
 * the ruleset; see --help.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <landlock-glib/landlock-glib.h>

static gboolean best_effort, no_all_threads, with_thread, thread_sandboxed, resolve_unix, quiet, quiet_masks;
static gboolean errata_query, fd_check, real_sandbox;
static char *workdir;
static int tcp_port = -1, udp_port = -1, restrict_flags = 0;

static GOptionEntry entries[] = {
  { "best-effort", 0, 0, G_OPTION_ARG_NONE, &best_effort, "strict=FALSE", NULL },
  { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir,
    "create DIR/allowed/file and DIR/outside, allow reading DIR/allowed, try both after apply", "DIR" },
  { "tcp", 0, 0, G_OPTION_ARG_INT, &tcp_port, "allow_network(bind, connect) on PORT", "PORT" },
  { "udp", 0, 0, G_OPTION_ARG_INT, &udp_port, "allow_udp(bind, connect_send) on PORT", "PORT" },
  { "resolve-unix", 0, 0, G_OPTION_ARG_NONE, &resolve_unix,
    "add_path_rule(DIR/allowed, RESOLVE_UNIX) (needs --workdir)", NULL },
  { "restrict-flags", 0, 0, G_OPTION_ARG_INT, &restrict_flags, "set_restrict_flags(FLAGS)", "FLAGS" },
  { "quiet", 0, 0, G_OPTION_ARG_NONE, &quiet,
    "quiet masks (WRITE_FILE, BIND_TCP, SIGNAL) and a quiet rule granting nothing on DIR/allowed", NULL },
  { "quiet-masks", 0, 0, G_OPTION_ARG_NONE, &quiet_masks, "the quiet masks of --quiet, no quiet rule", NULL },
  { "no-all-threads", 0, 0, G_OPTION_ARG_NONE, &no_all_threads, "all-threads=FALSE", NULL },
  { "thread", 0, 0, G_OPTION_ARG_NONE, &with_thread, "start a GThread before applying", NULL },
  { "thread-sandboxed", 0, 0, G_OPTION_ARG_NONE, &thread_sandboxed,
    "the GThread of --thread first restricts itself alone (all-threads=FALSE)", NULL },
  { "errata", 0, 0, G_OPTION_ARG_NONE, &errata_query, "print ll_get_errata()", NULL },
  { "fd-check", 0, 0, G_OPTION_ARG_NONE, &fd_check, "count open fds before and after", NULL },
  { "real", 0, 0, G_OPTION_ARG_NONE, &real_sandbox,
    "the kernel really enforces (ll-emulate --continue): leave with _exit()", NULL },
  { NULL }
};

/* The thread stays alive, blocked, until the ruleset is applied. */
static GMutex lock;
static GCond cond;
static gboolean done, thread_ready;

static gpointer
waiter (gpointer data)
{
  if (thread_sandboxed)
    {
      g_autoptr(LlRuleset) own = g_object_new (LL_TYPE_RULESET, "all-threads", FALSE, NULL);

      ll_ruleset_allow_read (own, (const char *[]) { "/", NULL });
      if (!ll_ruleset_apply (own, NULL, NULL))
        g_printerr ("ll-probe: the thread could not restrict itself\n");
    }
  g_mutex_lock (&lock);
  thread_ready = TRUE;
  g_cond_broadcast (&cond);
  while (!done)
    g_cond_wait (&cond, &lock);
  g_mutex_unlock (&lock);
  return NULL;
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
json_string (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, ",\"%s\":", key);
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static int
try_read (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return -errno;
  close (fd);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- apply one Landlock ruleset");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) abi_error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *allowed = NULL, *allowed_file = NULL, *outside = NULL;
  g_autoptr(GEnumClass) status_class = NULL;
  LlRuleset *ruleset;
  GThread *thread = NULL;
  LlStatus status = LL_STATUS_NOT_ENFORCED;
  guint fds_before = 0;
  gboolean ok;
  int abi;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ll-probe: %s\n", error->message);
      return 2;
    }
  if ((resolve_unix || quiet) && workdir == NULL)
    {
      g_printerr ("ll-probe: --resolve-unix and --quiet need --workdir\n");
      return 2;
    }

  if (workdir != NULL)
    {
      allowed = g_build_filename (workdir, "allowed", NULL);
      allowed_file = g_build_filename (allowed, "file", NULL);
      outside = g_build_filename (workdir, "outside", NULL);
      if (g_mkdir_with_parents (allowed, 0755) < 0 ||
          !g_file_set_contents (allowed_file, "inside\n", -1, &error) ||
          !g_file_set_contents (outside, "outside\n", -1, &error))
        {
          g_printerr ("ll-probe: cannot prepare %s: %s\n", workdir,
                      error != NULL ? error->message : g_strerror (errno));
          return 2;
        }
    }

  /* Types are registered before counting, so the count is not disturbed. */
  status_class = g_type_class_ref (LL_TYPE_STATUS);
  fds_before = count_fds ();

  if (with_thread || thread_sandboxed)
    {
      thread = g_thread_new ("probe-waiter", waiter, NULL);
      g_mutex_lock (&lock);
      while (!thread_ready)
        g_cond_wait (&cond, &lock);
      g_mutex_unlock (&lock);
    }

  abi = ll_get_abi_version (&abi_error);
  ruleset = g_object_new (LL_TYPE_RULESET,
                          "strict", !best_effort,
                          "all-threads", !no_all_threads,
                          NULL);
  if (restrict_flags != 0)
    ll_ruleset_set_restrict_flags (ruleset, restrict_flags);
  if (allowed != NULL)
    ll_ruleset_allow_read (ruleset, (const char *[]) { allowed, NULL });
  if (tcp_port >= 0)
    ll_ruleset_allow_network (ruleset, (const guint16[]) { tcp_port }, 1, TRUE, TRUE);
  if (udp_port >= 0)
    ll_ruleset_allow_udp (ruleset, (const guint16[]) { udp_port }, 1, TRUE, TRUE);
  if (resolve_unix)
    ll_ruleset_add_path_rule (ruleset, (const char *[]) { allowed, NULL }, LL_ACCESS_FS_RESOLVE_UNIX);
  if (quiet || quiet_masks)
    ll_ruleset_set_quiet_access (ruleset, LL_ACCESS_FS_WRITE_FILE, LL_ACCESS_NET_BIND_TCP,
                                 LL_SCOPE_SIGNAL);
  if (quiet)
    ll_ruleset_add_path_rule_full (ruleset, (const char *[]) { allowed, NULL }, 0,
                                   LL_RULE_FLAGS_QUIET);

  ok = ll_ruleset_apply (ruleset, &status, &error);

  g_string_append_printf (out, "{\"ok\":%s,\"abi\":%d", ok ? "true" : "false", abi);
  g_string_append_printf (out, ",\"abi_error_code\":%d", abi_error != NULL ? abi_error->code : -1);
  g_string_append_printf (out, ",\"status_code\":%d", status);
  json_string (out, "status", g_enum_get_value (status_class, status)->value_nick);
  json_string (out, "status_reason", ll_ruleset_get_status_reason (ruleset));
  g_string_append_printf (out, ",\"unrestricted_threads\":%u",
                          ll_ruleset_get_unrestricted_threads (ruleset));
  json_string (out, "error_domain", error != NULL ? g_quark_to_string (error->domain) : NULL);
  g_string_append_printf (out, ",\"error_code\":%d", error != NULL ? error->code : -1);
  json_string (out, "error_message", error != NULL ? error->message : NULL);
  if (workdir != NULL)
    g_string_append_printf (out, ",\"read_allowed\":%d,\"read_outside\":%d",
                            try_read (allowed_file), try_read (outside));
  if (errata_query)
    {
      g_autoptr(GError) errata_error = NULL;
      guint errata = ll_get_errata (&errata_error);

      g_string_append_printf (out, ",\"errata\":%u,\"errata_error_code\":%d", errata,
                              errata_error != NULL ? errata_error->code : -1);
    }

  g_object_unref (ruleset);
  if (thread != NULL)
    {
      g_mutex_lock (&lock);
      done = TRUE;
      g_cond_broadcast (&cond);
      g_mutex_unlock (&lock);
      g_thread_join (thread);
    }
  if (fd_check)
    g_string_append_printf (out, ",\"fds_before\":%u,\"fds_after\":%u", fds_before, count_fds ());

  /* stdio, not g_print(): after a real restriction (ll-emulate --continue)
   * a charset conversion could need files that are no longer readable. */
  g_string_append (out, "}\n");
  fputs (out->str, stdout);
  fflush (stdout);
  /* Once really sandboxed, exit handlers (LeakSanitizer's, in a
   * -Db_sanitize build) cannot read /proc: skip them. */
  if (real_sandbox)
    _exit (0);
  return 0;
}
