/* ll-policy-resolve.c: composing documents, the RESOLVE stage, and the ruleset
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * _ll_policy_load_full() runs the whole load: each document parsed
 * (ll-policy-parse.c), the configurations composed as the reference's
 * Config::compose does, the values given from outside set, every
 * template expanded to the cartesian product of its variables' values
 * (counted and bounded before anything is built), the paths normalised
 * and unioned, and the LlRuleset built with its public methods. Hostile
 * documents must cost no more than linear time and memory
 * (bench/bench-policy.c, tests/fuzz/fuzz-expand.c). Nothing here reads
 * JSON or applies a ruleset.
 */

#include <stdlib.h>
#include <string.h>

#include "ll-error.h"
#include "ll-policy-model-private.h"
#include "ll-policy-private.h"
#include "ll-quote-private.h"
#include "ll-ruleset-private.h"

/* Keeps the rules of @config that grant something within @handled_fs
 * and @handled_net, with only that. */
static void
config_mask (LlPolicyConfig *config,
             guint64         handled_fs,
             guint64         handled_net)
{
  GHashTableIter iter;
  gpointer value;
  guint kept = 0;

  g_hash_table_iter_init (&iter, config->path_rules);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LlPolicyTemplateRule *rule = value;

      rule->access &= handled_fs;
      if (rule->access == 0)
        g_hash_table_iter_remove (&iter);
    }

  for (guint i = 0; i < config->net_rules->len; i++)
    {
      LlPolicyPortRule rule = g_array_index (config->net_rules, LlPolicyPortRule, i);

      rule.access &= handled_net;
      if (rule.access != 0)
        g_array_index (config->net_rules, LlPolicyPortRule, kept++) = rule;
    }
  g_array_set_size (config->net_rules, kept);
}

/* Folds @other into @config as the reference's Config::compose does: the
 * handled sets intersect, every rule is masked with them, and the
 * variables are merged. @other is left empty.
 *
 * In place: the rules of @config are masked again only when a handled set
 * shrinks, which happens at most once a right, and @other's are moved
 * rather than copied. (It used to copy both sides into new tables: n
 * documents cost n^2.) The rules of @config are always within its handled
 * sets (a document handles what its rules grant), so the result is the
 * same. */
static void
config_compose (LlPolicyConfig *config,
                LlPolicyConfig *other)
{
  guint64 handled_fs = config->handled_fs & other->handled_fs;
  guint64 handled_net = config->handled_net & other->handled_net;
  GHashTableIter iter;
  gpointer key, value;

  if (handled_fs != config->handled_fs || handled_net != config->handled_net)
    config_mask (config, handled_fs, handled_net);
  config->handled_fs = handled_fs;
  config->handled_net = handled_net;
  config->scoped &= other->scoped;

  g_hash_table_iter_init (&iter, other->path_rules);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LlPolicyTemplateRule *rule = value;

      g_hash_table_iter_steal (&iter);
      rule->access &= handled_fs;
      _ll_policy_config_take_path_rule (config, rule);
    }

  for (guint i = 0; i < other->net_rules->len; i++)
    {
      LlPolicyPortRule rule = g_array_index (other->net_rules, LlPolicyPortRule, i);

      rule.access &= handled_net;
      if (rule.access != 0)
        g_array_append_val (config->net_rules, rule);
    }
  g_array_set_size (other->net_rules, 0);

  g_hash_table_iter_init (&iter, other->variables);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GHashTable *values = g_hash_table_lookup (config->variables, key);
      GHashTableIter value_iter;
      gpointer text;

      if (values == NULL)
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (config->variables, key, value);
          continue;
        }
      g_hash_table_iter_init (&value_iter, value);
      while (g_hash_table_iter_next (&value_iter, &text, NULL))
        {
          /* A value both give is freed by the table: one copy stays. */
          g_hash_table_iter_steal (&value_iter);
          g_hash_table_add (values, text);
        }
    }

  if (other->abi != 0 && (config->abi == 0 || other->abi < config->abi))
    config->abi = other->abi;
}

/* Rust's Path component rules: repeated and trailing '/' go, so do '.'
 * components except a leading one; '..' stays. */
static gsize
normalise_path (char  *path,
                gsize  length)
{
  /* In place (the normal form is never longer), so that a path of
   * megabytes is not copied to be normalised. One pass with memchr() and
   * no str*() call on the rest of the path: with a sanitizer's
   * interceptors each of those reads the whole rest, quadratic on a long
   * path of many components (found by fuzzing). */
  const char *end = path + length;
  gboolean absolute = path[0] == '/';
  gboolean first = TRUE;
  gsize out = absolute ? 1 : 0;
  char *p = path;

  for (gsize i = 0;; i++)
    {
      char *slash = memchr (p, '/', end - p);
      gsize n = (slash != NULL ? slash : end) - p;

      /* Empty components go, so does '.' except a leading relative one.
       * What is written never passes what is read: a component moves
       * back, over what was dropped before it. */
      if (n > 0 && !(n == 1 && p[0] == '.' && !(i == 0 && !absolute)))
        {
          if (!first && path[out - 1] != '/')
            path[out++] = '/';
          memmove (path + out, p, n);
          out += n;
          first = FALSE;
        }
      if (slash == NULL)
        break;
      p = slash + 1;
    }
  path[out] = '\0';
  return out;
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* The values of a variable, as expanding uses them: looked up, counted
 * and sorted once for all its references. (Once for each reference, it
 * made n references to a variable of n values cost n^2 log n before the
 * count was even checked, and gigabytes: bench/bench-policy.c.) */
typedef struct
{
  char **values;              /* sorted; owned by the variable's set */
  guint n_values;
  guint64 length;             /* of all the values together */
  gsize longest;
} Values;

static void
values_free (gpointer data)
{
  Values *values = data;

  g_free (values->values);
  g_free (values);
}

/* The values of @name, or NULL if no document declares it. */
static const Values *
lookup_values (LlPolicyConfig *config,
               GHashTable     *cache,
               const char     *name)
{
  Values *values = g_hash_table_lookup (cache, name);
  GHashTable *set;

  if (values != NULL)
    return values;
  set = g_hash_table_lookup (config->variables, name);
  if (set == NULL)
    return NULL;
  values = g_new0 (Values, 1);
  values->values = (char **) g_hash_table_get_keys_as_array (set, &values->n_values);
  /* In a stable order, so that the same document gives the same rules. */
  qsort (values->values, values->n_values, sizeof (char *), _ll_policy_compare_strings);
  for (guint i = 0; i < values->n_values; i++)
    {
      gsize length = strlen (values->values[i]);

      values->length += length;
      values->longest = MAX (values->longest, length);
    }
  g_hash_table_insert (cache, g_strdup (name), values);
  return values;
}

/* One piece of a template, as its canonical text gives them: fixed text
 * (@values NULL, @length bytes at @text), which is a literal run or a
 * reference to a variable of one value, or a reference to a variable of
 * any other number of values. */
typedef struct
{
  const char *text;
  gsize length;
  const Values *values;
} Piece;

/* The piece of a canonical template at @c, returning where the next one
 * starts; or NULL, with *@undeclared set to its name (to free), for a
 * reference to a variable that no document declares (count_template()
 * finds them all before anything is expanded). */
static const char *
next_piece (LlPolicyConfig *config,
            GHashTable     *cache,
            const char     *c,
            Piece          *piece,
            char          **undeclared)
{
  const char *end;

  piece->values = NULL;
  if (c[0] == '$' && c[1] == '{')
    {
      const char *close = strchr (c, '}');
      char *name = g_strndup (c + 2, close - c - 2);
      const Values *values = lookup_values (config, cache, name);

      if (values == NULL)
        {
          *undeclared = name;
          return NULL;
        }
      g_free (name);
      /* One value: the same in every path, as a literal is. */
      if (values->n_values == 1)
        {
          piece->text = values->values[0];
          piece->length = values->length;
        }
      else
        piece->values = values;
      return close + 1;
    }
  /* `$$`: a run of the one `$`. */
  if (c[0] == '$' && c[1] == '$')
    {
      piece->text = c;
      piece->length = 1;
      return c + 2;
    }
  /* Up to the next `$`: a `$` alone is literal, and is first if at all. */
  for (end = c + 1; *end != '\0' && *end != '$'; end++)
    ;
  piece->text = c;
  piece->length = end - c;
  return end;
}

/* Checks that every variable a template refers to exists, and counts the
 * paths and bytes it expands to. Returns FALSE with @error set if one
 * does not exist. */
static gboolean
count_template (LlPolicyConfig             *config,
                GHashTable                 *cache,
                const LlPolicyTemplateRule *rule,
                guint64                    *out_count,
                guint64                    *out_bytes,
                GError                    **error)
{
  guint64 count = rule->key[0] != '\0' ? 1 : 0;
  guint64 fixed_bytes = 0;
  /* Each reference to @values, with its total length: each of its values
   * is in count / n_values of the paths. */
  g_autoptr(GArray) varying = g_array_new (FALSE, FALSE, sizeof (const Values *));

  for (const char *c = rule->key; *c != '\0';)
    {
      g_autofree char *undeclared = NULL;
      Piece piece;
      guint n_values;

      c = next_piece (config, cache, c, &piece, &undeclared);
      if (c == NULL)
        {
          _ll_policy_set_error (error, rule->origin.name, rule->origin.position,
                                rule->origin.json_path,
                                "variable '%s' not found (template '%s'); declare it in "
                                "\"variable\" here or in a policy composed with this one",
                                undeclared, rule->key);
          return FALSE;
        }
      if (piece.values == NULL)
        {
          fixed_bytes += piece.length;
          continue;
        }
      n_values = piece.values->n_values;
      count = n_values == 0 ? 0 : (count > G_MAXUINT32 ? count : count * n_values);
      if (n_values > 1 && count <= LL_POLICY_MAX_RESOLVED_PATHS)
        g_array_append_val (varying, piece.values);
    }

  *out_count = count;
  *out_bytes = 0;
  if (count > 0 && count <= LL_POLICY_MAX_RESOLVED_PATHS)
    {
      /* A NUL each, the fixed text in each, and the values of each
       * reference to a variable of several values in their share of the
       * paths (at most 16 such references, as count is at most 65536). */
      guint64 bytes = count * (fixed_bytes + 1);

      for (guint i = 0; i < varying->len; i++)
        {
          const Values *values = g_array_index (varying, const Values *, i);

          bytes += values->length * (count / values->n_values);
        }
      *out_bytes = bytes;
    }
  return TRUE;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* Adds the paths of @rule (@count of them, which is small enough) to
 * @paths. The template is first reduced to the references to a variable of
 * several values, with the fixed text between them joined: the pieces
 * that cannot change are written once, not once a path (a template of a
 * million references to a variable of one empty value, with a few
 * references to one of two values, used to cost a million steps for
 * each of its paths). Every buffer is allocated at its exact size: one
 * path can take 16 MiB. */
static void
expand_template (LlPolicyConfig             *config,
                 GHashTable                 *cache,
                 const LlPolicyTemplateRule *rule,
                 GHashTable                 *paths)
{
  /* fixed[0] varying[0] fixed[1] ... varying[n - 1] fixed[n] */
  g_autoptr(GPtrArray) fixed = g_ptr_array_new_with_free_func (string_free);
  g_autoptr(GArray) varying = g_array_new (FALSE, FALSE, sizeof (const Values *));
  g_autoptr(GArray) fixed_lengths = g_array_new (FALSE, TRUE, sizeof (gsize));
  g_autofree guint *indices = NULL;
  g_autoptr(GString) path = NULL;
  gsize longest = 0;
  gsize length = 0;
  GString *current;

  /* First the lengths of the fixed pieces, then the pieces. */
  for (const char *c = rule->key; *c != '\0';)
    {
      Piece piece;

      c = next_piece (config, cache, c, &piece, NULL);
      if (piece.values == NULL)
        {
          length += piece.length;
          continue;
        }
      g_array_append_val (fixed_lengths, length);
      longest += length + piece.values->longest;
      length = 0;
      g_array_append_val (varying, piece.values);
    }
  g_array_append_val (fixed_lengths, length);
  longest += length;

  current = g_string_sized_new (g_array_index (fixed_lengths, gsize, 0) + 1);
  g_ptr_array_add (fixed, current);
  for (const char *c = rule->key; *c != '\0';)
    {
      Piece piece;

      c = next_piece (config, cache, c, &piece, NULL);
      if (piece.values == NULL)
        {
          g_string_append_len (current, piece.text, piece.length);
          continue;
        }
      current = g_string_sized_new (g_array_index (fixed_lengths, gsize, fixed->len) + 1);
      g_ptr_array_add (fixed, current);
    }

  /* One path: the fixed text is it. */
  if (varying->len == 0)
    {
      current->len = normalise_path (current->str, current->len);
      g_ptr_array_steal_index (fixed, 0);
      /* An empty path cannot be opened: the reference skips it when
       * building, an LlRuleset refuses it; drop it here. */
      if (current->len > 0)
        _ll_policy_union_access (paths, g_string_free (current, FALSE), rule->access, g_free);
      else
        g_string_free (current, TRUE);
      return;
    }

  path = g_string_sized_new (longest + 1);
  indices = g_new0 (guint, varying->len);
  for (;;)
    {
      gint i;

      g_string_truncate (path, 0);
      for (guint k = 0; k < varying->len; k++)
        {
          const Values *values = g_array_index (varying, const Values *, k);
          GString *before = g_ptr_array_index (fixed, k);

          g_string_append_len (path, before->str, before->len);
          g_string_append (path, values->values[indices[k]]);
        }
      g_string_append_len (path, current->str, current->len);

      path->len = normalise_path (path->str, path->len);
      if (path->len > 0)
        _ll_policy_union_access (paths, g_strndup (path->str, path->len), rule->access, g_free);

      /* The last reference changes fastest. */
      for (i = (gint) varying->len - 1; i >= 0; i--)
        {
          const Values *values = g_array_index (varying, const Values *, i);

          if (++indices[i] < values->n_values)
            break;
          indices[i] = 0;
        }
      if (i < 0)
        break;
    }
}

/* The first pass: counts the paths and the bytes that each template of
 * @keys (@n_keys of them, in order) expands to, into @counts, and refuses
 * an expansion beyond LL_POLICY_MAX_RESOLVED_PATHS paths or
 * LL_POLICY_MAX_RESOLVED_BYTES bytes, so that nothing big is built for
 * nothing. Also fails on the first reference to an undeclared variable. */
static gboolean
count_paths (LlPolicyConfig *config,
             GHashTable     *cache,
             gpointer const *keys,
             guint           n_keys,
             guint64        *counts,
             GError        **error)
{
  guint64 total = 0;
  guint64 total_bytes = 0;

  for (guint r = 0; r < n_keys; r++)
    {
      LlPolicyTemplateRule *rule = g_hash_table_lookup (config->path_rules, keys[r]);
      guint64 count, bytes;

      if (!count_template (config, cache, rule, &count, &bytes, error))
        return FALSE;
      counts[r] = count;
      total += MIN (count, (guint64) G_MAXUINT32 + 1);
      if (total > LL_POLICY_MAX_RESOLVED_PATHS)
        {
          _ll_policy_set_error (error, rule->origin.name, rule->origin.position,
                                rule->origin.json_path,
                                "the variables expand the templates to more than %d paths "
                                "(the template '%s' alone gives %s%" G_GUINT64_FORMAT "): "
                                "use fewer values or fewer references per template",
                                LL_POLICY_MAX_RESOLVED_PATHS, rule->key,
                                count > G_MAXUINT32 ? "more than " : "",
                                MIN (count, (guint64) G_MAXUINT32));
          return FALSE;
        }
      /* Few paths can still be huge: a long value referenced many times
       * (found with hostile documents). */
      total_bytes += bytes;
      if (total_bytes > LL_POLICY_MAX_RESOLVED_BYTES)
        {
          _ll_policy_set_error (error, rule->origin.name, rule->origin.position,
                                rule->origin.json_path,
                                "the variables expand the templates to more than %d MiB "
                                "of paths (the template '%s' alone gives %" G_GUINT64_FORMAT
                                " bytes): use shorter values or fewer references per template",
                                LL_POLICY_MAX_RESOLVED_BYTES / (1024 * 1024), rule->key,
                                bytes);
          return FALSE;
        }
    }
  return TRUE;
}

/* The second pass, once count_paths() has found the expansion within
 * bounds: the paths of every template that gives any, with their rights
 * (a table of path -> guint64 *). */
static GHashTable *
build_paths (LlPolicyConfig *config,
             GHashTable     *cache,
             gpointer const *keys,
             guint           n_keys,
             const guint64  *counts)
{
  GHashTable *paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint r = 0; r < n_keys; r++)
    if (counts[r] > 0)
      expand_template (config, cache, g_hash_table_lookup (config->path_rules, keys[r]), paths);
  return paths;
}

/* Expands every template to the cartesian product of its references'
 * values, refusing an expansion beyond the bounds before building any of
 * it.
 *
 * Linear: each template's text is read twice (to count, then to expand),
 * each variable's values are gathered once, and each path is built at
 * its own cost. */
static GHashTable *
config_resolve (LlPolicyConfig *config,
                GError        **error)
{
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, values_free);
  g_autofree gpointer *keys = NULL;
  g_autofree guint64 *counts = NULL;
  guint n_keys;

  /* In a stable order, so that the first error is always the same one. */
  keys = g_hash_table_get_keys_as_array (config->path_rules, &n_keys);
  qsort (keys, n_keys, sizeof *keys, _ll_policy_compare_strings);
  counts = g_new (guint64, n_keys + 1);

  if (!count_paths (config, cache, keys, n_keys, counts, error))
    return NULL;
  return build_paths (config, cache, keys, n_keys, counts);
}

/* Values given from outside the documents (NAME=VALUE): each replaces
 * the values the documents give NAME, which one of them must declare. */
static gboolean
config_set_variables (LlPolicyConfig     *config,
                      const char * const *settings,
                      GError            **error)
{
  g_autoptr(GHashTable) replaced = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; settings != NULL && settings[i] != NULL; i++)
    {
      const char *equals = strchr (settings[i], '=');
      g_autofree char *name = NULL;
      GHashTable *values;
      const char *problem;

      if (equals == NULL)
        {
          g_autofree char *shown = _ll_quote (settings[i], -1, LL_QUOTE_MAX_PATH);

          g_set_error (error, LL_ERROR, LL_ERROR_POLICY,
                       "Cannot set the variable \"%s\": write it NAME=VALUE", shown);
          return FALSE;
        }
      name = g_strndup (settings[i], equals - settings[i]);
      problem = _ll_policy_check_variable_name (name);
      if (problem != NULL)
        {
          g_autofree char *shown = _ll_quote (name, -1, LL_QUOTE_MAX_PATH);

          g_set_error (error, LL_ERROR, LL_ERROR_POLICY,
                       "Cannot set the variable \"%s\": %s", shown, problem);
          return FALSE;
        }
      values = g_hash_table_lookup (config->variables, name);
      if (values == NULL)
        {
          g_autofree gpointer *declared =
            g_hash_table_get_keys_as_array (config->variables, NULL);
          const char *close_one = _ll_policy_suggest (name, (const char * const *) declared,
                                                      g_hash_table_size (config->variables));

          if (close_one != NULL)
            g_set_error (error, LL_ERROR, LL_ERROR_POLICY,
                         "Cannot set the variable '%s': no policy declares it; did you mean "
                         "'%s'?", name, close_one);
          else
            g_set_error (error, LL_ERROR, LL_ERROR_POLICY,
                         "Cannot set the variable '%s': no policy declares it, so it would "
                         "change nothing (check its name, or declare it in \"variable\")", name);
          return FALSE;
        }
      /* The first setting of a name replaces the documents' values (their
       * defaults), the next ones add to it. */
      if (!g_hash_table_contains (replaced, name))
        {
          g_hash_table_remove_all (values);
          g_hash_table_add (replaced, (gpointer) g_intern_string (name));
        }
      g_hash_table_add (values, g_strdup (equals + 1));
    }
  return TRUE;
}

LlRuleset *
_ll_policy_load (const char * const *documents,
                 const gssize       *lengths,
                 const char * const *names,
                 guint               n_documents,
                 LlPolicyStage      *out_stage,
                 GError            **error)
{
  return _ll_policy_load_full (documents, lengths, names, n_documents, NULL, out_stage, error);
}

/* The PARSE stage: every document parsed on its own, then composed left
 * to right. */
static LlPolicyConfig *
parse_and_compose (const char * const *documents,
                   const gssize       *lengths,
                   const char * const *names,
                   guint               n_documents,
                   GError            **error)
{
  g_autoptr(LlPolicyConfig) composed = NULL;

  if (n_documents == 0)
    {
      g_set_error_literal (error, LL_ERROR, LL_ERROR_POLICY,
                           "No policy document was given: give at least one");
      return NULL;
    }

  for (guint i = 0; i < n_documents; i++)
    {
      LlPolicyConfig *config;

      config = _ll_policy_parse_document (documents[i], lengths != NULL ? lengths[i] : -1,
                                          names != NULL ? names[i] : NULL, error);

      if (config == NULL)
        return NULL;
      if (composed == NULL)
        composed = config;
      else
        {
          config_compose (composed, config);
          _ll_policy_config_free (config);
        }
    }
  return g_steal_pointer (&composed);
}

/* The variables without a value that a template uses, sorted, or NULL:
 * the rules on such templates expand to no path and grant nothing. That is
 * no error (a policy may leave a variable for the program to set, as
 * examples/policies/thumbnailer.json does), but a program that forgot to
 * set one should be told: landlock-run says it. One pass over the
 * templates, which are canonical (a `$` of the text is `$$` there). */
static char **
find_unset_variables (LlPolicyConfig *config)
{
  g_autoptr(GHashTable) unset = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *names = NULL;
  GHashTableIter iter;
  gpointer key;
  guint n_names;
  char **sorted;

  g_hash_table_iter_init (&iter, config->path_rules);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      for (const char *c = key; *c != '\0'; c++)
        {
          const char *close;
          g_autofree char *name = NULL;
          GHashTable *values;

          if (c[0] != '$')
            continue;
          if (c[1] == '$')
            {
              c++;                /* `$$`: a `$` of the path */
              continue;
            }
          if (c[1] != '{')
            continue;             /* a `$` alone is text, at the end too */
          close = strchr (c, '}');
          name = g_strndup (c + 2, close - c - 2);
          values = g_hash_table_lookup (config->variables, name);
          if (values != NULL && g_hash_table_size (values) == 0)
            {
              gpointer declared;

              /* The key of the variables' table outlives this function. */
              g_hash_table_lookup_extended (config->variables, name, &declared, NULL);
              g_hash_table_add (unset, declared);
            }
          c = close;
        }
    }

  if (g_hash_table_size (unset) == 0)
    return NULL;
  names = g_hash_table_get_keys_as_array (unset, &n_names);
  qsort (names, n_names, sizeof *names, _ll_policy_compare_strings);
  sorted = g_new0 (char *, n_names + 1);
  for (guint i = 0; i < n_names; i++)
    sorted[i] = g_strdup (names[i]);
  return sorted;
}

/* The ruleset of @config, whose templates config_resolve() expanded to
 * @paths. */
static LlRuleset *
build_ruleset (LlPolicyConfig *config,
               GHashTable     *paths)
{
  g_autofree gpointer *sorted_paths = NULL;
  const LlPolicyPortRule *ports;
  g_auto(GStrv) unset_variables = find_unset_variables (config);
  LlRuleset *ruleset;
  guint n_paths;

  /* Now that the paths are built, the templates and the variables can go:
   * the ruleset copies the paths (with 16 MiB of them, every copy counts). */
  g_hash_table_remove_all (config->path_rules);
  g_hash_table_remove_all (config->variables);

  /* As the reference applies a policy: best-effort (rust-landlock's
   * default compatibility), and a parent that does not exist is skipped
   * and reported (skipped-paths), not fatal. */
  ruleset = g_object_new (LL_TYPE_RULESET, "strict", FALSE, "ignore-missing", TRUE, NULL);
  ruleset->policy_unset_variables = g_steal_pointer (&unset_variables);
  ll_ruleset_set_handled_access (ruleset, config->handled_fs, config->handled_net,
                                 config->scoped);

  sorted_paths = g_hash_table_get_keys_as_array (paths, &n_paths);
  qsort (sorted_paths, n_paths, sizeof *sorted_paths, _ll_policy_compare_strings);
  for (guint i = 0; i < n_paths; i++)
    {
      const char *path[] = { sorted_paths[i], NULL };

      ll_ruleset_add_path_rule (ruleset, path,
                                *(guint64 *) g_hash_table_lookup (paths, sorted_paths[i]));
    }

  /* Every port once, with the union of its rights, in order. */
  g_array_sort (config->net_rules, compare_guint64);
  ports = (const LlPolicyPortRule *) config->net_rules->data;
  for (guint i = 0; i < config->net_rules->len;)
    {
      guint64 port = ports[i].port;
      guint64 access = 0;

      for (; i < config->net_rules->len && ports[i].port == port; i++)
        access |= ports[i].access;

      /* Above 65535 the ruleset keeps a problem that applying reports, as
       * the reference fails when it builds the kernel ruleset. */
      ll_ruleset_add_net_rule (ruleset, (int) MIN (port, (guint64) G_MAXINT), access,
                               LL_RULE_FLAGS_NONE);
      /* The ruleset keeps no rule for such a port, only the problem; so
       * that ll_ruleset_to_json() still writes it (and its document gives
       * a ruleset that fails the same way), remember it beside. */
      if (port > G_MAXUINT16)
        {
          LlPolicyInvalidPort invalid = { (guint) MIN (port, (guint64) G_MAXINT), access };

          if (ruleset->policy_invalid_ports == NULL)
            ruleset->policy_invalid_ports = g_array_new (FALSE, FALSE,
                                                         sizeof (LlPolicyInvalidPort));
          g_array_append_val (ruleset->policy_invalid_ports, invalid);
        }
    }

  return ruleset;
}

LlRuleset *
_ll_policy_load_full (const char * const *documents,
                      const gssize       *lengths,
                      const char * const *names,
                      guint               n_documents,
                      const char * const *variables,
                      LlPolicyStage      *out_stage,
                      GError            **error)
{
  g_autoptr(LlPolicyConfig) composed = NULL;
  g_autoptr(GHashTable) paths = NULL;

  if (out_stage != NULL)
    *out_stage = LL_POLICY_STAGE_NONE;

  composed = parse_and_compose (documents, lengths, names, n_documents, error);
  if (composed == NULL)
    {
      if (out_stage != NULL)
        *out_stage = LL_POLICY_STAGE_PARSE;
      return NULL;
    }

  if (!config_set_variables (composed, variables, error) ||
      (paths = config_resolve (composed, error)) == NULL)
    {
      if (out_stage != NULL)
        *out_stage = LL_POLICY_STAGE_RESOLVE;
      return NULL;
    }

  return build_ruleset (composed, paths);
}
