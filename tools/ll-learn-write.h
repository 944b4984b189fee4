/* ll-learn-write.h: the learned policy on disk, and why each rule is there
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A learned policy is two files:
 *
 *  - FILE, the policy: landlockconfig JSON, explicit rights (no groups),
 *    "abi" set to the ABI it was learned on, the rules with the same rights
 *    in one pathBeneath item. Any tool that reads the format reads it.
 *  - FILE.observed, beside it: every observation, with the program, the
 *    system call, the count, and the rule it went to and why. JSON cannot
 *    carry comments, and landlockconfig refuses unknown keys, so the
 *    provenance cannot live in the policy itself. It is what a later
 *    --learn FILE adds to, and what --explain reads. Its name does not
 *    end in ".json", so that a directory of policies given to a
 *    landlockconfig tool (which composes every *.json file) never takes it
 *    for one.
 */

#pragma once

#include <glib.h>

#include "ll-learn-compact.h"
#include "ll-learn-record.h"

G_BEGIN_DECLS

#define LL_LEARN_OBSERVED_SUFFIX ".observed"

char     *ll_learn_policy_to_json   (const LlLearnPolicy *policy);

/* The number of rules: parents of pathBeneath plus ports of netPort. */
guint     ll_learn_policy_count_rules (const LlLearnPolicy *policy);

/* Writes @policy to @path and @record to @path.observed, each atomically.
 * The policy is read back with the library first: nothing is written
 * that landlock-run --policy would refuse. */
gboolean  ll_learn_write_files      (const char          *path,
                                     const LlLearnPolicy *policy,
                                     const LlLearnRecord *record,
                                     GError             **error);

/* Prints, for each rule of the learned policy @path, why it is there
 * (from @path.observed); nothing when @path was not learned. */
void      ll_learn_explain          (const char          *path);

G_END_DECLS
