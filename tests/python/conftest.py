# Shared helpers of the Python suite.
#
# SPDX-License-Identifier: MIT
#
# Run by meson (suite "python") with GI_TYPELIB_PATH, LD_LIBRARY_PATH and
# PYTHONPATH pointing into the build tree; see tests/python/meson.build.
# Waits are bounded: a condition that does not hold in time fails the test,
# and a watchdog turns a deadlock into a failure with every thread's stack.

import faulthandler
import re
import sys
import threading
import time

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import GLib, Maiko  # noqa: E402

import pytest  # noqa: E402

# How long a condition may take to hold. Generous: it only matters when a
# test is about to fail.
TIMEOUT = 30.0
# A test still running after this long is deadlocked.
WATCHDOG = 90.0

MAIN_THREAD = threading.get_ident()

# An envelope id: a version 4 UUID in its text form.
UUID_V4 = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')


@pytest.fixture(autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(WATCHDOG, exit=True, file=sys.stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


def error_is(error, code):
    """True if @error is a GLib.Error of the Maiko.Error domain with @code."""
    return isinstance(error, GLib.Error) and error.matches(Maiko.error_quark(), code)


class Recorder:
    """A list that threads append to and tests wait on, blocking with
    wait_for() or iterating the main context with iterate_until(): each
    addition also wakes the default main context."""

    def __init__(self):
        self.items = []
        self._cond = threading.Condition()

    def add(self, item):
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()
        GLib.MainContext.default().wakeup()

    def __len__(self):
        with self._cond:
            return len(self.items)

    def snapshot(self):
        with self._cond:
            return list(self.items)

    def wait_for(self, predicate, timeout=TIMEOUT):
        """Waits until predicate(items) holds; fails the test after @timeout.
        Never use from a thread that must iterate a context for the items
        to come: use iterate_until() there."""
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(self.items), timeout)
            items = list(self.items)
        assert ok, 'condition not met within %.0f s; recorded: %r' % (timeout, items)
        return items

    def wait_len(self, n, timeout=TIMEOUT):
        return self.wait_for(lambda items: len(items) >= n, timeout)


def iterate_until(predicate, context=None, timeout=TIMEOUT):
    """Iterates @context (the default main context unless given) until
    predicate() holds; fails the test after @timeout. The predicate must
    change in a callback of that context, or through a Recorder (which
    wakes the default context), or be followed by a wakeup of @context."""
    context = context or GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate():
        remaining = deadline - time.monotonic()
        assert remaining > 0, 'condition not met within %.0f s' % timeout
        # Wakes the blocking iteration at the deadline at the latest.
        wake = GLib.timeout_source_new(max(1, int(remaining * 1000)))
        wake.set_callback(lambda *args: GLib.SOURCE_REMOVE)
        wake.attach(context)
        try:
            context.iteration(True)
        finally:
            wake.destroy()
    return True


class RecordingActor(Maiko.Actor):
    """Records (label, payload, sender, topic) of every event it handles,
    and the calls of its lifecycle vfuncs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.events = Recorder()
        self.envelopes = []
        self.lifecycle = Recorder()
        self.threads = set()

    def do_on_start(self):
        self.threads.add(threading.get_ident())
        self.lifecycle.add('start')
        return True

    def do_handle_event(self, envelope):
        self.threads.add(threading.get_ident())
        self.envelopes.append(envelope)
        event = envelope.event
        self.events.add((event.label, event.payload, envelope.sender, envelope.topic))
        return True

    def do_on_shutdown(self):
        self.lifecycle.add('shutdown')

    def labels(self):
        return [item[0] for item in self.events.snapshot()]

    def payloads(self):
        return [item[1] for item in self.events.snapshot()]


class GatedActor(RecordingActor):
    """Holds its first event until gate is set: the mailbox fills behind it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.entered = threading.Event()
        self.gate = threading.Event()

    def do_handle_event(self, envelope):
        if not self.entered.is_set():
            self.entered.set()
            assert self.gate.wait(TIMEOUT), 'gate never opened'
        return super().do_handle_event(envelope)
