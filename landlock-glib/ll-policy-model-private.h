/* ll-policy-model-private.h: what the files that load and write policies share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The names of rights (ll-policy-names.c), the configuration a document
 * gives and the form of every message about a rejected one
 * (ll-policy-model.c), and the entry of the PARSE stage
 * (ll-policy-parse.c). ll-policy.c lists the files and what each owns.
 * Nothing here is installed or exported from the library: the tests reach
 * the loader through ll-policy-private.h.
 */

#pragma once

#include <stdarg.h>

#include <glib.h>

G_BEGIN_DECLS

/* The names of rights (ll-policy-names.c) */

typedef enum
{
  LL_POLICY_KIND_FS,
  LL_POLICY_KIND_NET,
  LL_POLICY_KIND_SCOPE,
} LlPolicyAccessKind;

typedef struct
{
  const char * const *names;  /* in kernel bit order */
  guint n_names;
  const char *description;    /* "unknown %s access right" */
  const char *where;          /* where such rights go */
} LlPolicyKind;

/* Indexed by LlPolicyAccessKind. */
extern const LlPolicyKind _ll_policy_kinds[];

guint64     _ll_policy_group_bits          (LlPolicyAccessKind  kind,
                                            const char         *group,
                                            gint64              abi);
gboolean    _ll_policy_is_group            (LlPolicyAccessKind  kind,
                                            const char         *name);
int         _ll_policy_lookup_name         (LlPolicyAccessKind  kind,
                                            const char         *name);
const char *_ll_policy_suggest             (const char         *word,
                                            const char * const *candidates,
                                            gsize               n_candidates);
const char *_ll_policy_suggest_access      (LlPolicyAccessKind  kind,
                                            const char         *name);
const char *_ll_policy_check_variable_name (const char         *name);

/* Messages (ll-policy-model.c): `file:line:column: json.path: what`, every
 * piece from the caller's input quoted, @position 0 for none. */

void _ll_policy_set_error_valist (GError    **error,
                                  const char *name,
                                  guint64     position,
                                  const char *json_path,
                                  const char *format,
                                  va_list     args) G_GNUC_PRINTF (5, 0);
void _ll_policy_set_error        (GError    **error,
                                  const char *name,
                                  guint64     position,
                                  const char *json_path,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (5, 6);

/* Configurations, before variables are resolved (the reference's Config)
 *
 * A configuration holds about what its document does, and no more: a
 * document can be 16 MiB of hostile text, and every copy of it, every
 * allocation per parent, multiplies that (bench/bench-policy.c). */

typedef struct
{
  const char *name;           /* of the document: the caller's, which outlives the load */
  const char *json_path;      /* in LlPolicyConfig.strings */
  guint64 position;
} LlPolicyOrigin;

typedef struct
{
  guint64 access;
  LlPolicyOrigin origin;
  /* The canonical form of the template (see template_canonical()), which
   * is its key in LlPolicyConfig.path_rules, all that expanding needs,
   * and what messages quote (a `$` is `$$` there only where it must be,
   * however it was written: keeping the text as written too took a third
   * more memory). */
  char key[];
} LlPolicyTemplateRule;

typedef struct
{
  guint64 port;
  guint64 access;
} LlPolicyPortRule;

typedef struct
{
  gint64 abi;                 /* 0: none */
  guint64 handled_fs;
  guint64 handled_net;
  guint64 scoped;
  GHashTable *path_rules;     /* canonical template -> LlPolicyTemplateRule */
  GArray *net_rules;          /* LlPolicyPortRule, in document order, a port maybe more than once */
  GHashTable *variables;      /* name -> set of values */
  GStringChunk *strings;      /* the origins' JSON paths */
} LlPolicyConfig;

LlPolicyConfig *_ll_policy_config_new            (void);
void            _ll_policy_config_free           (LlPolicyConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LlPolicyConfig, _ll_policy_config_free)

void            _ll_policy_config_add_path_rule  (LlPolicyConfig       *config,
                                                  const char           *text,
                                                  guint64               access,
                                                  const LlPolicyOrigin *origin);
void            _ll_policy_config_take_path_rule (LlPolicyConfig       *config,
                                                  LlPolicyTemplateRule *rule);
void            _ll_policy_config_add_net_rule   (LlPolicyConfig       *config,
                                                  guint64               port,
                                                  guint64               access);
GHashTable     *_ll_policy_config_variable       (LlPolicyConfig       *config,
                                                  const char           *name);

/* Tables of rights by path or port, as resolving and writing build them
 * (ll-policy-model.c). */

void _ll_policy_union_access    (GHashTable     *table,
                                 gpointer        key,
                                 guint64         access,
                                 GDestroyNotify  free_key);
int  _ll_policy_compare_strings (gconstpointer   a,
                                 gconstpointer   b);

/* The PARSE stage (ll-policy-parse.c): one document, @name for the
 * messages (NULL: "<data>"), @length -1 if it is nul-terminated. */

LlPolicyConfig *_ll_policy_parse_document (const char *data,
                                           gssize      length,
                                           const char *name,
                                           GError    **error);

G_END_DECLS
