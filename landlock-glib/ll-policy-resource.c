/* ll-policy-resource.c: ll_ruleset_new_from_resource()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * In a file of its own because g_resources_lookup_data() is the policy
 * code's only use of GIO: a program linked with the static archive
 * (landlock-run, see tools/meson.build) takes only the objects it calls,
 * so it needs libgio only if it calls this. Keep GIO out of the other
 * ll-policy*.c files.
 */

#include <gio/gio.h>

#include "ll-error.h"
#include "ll-policy-private.h"
#include "ll-quote-private.h"

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
