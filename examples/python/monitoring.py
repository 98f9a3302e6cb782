#!/usr/bin/env python3
# monitoring.py: a live trace of a small pipeline, then its topology
#
# Numbers go to a doubler, which publishes their doubles to a printer. A
# Maiko.Monitor prints every hook as it is emitted; at the end the program
# prints the topology as a Mermaid flowchart. The actors share the main
# context, so the whole run happens on this thread, in one order.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/monitoring.py
#
# SPDX-License-Identifier: MIT

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import GLib, Maiko  # noqa: E402

COUNT = 3


class Stage(Maiko.Actor):
    def __init__(self, output=None):
        super().__init__(main_context=GLib.MainContext.default())
        # The label of what the stage publishes, or None for the last stage.
        self.output = output
        self.props.publishes = [output] if output else []
        self.handled = 0

    def do_handle_event(self, envelope):
        self.handled += 1
        if self.output:
            self.context.send_child_event(
                Maiko.Event(self.output, 2 * envelope.event.payload), envelope.id)
        return True


def trace_monitor():
    monitor = Maiko.Monitor()

    def print_event(monitor, envelope, topic, receiver, hook):
        event = envelope.event
        print('%-10s %s(%d) from %s to %s on %s'
              % (hook, event.label, event.payload, envelope.sender, receiver, topic))

    def print_actor(monitor, actor, hook):
        print('%-10s %s' % (hook, actor))

    for signal, hook in (('event-dispatched', 'dispatched'),
                         ('event-delivered', 'delivered'),
                         ('event-handled', 'handled')):
        monitor.connect(signal, print_event, hook)
    monitor.connect('actor-registered', print_actor, 'registered')
    monitor.connect('actor-stopped', print_actor, 'stopped')
    return monitor


def main():
    sup = Maiko.Supervisor()
    doubler = Stage('Doubled')
    printer = Stage()
    sup.set_route_by_label()
    sup.add_actor('doubler', doubler, ['Number'])
    sup.add_actor('printer', printer, ['Doubled'])
    sup.add_monitor(trace_monitor())

    with sup:
        sup.start()
        for n in range(1, COUNT + 1):
            sup.send('Number', n)
        # The actors and the monitor run here, on the default main context.
        context = GLib.MainContext.default()
        while printer.handled < COUNT:
            context.iteration(True)

    print()
    print(sup.to_mermaid(), end='')


if __name__ == '__main__':
    main()
