/* uninstalled-consumer.c: a program that uses landlock-glib as any other
 * project would, built by check-uninstalled-pc.sh against a build tree
 * through meson-uninstalled/landlock-glib-1-uninstalled.pc alone.
 *
 *   uninstalled-consumer VERSION
 *
 * Includes the public header the way consumers do, and the two generated
 * ones by name, so that each of the four include paths of the .pc file is
 * needed; checks that the headers are this version's, that a type from
 * ll-enum-types.c is registered and that a call into the library returns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>

#include <landlock-glib/landlock-glib.h>
#include <landlock-glib/ll-enum-types.h>
#include <landlock-glib/ll-version.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int abi;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s VERSION\n", argv[0]);
      return 2;
    }
  if (strcmp (LL_VERSION_S, argv[1]) != 0)
    {
      fprintf (stderr, "the headers are version %s, not %s\n", LL_VERSION_S, argv[1]);
      return 1;
    }
  if (!LL_CHECK_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION, LL_MICRO_VERSION))
    {
      fprintf (stderr, "LL_CHECK_VERSION() rejects its own version\n");
      return 1;
    }
  if (strcmp (g_type_name (LL_TYPE_STATUS), "LlStatus") != 0)
    {
      fprintf (stderr, "LL_TYPE_STATUS is %s\n", g_type_name (LL_TYPE_STATUS));
      return 1;
    }

  /* 0 with an error where the kernel has no Landlock: linked and called
   * all the same. */
  abi = ll_get_abi_version (&error);
  printf ("landlock-glib %s, Landlock ABI %d%s%s\n", LL_VERSION_S, abi,
          error != NULL ? ": " : "", error != NULL ? error->message : "");
  return 0;
}
