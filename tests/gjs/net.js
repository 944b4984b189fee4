// net.js: TCP rules and IPC scopes of Landlock, allowed and denied, from GJS
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Ports are picked at run time (bound to port 0, then read back), on
// 127.0.0.1. Every child checks both sides: the port or peer that a rule
// (or allow_scope()) lets through, and the one that stays denied.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';

import * as H from './harness.js';

const PERMISSION_DENIED = [Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED];
const LOOPBACK = '127.0.0.1';

function tcpSocket() {
    return Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM, Gio.SocketProtocol.TCP);
}

function inet(port) {
    return Gio.InetSocketAddress.new_from_string(LOOPBACK, port);
}

// A listening socket on a free port; returns [socket, port].
function listen() {
    const socket = tcpSocket();
    socket.bind(inet(0), true);
    socket.listen();
    return [socket, socket.get_local_address().get_port()];
}

// A port that was free a moment ago.
function freePort() {
    const [socket, port] = listen();
    socket.close();
    return port;
}

function bind(port) {
    const socket = tcpSocket();
    try {
        socket.bind(inet(port), true);
    } finally {
        socket.close();
    }
}

function connect(port) {
    const socket = tcpSocket();
    try {
        socket.connect(inet(port), null);
    } finally {
        socket.close();
    }
}

function requireNet() {
    H.requireAbi(4, 'TCP rules');
}

function childTcpBind() {
    requireNet();
    const allowed = freePort();
    let denied;
    do
        denied = freePort();
    while (denied === allowed);

    const ruleset = new Landlock.Ruleset();
    H.assert(ruleset.allow_network([allowed], true, false) === ruleset, 'allow_network() chains');
    H.applyInGjs(ruleset);

    bind(allowed);
    H.assertThrows(() => bind(denied), ...PERMISSION_DENIED, `binding port ${denied}`);
    // Bind only: connecting to the allowed port is still denied.
    H.assertThrows(() => connect(allowed), ...PERMISSION_DENIED, `connecting to port ${allowed} (bind-only rule)`);
}

function childTcpConnect() {
    requireNet();
    const [listenerA, allowed] = listen();
    const [listenerB, denied] = listen();

    const ruleset = new Landlock.Ruleset();
    ruleset.allow_network([allowed], false, true);
    H.applyInGjs(ruleset);

    // Connecting binds an ephemeral port implicitly: that needs no rule.
    connect(allowed);
    H.assertThrows(() => connect(denied), ...PERMISSION_DENIED, `connecting to port ${denied}`);
    // Connect only: binding the allowed port is denied.
    H.assertThrows(() => bind(freePortGuess(allowed)), ...PERMISSION_DENIED, 'binding with a connect-only rule');
    listenerA.close();
    listenerB.close();
}

// After the sandbox, ports cannot be probed with bind(0); any port
// number works to show the denial.
function freePortGuess(port) {
    return port === 65535 ? 65534 : port + 1;
}

function childTcpAddNetRule() {
    requireNet();
    const [listener, port] = listen();
    const bindPort = freePort();
    const ruleset = new Landlock.Ruleset();
    ruleset.add_net_rule(port, Landlock.AccessNet.CONNECT_TCP, Landlock.RuleFlags.NONE)
        .add_net_rule(bindPort, Landlock.AccessNet.BIND_TCP | Landlock.AccessNet.CONNECT_TCP,
            Landlock.RuleFlags.NONE);
    H.applyInGjs(ruleset);
    connect(port);
    bind(bindPort);
    H.assertThrows(() => bind(port), ...PERMISSION_DENIED, 'binding a connect-only port');
    listener.close();
}

function childAllowAllNetwork(tmp) {
    requireNet();
    const [listener, port] = listen();
    const bindPort = freePort();
    const ruleset = new Landlock.Ruleset();
    let notified = 0;
    ruleset.connect('notify::handled-access-net', () => notified++);
    H.assert(ruleset.allow_all_network() === ruleset, 'allow_all_network() chains');
    H.assertEqual(notified, 1, 'notify::handled-access-net emissions');
    H.assertEqual(ruleset.handled_access_net, 0, 'handled_access_net after allow_all_network()');
    H.writeFile(GLib.build_filenamev([tmp, 'file']));
    H.applyInGjs(ruleset);
    connect(port);
    bind(bindPort);
    // The filesystem is still sandboxed.
    H.assertThrows(() => GLib.file_get_contents(GLib.build_filenamev([tmp, 'file'])),
        GLib.FileError, GLib.FileError.ACCES, 'reading a file');
    listener.close();
}

// Scopes

function abstractSocket(name) {
    return Gio.UnixSocketAddress.new_with_type(name, Gio.UnixSocketAddressType.ABSTRACT);
}

function unixListen(name) {
    const socket = Gio.Socket.new(Gio.SocketFamily.UNIX, Gio.SocketType.STREAM, Gio.SocketProtocol.DEFAULT);
    socket.bind(abstractSocket(name), false);
    socket.listen();
    return socket;
}

function unixConnect(name) {
    const socket = Gio.Socket.new(Gio.SocketFamily.UNIX, Gio.SocketType.STREAM, Gio.SocketProtocol.DEFAULT);
    try {
        socket.connect(abstractSocket(name), null);
    } finally {
        socket.close();
    }
}

function uniqueName(what) {
    return `landlock-glib-gjs-${what}-${new Gio.Credentials().get_unix_pid()}-${GLib.random_int()}`;
}

// A socket created before the sandbox belongs to no Landlock domain, so it
// is outside the scope; one created after belongs to the sandbox.
function childAbstractUnixScoped() {
    H.requireAbi(6, 'IPC scopes');
    const outsideName = uniqueName('outside');
    const outside = unixListen(outsideName);

    const ruleset = new Landlock.Ruleset();
    H.assert((ruleset.scoped & Landlock.Scope.ABSTRACT_UNIX_SOCKET) !== 0, 'scoped by default');
    H.applyInGjs(ruleset);

    H.assertThrows(() => unixConnect(outsideName), ...PERMISSION_DENIED,
        'connecting to an abstract socket outside the sandbox');
    const insideName = uniqueName('inside');
    const inside = unixListen(insideName);
    unixConnect(insideName);
    inside.close();
    outside.close();
}

function childAbstractUnixAllowed() {
    H.requireAbi(6, 'IPC scopes');
    const outsideName = uniqueName('outside');
    const outside = unixListen(outsideName);

    const ruleset = new Landlock.Ruleset();
    let notified = 0;
    ruleset.connect('notify::scoped', () => notified++);
    ruleset.allow_scope(Landlock.Scope.ABSTRACT_UNIX_SOCKET);
    H.assertEqual(notified, 1, 'notify::scoped emissions');
    H.assertEqual(ruleset.scoped, Landlock.Scope.SIGNAL, 'scoped after allowing abstract sockets');
    H.applyInGjs(ruleset);

    unixConnect(outsideName);
    outside.close();
}

// kill(1) runs in the sandbox (it inherits it): signalling the test
// runner, outside, is EPERM; signalling this child, inside, works.
function killZero(pid) {
    return H.runCommand(['kill', '-0', String(pid)]);
}

function signalSandbox(ruleset) {
    ruleset.add_path_rule(H.systemDirs(),
        Landlock.AccessFs.READ_FILE | Landlock.AccessFs.READ_DIR | Landlock.AccessFs.EXECUTE);
    ruleset.add_path_rule(['/dev/null'], Landlock.AccessFs.READ_FILE | Landlock.AccessFs.WRITE_FILE);
}

function childSignalScoped(outsidePid) {
    H.requireAbi(6, 'IPC scopes');
    const ruleset = new Landlock.Ruleset();
    H.assert((ruleset.scoped & Landlock.Scope.SIGNAL) !== 0, 'signals scoped by default');
    signalSandbox(ruleset);
    H.applyInGjs(ruleset);

    const self = killZero(new Gio.Credentials().get_unix_pid());
    H.assertEqual(self.status, 0, `kill -0 of this sandboxed process: ${self.stderr}`);
    const outside = killZero(outsidePid);
    H.assert(outside.status !== 0 && outside.stderr.includes('Operation not permitted'),
        `kill -0 of the unsandboxed test runner is EPERM: status ${outside.status}, ${outside.stderr}`);
}

function childSignalAllowed(outsidePid) {
    H.requireAbi(6, 'IPC scopes');
    const ruleset = new Landlock.Ruleset();
    ruleset.allow_scope(Landlock.Scope.SIGNAL);
    H.assertEqual(ruleset.scoped, Landlock.Scope.ABSTRACT_UNIX_SOCKET, 'scoped after allowing signals');
    signalSandbox(ruleset);
    H.applyInGjs(ruleset);

    const outside = killZero(outsidePid);
    H.assertEqual(outside.status, 0, `kill -0 of the test runner with signals allowed: ${outside.stderr}`);
}

function childAllowAllScope(outsidePid) {
    H.requireAbi(6, 'IPC scopes');
    const outsideName = uniqueName('outside');
    const outside = unixListen(outsideName);
    const ruleset = new Landlock.Ruleset();
    ruleset.allow_all_scope();
    H.assertEqual(ruleset.scoped, Landlock.Scope.NONE, 'scoped after allow_all_scope()');
    signalSandbox(ruleset);
    H.applyInGjs(ruleset);
    unixConnect(outsideName);
    H.assertEqual(killZero(outsidePid).status, 0, 'kill -0 of the test runner');
    outside.close();
}

const myPid = () => new Gio.Credentials().get_unix_pid();

H.main(import.meta.url, {
    tests: [
        ['TCP bind: allowed port, denied port', () => H.runChild('tcp-bind')],
        ['TCP connect: allowed port, denied port', () => H.runChild('tcp-connect')],
        ['TCP add_net_rule()', () => H.runChild('tcp-add-net-rule')],
        ['allow_all_network()', () => H.withTempDir(tmp => H.runChild('allow-all-network', tmp))],
        ['abstract UNIX socket scoped', () => H.runChild('abstract-unix-scoped')],
        ['abstract UNIX socket scope allowed', () => H.runChild('abstract-unix-allowed')],
        ['signal scoped', () => H.runChild('signal-scoped', myPid())],
        ['signal scope allowed', () => H.runChild('signal-allowed', myPid())],
        ['allow_all_scope()', () => H.runChild('allow-all-scope', myPid())],
    ],
    cases: {
        'tcp-bind': childTcpBind,
        'tcp-connect': childTcpConnect,
        'tcp-add-net-rule': childTcpAddNetRule,
        'allow-all-network': childAllowAllNetwork,
        'abstract-unix-scoped': childAbstractUnixScoped,
        'abstract-unix-allowed': childAbstractUnixAllowed,
        'signal-scoped': childSignalScoped,
        'signal-allowed': childSignalAllowed,
        'allow-all-scope': childAllowAllScope,
    },
});
