# Actors that come, go and restart, from Python: remove_actor, spawning
# and removing from inside an actor, restarts made by a Python factory,
# and the actor-restarted class handler.
#
# SPDX-License-Identifier: MIT

import time

import pytest

from conftest import TIMEOUT, Recorder, RecordingActor, error_is, iterate_until
from gi.repository import GLib, Maiko


def poll_until(predicate):
    """Waits, looking every millisecond, until predicate() holds: for
    what actor threads change without telling."""
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        assert time.monotonic() < deadline, 'condition not met within %.0f s' % TIMEOUT
        time.sleep(0.001)


def test_remove_actor_drains_it_and_frees_the_name():
    victim = RecordingActor()
    again = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('victim', victim, ['Job'])
        sup.start()
        for i in range(5):
            sup.send('Job', i)
        sup.remove_actor('victim')
        # Removed: it handled what its mailbox held and shut down.
        assert victim.payloads() == [0, 1, 2, 3, 4]
        assert victim.lifecycle.snapshot() == ['start', 'shutdown']
        assert sup.get_actor('victim') is None
        sup.send('Job', 5)
        assert sup.get_unrouted_count() == 1
        sup.add_actor('victim', again, ['Job'])
        sup.send('Job', 6)
        again.events.wait_len(1)
    assert again.payloads() == [6]
    assert sup.get_undelivered_count() == 0


def test_remove_actor_errors():
    sup = Maiko.Supervisor()
    sup.add_actor('a', RecordingActor())
    with pytest.raises(GLib.Error) as info:
        sup.remove_actor('a')
    assert error_is(info.value, Maiko.Error.WRONG_STATE)
    sup.start()
    with pytest.raises(GLib.Error) as info:
        sup.remove_actor('nobody')
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
    assert info.value.message == 'The supervisor has no actor named “nobody”'
    with pytest.raises(ValueError):
        sup.remove_actor('a\0b')
    sup.stop()


class Coordinator(Maiko.Actor):
    """Spawns a Worker per Spawn(name) with ctx.add_actor, and removes it
    with ctx.remove_actor once it reports Done(name)."""

    def __init__(self):
        super().__init__()
        self.log = Recorder()
        self.refusals = []

    def do_handle_event(self, envelope):
        event = envelope.event
        if event.label == 'Spawn':
            self.context.add_actor(event.payload, Worker(), ['Work-' + event.payload])
            self.log.add('spawned ' + event.payload)
        elif event.label == 'Done':
            self.context.remove_actor(event.payload)
            self.log.add('removed ' + event.payload)
        elif event.label == 'RemoveMyself':
            try:
                self.context.remove_actor(self.context.name)
            except GLib.Error as e:
                self.refusals.append(e.message)
        return True


class Worker(Maiko.Actor):
    def do_handle_event(self, envelope):
        self.context.send('Done', self.context.name)
        return True


def test_spawn_and_remove_from_inside_an_actor():
    coordinator = Coordinator()
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('coordinator', coordinator, ['Spawn', 'Done', 'RemoveMyself'])
        sup.start()
        for i in range(20):
            sup.send('Spawn', 'w%d' % i)
        coordinator.log.wait_len(20)
        for i in range(20):
            sup.send('Work-w%d' % i)
        coordinator.log.wait_len(40)
        sup.send('RemoveMyself')
    log = coordinator.log.snapshot()
    assert sorted(log) == sorted(['spawned w%d' % i for i in range(20)] +
                                 ['removed w%d' % i for i in range(20)])
    assert all(sup.get_actor('w%d' % i) is None for i in range(20))
    # The error names the Python method.
    assert coordinator.refusals == [
        'Actor “coordinator” cannot remove itself: ctx.stop() ends it']


class Flaky(Maiko.Actor):
    """Raises on Boom; records what each instance handled."""

    def __init__(self, instances):
        super().__init__()
        self.handled = []
        instances.append(self)

    def do_handle_event(self, envelope):
        if envelope.event.label == 'Boom':
            raise RuntimeError('boom')
        self.handled.append(envelope.event.payload)
        return True


class RestartLog(Maiko.Monitor):
    def __init__(self):
        super().__init__()
        self.restarts = Recorder()

    def do_actor_restarted(self, actor, count, error):
        self.restarts.add((actor, count, error.message if error else None))


def test_a_python_factory_makes_each_instance():
    instances = []
    log = RestartLog()
    sup = Maiko.Supervisor()
    first = sup.add_restartable_actor('flaky', lambda name: Flaky(instances), ['default'])
    assert first is instances[0]
    sup.add_monitor(log)
    sup.start()
    sup.send('N', 1)
    sup.send('Boom')
    for i in range(2, 10):
        sup.send('N', i)
    # The monitor's records wake this thread's default context.
    iterate_until(lambda: len(instances) == 2 and len(instances[1].handled) == 8)
    sup.stop()
    assert [i.handled for i in instances] == [[1], list(range(2, 10))]
    assert sup.get_restart_count('flaky') == 1
    assert log.restarts.snapshot() == [('flaky', 1, 'RuntimeError: boom')]


def test_strategy_and_intensity_as_construct_properties():
    instances = []
    sup = Maiko.Supervisor(restart_strategy=Maiko.RestartStrategy.ONE_FOR_ALL,
                           max_restarts=1, restart_period=3600)
    assert sup.props.restart_strategy == Maiko.RestartStrategy.ONE_FOR_ALL
    others = []
    sup.add_restartable_actor('flaky', lambda name: Flaky(instances), ['default'])
    sup.add_restartable_actor('other', lambda name: Flaky(others), ['none'])
    sup.start()
    sup.send('Boom')
    # One restart of both (one for all), then the second Boom is past the bound.
    poll_until(lambda: len(instances) == 2 and len(others) == 2)
    sup.send('Boom')
    with pytest.raises(GLib.Error) as info:
        sup.join()
    assert 'more than max-restarts (1) times in 3600 s' in info.value.message
    assert (len(instances), len(others)) == (2, 2)


def test_a_failing_factory_stops_the_runtime():
    calls = []

    def factory(name):
        calls.append(name)
        if len(calls) > 1:
            raise OSError('no more')
        return Flaky([])

    sup = Maiko.Supervisor()
    sup.add_restartable_actor('flaky', factory, ['default'])
    sup.start()
    sup.send('Boom')
    with pytest.raises(GLib.Error) as info:
        sup.join()
    assert info.value.message == ('Actor “flaky” could not be restarted: '
                                  'The factory of actor “flaky” made no actor')
    assert calls == ['flaky', 'flaky']


def test_factory_must_be_callable():
    with pytest.raises(TypeError):
        Maiko.Supervisor().add_restartable_actor('x', 'not a function')
