#!/usr/bin/env python3
# hello.py: the reference's first example, in Python
#
# A Greeter subscribed to the default topic receives Hello("World") sent by
# the supervisor, and prints it.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/hello.py
#
# SPDX-License-Identifier: MIT

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import Maiko  # noqa: E402


class Greeter(Maiko.Actor):
    def do_handle_event(self, envelope):
        event = envelope.event
        print('%s, %s! (from %s)' % (event.label, event.payload or 'nobody', envelope.sender))
        return True


def main():
    with Maiko.Supervisor() as sup:
        sup.add_actor('greeter', Greeter(), [Maiko.DEFAULT_TOPIC])
        sup.start()
        sup.send(Maiko.Event('Hello', 'World'))
    # Leaving the block stopped the runtime gracefully: the greeter handled
    # what it had received first.


if __name__ == '__main__':
    main()
