#!/usr/bin/env python3
# pingpong.py: two actors bounce an event until a count is reached
#
# The pinger sends Ping(n) on topic "Ping"; the ponger answers Pong(n) on
# topic "Pong"; the pinger sends the next Ping, and stops the runtime after
# the last Pong. Topics are the event labels (route by label). Each answer
# is a child event of the one it answers.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/pingpong.py
#
# SPDX-License-Identifier: MIT

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import Maiko  # noqa: E402

ROUNDS = 10


class Player(Maiko.Actor):
    def __init__(self, reply, serves=False):
        super().__init__()
        # The label this player answers with.
        self.reply = reply
        # Only the pinger serves first, and counts the rounds.
        self.serves = serves

    def do_on_start(self):
        if self.serves:
            self.context.send(self.reply, 1)
        return True

    def do_handle_event(self, envelope):
        event = envelope.event
        n = event.payload
        print('%s received %s(%d)' % (self.context.name, event.label, n))

        if not self.serves:
            self.context.send(self.reply, n, parent=envelope)
        elif n == ROUNDS:
            self.context.stop_runtime()
        else:
            self.context.send(self.reply, n + 1, parent=envelope)
        return True


def main():
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('pinger', Player('Ping', serves=True), ['Pong'])
        sup.add_actor('ponger', Player('Pong'), ['Ping'])
        # Runs until the pinger stops the runtime; raises an actor's error.
        sup.run()
    print('%d rounds played' % ROUNDS)


if __name__ == '__main__':
    main()
