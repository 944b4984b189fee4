/* ll-ruleset-private.h: the ruleset's state, shared by the files of the class
 *
 * LlRuleset is one class over three files, as libsecret spreads a class
 * over several: ll-ruleset.c is the GObject (properties, the getters, the
 * status), ll-ruleset-rules.c the builder methods (rules, scopes, handled
 * sets), ll-ruleset-apply.c the engine that turns a ruleset into a kernel
 * ruleset and restricts with it. ll-subprocess.c finishes the job in a
 * forked child, and the policy files (ll-policy*.c) read and write
 * rulesets; all of them see the struct below, as libdex's files see
 * struct _DexFuture.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ll-error.h"
#include "ll-ruleset.h"
#include "ll-uapi-private.h"

G_BEGIN_DECLS

/* A filesystem or network rule as it was asked for; paths are opened and
 * rights masked only when the ruleset is applied. */
typedef struct
{
  const char *path;           /* in LlRuleset.paths */
  guint64     access;
  guint32     flags;
} LlRulesetPathRule;

typedef struct
{
  guint16  port;
  guint64  access;
  guint32  flags;
} LlRulesetNetRule;

struct _LlRuleset
{
  GObject parent_instance;

  int abi;                    /* of the running kernel; 0 without Landlock */
  gboolean strict;
  gboolean ignore_missing;
  gboolean follow_symlinks;
  gboolean all_threads;
  LlRestrictFlags restrict_flags;

  /* What the ruleset denies by default. Until set explicitly, these are
   * "everything", masked with the running ABI when applied; an explicit
   * set is a request that strict mode checks against the ABI. */
  guint64 handled_fs;
  guint64 handled_net;
  guint64 scoped;
  gboolean handled_explicit;

  guint64 quiet_fs;
  guint64 quiet_net;
  guint64 quiet_scoped;

  GArray *path_rules;         /* LlRulesetPathRule */
  GArray *net_rules;          /* LlRulesetNetRule */
  /* Rulesets of thousands of paths are common (a policy per directory):
   * one chunk holds them all, so a rule costs no allocation of its own. */
  GStringChunk *paths;

  /* The first problem found while building; reported by check/apply. */
  GError *problem;
  guint n_more_problems;
  /* The ports above 65535 of a policy, which keep a problem and no rule:
   * ll_ruleset_to_json() writes them from here (LlPolicyInvalidPort, see
   * ll-policy-private.h), or NULL. */
  GArray *policy_invalid_ports;
  /* The variables of a policy that had no value where a template used
   * them (so the rules on those templates grant nothing), sorted; NULL if
   * none. landlock-run says so. */
  char **policy_unset_variables;

  gboolean applied;
  LlStatus status;
  char *status_reason;
  guint unrestricted_threads;
  char **skipped_paths;       /* never NULL */
};


/* The rights ll_ruleset_allow_read() grants; those ll_ruleset_allow_write()
 * grants, before they are masked with the ABI; and those a rule keeps on
 * something that is not a directory (the kernel refuses the others there).
 * landlock-run's --explain shows them, so they are written once, here. */
#define _LL_ACCESS_FS_READ  (LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR)
#define _LL_ACCESS_FS_WRITE (LL_ACCESS_FS_WRITE_FILE | LL_ACCESS_FS_REMOVE_DIR | \
                             LL_ACCESS_FS_REMOVE_FILE | LL_ACCESS_FS_MAKE_CHAR | \
                             LL_ACCESS_FS_MAKE_DIR | LL_ACCESS_FS_MAKE_REG | \
                             LL_ACCESS_FS_MAKE_SOCK | LL_ACCESS_FS_MAKE_FIFO | \
                             LL_ACCESS_FS_MAKE_BLOCK | LL_ACCESS_FS_MAKE_SYM | \
                             LL_ACCESS_FS_REFER | LL_ACCESS_FS_TRUNCATE)
#define _LL_ACCESS_FS_ON_FILES ((guint64) LL_UAPI_ACCESS_FS_FILE_RIGHTS)

/* Every right, scope and flag the library knows, whatever the kernel. */
#define _LL_KNOWN_ACCESS_FS       ((guint64) ll_access_fs_for_abi (LL_ABI_MAX))
#define _LL_KNOWN_ACCESS_NET      ((guint64) ll_access_net_for_abi (LL_ABI_MAX))
#define _LL_KNOWN_SCOPES          ((guint64) ll_scope_for_abi (LL_ABI_MAX))
#define _LL_KNOWN_RESTRICT_FLAGS  ((guint64) ll_restrict_flags_for_abi (LL_ABI_MAX))
#define _LL_KNOWN_RULE_FLAGS      ((guint64) ll_rule_flags_for_abi (LL_ABI_MAX))

/* Between the GObject half (ll-ruleset.c, which owns the properties and
 * the problem) and the builder half (ll-ruleset-rules.c). */

/* Keeps the first problem for ll_ruleset_check() and ll_ruleset_apply(),
 * and counts the others. */
void     _ll_ruleset_add_problem       (LlRuleset   *self,
                                        LlError      code,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (3, 4);

/* FALSE, and a problem, if the ruleset was applied: @what says what the
 * caller tried ("allow a scope"). */
gboolean _ll_ruleset_check_not_applied (LlRuleset   *self,
                                        const char  *what);

typedef enum
{
  LL_RULESET_CHANGE_FS,              /* handled-access-fs, unrestricted-access-fs */
  LL_RULESET_CHANGE_NET,             /* handled-access-net, unrestricted-access-net */
  LL_RULESET_CHANGE_SCOPES,          /* scoped, unrestricted-scopes */
  LL_RULESET_CHANGE_RESTRICT_FLAGS,  /* restrict-flags */
} LlRulesetChange;

/* Notifies the properties that @change changed. */
void     _ll_ruleset_notify_change     (LlRuleset       *self,
                                        LlRulesetChange  change);

/* What applying will do, computed before anything irreversible happens:
 * the ruleset fd is created and filled, every path opened and closed, and
 * the status decided. Only no_new_privs and restrict_self remain, which is
 * what lets a forked child finish the job without allocating. */
typedef struct
{
  int ruleset_fd;             /* -1: nothing to enforce */
  guint32 restrict_flags;
  LlStatus status;
  GString *reason;            /* why less is enforced than asked */
  guint unrestricted_threads;
  GPtrArray *skipped_paths;   /* rules skipped: less is granted than asked */
} LlPrepared;

#define LL_PREPARED_INIT { -1, 0, LL_STATUS_NOT_ENFORCED, NULL, 0, NULL }

void     _ll_prepared_clear        (LlPrepared  *prepared);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LlPrepared, _ll_prepared_clear)

/* @for_child: the restriction happens in a freshly forked, single-threaded
 * child, so the threads of this process do not matter. */
gboolean _ll_ruleset_prepare       (LlRuleset   *self,
                                    LlPrepared  *prepared,
                                    gboolean     for_child,
                                    GError     **error);

/* Publishes the outcome (ll-ruleset.c, which owns the properties);
 * @applied says whether this process itself is now restricted (a ruleset
 * applied to children only stays reusable). */
void     _ll_ruleset_set_status    (LlRuleset   *self,
                                    LlPrepared  *prepared,
                                    gboolean     applied);

/* For policy files (ll-policy-write.c, landlock-run), which must see the rules as they were
 * asked for: the public getters mask the handled sets with the running
 * ABI, and the rules have no public enumeration. */
typedef void (*LlPathRuleFunc) (const char *path,
                                guint64     access,
                                guint32     flags,
                                gpointer    user_data);
typedef void (*LlNetRuleFunc)  (guint16     port,
                                guint64     access,
                                guint32     flags,
                                gpointer    user_data);

/* The handled sets as stored (not masked by the running ABI) and whether
 * they were set explicitly with ll_ruleset_set_handled_access(). */
gboolean _ll_ruleset_get_handled_explicit (LlRuleset   *self,
                                           guint64     *fs,
                                           guint64     *net,
                                           guint64     *scoped);
void     _ll_ruleset_foreach_path_rule    (LlRuleset      *self,
                                           LlPathRuleFunc  func,
                                           gpointer        user_data);
void     _ll_ruleset_foreach_net_rule     (LlRuleset      *self,
                                           LlNetRuleFunc   func,
                                           gpointer        user_data);

G_END_DECLS
