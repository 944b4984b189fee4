/* fuzz-policy.c: libFuzzer target for the policy parser (ll-policy*.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each input is a landlockconfig document. ll_ruleset_new_from_data()
 * must either accept it or reject it with LL_ERROR_POLICY and a message
 * that is valid UTF-8 and holds no control character, never crash, leak
 * or hang, and take at most a second of CPU time (libFuzzer's -timeout
 * measures wall-clock time, which a loaded machine stretches); what it
 * accepts must survive ll_ruleset_to_json() and a reparse, giving the same
 * paths byte for byte, the same normalised document (to_json is a fixed
 * point) and a ruleset that ll_ruleset_check() judges the same.
 *
 * Built only with -Dfuzzing=true and clang; see README.md.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "landlock-glib.h"
#include "ll-ruleset-private.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_initialize ();
  return 0;
}

static void
collect_path (const char *path,
              guint64     access,
              guint32     flags,
              gpointer    user_data)
{
  g_string_append_printf (user_data, "%s%c%" G_GUINT64_FORMAT "%c", path, 0, access, 0);
}

/* Every path rule, byte for byte (the paths can hold any byte but NUL). */
static GString *
path_rules (LlRuleset *ruleset)
{
  GString *rules = g_string_new (NULL);

  _ll_ruleset_foreach_path_rule (ruleset, collect_path, rules);
  return rules;
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
  FuzzCpuBudget budget;

  /* The length is given: the data is not NUL-terminated. */
  fuzz_cpu_budget_start (&budget);
  ruleset = ll_ruleset_new_from_data ((const char *) data, (gssize) size, &error);
  fuzz_cpu_budget_check (&budget, "ll_ruleset_new_from_data()");
  if (ruleset == NULL)
    {
      if (error == NULL || !g_error_matches (error, LL_ERROR, LL_ERROR_POLICY))
        {
          g_printerr ("rejected without LL_ERROR_POLICY: %s\n",
                      error ? error->message : "(no error)");
          abort ();
        }
      fuzz_check_message (error->message);
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
  /* The same paths, byte for byte: a path that is not UTF-8 must not be
   * written as another one. */
  {
    g_autoptr(GString) before = path_rules (ruleset);
    g_autoptr(GString) after = path_rules (reparsed);

    if (before->len != after->len || memcmp (before->str, after->str, before->len) != 0)
      {
        g_printerr ("the paths differ after to_json:\n%s\n", json);
        abort ();
      }
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
