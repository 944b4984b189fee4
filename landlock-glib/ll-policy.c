/* ll-policy.c: rulesets from policy files (the landlockconfig JSON format)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "ll-abi.h"
#include "ll-error.h"
#include "ll-json-private.h"
#include "ll-policy-private.h"
#include "ll-quote-private.h"
#include "ll-ruleset-private.h"

/**
 * SECTION:ll-policy
 * @Title: Policy files
 * @Short_description: rulesets in the Landlock project's JSON format
 *
 * A policy file describes a sandbox in the JSON format of the Landlock
 * project's own configuration library,
 * [landlockconfig](https://github.com/landlock-lsm/landlockconfig), so
 * that a policy written once works with every tool that reads it:
 *
 * |[<!-- language="JSON" -->
 * {
 *   "abi": 5,
 *   "variable": [
 *     { "name": "rw", "literal": [ "/tmp", "/var/tmp" ] }
 *   ],
 *   "ruleset": [
 *     { "handledAccessFs": [ "abi.all" ], "handledAccessNet": [ "bind_tcp" ] }
 *   ],
 *   "pathBeneath": [
 *     { "allowedAccess": [ "abi.read_execute" ], "parent": [ "/usr", "/etc" ] },
 *     { "allowedAccess": [ "abi.read_write" ], "parent": [ "${rw}" ] }
 *   ],
 *   "netPort": [
 *     { "allowedAccess": [ "bind_tcp" ], "port": [ 8080 ] }
 *   ]
 * }
 * ]|
 *
 * |[<!-- language="C" -->
 * g_autoptr(GError) error = NULL;
 * g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_file ("viewer.json", &error);
 *
 * if (ruleset == NULL || !ll_ruleset_apply (ruleset, NULL, &error))
 *   g_error ("Cannot sandbox: %s", error->message);
 * ]|
 *
 * landlock-glib follows the reference implementation exactly: `abi` and
 * the `abi.all`, `abi.read_execute` and `abi.read_write` groups, handled
 * sets completed with every right a rule grants, `${name}` variables
 * (with `$$` for a literal `$`) expanded as a cartesian product, paths
 * normalised, duplicate rules unioned, unknown and duplicate keys and
 * empty arrays rejected, and several documents composed by intersecting
 * what they handle (ll_ruleset_new_from_files()).
 *
 * A rejected document is %LL_ERROR_POLICY. The message gives the file,
 * the line and column, the JSON path of the offending value and what is
 * wrong, for instance `viewer.json:9:9: pathBeneath[1].allowedAccess[0]:
 * unknown filesystem access right 'read_files'; did you mean 'read_file'?`.
 *
 * # The ruleset of a policy
 *
 * The result is an ordinary #LlRuleset: its handled sets are the
 * policy's, set with ll_ruleset_set_handled_access(), and its rules are
 * added with ll_ruleset_add_path_rule() and ll_ruleset_add_net_rule().
 * More rules can be added to it before applying it.
 *
 * The document's `abi` only says what its groups stand for; it does not
 * ask for a kernel. A policy's ruleset is **best-effort**, as the
 * reference's `llconfig` applies a policy (through rust-landlock, whose
 * default is best-effort): a right that the running kernel lacks is
 * dropped, the rest is enforced, and #LlRuleset:status says
 * %LL_STATUS_PARTIALLY_ENFORCED with the dropped rights in
 * #LlRuleset:status-reason. So one policy, written for a new kernel, runs
 * on Debian 12's Linux 6.1 too, with what that kernel cannot restrict
 * reported. Call ll_ruleset_set_strict() with %TRUE before applying to
 * fail instead (%LL_ERROR_INCOMPATIBLE) when running with less is not
 * acceptable. As in the reference, a parent that does not exist is
 * skipped when applying (#LlRuleset:ignore-missing is %TRUE, and
 * #LlRuleset:skipped-paths lists them); set it to %FALSE to make that an
 * error. A port above 65535, and a ruleset that handles nothing, fail when
 * applying, as they do in the reference.
 *
 * # Extensions
 *
 * The reference cannot name the rights of Landlock ABI 9 and 10 yet.
 * landlock-glib accepts them under the names the kernel gives them:
 * `resolve_unix` (filesystem, ABI 9), `bind_udp` and `connect_send_udp`
 * (network, ABI 10). The groups include each of them for every `abi` from
 * the one that introduced it: `resolve_unix` is in `abi.all` and
 * `abi.read_write` from `"abi": 9`, both UDP rights are in the network
 * `abi.all` from `"abi": 10`. Raising `abi` therefore never lowers
 * protection: a policy written for a newer kernel handles at least what
 * one written for an older kernel does, and can restrict UDP and UNIX
 * sockets bound to paths. The reference's own tables (landlock crate
 * 0.4.5) stop at ABI 7 and expand every higher `abi` like 7; newer crates
 * add `resolve_unix` from ABI 9 the same way. A document with an `abi` of
 * 8 or less, or that names none of the extensions, means the same in
 * landlock-glib and in the reference.
 *
 * ll_ruleset_to_json() writes any ruleset as a normalised policy: explicit
 * rights, explicit handled sets, no groups and no variables.
 */

/* The rights and scopes in kernel bit order, under their landlockconfig
 * names; the extensions are the kernel's names for rights the reference
 * cannot name yet. */
static const char * const access_fs_names[] = {
  "execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
  "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
  "make_sym", "refer", "truncate", "ioctl_dev", "resolve_unix",
};
static const char * const access_net_names[] = {
  "bind_tcp", "connect_tcp", "bind_udp", "connect_send_udp",
};
static const char * const scope_names[] = {
  "abstract_unix_socket", "signal",
};

typedef enum
{
  KIND_FS,
  KIND_NET,
  KIND_SCOPE,
} AccessKind;

static const struct
{
  const char * const *names;
  guint n_names;
  const char *description;    /* "unknown %s access right" */
  const char *where;          /* where such rights go */
} kinds[] = {
  [KIND_FS] = { access_fs_names, G_N_ELEMENTS (access_fs_names), "filesystem access right",
                "handledAccessFs or pathBeneath.allowedAccess" },
  [KIND_NET] = { access_net_names, G_N_ELEMENTS (access_net_names), "network access right",
                 "handledAccessNet or netPort.allowedAccess" },
  [KIND_SCOPE] = { scope_names, G_N_ELEMENTS (scope_names), "scope", "scoped" },
};

static const char * const fs_groups[] = { "abi.all", "abi.read_execute", "abi.read_write" };

/* The longest explanation in a message, in bytes (found with hostile
 * documents: a megabyte-long unknown name was quoted whole). */
#define MAX_MESSAGE_LENGTH 1024

#define FS_READ  (LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR)

static guint64
fs_write_for_abi (gint64 abi)
{
  guint64 write = LL_ACCESS_FS_WRITE_FILE | LL_ACCESS_FS_REMOVE_DIR | LL_ACCESS_FS_REMOVE_FILE |
                  LL_ACCESS_FS_MAKE_CHAR | LL_ACCESS_FS_MAKE_DIR | LL_ACCESS_FS_MAKE_REG |
                  LL_ACCESS_FS_MAKE_SOCK | LL_ACCESS_FS_MAKE_FIFO | LL_ACCESS_FS_MAKE_BLOCK |
                  LL_ACCESS_FS_MAKE_SYM;

  if (abi >= 2)
    write |= LL_ACCESS_FS_REFER;
  if (abi >= 3)
    write |= LL_ACCESS_FS_TRUNCATE;
  if (abi >= 5)
    write |= LL_ACCESS_FS_IOCTL_DEV;
  /* Extension: from the ABI that introduced it, so that raising the
   * document's abi never drops a right from the groups. */
  if (abi >= 9)
    write |= LL_ACCESS_FS_RESOLVE_UNIX;
  return write;
}

static guint64
group_bits (AccessKind  kind,
            const char *group,
            gint64      abi)
{
  guint64 all;

  switch (kind)
    {
    case KIND_FS:
      all = FS_READ | fs_write_for_abi (abi);
      if (strcmp (group, "abi.all") == 0)
        return all;
      if (strcmp (group, "abi.read_execute") == 0)
        return FS_READ | (all & LL_ACCESS_FS_REFER);
      return all & ~(guint64) LL_ACCESS_FS_EXECUTE;      /* abi.read_write */

    case KIND_NET:
      all = 0;
      if (abi >= 4)
        all |= LL_ACCESS_NET_BIND_TCP | LL_ACCESS_NET_CONNECT_TCP;
      if (abi >= 10)
        all |= LL_ACCESS_NET_BIND_UDP | LL_ACCESS_NET_CONNECT_SEND_UDP;
      return all;

    case KIND_SCOPE:
    default:
      return abi >= 6 ? LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL : 0;
    }
}

static gboolean
is_group (AccessKind  kind,
          const char *name)
{
  if (kind != KIND_FS)
    return strcmp (name, "abi.all") == 0;
  for (gsize i = 0; i < G_N_ELEMENTS (fs_groups); i++)
    if (strcmp (name, fs_groups[i]) == 0)
      return TRUE;
  return FALSE;
}

static int
lookup_name (AccessKind  kind,
             const char *name)
{
  for (guint i = 0; i < kinds[kind].n_names; i++)
    if (strcmp (name, kinds[kind].names[i]) == 0)
      return (int) i;
  return -1;
}

/* Damerau-free Levenshtein distance, for "did you mean"; long strings are
 * not worth comparing (and a hostile one must not cost quadratic time). */
static guint
edit_distance (const char *a,
               const char *b)
{
  /* strnlen(): a hostile word can be megabytes long. */
  gsize la = strnlen (a, 65), lb = strnlen (b, 65);
  guint row[65];

  if (la > 64 || lb > 64)
    return G_MAXUINT;

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* The closest of @candidates to @word, if it is close enough to be a typo. */
static const char *
suggest (const char         *word,
         const char * const *candidates,
         gsize               n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint threshold = MAX (1, MIN (3, strnlen (word, 65) / 3));

  for (gsize i = 0; i < n_candidates; i++)
    {
      guint distance = edit_distance (word, candidates[i]);

      if (distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }
  return best_distance <= threshold ? best : NULL;
}

/* Documents */

typedef struct
{
  const char *name;           /* the file, or NULL */
} Document;

#define POSITION(line, column) LL_JSON_POSITION (line, column)
#define POSITION_LINE(position) LL_JSON_POSITION_LINE (position)
#define POSITION_COLUMN(position) LL_JSON_POSITION_COLUMN (position)

static void
set_policy_error_valist (GError    **error,
                         const char *name,
                         guint64     position,
                         const char *json_path,
                         const char *format,
                         va_list     args)
{
  /* The explanation quotes the document (an unknown name, a template, a
   * number): a megabyte of it is no help, so it is formatted into a
   * bounded buffer, never whole (a long template used to be copied three
   * times to be cut). */
  char what[MAX_MESSAGE_LENGTH + 1];
  g_autoptr(GString) message = NULL;
  gboolean cut;
  int full;

  /* Callers that want no message pay nothing for one. */
  if (error == NULL)
    return;

  full = g_vsnprintf (what, sizeof what, format, args);
  cut = full < 0 || (gsize) full >= sizeof what;
  if (cut)
    {
      /* Not in the middle of a character: drop a sequence that the cut
       * left incomplete, which quoting would show as bytes. */
      gsize length = strlen (what);
      gsize start = length;

      while (start > 0 && length - start < 4 && ((guchar) what[start - 1] & 0xc0) == 0x80)
        start--;
      if (start > 0 && (guchar) what[start - 1] >= 0xc0)
        {
          start--;
          if (g_utf8_get_char_validated (what + start, length - start) == (gunichar) -2)
            what[start] = '\0';
        }
    }

  /* Every piece that comes from the caller's input is quoted: a file name
   * can be in any encoding, and neither it nor the document may put
   * controls on the terminal that shows the message (ll-quote.c). (Before
   * this file had its own reader, json-glib's syntax errors also quoted
   * the document cut in the middle of a character: found by fuzzing.) */
  message = g_string_new (NULL);
  _ll_quote_append (message, name != NULL ? name : "<data>", -1, LL_QUOTE_MAX_PATH);
  if (position != 0)
    g_string_append_printf (message, ":%u:%u", POSITION_LINE (position), POSITION_COLUMN (position));
  g_string_append (message, ": ");
  if (json_path != NULL && json_path[0] != '\0')
    g_string_append_printf (message, "%s: ", json_path);
  if (!_ll_quote_append (message, what, -1, MAX_MESSAGE_LENGTH) && cut)
    g_string_append (message, "…");
  g_set_error_literal (error, LL_ERROR, LL_ERROR_POLICY, message->str);
}

static void
set_policy_error (GError    **error,
                  const char *name,
                  guint64     position,
                  const char *json_path,
                  const char *format,
                  ...) G_GNUC_PRINTF (5, 6);

static void
set_policy_error (GError    **error,
                  const char *name,
                  guint64     position,
                  const char *json_path,
                  const char *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  set_policy_error_valist (error, name, position, json_path, format, args);
  va_end (args);
}

static guint64
node_position (LlJsonNode *node)
{
  return node != NULL ? node->position : 0;
}

static void
doc_error (GError    **error,
           Document   *doc,
           LlJsonNode *node,
           const char *json_path,
           const char *format,
           ...) G_GNUC_PRINTF (5, 6);

static void
doc_error (GError    **error,
           Document   *doc,
           LlJsonNode *node,
           const char *json_path,
           const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  set_policy_error_valist (error, doc->name, node_position (node), json_path, format, args);
  va_end (args);
}

/* Configurations, before variables are resolved (the reference's Config) */

typedef struct
{
  char *name;                 /* of the document */
  char *json_path;
  guint64 position;
} Origin;

typedef struct
{
  gboolean is_variable;
  char *text;                 /* literal text, or the variable's name */
} TemplatePart;

typedef struct
{
  GPtrArray *parts;           /* TemplatePart */
  char *text;                 /* as written, for messages */
  guint64 access;
  Origin origin;
} TemplateRule;

typedef struct
{
  gint64 abi;                 /* 0: none */
  guint64 handled_fs;
  guint64 handled_net;
  guint64 scoped;
  GHashTable *path_rules;     /* canonical template -> TemplateRule */
  GHashTable *net_rules;      /* guint64 port -> guint64 access */
  GHashTable *variables;      /* name -> set of values */
} Config;

static void
template_part_free (gpointer data)
{
  TemplatePart *part = data;

  g_free (part->text);
  g_free (part);
}

static void
template_rule_free (gpointer data)
{
  TemplateRule *rule = data;

  g_ptr_array_unref (rule->parts);
  g_free (rule->text);
  g_free (rule->origin.name);
  g_free (rule->origin.json_path);
  g_free (rule);
}

static Config *
config_new (void)
{
  Config *config = g_new0 (Config, 1);

  config->path_rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, template_rule_free);
  config->net_rules = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  config->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  return config;
}

static void
config_free (Config *config)
{
  g_hash_table_unref (config->path_rules);
  g_hash_table_unref (config->net_rules);
  g_hash_table_unref (config->variables);
  g_free (config);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Config, config_free)

/* The canonical form of a template: `$` escaped, references as ${name}, so
 * that templates that mean the same are one rule. */
static char *
template_key (GPtrArray *parts)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      const TemplatePart *part = g_ptr_array_index (parts, i);

      if (part->is_variable)
        g_string_append_printf (key, "${%s}", part->text);
      else
        for (const char *c = part->text; *c != '\0'; c++)
          g_string_append (key, *c == '$' ? "$$" : (char[]) { *c, '\0' });
    }
  return g_string_free (key, FALSE);
}

static void
config_add_path_rule (Config       *config,
                      GPtrArray    *parts,
                      const char   *text,
                      guint64       access,
                      const Origin *origin)
{
  char *key = template_key (parts);
  TemplateRule *rule = g_hash_table_lookup (config->path_rules, key);

  if (rule != NULL)
    {
      rule->access |= access;
      g_free (key);
      return;
    }
  rule = g_new0 (TemplateRule, 1);
  rule->parts = g_ptr_array_ref (parts);
  rule->text = g_strdup (text);
  rule->access = access;
  rule->origin.name = g_strdup (origin->name);
  rule->origin.json_path = g_strdup (origin->json_path);
  rule->origin.position = origin->position;
  g_hash_table_insert (config->path_rules, key, rule);
}

static void
config_add_net_rule (Config  *config,
                     guint64  port,
                     guint64  access)
{
  guint64 *stored = g_hash_table_lookup (config->net_rules, &port);

  if (stored != NULL)
    {
      *stored |= access;
      return;
    }
  stored = g_new (guint64, 1);
  *stored = access;
  g_hash_table_insert (config->net_rules, g_memdup2 (&port, sizeof port), stored);
}

static GHashTable *
config_variable (Config     *config,
                 const char *name)
{
  GHashTable *values = g_hash_table_lookup (config->variables, name);

  if (values == NULL)
    {
      values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (config->variables, g_strdup (name), values);
    }
  return values;
}

/* Parsing one document */

static const char *
node_type_description (LlJsonNode *node)
{
  switch (node->type)
    {
    case LL_JSON_OBJECT:
      return "an object";
    case LL_JSON_ARRAY:
      return "an array";
    case LL_JSON_NULL:
      return "null";
    case LL_JSON_STRING:
      return "a string";
    case LL_JSON_BOOLEAN:
      return "a boolean";
    case LL_JSON_DOUBLE:
      return "a floating-point number";
    case LL_JSON_INTEGER:
    default:
      return "an integer";
    }
}

/* Checks that @node is an object with only @fields, each given once;
 * returns the members by index into @members (NULL when absent or null,
 * as the reference treats null on an optional key). */
static gboolean
get_fields (Document           *doc,
            LlJsonNode         *node,
            const char         *json_path,
            const char         *where,
            const char * const *fields,
            gsize               n_fields,
            LlJsonNode        **members,
            GError            **error)
{
  if (node->type != LL_JSON_OBJECT)
    {
      doc_error (error, doc, node, json_path, "invalid type: expected an object (%s), found %s",
                 where, node_type_description (node));
      return FALSE;
    }
  if (node->object.duplicate != NULL)
    {
      set_policy_error (error, doc->name, node->object.duplicate->position, json_path,
                        "duplicate field '%s' (%s)", node->object.duplicate->name, where);
      return FALSE;
    }

  memset (members, 0, n_fields * sizeof *members);
  for (guint m = 0; m < node->object.size; m++)
    {
      const LlJsonMember *member = &node->object.members[m];
      gsize i;

      for (i = 0; i < n_fields; i++)
        if (strcmp (member->name, fields[i]) == 0)
          break;
      if (i == n_fields)
        {
          const char *hint = suggest (member->name, fields, n_fields);
          g_autofree char *expected = g_strjoinv (", ", (char **) fields);

          if (hint != NULL)
            doc_error (error, doc, node, json_path,
                       "unknown field '%s' (%s); did you mean '%s'?", member->name, where, hint);
          else
            doc_error (error, doc, node, json_path,
                       "unknown field '%s' (%s); expected one of %s", member->name, where, expected);
          return FALSE;
        }
      members[i] = member->value->type == LL_JSON_NULL ? NULL : member->value;
    }
  return TRUE;
}

/* A non-empty array; @what names it in messages. */
static gboolean
get_array (Document    *doc,
           LlJsonNode  *node,
           const char  *json_path,
           const char  *what,
           LlJsonNode **out,
           GError     **error)
{
  if (node->type != LL_JSON_ARRAY)
    {
      doc_error (error, doc, node, json_path, "invalid type: expected an array (%s), found %s",
                 what, node_type_description (node));
      return FALSE;
    }
  *out = node;
  if (node->array.length == 0)
    {
      doc_error (error, doc, node, json_path,
                 "invalid length 0, expected at least one element (%s)", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_string (LlJsonNode *node)
{
  return node->type == LL_JSON_STRING;
}

static gboolean
parse_access (Document    *doc,
              LlJsonNode  *node,
              const char  *json_path,
              const char  *what,
              AccessKind   kind,
              gint64       abi,
              guint64     *out,
              GError     **error)
{
  LlJsonNode *array;

  *out = 0;
  if (!get_array (doc, node, json_path, what, &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *element = array->array.elements[i];
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", json_path, i);
      const char *name;
      int bit;

      if (!is_string (element))
        {
          doc_error (error, doc, element, element_path,
                     "invalid type: expected a string naming a %s (%s), found %s",
                     kinds[kind].description, what, node_type_description (element));
          return FALSE;
        }
      name = element->string;

      if (is_group (kind, name))
        {
          if (abi == 0)
            {
              doc_error (error, doc, element, element_path,
                         "access group '%s' used without a top-level 'abi': add \"abi\": N "
                         "to say which Landlock ABI the group stands for", name);
              return FALSE;
            }
          *out |= group_bits (kind, name, abi);
          continue;
        }

      bit = lookup_name (kind, name);
      if (bit >= 0)
        {
          *out |= G_GUINT64_CONSTANT (1) << bit;
          continue;
        }

      {
        const char *candidates[32];
        gsize n = 0;
        const char *hint;

        for (guint k = 0; k < kinds[kind].n_names; k++)
          candidates[n++] = kinds[kind].names[k];
        if (kind == KIND_FS)
          for (gsize k = 0; k < G_N_ELEMENTS (fs_groups); k++)
            candidates[n++] = fs_groups[k];
        else
          candidates[n++] = "abi.all";
        hint = suggest (name, candidates, n);

        for (AccessKind other = KIND_FS; other <= KIND_SCOPE; other++)
          if (other != kind && lookup_name (other, name) >= 0)
            {
              doc_error (error, doc, element, element_path,
                         "unknown %s '%s' (%s): it is a %s, which belongs in %s",
                         kinds[kind].description, name, what, kinds[other].description,
                         kinds[other].where);
              return FALSE;
            }
        if (hint != NULL)
          doc_error (error, doc, element, element_path,
                     "unknown %s '%s' (%s); did you mean '%s'?",
                     kinds[kind].description, name, what, hint);
        else
          doc_error (error, doc, element, element_path, "unknown %s '%s' (%s)",
                     kinds[kind].description, name, what);
        return FALSE;
      }
    }
  return TRUE;
}

/* A variable name, as the reference's Name::from_str checks it; returns
 * why it is invalid, or NULL. */
static const char *
check_variable_name (const char *name)
{
  if (name[0] == '\0')
    return "name cannot be empty";
  if (!g_ascii_isalpha (name[0]))
    return "invalid first character in name (must be ASCII alphabetic)";
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      return "invalid character(s) in name (must be ASCII alphanumeric or '_')";
  return NULL;
}

/* Moves the literal text gathered so far into a part of its own. */
static void
flush_literal (GPtrArray *parts,
               GString   *literal)
{
  TemplatePart *part;

  if (literal->len == 0)
    return;
  part = g_new0 (TemplatePart, 1);
  part->text = g_strndup (literal->str, literal->len);
  g_ptr_array_add (parts, part);
  g_string_truncate (literal, 0);
}

/* `${name}` is a reference, `$$` a literal `$`, any other `$` is text. */
static GPtrArray *
parse_template (Document   *doc,
                LlJsonNode *node,
                const char *json_path,
                const char *text,
                GError    **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (template_part_free);
  g_autoptr(GString) literal = g_string_new (NULL);
  const char *c = text;
  const char *end = text + strlen (text);

  /* memchr() within the known length, not strchr(): see normalise_path(). */
  while (c < end)
    {
      const char *dollar = memchr (c, '$', end - c);

      if (dollar == NULL)
        {
          g_string_append_len (literal, c, end - c);
          break;
        }
      g_string_append_len (literal, c, dollar - c);
      if (dollar[1] == '$')
        {
          g_string_append_c (literal, '$');
          c = dollar + 2;
        }
      else if (dollar[1] == '{')
        {
          const char *close = memchr (dollar + 2, '}', end - (dollar + 2));
          g_autofree char *name = NULL;
          const char *problem;
          TemplatePart *part;

          if (close == NULL)
            {
              doc_error (error, doc, node, json_path,
                         "unclosed variable reference in template '%s'", text);
              return NULL;
            }
          name = g_strndup (dollar + 2, close - dollar - 2);
          problem = check_variable_name (name);
          if (problem != NULL)
            {
              doc_error (error, doc, node, json_path,
                         "invalid variable name in template '%s': %s", text, problem);
              return NULL;
            }
          flush_literal (parts, literal);
          part = g_new0 (TemplatePart, 1);
          part->is_variable = TRUE;
          part->text = g_steal_pointer (&name);
          g_ptr_array_add (parts, part);
          c = close + 1;
        }
      else
        {
          g_string_append_c (literal, '$');
          c = dollar + 1;
        }
    }
  flush_literal (parts, literal);
  return g_steal_pointer (&parts);
}

static gboolean
parse_variables (Document   *doc,
                 Config     *config,
                 LlJsonNode *node,
                 GError    **error)
{
  static const char * const fields[] = { "name", "literal", NULL };
  LlJsonNode *array;

  if (!get_array (doc, node, "variable", "variable", &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("variable[%u]", i);
      LlJsonNode *members[2];
      const char *name, *problem;
      GHashTable *values;

      if (!get_fields (doc, item, item_path, "variable", fields, 2, members, error))
        return FALSE;
      if (members[0] == NULL)
        {
          doc_error (error, doc, item, item_path, "missing field 'name' (variable)");
          return FALSE;
        }
      if (!is_string (members[0]))
        {
          doc_error (error, doc, members[0], item_path,
                     "invalid type: the variable name must be a string, found %s",
                     node_type_description (members[0]));
          return FALSE;
        }
      name = members[0]->string;
      problem = check_variable_name (name);
      if (problem != NULL)
        {
          g_autofree char *name_path = g_strdup_printf ("%s.name", item_path);

          doc_error (error, doc, members[0], name_path, "invalid variable name '%s': %s",
                     name, problem);
          return FALSE;
        }

      values = config_variable (config, name);
      if (members[1] != NULL)
        {
          g_autofree char *literal_path = g_strdup_printf ("%s.literal", item_path);
          LlJsonNode *literal;

          if (!get_array (doc, members[1], literal_path, "variable.literal", &literal, error))
            return FALSE;
          for (guint k = 0; k < literal->array.length; k++)
            {
              LlJsonNode *value = literal->array.elements[k];

              if (!is_string (value))
                {
                  g_autofree char *value_path = g_strdup_printf ("%s[%u]", literal_path, k);

                  doc_error (error, doc, value, value_path,
                             "invalid type: a literal value must be a string, found %s",
                             node_type_description (value));
                  return FALSE;
                }
              g_hash_table_add (values, g_strdup (value->string));
            }
        }
    }
  return TRUE;
}

static gboolean
parse_rulesets (Document   *doc,
                Config     *config,
                LlJsonNode *node,
                GError    **error)
{
  static const char * const fields[] = { "handledAccessFs", "handledAccessNet", "scoped", NULL };
  static const AccessKind field_kinds[] = { KIND_FS, KIND_NET, KIND_SCOPE };
  LlJsonNode *array;

  if (!get_array (doc, node, "ruleset", "ruleset", &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("ruleset[%u]", i);
      guint64 *targets[] = { &config->handled_fs, &config->handled_net, &config->scoped };
      LlJsonNode *members[3];
      gboolean empty = TRUE;

      if (!get_fields (doc, item, item_path, "ruleset", fields, 3, members, error))
        return FALSE;
      for (gsize k = 0; k < 3; k++)
        {
          g_autofree char *field_path = NULL;
          guint64 bits;

          if (members[k] == NULL)
            continue;
          empty = FALSE;
          field_path = g_strdup_printf ("%s.%s", item_path, fields[k]);
          if (!parse_access (doc, members[k], field_path, fields[k], field_kinds[k],
                             config->abi, &bits, error))
            return FALSE;
          *targets[k] |= bits;
        }
      if (empty)
        {
          doc_error (error, doc, item, item_path,
                     "empty ruleset: give at least one of handledAccessFs, handledAccessNet "
                     "or scoped");
          return FALSE;
        }
    }
  return TRUE;
}

/* What a pathBeneath and a netPort item share: an object with exactly
 * allowedAccess and @list_field, both given; returns the rights, the
 * non-empty array of @list_field and its JSON path. @what is the item's
 * key, for messages. */
static gboolean
parse_rule_item (Document    *doc,
                 Config      *config,
                 LlJsonNode  *item,
                 const char  *item_path,
                 const char  *what,
                 const char  *list_field,
                 AccessKind   kind,
                 guint64     *access,
                 LlJsonNode **list,
                 char       **list_path,
                 GError     **error)
{
  const char * const fields[] = { "allowedAccess", list_field, NULL };
  g_autofree char *access_path = g_strdup_printf ("%s.allowedAccess", item_path);
  g_autofree char *access_what = g_strdup_printf ("%s.allowedAccess", what);
  g_autofree char *list_what = g_strdup_printf ("%s.%s", what, list_field);
  LlJsonNode *members[2];

  *list_path = NULL;
  if (!get_fields (doc, item, item_path, what, fields, 2, members, error))
    return FALSE;
  for (gsize k = 0; k < 2; k++)
    if (members[k] == NULL)
      {
        doc_error (error, doc, item, item_path, "missing field '%s' (%s)", fields[k], what);
        return FALSE;
      }
  if (!parse_access (doc, members[0], access_path, access_what, kind, config->abi, access, error))
    return FALSE;
  *list_path = g_strdup_printf ("%s.%s", item_path, list_field);
  return get_array (doc, members[1], *list_path, list_what, list, error);
}

static gboolean
parse_path_beneath (Document   *doc,
                    Config     *config,
                    LlJsonNode *node,
                    GError    **error)
{
  LlJsonNode *array;

  if (!get_array (doc, node, "pathBeneath", "pathBeneath", &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("pathBeneath[%u]", i);
      g_autofree char *parent_path = NULL;
      g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      LlJsonNode *parents;
      guint64 access;

      if (!parse_rule_item (doc, config, item, item_path, "pathBeneath", "parent", KIND_FS,
                            &access, &parents, &parent_path, error))
        return FALSE;

      /* Templates are checked even when the rule grants nothing, as the
       * reference parses them before it looks at the rights. */
      for (guint k = 0; k < parents->array.length; k++)
        {
          LlJsonNode *parent = parents->array.elements[k];
          g_autofree char *template_path = g_strdup_printf ("%s[%u]", parent_path, k);
          GPtrArray *parts;

          if (!is_string (parent))
            {
              doc_error (error, doc, parent, template_path,
                         "invalid type: a parent must be a string, found %s",
                         node_type_description (parent));
              return FALSE;
            }
          parts = parse_template (doc, parent, template_path, parent->string, error);
          if (parts == NULL)
            return FALSE;
          g_ptr_array_add (templates, parts);
        }

      /* A rule whose rights expand to nothing adds nothing. */
      if (access == 0)
        continue;
      config->handled_fs |= access;
      for (guint k = 0; k < templates->len; k++)
        {
          LlJsonNode *parent = parents->array.elements[k];
          g_autofree char *template_path = g_strdup_printf ("%s[%u]", parent_path, k);
          Origin origin = { (char *) doc->name, template_path, node_position (parent) };

          config_add_path_rule (config, g_ptr_array_index (templates, k),
                                parent->string, access, &origin);
        }
    }
  return TRUE;
}

static gboolean
parse_net_port (Document   *doc,
                Config     *config,
                LlJsonNode *node,
                GError    **error)
{
  LlJsonNode *array;

  if (!get_array (doc, node, "netPort", "netPort", &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("netPort[%u]", i);
      g_autofree char *port_path = NULL;
      g_autoptr(GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint64));
      LlJsonNode *port_array;
      guint64 access;

      if (!parse_rule_item (doc, config, item, item_path, "netPort", "port", KIND_NET,
                            &access, &port_array, &port_path, error))
        return FALSE;

      for (guint k = 0; k < port_array->array.length; k++)
        {
          LlJsonNode *port = port_array->array.elements[k];
          gint64 value;

          if (port->type != LL_JSON_INTEGER || (value = port->integer) < 0)
            {
              g_autofree char *value_path = g_strdup_printf ("%s[%u]", port_path, k);

              doc_error (error, doc, port, value_path,
                         "invalid type: a port must be a non-negative integer, found %s",
                         port->type == LL_JSON_INTEGER
                           ? "a negative integer" : node_type_description (port));
              return FALSE;
            }
          g_array_append_val (ports, value);
        }

      if (access == 0)
        continue;
      config->handled_net |= access;
      for (guint k = 0; k < ports->len; k++)
        config_add_net_rule (config, g_array_index (ports, guint64, k), access);
    }
  return TRUE;
}

/* The first key given twice anywhere in @node, in document order. */
static const LlJsonMember *
find_duplicate (LlJsonNode *node)
{
  const LlJsonMember *first = NULL;

  if (node->type == LL_JSON_OBJECT)
    {
      first = node->object.duplicate;
      for (guint i = 0; i < node->object.size; i++)
        {
          const LlJsonMember *inner = find_duplicate (node->object.members[i].value);

          if (inner != NULL && (first == NULL || inner->position < first->position))
            first = inner;
        }
    }
  else if (node->type == LL_JSON_ARRAY)
    for (guint i = 0; i < node->array.length; i++)
      {
        const LlJsonMember *inner = find_duplicate (node->array.elements[i]);

        if (inner != NULL && (first == NULL || inner->position < first->position))
          first = inner;
      }
  return first;
}

static Config *
parse_document (const char *data,
                gssize      length,
                const char *name,
                GError    **error)
{
  static const char * const fields[] = { "abi", "variable", "ruleset", "pathBeneath", "netPort", NULL };
  g_autoptr(LlJsonNode) root = NULL;
  g_autoptr(Config) config = NULL;
  LlJsonSyntaxError syntax_error;
  Document doc = { name };
  LlJsonNode *members[5];
  const LlJsonMember *duplicate;

  if (data == NULL)
    {
      data = "";
      length = 0;
    }

  root = _ll_json_parse (data, length < 0 ? strlen (data) : (gsize) length, &syntax_error);
  if (root == NULL)
    {
      set_policy_error (error, name, syntax_error.position, NULL, "%s", syntax_error.message);
      g_free (syntax_error.message);
      return NULL;
    }

  config = config_new ();
  if (!get_fields (&doc, root, "", "top-level", fields, 5, members, error))
    return NULL;

  if (members[0] != NULL)
    {
      gint64 abi;

      if (members[0]->type != LL_JSON_INTEGER)
        {
          doc_error (error, &doc, members[0], "abi",
                     "invalid type: 'abi' must be an integer, found %s",
                     node_type_description (members[0]));
          return NULL;
        }
      abi = members[0]->integer;
      if (abi < 1 || abi > G_MAXINT32)
        {
          doc_error (error, &doc, members[0], "abi",
                     "invalid value for 'abi': %" G_GINT64_FORMAT " is not an ABI version, "
                     "which must be between 1 and 2^31 - 1 (inclusive)", abi);
          return NULL;
        }
      config->abi = abi;
    }

  if ((members[1] != NULL && !parse_variables (&doc, config, members[1], error)) ||
      (members[2] != NULL && !parse_rulesets (&doc, config, members[2], error)) ||
      (members[3] != NULL && !parse_path_beneath (&doc, config, members[3], error)) ||
      (members[4] != NULL && !parse_net_port (&doc, config, members[4], error)))
    return NULL;

  if (members[1] == NULL && members[2] == NULL && members[3] == NULL && members[4] == NULL)
    {
      doc_error (error, &doc, root, NULL,
                 "empty configuration: give at least one of variable, ruleset, pathBeneath "
                 "or netPort");
      return NULL;
    }

  /* A duplicate somewhere the walk above did not look (in a null, say). */
  duplicate = find_duplicate (root);
  if (duplicate != NULL)
    {
      set_policy_error (error, name, duplicate->position, NULL,
                        "duplicate field '%s'", duplicate->name);
      return NULL;
    }

  return g_steal_pointer (&config);
}

/* Composition and resolution */

/* Folds @other into @config as the reference's Config::compose does: the
 * handled sets intersect, every rule is masked with them, and the
 * variables are merged. */
static void
config_compose (Config *config,
                Config *other)
{
  Config *sides[] = { config, other };
  g_autoptr(GHashTable) path_rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            template_rule_free);
  g_autoptr(GHashTable) net_rules = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                           g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  config->handled_fs &= other->handled_fs;
  config->handled_net &= other->handled_net;
  config->scoped &= other->scoped;

  for (gsize s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      g_hash_table_iter_init (&iter, sides[s]->path_rules);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          TemplateRule *rule = value;
          guint64 access = rule->access & config->handled_fs;
          TemplateRule *existing;

          if (access == 0)
            continue;
          existing = g_hash_table_lookup (path_rules, key);
          if (existing != NULL)
            {
              existing->access |= access;
              continue;
            }
          existing = g_new0 (TemplateRule, 1);
          existing->parts = g_ptr_array_ref (rule->parts);
          existing->text = g_strdup (rule->text);
          existing->access = access;
          existing->origin.name = g_strdup (rule->origin.name);
          existing->origin.json_path = g_strdup (rule->origin.json_path);
          existing->origin.position = rule->origin.position;
          g_hash_table_insert (path_rules, g_strdup (key), existing);
        }

      g_hash_table_iter_init (&iter, sides[s]->net_rules);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint64 access = *(guint64 *) value & config->handled_net;
          guint64 *existing;

          if (access == 0)
            continue;
          existing = g_hash_table_lookup (net_rules, key);
          if (existing != NULL)
            {
              *existing |= access;
              continue;
            }
          existing = g_new (guint64, 1);
          *existing = access;
          g_hash_table_insert (net_rules, g_memdup2 (key, sizeof (guint64)), existing);
        }
    }

  g_hash_table_unref (config->path_rules);
  config->path_rules = g_steal_pointer (&path_rules);
  g_hash_table_unref (config->net_rules);
  config->net_rules = g_steal_pointer (&net_rules);

  g_hash_table_iter_init (&iter, other->variables);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GHashTable *values = config_variable (config, key);
      GHashTableIter value_iter;
      gpointer text;

      g_hash_table_iter_init (&value_iter, value);
      while (g_hash_table_iter_next (&value_iter, &text, NULL))
        g_hash_table_add (values, g_strdup (text));
    }

  if (other->abi != 0 && (config->abi == 0 || other->abi < config->abi))
    config->abi = other->abi;
}

/* Rust's Path component rules: repeated and trailing '/' go, so do '.'
 * components except a leading one; '..' stays. */
static char *
normalise_path (const char *path)
{
  /* One pass with memchr() and no str*() call on the rest of the path:
   * with a sanitizer's interceptors each of those reads the whole rest,
   * quadratic on a long path of many components (found by fuzzing). */
  gsize length = strlen (path);
  const char *end = path + length;
  gboolean absolute = path[0] == '/';
  GString *normal = g_string_sized_new (length + 1);
  gboolean first = TRUE;
  const char *p = path;

  if (absolute)
    g_string_append_c (normal, '/');
  for (gsize i = 0;; i++)
    {
      const char *slash = memchr (p, '/', end - p);
      gsize n = (slash != NULL ? slash : end) - p;

      /* Empty components go, so does '.' except a leading relative one. */
      if (n > 0 && !(n == 1 && p[0] == '.' && !(i == 0 && !absolute)))
        {
          if (!first && normal->str[normal->len - 1] != '/')
            g_string_append_c (normal, '/');
          g_string_append_len (normal, p, n);
          first = FALSE;
        }
      if (slash == NULL)
        break;
      p = slash + 1;
    }
  return g_string_free (normal, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_pointer_uints (gconstpointer a,
                       gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gconstpointer *) a), y = GPOINTER_TO_UINT (*(gconstpointer *) b);

  return x < y ? -1 : x > y;
}

static void
union_path (GHashTable *paths,
            char       *path,
            guint64     access)
{
  guint64 *stored = g_hash_table_lookup (paths, path);

  if (stored != NULL)
    {
      *stored |= access;
      g_free (path);
      return;
    }
  stored = g_new (guint64, 1);
  *stored = access;
  g_hash_table_insert (paths, path, stored);
}

/* A port above 65535 of a policy: the ruleset refuses it (a problem that
 * applying reports) and keeps no rule, so ll_ruleset_to_json() finds it
 * here, in the ruleset's data under INVALID_PORTS_KEY. */
typedef struct
{
  guint port;                 /* at most G_MAXINT, as the ruleset saw it */
  guint64 access;
} InvalidPort;

#define INVALID_PORTS_KEY "ll-policy-invalid-ports"

/* Expands every template to the cartesian product of its references'
 * values, refusing an expansion beyond LL_POLICY_MAX_RESOLVED_PATHS. */
static GHashTable *
config_resolve (Config  *config,
                GError **error)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree gpointer *keys = NULL;
  guint n_keys;
  guint64 total = 0;
  guint64 total_bytes = 0;

  /* In a stable order, so that the first error is always the same one. */
  keys = g_hash_table_get_keys_as_array (config->path_rules, &n_keys);
  qsort (keys, n_keys, sizeof *keys, compare_strings);

  for (guint pass = 0; pass < 2; pass++)
    for (guint r = 0; r < n_keys; r++)
      {
        TemplateRule *rule = g_hash_table_lookup (config->path_rules, keys[r]);
        guint n_parts = rule->parts->len;
        g_autofree GStrv *values = g_new0 (GStrv, n_parts + 1);
        g_autofree guint *lengths = g_new0 (guint, n_parts + 1);
        g_autofree guint *indices = g_new0 (guint, n_parts + 1);
        g_autofree guint64 *sizes = g_new0 (guint64, n_parts + 1);
        guint64 count = n_parts > 0 ? 1 : 0;

        for (guint p = 0; p < n_parts; p++)
          {
            const TemplatePart *part = g_ptr_array_index (rule->parts, p);
            GHashTable *set;

            if (!part->is_variable)
              {
                lengths[p] = 1;
                sizes[p] = strlen (part->text);
                continue;
              }
            set = g_hash_table_lookup (config->variables, part->text);
            if (set == NULL)
              {
                set_policy_error (error, rule->origin.name, rule->origin.position,
                                  rule->origin.json_path,
                                  "variable '%s' not found (template '%s'); declare it in "
                                  "\"variable\" here or in a policy composed with this one",
                                  part->text, rule->text);
                for (guint q = 0; q < p; q++)
                  g_free (values[q]);
                return NULL;
              }
            lengths[p] = g_hash_table_size (set);
            values[p] = (GStrv) g_hash_table_get_keys_as_array (set, NULL);
            qsort (values[p], lengths[p], sizeof (char *), compare_strings);
            for (guint v = 0; v < lengths[p]; v++)
              sizes[p] += strlen (values[p][v]);
            count = lengths[p] == 0 ? 0 : (count > G_MAXUINT32 ? count : count * lengths[p]);
          }

        if (pass == 0)
          {
            /* First pass: count, so nothing big is built for nothing. */
            total += MIN (count, (guint64) G_MAXUINT32 + 1);
            if (total > LL_POLICY_MAX_RESOLVED_PATHS)
              set_policy_error (error, rule->origin.name, rule->origin.position,
                                rule->origin.json_path,
                                "the variables expand the templates to more than %d paths "
                                "(the template '%s' alone gives %s%" G_GUINT64_FORMAT "): "
                                "use fewer values or fewer references per template",
                                LL_POLICY_MAX_RESOLVED_PATHS, rule->text,
                                count > G_MAXUINT32 ? "more than " : "", MIN (count, (guint64) G_MAXUINT32));
            else if (count > 0)
              {
                /* Few paths can still be huge: a long value referenced
                 * many times (found with hostile documents). Each part is in
                 * count / lengths[p] of the paths; count is at most
                 * LL_POLICY_MAX_RESOLVED_PATHS here, so nothing overflows. */
                guint64 bytes = count;   /* a NUL each */

                for (guint p = 0; p < n_parts; p++)
                  bytes += sizes[p] * (count / lengths[p]);
                total_bytes += bytes;
                if (total_bytes > LL_POLICY_MAX_RESOLVED_BYTES)
                  {
                    set_policy_error (error, rule->origin.name, rule->origin.position,
                                      rule->origin.json_path,
                                      "the variables expand the templates to more than %d MiB "
                                      "of paths (the template '%s' alone gives %" G_GUINT64_FORMAT
                                      " bytes): use shorter values or fewer references per template",
                                      LL_POLICY_MAX_RESOLVED_BYTES / (1024 * 1024), rule->text, bytes);
                    total = LL_POLICY_MAX_RESOLVED_PATHS + 1;   /* stop below */
                  }
              }
          }
        else if (count > 0)
          {
            for (;;)
              {
                GString *path = g_string_new (NULL);
                g_autofree char *normal = NULL;
                gint p;

                for (guint q = 0; q < n_parts; q++)
                  {
                    const TemplatePart *part = g_ptr_array_index (rule->parts, q);

                    g_string_append (path, part->is_variable ? values[q][indices[q]] : part->text);
                  }
                normal = normalise_path (path->str);
                g_string_free (path, TRUE);
                /* An empty path cannot be opened: the reference skips it
                 * when building, an LlRuleset refuses it; drop it here. */
                if (normal[0] != '\0')
                  union_path (paths, g_steal_pointer (&normal), rule->access);

                for (p = (gint) n_parts - 1; p >= 0; p--)
                  {
                    if (++indices[p] < lengths[p])
                      break;
                    indices[p] = 0;
                  }
                if (p < 0)
                  break;
              }
          }

        for (guint p = 0; p < n_parts; p++)
          g_free (values[p]);
        if (pass == 0 && total > LL_POLICY_MAX_RESOLVED_PATHS)
          return NULL;
      }

  return g_steal_pointer (&paths);
}

LlRuleset *
_ll_policy_load (const char * const *documents,
                 const gssize       *lengths,
                 const char * const *names,
                 guint               n_documents,
                 LlPolicyStage      *out_stage,
                 GError            **error)
{
  g_autoptr(GArray) invalid_ports = NULL;
  g_autoptr(Config) composed = NULL;
  g_autoptr(GHashTable) paths = NULL;
  g_autofree gpointer *sorted_paths = NULL;
  g_autofree guint64 *ports = NULL;
  LlRuleset *ruleset;
  GHashTableIter iter;
  gpointer key, value;
  guint n_paths, n_ports = 0;

  if (out_stage != NULL)
    *out_stage = LL_POLICY_STAGE_NONE;

  if (n_documents == 0)
    {
      g_set_error_literal (error, LL_ERROR, LL_ERROR_POLICY,
                           "No policy document was given: give at least one");
      if (out_stage != NULL)
        *out_stage = LL_POLICY_STAGE_PARSE;
      return NULL;
    }

  for (guint i = 0; i < n_documents; i++)
    {
      Config *config = parse_document (documents[i], lengths != NULL ? lengths[i] : -1,
                                       names != NULL ? names[i] : NULL, error);

      if (config == NULL)
        {
          if (out_stage != NULL)
            *out_stage = LL_POLICY_STAGE_PARSE;
          return NULL;
        }
      if (composed == NULL)
        composed = config;
      else
        {
          config_compose (composed, config);
          config_free (config);
        }
    }

  paths = config_resolve (composed, error);
  if (paths == NULL)
    {
      if (out_stage != NULL)
        *out_stage = LL_POLICY_STAGE_RESOLVE;
      return NULL;
    }

  /* As the reference applies a policy: best-effort (rust-landlock's
   * default compatibility), and a parent that does not exist is skipped
   * and reported (skipped-paths), not fatal. */
  ruleset = g_object_new (LL_TYPE_RULESET, "strict", FALSE, "ignore-missing", TRUE, NULL);
  ll_ruleset_set_handled_access (ruleset, composed->handled_fs, composed->handled_net,
                                 composed->scoped);

  sorted_paths = g_hash_table_get_keys_as_array (paths, &n_paths);
  qsort (sorted_paths, n_paths, sizeof *sorted_paths, compare_strings);
  for (guint i = 0; i < n_paths; i++)
    {
      const char *path[] = { sorted_paths[i], NULL };

      ll_ruleset_add_path_rule (ruleset, path,
                                *(guint64 *) g_hash_table_lookup (paths, sorted_paths[i]));
    }

  ports = g_new (guint64, g_hash_table_size (composed->net_rules) + 1);
  g_hash_table_iter_init (&iter, composed->net_rules);
  while (g_hash_table_iter_next (&iter, &key, &value))
    ports[n_ports++] = *(guint64 *) key;
  qsort (ports, n_ports, sizeof *ports, compare_guint64);
  for (guint i = 0; i < n_ports; i++)
    {
      guint64 access = *(guint64 *) g_hash_table_lookup (composed->net_rules, &ports[i]);

      /* Above 65535 the ruleset keeps a problem that applying reports, as
       * the reference fails when it builds the kernel ruleset. */
      ll_ruleset_add_net_rule (ruleset, (int) MIN (ports[i], (guint64) G_MAXINT), access,
                               LL_RULE_FLAGS_NONE);
      /* The ruleset keeps no rule for such a port, only the problem; so
       * that ll_ruleset_to_json() still writes it (and its document gives
       * a ruleset that fails the same way), remember it beside. */
      if (ports[i] > G_MAXUINT16)
        {
          InvalidPort invalid = { (guint) MIN (ports[i], (guint64) G_MAXINT), access };

          if (invalid_ports == NULL)
            invalid_ports = g_array_new (FALSE, FALSE, sizeof (InvalidPort));
          g_array_append_val (invalid_ports, invalid);
        }
    }
  if (invalid_ports != NULL)
    g_object_set_data_full (G_OBJECT (ruleset), INVALID_PORTS_KEY,
                            g_steal_pointer (&invalid_ports), (GDestroyNotify) g_array_unref);

  return ruleset;
}

/**
 * ll_ruleset_new_from_data:
 * @data: a policy document in the landlockconfig JSON format
 * @length: the length of @data in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ruleset from a policy document. See the description of this
 * section for the format and what the ruleset is like.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with @error
 *   set (%LL_ERROR_POLICY) if the document is rejected
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_data (const char  *data,
                          gssize       length,
                          GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _ll_policy_load (&data, &length, NULL, 1, NULL, error);
}

/* @name: for the messages, or NULL for "<data>" */
static LlRuleset *
load_bytes (GBytes      *bytes,
            const char  *name,
            GError     **error)
{
  const char *names[] = { name };
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  /* A gssize holds any size that fits in memory. */
  gssize length = (gssize) size;

  return _ll_policy_load (&data, &length, names, 1, NULL, error);
}

/**
 * ll_ruleset_new_from_bytes:
 * @bytes: a policy document in the landlockconfig JSON format
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ruleset from a policy document held in a #GBytes, as
 * ll_ruleset_new_from_data() does. This is the form to use from Python
 * (`GLib.Bytes`) and JavaScript, where a string argument must be valid
 * UTF-8 and cannot hold a NUL byte: a document that does is rejected with
 * its position, as from C.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with @error
 *   set (%LL_ERROR_POLICY) if the document is rejected
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_bytes (GBytes  *bytes,
                           GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_bytes (bytes, NULL, error);
}

/**
 * ll_ruleset_new_from_resource:
 * @resource_path: the path of a policy document in the registered
 *   resources, such as `/org/example/App/policy.json`
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ruleset from a policy document compiled into the program
 * with glib-compile-resources, as ll_ruleset_new_from_data() does;
 * messages name it `resource:///org/example/App/policy.json`. A policy in
 * the program's resources cannot be changed or removed on disk by
 * whoever the sandbox is meant to hold.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with @error
 *   set (%LL_ERROR_POLICY) if there is no such resource or the document
 *   is rejected
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_resource (const char  *resource_path,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (resource_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      /* GLib's message quotes the path as it is. */
      g_autofree char *quoted = _ll_quote (local_error->message, -1, LL_QUOTE_MAX_PATH);

      g_set_error (error, LL_ERROR, LL_ERROR_POLICY, "Cannot read the policy resource: %s",
                   quoted);
      return NULL;
    }
  name = g_strconcat ("resource://", resource_path, NULL);
  return load_bytes (bytes, name, error);
}

static char *
read_policy_file (const char  *path,
                  gsize       *length,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      /* GLib's message quotes the file name with its controls. */
      g_autofree char *quoted = _ll_quote (local_error->message, -1, LL_QUOTE_MAX_PATH);

      g_set_error (error, LL_ERROR, LL_ERROR_POLICY, "Cannot read the policy file: %s",
                   quoted);
      return NULL;
    }
  return contents;
}

/**
 * ll_ruleset_new_from_file:
 * @path: (type filename): the policy file to read
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ruleset from a policy file, as ll_ruleset_new_from_data()
 * does; messages name the file.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with @error
 *   set (%LL_ERROR_POLICY) if the file cannot be read or is rejected
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_file (const char  *path,
                          GError     **error)
{
  const char *paths[] = { path, NULL };

  g_return_val_if_fail (path != NULL, NULL);

  return ll_ruleset_new_from_files (paths, error);
}

/**
 * ll_ruleset_new_from_files:
 * @paths: (array zero-terminated=1) (element-type filename): the policy
 *   files to compose, at least one
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ruleset from several policy files composed together, as the
 * reference composes them: each is parsed on its own (its groups use its
 * own `abi`), then they are folded left to right. The handled sets become
 * their intersection, every rule's rights are masked with it (a rule left
 * with none is dropped), and the variables are merged, so a file may use
 * a variable that another one declares. Only then are the variables
 * resolved. Composing is commutative: a file can only restrict more.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with @error
 *   set (%LL_ERROR_POLICY) if a file cannot be read or is rejected
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_files (const char * const *paths,
                           GError            **error)
{
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gssize));

  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; paths[i] != NULL; i++)
    {
      gsize length;
      char *data = read_policy_file (paths[i], &length, error);
      gssize signed_length = length;

      if (data == NULL)
        return NULL;
      g_ptr_array_add (contents, data);
      g_array_append_val (lengths, signed_length);
    }

  return _ll_policy_load ((const char * const *) contents->pdata, (gssize *) lengths->data,
                          paths, contents->len, NULL, error);
}

/* Writing policies */

typedef struct
{
  guint64 handled_fs;
  guint64 handled_net;
  GHashTable *paths;          /* path -> access */
  GHashTable *ports;          /* port -> access */
} Collected;

static void
collect_path_rule (const char *path,
                   guint64     access,
                   guint32     flags,
                   gpointer    user_data)
{
  Collected *collected = user_data;

  access &= collected->handled_fs;
  if (access != 0)
    union_path (collected->paths, g_strdup (path), access);
}

static void
collect_port (Collected *collected,
              guint      port,
              guint64    access)
{
  gpointer key = GUINT_TO_POINTER (port + 1);

  access &= collected->handled_net;
  if (access != 0)
    {
      guint64 *stored = g_hash_table_lookup (collected->ports, key);

      if (stored == NULL)
        {
          stored = g_new0 (guint64, 1);
          g_hash_table_insert (collected->ports, key, stored);
        }
      *stored |= access;
    }
}

static void
collect_net_rule (guint16  port,
                  guint64  access,
                  guint32  flags,
                  gpointer user_data)
{
  collect_port (user_data, port, access);
}

static void
add_names (LlJsonWriter *writer,
           AccessKind   kind,
           guint64      bits)
{
  _ll_json_writer_begin_array (writer);
  for (guint i = 0; i < kinds[kind].n_names; i++)
    if (bits & (G_GUINT64_CONSTANT (1) << i))
      _ll_json_writer_string (writer, kinds[kind].names[i]);
  _ll_json_writer_end_array (writer);
}

/* A parent is a template: escape every '$' so that it stays literal. */
static char *
escape_template (const char *path)
{
  GString *escaped = g_string_sized_new (strlen (path) + 1);

  for (const char *c = path; *c != '\0'; c++)
    {
      if (*c == '$')
        g_string_append_c (escaped, '$');
      g_string_append_c (escaped, *c);
    }
  return g_string_free (escaped, FALSE);
}

static int
compare_access_then_key (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  GHashTable *table = user_data;
  gconstpointer key_a = *(gconstpointer *) a, key_b = *(gconstpointer *) b;
  guint64 access_a = *(guint64 *) g_hash_table_lookup (table, key_a);
  guint64 access_b = *(guint64 *) g_hash_table_lookup (table, key_b);

  if (access_a != access_b)
    return access_a < access_b ? -1 : 1;
  return 0;
}

/* Rules with the same rights become one item, in a stable order. */
static void
add_rule_items (LlJsonWriter *writer,
                GHashTable  *table,
                gboolean     paths)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  keys = g_hash_table_get_keys_as_array (table, &n_keys);
  if (paths)
    qsort (keys, n_keys, sizeof *keys, compare_strings);
  else
    qsort (keys, n_keys, sizeof *keys, compare_pointer_uints);
  /* Stable: the keys stay sorted within each set of rights. */
  g_qsort_with_data (keys, n_keys, sizeof *keys, compare_access_then_key, table);

  _ll_json_writer_member (writer, paths ? "pathBeneath" : "netPort");
  _ll_json_writer_begin_array (writer);
  for (guint i = 0; i < n_keys;)
    {
      guint64 access = *(guint64 *) g_hash_table_lookup (table, keys[i]);

      _ll_json_writer_begin_object (writer);
      _ll_json_writer_member (writer, "allowedAccess");
      add_names (writer, paths ? KIND_FS : KIND_NET, access);
      _ll_json_writer_member (writer, paths ? "parent" : "port");
      _ll_json_writer_begin_array (writer);
      for (; i < n_keys && *(guint64 *) g_hash_table_lookup (table, keys[i]) == access; i++)
        {
          if (paths)
            {
              g_autofree char *escaped = escape_template (keys[i]);

              _ll_json_writer_string (writer, escaped);
            }
          else
            _ll_json_writer_integer (writer, GPOINTER_TO_UINT (keys[i]) - 1);
        }
      _ll_json_writer_end_array (writer);
      _ll_json_writer_end_object (writer);
    }
  _ll_json_writer_end_array (writer);
}

/**
 * ll_ruleset_to_json:
 * @self: an #LlRuleset
 *
 * Writes the ruleset as a normalised policy document: the handled sets
 * and every right spelt out, no groups, no variables, one item per set of
 * rights, paths and ports sorted. ll_ruleset_new_from_data() of the result
 * gives an equal ruleset, and it shows a user what a ruleset will
 * enforce.
 *
 * A ruleset from ll_ruleset_new() handles what the running kernel knows
 * until told otherwise: that is what is written. Rights that a rule grants
 * but the ruleset does not handle change nothing and are left out; so are
 * the options that are no part of the format (strictness, restrict flags,
 * quiet masks and rule flags). A ruleset that handles nothing is written
 * as a document with a single variable, the only valid document that
 * handles nothing.
 *
 * Paths are bytes and JSON strings are Unicode: a byte of a path that is
 * not part of valid UTF-8 is written as a lone surrogate escape, `\udc80`
 * to `\udcff` for the bytes 0x80 to 0xff (as Python's surrogateescape
 * does), which ll_ruleset_new_from_data() reads back as the same byte, so
 * a rule for `/tmp/\xff\xfe` is written as `"/tmp/\udcff\udcfe"` and read
 * back as that path, never as another one. A reader that keeps to Unicode,
 * such as the reference's, rejects such a document rather than read a
 * different path. DEL, the C1 controls, U+2028, U+2029 and the
 * bidirectional formatting characters are written as `\u` escapes too, so
 * that the document can be shown on a terminal.
 *
 * Returns: (transfer full): the policy, pretty-printed JSON
 *
 * Since: 1.0
 */
char *
ll_ruleset_to_json (LlRuleset *self)
{
  GString *text;
  LlJsonWriter writer_data;
  LlJsonWriter *writer = &writer_data;
  Collected collected;
  GArray *invalid_ports;
  guint64 scoped;

  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (!_ll_ruleset_get_handled_explicit (self, &collected.handled_fs, &collected.handled_net, &scoped))
    {
      collected.handled_fs = ll_ruleset_get_handled_access_fs (self);
      collected.handled_net = ll_ruleset_get_handled_access_net (self);
      scoped = ll_ruleset_get_scoped (self);
    }
  collected.paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  collected.ports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  _ll_ruleset_foreach_path_rule (self, collect_path_rule, &collected);
  _ll_ruleset_foreach_net_rule (self, collect_net_rule, &collected);
  invalid_ports = g_object_get_data (G_OBJECT (self), INVALID_PORTS_KEY);
  for (guint i = 0; invalid_ports != NULL && i < invalid_ports->len; i++)
    {
      const InvalidPort *invalid = &g_array_index (invalid_ports, InvalidPort, i);

      collect_port (&collected, invalid->port, invalid->access);
    }

  text = g_string_new (NULL);
  _ll_json_writer_init (writer, text);
  _ll_json_writer_begin_object (writer);
  if (collected.handled_fs == 0 && collected.handled_net == 0 && scoped == 0)
    {
      _ll_json_writer_member (writer, "variable");
      _ll_json_writer_begin_array (writer);
      _ll_json_writer_begin_object (writer);
      _ll_json_writer_member (writer, "name");
      _ll_json_writer_string (writer, "handles_nothing");
      _ll_json_writer_end_object (writer);
      _ll_json_writer_end_array (writer);
    }
  else
    {
      _ll_json_writer_member (writer, "ruleset");
      _ll_json_writer_begin_array (writer);
      _ll_json_writer_begin_object (writer);
      if (collected.handled_fs != 0)
        {
          _ll_json_writer_member (writer, "handledAccessFs");
          add_names (writer, KIND_FS, collected.handled_fs);
        }
      if (collected.handled_net != 0)
        {
          _ll_json_writer_member (writer, "handledAccessNet");
          add_names (writer, KIND_NET, collected.handled_net);
        }
      if (scoped != 0)
        {
          _ll_json_writer_member (writer, "scoped");
          add_names (writer, KIND_SCOPE, scoped);
        }
      _ll_json_writer_end_object (writer);
      _ll_json_writer_end_array (writer);
      if (g_hash_table_size (collected.paths) > 0)
        add_rule_items (writer, collected.paths, TRUE);
      if (g_hash_table_size (collected.ports) > 0)
        add_rule_items (writer, collected.ports, FALSE);
    }
  _ll_json_writer_end_object (writer);

  g_hash_table_unref (collected.paths);
  g_hash_table_unref (collected.ports);

  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}
