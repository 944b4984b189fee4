/* fuzz-landlock-run.c: libFuzzer target for landlock-run's options and
 * environment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tools/landlock-run.c is compiled into this target with
 * -Dmain=landlock_run_main, and called as the program would be: the
 * input is a recipe that chooses its command line (path options with
 * paths that hold controls, bytes that are not UTF-8 or nothing; port
 * options with numbers, signs, huge and empty values; scopes; the flags;
 * --policy files written from the input; --env-compat with LL_FS_RO,
 * LL_FS_RW, LL_TCP_BIND, LL_TCP_CONNECT and LL_SCOPED) after one option
 * that makes it exit before it runs anything: --print-policy mostly,
 * --explain (which applies the ruleset in a child process and prints what
 * the kernel made of it), --check and --version now and then. The program
 * never reaches execvp() that way; --help and the like, which exit(), are
 * never generated.
 *
 * It aborts, and libFuzzer keeps the input, when:
 *
 * - the program crashes, leaks, takes more than a second of CPU time or
 *   (through -rss_limit_mb) too much memory;
 * - it returns anything but 0 (success) or 125 (it cannot set up the
 *   sandbox), or 125 without a message;
 * - what --print-policy prints is not a policy that reads back to a
 *   document that is a fixed point of ll_ruleset_to_json() (the command
 *   line's paths are normalised when read back), or holds a character that
 *   could drive a terminal.
 *
 * What the program prints on stderr quotes its arguments: a control
 * character there is a finding too.
 *
 * The seam this target would rather have: a function of landlock-run.c
 * that parses the options and the environment (given as a GStrv, not read
 * with g_getenv()) into a plan, a ruleset and a command, with no
 * setlocale(), g_set_prgname() or exit() in it; main() would apply the
 * plan and exec. Then the target could check the plan itself.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "landlock-glib.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);
int landlock_run_main (int argc, char *argv[]);


static const char * const path_options[] = { "--ro", "--rw", "--rx", "--exec", "--unix" };
static const char * const port_options[] = { "--bind-tcp", "--connect-tcp", "--bind-udp", "--connect-udp" };
static const char * const flags[] = {
  "--allow-all-network", "--allow-all-scope", "--best-effort", "--strict", "--ignore-missing",
  "--log-same-exec-off", "--log-new-exec-on", "--log-subdomains-off", "--env-compat",
  "-q", "-v", "-qv", "--quiet", "--verbose",
};
static const char * const path_pieces[] = {
  "/", "/usr", "/tmp", "/nonexistent", ".", "..", "a", "\n", "\x1b]0;x\x07", "\xff\xfe",
  "\xe2\x80\xae", "\xc2\x9b", "$", "${x}", ":", "", "//", "\x7f", "/dev/null", "\t",
};
static const char * const port_texts[] = {
  "0", "80", "443", "65535", "65536", "-1", "+1", " 1", "1 ", "", "abc", "0x10", "010",
  "99999999999999999999", "2147483647", "2147483648", "\xef\xbc\x91", "1\n",
};
static const char * const scopes[] = { "abstract-unix", "abstract-unix-socket", "signal", "bogus", "" };
static const char * const scope_letters[] = { "a", "s", "x", "", "a:s", "s:s", "as" };
static const char * const policies[] = {
  "{\"abi\": 5, \"ruleset\": [{\"handledAccessFs\": [\"abi.all\"], \"handledAccessNet\": [\"bind_tcp\"]}], "
  "\"pathBeneath\": [{\"allowedAccess\": [\"abi.read_execute\"], \"parent\": [\"/usr\"]}]}",
  "{\"variable\": [{\"name\": \"v\", \"literal\": [\"/tmp\", \"/\\u001b\"]}], "
  "\"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"parent\": [\"${v}\", \"/\\udcff\"]}]}",
  "{\"netPort\": [{\"allowedAccess\": [\"connect_tcp\"], \"port\": [443, 70000]}]}",
  "{\"ruleset\": [{\"scoped\": [\"signal\"]}]}",
  "{\"ruleset\": [{\"handledAccessFs\": [\"read_files\"]}]}",
  "not json",
};

static char *policy_dir;
static GString *printed;
static GString *printed_error;

static void
print_to_buffer (const char *text)
{
  g_string_append (printed, text);
}

static void
printerr_to_buffer (const char *text)
{
  g_string_append (printed_error, text);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_initialize ();
  policy_dir = g_dir_make_tmp ("fuzz-landlock-run-XXXXXX", NULL);
  printed = g_string_new (NULL);
  printed_error = g_string_new (NULL);
  g_set_print_handler (print_to_buffer);
  g_set_printerr_handler (printerr_to_buffer);
  return 0;
}

/* A path from pieces; never one that GOption would take for an option. */
static char *
take_path (FuzzRecipe *recipe)
{
  GString *path = g_string_new (NULL);

  for (guint k = 0, n = 1 + fuzz_take (recipe, 4); k < n; k++)
    g_string_append (path, path_pieces[fuzz_take (recipe, G_N_ELEMENTS (path_pieces))]);
  if (path->str[0] == '-')
    g_string_prepend_c (path, '/');
  return g_string_free (path, FALSE);
}

static char *
take_list (FuzzRecipe         *recipe,
           const char * const *items,
           gsize               n_items)
{
  GString *list = g_string_new (NULL);

  for (guint k = 0, n = fuzz_take (recipe, 4); k < n; k++)
    {
      if (k > 0)
        g_string_append_c (list, ':');
      g_string_append (list, items[fuzz_take (recipe, n_items)]);
    }
  return g_string_free (list, FALSE);
}

/* A --policy file: a ready one, or bytes of the input. */
static char *
take_policy (FuzzRecipe *recipe,
             guint       index)
{
  char *path = g_strdup_printf ("%s/policy-%u.json", policy_dir, index);
  guint choice = fuzz_take (recipe, G_N_ELEMENTS (policies) + 2);

  if (choice < G_N_ELEMENTS (policies))
    g_file_set_contents (path, policies[choice], -1, NULL);
  else if (choice == G_N_ELEMENTS (policies))
    {
      gsize wanted = fuzz_take (recipe, 256);
      gsize length = MIN (recipe->size - recipe->offset, wanted);

      g_file_set_contents (path, (const char *) recipe->data + recipe->offset, length, NULL);
      recipe->offset += length;
    }
  else
    {
      g_free (path);
      return g_strdup (fuzz_take (recipe, 2) ? "/nonexistent/policy.json" : policy_dir);
    }
  return path;
}

/* Whether @text could drive a terminal: a control character other than
 * the newlines that end lines, or a C1 or bidirectional control. */
static gboolean
has_controls (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return TRUE;
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if ((u < 0x20 && u != '\n') || (u >= 0x7f && u <= 0x9f) || (u >= 0x202a && u <= 0x202e) ||
          (u >= 0x2066 && u <= 0x2069) || u == 0x2028 || u == 0x2029)
        return TRUE;
    }
  return FALSE;
}

static const char * const environment[] = {
  "LL_FS_RO", "LL_FS_RW", "LL_TCP_BIND", "LL_TCP_CONNECT", "LL_SCOPED",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FuzzRecipe recipe = { data, size, 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char **argv = NULL;
  guint mode = fuzz_take (&recipe, 32);
  gboolean print_policy = FALSE;
  FuzzCpuBudget budget;
  guint n_policies = 0;
  int status;

  g_string_truncate (printed, 0);
  g_string_truncate (printed_error, 0);

  g_ptr_array_add (args, g_strdup ("landlock-run"));
  if (mode == 0)
    g_ptr_array_add (args, g_strdup ("--explain"));
  else if (mode == 1)
    g_ptr_array_add (args, g_strdup ("--check"));
  else if (mode == 2)
    g_ptr_array_add (args, g_strdup ("--version"));
  else
    {
      g_ptr_array_add (args, g_strdup ("--print-policy"));
      print_policy = TRUE;
    }

  for (guint k = 0, n = fuzz_take (&recipe, 12); k < n; k++)
    switch (fuzz_take (&recipe, 8))
      {
      case 0:
      case 1:
        {
          const char *option = path_options[fuzz_take (&recipe, G_N_ELEMENTS (path_options))];
          g_autofree char *path = take_path (&recipe);

          if (fuzz_take (&recipe, 4) == 0)
            g_ptr_array_add (args, g_strdup_printf ("%s=%s", option, path));
          else
            {
              g_ptr_array_add (args, g_strdup (option));
              g_ptr_array_add (args, g_steal_pointer (&path));
            }
        }
        break;
      case 2:
        g_ptr_array_add (args, g_strdup (port_options[fuzz_take (&recipe, G_N_ELEMENTS (port_options))]));
        g_ptr_array_add (args, g_strdup (port_texts[fuzz_take (&recipe, G_N_ELEMENTS (port_texts))]));
        break;
      case 3:
        g_ptr_array_add (args, g_strdup ("--allow-scope"));
        g_ptr_array_add (args, g_strdup (scopes[fuzz_take (&recipe, G_N_ELEMENTS (scopes))]));
        break;
      case 4:
      case 5:
        g_ptr_array_add (args, g_strdup (flags[fuzz_take (&recipe, G_N_ELEMENTS (flags))]));
        break;
      case 6:
        if (n_policies < 3)
          {
            g_ptr_array_add (args, g_strdup ("--policy"));
            g_ptr_array_add (args, take_policy (&recipe, n_policies++));
          }
        break;
      default:
        /* The end of the options, a command, or an option unknown. */
        if (fuzz_take (&recipe, 2))
          g_ptr_array_add (args, g_strdup ("--"));
        else if (fuzz_take (&recipe, 2))
          g_ptr_array_add (args, g_strdup ("--bogus"));
        g_ptr_array_add (args, take_path (&recipe));
        break;
      }

  /* The sample sandboxer's variables, for --env-compat. */
  for (gsize i = 0; i < G_N_ELEMENTS (environment); i++)
    {
      g_autofree char *value = NULL;

      switch (fuzz_take (&recipe, 4))
        {
        case 0:
          continue;
        case 1:
          value = g_strdup ("");
          break;
        default:
          if (i < 2)
            {
              GString *list = g_string_new (NULL);

              for (guint k = 0, n = fuzz_take (&recipe, 4); k < n; k++)
                {
                  g_autofree char *path = take_path (&recipe);

                  g_string_append_printf (list, "%s%s", k > 0 ? ":" : "", path);
                }
              value = g_string_free (list, FALSE);
            }
          else if (i < 4)
            value = take_list (&recipe, port_texts, G_N_ELEMENTS (port_texts));
          else
            value = take_list (&recipe, scope_letters, G_N_ELEMENTS (scope_letters));
        }
      g_setenv (environment[i], value, TRUE);
    }

  /* GOption takes the arguments apart: give it a copy. */
  argv = g_new0 (char *, args->len + 1);
  memcpy (argv, args->pdata, args->len * sizeof (char *));

  fuzz_cpu_budget_start (&budget);
  status = landlock_run_main ((int) args->len, argv);
  fuzz_cpu_budget_check (&budget, "landlock-run");

  for (gsize i = 0; i < G_N_ELEMENTS (environment); i++)
    g_unsetenv (environment[i]);
  for (guint i = 0; i < n_policies; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/policy-%u.json", policy_dir, i);

      g_unlink (path);
    }

  if (status != 0 && status != 125)
    {
      fprintf (stderr, "landlock-run returned %d:\n%s\n", status, printed_error->str);
      abort ();
    }
  if (status == 125 && printed_error->len == 0)
    {
      fprintf (stderr, "landlock-run failed without a message\n");
      abort ();
    }
  if (has_controls (printed_error->str))
    {
      g_autofree char *escaped = g_strescape (printed_error->str, NULL);

      fprintf (stderr, "a control character reaches landlock-run's messages: %s\n", escaped);
      abort ();
    }

  if (print_policy && status == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LlRuleset) reparsed = NULL;
      g_autofree char *again = NULL;

      if (has_controls (printed->str))
        {
          g_autofree char *escaped = g_strescape (printed->str, NULL);

          fprintf (stderr, "--print-policy prints a control character: %s\n", escaped);
          abort ();
        }
      reparsed = ll_ruleset_new_from_data (printed->str, printed->len, &error);
      if (reparsed == NULL)
        {
          fprintf (stderr, "--print-policy printed a policy that is rejected: %s\n%s\n",
                   error->message, printed->str);
          abort ();
        }
      /* The command line's paths are written as given and normalised when
       * read back ("/usr/" is "/usr"): from there on, a fixed point. */
      again = ll_ruleset_to_json (reparsed);
      {
        g_autoptr(LlRuleset) reparsed_again = ll_ruleset_new_from_data (again, -1, &error);
        g_autofree char *third = NULL;

        if (reparsed_again == NULL)
          {
            fprintf (stderr, "to_json printed a policy that is rejected: %s\n%s\n",
                     error->message, again);
            abort ();
          }
        third = ll_ruleset_to_json (reparsed_again);
        if (strcmp (again, third) != 0)
          {
            fprintf (stderr, "--print-policy is no fixed point:\n%s\n---\n%s\n", again, third);
            abort ();
          }
      }
    }
  return 0;
}
