# Flow control and stopping: overflow policies, and stop() on the main
# thread while Python actors are busy.
#
# SPDX-License-Identifier: MIT

import threading

import pytest

from conftest import (TIMEOUT, GatedActor, Recorder, RecordingActor,
                      error_is, iterate_until)
from gi.repository import GLib, Maiko

Policy = Maiko.OverflowPolicy


def gated_supervisor(policy):
    """A supervisor whose "gated" actor (mailbox of 2, one event per tick)
    is stuck in its first event, and whose "watcher" has plenty of room."""
    sup = Maiko.Supervisor()
    gated = GatedActor(mailbox_capacity=2, max_events_per_tick=1)
    watcher = RecordingActor(mailbox_capacity=64)
    sup.set_topic_policy('default', policy)
    assert sup.get_topic_policy('default') == policy
    sup.add_actor('gated', gated, ['default'])
    sup.add_actor('watcher', watcher, ['default'])
    sup.start()
    sup.send('N', 0)
    assert gated.entered.wait(TIMEOUT)
    return sup, gated, watcher


def test_default_policy_is_fail():
    assert Maiko.Supervisor().get_topic_policy('any') == Policy.FAIL


def test_drop_counts_what_it_drops():
    sup, gated, watcher = gated_supervisor(Policy.DROP)
    # The mailbox takes two; the other eight are dropped, the sender never waits.
    for i in range(1, 11):
        sup.send('N', i)
    assert sup.get_dropped_count() == 8
    gated.gate.set()
    gated.events.wait_len(3)
    watcher.events.wait_len(11)
    sup.stop()
    assert gated.payloads() == [0, 1, 2]
    assert watcher.payloads() == list(range(11))
    assert sup.get_dropped_count() == 8
    assert sup.get_undelivered_count() == 0


def test_block_loses_nothing():
    sup, gated, watcher = gated_supervisor(Policy.BLOCK)
    progress = Recorder()

    def produce():
        for i in range(1, 51):
            sup.send('N', i)
            progress.add(i)

    producer = threading.Thread(target=produce)
    producer.start()
    # Two fit in the mailbox; the third send waits for room.
    progress.wait_len(2)
    sent_while_gated = len(progress)
    gated.gate.set()
    producer.join(TIMEOUT)
    assert not producer.is_alive()
    gated.events.wait_len(51)
    watcher.events.wait_len(51)
    sup.stop()
    assert sent_while_gated == 2
    assert gated.payloads() == list(range(51))
    assert watcher.payloads() == list(range(51))
    assert sup.get_dropped_count() == 0
    assert sup.get_undelivered_count() == 0


def test_fail_stops_only_the_overflowing_actor():
    sup, gated, watcher = gated_supervisor(Policy.FAIL)
    for i in range(1, 11):
        sup.send('N', i)
    # The third event overflowed: "gated" is closed and will stop; its two
    # queued events, the overflowing one and the seven sent after are lost
    # for it.
    assert sup.get_undelivered_count() == 10
    gated.gate.set()
    # It handles the event it holds, then ends; the others go on.
    gated.lifecycle.wait_len(2)
    assert sup.is_running()
    sup.send('N', 11)
    watcher.events.wait_len(12)
    sup.stop()
    assert gated.payloads() == [0]
    assert gated.lifecycle.snapshot() == ['start', 'shutdown']
    assert watcher.payloads() == list(range(12))
    assert sup.get_undelivered_count() == 11
    assert sup.get_dropped_count() == 0


def test_block_on_the_main_thread_runs_main_context_actors():
    # The receiver runs on the main context: a send that waits for room
    # iterates that context itself instead of deadlocking.
    actor = RecordingActor(main_context=GLib.MainContext.default(),
                           mailbox_capacity=1, max_events_per_tick=1)
    with Maiko.Supervisor() as sup:
        sup.set_topic_policy('default', Policy.BLOCK)
        sup.add_actor('local', actor, ['default'])
        sup.start()
        for i in range(30):
            sup.send('N', i)
        assert len(actor.events) >= 29
    assert actor.payloads() == list(range(30))
    assert sup.get_dropped_count() == 0 and sup.get_undelivered_count() == 0


class Player(Maiko.Actor):
    """Answers every Ball with a Ball, forever, doing some Python work for
    each; records the codes of the answers refused."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hits = 0
        self.rallying = threading.Event()
        self.refused = []
        self.shutdowns = 0

    def do_handle_event(self, envelope):
        self.hits += 1
        sum(i * i for i in range(2000))
        if self.hits == 20:
            self.rallying.set()
        try:
            self.context.send('Ball', envelope.event.payload + 1, parent=envelope)
        except GLib.Error as e:
            self.refused.append(e.code)
        return True

    def do_on_shutdown(self):
        self.shutdowns += 1


class Cruncher(Maiko.Actor):
    """Takes its time over each Job."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.done = []

    def do_handle_event(self, envelope):
        sum(i * i for i in range(20000))
        self.done.append(envelope.event.payload)
        return True


@pytest.mark.parametrize('bound', [False, True], ids=['threads', 'main-context'])
def test_stop_on_the_main_thread_while_actors_are_busy(bound):
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    left, right = Player(**kwargs), Player(**kwargs)
    crunchers = [Cruncher(**kwargs) for _ in range(3)]
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('left', left, ['Ball'])
    sup.add_actor('right', right, ['Ball'])
    for i, cruncher in enumerate(crunchers):
        sup.add_actor('cruncher%d' % i, cruncher, ['Job'])
    sup.start()
    sup.send('Ball', 0)
    for i in range(60):
        sup.send('Job', i)
    if bound:
        iterate_until(lambda: left.rallying.is_set() and right.rallying.is_set())
    else:
        assert left.rallying.wait(TIMEOUT) and right.rallying.wait(TIMEOUT)

    # The rally never ends by itself and the crunchers are busy: stop()
    # must still return, after each actor drained its mailbox.
    sup.stop()
    assert not sup.is_running()
    for cruncher in crunchers:
        assert cruncher.done == list(range(60))
    assert left.shutdowns == 1 and right.shutdowns == 1
    # The rally ended with the stop: an answer refused with STOPPED, or a
    # ball that reached a mailbox already closed.
    assert set(left.refused + right.refused) <= {Maiko.Error.STOPPED}
    assert len(left.refused) + len(right.refused) + sup.get_undelivered_count() >= 1
    hits = (left.hits, right.hits)
    with pytest.raises(GLib.Error) as info:
        sup.send('Ball', 0)
    assert error_is(info.value, Maiko.Error.STOPPED)
    assert (left.hits, right.hits) == hits


def test_stop_from_another_thread_while_main_thread_joins():
    # join() on the main thread, which runs a bound actor; stop() elsewhere.
    local = Player(main_context=GLib.MainContext.default())
    remote = Player()
    sup = Maiko.Supervisor()
    sup.add_actor('local', local, ['default'])
    sup.add_actor('remote', remote, ['default'])
    sup.start()
    sup.send('Ball', 0)

    def stop_when_rallying():
        assert remote.rallying.wait(TIMEOUT)
        sup.stop()

    stopper = threading.Thread(target=stop_when_rallying)
    stopper.start()
    assert sup.join() is True
    stopper.join(TIMEOUT)
    assert not stopper.is_alive()
    assert local.shutdowns == 1 and remote.shutdowns == 1
