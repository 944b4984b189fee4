/* learned-thumbnailer.c: make thumbnails in a sandbox whose policy was learned
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   learned-thumbnailer POLICY SIZE INPUT OUTPUT
 *
 * A file manager makes thumbnails of whatever the user downloads, with a
 * helper that parses every image format there is: a crafted image is an
 * attack on the helper. This runs the helper, gdk-pixbuf-thumbnailer, in a
 * Landlock sandbox described by POLICY, so that an exploited decoder can
 * read the input and write the thumbnail, and nothing else.
 *
 * Writing that policy by hand means knowing every library, loader, cache
 * and locale file the helper opens. Instead, learn it once from a real
 * run, review it, and ship it:
 *
 *   landlock-run --learn thumbnailer.json -- \
 *       gdk-pixbuf-thumbnailer -s 128 ~/Pictures/photo.png ~/.cache/thumbnails/normal/photo.png
 *   landlock-run --explain --policy thumbnailer.json     # why each rule is there
 *
 * and then, in the program, load it with ll_ruleset_new_from_file() and
 * start the helper with ll_ruleset_spawnv(): the helper is restricted from
 * its first instruction, this process not at all.
 *
 * The policy allows what the learning run did, and only that: the input
 * it read is one file rule. Another input is refused by the kernel
 * (EACCES) until the policy says more, for instance a ${input} variable
 * given with ll_ruleset_new_from_files_full(), as
 * examples/policies/thumbnailer.json does.
 */

#include <stdlib.h>

#include <glib.h>
#include <gio/gio.h>
#include <landlock-glib/landlock-glib.h>

#define THUMBNAILER "gdk-pixbuf-thumbnailer"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *open = NULL;

  if (argc != 5)
    {
      g_printerr ("usage: %s POLICY SIZE INPUT OUTPUT\n", argv[0]);
      return 2;
    }

  /* A policy file is best-effort, as landlockconfig applies it: what
   * this kernel cannot restrict is dropped and said. */
  ruleset = ll_ruleset_new_from_file (argv[1], &error);
  if (ruleset == NULL)
    {
      g_printerr ("learned-thumbnailer: %s\n", error->message);
      return 1;
    }
  open = ll_ruleset_describe_unrestricted (ruleset);
  if (open != NULL)
    g_print ("learned-thumbnailer: %s\n", open);

  {
    const char * const helper_argv[] = { THUMBNAILER, "-s", argv[2], argv[3], argv[4], NULL };

    helper = ll_ruleset_spawnv (ruleset, helper_argv, G_SUBPROCESS_FLAGS_NONE, &error);
  }
  if (helper == NULL)
    {
      g_printerr ("learned-thumbnailer: cannot start %s in the sandbox: %s\n", THUMBNAILER,
                  error->message);
      return 1;
    }
  if (!g_subprocess_wait (helper, NULL, &error))
    {
      g_printerr ("learned-thumbnailer: %s\n", error->message);
      return 1;
    }

  if (g_subprocess_get_if_exited (helper) && g_subprocess_get_exit_status (helper) == 0)
    {
      g_print ("learned-thumbnailer: %s made %s in the sandbox of %s\n", THUMBNAILER, argv[4], argv[1]);
      return 0;
    }
  g_print ("learned-thumbnailer: %s failed in the sandbox of %s (exit status %d)\n", THUMBNAILER,
           argv[1], g_subprocess_get_if_exited (helper) ? g_subprocess_get_exit_status (helper) : -1);
  return 1;
}
