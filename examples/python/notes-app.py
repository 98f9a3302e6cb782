#!/usr/bin/env python3
# notes-app.py: the application of a desktop pair, talking over the session
# bus to examples/notes-daemon.c through a MaikoDBusBridge
#
# It waits for the daemon's bus name, then sends three AddNote commands and
# a ListNotes; its "ui" actor prints each answer, which carries as parent id
# the id of the command it answers (the event chain crosses the two
# processes), and once the list is in, sends Quit and stops. Run both on
# one session bus:
#
#   ./builddir/examples/notes-daemon &
#   meson devenv -C builddir --workdir . python3 examples/python/notes-app.py
#
# SPDX-License-Identifier: MIT

import sys

import gi

gi.require_version('Gio', '2.0')
gi.require_version('Maiko', '1.0')
from gi.repository import Gio, GLib, Maiko  # noqa: E402

BUS_NAME = 'org.maiko.NotesDaemon'
NOTES = ['Buy milk', 'Call Ada', 'Water the plants']


class Ui(Maiko.Actor):
    """Prints the daemon's answers, each with the command it answers; ends
    the pair once the list is in. It also receives the commands, as they
    are sent here: that is how it knows their ids."""

    def __init__(self):
        super().__init__()
        self.commands = {}   # id -> number of the command, from 1
        self.early = []      # answers that came before their command

    def do_handle_event(self, envelope):
        if envelope.event.label in ('AddNote', 'ListNotes'):
            self.commands[envelope.id] = len(self.commands) + 1
            early, self.early = self.early, []
            for answer in early:
                self.show(answer)
        else:
            self.show(envelope)
        return True

    def show(self, answer):
        number = self.commands.get(answer.parent_id)
        if number is None:
            # Only possible if the bus is faster than this mailbox.
            self.early.append(answer)
            return
        event = answer.event
        if event.label == 'NoteAdded':
            index, text = event.payload
            print('app: note %d added: %s (answers command %d, from %s)'
                  % (index, text, number, answer.sender))
            return
        print('app: %d notes (answers command %d)' % (len(event.payload), number))
        for text in event.payload:
            print('app:   - %s' % text)
        self.context.send('Quit')
        self.context.stop_runtime()


def wait_for_daemon():
    """Returns once the daemon owns its bus name, which it takes when its
    bridge listens."""
    loop = GLib.MainLoop()
    watch = Gio.bus_watch_name(Gio.BusType.SESSION, BUS_NAME, Gio.BusNameWatcherFlags.NONE,
                               lambda *args: loop.quit(), None)
    loop.run()
    Gio.bus_unwatch_name(watch)


def main():
    wait_for_daemon()
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    # None: the session bus.
    bridge = Maiko.DBusBridge.new(None, None, ['AddNote', 'ListNotes', 'Quit'],
                                  ['NoteAdded', 'Notes'])
    sup.add_actor('dbus', bridge, bridge.get_exported_topics())
    sup.add_actor('ui', Ui(), ['AddNote', 'ListNotes', 'NoteAdded', 'Notes'])
    sup.start()
    sup.wait_ready()

    for text in NOTES:
        sup.send('AddNote', text)
    sup.send('ListNotes')
    # Until the ui has the list.
    sup.join()
    return 0


if __name__ == '__main__':
    sys.exit(main())
