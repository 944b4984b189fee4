#!/usr/bin/env python3
# check-file-server.py: the test of the sandboxed file servers (C and Python)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Starts a file server example and checks that it serves what it may, and
nothing else.

    check-file-server.py -- SERVER_COMMAND...

The server is started as `SERVER_COMMAND... --port PORT ROOT`, with a free
loopback PORT and a fresh ROOT holding hello.txt and etc-link, a symlink to
/etc. Checked:

* GET /hello.txt answers 200 with the file's contents (reading the tree is
  allowed);
* GET /etc-link/passwd does not answer /etc/passwd: an error status, or a
  closed connection, never its contents (the symlink leads out of the
  tree, where the sandbox allows nothing);
* the server's own report: its sandbox is FULLY_ENFORCED, and the kernel
  denied it reading /etc/passwd, creating a file in the tree and
  connecting out, each with EACCES; no probe file was left behind. On a
  kernel without TCP rules (Landlock ABI 1 to 3), the files are protected
  just the same, and the server must say that TCP is not restricted and
  must not claim a denied connection (its connection succeeds).

On a kernel without Landlock (or with Landlock disabled), the server is
strict: it must refuse to serve, say why, and exit with status 1.

Exit status: 0 when all held, 1 otherwise.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from llcheck import CheckFailed, check, kernel_abi

TCP_ABI = 4
HELLO = 'Hello from inside the sandbox.\n'
# Slower machines (QEMU's emulated CPUs) scale the timeouts.
TIMEOUT_MULTIPLIER = max(float(os.environ.get('LL_TEST_TIMEOUT_MULTIPLIER', '1')), 1.0)
STARTUP_TIMEOUT = 30 * TIMEOUT_MULTIPLIER


def free_port():
    """A loopback port nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def get(port, path):
    """(status, body) of GET path, or (None, error text) if the server
    closed the connection or could not be reached."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=10 * TIMEOUT_MULTIPLIER)
    try:
        connection.request('GET', path)
        response = connection.getresponse()
        return response.status, response.read().decode('utf-8', 'replace')
    except (OSError, http.client.HTTPException) as error:
        return None, str(error)
    finally:
        connection.close()


def wait_for_url(server, log):
    """Reads the server's output up to its "Serving ... at URL" line."""
    while True:
        line = server.stdout.readline()
        if not line:
            raise CheckFailed('the server exited before serving (status %s)' % server.wait())
        log.append(line)
        print('  server: ' + line, end='', flush=True)
        match = re.search(r'^Serving .* at (http://127\.0\.0\.1:(\d+)/)$', line)
        if match:
            return match.group(1), int(match.group(2))


def run_checks(command, root, abi):
    with open('/etc/passwd', encoding='utf-8') as passwd:
        passwd_contents = passwd.read()
    # What only /etc/passwd holds: root's line.
    secret = passwd_contents.splitlines()[0]

    port = free_port()
    argv = command + ['--port', str(port), root]
    print('check-file-server: running', ' '.join(argv), flush=True)
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    log = []
    try:
        url, served_port = wait_for_url(server, log)
        check(served_port == port, 'serves on the port asked for: %s' % url)

        status, body = get(port, '/hello.txt')
        check(status == 200 and body == HELLO,
              'allowed: GET /hello.txt: %s, %r' % (status, body[:60]))

        status, body = get(port, '/etc-link/passwd')
        check(status != 200 and secret not in body,
              'denied: GET /etc-link/passwd: %s, without /etc/passwd\'s contents'
              % (status if status is not None else 'connection closed: ' + body))

        status, body = get(port, '/hello.txt')
        check(status == 200, 'still serving after the denied request: %s' % status)
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=STARTUP_TIMEOUT)
        for line in rest.splitlines(keepends=True):
            log.append(line)
            print('  server: ' + line, end='')

    output = ''.join(log)
    check(secret not in output, 'the server never printed /etc/passwd\'s contents')
    check(re.search(r'^Sandbox status: .*FULLY_ENFORCED$', output, re.M) is not None,
          'the server reports FULLY_ENFORCED')
    denied = ['read /etc/passwd', 'create %s' % os.path.join(root, '.file-server-probe')]
    connect = 'TCP connect to 127.0.0.1:%d' % port
    if abi >= TCP_ABI:
        denied.append(connect)
        check('not restricted by this kernel: %s' % connect not in output and
              'TCP (needs ABI 4)' not in output,
              'the server does not call TCP unrestricted')
    else:
        line = '  not restricted by this kernel: %s: succeeded' % connect
        check(line in output.splitlines(), 'the server reports: %s' % line.strip())
        check(re.search(r'^Not restricted by this kernel \(Landlock ABI %d\): TCP' % abi,
                        output, re.M) is not None,
              'the server says that this kernel does not restrict TCP')
    for what in denied:
        line = '  denied: %s: EACCES (Permission denied)' % what
        check(line in output.splitlines(), 'the server reports: %s' % line.strip())
    check(sorted(os.listdir(root)) == ['etc-link', 'hello.txt'],
          'the tree is unchanged: %s' % sorted(os.listdir(root)))


def check_refused_without_landlock(command, root):
    """Strict: without Landlock the server must not serve at all."""
    result = subprocess.run(command + ['--port', str(free_port()), root],
                            capture_output=True, text=True, timeout=STARTUP_TIMEOUT)
    print(result.stdout + result.stderr, end='')
    check(result.returncode == 1, 'without Landlock, the server exits with status 1')
    check('not serving' in result.stderr and 'Serving' not in result.stdout,
          'without Landlock, the server refuses to serve and says so')


def main():
    command = sys.argv[1:]
    if command[:1] == ['--']:
        command = command[1:]
    if not command:
        sys.exit('usage: check-file-server.py -- SERVER_COMMAND...')

    abi = kernel_abi()
    root = tempfile.mkdtemp(prefix='landlock-file-server-')
    try:
        with open(os.path.join(root, 'hello.txt'), 'w', encoding='utf-8') as hello:
            hello.write(HELLO)
        os.symlink('/etc', os.path.join(root, 'etc-link'))
        if abi < 1:
            check_refused_without_landlock(command, root)
        else:
            run_checks(command, root, abi)
    except CheckFailed as failure:
        print('check-file-server: FAILED: %s' % failure)
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('check-file-server: every check held')
    return 0


if __name__ == '__main__':
    sys.exit(main())
