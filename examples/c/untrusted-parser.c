/* untrusted-parser.c: parse an untrusted file in a process that can open nothing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   untrusted-parser [--try-open PATH]... FILE
 *
 * The pattern of GNOME localsearch's metadata extractors: a parser is
 * where a crafted file turns into code execution, so the process opens
 * what it needs first (FILE, and stdout, which its caller opened for it),
 * then gives up every right Landlock knows, and only then reads and parses
 * the untrusted bytes. If the parser is exploited, the attacker holds a
 * process that can write its answer to stdout and nothing else: no file
 * to open, not even FILE again, no TCP or UDP, no signal to another
 * process, no UNIX socket, as far as the running kernel can restrict
 * these. An older kernel restricts less (files from Landlock ABI 1, TCP
 * from 4, signals and abstract UNIX sockets from 6, UNIX sockets bound to
 * paths from 9, UDP from 10), and the program says what its kernel leaves
 * open rather than claim it.
 *
 * FILE is a key file ("[Group]", "Key=Value", the format of .desktop
 * files), parsed with GKeyFile; the program prints its line, word and byte
 * counts and its groups and keys. With --try-open, it then tries to open
 * each PATH, to show the kernel's answer (EACCES) from inside the sandbox.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <landlock-glib/landlock-glib.h>

/* The input is read whole into memory. */
#define MAX_INPUT_SIZE (1024 * 1024)

static const char *
errno_name (int errsv)
{
  switch (errsv)
    {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    default: return "errno";
    }
}

/* Open files are the whole of what the sandboxed process may use:
 * Landlock checks a file when it is opened, so descriptors opened before
 * the sandbox keep working, and every open() after it fails. */
static gboolean
sandbox_to_nothing (GError **error)
{
  /* A new ruleset handles every filesystem right, every TCP right and
   * every IPC scope the running kernel knows; with no rule to grant an
   * exception, all of them are denied. Strict, the default: on a kernel
   * without Landlock this fails, and the untrusted file is never parsed
   * unsandboxed. */
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autofree char *open = NULL;
  GEnumClass *status_class;
  LlStatus status;

  if (!ll_ruleset_apply (ruleset, &status, error))
    return FALSE;

  status_class = g_type_class_ref (LL_TYPE_STATUS);
  g_printerr ("untrusted-parser: sandbox status: %s: no file can be opened from here on\n",
              g_enum_get_value (status_class, status)->value_name);
  g_type_class_unref (status_class);
  open = ll_ruleset_describe_unrestricted (ruleset);
  g_printerr ("untrusted-parser: %s\n",
              open != NULL ? open : "no network and no IPC either: this kernel restricts them all");

  /* This program starts no thread, so the kernel restricted all of it. */
  if (status != LL_STATUS_FULLY_ENFORCED)
    {
      g_set_error (error, LL_ERROR, LL_ERROR_RESTRICT, "The sandbox is not complete: %s",
                   ll_ruleset_get_status_reason (ruleset));
      return FALSE;
    }

  return TRUE;
}

static GBytes *
read_all (int       fd,
          GError  **error)
{
  g_autoptr(GByteArray) contents = g_byte_array_new ();

  for (;;)
    {
      guint8 buffer[16 * 1024];
      ssize_t n_read = read (fd, buffer, sizeof buffer);

      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read < 0)
        {
          int errsv = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                       "Could not read the input: %s", g_strerror (errsv));
          return NULL;
        }
      if (n_read == 0)
        break;
      if (contents->len + n_read > MAX_INPUT_SIZE)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       "The input is larger than %d bytes", MAX_INPUT_SIZE);
          return NULL;
        }
      g_byte_array_append (contents, buffer, n_read);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&contents));
}

static void
print_counts (const char *data,
              gsize       size)
{
  gsize n_lines = 0;
  gsize n_words = 0;
  gboolean in_word = FALSE;

  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\n')
        n_lines++;
      if (g_ascii_isspace (data[i]))
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          n_words++;
        }
    }

  g_print ("lines: %" G_GSIZE_FORMAT "\nwords: %" G_GSIZE_FORMAT "\nbytes: %" G_GSIZE_FORMAT "\n",
           n_lines, n_words, size);
}

static gboolean
print_key_file (const char  *data,
                gsize        size,
                GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (key_file, data, size, G_KEY_FILE_NONE, error))
    return FALSE;

  groups = g_key_file_get_groups (key_file, NULL);
  for (gsize i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);
      /* Untrusted text: escaped, so that it cannot drive the terminal. */
      g_autofree char *group = g_strescape (groups[i], NULL);

      g_print ("[%s]\n", group);
      for (gsize j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *raw = g_key_file_get_value (key_file, groups[i], keys[j], NULL);
          g_autofree char *key = g_strescape (keys[j], NULL);
          g_autofree char *value = g_strescape (raw != NULL ? raw : "", NULL);

          g_print ("  %s = %s\n", key, value);
        }
    }

  return TRUE;
}

static void
try_open (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  int errsv = errno;

  if (fd >= 0)
    {
      g_printerr ("untrusted-parser: try-open %s: opened: the sandbox did not hold\n", path);
      close (fd);
      return;
    }

  g_printerr ("untrusted-parser: try-open %s: %s (%s)\n", path,
              errno_name (errsv), g_strerror (errsv));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = NULL;
  g_auto(GStrv) try_open_paths = NULL;
  const GOptionEntry entries[] = {
    { "try-open", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &try_open_paths,
      "After the sandbox, try to open PATH and report the kernel's answer", "PATH" },
    { NULL }
  };
  const char *data;
  gsize size;
  int input_fd;

  context = g_option_context_new ("FILE - parse an untrusted key file inside a Landlock sandbox");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (argc != 2)
    {
      g_printerr ("Usage: %s [--try-open PATH]... FILE\n", g_get_prgname ());
      return EXIT_FAILURE;
    }

  /* Everything from outside is opened now; nothing can be afterwards. */
  input_fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (input_fd < 0)
    {
      int errsv = errno;

      g_printerr ("Cannot open %s: %s\n", argv[1], g_strerror (errsv));
      return EXIT_FAILURE;
    }

  if (!sandbox_to_nothing (&error))
    {
      g_printerr ("Cannot sandbox the parser, not parsing %s: %s\n", argv[1], error->message);
      close (input_fd);
      return EXIT_FAILURE;
    }

  /* From here on, the process could be the attacker's. */
  input = read_all (input_fd, &error);
  close (input_fd);
  if (input == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  data = g_bytes_get_data (input, &size);
  print_counts (data, size);
  if (!print_key_file (data, size, &error))
    {
      g_printerr ("Not a valid key file: %s\n", error->message);
      return EXIT_FAILURE;
    }

  for (gsize i = 0; try_open_paths != NULL && try_open_paths[i] != NULL; i++)
    try_open (try_open_paths[i]);

  return EXIT_SUCCESS;
}
