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
#include "ll-policy-model-private.h"
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

static int
compare_pointer_uints (gconstpointer a,
                       gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gconstpointer *) a), y = GPOINTER_TO_UINT (*(gconstpointer *) b);

  return x < y ? -1 : x > y;
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
LlRuleset *
_ll_policy_load_bytes (GBytes      *bytes,
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

  return _ll_policy_load_bytes (bytes, NULL, error);
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
  return _ll_policy_load_bytes (bytes, name, error);
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
  return ll_ruleset_new_from_files_full (paths, NULL, error);
}

/**
 * ll_ruleset_new_from_files_full:
 * @paths: (array zero-terminated=1) (element-type filename): the policy
 *   files to compose, at least one
 * @variables: (array zero-terminated=1) (element-type filename) (nullable):
 *   values of the policy's variables, each `NAME=VALUE`, or %NULL
 * @error: return location for a #GError, or %NULL
 *
 * Like ll_ruleset_new_from_files(), with the values of variables given by
 * the program rather than written in the files: a policy declares
 * `{ "name": "output" }` and uses `${output}`, and the program says which
 * directory that is, as `landlock-run --var output=DIR` does. The first
 * value given for a name replaces the values the files give it (their
 * defaults); more values for the same name add to it. A value is taken as
 * it is, never expanded. Setting a variable that no file declares is an
 * error, so that a misspelt name does not silently leave a rule without
 * paths.
 *
 * A policy that leaves such a variable without values grants nothing
 * beneath it: set every variable the policy documents.
 *
 * Returns: (transfer full): a new best-effort #LlRuleset, or %NULL with
 *   @error set (%LL_ERROR_POLICY)
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_new_from_files_full (const char * const *paths,
                                const char * const *variables,
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

  return _ll_policy_load_full ((const char * const *) contents->pdata, (gssize *) lengths->data,
                               paths, contents->len, variables, NULL, error);
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
