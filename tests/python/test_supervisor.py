# Maiko.Supervisor from Python: the context manager, actors, topic
# functions, sends and error codes.
#
# SPDX-License-Identifier: MIT

import threading

import pytest

from conftest import TIMEOUT, Recorder, RecordingActor, error_is, iterate_until
from gi.repository import GLib, Maiko


def test_construct_properties():
    sup = Maiko.Supervisor(mailbox_capacity=4, broker_capacity=8, max_events_per_tick=2)
    assert sup.props.mailbox_capacity == 4
    assert sup.props.broker_capacity == 8
    assert sup.props.max_events_per_tick == 2
    assert not sup.is_running()


def test_with_stops_on_exit_after_handling_everything():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        assert isinstance(sup, Maiko.Supervisor)
        # Entered as it is: routing can still be set.
        assert not sup.is_running()
        sup.set_route_by_label()
        sup.add_actor('counter', actor, ['Count'])
        sup.start()
        assert sup.is_running()
        for i in range(100):
            sup.send('Count', i)
    # The stop on exit is graceful: all 100 were handled, the actor ended.
    assert not sup.is_running()
    assert actor.payloads() == list(range(100))
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']
    assert not actor.is_running()
    with pytest.raises(GLib.Error) as info:
        sup.send('Count', 100)
    assert error_is(info.value, Maiko.Error.STOPPED)


def test_with_never_started_is_left_alone():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('idle', actor, ['default'])
    assert actor.lifecycle.snapshot() == []
    # Never started, so it still can be.
    sup.start()
    sup.stop()
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']


def test_with_stops_when_the_block_raises():
    actor = RecordingActor()
    with pytest.raises(KeyError):
        with Maiko.Supervisor() as sup:
            sup.add_actor('receiver', actor, ['default'])
            sup.start()
            sup.send('Before')
            raise KeyError('boom')
    assert not sup.is_running()
    assert actor.labels() == ['Before']
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']


def test_with_after_run_and_after_stop():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('receiver', actor, ['default'])
        sup.start()
        sup.stop()
        assert not sup.is_running()
    # Leaving the block after an explicit stop does nothing more.
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']


def test_add_actor_forms():
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        one = sup.add_actor('one', RecordingActor(), 'A')
        many = sup.add_actor('many', RecordingActor(), ('A', 'B'))
        none = sup.add_actor('none', RecordingActor())
        everything = sup.add_actor('all', RecordingActor(), ['*'])
        assert isinstance(one, RecordingActor)
        assert sup.get_actor('one') is one
        assert sup.get_actor('missing') is None
        assert one.get_name() == 'one' and one.props.name == 'one'
        sup.start()
        for label in ('A', 'B', 'C'):
            sup.send(label)
        everything.events.wait_len(3)
        many.events.wait_len(2)
        one.events.wait_len(1)
    assert one.labels() == ['A']
    assert many.labels() == ['A', 'B']
    assert none.labels() == []
    assert everything.labels() == ['A', 'B', 'C']


def test_actor_added_while_running_starts_at_once():
    early, late = RecordingActor(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('early', early, ['default'])
        sup.start()
        sup.send('One')
        sup.add_actor('late', late, ['default'])
        late.lifecycle.wait_len(1)
        sup.send('Two')
        late.events.wait_len(1)
        early.events.wait_len(2)
    assert early.labels() == ['One', 'Two']
    assert late.labels() == ['Two']
    assert late.lifecycle.snapshot() == ['start', 'shutdown']


def test_topic_func_as_a_plain_callable():
    lower, upper = RecordingActor(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.set_topic_func(lambda event: event.label.lower())
        sup.add_actor('lower', lower, ['hello'])
        sup.add_actor('upper', upper, ['bye'])
        sup.start()
        sup.send('Hello', 'World')
        sup.send('Bye')
        lower.events.wait_len(1)
        upper.events.wait_len(1)
    assert lower.events.snapshot() == [('Hello', 'World', 'supervisor', 'hello')]
    assert upper.events.snapshot() == [('Bye', None, 'supervisor', 'bye')]


def test_topic_func_gets_an_event_and_user_data():
    seen = []
    actor = RecordingActor()

    def by_payload(event, prefix):
        seen.append((type(event), event.label, event.payload))
        return prefix + event.payload

    with Maiko.Supervisor() as sup:
        sup.set_topic_func(by_payload, 'room-')
        sup.add_actor('kitchen', actor, ['room-kitchen'])
        sup.start()
        sup.send('Enter', 'kitchen')
        sup.send('Enter', 'hall')
        sup.send('Leave', 'kitchen')
        actor.events.wait_len(2)
    assert actor.events.snapshot() == [('Enter', 'kitchen', 'supervisor', 'room-kitchen'),
                                       ('Leave', 'kitchen', 'supervisor', 'room-kitchen')]
    assert all(issubclass(kind, Maiko.Event) for kind, _, _ in seen)
    assert [(label, payload) for _, label, payload in seen] == [
        ('Enter', 'kitchen'), ('Enter', 'hall'), ('Leave', 'kitchen')]


def test_topic_func_none_restores_the_default_topic():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.set_topic_func(lambda event: 'elsewhere')
        sup.set_topic_func(None)
        sup.add_actor('default', actor, [Maiko.DEFAULT_TOPIC])
        sup.start()
        sup.send('Hello')
        actor.events.wait_len(1)
    assert actor.events.snapshot() == [('Hello', None, 'supervisor', 'default')]


def test_topic_func_exception_is_raised_by_send():
    def topic(event):
        if event.label == 'Bad':
            raise KeyError('no topic for Bad')
        if event.label == 'Number':
            return 7
        return 'ok'

    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.set_topic_func(topic)
        sup.add_actor('ok', actor, ['ok'])
        sup.start()
        with pytest.raises(KeyError, match='no topic for Bad'):
            sup.send('Bad')
        with pytest.raises(TypeError, match='non-empty str'):
            sup.send('Number')
        sup.send('Good')
        actor.events.wait_len(1)
    assert actor.labels() == ['Good']


def test_topic_func_exception_is_raised_by_context_send():
    class Forwarder(Maiko.Actor):
        def __init__(self):
            super().__init__()
            self.outcomes = Recorder()

        def do_handle_event(self, envelope):
            try:
                self.context.send('Bad')
                self.outcomes.add('sent')
            except KeyError as e:
                self.outcomes.add('KeyError: %s' % e)
            return True

    forwarder = Forwarder()
    with Maiko.Supervisor() as sup:
        sup.set_topic_func(lambda event: {'Go': 'go'}[event.label])
        sup.add_actor('forwarder', forwarder, ['go'])
        sup.start()
        sup.send('Go')
        forwarder.outcomes.wait_len(1)
    assert forwarder.outcomes.snapshot() == ["KeyError: 'Bad'"]


def test_routing_is_set_before_start_only():
    with Maiko.Supervisor() as sup:
        sup.start()
        with pytest.raises(GLib.Error) as info:
            sup.set_topic_func(lambda event: 'x')
        assert error_is(info.value, Maiko.Error.WRONG_STATE)
        with pytest.raises(GLib.Error) as info:
            sup.set_route_by_label()
        assert error_is(info.value, Maiko.Error.WRONG_STATE)


def test_send_forms():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('receiver', actor, ['default'])
        sup.start()
        sup.send(Maiko.Event('A', 1))
        sup.send('B', [1, 2])
        sup.send('C', 3, variant_type='q')
        sup.send('D')
        with pytest.raises(TypeError):
            sup.send(Maiko.Event('E'), 5)
        with pytest.raises(TypeError):
            sup.send(42)
        actor.events.wait_len(4)
    assert actor.payloads() == [1, [1, 2], 3, None]
    assert actor.envelopes[2].event.variant.get_type_string() == 'q'


def test_error_codes():
    sup = Maiko.Supervisor()
    actor = RecordingActor()
    sup.add_actor('a', actor, ['default'])

    def code_of(call, *args):
        with pytest.raises(GLib.Error) as info:
            call(*args)
        assert info.value.domain == GLib.quark_to_string(Maiko.error_quark())
        return info.value.code

    # The supervisor's send waits for start; an actor cannot send yet.
    assert code_of(actor.context.send, 'Early') == Maiko.Error.WRONG_STATE
    assert code_of(sup.stop) == Maiko.Error.WRONG_STATE
    assert code_of(sup.join) == Maiko.Error.WRONG_STATE
    assert code_of(sup.add_actor, 'a', RecordingActor(), None) == Maiko.Error.DUPLICATE_ACTOR
    assert code_of(sup.add_actor, 'again', actor, None) == Maiko.Error.DUPLICATE_ACTOR
    assert code_of(sup.add_actor, 'supervisor', RecordingActor(), None) == Maiko.Error.INVALID_ARGUMENT
    assert code_of(sup.add_actor, '', RecordingActor(), None) == Maiko.Error.INVALID_ARGUMENT
    assert code_of(sup.add_actor, 'b', RecordingActor(), ['*', 'x']) == Maiko.Error.INVALID_ARGUMENT
    assert code_of(sup.add_actor, 'c', RecordingActor(), ['']) == Maiko.Error.INVALID_ARGUMENT
    assert code_of(sup.set_topic_policy, '*', Maiko.OverflowPolicy.DROP) == Maiko.Error.INVALID_ARGUMENT

    sup.start()
    assert code_of(sup.start) == Maiko.Error.WRONG_STATE
    sup.stop()
    assert code_of(sup.send, 'Late') == Maiko.Error.STOPPED
    assert code_of(sup.add_actor, 'late', RecordingActor(), None) == Maiko.Error.WRONG_STATE
    # Stopping a stopped supervisor does nothing.
    sup.stop()


def test_blocking_calls_from_inside_an_actor_are_refused():
    class Impatient(Maiko.Actor):
        def __init__(self, sup):
            super().__init__()
            self.sup = sup
            self.codes = []
            self.messages = []

        def do_handle_event(self, envelope):
            for call in (self.sup.stop, self.sup.join):
                try:
                    call()
                except GLib.Error as e:
                    self.codes.append(e.code)
                    self.messages.append(e.message)
            self.context.stop_runtime()
            return True

    sup = Maiko.Supervisor()
    actor = Impatient(sup)
    sup.add_actor('impatient', actor, ['default'])
    sup.start()
    sup.send('Go')
    sup.join()
    assert actor.codes == [Maiko.Error.WRONG_STATE, Maiko.Error.WRONG_STATE]
    # The messages name the Python methods, not the C functions.
    assert actor.messages == [
        '%s would wait for actor “impatient”, from which it was called; '
        'use ctx.stop_runtime() instead' % call for call in ('sup.stop()', 'sup.join()')]


def test_join_returns_after_stop_runtime():
    class Counter(Maiko.Actor):
        def __init__(self):
            super().__init__()
            self.count = 0

        def do_handle_event(self, envelope):
            self.count += 1
            if self.count == 3:
                self.context.stop_runtime()
            return True

    counter = Counter()
    sup = Maiko.Supervisor()
    sup.add_actor('counter', counter, ['default'])
    sup.start()
    for _ in range(3):
        sup.send('Tick')
    assert sup.join() is True
    assert counter.count == 3
    assert not sup.is_running()


def test_run_joins():
    class Stopper(Maiko.Actor):
        def do_on_start(self):
            self.context.stop_runtime()
            return True

    with Maiko.Supervisor() as sup:
        sup.add_actor('stopper', Stopper())
        assert sup.run() is True
        assert not sup.is_running()


def test_async_send_and_join_on_a_main_loop():
    class Counter(Maiko.Actor):
        def __init__(self):
            super().__init__()
            self.payloads = []

        def do_handle_event(self, envelope):
            self.payloads.append(envelope.event.payload)
            if len(self.payloads) == 3:
                self.context.stop_runtime()
            return True

    counter = Counter()
    results = []
    sup = Maiko.Supervisor()
    sup.add_actor('counter', counter, ['default'])
    sup.start()

    def sent(source, result, n):
        results.append(('sent', n, source.send_finish(result)))

    def joined(source, result):
        results.append(('joined', source.join_finish(result)))

    for n in range(3):
        sup.send_async(Maiko.Event('N', n), None, sent, n)
    sup.join_async(None, joined)
    iterate_until(lambda: any(r[0] == 'joined' for r in results))
    assert counter.payloads == [0, 1, 2]
    assert sorted(r for r in results if r[0] == 'sent') == [('sent', n, True) for n in range(3)]
    assert ('joined', True) in results


def test_stop_async_from_a_main_context_actor():
    done = []

    class Stopper(Maiko.Actor):
        def __init__(self, sup):
            super().__init__(main_context=GLib.MainContext.default())
            self.sup = sup

        def do_handle_event(self, envelope):
            # The callback runs in the thread-default context of the caller:
            # here the main context, which the test iterates.
            self.sup.stop_async(None, lambda source, result: done.append(source.stop_finish(result)))
            return True

    sup = Maiko.Supervisor()
    sup.add_actor('stopper', Stopper(sup), ['default'])
    sup.start()
    sup.send('Go')
    iterate_until(lambda: done, timeout=TIMEOUT)
    assert done == [True]
    assert not sup.is_running()


class Failing(Maiko.Actor):
    def do_handle_event(self, envelope):
        raise RuntimeError('broken on %s' % envelope.event.label)


def test_leaving_the_block_raises_an_actor_error():
    # stop() reports the first actor error, as maiko's does; the with
    # block calls it, so a failed actor is not missed.
    with pytest.raises(GLib.Error) as info:
        with Maiko.Supervisor() as sup:
            sup.add_actor('failing', Failing(), ['default'])
            sup.start()
            sup.send('Work')
    assert info.value.message == 'RuntimeError: broken on Work'
    # Given once: a second stop, or a join, has nothing more to report.
    sup.stop()
    sup.join()


def test_an_exception_leaving_the_block_is_not_masked():
    with pytest.raises(KeyError):
        with Maiko.Supervisor() as sup:
            sup.add_actor('failing', Failing(), ['default'])
            sup.start()
            sup.send('Work')
            raise KeyError('mine')


def test_send_before_start_waits_for_it():
    # As in maiko: what the supervisor and a harness send before start is
    # routed at start, in order, after on_start; at most broker-capacity.
    sup = Maiko.Supervisor(broker_capacity=4)
    actor = RecordingActor()
    sup.add_actor('a', actor, ['default'])
    harness = Maiko.Harness.new(sup)
    sup.send('One')
    harness.send_as('sensor', Maiko.Event('Two'))
    sup.send('Three')
    sup.send('Four')
    with pytest.raises(GLib.Error) as info:
        sup.send('Five')
    assert error_is(info.value, Maiko.Error.MAILBOX_FULL)
    with sup:
        sup.start()
        actor.events.wait_len(4)
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']
    assert actor.labels() == ['One', 'Two', 'Three', 'Four']


class GatedStarter(Maiko.Actor):
    """An actor whose do_on_start waits until the test opens its gate, and
    may then fail."""

    def __init__(self, error=None):
        super().__init__()
        self.gate = threading.Event()
        self.error = error
        self.started = threading.Event()

    def do_on_start(self):
        assert self.gate.wait(TIMEOUT)
        self.started.set()
        if self.error is not None:
            raise self.error
        return True


def test_wait_ready_waits_for_do_on_start():
    starter = GatedStarter()
    with Maiko.Supervisor() as sup:
        sup.add_actor('starter', starter)
        sup.start()
        # start() does not wait for do_on_start.
        assert not starter.started.is_set()
        results = []
        waiter = threading.Thread(target=lambda: results.append(sup.wait_ready()))
        waiter.start()
        starter.gate.set()
        waiter.join(TIMEOUT)
        assert results == [True]
        assert starter.started.is_set()
        assert sup.wait_ready('starter') is True


def test_wait_ready_raises_what_ended_an_actor_in_do_on_start():
    starter = GatedStarter(error=OSError('port 8080 taken'))
    starter.gate.set()
    sup = Maiko.Supervisor()
    sup.add_actor('starter', starter)
    sup.start()
    with pytest.raises(GLib.Error) as info:
        sup.wait_ready('starter')
    assert info.value.message.startswith('Actor “starter” failed to start: ')
    assert 'port 8080 taken' in info.value.message
    with pytest.raises(GLib.Error):
        sup.stop()


def test_wait_ready_refusals():
    sup = Maiko.Supervisor()
    with pytest.raises(GLib.Error) as info:
        sup.wait_ready()
    assert error_is(info.value, Maiko.Error.WRONG_STATE)

    class Impatient(Maiko.Actor):
        def __init__(self):
            super().__init__()
            self.messages = []

        def do_handle_event(self, envelope):
            try:
                sup.wait_ready()
            except GLib.Error as e:
                self.messages.append(e.message)
            self.context.stop_runtime()
            return True

    actor = Impatient()
    sup.add_actor('impatient', actor, ['default'])
    sup.start()
    with pytest.raises(GLib.Error) as info:
        sup.wait_ready('nobody')
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
    with pytest.raises(ValueError):
        sup.wait_ready('no\0body')
    sup.send('Go')
    sup.join()
    assert actor.messages == [
        'sup.wait_ready() would wait for actor “impatient”, from which it was called; '
        'an actor that others wait for can send an event when it is ready']
