/* ll-policy-parse.c: the PARSE stage, one policy document to a configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Checks one document as the reference does: the JSON (ll-json.c reads
 * it), every key and type, empty arrays, the names of rights and groups
 * with the document's abi, variable names and the syntax of templates;
 * and records what it says in an LlPolicyConfig (ll-policy-model.c), with
 * where each rule came from for later messages. It must not look beyond
 * its document: whether a variable exists is the RESOLVE stage's
 * (ll-policy-resolve.c), since another document may declare it.
 */

#include <stdarg.h>
#include <string.h>

#include "ll-json-private.h"
#include "ll-policy-model-private.h"

typedef struct
{
  const char *name;           /* the file, or NULL */
} Document;

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
  _ll_policy_set_error_valist (error, doc->name, node_position (node), json_path, format, args);
  va_end (args);
}

static void
element_error (GError    **error,
               Document   *doc,
               LlJsonNode *element,
               const char *array_path,
               guint       index,
               const char *format,
               ...) G_GNUC_PRINTF (6, 7);

/* doc_error() about the @index-th element of the array at @array_path:
 * the element's JSON path is built only for a message. */
static void
element_error (GError    **error,
               Document   *doc,
               LlJsonNode *element,
               const char *array_path,
               guint       index,
               const char *format,
               ...)
{
  g_autofree char *element_path = NULL;
  va_list args;

  if (error == NULL)
    return;
  element_path = g_strdup_printf ("%s[%u]", array_path, index);
  va_start (args, format);
  _ll_policy_set_error_valist (error, doc->name, node_position (element), element_path, format,
                               args);
  va_end (args);
}

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
      _ll_policy_set_error (error, doc->name, node->object.duplicate->position, json_path,
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
          const char *hint = _ll_policy_suggest (member->name, fields, n_fields);
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
parse_access (Document          *doc,
              LlJsonNode        *node,
              const char        *json_path,
              const char        *what,
              LlPolicyAccessKind kind,
              gint64             abi,
              guint64           *out,
              GError           **error)
{
  LlJsonNode *array;

  *out = 0;
  if (!get_array (doc, node, json_path, what, &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *element = array->array.elements[i];
      const char *name;
      const char *hint;
      int bit;

      if (!is_string (element))
        {
          element_error (error, doc, element, json_path, i,
                         "invalid type: expected a string naming a %s (%s), found %s",
                         _ll_policy_kinds[kind].description, what,
                         node_type_description (element));
          return FALSE;
        }
      name = element->string;

      if (_ll_policy_is_group (kind, name))
        {
          if (abi == 0)
            {
              element_error (error, doc, element, json_path, i,
                             "access group '%s' used without a top-level 'abi': add "
                             "\"abi\": N to say which Landlock ABI the group stands for",
                             name);
              return FALSE;
            }
          *out |= _ll_policy_group_bits (kind, name, abi);
          continue;
        }

      bit = _ll_policy_lookup_name (kind, name);
      if (bit >= 0)
        {
          *out |= G_GUINT64_CONSTANT (1) << bit;
          continue;
        }

      for (LlPolicyAccessKind other = LL_POLICY_KIND_FS; other <= LL_POLICY_KIND_SCOPE; other++)
        if (other != kind && _ll_policy_lookup_name (other, name) >= 0)
          {
            element_error (error, doc, element, json_path, i,
                           "unknown %s '%s' (%s): it is a %s, which belongs in %s",
                           _ll_policy_kinds[kind].description, name, what,
                           _ll_policy_kinds[other].description, _ll_policy_kinds[other].where);
            return FALSE;
          }
      hint = _ll_policy_suggest_access (kind, name);
      if (hint != NULL)
        element_error (error, doc, element, json_path, i,
                       "unknown %s '%s' (%s); did you mean '%s'?",
                       _ll_policy_kinds[kind].description, name, what, hint);
      else
        element_error (error, doc, element, json_path, i, "unknown %s '%s' (%s)",
                       _ll_policy_kinds[kind].description, name, what);
      return FALSE;
    }
  return TRUE;
}

/* Checks a template: `${name}` is a reference, `$$` a literal `$`, any
 * other `$` is text. Its parts are not kept, since
 * _ll_policy_config_add_path_rule() reads its canonical text again: an
 * array of parts for each of a document's parents (and a part for each of
 * a template's references) took over a hundred bytes for every byte of
 * some documents. */
static gboolean
parse_template (Document   *doc,
                LlJsonNode *node,
                const char *json_path,
                const char *text,
                GError    **error)
{
  const char *c = text;
  const char *end = text + strlen (text);

  /* memchr() within the known length, not strchr(): see normalise_path(). */
  while (c < end)
    {
      const char *dollar = memchr (c, '$', end - c);

      if (dollar == NULL)
        break;
      if (dollar[1] == '$')
        c = dollar + 2;
      else if (dollar[1] == '{')
        {
          const char *close = memchr (dollar + 2, '}', end - (dollar + 2));
          g_autofree char *name = NULL;
          const char *problem;

          if (close == NULL)
            {
              doc_error (error, doc, node, json_path,
                         "unclosed variable reference in template '%s'", text);
              return FALSE;
            }
          name = g_strndup (dollar + 2, close - dollar - 2);
          problem = _ll_policy_check_variable_name (name);
          if (problem != NULL)
            {
              doc_error (error, doc, node, json_path,
                         "invalid variable name in template '%s': %s", text, problem);
              return FALSE;
            }
          c = close + 1;
        }
      else
        c = dollar + 1;
    }
  return TRUE;
}

static gboolean
parse_variables (Document       *doc,
                 LlPolicyConfig *config,
                 LlJsonNode     *node,
                 GError        **error)
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
      problem = _ll_policy_check_variable_name (name);
      if (problem != NULL)
        {
          g_autofree char *name_path = g_strdup_printf ("%s.name", item_path);

          doc_error (error, doc, members[0], name_path, "invalid variable name '%s': %s",
                     name, problem);
          return FALSE;
        }

      values = _ll_policy_config_variable (config, name);
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
                  element_error (error, doc, value, literal_path, k,
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
parse_rulesets (Document       *doc,
                LlPolicyConfig *config,
                LlJsonNode     *node,
                GError        **error)
{
  static const char * const fields[] = { "handledAccessFs", "handledAccessNet", "scoped", NULL };
  static const LlPolicyAccessKind field_kinds[] = {
    LL_POLICY_KIND_FS, LL_POLICY_KIND_NET, LL_POLICY_KIND_SCOPE,
  };
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

/* Checks an element of a pathBeneath's parent list (@kind
 * LL_POLICY_KIND_FS: a template) or of a netPort's port list (a port),
 * the @k-th of @list_path. */
static gboolean
check_element (Document           *doc,
               LlPolicyAccessKind  kind,
               LlJsonNode         *element,
               const char         *list_path,
               guint               k,
               GError            **error)
{
  if (kind == LL_POLICY_KIND_FS && is_string (element))
    {
      g_autofree char *template_path = g_strdup_printf ("%s[%u]", list_path, k);

      return parse_template (doc, element, template_path, element->string, error);
    }
  if (kind == LL_POLICY_KIND_NET && element->type == LL_JSON_INTEGER && element->integer >= 0)
    return TRUE;

  if (kind == LL_POLICY_KIND_FS)
    element_error (error, doc, element, list_path, k,
                   "invalid type: a parent must be a string, found %s",
                   node_type_description (element));
  else
    element_error (error, doc, element, list_path, k,
                   "invalid type: a port must be a non-negative integer, found %s",
                   element->type == LL_JSON_INTEGER
                     ? "a negative integer" : node_type_description (element));
  return FALSE;
}

/* Adds the rule of @access on an element that check_element() accepted. */
static void
add_element (Document           *doc,
             LlPolicyConfig     *config,
             LlPolicyAccessKind  kind,
             LlJsonNode         *element,
             const char         *list_path,
             guint               k,
             guint64             access)
{
  g_autofree char *template_path = NULL;
  LlPolicyOrigin origin;

  if (kind == LL_POLICY_KIND_NET)
    {
      _ll_policy_config_add_net_rule (config, (guint64) element->integer, access);
      return;
    }
  template_path = g_strdup_printf ("%s[%u]", list_path, k);
  origin = (LlPolicyOrigin) { doc->name, template_path, node_position (element) };
  _ll_policy_config_add_path_rule (config, element->string, access, &origin);
}

/* The pathBeneath array (@kind LL_POLICY_KIND_FS) or the netPort array
 * (LL_POLICY_KIND_NET): objects of exactly allowedAccess and parent (or
 * port), both given, each a non-empty array. */
static gboolean
parse_rules (Document           *doc,
             LlPolicyConfig     *config,
             LlJsonNode         *node,
             LlPolicyAccessKind  kind,
             GError            **error)
{
  const char *what = kind == LL_POLICY_KIND_FS ? "pathBeneath" : "netPort";
  const char *list_field = kind == LL_POLICY_KIND_FS ? "parent" : "port";
  const char * const fields[] = { "allowedAccess", list_field, NULL };
  g_autofree char *access_what = g_strdup_printf ("%s.allowedAccess", what);
  g_autofree char *list_what = g_strdup_printf ("%s.%s", what, list_field);
  LlJsonNode *array;

  if (!get_array (doc, node, what, what, &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", what, i);
      g_autofree char *access_path = g_strdup_printf ("%s.allowedAccess", item_path);
      g_autofree char *list_path = g_strdup_printf ("%s.%s", item_path, list_field);
      LlJsonNode *members[2];
      LlJsonNode *list;
      guint64 access;

      if (!get_fields (doc, item, item_path, what, fields, 2, members, error))
        return FALSE;
      for (gsize k = 0; k < 2; k++)
        if (members[k] == NULL)
          {
            doc_error (error, doc, item, item_path, "missing field '%s' (%s)", fields[k], what);
            return FALSE;
          }
      if (!parse_access (doc, members[0], access_path, access_what, kind, config->abi, &access,
                         error) ||
          !get_array (doc, members[1], list_path, list_what, &list, error))
        return FALSE;

      /* Templates and ports are checked even when the rule grants
       * nothing, as the reference parses them before it looks at the
       * rights. */
      for (guint k = 0; k < list->array.length; k++)
        if (!check_element (doc, kind, list->array.elements[k], list_path, k, error))
          return FALSE;

      /* A rule whose rights expand to nothing adds nothing. */
      if (access == 0)
        continue;
      if (kind == LL_POLICY_KIND_FS)
        config->handled_fs |= access;
      else
        config->handled_net |= access;
      for (guint k = 0; k < list->array.length; k++)
        add_element (doc, config, kind, list->array.elements[k], list_path, k, access);
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

LlPolicyConfig *
_ll_policy_parse_document (const char *data,
                           gssize      length,
                           const char *name,
                           GError    **error)
{
  static const char * const fields[] = { "abi", "variable", "ruleset", "pathBeneath", "netPort", NULL };
  g_autoptr(LlJsonNode) root = NULL;
  g_autoptr(LlPolicyConfig) config = NULL;
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
      _ll_policy_set_error (error, name, syntax_error.position, NULL, "%s", syntax_error.message);
      g_free (syntax_error.message);
      return NULL;
    }

  config = _ll_policy_config_new ();
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
      (members[3] != NULL && !parse_rules (&doc, config, members[3], LL_POLICY_KIND_FS, error)) ||
      (members[4] != NULL && !parse_rules (&doc, config, members[4], LL_POLICY_KIND_NET, error)))
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
      _ll_policy_set_error (error, name, duplicate->position, NULL,
                            "duplicate field '%s'", duplicate->name);
      return NULL;
    }

  return g_steal_pointer (&config);
}
