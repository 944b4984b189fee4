/* fuzz-expand.c: libFuzzer target for variables, templates and composition
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is not a document but a recipe: its bytes choose one to three
 * documents made of variables (declared with values, or with none), rules
 * whose parents are templates (literal pieces, `$` written alone or as
 * `$$`, references to declared and undeclared variables, now and then a
 * broken reference) and handled sets. Every document is valid JSON and
 * of the right structure, so every input reaches composition and
 * expansion, which a fuzzer working on raw bytes seldom does.
 *
 * The target builds the documents, loads them composed (_ll_policy_load)
 * and computes, independently and from the recipe alone, what the result
 * must be: the handled sets intersected, the rules masked, the templates
 * deduplicated, the cartesian product of the values, Rust's path
 * normalisation, and the bounds (LL_POLICY_MAX_RESOLVED_PATHS paths and
 * LL_POLICY_MAX_RESOLVED_BYTES bytes, counted before anything is built).
 * It aborts, and libFuzzer keeps the input, when:
 *
 * - a document is accepted that must be rejected, or the other way round,
 *   or rejected at the wrong stage;
 * - the accepted ruleset's paths and rights differ from the expected ones,
 *   byte for byte (values can hold bytes that are not UTF-8);
 * - ll_ruleset_to_json() of it does not read back to the same paths;
 * - a message is not valid UTF-8 or holds a control character;
 * - (through libFuzzer's -timeout and -rss_limit_mb) an input takes too
 *   long or too much memory: the expansion must cost what it builds.
 *
 * Built only with -Dfuzzing=true and clang; see README.md.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "landlock-glib.h"
#include "ll-policy-private.h"
#include "ll-ruleset-private.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#define N_NAMES 5
#define N_RIGHTS 17
#define MAX_DOCUMENTS 3

static const char * const variable_names[N_NAMES] = { "a", "b", "c", "d", "long_name_9" };
static const char * const rights[N_RIGHTS] = {
  "execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
  "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
  "make_sym", "refer", "truncate", "ioctl_dev", "resolve_unix",
};

/* Pieces of paths and values: separators, dots, dollars and braces,
 * bytes that are not UTF-8 (written as \udcXX), controls, other scripts. */
static const char * const pieces[] = {
  "/", "a", "b", "..", ".", "//", "$", "{", "}", "x/y", "", "./", "/.", "\xff", "\x80\xfe",
  "\xc3\xa9", "\n", "\x1b[0m", "\xe2\x80\xae", "\x7f", "${", "usr", "tmp",
};


/* A template as the oracle sees it: literal bytes and references. */
typedef struct
{
  gboolean reference;
  char byte;                  /* of a literal */
  guint name;                 /* of a reference */
} Token;

typedef struct
{
  GArray *tokens;             /* Token */
  guint64 access;
  gboolean broken;            /* written with a reference that does not parse */
} Parent;

typedef struct
{
  guint64 handled;            /* the ruleset's own, before the rules' */
  gboolean declared[N_NAMES];
  GPtrArray *values[N_NAMES]; /* GBytes-like: char *, NUL-terminated */
  GPtrArray *parents;         /* Parent */
} RecipeDocument;

static void
parent_free (gpointer data)
{
  Parent *parent = data;

  g_array_unref (parent->tokens);
  g_free (parent);
}

/* Appends @text (@length bytes) as the inside of a JSON string: bytes that
 * are not UTF-8 as \udcXX, controls as \u00XX. */
static void
append_json_text (GString    *out,
                  const char *text,
                  gsize       length)
{
  const char *end = text + length;

  for (const char *c = text; c < end;)
    {
      guchar byte = (guchar) *c;
      gunichar u;

      if (byte == '"' || byte == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *c++);
        }
      else if (byte < 0x20 || byte == 0x7f)
        {
          g_string_append_printf (out, "\\u%04x", byte);
          c++;
        }
      else if (byte < 0x80)
        g_string_append_c (out, *c++);
      else if ((u = g_utf8_get_char_validated (c, end - c)) < 0x110000)
        {
          const char *next = g_utf8_next_char (c);

          g_string_append_len (out, c, next - c);
          c = next;
        }
      else
        {
          g_string_append_printf (out, "\\udc%02x", byte);
          c++;
        }
    }
}

static void
append_rights (GString *out,
               guint64  access)
{
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < N_RIGHTS; i++)
    if (access & (G_GUINT64_CONSTANT (1) << i))
      {
        g_string_append_printf (out, "%s\"%s\"", first ? "" : ", ", rights[i]);
        first = FALSE;
      }
  g_string_append_c (out, ']');
}

static guint64
take_access (FuzzRecipe *recipe)
{
  guint64 access = 0;

  /* Few rights, and overlapping ones, so that masking matters. */
  for (guint k = 0, n = 1 + fuzz_take (recipe, 3); k < n; k++)
    access |= G_GUINT64_CONSTANT (1) << (fuzz_take (recipe, 4) == 0 ? fuzz_take (recipe, N_RIGHTS) : fuzz_take (recipe, 3));
  return access;
}

/* A value: a few pieces, now and then a long run. */
static char *
take_value (FuzzRecipe *recipe)
{
  GString *value = g_string_new (NULL);

  for (guint k = 0, n = fuzz_take (recipe, 5); k < n; k++)
    {
      guint choice = fuzz_take (recipe, G_N_ELEMENTS (pieces) + 1);

      if (choice == G_N_ELEMENTS (pieces))
        for (guint i = 0, length = 1 + fuzz_take (recipe, 250) * 64; i < length; i++)
          g_string_append_c (value, 'v');
      else
        g_string_append (value, pieces[choice]);
    }
  return g_string_free (value, FALSE);
}

/* A template, written into @out (a JSON string's inside) and kept as
 * tokens in @parent. */
static void
take_template (FuzzRecipe *recipe,
               Parent     *parent,
               GString    *out)
{
  GString *text = g_string_new (NULL);
  guint n = fuzz_take (recipe, 7);
  gboolean leading_slash = fuzz_take (recipe, 3) != 0;

  if (leading_slash)
    {
      Token slash = { FALSE, '/', 0 };

      g_array_append_val (parent->tokens, slash);
      g_string_append_c (text, '/');
    }
  for (guint k = 0; k < n; k++)
    {
      guint choice = fuzz_take (recipe, 8);
      Token token = { FALSE, 0, 0 };

      if (choice < 3)
        {
          token.reference = TRUE;
          token.name = fuzz_take (recipe, N_NAMES);
          g_array_append_val (parent->tokens, token);
          g_string_append_printf (text, "${%s}", variable_names[token.name]);
        }
      else if (choice == 3)
        {
          /* A literal `$`: alone, unless what follows would make it part of
           * something else, or as `$$`; the next token decides, so it is
           * written as `$$` when a token follows (safe), alone at the end. */
          token.byte = '$';
          g_array_append_val (parent->tokens, token);
          g_string_append (text, k + 1 < n || fuzz_take (recipe, 2) ? "$$" : "$");
        }
      else if (choice == 4 && fuzz_take (recipe, 16) == 0)
        {
          /* Broken: the document must be refused when parsing. */
          g_string_append (text, fuzz_take (recipe, 2) ? "${" : "${9x}");
          parent->broken = TRUE;
        }
      else
        {
          const char *piece = pieces[fuzz_take (recipe, G_N_ELEMENTS (pieces))];

          /* Pieces holding `$`, `{` or `}` could join a broken reference
           * into a valid one: `$` is covered by choice 3, braces by the
           * references. */
          if (strpbrk (piece, "${}") != NULL)
            piece = "p";
          for (const char *c = piece; *c != '\0'; c++)
            {
              token.byte = *c;
              g_array_append_val (parent->tokens, token);
            }
          g_string_append (text, piece);
        }
    }
  append_json_text (out, text->str, text->len);
  g_string_free (text, TRUE);
}

/* Rust's Path normalisation, as the reference applies it: empty
 * components and "." go, except a leading "." of a relative path. */
static char *
normalise (const char *path,
           gsize       length)
{
  GString *out = g_string_new (length > 0 && path[0] == '/' ? "/" : "");
  gboolean relative = length == 0 || path[0] != '/';
  g_auto(GStrv) components = NULL;
  g_autofree char *copy = g_strndup (path, length);
  gboolean first = TRUE;

  components = g_strsplit (copy, "/", -1);
  for (guint i = 0; components[i] != NULL; i++)
    {
      const char *component = components[i];

      if (component[0] == '\0')
        continue;
      if (strcmp (component, ".") == 0 && !(i == 0 && relative))
        continue;
      if (!first)
        g_string_append_c (out, '/');
      g_string_append (out, component);
      first = FALSE;
    }
  return g_string_free (out, FALSE);
}

/* The key the oracle deduplicates with: every literal `$` doubled. */
static char *
token_key (GArray *tokens)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < tokens->len; i++)
    {
      const Token *token = &g_array_index (tokens, Token, i);

      if (token->reference)
        g_string_append_printf (key, "${%s}", variable_names[token->name]);
      else if (token->byte == '$')
        g_string_append (key, "$$");
      else
        g_string_append_c (key, token->byte);
    }
  return g_string_free (key, FALSE);
}

static void
collect_path (const char *path,
              guint64     access,
              guint32     flags,
              gpointer    user_data)
{
  GHashTable *paths = user_data;

  if (g_hash_table_contains (paths, path))
    {
      fprintf (stderr, "the ruleset holds %s twice\n", path);
      abort ();
    }
  g_hash_table_insert (paths, g_strdup (path), g_memdup2 (&access, sizeof access));
}

static GHashTable *
ruleset_paths (LlRuleset *ruleset)
{
  GHashTable *paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  _ll_ruleset_foreach_path_rule (ruleset, collect_path, paths);
  return paths;
}

static gboolean
same_paths (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 *other = g_hash_table_lookup (b, key);

      if (other == NULL || *other != *(guint64 *) value)
        return FALSE;
    }
  return TRUE;
}

static void
print_paths (const char *what,
             GHashTable *paths)
{
  GHashTableIter iter;
  gpointer key, value;

  fprintf (stderr, "%s:\n", what);
  g_hash_table_iter_init (&iter, paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *escaped = g_strescape (key, NULL);

      fprintf (stderr, "  \"%s\" 0x%" G_GINT64_MODIFIER "x\n", escaped, *(guint64 *) value);
    }
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_initialize ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FuzzRecipe recipe = { data, size, 0 };
  RecipeDocument documents[MAX_DOCUMENTS];
  GString *texts[MAX_DOCUMENTS];
  const char *contents[MAX_DOCUMENTS];
  gssize lengths[MAX_DOCUMENTS];
  guint n_documents = 1 + fuzz_take (&recipe, MAX_DOCUMENTS);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *merged[N_NAMES] = { NULL, };
  gboolean declared[N_NAMES] = { FALSE, };
  gboolean broken = FALSE, undefined = FALSE;
  guint64 handled = G_MAXUINT64;
  guint64 total = 0, total_bytes = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  LlPolicyStage stage;
  FuzzCpuBudget budget;

  memset (documents, 0, sizeof documents);

  /* The documents, and what the oracle keeps of them. */
  for (guint d = 0; d < n_documents; d++)
    {
      RecipeDocument *doc = &documents[d];
      GString *out = g_string_new ("{");
      guint64 rules_access = 0;
      gboolean any = FALSE;

      doc->parents = g_ptr_array_new_with_free_func (parent_free);
      if (fuzz_take (&recipe, 2) != 0 || d == 0)
        {
          g_string_append (out, "\"variable\": [");
          for (guint v = 0, first = TRUE; v < N_NAMES; v++)
            {
              if (fuzz_take (&recipe, 3) == 0)
                continue;
              doc->declared[v] = TRUE;
              doc->values[v] = g_ptr_array_new_with_free_func (g_free);
              g_string_append_printf (out, "%s{\"name\": \"%s\"", first ? "" : ", ", variable_names[v]);
              first = FALSE;
              if (fuzz_take (&recipe, 5) != 0)
                {
                  g_string_append (out, ", \"literal\": [");
                  for (guint k = 0, n = 1 + fuzz_take (&recipe, 4); k < n; k++)
                    {
                      char *value = take_value (&recipe);

                      g_string_append_printf (out, "%s\"", k > 0 ? ", " : "");
                      append_json_text (out, value, strlen (value));
                      g_string_append_c (out, '"');
                      g_ptr_array_add (doc->values[v], value);
                    }
                  g_string_append_c (out, ']');
                }
              g_string_append_c (out, '}');
            }
          /* A variable list is never empty. */
          if (out->str[out->len - 1] == '[')
            {
              doc->declared[N_NAMES - 1] = TRUE;
              doc->values[N_NAMES - 1] = g_ptr_array_new_with_free_func (g_free);
              g_string_append_printf (out, "{\"name\": \"%s\"}", variable_names[N_NAMES - 1]);
            }
          g_string_append (out, "]");
          any = TRUE;
        }

      if (fuzz_take (&recipe, 3) != 0)
        {
          doc->handled = take_access (&recipe);
          g_string_append_printf (out, "%s\"ruleset\": [{\"handledAccessFs\": ", any ? ", " : "");
          append_rights (out, doc->handled);
          g_string_append (out, "}]");
          any = TRUE;
        }

      {
        guint n_items = fuzz_take (&recipe, 4);

        if (n_items > 0)
          {
            g_string_append_printf (out, "%s\"pathBeneath\": [", any ? ", " : "");
            for (guint i = 0; i < n_items; i++)
              {
                guint64 access = take_access (&recipe);

                g_string_append_printf (out, "%s{\"allowedAccess\": ", i > 0 ? ", " : "");
                append_rights (out, access);
                g_string_append (out, ", \"parent\": [");
                for (guint k = 0, n = 1 + fuzz_take (&recipe, 4); k < n; k++)
                  {
                    Parent *parent = g_new0 (Parent, 1);

                    parent->tokens = g_array_new (FALSE, FALSE, sizeof (Token));
                    parent->access = access;
                    g_string_append_printf (out, "%s\"", k > 0 ? ", " : "");
                    take_template (&recipe, parent, out);
                    g_string_append_c (out, '"');
                    broken |= parent->broken;
                    g_ptr_array_add (doc->parents, parent);
                  }
                g_string_append (out, "]}");
                rules_access |= access;
              }
            g_string_append (out, "]");
            any = TRUE;
          }
      }
      if (!any)
        g_string_append (out, "\"ruleset\": [{\"scoped\": [\"signal\"]}]");
      g_string_append (out, "}");

      /* A document handles what its rules grant. */
      handled &= doc->handled | rules_access;
      texts[d] = out;
      contents[d] = out->str;
      lengths[d] = out->len;
    }

  fuzz_cpu_budget_start (&budget);
  ruleset = _ll_policy_load (contents, lengths, NULL, n_documents, &stage, &error);
  fuzz_cpu_budget_check (&budget, "_ll_policy_load()");

  /* The oracle: variables merged, rules masked and deduplicated. */
  for (guint d = 0; d < n_documents; d++)
    for (guint v = 0; v < N_NAMES; v++)
      if (documents[d].declared[v])
        {
          if (merged[v] == NULL)
            merged[v] = g_ptr_array_new ();
          declared[v] = TRUE;
          for (guint k = 0; k < documents[d].values[v]->len; k++)
            {
              const char *value = g_ptr_array_index (documents[d].values[v], k);
              g_autofree char *key = g_strdup_printf ("%u:%s", v, value);

              if (!g_hash_table_contains (values, key))
                {
                  g_hash_table_add (values, g_steal_pointer (&key));
                  g_ptr_array_add (merged[v], (gpointer) value);
                }
            }
        }

  if (!broken)
    {
      g_autoptr(GHashTable) accesses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GHashTable) first_parent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer key, value;

      for (guint d = 0; d < n_documents; d++)
        for (guint p = 0; p < documents[d].parents->len; p++)
          {
            Parent *parent = g_ptr_array_index (documents[d].parents, p);
            guint64 access = parent->access & handled;
            char *template_key;
            guint64 *stored;

            if (access == 0)
              continue;
            template_key = token_key (parent->tokens);
            stored = g_hash_table_lookup (accesses, template_key);
            if (stored == NULL)
              {
                stored = g_new0 (guint64, 1);
                g_hash_table_insert (first_parent, g_strdup (template_key), parent);
                g_hash_table_insert (accesses, template_key, stored);
              }
            else
              g_free (template_key);
            *stored |= access;
          }

      /* Count first, as the bounds are defined. */
      g_hash_table_iter_init (&iter, accesses);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Parent *parent = g_hash_table_lookup (first_parent, key);
          guint64 count = parent->tokens->len > 0 ? 1 : 0;
          guint64 fixed = 0;

          for (guint t = 0; t < parent->tokens->len; t++)
            {
              const Token *token = &g_array_index (parent->tokens, Token, t);

              if (!token->reference)
                fixed++;
              else if (!declared[token->name])
                undefined = TRUE;
              else
                count = MIN (count * merged[token->name]->len, (guint64) G_MAXUINT32 + 1);
            }
          if (count == 0)
            continue;
          total += count;
          if (total <= LL_POLICY_MAX_RESOLVED_PATHS)
            {
              guint64 bytes = count * (fixed + 1);

              for (guint t = 0; t < parent->tokens->len; t++)
                {
                  const Token *token = &g_array_index (parent->tokens, Token, t);

                  if (token->reference && declared[token->name])
                    for (guint k = 0; k < merged[token->name]->len; k++)
                      bytes += strlen (g_ptr_array_index (merged[token->name], k)) *
                               (count / merged[token->name]->len);
                }
              total_bytes += bytes;
            }
        }

      /* Then build, when it is small enough. */
      if (!undefined && total <= LL_POLICY_MAX_RESOLVED_PATHS &&
          total_bytes <= LL_POLICY_MAX_RESOLVED_BYTES)
        {
          g_hash_table_iter_init (&iter, accesses);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              Parent *parent = g_hash_table_lookup (first_parent, key);
              guint n = parent->tokens->len;
              g_autofree guint *indices = g_new0 (guint, n + 1);
              gboolean empty = n == 0;

              for (guint t = 0; t < n; t++)
                {
                  const Token *token = &g_array_index (parent->tokens, Token, t);

                  if (token->reference && merged[token->name]->len == 0)
                    empty = TRUE;
                }
              while (!empty)
                {
                  g_autoptr(GString) path = g_string_new (NULL);
                  g_autofree char *normal = NULL;
                  gint t;

                  for (guint k = 0; k < n; k++)
                    {
                      const Token *token = &g_array_index (parent->tokens, Token, k);

                      if (token->reference)
                        g_string_append (path, g_ptr_array_index (merged[token->name], indices[k]));
                      else
                        g_string_append_c (path, token->byte);
                    }
                  normal = normalise (path->str, path->len);
                  if (normal[0] != '\0')
                    {
                      guint64 *stored = g_hash_table_lookup (expected, normal);

                      if (stored == NULL)
                        {
                          stored = g_new0 (guint64, 1);
                          g_hash_table_insert (expected, g_strdup (normal), stored);
                        }
                      *stored |= *(guint64 *) value;
                    }
                  for (t = (gint) n - 1; t >= 0; t--)
                    {
                      const Token *token = &g_array_index (parent->tokens, Token, t);

                      if (token->reference && ++indices[t] < merged[token->name]->len)
                        break;
                      indices[t] = 0;
                    }
                  if (t < 0)
                    break;
                }
            }
        }
    }

  /* LL_FUZZ_VERBOSE=1: what each input came to, to see what the corpus
   * reaches. */
  if (g_getenv ("LL_FUZZ_VERBOSE") != NULL)
    fprintf (stderr, "%u documents: %s, %u paths expected%s%s\n", n_documents,
                ruleset != NULL ? "accepted" : stage == LL_POLICY_STAGE_PARSE ? "rejected when parsing"
                                                                             : "rejected when resolving",
                g_hash_table_size (expected), undefined ? ", an undefined variable" : "",
                total > LL_POLICY_MAX_RESOLVED_PATHS || total_bytes > LL_POLICY_MAX_RESOLVED_BYTES
                  ? ", beyond the bounds" : "");

  if (ruleset == NULL)
    {
      g_assert (error != NULL);
      fuzz_check_message (error->message);
      if (!g_error_matches (error, LL_ERROR, LL_ERROR_POLICY))
        abort ();
      if (broken ? stage != LL_POLICY_STAGE_PARSE
                 : stage != LL_POLICY_STAGE_RESOLVE ||
                   !(undefined || total > LL_POLICY_MAX_RESOLVED_PATHS ||
                     total_bytes > LL_POLICY_MAX_RESOLVED_BYTES))
        {
          fprintf (stderr, "rejected at stage %d (broken %d, undefined %d, %" G_GUINT64_FORMAT
                      " paths, %" G_GUINT64_FORMAT " bytes): %s\n", stage, broken, undefined,
                      total, total_bytes, error->message);
          for (guint d = 0; d < n_documents; d++)
            fprintf (stderr, "%s\n", texts[d]->str);
          abort ();
        }
    }
  else
    {
      g_autoptr(GHashTable) paths = ruleset_paths (ruleset);
      g_autofree char *json = NULL;
      g_autoptr(LlRuleset) reparsed = NULL;
      g_autoptr(GHashTable) reparsed_paths = NULL;
      guint64 fs, net, scoped;

      if (broken || undefined || total > LL_POLICY_MAX_RESOLVED_PATHS ||
          total_bytes > LL_POLICY_MAX_RESOLVED_BYTES)
        {
          fprintf (stderr, "accepted (broken %d, undefined %d, %" G_GUINT64_FORMAT " paths, %"
                      G_GUINT64_FORMAT " bytes)\n", broken, undefined, total, total_bytes);
          for (guint d = 0; d < n_documents; d++)
            fprintf (stderr, "%s\n", texts[d]->str);
          abort ();
        }
      _ll_ruleset_get_handled_explicit (ruleset, &fs, &net, &scoped);
      if (fs != handled || !same_paths (paths, expected))
        {
          fprintf (stderr, "handled 0x%" G_GINT64_MODIFIER "x, expected 0x%" G_GINT64_MODIFIER "x\n",
                      fs, handled);
          print_paths ("got", paths);
          print_paths ("expected", expected);
          for (guint d = 0; d < n_documents; d++)
            fprintf (stderr, "%s\n", texts[d]->str);
          abort ();
        }

      /* The same bytes after ll_ruleset_to_json() and back. */
      json = ll_ruleset_to_json (ruleset);
      reparsed = ll_ruleset_new_from_data (json, -1, &error);
      if (reparsed == NULL)
        {
          fprintf (stderr, "to_json output rejected: %s\n%s\n", error->message, json);
          abort ();
        }
      reparsed_paths = ruleset_paths (reparsed);
      if (!same_paths (paths, reparsed_paths))
        {
          print_paths ("before to_json", paths);
          print_paths ("after", reparsed_paths);
          abort ();
        }
    }

  for (guint d = 0; d < n_documents; d++)
    {
      for (guint v = 0; v < N_NAMES; v++)
        if (documents[d].values[v] != NULL)
          g_ptr_array_unref (documents[d].values[v]);
      g_ptr_array_unref (documents[d].parents);
      g_string_free (texts[d], TRUE);
    }
  for (guint v = 0; v < N_NAMES; v++)
    if (merged[v] != NULL)
      g_ptr_array_unref (merged[v]);
  return 0;
}
