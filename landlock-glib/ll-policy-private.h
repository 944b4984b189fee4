/* ll-policy-private.h: the policy loader's entry points, for the library and its tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the public constructors (ll-policy.c, ll-policy-resource.c), the
 * conformance tests and the fuzz targets call, and what a ruleset keeps of
 * its policy. The files of the loader share more among themselves:
 * ll-policy-model-private.h.
 */

#pragma once

#include "ll-policy.h"

G_BEGIN_DECLS

/* Where a rejected document failed, as the reference (landlockconfig)
 * names its stages. */
typedef enum
{
  LL_POLICY_STAGE_NONE,
  LL_POLICY_STAGE_PARSE,      /* syntax, structure, names, abi, templates */
  LL_POLICY_STAGE_RESOLVE,    /* an undefined variable, an explosion */
} LlPolicyStage;

/* The most expanded paths a policy may give; the cartesian expansion of
 * variables is refused beyond this. */
#ifndef LL_POLICY_MAX_RESOLVED_PATHS      /* smaller in the fuzzing build */
#define LL_POLICY_MAX_RESOLVED_PATHS 65536
#endif

/* The most bytes those paths may take together (a few long values
 * referenced many times would otherwise build gigabytes of paths). */
#ifndef LL_POLICY_MAX_RESOLVED_BYTES
#define LL_POLICY_MAX_RESOLVED_BYTES (16 * 1024 * 1024)
#endif

/* A port above 65535 of a policy: the ruleset refuses it (a problem that
 * applying reports) and keeps no rule, so ll_ruleset_to_json() finds it
 * in LlRuleset.policy_invalid_ports. */
typedef struct
{
  guint port;                 /* at most G_MAXINT, as the ruleset saw it */
  guint64 access;
} LlPolicyInvalidPort;

/* Parses each of @documents (@n_documents of them, with @names for the
 * messages: a file name, or NULL for "<data>"), composes them left to
 * right, resolves the variables and builds a ruleset. */
LlRuleset *_ll_policy_load (const char * const *documents,
                            const gssize       *lengths,
                            const char * const *names,
                            guint               n_documents,
                            LlPolicyStage      *out_stage,
                            GError            **error);

/* The same, with values for variables (NAME=VALUE) that replace the
 * documents' own: ll_ruleset_new_from_files_full(). */
LlRuleset *_ll_policy_load_full (const char * const *documents,
                                 const gssize       *lengths,
                                 const char * const *names,
                                 guint               n_documents,
                                 const char * const *variables,
                                 LlPolicyStage      *out_stage,
                                 GError            **error);

/* One document held in @bytes, for ll_ruleset_new_from_bytes() and
 * ll_ruleset_new_from_resource(). */
LlRuleset *_ll_policy_load_bytes (GBytes      *bytes,
                                  const char  *name,
                                  GError     **error);

G_END_DECLS
