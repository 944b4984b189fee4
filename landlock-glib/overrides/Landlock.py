# Landlock.py: PyGObject overrides for landlock-glib
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Pythonic additions to the Landlock introspection module.

With these overrides, landlock-glib reads like the py-landlock seed::

    from gi.repository import Landlock

    Landlock.Ruleset().allow_read("/usr", "/etc").allow_execute("/usr/bin").apply()
    Landlock.Ruleset(strict=False).allow_read_write("/tmp/app") \\
        .allow_network(443, bind=False, connect=True).apply()

What changes compared to the plain typelib:

* the path methods (``allow_read()``, ``allow_write()``, ``allow_execute()``,
  ``allow_read_write()``, ``add_path_rule()``) take paths as varargs of
  ``str``, ``bytes`` or :class:`os.PathLike` (a single list or tuple works
  too), and ``add_path_rule()`` takes ``access=`` (and ``flags=``) as keywords;
* the port methods (``allow_network()``, ``allow_udp()``) take ports as
  varargs with keyword switches that default to ``True``, and every port goes
  through ``add_net_rule()``: a port that is not an ``int`` (``bool``
  included) or lies outside 0 to 65535 is reported by ``apply()`` and
  ``check()`` as ``GLib.Error`` with code ``Landlock.Error.INVALID``, like in
  every other language, never as a Python ``OverflowError``;
* ``spawn(*argv, flags=0)`` wraps ``spawnv()``;
* ``repr()`` of a ruleset shows its mode, ABI, handled sets and the rules
  granted through these methods; a ruleset that Python did not build (from
  a policy file, say) shows the rules of its policy, as ``to_json()`` has
  them.

A port that is not an ``int`` is passed on as -1 (and one beyond a C ``int``
as the nearest ``int``), so the library's message names that number. The
typelib's own call forms (``allow_read([paths])``,
``add_path_rule([paths], access)``, ``allow_network([ports], bind,
connect)``) keep working, and ``add_path_rule()`` and ``add_net_rule()``
accept plain ``int`` rights too.

Nothing else changes: ``apply()`` still returns the ``Landlock.Status`` and
raises ``GLib.Error`` (domain ``ll-error-quark``, a ``Landlock.Error`` code)
on failure, and keyword construction (``strict=``, ``ignore_missing=``,
``all_threads=``, ``restrict_flags=``) sets the GObject properties.
"""

import os

from ..module import get_introspection_module
from ..overrides import override

Landlock = get_introspection_module('Landlock')

__all__ = []

# Ports that cannot be passed to add_net_rule() as they are (not an int, or
# beyond a C int) are replaced with these out-of-range numbers, so that the
# library records its own LL_ERROR_INVALID problem for them.
_NOT_A_PORT = -1
_INT_MIN = -(2 ** 31)
_INT_MAX = 2 ** 31 - 1


def _varargs(values):
    """Accepts f(a, b, c) and f([a, b, c]) alike."""
    if len(values) == 1 and isinstance(values[0], (list, tuple)):
        return list(values[0])
    return list(values)


def _paths(paths):
    """Paths as str or bytes for the typelib (filename arrays)."""
    return [os.fspath(path) for path in _varargs(paths)]


def _port(port):
    """A port as a C int: the value itself when it fits, else an invalid one
    that the library rejects (LL_ERROR_INVALID from apply() and check())."""
    if isinstance(port, bool) or not isinstance(port, int):
        return _NOT_A_PORT
    return min(max(port, _INT_MIN), _INT_MAX)


def _typelib_net_args(ports, bind, connect):
    """(ports, bind, connect) for both f(1, 2, bind=...) and the typelib's
    f([1, 2], bind, connect): a bool is never a port, so this is unambiguous."""
    if (len(ports) == 3 and isinstance(ports[0], (list, tuple)) and
            isinstance(ports[1], bool) and isinstance(ports[2], bool)):
        return list(ports[0]), ports[1], ports[2]
    return _varargs(ports), bind, connect


def _flags_of_names(flags_type, names):
    """The flags whose nicks, with '_' for '-', are in names: what
    to_json() writes as "read_file" is READ_FILE."""
    value = 0
    for shift in range(64):
        nick = flags_type(1 << shift).first_value_nick
        if nick and nick.replace('-', '_') in names:
            value |= 1 << shift
    return flags_type(value)


def _flag_names(value):
    """'READ_FILE|READ_DIR' for a GFlags value, '0' for none; bits the
    flags type does not know show as hexadecimal."""
    names = []
    for shift in range(int(value).bit_length()):
        bit = 1 << shift
        if int(value) & bit:
            nick = type(value)(bit).first_value_nick
            names.append(nick.upper().replace('-', '_') if nick else hex(bit))
    return '|'.join(names) or '0'


class Ruleset(Landlock.Ruleset):
    """A Landlock ruleset that denies by default, with rules that grant
    exceptions. See the module documentation for what the override adds.

    Construct it with keywords for the properties::

        Landlock.Ruleset()                   # strict: the kernel must support all
        Landlock.Ruleset(strict=False)       # best effort: drop what it lacks
        Landlock.Ruleset(ignore_missing=True, all_threads=True)
    """

    def __init__(self, **kwargs):
        Landlock.Ruleset.__init__(self, **kwargs)
        self._ll_rules = []

    def _ll_record(self, text):
        # A ruleset not created from Python (ll_ruleset_new_from_file(),
        # say) starts its record with the rules it came with.
        if '_ll_rules' not in self.__dict__:
            self._ll_rules = self._ll_rules_of_policy()
        self._ll_rules.append(text)

    def _ll_rules_of_policy(self):
        import json   # only for repr(): keep it out of every import

        document = json.loads(Landlock.Ruleset.to_json(self))
        rules = []
        for item in document.get('pathBeneath', []):
            access = _flags_of_names(Landlock.AccessFs, item['allowedAccess'])
            # to_json() writes parents as templates, with '$' doubled.
            paths = ', '.join(repr(parent.replace('$$', '$')) for parent in item['parent'])
            rules.append('add_path_rule(%s, access=%s)' % (paths, _flag_names(access)))
        for item in document.get('netPort', []):
            access = _flags_of_names(Landlock.AccessNet, item['allowedAccess'])
            rules.extend('add_net_rule(%d, access=%s)' % (port, _flag_names(access))
                         for port in item['port'])
        return rules

    def _ll_path_rules(self, name, paths, access=None, flags=0):
        paths = _paths(paths)
        text = ', '.join(repr(path) for path in paths)
        if access is None:
            getattr(Landlock.Ruleset, name)(self, paths)
        else:
            access, flags = Landlock.AccessFs(access), Landlock.RuleFlags(flags)
            Landlock.Ruleset.add_path_rule_full(self, paths, access, flags)
            text += ', access=%s' % _flag_names(access)
            if flags:
                text += ', flags=%s' % _flag_names(flags)
        self._ll_record('%s(%s)' % (name, text))
        return self

    def allow_read(self, *paths):
        """Allows reading files and listing directories beneath each of
        @paths (str, bytes or os.PathLike). Returns the ruleset."""
        return self._ll_path_rules('allow_read', paths)

    def allow_write(self, *paths):
        """Allows writing, creating, renaming and removing beneath each of
        @paths (reading not included). Returns the ruleset."""
        return self._ll_path_rules('allow_write', paths)

    def allow_execute(self, *paths):
        """Allows executing files beneath each of @paths. A dynamically
        linked program also needs to read (and execute) its loader and
        libraries. Returns the ruleset."""
        return self._ll_path_rules('allow_execute', paths)

    def allow_read_write(self, *paths):
        """Allows what allow_read() and allow_write() allow, beneath each of
        @paths. Returns the ruleset."""
        return self._ll_path_rules('allow_read_write', paths)

    def add_path_rule(self, *paths, access=None, flags=0):
        """Grants exactly @access (Landlock.AccessFs, a required keyword)
        beneath each of @paths, with optional rule @flags
        (Landlock.RuleFlags). Every right named is a request: a strict
        ruleset fails on a kernel that lacks one, a best-effort one drops
        it. Rights that only make sense on directories are dropped from
        rules on other files. Returns the ruleset.

        The typelib's form add_path_rule([paths], access) works too."""
        if access is None and len(paths) == 2 and isinstance(paths[0], (list, tuple)):
            paths, access = (paths[0],), paths[1]
        if access is None:
            raise TypeError('add_path_rule() needs the rights as a keyword: '
                            'add_path_rule(*paths, access=Landlock.AccessFs...)')
        return self._ll_path_rules('add_path_rule', paths, access, flags)

    def add_net_rule(self, port, access, flags=0):
        """Grants exactly @access (Landlock.AccessNet) for @port. A port
        that is not an int, or is outside 0 to 65535, is reported by
        apply() as Landlock.Error.INVALID. Returns the ruleset."""
        access, flags = Landlock.AccessNet(access), Landlock.RuleFlags(flags)
        Landlock.Ruleset.add_net_rule(self, _port(port), access, flags)
        text = 'add_net_rule(%r, access=%s' % (port, _flag_names(access))
        if flags:
            text += ', flags=%s' % _flag_names(flags)
        self._ll_record(text + ')')
        return self

    def _ll_net_rules(self, ports, access):
        for port in ports:
            self.add_net_rule(port, access)
        return self

    def allow_network(self, *ports, bind=True, connect=True):
        """Allows binding and/or connecting TCP sockets to each of @ports
        (varargs of int, or one list). Port 0 in a bind rule allows binding
        to an ephemeral port. Returns the ruleset.

        The typelib's form allow_network([ports], bind, connect) works too."""
        ports, bind, connect = _typelib_net_args(ports, bind, connect)
        return self._ll_net_rules(ports,
                                  (Landlock.AccessNet.BIND_TCP if bind else 0) |
                                  (Landlock.AccessNet.CONNECT_TCP if connect else 0))

    def allow_udp(self, *ports, bind=True, connect_send=True):
        """Allows binding UDP sockets to, and/or connecting and sending
        datagrams to, each of @ports (Landlock ABI 10: a strict ruleset
        fails on older kernels, a best-effort one drops these rules).
        Returns the ruleset.

        The typelib's form allow_udp([ports], bind, connect_send) works too."""
        ports, bind, connect_send = _typelib_net_args(ports, bind, connect_send)
        return self._ll_net_rules(ports,
                                  (Landlock.AccessNet.BIND_UDP if bind else 0) |
                                  (Landlock.AccessNet.CONNECT_SEND_UDP if connect_send else 0))

    def allow_udp_client(self, *ports):
        """Allows what a UDP client needs to send to servers on @ports
        (varargs of int, or one list): connect-send on each, and binding to
        port 0, which the kernel checks when it binds a socket that sends
        before it was bound (autobind). Landlock ABI 10. Returns the
        ruleset."""
        return Landlock.Ruleset.allow_udp_client(self, _varargs(ports))

    def spawn(self, *argv, flags=0):
        """Starts @argv (varargs, or one list) as a Gio.Subprocess
        restricted by this ruleset, leaving the calling process as it is.
        Raises GLib.Error if the ruleset cannot be applied."""
        return Landlock.Ruleset.spawnv(self, _paths(argv), flags)

    def __repr__(self):
        abi = self.props.abi

        def handled(value, everything):
            # 'ALL': the default, every right or scope of the running ABI.
            return 'ALL' if int(everything) and int(value) == int(everything) else _flag_names(value)

        parts = ['strict' if self.props.strict else 'best-effort',
                 'abi=%d' % abi,
                 'fs=%s' % handled(self.props.handled_access_fs, Landlock.access_fs_for_abi(abi)),
                 'net=%s' % handled(self.props.handled_access_net, Landlock.access_net_for_abi(abi)),
                 'scoped=%s' % handled(self.props.scoped, Landlock.scope_for_abi(abi))]
        if self.props.ignore_missing:
            parts.append('ignore_missing')
        if not self.props.all_threads:
            parts.append('calling thread only')
        rules = self.__dict__['_ll_rules'] if '_ll_rules' in self.__dict__ else self._ll_rules_of_policy()
        parts.append('rules=[%s]' % ', '.join(rules))
        if self.props.applied:
            parts.append('status=%s' % self.props.status.value_nick)
        return '<Landlock.Ruleset %s>' % ' '.join(parts)


Ruleset = override(Ruleset)
__all__.append('Ruleset')
