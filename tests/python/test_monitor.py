# Monitors from Python: signals connected on the main loop, subclasses
# overriding the class handlers, pause and the dropped count.
#
# SPDX-License-Identifier: MIT

import threading

from conftest import (MAIN_THREAD, RecordingActor, error_is, iterate_until)
from gi.repository import GLib, Maiko


class SignalLog:
    """Connects to every signal of @monitor and keeps (hook, label, topic,
    actor) tuples, with the threads the handlers ran on."""

    EVENT_HOOKS = ('event-dispatched', 'event-delivered', 'event-handled')

    def __init__(self, monitor):
        self.entries = []
        self.threads = set()
        self.envelopes = []
        for hook in self.EVENT_HOOKS:
            monitor.connect(hook, self._on_event, hook)
        monitor.connect('overflow', self._on_overflow)
        monitor.connect('error', self._on_error)
        monitor.connect('actor-registered', self._on_actor, 'actor-registered')
        monitor.connect('actor-stopped', self._on_actor, 'actor-stopped')

    def _add(self, entry):
        self.threads.add(threading.get_ident())
        self.entries.append(entry)

    def _on_event(self, monitor, envelope, topic, receiver, hook):
        self.envelopes.append(envelope)
        self._add((hook, envelope.event.label, topic, receiver))

    def _on_overflow(self, monitor, envelope, topic, receiver, policy):
        self._add(('overflow', envelope.event.label, topic, receiver, policy))

    def _on_error(self, monitor, actor, error):
        self._add(('error', error.message, actor))

    def _on_actor(self, monitor, actor, hook):
        self._add((hook, actor))

    def count(self, hook, actor=None):
        return sum(1 for e in self.entries
                   if e[0] == hook and (actor is None or e[-1] == actor))


def test_a_monitor_keeps_up_with_its_busy_owner():
    # The main thread owns the monitor and sends 201 events under BLOCK to
    # three threaded Python actors: it waits for room most of the time, and
    # emits the monitor's records meanwhile. 201 × 3 receivers × 3 hooks.
    n, receivers = 201, ('a', 'b', 'c')
    sup = Maiko.Supervisor(mailbox_capacity=8)
    sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK)
    for name in receivers:
        sup.add_actor(name, RecordingActor(), ['default'])
    monitor = Maiko.Monitor()
    log = SignalLog(monitor)
    sup.add_monitor(monitor)
    sup.start()
    for i in range(n):
        sup.send('N', i)
    sup.stop()

    assert monitor.props.dropped_count == 0
    assert sum(log.count(hook) for hook in SignalLog.EVENT_HOOKS) == 1809
    for hook in SignalLog.EVENT_HOOKS:
        for name in receivers:
            assert log.count(hook, name) == n
    assert log.threads == {MAIN_THREAD}


def test_signals_on_the_main_loop_count_exactly():
    n, receivers = 40, ('a', 'b', 'c')
    sup = Maiko.Supervisor()
    actors = {name: RecordingActor() for name in receivers}
    for name, actor in actors.items():
        sup.add_actor(name, actor, ['default'])
    monitor = Maiko.Monitor()
    log = SignalLog(monitor)
    sup.add_monitor(monitor)
    assert monitor.get_main_context() == GLib.MainContext.default()

    sup.start()
    for i in range(n):
        sup.send('N', i)
    loop = GLib.MainLoop()
    GLib.idle_add(lambda: iterate_done(loop, log, n * len(receivers)))
    GLib.timeout_add_seconds(10, loop.quit)
    loop.run()
    sup.stop()

    for hook in SignalLog.EVENT_HOOKS:
        assert log.count(hook) == n * len(receivers), hook
        for name in receivers:
            assert log.count(hook, name) == n
    assert log.count('actor-registered') == 3
    assert log.count('actor-stopped') == 3
    assert log.threads == {MAIN_THREAD}
    assert all(e[2] == 'default' for e in log.entries if e[0] in SignalLog.EVENT_HOOKS)
    # Envelopes kept from the handlers stay valid.
    assert {env.event.payload for env in log.envelopes} == set(range(n))
    assert monitor.props.dropped_count == 0


def iterate_done(loop, log, expected):
    # Polled from an idle: quits once every event was handled everywhere.
    if log.count('event-handled') == expected:
        loop.quit()
        return GLib.SOURCE_REMOVE
    return GLib.SOURCE_CONTINUE


def test_order_for_one_event_and_receiver():
    sup = Maiko.Supervisor()
    sup.add_actor('sink', RecordingActor(), ['default'])
    monitor = Maiko.Monitor()
    log = SignalLog(monitor)
    sup.add_monitor(monitor)
    with sup:
        sup.start()
        sup.send('Only', None)
        iterate_until(lambda: log.count('event-handled') == 1)
    hooks = [e[0] for e in log.entries if e[0] in SignalLog.EVENT_HOOKS]
    assert hooks == list(SignalLog.EVENT_HOOKS)


class CountingMonitor(Maiko.Monitor):
    """Overrides the class handlers instead of connecting."""

    def __init__(self):
        super().__init__()
        self.handled = []
        self.stopped = []
        self.errors = []

    def do_event_handled(self, envelope, topic, receiver):
        self.handled.append((envelope.event.payload, receiver))

    def do_actor_stopped(self, actor):
        self.stopped.append(actor)

    def do_error(self, actor, error):
        self.errors.append((actor, error.message))


class FailingOnOdd(RecordingActor):
    def do_handle_event(self, envelope):
        if envelope.event.payload % 2:
            raise ValueError('odd %d' % envelope.event.payload)
        return super().do_handle_event(envelope)

    def do_on_error(self, error):
        return True


def test_subclass_overrides_class_handlers():
    sup = Maiko.Supervisor()
    sup.add_actor('picky', FailingOnOdd(), ['default'])
    monitor = CountingMonitor()
    sup.add_monitor(monitor)
    with sup:
        sup.start()
        for i in range(6):
            sup.send('N', i)
        iterate_until(lambda: len(monitor.handled) + len(monitor.errors) == 9)
    # A failed handling is handled too, then an error, as in maiko.
    assert monitor.handled == [(i, 'picky') for i in range(6)]
    assert monitor.errors == [('picky', 'ValueError: odd %d' % i) for i in (1, 3, 5)]
    assert monitor.stopped == ['picky']


def test_error_signal_carries_a_glib_error():
    sup = Maiko.Supervisor()
    sup.add_actor('picky', FailingOnOdd(), ['default'])
    monitor = Maiko.Monitor()
    errors = []
    monitor.connect('error', lambda m, actor, error: errors.append((actor, error)))
    sup.add_monitor(monitor)
    with sup:
        sup.start()
        sup.send('N', 1)
        iterate_until(lambda: len(errors) == 1)
    actor, error = errors[0]
    assert actor == 'picky'
    assert error_is(error, Maiko.Error.FAILED)
    assert error.message == 'ValueError: odd 1'


def test_pause_resume_and_supervisor_wide_pause():
    sup = Maiko.Supervisor()
    sink = RecordingActor()
    sup.add_actor('sink', sink, ['default'])
    monitor = Maiko.Monitor()
    log = SignalLog(monitor)
    sup.add_monitor(monitor)
    with sup:
        sup.start()
        monitor.pause()
        assert monitor.props.paused
        sup.send('Paused', 0)
        sink.events.wait_len(1)
        monitor.resume()
        sup.pause_monitoring()
        sup.send('AllPaused', 1)
        sink.events.wait_len(2)
        sup.resume_monitoring()
        sup.send('Seen', 2)
        iterate_until(lambda: log.count('event-handled') == 1)
    # event-delivered is recorded before the handler runs, so once the
    # handler has run its record was made or skipped.
    delivered = [e[1] for e in log.entries if e[0] == 'event-delivered']
    assert delivered == ['Seen']


def test_add_twice_and_remove_unknown_fail():
    sup = Maiko.Supervisor()
    other = Maiko.Supervisor()
    monitor = Maiko.Monitor()
    sup.add_monitor(monitor)
    assert monitor.dup_supervisor() == sup
    for call in (lambda: sup.add_monitor(monitor),
                 lambda: other.add_monitor(monitor),
                 lambda: other.remove_monitor(monitor)):
        try:
            call()
        except GLib.Error as error:
            assert error_is(error, Maiko.Error.INVALID_ARGUMENT)
        else:
            raise AssertionError('expected a GLib.Error')
    sup.remove_monitor(monitor)
    assert monitor.dup_supervisor() is None


def test_dropped_count_when_nobody_runs_the_context():
    sup = Maiko.Supervisor(monitoring_capacity=4)
    sink = RecordingActor()
    sup.add_actor('sink', sink, ['default'])
    idle = GLib.MainContext.new()
    idle.push_thread_default()
    try:
        monitor = Maiko.Monitor()
        log = SignalLog(monitor)
        sup.add_monitor(monitor)
    finally:
        idle.pop_thread_default()
    with sup:
        sup.start()
        for i in range(10):
            sup.send('N', i)
        sink.events.wait_len(10)
    # registered, 10 × 3 event hooks, stopped: 32 records, 4 kept.
    assert monitor.props.dropped_count == 32 - 4
    assert log.entries == []
    while idle.iteration(False):
        pass
    assert len(log.entries) == 4


def test_a_lossless_recorder_writes_every_record(tmp_path):
    # A recorder of 4 records, lossless: the runtime waits for it instead
    # of dropping, and the file holds every record of the run.
    n = 500
    path = str(tmp_path / 'audit.jsonl')
    recorder = Maiko.Recorder.new(path)
    recorder.props.lossless = True
    recorder.props.capacity = 4
    with Maiko.Supervisor(mailbox_capacity=16) as sup:
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK)
        sup.add_monitor(recorder)
        for name in ('a', 'b'):
            sup.add_actor(name, RecordingActor(), ['default'])
        sup.start()
        for i in range(n):
            sup.send('N', i)
    recorder.close()

    assert recorder.props.dropped_count == 0
    hooks = [record.get_hook().value_nick for record in Maiko.Recorder.read_file(path)]
    for hook in SignalLog.EVENT_HOOKS:
        assert hooks.count(hook) == 2 * n
    assert hooks.count('actor-registered') == hooks.count('actor-stopped') == 2
    # The rest tell when a mailbox was full and the sender waited.
    assert set(hooks) - set(SignalLog.EVENT_HOOKS) <= {'actor-registered', 'actor-stopped',
                                                       'overflow'}
    assert len(hooks) - hooks.count('overflow') == 6 * n + 4
