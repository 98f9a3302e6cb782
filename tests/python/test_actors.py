# Actors written in Python: lifecycle vfuncs, step actions and errors, on
# threads of their own and on the main context.
#
# SPDX-License-Identifier: MIT

import gc
import threading
import time

import pytest

from conftest import (MAIN_THREAD, TIMEOUT, UUID_V4, Recorder, RecordingActor,
                      error_is, iterate_until)
from gi.repository import GLib, Maiko


Step = Maiko.StepAction


# Lifecycle

def test_threaded_actor_lifecycle():
    actor = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('worker', actor, ['default'])
        assert actor.context.name == 'worker'
        assert actor.context.actor is actor
        sup.start()
        for i in range(20):
            sup.send('N', i)
        actor.events.wait_len(20)
        assert actor.is_running()
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']
    assert actor.payloads() == list(range(20))
    assert not actor.is_running()
    # One thread of its own, not the main one.
    assert len(actor.threads) == 1 and MAIN_THREAD not in actor.threads


def test_main_context_actor_lifecycle():
    actor = RecordingActor(main_context=GLib.MainContext.default())
    assert actor.props.main_context is not None
    with Maiko.Supervisor() as sup:
        sup.add_actor('local', actor, ['default'])
        sup.start()
        # Nothing runs until the main context is iterated.
        assert actor.lifecycle.snapshot() == []
        for i in range(20):
            sup.send('N', i)
        iterate_until(lambda: len(actor.events) == 20)
        assert actor.lifecycle.snapshot() == ['start']
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']
    assert actor.payloads() == list(range(20))
    assert actor.threads == {MAIN_THREAD}


def test_stop_on_the_main_thread_drains_main_context_actors():
    # stop() iterates the main context itself: no explicit iteration here.
    actor = RecordingActor(main_context=GLib.MainContext.default())
    sup = Maiko.Supervisor()
    sup.add_actor('local', actor, ['default'])
    sup.start()
    for i in range(50):
        sup.send('N', i)
    sup.stop()
    assert actor.payloads() == list(range(50))
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']


def test_private_context_shared_by_actors():
    context = GLib.MainContext.new()
    first = RecordingActor(main_context=context)
    second = RecordingActor(main_context=context)
    with Maiko.Supervisor() as sup:
        sup.add_actor('first', first, ['default'])
        sup.add_actor('second', second, ['default'])
        sup.start()
        sup.send('Hello')
        iterate_until(lambda: len(first.events) == 1 and len(second.events) == 1,
                      context=context)
        # The context runs only when iterated: then stop must be iterated
        # too, by whoever owns it. Here, from another thread.
        stopped = threading.Event()

        def stop():
            sup.stop()
            stopped.set()
            context.wakeup()

        stopper = threading.Thread(target=stop)
        stopper.start()
        iterate_until(stopped.is_set, context=context)
        stopper.join(TIMEOUT)
    assert first.lifecycle.snapshot() == ['start', 'shutdown']
    assert second.lifecycle.snapshot() == ['start', 'shutdown']


def test_actor_settings_are_properties():
    actor = RecordingActor(mailbox_capacity=3, max_events_per_tick=2)
    assert actor.props.mailbox_capacity == 3
    assert actor.props.max_events_per_tick == 2
    assert actor.context is None
    assert actor.props.name is None


def test_context_send_forms_and_parent_ids():
    class Replier(Maiko.Actor):
        def do_handle_event(self, envelope):
            event = envelope.event
            if event.label == 'Question':
                self.context.send(Maiko.Event('Plain', 1))
                self.context.send('Child', 2, parent=envelope)
                self.context.send_child_event(Maiko.Event('ById', 3), envelope.id)
                self.context.send_child_event(Maiko.Event('ByEnvelope', 4), envelope)
            return True

    listener = RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('replier', Replier(), ['default'])
        sup.add_actor('listener', listener, ['default'])
        sup.start()
        sup.send('Question')
        listener.events.wait_len(5)
    # The supervisor's event and the replier's may arrive in either order.
    [question] = [e for e in listener.envelopes if e.sender == 'supervisor']
    replies = [e for e in listener.envelopes if e.sender == 'replier']
    assert [e.event.label for e in replies] == ['Plain', 'Child', 'ById', 'ByEnvelope']
    assert [e.event.payload for e in replies] == [1, 2, 3, 4]
    assert [e.sender for e in replies] == ['replier'] * 4
    assert [e.parent_id for e in replies] == [None, question.id, question.id, question.id]


def test_is_sender_full_counts_the_outbox():
    class Burst(Maiko.Actor):
        def __init__(self):
            super().__init__()
            self.full = []

        def do_handle_event(self, envelope):
            self.full.append(self.context.is_sender_full())
            self.context.send('Out', 1)
            self.full.append(self.context.is_sender_full())
            self.context.send('Out', 2)
            self.full.append(self.context.is_sender_full())
            return True

    burst, listener = Burst(), RecordingActor()
    with Maiko.Supervisor(broker_capacity=2) as sup:
        sup.set_route_by_label()
        sup.add_actor('burst', burst, ['In'])
        sup.add_actor('listener', listener, ['Out'])
        sup.start()
        sup.send('In')
        listener.events.wait_len(2)
        assert not burst.context.is_sender_full()
    assert burst.full == [False, False, True]
    assert listener.payloads() == [1, 2]


def test_context_stop_ends_only_that_actor():
    class Quitter(RecordingActor):
        def do_handle_event(self, envelope):
            super().do_handle_event(envelope)
            self.context.stop()
            return True

    quitter, other = Quitter(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('quitter', quitter, ['default'])
        sup.add_actor('other', other, ['default'])
        sup.start()
        sup.send('One')
        quitter.lifecycle.wait_len(2)
        sup.send('Two')
        other.events.wait_len(2)
        assert sup.is_running()
    assert quitter.labels() == ['One']
    assert quitter.lifecycle.snapshot() == ['start', 'shutdown']
    assert other.labels() == ['One', 'Two']


# Steps

class Stepper(RecordingActor):
    """Its step returns the actions of @script in turn, then NEVER, and
    records each call in a log shared with its events."""

    def __init__(self, script, backoff_ms=None, **kwargs):
        super().__init__(**kwargs)
        self.script = list(script)
        self.backoff_ms = backoff_ms
        self.log = Recorder()
        self.step_times = []

    def do_step(self):
        n = len(self.step_times)
        self.step_times.append(time.monotonic())
        self.log.add(('step', n))
        if n >= len(self.script):
            return Step.NEVER
        if self.script[n] == Step.BACKOFF and self.backoff_ms is not None:
            self.context.set_backoff(self.backoff_ms)
        return self.script[n]

    def do_handle_event(self, envelope):
        super().do_handle_event(envelope)
        self.log.add(('event', envelope.event.label))
        return True


@pytest.mark.parametrize('action', [Step.CONTINUE, Step.YIELD])
def test_step_continue_and_yield_run_again(action):
    stepper = Stepper([action] * 5)
    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        stepper.log.wait_len(6)
    # Five times the action, then NEVER: six calls, no more.
    assert stepper.log.snapshot() == [('step', n) for n in range(6)]


@pytest.mark.parametrize('action', [Step.CONTINUE, Step.YIELD])
@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_busy_step_leaves_room_for_events(action, bound):
    # A step that keeps asking for more must not starve the mailbox.
    class Busy(Maiko.Actor):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.steps = 0
            self.stepping = threading.Event()
            self.handled = Recorder()

        def do_step(self):
            self.steps += 1
            self.stepping.set()
            return action if len(self.handled) < 10 else Step.NEVER

        def do_handle_event(self, envelope):
            self.handled.add(envelope.event.payload)
            return True

    busy = Busy(main_context=GLib.MainContext.default()) if bound else Busy()
    with Maiko.Supervisor() as sup:
        sup.add_actor('busy', busy, ['default'])
        sup.start()
        if bound:
            iterate_until(busy.stepping.is_set)
        else:
            assert busy.stepping.wait(TIMEOUT)
        for i in range(10):
            sup.send('N', i)
        if bound:
            iterate_until(lambda: len(busy.handled) == 10)
        else:
            busy.handled.wait_len(10)
        steps_then = busy.steps
    assert busy.handled.snapshot() == list(range(10))
    # Stepping began before the events came, and stops once they are in.
    assert steps_then >= 1
    assert busy.steps <= steps_then + 1


def test_step_never_is_not_called_again():
    stepper = Stepper([])
    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        for label in ('A', 'B'):
            sup.send(label)
        # The first step may come before or after the first events.
        stepper.log.wait_len(3)
    log = stepper.log.snapshot()
    assert [entry for entry in log if entry[0] == 'step'] == [('step', 0)]
    assert [entry for entry in log if entry[0] == 'event'] == [('event', 'A'), ('event', 'B')]


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_step_await_event_waits_for_events(bound):
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    stepper = Stepper([Step.AWAIT_EVENT] * 2, **kwargs)

    def wait_len(n):
        if bound:
            iterate_until(lambda: len(stepper.log) >= n)
        else:
            stepper.log.wait_len(n)

    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        wait_len(1)
        sup.send('First')
        wait_len(3)
        sup.send('Second')
        wait_len(5)
    # Each step after the first came only once an event was handled.
    assert stepper.log.snapshot() == [('step', 0), ('event', 'First'), ('step', 1),
                                      ('event', 'Second'), ('step', 2)]


def test_step_await_event_after_every_tick():
    # max-events-per-tick 1 and AWAIT_EVENT: a step after each event, not
    # after every other one. Bound, so that nothing runs before the four
    # events are queued.
    stepper = Stepper([Step.AWAIT_EVENT] * 10, main_context=GLib.MainContext.default(),
                      max_events_per_tick=1)
    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        for label in 'abcd':
            sup.send(label)
        iterate_until(lambda: len(stepper.log) >= 8)
    assert stepper.log.snapshot() == [('event', 'a'), ('step', 0), ('event', 'b'), ('step', 1),
                                      ('event', 'c'), ('step', 2), ('event', 'd'), ('step', 3)]


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_step_backoff_waits_at_least_its_duration(bound):
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    stepper = Stepper([Step.BACKOFF] * 3, backoff_ms=40, **kwargs)
    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        if bound:
            iterate_until(lambda: len(stepper.log) >= 4)
        else:
            stepper.log.wait_len(4)
    gaps = [b - a for a, b in zip(stepper.step_times, stepper.step_times[1:])]
    assert len(gaps) == 3
    # GLib's monotonic clock has microseconds: allow for its truncation.
    assert all(gap >= 0.040 - 1e-5 for gap in gaps), gaps


def test_step_backoff_default_is_ten_milliseconds():
    stepper = Stepper([Step.BACKOFF])
    with Maiko.Supervisor() as sup:
        sup.add_actor('stepper', stepper, ['default'])
        sup.start()
        stepper.log.wait_len(2)
    assert stepper.step_times[1] - stepper.step_times[0] >= 0.010 - 1e-5


def test_step_that_raises_fails_the_actor():
    # As in maiko: a step failure goes to on_error; with the default
    # (False) the actor stops with it, and join raises it.
    class Faulty(RecordingActor):
        def __init__(self):
            super().__init__()
            self.steps = Recorder()

        def do_step(self):
            self.steps.add('step')
            raise RuntimeError('step failed')

    faulty = Faulty()
    sup = Maiko.Supervisor()
    sup.add_actor('faulty', faulty, ['default'])
    sup.start()
    with pytest.raises(GLib.Error) as info:
        sup.join()
    assert info.value.message == 'RuntimeError: step failed'
    assert len(faulty.steps) == 1
    assert faulty.lifecycle.snapshot() == ['start', 'shutdown']


def test_step_failure_swallowed_steps_again():
    # on_error swallows: step is called again (whatever it returned), until
    # it returns NEVER without failing; events are handled in between.
    class Retrying(RecordingActor):
        def __init__(self):
            super().__init__()
            self.steps = Recorder()
            self.errors = Recorder()

        def do_step(self):
            self.steps.add('step')
            if len(self.steps) <= 3:
                raise RuntimeError('attempt %d' % len(self.steps))
            return Step.NEVER

        def do_on_error(self, error):
            self.errors.add(error.message)
            return True

    retrying = Retrying()
    with Maiko.Supervisor() as sup:
        sup.add_actor('retrying', retrying, ['default'])
        sup.start()
        retrying.steps.wait_len(4)
        sup.send('After')
        retrying.events.wait_len(1)
    assert retrying.errors.snapshot() == ['RuntimeError: attempt %d' % n for n in (1, 2, 3)]
    assert len(retrying.steps) == 4
    assert retrying.labels() == ['After']


@pytest.mark.parametrize('value', [None, 1.5, True, 1, Maiko.OverflowPolicy.BLOCK])
def test_step_must_return_a_step_action(value):
    class Sloppy(RecordingActor):
        def do_step(self):
            return value

    sup = Maiko.Supervisor()
    sup.add_actor('sloppy', Sloppy(), None)
    sup.start()
    with pytest.raises(GLib.Error) as info:
        sup.join()
    assert info.value.message == ("TypeError: actor 'sloppy': do_step() must return a "
                                  "Maiko.StepAction, not %r" % (value,))


# Errors

class Fragile(RecordingActor):
    """Raises on events labelled "Boom"; records what on_error gets."""

    def __init__(self, swallow, **kwargs):
        super().__init__(**kwargs)
        self.swallow = swallow
        self.errors = Recorder()
        self.kept = []

    def do_handle_event(self, envelope):
        if envelope.event.label == 'Boom':
            self.kept.append(envelope)
            raise ValueError('bad payload %r' % (envelope.event.payload,))
        return super().do_handle_event(envelope)

    def do_on_error(self, error):
        self.errors.add((error.domain, error.code, error.message, error.__cause__))
        return self.swallow


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_exception_reaches_on_error_with_its_message(bound):
    kwargs = {'main_context': GLib.MainContext.default()} if bound else {}
    fragile = Fragile(swallow=True, **kwargs)
    with Maiko.Supervisor() as sup:
        sup.add_actor('fragile', fragile, ['default'])
        sup.start()
        sup.send('Boom', 7)
        sup.send('After')
        if bound:
            iterate_until(lambda: len(fragile.events) == 1)
        else:
            fragile.events.wait_len(1)
    [(domain, code, message, cause)] = fragile.errors.snapshot()
    assert domain == GLib.quark_to_string(Maiko.error_quark())
    assert code == Maiko.Error.FAILED
    assert message == 'ValueError: bad payload 7'
    assert isinstance(cause, ValueError) and str(cause) == 'bad payload 7'
    # Swallowed: the actor went on.
    assert fragile.labels() == ['After']
    assert fragile.lifecycle.snapshot() == ['start', 'shutdown']


def test_glib_error_raised_in_a_handler_arrives_as_it_is():
    class Precise(Fragile):
        def do_handle_event(self, envelope):
            raise GLib.Error.new_literal(GLib.quark_from_string('my-app-error'), 'precise', 42)

    precise = Precise(swallow=True)
    with Maiko.Supervisor() as sup:
        sup.add_actor('precise', precise, ['default'])
        sup.start()
        sup.send('Any')
        precise.errors.wait_len(1)
    [(domain, code, message, cause)] = precise.errors.snapshot()
    assert (domain, code, message, cause) == ('my-app-error', 42, 'precise', None)


def test_on_error_false_stops_the_actor_and_join_reports_it():
    fragile, other = Fragile(swallow=False), RecordingActor()
    sup = Maiko.Supervisor()
    sup.add_actor('fragile', fragile, ['default'])
    sup.add_actor('other', other, ['default'])
    sup.start()
    sup.send('Boom', 'x')
    sup.send('After')
    with pytest.raises(GLib.Error) as info:
        sup.join()
    assert error_is(info.value, Maiko.Error.FAILED)
    assert info.value.message == "ValueError: bad payload 'x'"
    assert fragile.labels() == []
    assert fragile.lifecycle.snapshot() == ['start', 'shutdown']
    assert not sup.is_running()


def test_unhandled_exception_is_printed_and_stops_the_actor(capsys):
    class Careless(RecordingActor):
        def do_handle_event(self, envelope):
            raise ZeroDivisionError('careless')

    careless, other = Careless(), RecordingActor()
    sup = Maiko.Supervisor()
    sup.add_actor('careless', careless, ['default'])
    sup.add_actor('other', other, ['default'])
    sup.start()
    sup.send('One')
    # The default on_error stops the actor; the others go on.
    careless.lifecycle.wait_len(2)
    assert sup.is_running()
    sup.send('Two')
    other.events.wait_len(2)
    with pytest.raises(GLib.Error, match='ZeroDivisionError: careless'):
        sup.join()
    assert 'ZeroDivisionError: careless' in capsys.readouterr().err


@pytest.mark.parametrize('swallow', [True, False])
def test_on_start_failure(swallow):
    class BadStart(Fragile):
        def do_on_start(self):
            super().do_on_start()
            raise OSError('no resource')

    actor = BadStart(swallow=swallow)
    sup = Maiko.Supervisor()
    with sup:
        sup.add_actor('bad', actor, ['default'])
        sup.start()
        actor.errors.wait_len(1)
        if not swallow:
            actor.lifecycle.wait_len(2)
        sup.send('Event')
        if swallow:
            actor.events.wait_len(1)
        else:
            # Leaving the block stops the supervisor, which reports the
            # failure: let it raise here, where the test expects it.
            with pytest.raises(GLib.Error) as info:
                sup.stop()
            assert info.value.message == 'OSError: no resource'
    [(_, code, message, cause)] = actor.errors.snapshot()
    assert code == Maiko.Error.FAILED
    assert message == 'OSError: no resource'
    assert isinstance(cause, OSError)
    assert actor.lifecycle.snapshot() == ['start', 'shutdown']
    assert actor.labels() == (['Event'] if swallow else [])


def test_on_start_returning_false_is_a_generic_failure():
    class Refuses(Fragile):
        def do_on_start(self):
            return False

    actor = Refuses(swallow=True)
    with Maiko.Supervisor() as sup:
        sup.add_actor('refuses', actor, ['default'])
        sup.start()
        actor.errors.wait_len(1)
    [(_, code, message, cause)] = actor.errors.snapshot()
    assert code == Maiko.Error.FAILED
    assert 'refuses' in message and cause is None


@pytest.mark.parametrize('swallow', [True, False])
def test_envelope_kept_from_a_raising_handler_stays_valid(swallow):
    fragile = Fragile(swallow=swallow)
    sup = Maiko.Supervisor()
    sup.add_actor('fragile', fragile, ['*'])
    sup.start()
    for i in range(20):
        sup.send(Maiko.Event('Boom', {'n': i, 'text': 'payload %d' % i}))
    fragile.errors.wait_len(20 if swallow else 1)
    if swallow:
        sup.stop()
    else:
        with pytest.raises(GLib.Error):
            sup.stop()
    ids = {envelope.id for envelope in fragile.kept}
    del sup
    gc.collect()
    # Churn the allocator: a freed envelope would now hold other data.
    churn = [Maiko.Event('Churn', 'x' * 64) for _ in range(2000)]
    del churn
    gc.collect()

    kept = fragile.kept
    assert len(kept) == (20 if swallow else 1)
    for i, envelope in enumerate(kept):
        assert envelope.event.label == 'Boom'
        assert envelope.event.payload == {'n': i, 'text': 'payload %d' % i}
        assert envelope.sender == 'supervisor'
        assert envelope.topic == 'default'
        assert envelope.parent_id is None
        assert UUID_V4.match(envelope.id)
        assert envelope.timestamp > 0
    assert len(ids) == len(kept)


def test_returning_nothing_is_success_and_false_is_failure():
    class Terse(Fragile):
        def do_on_start(self):
            self.lifecycle.add('start')

        def do_handle_event(self, envelope):
            self.events.add(envelope.event.label)
            if envelope.event.label == 'Refuse':
                return False

    terse = Terse(swallow=True)
    with Maiko.Supervisor() as sup:
        sup.add_actor('terse', terse, ['default'])
        sup.start()
        for label in ('Quiet', 'Refuse', 'Again'):
            sup.send(label)
        terse.events.wait_len(3)
    assert terse.events.snapshot() == ['Quiet', 'Refuse', 'Again']
    # Only the explicit False failed, with the runtime's generic message.
    [(_, code, message, cause)] = terse.errors.snapshot()
    assert code == Maiko.Error.FAILED
    assert 'terse' in message and cause is None
