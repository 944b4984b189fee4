/* thumbnail-helper.c: a thumbnail made by a sandboxed gdk-pixbuf-thumbnailer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   thumbnail-helper [--size N] [--policy FILE] [--try-read FILE]... [--try-write FILE]...
 *                    INPUT OUTPUT_DIR
 *
 * The sandbox most GNOME programs want: a helper that parses untrusted
 * data (an image from the web, a mail attachment) runs in a child process
 * that may read its one input and write into one output directory, and
 * nothing else that the kernel can restrict. Should a crafted image take
 * the thumbnailer over, it cannot read the other pictures beside the
 * input, nor anything in your home, and cannot write anywhere but the
 * thumbnail directory. The program that starts it keeps all its rights
 * and needs no care about its threads: a forked child has a single
 * thread, so its sandbox is LL_STATUS_FULLY_ENFORCED on every kernel with
 * Landlock.
 *
 * It makes OUTPUT_DIR/NAME.png (NAME: INPUT's name without its extension),
 * at most N pixels wide and high (128 by default). With --try-read and
 * --try-write it then runs the thumbnailer again, in the same sandbox,
 * with FILE as its input or as its output, to show the kernel refusing.
 * With --policy, the sandbox is the policy FILE's instead
 * (examples/policies/thumbnailer.json, whose input and output are
 * variables), applied best-effort as policies are, but never without
 * Landlock.
 *
 * What the thumbnailer needs, found with strace (Debian 12, gdk-pixbuf
 * 2.42): to execute the program itself and the dynamic loader (in
 * /usr/lib); to read its libraries, gdk-pixbuf's loaders and their
 * loaders.cache, GIO's modules and the locales, all beneath /usr/lib
 * (/usr/lib64 too on some distributions); the MIME database in
 * /usr/share/mime, without which it cannot tell a PNG from a JPEG; the
 * input; and to create and write the thumbnail in place (with O_TRUNC,
 * no temporary file). It also tries, and does without: /etc/ld.so.cache
 * (the loader then searches the default directories), /proc/filesystems
 * and /proc/mounts, ~/.local/share/mime, and the translations in
 * /usr/share/locale (its messages stay in English). Image formats whose
 * loader needs more (an SVG with text needs fonts) fail in this sandbox.
 *
 * The ruleset is strict, the default: on a kernel without Landlock the
 * thumbnailer is not run at all. On an older kernel the files are
 * protected all the same (Landlock ABI 1, Linux 5.13), and the program
 * prints what that kernel leaves open (TCP before ABI 4, signals before
 * ABI 6, ...) rather than claim it.
 *
 * The ruleset and the spawning, from the #include to the end of
 * thumbnailer_ruleset_from_policy(), are the C snippets of the API
 * reference's chapter "Sandboxing a helper process"
 * (docs/reference/child-processes.xml); a test keeps them the same.
 */

#include <string.h>

#include <landlock-glib/landlock-glib.h>

/* The sandbox of the thumbnailer: read and run the program and the
 * system's libraries, read the MIME database and @input, write beneath
 * @output_dir. The paths must be absolute: a ruleset for a child refuses
 * relative ones. */
static LlRuleset *
thumbnailer_ruleset (const char *thumbnailer,
                     const char *input,
                     const char *output_dir)
{
  LlRuleset *ruleset = ll_ruleset_new ();   /* strict: no Landlock, no thumbnail */
  const char *system[] = { thumbnailer, "/usr/lib", NULL, NULL };
  const char * const data[] = { "/usr/share/mime", input, NULL };
  const char * const output[] = { output_dir, NULL };

  /* Some distributions keep 64-bit libraries in /usr/lib64. */
  if (g_file_test ("/usr/lib64", G_FILE_TEST_IS_DIR))
    system[2] = "/usr/lib64";

  ll_ruleset_allow_execute (ruleset, system);
  ll_ruleset_allow_read (ruleset, system);
  ll_ruleset_allow_read (ruleset, data);
  ll_ruleset_allow_write (ruleset, output);
  return ruleset;
}

/* Runs the thumbnailer in @ruleset's sandbox. Returns %FALSE with @error
 * set if it could not be started (a strict ruleset on a kernel without
 * Landlock, for one), otherwise %TRUE with *@made saying whether it made
 * @output and *@message what it said (its last line) when it did not. */
static gboolean
make_thumbnail (LlRuleset   *ruleset,
                const char  *thumbnailer,
                int          size,
                const char  *input,
                const char  *output,
                gboolean    *made,
                char       **message,
                GError     **error)
{
  g_autofree char *size_text = g_strdup_printf ("%d", size);
  const char * const argv[] = { thumbnailer, "-s", size_text, input, output, NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *child_stderr = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  child = ll_ruleset_spawnv (ruleset, argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (child == NULL ||
      !g_subprocess_communicate_utf8 (child, NULL, NULL, NULL, &child_stderr, error))
    return FALSE;

  *made = g_subprocess_get_successful (child);
  lines = g_strsplit (g_strstrip (child_stderr), "\n", -1);
  n_lines = g_strv_length (lines);
  *message = g_strdup (n_lines > 0 && *lines[n_lines - 1] != '\0'
                       ? lines[n_lines - 1] : "(no message)");
  return TRUE;
}

/* The same sandbox from a policy file, examples/policies/thumbnailer.json,
 * which names its input and output as variables. */
static LlRuleset *
thumbnailer_ruleset_from_policy (const char  *policy,
                                 const char  *input,
                                 const char  *output_dir,
                                 GError     **error)
{
  g_autofree char *input_variable = g_strconcat ("input=", input, NULL);
  g_autofree char *output_variable = g_strconcat ("output=", output_dir, NULL);
  const char * const policies[] = { policy, NULL };
  const char * const variables[] = { input_variable, output_variable, NULL };
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_files_full (policies, variables, error);

  /* A policy is best-effort: without Landlock, it would let the
   * thumbnailer run unsandboxed. */
  if (ruleset != NULL && ll_ruleset_get_abi (ruleset) == 0)
    {
      g_set_error_literal (error, LL_ERROR, LL_ERROR_NOT_AVAILABLE,
                           "This kernel has no usable Landlock, and the policy is best-effort");
      return NULL;
    }
  return g_steal_pointer (&ruleset);
}

/* The rest is the demonstration around it. */

static char *
thumbnail_path (const char *output_dir,
                const char *input)
{
  g_autofree char *name = g_path_get_basename (input);
  char *extension = strrchr (name, '.');

  if (extension != NULL && extension != name)
    *extension = '\0';
  return g_strdup_printf ("%s/%s.png", output_dir, name);
}

/* The same sandbox, asked for what it does not grant: the thumbnailer
 * must fail. */
static gboolean
try_outside (LlRuleset  *ruleset,
             const char *what,
             const char *thumbnailer,
             int         size,
             const char *input,
             const char *output,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean made = FALSE;

  if (!make_thumbnail (ruleset, thumbnailer, size, input, output, &made, &message, &error))
    {
      g_print ("thumbnail-helper: %s %s: cannot run the thumbnailer: %s\n",
               what, path, error->message);
      return FALSE;
    }
  if (made)
    {
      g_print ("thumbnail-helper: %s %s: done: the sandbox did not hold\n", what, path);
      return FALSE;
    }
  g_print ("thumbnail-helper: %s %s: refused: %s\n", what, path, message);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_auto(GStrv) try_read = NULL;
  g_auto(GStrv) try_write = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *thumbnailer = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output_dir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *message = NULL;
  g_autofree char *status = NULL;
  g_autofree char *left_open = NULL;
  gboolean made = FALSE;
  gboolean held = TRUE;
  int size = 128;
  const GOptionEntry entries[] = {
    { "size", 's', 0, G_OPTION_ARG_INT, &size, "Make the thumbnail at most N pixels wide and high", "N" },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy,
      "Take the sandbox from the policy FILE (thumbnailer.json) instead", "FILE" },
    { "try-read", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &try_read,
      "Then ask the sandboxed thumbnailer to read FILE, which the sandbox does not allow", "FILE" },
    { "try-write", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &try_write,
      "Then ask the sandboxed thumbnailer to write FILE, which the sandbox does not allow", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("INPUT OUTPUT_DIR - make a thumbnail in a sandboxed child process");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("%s\nUsage: %s [--size N] [--policy FILE] [--try-read FILE]... [--try-write FILE]... "
                  "INPUT OUTPUT_DIR\n",
                  error != NULL ? error->message : "", g_get_prgname ());
      return EXIT_FAILURE;
    }

  thumbnailer = g_find_program_in_path ("gdk-pixbuf-thumbnailer");
  if (thumbnailer == NULL)
    {
      g_printerr ("thumbnail-helper: gdk-pixbuf-thumbnailer is not installed "
                  "(Debian: package libgdk-pixbuf2.0-bin)\n");
      return EXIT_FAILURE;
    }
  input = g_canonicalize_filename (argv[1], NULL);
  output_dir = g_canonicalize_filename (argv[2], NULL);
  output = thumbnail_path (output_dir, input);

  g_print ("thumbnail-helper: sandboxing %s: read %s, write beneath %s%s%s\n",
           thumbnailer, input, output_dir, policy != NULL ? ", as the policy " : "",
           policy != NULL ? policy : "");
  if (policy != NULL)
    ruleset = thumbnailer_ruleset_from_policy (policy, input, output_dir, &error);
  else
    ruleset = thumbnailer_ruleset (thumbnailer, input, output_dir);
  if (ruleset == NULL ||
      !make_thumbnail (ruleset, thumbnailer, size, input, output, &made, &message, &error))
    {
      g_print ("thumbnail-helper: cannot sandbox the thumbnailer, not running it: %s\n",
               error->message);
      return EXIT_FAILURE;
    }

  /* What the child got, and what this kernel cannot restrict. */
  status = g_enum_to_string (LL_TYPE_STATUS, ll_ruleset_get_status (ruleset));
  g_print ("thumbnail-helper: sandbox status: %s\n", status);
  left_open = ll_ruleset_describe_unrestricted (ruleset);
  g_print ("thumbnail-helper: %s\n",
           left_open != NULL ? left_open : "this kernel restricts every right landlock-glib knows");

  if (!made)
    {
      g_print ("thumbnail-helper: no thumbnail: %s\n", message);
      return EXIT_FAILURE;
    }
  g_print ("thumbnail-helper: made %s\n", output);

  for (gsize i = 0; try_read != NULL && try_read[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (try_read[i], NULL);
      g_autofree char *path_output = thumbnail_path (output_dir, path);

      held &= try_outside (ruleset, "try-read", thumbnailer, size, path, path_output, path);
    }
  for (gsize i = 0; try_write != NULL && try_write[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (try_write[i], NULL);

      held &= try_outside (ruleset, "try-write", thumbnailer, size, input, path, path);
    }

  return held ? EXIT_SUCCESS : EXIT_FAILURE;
}
