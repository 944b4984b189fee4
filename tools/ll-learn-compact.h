/* ll-learn-compact.h: from what was seen to a policy a person can review
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rules of the compaction are listed, and applied, in one place:
 * the top of ll-learn-compact.c.
 */

#pragma once

#include <glib.h>
#include <landlock-glib/landlock-glib.h>

#include "ll-learn-record.h"

G_BEGIN_DECLS

/* The most read-only rules one directory keeps before they collapse
 * into a rule on the directory (compaction rule "many files"). */
#define LL_LEARN_FEW_FILES 5

typedef struct
{
  char *path;
  guint64 access;             /* LL_ACCESS_FS_* */
  const char *reason;         /* the compaction rule that made it */
} LlLearnPathRule;

typedef struct
{
  guint port;
  guint64 access;             /* LL_ACCESS_NET_* */
  const char *reason;
} LlLearnPortRule;

typedef struct
{
  int abi;
  guint64 handled_fs;
  guint64 handled_net;
  guint64 scoped;
  GPtrArray *paths;           /* LlLearnPathRule, sorted by path */
  GPtrArray *ports;           /* LlLearnPortRule, sorted by port */
} LlLearnPolicy;

void ll_learn_policy_free (LlLearnPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LlLearnPolicy, ll_learn_policy_free)

/* Compacts @record into a policy for a kernel of ABI @abi, and notes in
 * each observation of @record the rule it ended in and why.
 *
 * @base (nullable): what the sandbox will grant besides the policy (the
 * command line and --policy files): nothing it grants is repeated.
 * @kept (nullable): the policy being merged into; its rules are kept.
 * @kept_observed: whether @record holds the observations @kept was made
 * from (then its handled sets are not narrowed to @kept's). */
LlLearnPolicy *ll_learn_compact (LlLearnRecord *record,
                                 LlRuleset     *base,
                                 LlRuleset     *kept,
                                 gboolean       kept_observed,
                                 int            abi);

/* A new table of the ports the rules of @ruleset (nullable) name, each
 * to the LL_ACCESS_NET_* rights they grant on it (GUINT_TO_POINTER() →
 * GSIZE_TO_POINTER()): what the base grants, and, for --explain, what a
 * learned policy does. */
GHashTable *ll_learn_ruleset_ports (LlRuleset *ruleset);

/* Why the rule on @path that compaction rule @reason made deserves a
 * second look, in a sentence; NULL if it needs no more than any other. */
const char *ll_learn_compact_review_note (const char *path,
                                          const char *reason);

G_END_DECLS
