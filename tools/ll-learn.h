/* ll-learn.h: landlock-run --learn, writing the policy a program needs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * landlock-run --learn FILE runs the command unsandboxed and traced
 * (ll-learn-trace.c), turns what it did into a policy (ll-learn-compact.c)
 * and writes FILE with its provenance beside it (ll-learn-write.c). The
 * sources, one concern each:
 *
 *   ll-learn.c          this: the order of things, and what is said
 *   ll-learn-trace.c    the seccomp filter, its child, and the answering of its calls
 *   ll-learn-calls.c    what each reported system call needs, as Landlock checks it
 *   ll-learn-resolve.c  paths as the kernel resolves them
 *   ll-learn-record.c   the observations, and FILE.observed
 *   ll-learn-compact.c  the compaction rules, all of them
 *   ll-learn-write.c    FILE, and --explain
 */

#pragma once

#include <glib.h>
#include <landlock-glib/landlock-glib.h>

G_BEGIN_DECLS

/* Runs @command traced and writes the policy it needs to @policy_path,
 * merged with what is there already. @base is the sandbox the other
 * options describe: what it grants is not repeated. Returns the exit
 * status for landlock-run: the command's, or 125 (learning cannot be set
 * up, the policy cannot be written), 126 or 127 (the command cannot be
 * run). A command killed by a signal kills landlock-run with it. */
int  ll_learn_run              (const char         *policy_path,
                                LlRuleset          *base,
                                char              **command,
                                gboolean            quiet);

/* For landlock-run --explain: why each rule of each learned policy of
 * @policies (NULL-terminated; may be NULL) is there. */
void ll_learn_explain_policies (const char * const *policies);

G_END_DECLS
