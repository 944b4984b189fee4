/* ll-policy-write.c: ll_ruleset_to_json(), any ruleset as a normalised policy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reads a ruleset's rules as they were asked for (ll-ruleset-private.h)
 * and writes them with ll-json.c's writer: explicit rights and handled
 * sets, no groups, no variables, the rules of the same rights as one
 * item, sorted. What it writes must read back to an equal ruleset (the
 * round trip of tests/policy); it never changes the ruleset.
 */

#include <stdlib.h>
#include <string.h>

#include "ll-json-private.h"
#include "ll-policy-model-private.h"
#include "ll-policy-private.h"
#include "ll-ruleset-private.h"

static int
compare_pointer_uints (gconstpointer a,
                       gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gconstpointer *) a), y = GPOINTER_TO_UINT (*(gconstpointer *) b);

  return x < y ? -1 : x > y;
}

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
    _ll_policy_union_access (collected->paths, g_strdup (path), access, g_free);
}

static void
collect_port (Collected *collected,
              guint      port,
              guint64    access)
{
  access &= collected->handled_net;
  if (access != 0)
    _ll_policy_union_access (collected->ports, GUINT_TO_POINTER (port + 1), access, NULL);
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
add_names (LlJsonWriter      *writer,
           LlPolicyAccessKind kind,
           guint64            bits)
{
  _ll_json_writer_begin_array (writer);
  for (guint i = 0; i < _ll_policy_kinds[kind].n_names; i++)
    if (bits & (G_GUINT64_CONSTANT (1) << i))
      _ll_json_writer_string (writer, _ll_policy_kinds[kind].names[i]);
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
    qsort (keys, n_keys, sizeof *keys, _ll_policy_compare_strings);
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
      add_names (writer, paths ? LL_POLICY_KIND_FS : LL_POLICY_KIND_NET, access);
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

/* The rights the rules of a ruleset name, among those it handles as
 * stored (not cut to the running kernel). */
typedef struct
{
  guint64 handled_fs;
  guint64 handled_net;
  guint64 fs;
  guint64 net;
} Requested;

static void
note_path_request (const char *path,
                   guint64     access,
                   guint32     flags,
                   gpointer    user_data)
{
  Requested *requested = user_data;

  requested->fs |= access & requested->handled_fs;
}

static void
note_net_request (guint16  port,
                  guint64  access,
                  guint32  flags,
                  gpointer user_data)
{
  Requested *requested = user_data;

  requested->net |= access & requested->handled_net;
}

/**
 * ll_ruleset_to_json:
 * @self: an #LlRuleset
 *
 * Writes the ruleset as a normalised policy document: the handled sets
 * and every right spelt out, no groups, no variables, one item per set of
 * rights, paths and ports sorted. ll_ruleset_new_from_data() of the result
 * gives an equal ruleset (within the bounds of a policy: a ruleset of more
 * than 65536 paths, say, gives a document that is refused), and it shows a
 * user what a ruleset will enforce.
 *
 * A ruleset from ll_ruleset_new() handles what the running kernel knows
 * until told otherwise: that is what is written, together with every right
 * that a rule names, even one this kernel lacks (a TCP rule on Linux 6.1):
 * a request is never dropped from the document. Rights that a rule grants
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
  guint64 scoped;

  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (!_ll_ruleset_get_handled_explicit (self, &collected.handled_fs, &collected.handled_net, &scoped))
    {
      Requested requested = { collected.handled_fs, collected.handled_net, 0, 0 };

      _ll_ruleset_foreach_path_rule (self, note_path_request, &requested);
      _ll_ruleset_foreach_net_rule (self, note_net_request, &requested);
      collected.handled_fs = ll_ruleset_get_handled_access_fs (self) | requested.fs;
      collected.handled_net = ll_ruleset_get_handled_access_net (self) | requested.net;
      scoped = ll_ruleset_get_scoped (self);
    }
  collected.paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  collected.ports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  _ll_ruleset_foreach_path_rule (self, collect_path_rule, &collected);
  _ll_ruleset_foreach_net_rule (self, collect_net_rule, &collected);
  for (guint i = 0; self->policy_invalid_ports != NULL && i < self->policy_invalid_ports->len; i++)
    {
      const LlPolicyInvalidPort *invalid =
        &g_array_index (self->policy_invalid_ports, LlPolicyInvalidPort, i);

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
          add_names (writer, LL_POLICY_KIND_FS, collected.handled_fs);
        }
      if (collected.handled_net != 0)
        {
          _ll_json_writer_member (writer, "handledAccessNet");
          add_names (writer, LL_POLICY_KIND_NET, collected.handled_net);
        }
      if (scoped != 0)
        {
          _ll_json_writer_member (writer, "scoped");
          add_names (writer, LL_POLICY_KIND_SCOPE, scoped);
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
