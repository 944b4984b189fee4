/* ll-ruleset-rules.c: what a ruleset asks for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The builder half of LlRuleset (the GObject is ll-ruleset.c, the engine
 * that applies it ll-ruleset-apply.c): the rules on paths and ports, the
 * scopes, the handled sets and what they leave unrestricted, the quiet
 * masks and the restrict flags. Nothing here talks to the kernel: every
 * method records what was asked, and a mistake (an empty path, a port out
 * of range, bits Landlock does not know, a change after apply) becomes the
 * ruleset's problem, which ll_ruleset_check() and ll_ruleset_apply()
 * report. What the kernel can do of it is decided when it is applied.
 */

#include "ll-abi-private.h"
#include "ll-error-private.h"
#include "ll-ruleset-private.h"

/* The ABI whose rights the convenience groups stand for: the running one,
 * or every known right when there is no Landlock (nothing is enforced then,
 * and to_json-like views still show the intent). */
static int
group_abi (LlRuleset *self)
{
  return _ll_abi_or_max (self->abi);
}

static void
add_path_rules (LlRuleset          *self,
                const char * const *paths,
                guint64             access,
                guint32             flags,
                const char         *what)
{
  if (!_ll_ruleset_check_not_applied (self, what))
    return;

  if ((access & ~_LL_KNOWN_ACCESS_FS) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s: the access 0x%" G_GINT64_MODIFIER "x holds bits that are "
                               "no Landlock filesystem right (known rights: 0x%" G_GINT64_MODIFIER "x)",
                               what, access, _LL_KNOWN_ACCESS_FS);
      return;
    }
  if ((flags & ~_LL_KNOWN_RULE_FLAGS) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s: the rule flags 0x%x hold unknown bits", what, flags);
      return;
    }
  if (access == 0 && (flags & LL_RULE_FLAGS_QUIET) == 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s: the rule grants no right; name at least one filesystem right",
                               what);
      return;
    }

  for (gsize i = 0; paths[i] != NULL; i++)
    {
      LlRulesetPathRule rule = { NULL, access, flags };

      if (paths[i][0] == '\0')
        {
          _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                                   "Cannot %s: a path is empty; give an absolute path, or \".\" "
                                   "for the current directory", what);
          continue;
        }
      rule.path = g_string_chunk_insert (self->paths, paths[i]);
      g_array_append_val (self->path_rules, rule);
    }
}

/**
 * ll_ruleset_allow_read:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 *
 * Allows reading files and listing directories beneath each of @paths
 * (%LL_ACCESS_FS_READ_FILE and %LL_ACCESS_FS_READ_DIR).
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_read (LlRuleset          *self,
                       const char * const *paths)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (paths != NULL, self);

  add_path_rules (self, paths, _LL_ACCESS_FS_READ, 0, "allow reading");
  return self;
}

/**
 * ll_ruleset_allow_write:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 *
 * Allows writing beneath each of @paths: writing and truncating files,
 * creating, renaming, linking and removing files and directories of every
 * type (%LL_ACCESS_FS_WRITE_FILE, %LL_ACCESS_FS_TRUNCATE,
 * %LL_ACCESS_FS_REFER, the `REMOVE_*` and `MAKE_*` rights), as far as the
 * running kernel knows these rights. Reading is not included: see
 * ll_ruleset_allow_read_write().
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_write (LlRuleset          *self,
                        const char * const *paths)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (paths != NULL, self);

  add_path_rules (self, paths, _LL_ACCESS_FS_WRITE & ll_access_fs_for_abi (group_abi (self)),
                  0, "allow writing");
  return self;
}

/**
 * ll_ruleset_allow_execute:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 *
 * Allows executing files beneath each of @paths (%LL_ACCESS_FS_EXECUTE).
 * execve() also opens the program for reading, and a dynamically linked
 * program needs to read and map its loader and libraries: allow reading
 * (ll_ruleset_allow_read()) the program and its libraries too, for
 * instance both rights on `/usr`.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_execute (LlRuleset          *self,
                          const char * const *paths)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (paths != NULL, self);

  add_path_rules (self, paths, LL_ACCESS_FS_EXECUTE, 0, "allow executing");
  return self;
}

/**
 * ll_ruleset_allow_read_write:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 *
 * Allows what ll_ruleset_allow_read() and ll_ruleset_allow_write() allow,
 * beneath each of @paths.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_read_write (LlRuleset          *self,
                             const char * const *paths)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (paths != NULL, self);

  add_path_rules (self, paths,
                  (_LL_ACCESS_FS_READ | _LL_ACCESS_FS_WRITE) & ll_access_fs_for_abi (group_abi (self)),
                  0, "allow reading and writing");
  return self;
}

/**
 * ll_ruleset_add_path_rule:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 * @access: the rights to grant beneath each of @paths
 *
 * Grants exactly @access beneath each of @paths. Unlike the convenience
 * methods, every right named here is a request: on a kernel that lacks one,
 * a strict ruleset fails with %LL_ERROR_INCOMPATIBLE and a best-effort one
 * drops it. Rights that only make sense on directories are dropped from
 * rules on other files.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_add_path_rule (LlRuleset          *self,
                          const char * const *paths,
                          LlAccessFs          access)
{
  return ll_ruleset_add_path_rule_full (self, paths, access, LL_RULE_FLAGS_NONE);
}

/**
 * ll_ruleset_add_path_rule_full:
 * @self: an #LlRuleset
 * @paths: (array zero-terminated=1) (element-type filename): files and
 *   directories
 * @access: the rights to grant beneath each of @paths
 * @flags: rule flags, such as %LL_RULE_FLAGS_QUIET (ABI 10)
 *
 * Like ll_ruleset_add_path_rule(), with rule flags. A quiet rule may grant
 * no right at all: it then only keeps denials beneath @paths out of the
 * audit log (see ll_ruleset_set_quiet_access()).
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_add_path_rule_full (LlRuleset          *self,
                               const char * const *paths,
                               LlAccessFs          access,
                               LlRuleFlags         flags)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (paths != NULL, self);

  add_path_rules (self, paths, access, flags, "add a path rule");
  return self;
}

static void
add_net_rule (LlRuleset  *self,
              gint64      port,
              guint64     access,
              guint32     flags,
              const char *what)
{
  LlRulesetNetRule rule;

  if (!_ll_ruleset_check_not_applied (self, what))
    return;

  if (port < 0 || port > G_MAXUINT16)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s for port %" G_GINT64_FORMAT ": a port number is between 0 and 65535",
                               what, port);
      return;
    }
  if ((access & ~_LL_KNOWN_ACCESS_NET) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s: the access 0x%" G_GINT64_MODIFIER "x holds bits that are "
                               "no Landlock network right (known rights: 0x%" G_GINT64_MODIFIER "x)",
                               what, access, _LL_KNOWN_ACCESS_NET);
      return;
    }
  if ((flags & ~_LL_KNOWN_RULE_FLAGS) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s: the rule flags 0x%x hold unknown bits", what, flags);
      return;
    }
  if (access == 0 && (flags & LL_RULE_FLAGS_QUIET) == 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot %s for port %" G_GINT64_FORMAT ": the rule grants no right; "
                               "allow binding, connecting or both", what, port);
      return;
    }

  rule.port = (guint16) port;
  rule.access = access;
  rule.flags = flags;
  g_array_append_val (self->net_rules, rule);
}

/**
 * ll_ruleset_allow_network:
 * @self: an #LlRuleset
 * @ports: (array length=n_ports): TCP port numbers
 * @n_ports: the number of @ports
 * @bind: whether to allow binding TCP sockets to @ports
 * @connect: whether to allow connecting TCP sockets to @ports
 *
 * Allows binding and/or connecting TCP sockets to each of @ports
 * (%LL_ACCESS_NET_BIND_TCP, %LL_ACCESS_NET_CONNECT_TCP; ABI 4). Port 0
 * in a bind rule allows binding to an ephemeral port.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_network (LlRuleset     *self,
                          const guint16 *ports,
                          gsize          n_ports,
                          gboolean       bind,
                          gboolean       connect)
{
  guint64 access = (bind ? LL_ACCESS_NET_BIND_TCP : 0) | (connect ? LL_ACCESS_NET_CONNECT_TCP : 0);

  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (ports != NULL || n_ports == 0, self);

  for (gsize i = 0; i < n_ports; i++)
    add_net_rule (self, ports[i], access, 0, "allow TCP");
  return self;
}

/**
 * ll_ruleset_allow_udp:
 * @self: an #LlRuleset
 * @ports: (array length=n_ports): UDP port numbers
 * @n_ports: the number of @ports
 * @bind: whether to allow binding UDP sockets to @ports
 * @connect_send: whether to allow connecting UDP sockets to, and sending
 *   datagrams to, @ports
 *
 * Allows UDP on each of @ports (%LL_ACCESS_NET_BIND_UDP,
 * %LL_ACCESS_NET_CONNECT_SEND_UDP; ABI 10).
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_udp (LlRuleset     *self,
                      const guint16 *ports,
                      gsize          n_ports,
                      gboolean       bind,
                      gboolean       connect_send)
{
  guint64 access = (bind ? LL_ACCESS_NET_BIND_UDP : 0) |
                   (connect_send ? LL_ACCESS_NET_CONNECT_SEND_UDP : 0);

  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (ports != NULL || n_ports == 0, self);

  for (gsize i = 0; i < n_ports; i++)
    add_net_rule (self, ports[i], access, 0, "allow UDP");
  return self;
}

/**
 * ll_ruleset_allow_udp_client:
 * @self: an #LlRuleset
 * @ports: (array length=n_ports): the UDP ports of the servers to send to
 * @n_ports: the number of @ports
 *
 * Allows what a UDP client needs to talk to servers on @ports: connecting
 * and sending to each of them (%LL_ACCESS_NET_CONNECT_SEND_UDP), and
 * binding to port 0 (%LL_ACCESS_NET_BIND_UDP; ABI 10).
 *
 * The second grant is the kernel's rule, not an extra: a socket that sends
 * before it is bound is bound by the kernel to an ephemeral port
 * (autobind), and Landlock checks that as binding to port 0. Without it, a
 * client that does not bind first, which is most of them, gets `EACCES`
 * from sendto() or connect(). Port 0 never lets the sandboxed program
 * choose a port: it gets one the kernel picks from the ephemeral range.
 * A client that binds its socket before the ruleset is applied needs only
 * ll_ruleset_allow_udp() with @connect_send.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_udp_client (LlRuleset     *self,
                             const guint16 *ports,
                             gsize          n_ports)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (ports != NULL || n_ports == 0, self);

  for (gsize i = 0; i < n_ports; i++)
    add_net_rule (self, ports[i], LL_ACCESS_NET_CONNECT_SEND_UDP, 0, "allow a UDP client");
  if (n_ports > 0)
    add_net_rule (self, 0, LL_ACCESS_NET_BIND_UDP, 0, "allow a UDP client");
  return self;
}

/**
 * ll_ruleset_add_net_rule:
 * @self: an #LlRuleset
 * @port: a port number, 0 to 65535
 * @access: the network rights to grant for @port
 * @flags: rule flags, such as %LL_RULE_FLAGS_QUIET (ABI 10)
 *
 * Grants exactly @access for @port. Every right named here is a request
 * (see ll_ruleset_add_path_rule()). @port is an int so that bindings can
 * pass any number: one outside 0 to 65535 is reported as
 * %LL_ERROR_INVALID by ll_ruleset_apply().
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_add_net_rule (LlRuleset   *self,
                         int          port,
                         LlAccessNet  access,
                         LlRuleFlags  flags)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  add_net_rule (self, port, access, flags, "add a network rule");
  return self;
}

/**
 * ll_ruleset_allow_all_network:
 * @self: an #LlRuleset
 *
 * Stops handling network rights: the sandbox no longer restricts TCP or
 * UDP at all, and network rules have no effect.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_all_network (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (_ll_ruleset_check_not_applied (self, "allow all network access") && self->handled_net != 0)
    {
      self->handled_net = 0;
      _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_NET);
    }
  return self;
}

/**
 * ll_ruleset_allow_scope:
 * @self: an #LlRuleset
 * @scope: the IPC scopes to stop restricting
 *
 * Stops restricting the given IPC scopes: with
 * %LL_SCOPE_ABSTRACT_UNIX_SOCKET the sandboxed process may connect to
 * abstract UNIX sockets outside its sandbox (the D-Bus session bus often
 * is one), with %LL_SCOPE_SIGNAL it may signal processes outside it.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_scope (LlRuleset *self,
                        LlScope    scope)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (!_ll_ruleset_check_not_applied (self, "allow a scope"))
    return self;
  if ((scope & ~_LL_KNOWN_SCOPES) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot allow the scopes 0x%x: they hold bits that are no Landlock "
                               "scope (known scopes: 0x%" G_GINT64_MODIFIER "x)", scope, _LL_KNOWN_SCOPES);
      return self;
    }
  if ((self->scoped & scope) != 0)
    {
      self->scoped &= ~(guint64) scope;
      _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_SCOPES);
    }
  return self;
}

/**
 * ll_ruleset_allow_all_scope:
 * @self: an #LlRuleset
 *
 * Stops restricting IPC scopes at all.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_allow_all_scope (LlRuleset *self)
{
  return ll_ruleset_allow_scope (self, _LL_KNOWN_SCOPES);
}

/**
 * ll_ruleset_set_handled_access:
 * @self: an #LlRuleset
 * @fs: the filesystem rights to deny unless a rule grants them
 * @net: the network rights to deny unless a rule grants them
 * @scoped: the IPC scopes to restrict
 *
 * Replaces what the ruleset handles, which is by default everything the
 * running kernel knows. Rights that are not handled are not restricted at
 * all. Every bit given here is a request: a strict ruleset fails on a
 * kernel that lacks one.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_set_handled_access (LlRuleset   *self,
                               LlAccessFs   fs,
                               LlAccessNet  net,
                               LlScope      scoped)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (!_ll_ruleset_check_not_applied (self, "set the handled rights"))
    return self;
  if ((fs & ~_LL_KNOWN_ACCESS_FS) != 0 || (net & ~_LL_KNOWN_ACCESS_NET) != 0 ||
      (scoped & ~_LL_KNOWN_SCOPES) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot set the handled rights (filesystem 0x%x, network 0x%x, scopes 0x%x): "
                               "they hold bits unknown to Landlock", fs, net, scoped);
      return self;
    }

  g_object_freeze_notify (G_OBJECT (self));
  self->handled_explicit = TRUE;
  if (self->handled_fs != fs)
    {
      self->handled_fs = fs;
      _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_FS);
    }
  if (self->handled_net != net)
    {
      self->handled_net = net;
      _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_NET);
    }
  if (self->scoped != scoped)
    {
      self->scoped = scoped;
      _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_SCOPES);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return self;
}

/**
 * ll_ruleset_set_quiet_access:
 * @self: an #LlRuleset
 * @fs: filesystem denials to keep out of the audit log beneath quiet rules
 * @net: network denials to keep out of the audit log for quiet rules
 * @scoped: scope denials to keep out of the audit log
 *
 * Sets the quiet masks of the ruleset (ABI 10): a denied access listed
 * here is not audit-logged when it concerns an object of a rule added with
 * %LL_RULE_FLAGS_QUIET (for scopes, whatever the object). This changes
 * only logging, never what is allowed. Every bit is a request.
 *
 * Returns: (transfer none): @self, to chain calls
 *
 * Since: 1.0
 */
LlRuleset *
ll_ruleset_set_quiet_access (LlRuleset   *self,
                             LlAccessFs   fs,
                             LlAccessNet  net,
                             LlScope      scoped)
{
  g_return_val_if_fail (LL_IS_RULESET (self), NULL);

  if (!_ll_ruleset_check_not_applied (self, "set the quiet masks"))
    return self;
  if ((fs & ~_LL_KNOWN_ACCESS_FS) != 0 || (net & ~_LL_KNOWN_ACCESS_NET) != 0 ||
      (scoped & ~_LL_KNOWN_SCOPES) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot set the quiet masks (filesystem 0x%x, network 0x%x, scopes 0x%x): "
                               "they hold bits unknown to Landlock", fs, net, scoped);
      return self;
    }
  self->quiet_fs = fs;
  self->quiet_net = net;
  self->quiet_scoped = scoped;
  return self;
}

/**
 * ll_ruleset_get_handled_access_fs:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:handled-access-fs.
 *
 * Returns: the value of #LlRuleset:handled-access-fs, limited to what the
 *   running kernel knows (without Landlock, to what the library knows)
 *
 * Since: 1.0
 */
LlAccessFs
ll_ruleset_get_handled_access_fs (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->handled_fs & ll_access_fs_for_abi (group_abi (self));
}

/**
 * ll_ruleset_get_handled_access_net:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:handled-access-net.
 *
 * Returns: the value of #LlRuleset:handled-access-net, limited to what the
 *   running kernel knows (without Landlock, to what the library knows)
 *
 * Since: 1.0
 */
LlAccessNet
ll_ruleset_get_handled_access_net (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->handled_net & ll_access_net_for_abi (group_abi (self));
}

/**
 * ll_ruleset_get_scoped:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:scoped.
 *
 * Returns: the value of #LlRuleset:scoped, limited to what the running
 *   kernel knows (without Landlock, to what the library knows)
 *
 * Since: 1.0
 */
LlScope
ll_ruleset_get_scoped (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->scoped & ll_scope_for_abi (group_abi (self));
}

/**
 * ll_ruleset_get_unrestricted_access_fs:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:unrestricted-access-fs.
 *
 * Returns: the filesystem rights the sandbox leaves open on the running
 *   kernel
 *
 * Since: 1.0
 */
LlAccessFs
ll_ruleset_get_unrestricted_access_fs (LlRuleset *self)
{
  LlAccessFs handled;
  LlAccessFs open;

  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  handled = self->handled_fs & ll_access_fs_for_abi (self->abi);
  open = _LL_KNOWN_ACCESS_FS & ~handled;
  /* Below the ABI of the REFER right, the kernel denies every move between
   * directories to a sandbox that restricts files at all: that is not
   * open. */
  if (self->abi > 0 && (ll_access_fs_for_abi (self->abi) & LL_ACCESS_FS_REFER) == 0 &&
      handled != 0)
    open &= ~LL_ACCESS_FS_REFER;
  return open;
}

/**
 * ll_ruleset_get_unrestricted_access_net:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:unrestricted-access-net.
 *
 * Returns: the network rights the sandbox leaves open on the running
 *   kernel
 *
 * Since: 1.0
 */
LlAccessNet
ll_ruleset_get_unrestricted_access_net (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return _LL_KNOWN_ACCESS_NET & ~(self->handled_net & ll_access_net_for_abi (self->abi));
}

/**
 * ll_ruleset_get_unrestricted_scopes:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:unrestricted-scopes.
 *
 * Returns: the IPC scopes the sandbox leaves open on the running kernel
 *
 * Since: 1.0
 */
LlScope
ll_ruleset_get_unrestricted_scopes (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return _LL_KNOWN_SCOPES & ~(self->scoped & ll_scope_for_abi (self->abi));
}

/**
 * ll_ruleset_get_restrict_flags:
 * @self: an #LlRuleset
 *
 * Gets the value of #LlRuleset:restrict-flags.
 *
 * Returns: the value of #LlRuleset:restrict-flags
 *
 * Since: 1.0
 */
LlRestrictFlags
ll_ruleset_get_restrict_flags (LlRuleset *self)
{
  g_return_val_if_fail (LL_IS_RULESET (self), 0);

  return self->restrict_flags;
}

/**
 * ll_ruleset_set_restrict_flags:
 * @self: an #LlRuleset
 * @flags: flags for `landlock_restrict_self(2)`
 *
 * Sets #LlRuleset:restrict-flags.
 *
 * Since: 1.0
 */
void
ll_ruleset_set_restrict_flags (LlRuleset       *self,
                               LlRestrictFlags  flags)
{
  g_return_if_fail (LL_IS_RULESET (self));

  if (self->restrict_flags == flags || !_ll_ruleset_check_not_applied (self, "change the restrict flags"))
    return;
  if ((flags & ~_LL_KNOWN_RESTRICT_FLAGS) != 0)
    {
      _ll_ruleset_add_problem (self, LL_ERROR_INVALID,
                               "Cannot set the restrict flags 0x%x: they hold bits unknown to Landlock "
                               "(known flags: 0x%" G_GINT64_MODIFIER "x)", flags, _LL_KNOWN_RESTRICT_FLAGS);
      return;
    }
  self->restrict_flags = flags;
  _ll_ruleset_notify_change (self, LL_RULESET_CHANGE_RESTRICT_FLAGS);
}
