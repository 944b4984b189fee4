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
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", json_path, i);
      const char *name;
      int bit;

      if (!is_string (element))
        {
          doc_error (error, doc, element, element_path,
                     "invalid type: expected a string naming a %s (%s), found %s",
                     _ll_policy_kinds[kind].description, what, node_type_description (element));
          return FALSE;
        }
      name = element->string;

      if (_ll_policy_is_group (kind, name))
        {
          if (abi == 0)
            {
              doc_error (error, doc, element, element_path,
                         "access group '%s' used without a top-level 'abi': add \"abi\": N "
                         "to say which Landlock ABI the group stands for", name);
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

      {
        const char *hint = _ll_policy_suggest_access (kind, name);

        for (LlPolicyAccessKind other = LL_POLICY_KIND_FS; other <= LL_POLICY_KIND_SCOPE; other++)
          if (other != kind && _ll_policy_lookup_name (other, name) >= 0)
            {
              doc_error (error, doc, element, element_path,
                         "unknown %s '%s' (%s): it is a %s, which belongs in %s",
                         _ll_policy_kinds[kind].description, name, what,
                         _ll_policy_kinds[other].description, _ll_policy_kinds[other].where);
              return FALSE;
            }
        if (hint != NULL)
          doc_error (error, doc, element, element_path,
                     "unknown %s '%s' (%s); did you mean '%s'?",
                     _ll_policy_kinds[kind].description, name, what, hint);
        else
          doc_error (error, doc, element, element_path, "unknown %s '%s' (%s)",
                     _ll_policy_kinds[kind].description, name, what);
        return FALSE;
      }
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

/* What a pathBeneath and a netPort item share: an object with exactly
 * allowedAccess and @list_field, both given; returns the rights, the
 * non-empty array of @list_field and its JSON path. @what is the item's
 * key, for messages. */
static gboolean
parse_rule_item (Document          *doc,
                 LlPolicyConfig    *config,
                 LlJsonNode        *item,
                 const char        *item_path,
                 const char        *what,
                 const char        *list_field,
                 LlPolicyAccessKind kind,
                 guint64           *access,
                 LlJsonNode       **list,
                 char             **list_path,
                 GError           **error)
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
parse_path_beneath (Document       *doc,
                    LlPolicyConfig *config,
                    LlJsonNode     *node,
                    GError        **error)
{
  LlJsonNode *array;

  if (!get_array (doc, node, "pathBeneath", "pathBeneath", &array, error))
    return FALSE;

  for (guint i = 0; i < array->array.length; i++)
    {
      LlJsonNode *item = array->array.elements[i];
      g_autofree char *item_path = g_strdup_printf ("pathBeneath[%u]", i);
      g_autofree char *parent_path = NULL;
      LlJsonNode *parents;
      guint64 access;

      if (!parse_rule_item (doc, config, item, item_path, "pathBeneath", "parent",
                            LL_POLICY_KIND_FS, &access, &parents, &parent_path, error))
        return FALSE;

      /* Templates are checked even when the rule grants nothing, as the
       * reference parses them before it looks at the rights. */
      for (guint k = 0; k < parents->array.length; k++)
        {
          LlJsonNode *parent = parents->array.elements[k];
          g_autofree char *template_path = g_strdup_printf ("%s[%u]", parent_path, k);

          if (!is_string (parent))
            {
              doc_error (error, doc, parent, template_path,
                         "invalid type: a parent must be a string, found %s",
                         node_type_description (parent));
              return FALSE;
            }
          if (!parse_template (doc, parent, template_path, parent->string, error))
            return FALSE;
        }

      /* A rule whose rights expand to nothing adds nothing. */
      if (access == 0)
        continue;
      config->handled_fs |= access;
      for (guint k = 0; k < parents->array.length; k++)
        {
          LlJsonNode *parent = parents->array.elements[k];
          g_autofree char *template_path = g_strdup_printf ("%s[%u]", parent_path, k);
          LlPolicyOrigin origin = { (char *) doc->name, template_path, node_position (parent) };

          _ll_policy_config_add_path_rule (config, parent->string, access, &origin);
        }
    }
  return TRUE;
}

static gboolean
parse_net_port (Document       *doc,
                LlPolicyConfig *config,
                LlJsonNode     *node,
                GError        **error)
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

      if (!parse_rule_item (doc, config, item, item_path, "netPort", "port",
                            LL_POLICY_KIND_NET, &access, &port_array, &port_path, error))
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
        _ll_policy_config_add_net_rule (config, g_array_index (ports, guint64, k), access);
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
      _ll_policy_set_error (error, name, duplicate->position, NULL,
                            "duplicate field '%s'", duplicate->name);
      return NULL;
    }

  return g_steal_pointer (&config);
}
