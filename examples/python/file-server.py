#!/usr/bin/python3
# file-server.py: a static file server that Landlock confines to its files
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Serves a directory over HTTP on 127.0.0.1, sandboxed with Landlock.

    file-server.py [--port PORT] [DIRECTORY]

The server may read DIRECTORY (default: the current directory) and bind
PORT (default 0: the kernel picks one; the URL printed says which), and
nothing else: no other file, no writes, no outgoing TCP connection, no
signal to another process, as far as the running kernel can restrict these
(TCP needs Landlock ABI 4, signals ABI 6; the server says what its kernel
leaves open). A bug in the request handling, or a symlink in
the tree that points to /etc, gives an attacker no more than that: the
kernel refuses to open /etc/passwd through `DIRECTORY/etc-link/passwd`
even though the path looks like it lies inside DIRECTORY.

Before serving, the server tries what an attacker who took it over would
try first, and prints the kernel's answers.
"""

# Everything Python will need is imported before the sandbox is applied:
# once it is, the interpreter cannot read its own modules under /usr.
import argparse
import errno
import functools
import http
import http.server
import mimetypes
import os
import socket
import socketserver
import sys
import time

import gi

gi.require_version('Landlock', '1')
from gi.repository import GLib, Landlock  # noqa: E402


class Handler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler, logging to stdout so the log and the
    startup report stay in order, and answering 403 when the sandbox
    refuses a file (the base class says 404 for every OSError)."""

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isdir(path):
            try:
                os.close(os.open(path, os.O_RDONLY | os.O_CLOEXEC))
            except PermissionError:
                self.send_error(http.HTTPStatus.FORBIDDEN, 'Denied by the sandbox')
                return None
            except OSError:
                pass  # the base class answers it
        return super().send_head()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        print('%s - %s' % (self.address_string(), format % args), flush=True)


class SandboxedServer(http.server.ThreadingHTTPServer):
    # The connection threads start after the sandbox was applied, so they
    # inherit it: a thread (or child) never has more rights than its parent.
    daemon_threads = True

    def server_bind(self):
        # HTTPServer.server_bind() looks up the host name of the address
        # (socket.getfqdn()), which reads /etc/hosts and may ask a DNS
        # server: neither is allowed here, and a loopback server needs no
        # name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def errno_text(error):
    return '%s (%s)' % (errno.errorcode.get(error.errno, str(error.errno)),
                        os.strerror(error.errno))


def report(what, attempt):
    """Runs attempt(), which the sandbox should deny, and prints the
    kernel's answer."""
    try:
        attempt()
    except OSError as error:
        verdict = 'denied' if error.errno == errno.EACCES else 'failed'
        print('  %s: %s: %s' % (verdict, what, errno_text(error)))
    else:
        print('  NOT denied: %s: succeeded' % what)


def show_sandbox(ruleset, root, port):
    def read_passwd():
        with open('/etc/passwd', 'rb'):
            pass

    probe = os.path.join(root, '.file-server-probe')

    def create_file():
        # O_EXCL: never truncate a file that might be there.
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)

    def connect():
        # The server's own port: listening, so only Landlock can refuse. A
        # plain socket: create_connection() would resolve the address
        # through files (nsswitch.conf, gai.conf) that the sandbox denies.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(('127.0.0.1', port))

    print('What the sandbox denies (what an attacker would try first):')
    report('read /etc/passwd', read_passwd)
    report('create %s' % probe, create_file)
    what = 'TCP connect to 127.0.0.1:%d' % port
    if ruleset.props.unrestricted_access_net & Landlock.AccessNet.CONNECT_TCP:
        try:
            connect()
            outcome = 'succeeded'
        except OSError:
            outcome = 'failed'
        print('  not restricted by this kernel: %s: %s' % (what, outcome))
    else:
        report(what, connect)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, default=0,
                        help='TCP port on 127.0.0.1 (0, the default: any free port)')
    parser.add_argument('directory', nargs='?', default=os.curdir,
                        help='the directory to serve (default: the current one)')
    args = parser.parse_args()

    sys.stdout.reconfigure(line_buffering=True)
    root = os.path.realpath(args.directory)
    if not os.path.isdir(root):
        parser.error('%s is not a directory' % args.directory)

    # Work that reads files outside the tree happens now, while it still
    # can: the MIME types database (/etc/mime.types) and the time zone
    # used in the log.
    mimetypes.init()
    time.localtime()

    # Strict (the default): if the kernel cannot enforce what is asked, the
    # server refuses to run rather than serve unsandboxed. Port 0 in a bind
    # rule allows binding to a port the kernel picks. The rights not
    # granted (every other file right, TCP connect, signals and abstract
    # UNIX sockets) are denied where the kernel can restrict them. The
    # files are protected on every kernel with Landlock; the bind rule is
    # only asked for where TCP is restricted at all (ABI 4).
    ruleset = Landlock.Ruleset().allow_read(root)
    if ruleset.props.handled_access_net & Landlock.AccessNet.BIND_TCP:
        ruleset.allow_network(args.port, bind=True, connect=False)
    try:
        status = ruleset.apply()
    except GLib.Error as error:
        sys.exit('file-server: cannot sandbox the server, not serving: %s' % error.message)

    print('Sandbox status: Landlock.Status.%s' % status.value_nick.upper().replace('-', '_'))
    # Say what this kernel leaves open, never claim it is denied.
    abi = ruleset.props.abi
    if ruleset.props.unrestricted_access_net & Landlock.AccessNet.BIND_TCP:
        print('Not restricted by this kernel (Landlock ABI %d): TCP (needs ABI 4): '
              'the server may connect out and bind any port' % abi)
    if ruleset.props.unrestricted_scopes:
        print('Not restricted by this kernel (Landlock ABI %d): signals and abstract UNIX '
              'sockets (need ABI 6)' % abi)
    if status != Landlock.Status.FULLY_ENFORCED:
        sys.exit('file-server: the sandbox is not complete, not serving: %s'
                 % ruleset.props.status_reason)

    handler = functools.partial(Handler, directory=root)
    with SandboxedServer(('127.0.0.1', args.port), handler) as server:
        port = server.server_address[1]
        show_sandbox(ruleset, root, port)
        print('Serving %s at http://127.0.0.1:%d/' % (root, port))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == '__main__':
    main()
