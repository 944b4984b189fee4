/* ll-policy-model.c: a policy before its variables are resolved, and its messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LlPolicyConfig (ll-policy-model-private.h) is what one document, or
 * several composed, says: the handled sets, a rule for each template
 * (keyed by its canonical text, so that templates that mean the same are
 * one rule), the port rules and the variables, each rule with where it
 * came from. This file builds and frees it, and formats every message
 * about a rejected policy: file:line:column, JSON path, what is wrong,
 * quoted and bounded. It does not read JSON (ll-policy-parse.c) nor
 * expand a template (ll-policy-resolve.c).
 */

#include <stdarg.h>
#include <string.h>

#include "ll-error.h"
#include "ll-json-private.h"
#include "ll-policy-model-private.h"
#include "ll-quote-private.h"

/* The longest explanation in a message, in bytes (found with hostile
 * documents: a megabyte-long unknown name was quoted whole). */
#define MAX_MESSAGE_LENGTH 1024

void
_ll_policy_set_error_valist (GError    **error,
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
    g_string_append_printf (message, ":%u:%u", LL_JSON_POSITION_LINE (position),
                            LL_JSON_POSITION_COLUMN (position));
  g_string_append (message, ": ");
  if (json_path != NULL && json_path[0] != '\0')
    g_string_append_printf (message, "%s: ", json_path);
  if (!_ll_quote_append (message, what, -1, MAX_MESSAGE_LENGTH) && cut)
    g_string_append (message, "…");
  g_set_error_literal (error, LL_ERROR, LL_ERROR_POLICY, message->str);
}

void
_ll_policy_set_error (GError    **error,
                      const char *name,
                      guint64     position,
                      const char *json_path,
                      const char *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  _ll_policy_set_error_valist (error, name, position, json_path, format, args);
  va_end (args);
}

static void
template_rule_free (gpointer data)
{
  g_free (data);
}

LlPolicyConfig *
_ll_policy_config_new (void)
{
  LlPolicyConfig *config = g_new0 (LlPolicyConfig, 1);

  /* The key is the rule's own, freed with it. */
  config->path_rules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, template_rule_free);
  config->net_rules = g_array_new (FALSE, FALSE, sizeof (LlPolicyPortRule));
  config->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  config->strings = g_string_chunk_new (4096);
  return config;
}

void
_ll_policy_config_free (LlPolicyConfig *config)
{
  g_hash_table_unref (config->path_rules);
  g_array_unref (config->net_rules);
  g_hash_table_unref (config->variables);
  g_string_chunk_free (config->strings);
  g_free (config);
}

/* Reads the next character or reference of a template that
 * parse_template() accepted: returns where the next one starts, with
 * *@reference_length 0 for a character *@c, or the length of the
 * reference (`${name}`) at @text. */
static const char *
template_next (const char *text,
               char       *c,
               gsize      *reference_length)
{
  *reference_length = 0;
  if (text[0] == '$' && text[1] == '{')
    {
      *reference_length = strchr (text, '}') + 1 - text;
      return text + *reference_length;
    }
  *c = text[0];
  /* `$$` is a `$`, and so is a `$` on its own. */
  return text + (text[0] == '$' && text[1] == '$' ? 2 : 1);
}

/* Writes the canonical form of @text to @out (if not NULL) and returns its
 * length: references as they are, and a literal `$` as `$$` only where a
 * `$` alone would not be one (before a `$`, a `{` or a reference). Two
 * templates that mean the same have the same canonical form, which is
 * never longer than either. */
static gsize
template_canonical (const char *text,
                    char       *out)
{
  gsize length = 0;
  const char *next;
  char c = '\0';
  gsize reference;

  for (const char *p = text; *p != '\0'; p = next)
    {
      next = template_next (p, &c, &reference);
      if (reference > 0)
        {
          if (out != NULL)
            memcpy (out + length, p, reference);
          length += reference;
          continue;
        }
      if (c == '$' && (next[0] == '$' || next[0] == '{'))
        {
          if (out != NULL)
            out[length] = '$';
          length++;
        }
      if (out != NULL)
        out[length] = c;
      length++;
    }
  if (out != NULL)
    out[length] = '\0';
  return length;
}

/* A rule for the template @text that parse_template() accepted, keyed by
 * its canonical form, so that templates that mean the same are one rule.
 * The form is written once, at its exact size, in the rule itself (a
 * template can be megabytes long, and a document can have a hundred
 * thousand of them). */
static LlPolicyTemplateRule *
template_rule_new (const char           *text,
                   guint64               access,
                   const LlPolicyOrigin *origin)
{
  gsize length = template_canonical (text, NULL);
  LlPolicyTemplateRule *rule = g_malloc (sizeof (LlPolicyTemplateRule) + length + 1);

  template_canonical (text, rule->key);
  rule->access = access;
  /* The caller's until _ll_policy_config_take_path_rule() copies it. */
  rule->origin = *origin;
  return rule;
}

/* Adds @rule to @config, which takes it: a rule that grants nothing goes,
 * one for a template that @config has already is unioned with it, and a
 * new one keeps a copy of its JSON path in @config's strings (its own is
 * the caller's, or another configuration's that goes). Every rule a
 * document gives and every rule composing moves comes through here. */
void
_ll_policy_config_take_path_rule (LlPolicyConfig       *config,
                                  LlPolicyTemplateRule *rule)
{
  LlPolicyTemplateRule *existing;

  if (rule->access == 0)
    {
      template_rule_free (rule);
      return;
    }
  existing = g_hash_table_lookup (config->path_rules, rule->key);
  if (existing != NULL)
    {
      existing->access |= rule->access;
      template_rule_free (rule);
      return;
    }
  /* What messages need, for the first occurrence only. */
  rule->origin.json_path = g_string_chunk_insert (config->strings, rule->origin.json_path);
  g_hash_table_insert (config->path_rules, rule->key, rule);
}

/* @text: a template that parse_template() accepted, of which the rule
 * keeps the canonical text only. */
void
_ll_policy_config_add_path_rule (LlPolicyConfig       *config,
                                 const char           *text,
                                 guint64               access,
                                 const LlPolicyOrigin *origin)
{
  _ll_policy_config_take_path_rule (config, template_rule_new (text, access, origin));
}

/* Ports are merged when the variables are resolved: until then, one
 * entry per port given, 16 bytes each (a table of them cost five times
 * that). */
void
_ll_policy_config_add_net_rule (LlPolicyConfig *config,
                                guint64         port,
                                guint64         access)
{
  LlPolicyPortRule rule = { port, access };

  g_array_append_val (config->net_rules, rule);
}

/* The set of values of the variable @name, new and empty if @config has
 * none of that name yet. */
GHashTable *
_ll_policy_config_variable (LlPolicyConfig *config,
                            const char     *name)
{
  GHashTable *values = g_hash_table_lookup (config->variables, name);

  if (values == NULL)
    {
      values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (config->variables, g_strdup (name), values);
    }
  return values;
}

int
_ll_policy_compare_strings (gconstpointer a,
                            gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* ORs @access into what @table (of guint64 *, which it frees) holds for
 * @key, or adds @key with @access. The table takes @key if it adds it;
 * otherwise @free_key, if not NULL, frees it. The expanded paths and the
 * writer's paths and ports are all such tables. */
void
_ll_policy_union_access (GHashTable     *table,
                         gpointer        key,
                         guint64         access,
                         GDestroyNotify  free_key)
{
  guint64 *stored = g_hash_table_lookup (table, key);

  if (stored != NULL)
    {
      *stored |= access;
      if (free_key != NULL)
        free_key (key);
      return;
    }
  stored = g_new (guint64, 1);
  *stored = access;
  g_hash_table_insert (table, key, stored);
}
