/* ll-learn.c: landlock-run --learn, writing the policy a program needs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ll-learn.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>


#include "ll-learn-compact.h"
#include "ll-learn-record.h"
#include "ll-learn-trace.h"
#include "ll-learn-write.h"
#include "ll-quote-private.h"

#define EXIT_SETUP_FAILED  LL_CHILD_SETUP_FAILED
#define EXIT_CANNOT_INVOKE 126
#define EXIT_NOT_FOUND     127

/* Said first, whatever --quiet says: nobody may take this for a sandbox. */
static void
warn_unsandboxed (char       **command,
                  const char  *policy_path)
{
  g_autofree char *shown = _ll_quote (policy_path, -1, LL_QUOTE_MAX_PATH);

  g_printerr ("%1$s: *** LEARNING MODE: NO SANDBOX ***\n"
              "%1$s: “%2$s” and everything it starts run UNRESTRICTED: they are only watched, "
              "to write the policy they need into %3$s.\n"
              "%1$s: Learn only with a program and input you trust, and review %3$s before "
              "relying on it.\n",
              g_get_prgname (), command[0], shown);
}

/* The command's way of ending becomes ours. */
static int
pass_status_on (int wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    {
      int signal_number = WTERMSIG (wait_status);
      sigset_t just_this;

      fflush (stdout);
      fflush (stderr);
      signal (signal_number, SIG_DFL);
      sigemptyset (&just_this);
      sigaddset (&just_this, signal_number);
      sigprocmask (SIG_UNBLOCK, &just_this, NULL);
      raise (signal_number);
      return 128 + signal_number;   /* a signal that does not kill */
    }
  return EXIT_SETUP_FAILED;
}

/* As landlock-run says it when the sandboxed command cannot be run. */
static int
cannot_run (const char *program,
            int         exec_errno)
{
  g_autofree char *shown = _ll_quote (program, -1, LL_QUOTE_MAX_PATH);

  g_printerr ("%s: cannot run “%s”: %s%s\n", g_get_prgname (), shown, g_strerror (exec_errno),
              exec_errno == ENOENT || exec_errno == ENOTDIR ? " (command not found)" : "");
  g_printerr ("%s: nothing was learned\n", g_get_prgname ());
  return exec_errno == ENOENT || exec_errno == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_INVOKE;
}

int
ll_learn_run (const char  *policy_path,
              LlRuleset   *base,
              char       **command,
              gboolean     quiet)
{
  g_autofree char *observed_path = g_strconcat (policy_path, LL_LEARN_OBSERVED_SUFFIX, NULL);
  g_autofree char *shown_path = _ll_quote (policy_path, -1, LL_QUOTE_MAX_PATH);
  g_autoptr(LlRuleset) kept = NULL;
  g_autoptr(LlLearnRecord) previous = NULL;
  g_autoptr(LlLearnRecord) this_run = NULL;
  LlLearnRecord *all;
  g_autoptr(LlLearnPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  gboolean observed_before;
  int abi, wait_status, exec_errno;

  /* What is there already is read first: a policy that cannot be merged
   * into is better said before the command runs. */
  if (g_file_test (policy_path, G_FILE_TEST_EXISTS))
    {
      kept = ll_ruleset_new_from_file (policy_path, &error);
      if (kept == NULL)
        {
          g_printerr ("%s: cannot add what is learned to %s: %s (learn into another file, or "
                      "remove this one)\n", g_get_prgname (), shown_path, error->message);
          return EXIT_SETUP_FAILED;
        }
    }
  observed_before = g_file_test (observed_path, G_FILE_TEST_EXISTS);
  if (observed_before)
    {
      previous = ll_learn_record_load (observed_path, &error);
      if (previous == NULL)
        {
          g_printerr ("%s: %s\n", g_get_prgname (), error->message);
          return EXIT_SETUP_FAILED;
        }
    }

  this_run = ll_learn_record_new ();
  abi = ll_get_abi_version (NULL);
  if (abi <= 0)
    {
      abi = LL_ABI_MAX;
      ll_learn_record_note (this_run, "this kernel has no Landlock: the policy handles what "
                            "Landlock ABI %d can restrict; try it on a kernel that has Landlock",
                            abi);
    }
  this_run->abi = abi;

  warn_unsandboxed (command, policy_path);
  if (!ll_learn_trace_run (command, this_run, &wait_status, &exec_errno, &error))
    {
      g_printerr ("%s: cannot learn: %s\n", g_get_prgname (), error->message);
      return EXIT_SETUP_FAILED;
    }
  if (exec_errno != 0)
    return cannot_run (command[0], exec_errno);
  ll_learn_record_add_run (this_run, (const char * const *) command, wait_status);

  /* Everything seen, in this run and those before. */
  if (previous != NULL)
    {
      ll_learn_record_merge (previous, this_run);
      all = previous;
    }
  else
    all = this_run;
  all->abi = abi;
  policy = ll_learn_compact (all, base, kept, observed_before, abi);
  if (!ll_learn_write_files (policy_path, policy, all, &error))
    {
      g_printerr ("%s: cannot write what was learned to %s: %s\n", g_get_prgname (), shown_path,
                  error->message);
      return EXIT_SETUP_FAILED;
    }

  if (!quiet)
    {
      g_autofree char *quoted = g_shell_quote (policy_path);

      guint n_rules = ll_learn_policy_count_rules (policy);

      g_printerr ("%s: learned %s: %u rule%s (%u path%s, %u port%s) from %" G_GUINT64_FORMAT
                  " operations%s; why each rule is there: %s --explain --policy %s\n",
                  g_get_prgname (), shown_path, n_rules, n_rules == 1 ? "" : "s",
                  policy->paths->len, policy->paths->len == 1 ? "" : "s",
                  policy->ports->len, policy->ports->len == 1 ? "" : "s",
                  ll_learn_record_count_operations (this_run),
                  observed_before || kept != NULL ? " of this run, merged with what it held" : "",
                  g_get_prgname (), quoted);
      for (guint i = 0; i < this_run->notes->len; i++)
        g_printerr ("%s: note: %s\n", g_get_prgname (), (const char *) g_ptr_array_index (this_run->notes, i));
      if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
        g_printerr ("%s: warning: the command did not succeed: the policy covers only what it "
                    "did until then\n", g_get_prgname ());
    }
  return pass_status_on (wait_status);
}

void
ll_learn_explain_policies (const char * const *policies)
{
  for (gsize i = 0; policies != NULL && policies[i] != NULL; i++)
    ll_learn_explain (policies[i]);
}
