/* ll-policy.c: rulesets from policy files (the landlockconfig JSON format)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The public constructors, and the format as users read it (the SECTION
 * below). They read files and hand documents to the loader; they check
 * nothing in a document themselves. The policy code, one concern a file
 * (ll-policy-model-private.h declares what they share):
 *
 *   ll-policy.c           this: ll_ruleset_new_from_data(), _bytes(), _file(),
 *                         _files() and _files_full()
 *   ll-policy-resource.c  ll_ruleset_new_from_resource(), the one that needs GIO
 *   ll-policy-names.c     the names of rights, groups and variables; did-you-mean
 *   ll-policy-model.c     a document's configuration (LlPolicyConfig); the messages
 *   ll-policy-parse.c     PARSE: one document to a configuration
 *   ll-policy-resolve.c   composing, RESOLVE (variables, bounds), the LlRuleset
 *   ll-policy-write.c     ll_ruleset_to_json()
 */

#include "ll-error.h"
#include "ll-policy-private.h"
#include "ll-quote-private.h"

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
