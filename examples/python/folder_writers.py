#!/usr/bin/env python3
# folder_writers.py: a writer actor per new file, spawned and removed while
# the runtime runs (the Python twin of examples/folder-writers.c)
#
# A coordinator watches an inbox folder with a Gio.FileMonitor. For each
# new file it spawns a writer actor (ctx.add_actor) subscribed to a topic
# named after the file, "file:NAME", and publishes the file's lines on that
# topic, then an empty event that ends it. The writer writes the lines,
# upper-cased, to the same name in an outbox folder; at the end it reports
# and says Done, and the coordinator removes it (ctx.remove_actor). Topics
# are the event labels.
#
# So that the example runs on its own, a feeder writes the files into the
# inbox, one after the other, each once the writer of the previous one is
# gone, and stops the runtime after the last. The coordinator and the
# feeder are bound to the main context, where Gio.FileMonitor reports; the
# writers run on threads of their own.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/folder_writers.py --files=3
#
# SPDX-License-Identifier: MIT

import argparse
import os
import re
import shutil
import tempfile

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import Gio, GLib, Maiko  # noqa: E402

ON_MAIN = {'main_context': GLib.MainContext.default()}


class Writer(Maiko.Actor):
    """The lines of one file, upper-cased, to the outbox."""

    def __init__(self, file_name, outbox):
        super().__init__()
        self.file_name = file_name
        self.output = os.path.join(outbox, file_name)
        self.lines = []

    def do_handle_event(self, envelope):
        line = envelope.event.payload
        if line is not None:
            self.lines.append(line.upper())
            return True
        with open(self.output, 'w') as output:
            output.writelines(line + '\n' for line in self.lines)
        # Words as GLib's g_str_tokenize_and_fold() finds them.
        words = sum(len(re.findall(r'[^\W_]+', line)) for line in self.lines)
        print('%s: %d lines, %d words' % (self.context.name, len(self.lines), words))
        self.context.send('Done', self.file_name)
        return True


class Coordinator(Maiko.Actor):
    """A writer per file that appears in the inbox."""

    def __init__(self, inbox, outbox):
        super().__init__(**ON_MAIN)
        self.inbox = inbox
        self.outbox = outbox
        self.seen = set()
        self.monitor = None

    def do_on_start(self):
        # It reports in this context, the coordinator's.
        folder = Gio.File.new_for_path(self.inbox)
        self.monitor = folder.monitor_directory(Gio.FileMonitorFlags.WATCH_MOVES, None)
        self.monitor.connect('changed', self.on_changed)
        return True

    def on_changed(self, monitor, file, other, event):
        # Renamed or moved into the inbox, a file is whole; written in
        # place, once its writer closed it.
        if event == Gio.FileMonitorEvent.RENAMED:
            self.spawn_writer(other)
        elif event in (Gio.FileMonitorEvent.MOVED_IN, Gio.FileMonitorEvent.CHANGES_DONE_HINT):
            self.spawn_writer(file)

    def spawn_writer(self, file):
        file_name = file.get_basename()
        if not file_name.endswith('.txt') or file_name in self.seen:
            return
        self.seen.add(file_name)
        name, topic = 'writer-' + file_name, 'file:' + file_name
        # Before the writer can print: outside the actor's own callbacks
        # (this is the monitor's), each send is delivered at once.
        print('coordinator: spawned %s' % name)
        self.context.add_actor(name, Writer(file_name, self.outbox), [topic])
        with open(file.get_path()) as lines:
            for line in lines:
                if line.strip('\n'):
                    self.context.send(topic, line.rstrip('\n'))
        self.context.send(Maiko.Event(topic))

    def do_handle_event(self, envelope):
        # Done(file name): that writer is finished with.
        name = 'writer-' + envelope.event.payload
        self.context.remove_actor(name)
        print('coordinator: removed %s' % name)
        self.context.send('Removed', envelope.event.payload)
        return True

    def do_on_shutdown(self):
        if self.monitor is not None:
            self.monitor.cancel()


class Feeder(Maiko.Actor):
    """Writes the files, one after the other."""

    def __init__(self, inbox, n_files):
        super().__init__(**ON_MAIN)
        self.inbox = inbox
        self.n_files = n_files
        self.written = 0

    def write_next(self):
        self.written += 1
        name = 'notes-%d.txt' % self.written
        print('feeder: wrote %s' % name)
        # As g_file_set_contents() does: the file appears whole.
        GLib.file_set_contents(os.path.join(self.inbox, name),
                               ('the first line of %s\nand a second one\n' % name).encode())

    def do_on_start(self):
        self.write_next()
        return True

    def do_handle_event(self, envelope):
        # Removed(file name): the next file, or the end.
        if self.written < self.n_files:
            self.write_next()
        else:
            self.context.stop_runtime()
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--files', type=int, default=3, help='how many files the feeder writes')
    args = parser.parse_args()
    if args.files < 1:
        parser.error('--files must be 1 or more')

    inbox = tempfile.mkdtemp(prefix='maiko-inbox-')
    outbox = tempfile.mkdtemp(prefix='maiko-outbox-')
    try:
        sup = Maiko.Supervisor()
        sup.set_route_by_label()
        sup.add_actor('coordinator', Coordinator(inbox, outbox), ['Done'])
        sup.add_actor('feeder', Feeder(inbox, args.files), ['Removed'])
        sup.run()
        print('all %d files written' % args.files)
    finally:
        shutil.rmtree(inbox)
        shutil.rmtree(outbox)


if __name__ == '__main__':
    main()
