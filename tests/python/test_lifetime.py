# Envelopes given to Python: one that Python code keeps stays valid (also
# from a handler that raised), and every one it lets go is freed. The
# payloads come from MaikoTest.tracked_int64(), which counts the live ones:
# an envelope keeps its event, which keeps its payload.
#
# SPDX-License-Identifier: MIT

import gc

import gi
import pytest

gi.require_version('MaikoTest', '1.0')
from gi.repository import GLib, Maiko, MaikoTest  # noqa: E402

from conftest import UUID_V4, Recorder, iterate_until  # noqa: E402

N = 20000


def live_payloads():
    gc.collect()
    return MaikoTest.live_payloads()


class Counting(Maiko.Actor):
    """Counts what it handles; keeps the envelopes whose payload is in
    @keep, and raises on those in @fail."""

    def __init__(self, keep=(), fail=(), **kwargs):
        super().__init__(**kwargs)
        self.keep = set(keep)
        self.fail = set(fail)
        self.kept = []
        self.handled = Recorder()
        self.errors = Recorder()

    def do_handle_event(self, envelope):
        value = envelope.event.payload
        if value in self.keep:
            self.kept.append(envelope)
        self.handled.add(value)
        if value in self.fail:
            raise ValueError('refused %d' % value)

    def do_on_error(self, error):
        self.errors.add(error.message)
        return True


def run_producer(receiver, count, monitor=None):
    sup = Maiko.Supervisor(mailbox_capacity=64)
    sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK)
    if monitor is not None:
        sup.add_monitor(monitor)
    sup.add_actor('producer', MaikoTest.Producer.new('Num', count), None)
    sup.add_actor('receiver', receiver, ['*'])
    sup.start()
    try:
        # Iterating the main context runs the receiver if it is bound there.
        iterate_until(lambda: len(receiver.handled) >= count)
    finally:
        sup.stop()


def test_handle_event_borrows_its_envelope():
    [envelope] = Maiko.Actor.do_handle_event.get_arguments()
    assert envelope.get_name() == 'envelope'
    assert envelope.get_ownership_transfer() == 0  # GI_TRANSFER_NOTHING


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_handled_envelopes_are_freed(bound):
    base = live_payloads()
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    receiver = Counting(**kwargs)
    run_producer(receiver, N)
    assert receiver.handled.snapshot() == list(range(N))
    del receiver
    assert live_payloads() == base


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_kept_envelopes_stay_valid_also_from_a_raising_handler(bound):
    base = live_payloads()
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    receiver = Counting(keep=(3, 7, 11), fail=(7, 11, 12), **kwargs)
    run_producer(receiver, 100)
    assert receiver.errors.snapshot() == ['ValueError: refused %d' % n for n in (7, 11, 12)]
    # Churn the allocator: a freed envelope would now hold other data.
    churn = [Maiko.Event('Churn', 'x' * 64) for _ in range(2000)]
    del churn
    assert live_payloads() == base + 3
    assert [(e.event.label, e.event.payload, e.sender) for e in receiver.kept] == \
        [('Num', value, 'producer') for value in (3, 7, 11)]
    assert all(UUID_V4.match(e.id) for e in receiver.kept)
    receiver.kept.clear()
    assert live_payloads() == base


def test_envelopes_kept_from_monitor_signals_stay_valid():
    base = live_payloads()
    monitor = Maiko.Monitor()
    kept = {}

    def on_hook(hook):
        def handler(_monitor, envelope, topic, receiver_name):
            if envelope.event.payload == 5:
                kept[hook] = envelope
        return handler

    for hook in ('event-dispatched', 'event-delivered', 'event-handled'):
        monitor.connect(hook, on_hook(hook))
    receiver = Counting()
    run_producer(receiver, 50, monitor)
    monitor.flush()
    assert sorted(kept) == ['event-delivered', 'event-dispatched', 'event-handled']
    # One event, so one payload, for the three.
    assert live_payloads() == base + 1
    assert all(envelope.event.payload == 5 for envelope in kept.values())
    assert len({envelope.id for envelope in kept.values()}) == 1
    kept.clear()
    assert live_payloads() == base
