#!/usr/bin/env python3
# ready.py: wait until an actor has started before relying on it
#
# A Listener opens a TCP socket on the loopback in do_on_start. start()
# does not wait for do_on_start, so the program waits with
# sup.wait_ready('listener') before it connects; then it asks the listener
# to accept the connection and read one line.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/ready.py
#
# SPDX-License-Identifier: MIT

import socket

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import Maiko  # noqa: E402


class Listener(Maiko.Actor):
    def do_on_start(self):
        # Port 0: the system picks a free one.
        self.server = socket.create_server(('127.0.0.1', 0))
        self.port = self.server.getsockname()[1]
        print('listener: listening')
        return True

    def do_handle_event(self, envelope):
        connection, _ = self.server.accept()
        with connection, connection.makefile() as lines:
            print('listener: read %r' % lines.readline().strip())
        self.context.stop_runtime()
        return True

    def do_on_shutdown(self):
        self.server.close()


def main():
    sup = Maiko.Supervisor()
    listener = sup.add_actor('listener', Listener(), [Maiko.DEFAULT_TOPIC])
    sup.start()
    # Without this, listener.port may not exist yet.
    sup.wait_ready('listener')
    with socket.create_connection(('127.0.0.1', listener.port)) as client:
        client.sendall(b'hello\n')
    print('client: sent a line')
    sup.send('Accept')
    sup.join()


if __name__ == '__main__':
    main()
