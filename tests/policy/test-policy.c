/* test-policy.c: policy files against the landlockconfig conformance data
 *
 * Every case of data/cases.json, each a test of its own under
 * /policy/conformance/ (valid ones compared as sets with their expected
 * ruleset, invalid ones rejected at the right stage), the
 * upstream examples, the composition golden file, round trips through
 * ll_ruleset_to_json(), messages, hostile documents, the extensions, and
 * real enforcement of a policy in a child.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "landlock-glib.h"
#include "ll-policy-private.h"
#include "ll-ruleset-private.h"
#include "ll-test-utils.h"

static const char * const fs_names[] = {
  "execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
  "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
  "make_sym", "refer", "truncate", "ioctl_dev", "resolve_unix", NULL,
};
static const char * const net_names[] = {
  "bind_tcp", "connect_tcp", "bind_udp", "connect_send_udp", NULL,
};
static const char * const scope_names[] = { "abstract_unix_socket", "signal", NULL };

static char *
data_path (const char *relative)
{
  return g_build_filename (LL_POLICY_DATA_DIR, relative, NULL);
}

static void
append_bits (GString            *out,
             const char * const *names,
             guint64             bits)
{
  gboolean first = TRUE;

  for (guint i = 0; names[i] != NULL; i++)
    if (bits & (G_GUINT64_CONSTANT (1) << i))
      {
        g_string_append_printf (out, "%s%s", first ? "" : ",", names[i]);
        first = FALSE;
      }
}

static guint64
bits_from_names (JsonArray          *array,
                 const char * const *names)
{
  guint64 bits = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);
      guint k;

      for (k = 0; names[k] != NULL; k++)
        if (strcmp (names[k], name) == 0)
          break;
      g_assert_nonnull (names[k]);
      bits |= G_GUINT64_CONSTANT (1) << k;
    }
  return bits;
}

/* A ruleset as sorted lines, so that two are compared as sets. */
typedef struct
{
  GHashTable *paths;          /* path -> guint64 */
  GHashTable *ports;          /* port + 1 -> guint64 */
} Rules;

static void
on_path_rule (const char *path, guint64 access, guint32 flags, gpointer user_data)
{
  Rules *rules = user_data;
  guint64 *stored = g_hash_table_lookup (rules->paths, path);

  if (stored == NULL)
    {
      stored = g_new0 (guint64, 1);
      g_hash_table_insert (rules->paths, g_strdup (path), stored);
    }
  *stored |= access;
}

static void
on_net_rule (guint16 port, guint64 access, guint32 flags, gpointer user_data)
{
  Rules *rules = user_data;
  gpointer key = GUINT_TO_POINTER ((guint) port + 1);
  guint64 *stored = g_hash_table_lookup (rules->ports, key);

  if (stored == NULL)
    {
      stored = g_new0 (guint64, 1);
      g_hash_table_insert (rules->ports, key, stored);
    }
  *stored |= access;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
canonical (guint64     fs,
           guint64     net,
           guint64     scoped,
           GHashTable *paths,
           GHashTable *ports)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_string_append (out, "fs=");
  append_bits (out, fs_names, fs);
  g_string_append (out, "\nnet=");
  append_bits (out, net_names, net);
  g_string_append (out, "\nscoped=");
  append_bits (out, scope_names, scoped);
  g_string_append_c (out, '\n');

  g_hash_table_iter_init (&iter, paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "path %s=", (const char *) key);
      append_bits (line, fs_names, *(guint64 *) value);
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  g_hash_table_iter_init (&iter, ports);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "port %u=", GPOINTER_TO_UINT (key) - 1);
      append_bits (line, net_names, *(guint64 *) value);
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static char *
canonical_ruleset (LlRuleset *ruleset)
{
  Rules rules = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_hash_table_new_full (NULL, NULL, NULL, g_free),
  };
  guint64 fs, net, scoped;
  char *text;

  g_assert_true (_ll_ruleset_get_handled_explicit (ruleset, &fs, &net, &scoped));
  _ll_ruleset_foreach_path_rule (ruleset, on_path_rule, &rules);
  _ll_ruleset_foreach_net_rule (ruleset, on_net_rule, &rules);
  text = canonical (fs, net, scoped, rules.paths, rules.ports);
  g_hash_table_unref (rules.paths);
  g_hash_table_unref (rules.ports);
  return text;
}

/* @out_big_ports: whether the expectation has ports above 65535, which an
 * LlRuleset keeps as a problem for apply() rather than as a rule. */
static char *
canonical_expect (JsonObject *expect,
                  gboolean   *out_big_ports)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) ports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  JsonArray *array;

  *out_big_ports = FALSE;
  array = json_object_get_array_member (expect, "path_beneath");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *rule = json_array_get_object_element (array, i);
      guint64 *access = g_new (guint64, 1);

      *access = bits_from_names (json_object_get_array_member (rule, "allowed_access"), fs_names);
      g_hash_table_insert (paths,
                           g_strdup (json_array_get_string_element (json_object_get_array_member (rule, "parent"), 0)),
                           access);
    }
  array = json_object_get_array_member (expect, "net_port");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *rule = json_array_get_object_element (array, i);
      gint64 port = json_array_get_int_element (json_object_get_array_member (rule, "port"), 0);
      guint64 *access;

      if (port > G_MAXUINT16)
        {
          *out_big_ports = TRUE;
          continue;
        }
      access = g_new (guint64, 1);
      *access = bits_from_names (json_object_get_array_member (rule, "allowed_access"), net_names);
      g_hash_table_insert (ports, GUINT_TO_POINTER ((guint) port + 1), access);
    }
  return canonical (bits_from_names (json_object_get_array_member (expect, "handled_access_fs"), fs_names),
                    bits_from_names (json_object_get_array_member (expect, "handled_access_net"), net_names),
                    bits_from_names (json_object_get_array_member (expect, "scoped"), scope_names),
                    paths, ports);
}

static LlRuleset *
load_case (JsonObject     *test_case,
           LlPolicyStage  *stage,
           GError        **error)
{
  JsonNode *input = json_object_get_member (test_case, "input");
  g_autoptr(GPtrArray) documents = g_ptr_array_new ();

  if (JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *array = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (documents, (gpointer) json_array_get_string_element (array, i));
    }
  else
    g_ptr_array_add (documents, (gpointer) json_node_get_string (input));

  return _ll_policy_load ((const char * const *) documents->pdata, NULL, NULL,
                          documents->len, stage, error);
}

static JsonArray *
load_cases (JsonParser *parser)
{
  g_autofree char *path = data_path ("cases.json");
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

/* Returns NULL if the case passes, or why it does not. */
static char *
run_case (JsonObject *test_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  LlPolicyStage stage;
  gboolean valid = json_object_get_boolean_member (test_case, "valid");

  ruleset = load_case (test_case, &stage, &error);
  if (!valid)
    {
      const char *expected_stage = json_object_get_string_member (test_case, "stage");

      if (ruleset != NULL)
        return g_strdup ("accepted, but the case is invalid");
      if (!g_error_matches (error, LL_ERROR, LL_ERROR_POLICY))
        return g_strdup_printf ("rejected with the wrong error: %s", error->message);
      if ((strcmp (expected_stage, "parse") == 0) != (stage == LL_POLICY_STAGE_PARSE) ||
          (strcmp (expected_stage, "resolve") == 0) != (stage == LL_POLICY_STAGE_RESOLVE))
        return g_strdup_printf ("rejected at the wrong stage (expected %s): %s",
                                expected_stage, error->message);
      return NULL;
    }

  if (ruleset == NULL)
    return g_strdup_printf ("rejected: %s", error->message);

  {
    gboolean big_ports;
    g_autofree char *expected = canonical_expect (json_object_get_object_member (test_case, "expect"), &big_ports);
    g_autofree char *got = canonical_ruleset (ruleset);
    g_autofree char *json = NULL;
    g_autoptr(LlRuleset) reparsed = NULL;
    g_autofree char *again = NULL;

    if (strcmp (expected, got) != 0)
      return g_strdup_printf ("expected\n%sgot\n%s", expected, got);

    /* A port above 65535 passes parsing and resolution, and fails when
     * the ruleset is built, as in the reference. */
    if (big_ports)
      {
        g_autoptr(GError) check_error = NULL;

        if (ll_ruleset_check (ruleset, &check_error) ||
            !g_error_matches (check_error, LL_ERROR, LL_ERROR_INVALID))
          return g_strdup ("a port above 65535 was not reported by ll_ruleset_check()");
        return NULL;
      }

    /* The normalised policy means the same. */
    json = ll_ruleset_to_json (ruleset);
    reparsed = ll_ruleset_new_from_data (json, -1, &error);
    if (reparsed == NULL)
      return g_strdup_printf ("ll_ruleset_to_json() gave a rejected document: %s\n%s",
                              error->message, json);
    again = canonical_ruleset (reparsed);
    if (strcmp (again, got) != 0)
      return g_strdup_printf ("the round trip through JSON changed the ruleset:\n%s\n%s", json, again);
  }
  return NULL;
}

/* /policy/conformance/CATEGORY/CASE: one test per case of data/cases.json,
 * registered from the file at startup, so that a failing case can be rerun
 * alone, for instance:
 *
 *   _build/tests/policy/test-policy -p /policy/conformance/parser/empty_net_port
 *   _build/tests/policy/test-policy -p /policy/conformance/compose/compose_scope:json1_idempotent
 *
 * -l lists them all, -p /policy/conformance/compose runs one category and
 * -r /policy/conformance every case. A case named "CATEGORY/REST" is
 * /policy/conformance/CATEGORY/REST with each "/" of REST written ":" (a
 * case such as "compose/compose_scope" has variants such as
 * "compose/compose_scope/reversed", and -p also runs the tests one level
 * beneath its path), and every byte but [A-Za-z0-9_.-] written %XX:
 * "variable/invalid_name_used/'foo bar'" is
 * /policy/conformance/variable/invalid_name_used:%27foo%20bar%27.
 *
 * A failing case stops the program, as any failed GTest assertion does;
 * -k (--keep-going) goes on and reports every failing case in one run. */

static JsonParser *conformance_parser;

static void
append_path_byte (GString *path,
                  guchar   c)
{
  if (g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-')
    g_string_append_c (path, c);
  else
    g_string_append_printf (path, "%%%02X", c);
}

static char *
conformance_path (const char *name)
{
  GString *path = g_string_new ("/policy/conformance/");
  const char *category_end = strchr (name, '/');

  /* A category only when there is text on both sides of the slash. */
  if (category_end == name || (category_end != NULL && category_end[1] == '\0'))
    category_end = NULL;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (p == category_end)
        g_string_append_c (path, '/');
      else if (*p == '/')
        g_string_append_c (path, ':');
      else
        append_path_byte (path, (guchar) *p);
    }
  return g_string_free (path, FALSE);
}

static void
test_conformance_case (gconstpointer data)
{
  JsonObject *test_case = (JsonObject *) data;
  g_autofree char *failure = run_case (test_case);

  if (failure != NULL)
    {
      g_test_message ("FAIL %s: %s", json_object_get_string_member (test_case, "name"), failure);
      g_test_fail ();
    }
}

/* Registers one test per case, and returns how many. */
static guint
add_conformance_tests (void)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  JsonArray *cases;
  guint n_cases;

  conformance_parser = json_parser_new ();
  cases = load_cases (conformance_parser);
  n_cases = json_array_get_length (cases);
  for (guint i = 0; i < n_cases; i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);
      char *path = conformance_path (json_object_get_string_member (test_case, "name"));

      if (g_hash_table_contains (paths, path))
        g_error ("two conformance cases have the test path %s", path);
      g_hash_table_add (paths, path);
      g_test_add_data_func (path, test_case, test_conformance_case);
    }

  /* One path, one case: no path is the prefix of another's, which -p
   * would run as well. */
  g_hash_table_iter_init (&iter, paths);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *prefix = g_strdup (key);
      char *slash;

      while ((slash = strrchr (prefix, '/')) != NULL && slash != prefix)
        {
          *slash = '\0';
          if (g_hash_table_contains (paths, prefix))
            g_error ("the conformance test path %s is beneath another case's, %s",
                     (const char *) key, prefix);
        }
    }

  g_assert_cmpuint (g_hash_table_size (paths), ==, n_cases);
  return n_cases;
}

static void
test_examples (void)
{
  const char *examples[] = { "mini-scoped.json", "mini-write-tmp.json", "verbose-write-tmp.json" };

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *relative = g_build_filename ("examples", examples[i], NULL);
      g_autofree char *path = data_path (relative);
      g_autoptr(GError) error = NULL;
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_file (path, &error);

      g_assert_no_error (error);
      g_assert_nonnull (ruleset);
      g_assert_true (ll_ruleset_check (ruleset, NULL));
    }
}

/* The handled sets and rules of the reference's Debug output. */
static char *
parse_golden (const char *text)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint64 handled[3] = { 0 };
  guint n_handled = 0;
  char *current_path = NULL;

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      const char *bits = g_str_has_prefix (line, "bits: 0b") ? line + strlen ("bits: 0b") : NULL;

      if (g_str_has_prefix (line, "\"") && strstr (line, "\": BitFlags<AccessFs>") != NULL)
        {
          g_free (current_path);
          current_path = g_strndup (line + 1, strstr (line, "\": ") - line - 1);
          continue;
        }
      if (bits == NULL)
        continue;
      {
        guint64 value = g_ascii_strtoull (bits, NULL, 2);

        if (n_handled < 3)
          handled[n_handled++] = value;
        else if (current_path != NULL)
          {
            guint64 *access = g_new (guint64, 1);

            *access = value;
            g_hash_table_insert (paths, current_path, access);
            current_path = NULL;
          }
      }
    }
  g_free (current_path);
  return canonical (handled[0], handled[1], handled[2], paths, ports);
}

static void
test_composition_golden (void)
{
  g_autofree char *golden_path = data_path ("tests/composition/golden-debug.txt");
  g_autofree char *s_path = data_path ("tests/composition/s.json");
  g_autofree char *s1_path = data_path ("tests/composition/source/s1.json");
  g_autofree char *golden_text = NULL;
  g_autofree char *golden = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *s2_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *cases = load_cases (parser);
  const char *s2 = NULL;

  g_assert_true (g_file_get_contents (golden_path, &golden_text, NULL, NULL));
  golden = parse_golden (golden_text);
  g_assert_nonnull (strstr (golden, "path /home/user/tmp="));

  /* Upstream has s2 only as TOML; cases.json carries its transliteration. */
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);

      if (strcmp (json_object_get_string_member (test_case, "name"), "composition/s1.json+s2") == 0)
        s2 = json_array_get_string_element (json_object_get_array_member (test_case, "input"), 1);
    }
  g_assert_nonnull (s2);
  tmpdir = g_dir_make_tmp ("ll-policy-XXXXXX", NULL);
  s2_path = g_build_filename (tmpdir, "s2.json", NULL);
  g_assert_true (g_file_set_contents (s2_path, s2, -1, NULL));

  {
    const char *alone[] = { s_path, NULL };
    const char *pair[] = { s1_path, s2_path, NULL };
    const char *reversed[] = { s2_path, s1_path, NULL };
    const char *three[] = { s1_path, s2_path, s_path, NULL };
    const char * const *sets[] = { alone, pair, reversed, three };

    for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_files (sets[i], &error);
        g_autofree char *got = NULL;

        g_assert_no_error (error);
        got = canonical_ruleset (ruleset);
        g_assert_cmpstr (got, ==, golden);
      }
  }

  g_unlink (s2_path);
  g_rmdir (tmpdir);
}

static void
assert_policy_error (const char *document,
                     const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_data (document, -1, &error);

  g_assert_null (ruleset);
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" is not in the message: %s", fragment, error->message);
}

static void
test_messages (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("ll-policy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "viewer.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  const char *document =
    "{\n"
    "  \"pathBeneath\": [\n"
    "    { \"allowedAccess\": [ \"read_dir\" ], \"parent\": [ \"/usr\" ] },\n"
    "    {\n"
    "      \"allowedAccess\": [\n"
    "        \"read_files\"\n"
    "      ],\n"
    "      \"parent\": [ \"/etc\" ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

  /* File, line, column, JSON path, what, and a suggestion. */
  g_assert_true (g_file_set_contents (path, document, -1, NULL));
  ruleset = ll_ruleset_new_from_file (path, &error);
  g_assert_null (ruleset);
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, ":6:9: pathBeneath[1].allowedAccess[0]: "));
  g_assert_nonnull (strstr (error->message, "unknown filesystem access right 'read_files'"));
  g_assert_nonnull (strstr (error->message, "did you mean 'read_file'?"));
  g_unlink (path);
  g_rmdir (tmpdir);
  g_clear_error (&error);

  assert_policy_error ("{\"ruleset\": [{\"handledAccessFs\": [\"bind_tcp\"]}]}",
                       "it is a network access right");
  assert_policy_error ("{\"ruleset\": [{\"handledAccessFS\": [\"execute\"]}]}",
                       "did you mean 'handledAccessFs'?");
  assert_policy_error ("{\n  \"abi\": 1,\n  \"abi\": 2,\n  \"ruleset\": [{\"scoped\": [\"signal\"]}]}",
                       "duplicate field 'abi'");
  assert_policy_error ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"${nope}\"]}]}",
                       "<data>:1:60: pathBeneath[0].parent[0]: variable 'nope' not found");
  assert_policy_error ("{\"ruleset\": [{\"handledAccessFs\": [\"abi.all\"]}]}",
                       "without a top-level 'abi'");
  assert_policy_error ("{\"ruleset\": [{\"handledAccessFs\": [\"execute\"],}]}",
                       "<data>:1:");
  assert_policy_error ("", "JSON syntax error");

  g_assert_null (ll_ruleset_new_from_file ("/nonexistent/policy.json", &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
}

/* Fails unless @message is UTF-8 without a character that could drive a
 * terminal, break a line or reorder the text (ll-quote.c). */
static void
assert_printable (const char *message)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *c = message; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029 ||
          (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) ||
          u == 0x200e || u == 0x200f || u == 0x061c)
        {
          g_autofree char *escaped = g_strescape (message, NULL);

          g_error ("U+%04X reaches the message: %s", u, escaped);
        }
    }
}

static void
assert_printable_error (const char *document,
                        const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_data (document, -1, &error);

  g_assert_null (ruleset);
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  assert_printable (error->message);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" is not in the message: %s", fragment, error->message);
}

/* Whatever a document or a file name holds, a message quotes it escaped:
 * an escape sequence, a line break or an override would reach stderr
 * raw, and could retitle the terminal or forge a line. */
static void
test_messages_controls (void)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("ll-policy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "po\nlicy\x1b[2J\xff.json", NULL);
  g_autoptr(GError) error = NULL;

  assert_printable_error ("{\"\\u001b]0;x\\u0007\": 1}",
                          "unknown field '\\u001b]0;x\\u0007' (top-level)");
  assert_printable_error ("{\"ruleset\": [{\"handledAccessFs\": [\"read\\u009b31m\\u202e\\u2028\\u0085\\u007f\"]}]}",
                          "'read\\u009b31m\\u202e\\u2028\\u0085\\u007f'");
  assert_printable_error ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], "
                          "\"parent\": [\"/a\\nlandlock-run: forged\\r\\t${nope}\"]}]}",
                          "template '/a\\nlandlock-run: forged\\r\\t${nope}'");
  assert_printable_error ("{\"\\u001b\" 1}", "after the member name '\\u001b'");

  /* A cut message is still cut on a character, and escaped. */
  {
    g_autoptr(GString) document = g_string_new ("{\"");

    for (guint i = 0; i < 5000; i++)
      g_string_append (document, "\\u001b\xc3\xa9");
    g_string_append (document, "\": 1}");
    assert_printable_error (document->str, "…");
  }

  g_assert_true (g_file_set_contents (path, "{\"abi\": 0}", -1, NULL));
  g_assert_null (ll_ruleset_new_from_file (path, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  assert_printable (error->message);
  g_assert_nonnull (strstr (error->message, "po\\nlicy\\u001b[2J\\xff.json:1:9: abi: "));
  g_clear_error (&error);
  g_unlink (path);
  g_rmdir (tmpdir);

  g_assert_null (ll_ruleset_new_from_file ("/nonexistent/a\nb\x1b.json", &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  assert_printable (error->message);
}

/* What json-glib 1.6 accepts and JSON (and the reference) does not. */
static void
test_strict_json (void)
{
  const char *documents[] = {
    "/* comment */ {\"ruleset\": [{\"scoped\": [\"signal\"]}]}",
    "{\"ruleset\": [{'scoped': [\"signal\"]}]}",
    "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [0x10]}]}",
    "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [99999999999999999999]}]}",
    "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [01]}]}",
    "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [.5]}]}",
    "var policy = {\"ruleset\": [{\"scoped\": [\"signal\"]}]};",
    "{\"ruleset\": [{\"scoped\": [\"signal\"]}]} {}",
    "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"a\nb\"]}]}",
    "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"\\ud800\"]}]}",
    "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"\\u0000\"]}]}",
    "{\"ruleset\": [{\"scoped\": [\"signal\"]}], \"\": 1}",
    "   ",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_data (documents[i], -1, &error);

      if (ruleset != NULL)
        g_error ("accepted: %s", documents[i]);
      g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
    }

  /* NUL bytes and invalid UTF-8 */
  {
    const char nul[] = "{\"ruleset\": [{\"scoped\": [\"signal\"]}]}\0";
    const char latin1[] = "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"\xe9\"]}]}";
    g_autoptr(GError) error = NULL;

    g_assert_null (ll_ruleset_new_from_data (nul, sizeof nul, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
    g_clear_error (&error);
    g_assert_null (ll_ruleset_new_from_data (latin1, -1, &error));
    g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  }
}

/* The library reads JSON itself (ll-json.c): the structure errors that
 * json-glib used to find, with the place of each, and every escape. */
static void
test_json_reader (void)
{
  static const struct
  {
    const char *document;
    const char *message;
  } cases[] = {
    { "{\"ruleset\" [1]}", "<data>:1:12: JSON syntax error: expected ':' after the member name 'ruleset', found '['" },
    { "[1 2]", "<data>:1:4: JSON syntax error: expected ',' or ']' after an array element, found '2'" },
    { "{\"ruleset\": [{\"scoped\": [\"signal\"]}],\n}", "<data>:2:1: JSON syntax error: trailing comma before '}'" },
    { "{\"ruleset\": [{\"scoped\": [\"signal\",]}]}", "<data>:1:35: JSON syntax error: trailing comma before ']'" },
    { "{1: 2}", "<data>:1:2: JSON syntax error: expected a member name in double quotes, found '1'" },
    { "{\"a\":}", "<data>:1:6: JSON syntax error: expected a value, found '}'" },
    { "]", "<data>:1:1: JSON syntax error: expected a value, found ']'" },
    { "{\"a\": 1 \"b\": 2}", "<data>:1:9: JSON syntax error: expected ',' or '}' after an object member, found '\"'" },
    { "{\"a\": [1, 2", "<data>:1:12: JSON syntax error: expected ',' or ']' after an array element, found the end of the document" },
    { "{\"a\": tru}", "<data>:1:7: JSON syntax error: unexpected character 't'" },
    { "{\"a\": \"\\x\"}", "<data>:1:8: JSON syntax error: invalid escape in a string" },
    { "{\"a\": \"\\udc00\"}", "<data>:1:8: JSON syntax error: lone trailing surrogate" },
    { "{\"a\": \"\\ud800\\u0041\"}", "<data>:1:8: JSON syntax error: lone leading surrogate" },
    { "{\"a\": \"\\u12\"}", "<data>:1:8: JSON syntax error: invalid \\u escape" },
    { "{\"a\": \"caf\xc3\xa9\" x}", "<data>:1:14: JSON syntax error: expected ',' or '}'" },
    { "{\"a\": 1 \xc3\xa9}", "<data>:1:9: JSON syntax error: expected ',' or '}' after an object member, found byte 0xc3" },
    { "{\"a\": \"open", "<data>:1:7: JSON syntax error: unterminated string" },
    { "{\"a\": \"\\ud800\\uzzzz\"}", "<data>:1:8: JSON syntax error: invalid \\u escape" },
    { "{\"a\": -}", "<data>:1:7: JSON syntax error: invalid number" },
    { "{\"a\": 1.}", "<data>:1:7: JSON syntax error: invalid number" },
    { "{\"a\": 1e}", "<data>:1:7: JSON syntax error: invalid number" },
    { "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [8e1]}]}",
      "<data>:1:55: netPort[0].port[0]: invalid type: a port must be a non-negative integer, found a floating-point number" },
    { "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [-1E+2]}]}",
      "found a floating-point number" },
    { "{\n\n  \"a\": \"\xff\"}", "<data>:3:9: the document is not valid UTF-8" },
    { "{\n  \"abi\": 1,\n  \"abi\": 2,\n  \"ruleset\": [{\"scoped\": [\"signal\"]}]}", "<data>:3:3: duplicate field 'abi' (top-level)" },
    { "{\"variable\": [{\"name\": \"a\", \"name\": \"b\"}]}", "<data>:1:29: variable[0]: duplicate field 'name' (variable)" },
  };
  /* Every escape, a pair of surrogates, and a character written as is. */
  const char *escapes =
    "{\"abi\": 1, \"pathBeneath\": [{\"allowedAccess\": [\"read_file\"], \"parent\": "
    "[\"\\/u\\u0073r\", \"/q\\\"\\\\\\b\\f\\n\\r\\t\", \"/\\ud83d\\ude00\", \"/caf\xc3\xa9\"]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_policy_error (cases[i].document, cases[i].message);

  ruleset = ll_ruleset_new_from_data (escapes, -1, &error);
  g_assert_no_error (error);
  text = canonical_ruleset (ruleset);
  g_assert_cmpstr (text, ==,
                   "fs=read_file\nnet=\nscoped=\n"
                   "path /caf\xc3\xa9=read_file\n"
                   "path /q\"\\\b\f\n\r\t=read_file\n"
                   "path /usr=read_file\n"
                   "path /\xf0\x9f\x98\x80=read_file\n");
}

/* A document in a GBytes, which need not be a valid string; and one
 * compiled into the program (test-policy.gresource.xml). */
static void
test_bytes_and_resources (void)
{
  static const char nul[] = "{\"ruleset\": [{\"scoped\": [\"signal\"]}]}\n\0";
  static const char viewer[] = "fs=read_file,read_dir\nnet=\nscoped=\npath /usr/share=read_file,read_dir\n";
  g_autoptr(GBytes) good = g_bytes_new_static ("{\"ruleset\": [{\"scoped\": [\"signal\"]}]}", 37);
  g_autoptr(GBytes) with_nul = g_bytes_new_static (nul, sizeof nul - 1);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autofree char *text = NULL;

  ruleset = ll_ruleset_new_from_bytes (good, &error);
  g_assert_no_error (error);
  /* As the document asks, whatever this kernel has (the public getter
   * shows what the running kernel can restrict). */
  g_clear_pointer (&text, g_free);
  text = canonical_ruleset (ruleset);
  g_assert_cmpstr (text, ==, "fs=\nnet=\nscoped=signal\n");
  g_clear_pointer (&text, g_free);
  g_clear_object (&ruleset);

  g_assert_null (ll_ruleset_new_from_bytes (with_nul, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_cmpstr (error->message, ==, "<data>:2:1: the document holds a NUL byte, which JSON does not allow");
  g_clear_error (&error);

  g_assert_null (ll_ruleset_new_from_bytes (empty, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "the document ends before its value does"));
  g_clear_error (&error);

  ruleset = ll_ruleset_new_from_resource ("/org/gnome/LandlockGlib/Tests/viewer.json", &error);
  g_assert_no_error (error);
  text = canonical_ruleset (ruleset);
  g_assert_cmpstr (text, ==, viewer);

  /* Messages name the resource by its URI. */
  g_assert_null (ll_ruleset_new_from_resource ("/org/gnome/LandlockGlib/Tests/broken.json", &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_true (g_str_has_prefix (error->message,
                                   "resource:///org/gnome/LandlockGlib/Tests/broken.json:2:39: "
                                   "ruleset[0].handledAccessFs[0]: unknown filesystem access right "
                                   "'read_files'"));
  g_clear_error (&error);

  g_assert_null (ll_ruleset_new_from_resource ("/org/gnome/LandlockGlib/Tests/missing.json", &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_true (g_str_has_prefix (error->message, "Cannot read the policy resource: "));
  g_assert_nonnull (strstr (error->message, "/org/gnome/LandlockGlib/Tests/missing.json"));
}

static void
test_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  GString *document;
  gint64 start;

  /* 10 MB of nested arrays: refused at once, without recursion. */
  document = g_string_sized_new (10 * 1024 * 1024 + 1);
  for (gsize i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (document, '[');
  start = g_get_monotonic_time ();
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "nesting"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_string_free (document, TRUE);

  /* 10 MB of nested objects, the same. */
  document = g_string_sized_new (10 * 1024 * 1024 + 8);
  while (document->len < 10 * 1024 * 1024)
    g_string_append (document, "{\"a\":");
  start = g_get_monotonic_time ();
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "nesting"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_string_free (document, TRUE);

  /* 10 MB of invalid UTF-8 in a string, and 10 MB of NUL bytes. */
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"");
  while (document->len < 10 * 1024 * 1024)
    g_string_append (document, "\xff\xc0\xaf\xed\xa0\x80");
  g_string_append (document, "\"]}]}");
  start = g_get_monotonic_time ();
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
  memset (document->str, 0, document->len);
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_string_free (document, TRUE);

  /* Few paths, but each huge: bounded in bytes as well as in count. */
  document = g_string_new ("{\"variable\": [{\"name\": \"a\", \"literal\": [\"");
  for (guint i = 0; i < 60000; i++)
    g_string_append_c (document, 'a');
  g_string_append (document, "\"]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < 1000; i++)
    g_string_append (document, "${a}");
  g_string_append (document, "\"]}]}");
  start = g_get_monotonic_time ();
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "MiB of paths"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);
  g_string_free (document, TRUE);

  /* 30 000 variables (120 000 JSON values: the most a document holds is
   * 131072) */
  document = g_string_new ("{\"variable\": [");
  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (document, "%s{\"name\": \"v%u\", \"literal\": [\"/x%u\"]}", i ? "," : "", i, i);
  g_string_append (document, "], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"${v29999}\"]}]}");
  start = g_get_monotonic_time ();
  ruleset = ll_ruleset_new_from_data (document->str, document->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ruleset);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_clear_object (&ruleset);
  g_string_free (document, TRUE);

  /* An explosion: 20 values referenced 5 times is 3.2 million paths. */
  document = g_string_new ("{\"variable\": [{\"name\": \"a\", \"literal\": [");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (document, "%s\"%u\"", i ? "," : "", i);
  g_string_append (document, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], "
                             "\"parent\": [\"/${a}/${a}/${a}/${a}/${a}\"]}]}");
  start = g_get_monotonic_time ();
  g_assert_null (ll_ruleset_new_from_data (document->str, document->len, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
  g_assert_nonnull (strstr (error->message, "more than 65536 paths"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);
  g_string_free (document, TRUE);

  /* A long template of lone dollars stays linear. */
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (document, "a$");
  g_string_append (document, "\"]}]}");
  start = g_get_monotonic_time ();
  ruleset = ll_ruleset_new_from_data (document->str, document->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_object (&ruleset);
  g_string_free (document, TRUE);
}

/* Bounds: every document up to 16 MiB is accepted or rejected within 1 s
 * (of CPU time: wall-clock time is the machine's load as much as the
 * parser) and 64 MiB above its own size. Each shape is one that cost the parser
 * most for its size (bench/bench-policy.c prints the same, as a table);
 * each took seconds, hundreds of megabytes or both before the parser was
 * made linear. */

static gint64
status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  return line != NULL ? g_ascii_strtoll (line + strlen (key), NULL, 10) : -1;
}

/* CPU time of this process, in microseconds: what the parser costs,
 * which a loaded machine (a CI runner, virtual machines beside) does not
 * stretch as it stretches wall-clock time. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The bound on CPU time holds on a real machine. Under emulation (the
 * kernels of tests/kernels run under QEMU's TCG) every instruction costs
 * several, and the runner says how many through
 * LL_TEST_TIMEOUT_MULTIPLIER, as for every other time limit of the tests. */
static gint64
cpu_bound_us (void)
{
  const char *multiplier = g_getenv ("LL_TEST_TIMEOUT_MULTIPLIER");
  double factor = multiplier != NULL ? g_ascii_strtod (multiplier, NULL) : 1.0;

#ifdef __SANITIZE_ADDRESS__
  /* AddressSanitizer's checks cost 3 to 5 times the CPU (0.85 s against
   * 0.28 s for the 16 MiB parent below): the bound is the parser's. */
  factor *= 5;
#endif
  return (gint64) (G_USEC_PER_SEC * MAX (factor, 1.0));
}

/* Resets the peak RSS to the current RSS; FALSE if the kernel cannot. */
static gboolean
reset_peak (void)
{
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  gboolean done;

  if (fd < 0)
    return FALSE;
  done = write (fd, "5", 1) == 1;
  close (fd);
  return done;
}

/* Loads @document (freed here), and fails unless it is accepted or
 * rejected (as @accept says) within the bounds. */
static void
assert_within_bounds (const char *what,
                      GString    *document,
                      gboolean    accept,
                      const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  gboolean measured = reset_peak ();
  gint64 rss = status_kb ("VmRSS:");
  gint64 start = g_get_monotonic_time ();
  gint64 cpu_start = cpu_time_us ();
  gint64 elapsed, cpu, grown_kb;

  ruleset = ll_ruleset_new_from_data (document->str, document->len, &error);
  elapsed = g_get_monotonic_time () - start;
  cpu = cpu_time_us () - cpu_start;
  grown_kb = status_kb ("VmHWM:") - rss;
#ifdef __SANITIZE_ADDRESS__
  /* AddressSanitizer's own memory (redzones around every allocation, the
   * quarantine of freed ones) is most of the peak there: the bound is on
   * the parser's, checked in the other builds. */
  measured = FALSE;
#endif
  g_test_message ("%s: %.2f MiB, %.3f s (%.3f s of CPU), %.1f MiB above it%s: %s", what,
                  document->len / (1024.0 * 1024.0), elapsed / (double) G_USEC_PER_SEC,
                  cpu / (double) G_USEC_PER_SEC, grown_kb / 1024.0,
                  measured ? "" : " (peak not measured)",
                  error != NULL ? error->message : "accepted");
  g_string_free (document, TRUE);

  if (accept)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
      if (strstr (error->message, fragment) == NULL)
        g_error ("%s: \"%s\" is not in the message: %s", what, fragment, error->message);
    }
  g_assert_cmpint (cpu, <, cpu_bound_us ());
  if (measured)
    g_assert_cmpint (grown_kb, <, 64 * 1024);
}

static void
test_bounds (void)
{
  GString *document;

  /* Finding 1 of the review: one variable of 5000 values, one parent of
   * 5000 references to it. Every reference used to gather and sort all
   * the values before the count was checked: 3.6 s and 209 MiB (61 s and
   * 3 GB for 20 000). */
  document = g_string_new ("{\"variable\": [{\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (document, "%s\"/x%u\"", i > 0 ? "," : "", i);
  g_string_append (document, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"");
  for (guint i = 0; i < 5000; i++)
    g_string_append (document, "${v}");
  g_string_append (document, "\"]}]}");
  assert_within_bounds ("one parent of 5000 references", document, FALSE, "more than 65536 paths");

  /* 5000 parents with a variable of 5000 values and an empty one: no path,
   * so no bound stopped it; each parent gathered and sorted the values. */
  document = g_string_new ("{\"variable\": [{\"name\": \"e\"}, {\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (document, "%s\"%u\"", i > 0 ? "," : "", i);
  g_string_append (document, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (document, "%s\"/${v}${e}%u\"", i > 0 ? "," : "", i);
  g_string_append (document, "]}]}");
  assert_within_bounds ("5000 empty products", document, TRUE, NULL);

  /* A value of 200 kB referenced 50 000 times: its length was measured
   * again for each reference. */
  document = g_string_new ("{\"variable\": [{\"name\": \"v\", \"literal\": [\"");
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (document, 'a');
  g_string_append (document, "\"]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < 50000; i++)
    g_string_append (document, "${v}");
  g_string_append (document, "\"]}]}");
  assert_within_bounds ("a long value, many references", document, FALSE, "MiB of paths");

  /* 100 000 references to an empty value and 12 to a variable of two:
   * 4096 short paths, each of which was built from every piece. */
  document = g_string_new ("{\"variable\": [{\"name\": \"e\", \"literal\": [\"\"]}, "
                           "{\"name\": \"w\", \"literal\": [\"a\", \"b\"]}], "
                           "\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < 12; i++)
    g_string_append (document, "${w}");
  for (guint i = 0; i < 100000; i++)
    g_string_append (document, "${e}");
  g_string_append (document, "\"]}]}");
  assert_within_bounds ("many references to an empty value", document, TRUE, NULL);

  /* 16 MiB of small numbers: a tree node of 48 bytes and more each. */
  document = g_string_new ("{\"x\": [0");
  while (document->len < 16 * 1024 * 1024 - 8)
    g_string_append (document, ",0");
  g_string_append (document, "]}");
  assert_within_bounds ("16 MiB of numbers", document, FALSE, "more than 131072 JSON values");

  /* One parent of 16 MiB: copied as parts, key, text, path. */
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  while (document->len < 16 * 1024 * 1024 - 64)
    g_string_append (document, "aaaaaaaaaaaaaaa/");
  g_string_append (document, "\"]}]}");
  assert_within_bounds ("one parent of 16 MiB", document, TRUE, NULL);

  /* 131000 parents of 120 bytes: as many templates as a document holds. */
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [");
  for (guint i = 0; i < 131000; i++)
    g_string_append_printf (document, "%s\"/%0119u\"", i > 0 ? "," : "", i);
  g_string_append (document, "]}]}");
  assert_within_bounds ("131000 long parents", document, FALSE, "more than 65536 paths");

  /* The most values a document holds, and one more. */
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/\"");
  for (guint i = 6 + 1; i < 131072; i++)
    g_string_append (document, ",\"/\"");
  g_string_append (document, "]}]}");
  assert_within_bounds ("131072 values", document, TRUE, NULL);
  document = g_string_new ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/\"");
  for (guint i = 6 + 1; i < 131073; i++)
    g_string_append (document, ",\"/\"");
  g_string_append (document, "]}]}");
  assert_within_bounds ("131073 values", document, FALSE, "more than 131072 JSON values");
}

/* Inputs that once went wrong (regressions/README.md): reject-* must be
 * refused with LL_ERROR_POLICY and a short message, accept-* accepted and
 * stable through ll_ruleset_to_json(); each loaded in under two seconds. */
static void
test_regressions (void)
{
  g_autofree char *directory = g_build_filename (LL_POLICY_DATA_DIR, "..", "regressions", NULL);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "reject-") || g_str_has_prefix (entry, "accept-"))
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_lines);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LlRuleset) ruleset = NULL;
      gsize length;
      gint64 start;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      start = g_get_monotonic_time ();
      ruleset = ll_ruleset_new_from_data (contents, length, &error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
      g_test_message ("%s: %s", name, error != NULL ? error->message : "accepted");
      if (g_str_has_prefix (name, "reject-"))
        {
          if (ruleset != NULL)
            g_error ("%s: accepted", name);
          g_assert_error (error, LL_ERROR, LL_ERROR_POLICY);
          assert_printable (error->message);
          g_assert_cmpuint (strlen (error->message), <, 4096);
        }
      else
        {
          g_autofree char *json = NULL;
          g_autofree char *again = NULL;
          g_autoptr(LlRuleset) reparsed = NULL;

          g_assert_no_error (error);
          json = ll_ruleset_to_json (ruleset);
          reparsed = ll_ruleset_new_from_data (json, -1, &error);
          g_assert_no_error (error);
          again = ll_ruleset_to_json (reparsed);
          g_assert_cmpstr (json, ==, again);
          /* The same paths, byte for byte. */
          {
            g_autofree char *before = canonical_ruleset (ruleset);
            g_autofree char *after = canonical_ruleset (reparsed);

            g_assert_cmpstr (before, ==, after);
          }
          /* A port above 65535 is a problem of both, not dropped. */
          g_assert_cmpint (ll_ruleset_check (ruleset, NULL), ==, ll_ruleset_check (reparsed, NULL));
        }
    }
}

static char *
canonical_of (const char *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_data (document, -1, &error);

  g_assert_no_error (error);
  return canonical_ruleset (ruleset);
}

static void
test_extensions (void)
{
  g_autofree char *abi7 = canonical_of ("{\"abi\": 7, \"ruleset\": [{\"handledAccessFs\": [\"abi.all\"], \"handledAccessNet\": [\"abi.all\"]}]}");
  g_autofree char *abi9 = canonical_of ("{\"abi\": 9, \"ruleset\": [{\"handledAccessFs\": [\"abi.all\"], \"handledAccessNet\": [\"abi.all\"]}]}");
  g_autofree char *abi10 = canonical_of ("{\"abi\": 10, \"ruleset\": [{\"handledAccessFs\": [\"abi.read_write\"], \"handledAccessNet\": [\"abi.all\"]}]}");
  g_autofree char *abi11 = canonical_of ("{\"abi\": 11, \"ruleset\": [{\"handledAccessFs\": [\"abi.all\"], \"handledAccessNet\": [\"abi.all\"]}]}");
  g_autofree char *named = canonical_of ("{\"pathBeneath\": [{\"allowedAccess\": [\"resolve_unix\"], \"parent\": [\"/run\"]}], "
                                         "\"netPort\": [{\"allowedAccess\": [\"bind_udp\", \"connect_send_udp\"], \"port\": [53]}]}");

  g_assert_null (strstr (abi7, "resolve_unix"));
  g_assert_null (strstr (abi7, "udp"));
  g_assert_nonnull (strstr (abi9, "ioctl_dev,resolve_unix\n"));
  g_assert_null (strstr (abi9, "udp"));
  g_assert_nonnull (strstr (abi10, "resolve_unix"));
  g_assert_null (strstr (abi10, "execute"));
  g_assert_nonnull (strstr (abi10, "net=bind_tcp,connect_tcp,bind_udp,connect_send_udp\n"));
  /* Above 10: what 10 has. A newer abi never loses a right. */
  g_assert_nonnull (strstr (abi11, "ioctl_dev,resolve_unix\n"));
  g_assert_nonnull (strstr (abi11, "net=bind_tcp,connect_tcp,bind_udp,connect_send_udp\n"));
  g_assert_nonnull (strstr (named, "path /run=resolve_unix\n"));
  g_assert_nonnull (strstr (named, "port 53=bind_udp,connect_send_udp\n"));
}

/* Raising a document's abi never lowers protection: for every group, the
 * rights of abi N + 1 hold those of abi N, whatever N (up to 2^31 - 1). */
static void
test_groups_grow_with_abi (void)
{
  static const struct { const char *key; const char *group; } groups[] = {
    { "handledAccessFs", "abi.all" },
    { "handledAccessFs", "abi.read_execute" },
    { "handledAccessFs", "abi.read_write" },
    { "handledAccessNet", "abi.all" },
    { "scoped", "abi.all" },
  };
  static const gint64 abis[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, G_MAXINT32 };

  for (gsize g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      guint64 previous[3] = { 0, 0, 0 };

      for (gsize i = 0; i < G_N_ELEMENTS (abis); i++)
        {
          g_autofree char *document =
            g_strdup_printf ("{\"abi\": %" G_GINT64_FORMAT ", \"ruleset\": [{\"%s\": [\"%s\"]}]}",
                             abis[i], groups[g].key, groups[g].group);
          g_autoptr(GError) error = NULL;
          g_autoptr(LlRuleset) ruleset = NULL;
          guint64 handled[3];

          ruleset = ll_ruleset_new_from_data (document, -1, &error);
          g_assert_no_error (error);
          _ll_ruleset_get_handled_explicit (ruleset, &handled[0], &handled[1], &handled[2]);
          g_test_message ("%s %s at abi %" G_GINT64_FORMAT ": 0x%" G_GINT64_MODIFIER "x 0x%"
                          G_GINT64_MODIFIER "x 0x%" G_GINT64_MODIFIER "x", groups[g].key,
                          groups[g].group, abis[i], handled[0], handled[1], handled[2]);
          for (guint k = 0; k < 3; k++)
            g_assert_cmphex (handled[k] & previous[k], ==, previous[k]);
          memcpy (previous, handled, sizeof previous);
        }
    }
}

static void
test_to_json (void)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(LlRuleset) nothing = NULL;
  g_autoptr(LlRuleset) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *nothing_json = NULL;

  ll_ruleset_set_handled_access (ruleset, LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_EXECUTE,
                                 LL_ACCESS_NET_CONNECT_TCP, LL_SCOPE_SIGNAL);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { "/usr/", "/a$b", NULL }, LL_ACCESS_FS_READ_FILE);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { "/usr", NULL }, LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_WRITE_FILE);
  ll_ruleset_add_net_rule (ruleset, 443, LL_ACCESS_NET_CONNECT_TCP | LL_ACCESS_NET_BIND_TCP, 0);

  json = ll_ruleset_to_json (ruleset);
  /* Unhandled rights are left out; '$' is escaped; paths are normalised
   * when read back. */
  g_assert_null (strstr (json, "write_file"));
  g_assert_null (strstr (json, "bind_tcp"));
  g_assert_nonnull (strstr (json, "\"/a$$b\""));
  reparsed = ll_ruleset_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = canonical_ruleset (reparsed);

    g_assert_cmpstr (text, ==,
                     "fs=execute,read_file\nnet=connect_tcp\nscoped=signal\n"
                     "path /a$b=read_file\npath /usr=execute,read_file\nport 443=connect_tcp\n");
  }

  /* Paths that need escapes come back the same, through this library's
   * reader and through json-glib's. */
  {
    static const char * const paths[] = {
      "/q\"uote", "/back\\slash", "/tab\there", "/new\nline", "/bell\x01", "/caf\xc3\xa9",
      "/\xf0\x9f\x98\x80", NULL,
    };
    g_autoptr(LlRuleset) odd = ll_ruleset_new ();
    g_autoptr(LlRuleset) odd_reparsed = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *odd_json = NULL;
    JsonArray *parents;

    ll_ruleset_set_handled_access (odd, LL_ACCESS_FS_READ_FILE, 0, 0);
    ll_ruleset_add_path_rule (odd, paths, LL_ACCESS_FS_READ_FILE);
    odd_json = ll_ruleset_to_json (odd);
    odd_reparsed = ll_ruleset_new_from_data (odd_json, -1, &error);
    g_assert_no_error (error);
    {
      g_autofree char *before = canonical_ruleset (odd);
      g_autofree char *after = canonical_ruleset (odd_reparsed);

      g_assert_cmpstr (before, ==, after);
    }
    g_assert_true (json_parser_load_from_data (parser, odd_json, -1, &error));
    g_assert_no_error (error);
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonArray *items = json_object_get_array_member (root, "pathBeneath");

      parents = json_object_get_array_member (json_array_get_object_element (items, 0), "parent");
    }
    g_assert_cmpuint (json_array_get_length (parents), ==, g_strv_length ((char **) paths));
    for (guint i = 0; i < json_array_get_length (parents); i++)
      g_assert_true (g_strv_contains (paths, json_array_get_string_element (parents, i)));
  }

  /* Paths are bytes: one that is not UTF-8 is written so that it reads
   * back as the same bytes, never as another path (g_utf8_make_valid()
   * used to save /tmp/\xff\xfe as /tmp/\ufffd\ufffd). DEL, C1 controls
   * and overrides are escaped too, so the document is safe to print. */
  {
    static const char * const paths[] = {
      "/tmp/\xff\xfe", "/a\xc3(", "/surrogate\xed\xa0\x80", "/overlong\xc0\xaf",
      "/cut\xe2\x82", "/\x7f\xc2\x85\xe2\x80\xae\xe2\x80\xa8", "/\xc3\xa9\xff\xc3\xa9", NULL,
    };
    g_autoptr(LlRuleset) bytes = ll_ruleset_new ();
    g_autoptr(LlRuleset) bytes_reparsed = NULL;
    g_autofree char *bytes_json = NULL;
    g_autofree char *again = NULL;

    ll_ruleset_set_handled_access (bytes, LL_ACCESS_FS_READ_FILE, 0, 0);
    ll_ruleset_add_path_rule (bytes, paths, LL_ACCESS_FS_READ_FILE);
    bytes_json = ll_ruleset_to_json (bytes);
    g_test_message ("%s", bytes_json);
    bytes_reparsed = ll_ruleset_new_from_data (bytes_json, -1, &error);
    g_assert_no_error (error);
    {
      g_autofree char *before = canonical_ruleset (bytes);
      g_autofree char *after = canonical_ruleset (bytes_reparsed);

      g_assert_cmpstr (before, ==, after);
      for (gsize i = 0; paths[i] != NULL; i++)
        {
          g_autofree char *line = g_strdup_printf ("path %s=read_file\n", paths[i]);

          g_assert_nonnull (strstr (after, line));
        }
    }
    again = ll_ruleset_to_json (bytes_reparsed);
    g_assert_cmpstr (bytes_json, ==, again);
    g_assert_true (g_utf8_validate (bytes_json, -1, NULL));
    g_assert_null (strchr (bytes_json, 0x7f));
    g_assert_nonnull (strstr (bytes_json, "\"/tmp/\\udcff\\udcfe\""));
    g_assert_nonnull (strstr (bytes_json, "\"/\\u007f\\u0085\\u202e\\u2028\""));
    g_assert_nonnull (strstr (bytes_json, "\"/\xc3\xa9\\udcff\xc3\xa9\""));
    g_assert_null (strstr (bytes_json, "\xef\xbf\xbd"));

    /* Only \udc80 to \udcff are bytes; other lone surrogates are refused. */
    assert_policy_error ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/\\udc41\"]}]}",
                         "lone trailing surrogate");
    assert_policy_error ("{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/\\udd00\"]}]}",
                         "lone trailing surrogate");
  }

  /* Nothing handled: the only valid document that handles nothing. */
  nothing = ll_ruleset_new ();
  ll_ruleset_set_handled_access (nothing, 0, 0, 0);
  nothing_json = ll_ruleset_to_json (nothing);
  g_clear_object (&reparsed);
  reparsed = ll_ruleset_new_from_data (nothing_json, -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = canonical_ruleset (reparsed);

    g_assert_cmpstr (text, ==, "fs=\nnet=\nscoped=\n");
  }
}

/* Real enforcement: a policy file applied in a child allows and denies
 * what it says. */
static char *enforce_dir;

static void
test_enforcement (void)
{
  g_autoptr(GError) error = NULL;
  int abi = ll_get_abi_version (&error);

  if (abi < 4)
    {
      g_test_skip (abi == 0 ? "Landlock is not available here" : "the kernel lacks Landlock ABI 4");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autofree char *allowed = g_build_filename (enforce_dir, "allowed", "file", NULL);
      g_autofree char *denied = g_build_filename (enforce_dir, "denied", "file", NULL);
      g_autofree char *policy = g_build_filename (enforce_dir, "policy.json", NULL);
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new_from_file (policy, &error);
      struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
      LlStatus status;
      int sock;

      g_assert_no_error (error);
      g_assert_true (ll_ruleset_apply (ruleset, &status, &error));
      g_assert_no_error (error);

      ll_test_assert_open (allowed, O_RDONLY, 0);
      ll_test_assert_open (denied, O_RDONLY, EACCES);
      ll_test_assert_open (allowed, O_WRONLY, EACCES);

      /* Port 0 is allowed by the policy (the kernel picks a port); a fixed
       * port is not. */
      sock = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      address.sin_port = htons (0);
      ll_test_assert_errno (bind (sock, (struct sockaddr *) &address, sizeof address), 0);
      close (sock);
      sock = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      address.sin_port = htons (1);
      ll_test_assert_errno (bind (sock, (struct sockaddr *) &address, sizeof address), EACCES);
      close (sock);
      return;
    }

  enforce_dir = g_dir_make_tmp ("ll-policy-XXXXXX", NULL);
  {
    g_autofree char *allowed_dir = g_build_filename (enforce_dir, "allowed", NULL);
    g_autofree char *denied_dir = g_build_filename (enforce_dir, "denied", NULL);
    g_autofree char *allowed = g_build_filename (allowed_dir, "file", NULL);
    g_autofree char *denied = g_build_filename (denied_dir, "file", NULL);
    g_autofree char *policy = g_build_filename (enforce_dir, "policy.json", NULL);
    g_autofree char *document = NULL;
    g_autofree char *escaped = g_strescape (allowed_dir, NULL);

    g_assert_cmpint (g_mkdir (allowed_dir, 0700), ==, 0);
    g_assert_cmpint (g_mkdir (denied_dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (allowed, "yes", -1, NULL));
    g_assert_true (g_file_set_contents (denied, "no", -1, NULL));
    document = g_strdup_printf (
      "{\n"
      "  \"abi\": 4,\n"
      "  \"variable\": [ { \"name\": \"data\", \"literal\": [ \"%s\" ] } ],\n"
      "  \"ruleset\": [ { \"handledAccessFs\": [ \"abi.all\" ], \"handledAccessNet\": [ \"bind_tcp\" ] } ],\n"
      "  \"pathBeneath\": [ { \"allowedAccess\": [ \"read_file\", \"read_dir\" ], \"parent\": [ \"${data}\" ] } ],\n"
      "  \"netPort\": [ { \"allowedAccess\": [ \"bind_tcp\" ], \"port\": [ 0 ] } ]\n"
      "}\n", escaped);
    g_assert_true (g_file_set_contents (policy, document, -1, NULL));

    /* The child sees enforce_dir through the environment of the trap. */
    g_setenv ("LL_POLICY_TEST_DIR", enforce_dir, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();

    g_unlink (allowed);
    g_unlink (denied);
    g_unlink (policy);
    g_rmdir (allowed_dir);
    g_rmdir (denied_dir);
    g_rmdir (enforce_dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n_conformance;
  int ret;

  g_test_init (&argc, &argv, NULL);

  enforce_dir = (char *) g_getenv ("LL_POLICY_TEST_DIR");

  n_conformance = add_conformance_tests ();
  g_test_message ("landlockconfig conformance: %u cases of cases.json, one test each",
                  n_conformance);
  g_test_add_func ("/policy/examples", test_examples);
  g_test_add_func ("/policy/composition-golden", test_composition_golden);
  g_test_add_func ("/policy/messages", test_messages);
  g_test_add_func ("/policy/messages-controls", test_messages_controls);
  g_test_add_func ("/policy/strict-json", test_strict_json);
  g_test_add_func ("/policy/json-reader", test_json_reader);
  g_test_add_func ("/policy/bytes-and-resources", test_bytes_and_resources);
  g_test_add_func ("/policy/hostile", test_hostile);
  g_test_add_func ("/policy/bounds", test_bounds);
  g_test_add_func ("/policy/regressions", test_regressions);
  g_test_add_func ("/policy/extensions", test_extensions);
  g_test_add_func ("/policy/groups-grow-with-abi", test_groups_grow_with_abi);
  g_test_add_func ("/policy/to-json", test_to_json);
  g_test_add_func ("/policy/enforcement", test_enforcement);

  ret = g_test_run ();
  g_clear_object (&conformance_parser);
  return ret;
}
