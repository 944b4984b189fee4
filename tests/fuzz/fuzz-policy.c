/* fuzz-policy.c: libFuzzer target for the policy parser (ll-policy.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each input is a landlockconfig document. ll_ruleset_new_from_data()
 * must either accept it or reject it with LL_ERROR_POLICY, never crash,
 * leak or hang; what it accepts must survive ll_ruleset_to_json() and a
 * reparse, giving the same normalised document (to_json is a fixed point)
 * and a ruleset that ll_ruleset_check() judges the same.
 *
 * Built only with -Dfuzzing=true and clang; see README.md.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "landlock-glib.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

static void
quiet_log (const char     *log_domain,
           GLogLevelFlags  log_level,
           const char     *message,
           gpointer        user_data)
{
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* GLib warnings are not findings; criticals are. */
  g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
                     quiet_log, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(LlRuleset) reparsed = NULL;
  g_autoptr(LlRuleset) reparsed2 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *json3 = NULL;

  /* The length is given: the data is not NUL-terminated. */
  ruleset = ll_ruleset_new_from_data ((const char *) data, (gssize) size, &error);
  if (ruleset == NULL)
    {
      if (error == NULL || !g_error_matches (error, LL_ERROR, LL_ERROR_POLICY))
        {
          g_printerr ("rejected without LL_ERROR_POLICY: %s\n",
                      error ? error->message : "(no error)");
          abort ();
        }
      if (!g_utf8_validate (error->message, -1, NULL))
        {
          g_printerr ("error message is not UTF-8\n");
          abort ();
        }
      return 0;
    }
  g_assert (error == NULL);

  json = ll_ruleset_to_json (ruleset);
  if (json == NULL)
    abort ();

  reparsed = ll_ruleset_new_from_data (json, -1, &error2);
  if (reparsed == NULL)
    {
      g_printerr ("to_json output rejected: %s\n%s\n", error2->message, json);
      abort ();
    }
  json2 = ll_ruleset_to_json (reparsed);
  if (strcmp (json, json2) != 0)
    {
      g_printerr ("round trip differs:\n--- first\n%s\n--- reparsed\n%s\n", json, json2);
      abort ();
    }
  /* Equal documents, and equal problems (a port above 65535 must not be
   * dropped by to_json). */
  if (ll_ruleset_check (ruleset, NULL) != ll_ruleset_check (reparsed, NULL))
    {
      g_printerr ("ll_ruleset_check() differs after the round trip:\n%s\n", json);
      abort ();
    }

  /* And once more, with an explicit length (not NUL-terminated use). */
  reparsed2 = ll_ruleset_new_from_data (json2, (gssize) strlen (json2), &error3);
  if (reparsed2 == NULL)
    abort ();
  json3 = ll_ruleset_to_json (reparsed2);
  if (strcmp (json2, json3) != 0)
    abort ();

  return 0;
}
