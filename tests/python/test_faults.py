# Faults in Python actors: an actor that raises in every vfunc ends in
# bounded time, with a correct account (on_shutdown once, one error record
# per failure, one actor-stopped record), and the others go on.
#
# SPDX-License-Identifier: MIT

import pytest

from conftest import Recorder, RecordingActor, error_is, iterate_until
from gi.repository import GLib, Maiko

VFUNCS = ('on_start', 'handle_event', 'step', 'on_error', 'on_shutdown')


class Raiser(Maiko.Actor):
    """Records each vfunc call, then raises in those listed in @raise_in.
    on_error records the message it got before it raises (or returns
    @swallow when it does not raise)."""

    def __init__(self, raise_in, swallow=False, **kwargs):
        super().__init__(**kwargs)
        self.raise_in = frozenset(raise_in)
        self.swallow = swallow
        self.calls = Recorder()
        self.errors = Recorder()

    def _call(self, name):
        self.calls.add(name)
        if name in self.raise_in:
            raise RuntimeError('%s raised' % name)

    def do_on_start(self):
        self._call('on_start')

    def do_handle_event(self, envelope):
        self._call('handle_event')

    def do_step(self):
        self._call('step')
        return Maiko.StepAction.NEVER

    def do_on_error(self, error):
        self.errors.add(error.message)
        self._call('on_error')
        return self.swallow

    def do_on_shutdown(self):
        self._call('on_shutdown')

    def count(self, name):
        return self.calls.snapshot().count(name)


class Account:
    """The error and actor-stopped records of a monitor, which emits on
    the default main context: join and stop on the main thread run it."""

    def __init__(self, sup):
        self.monitor = Maiko.Monitor()
        self.errors = []
        self.stopped = []
        self.monitor.connect('error', lambda m, actor, error: self.errors.append((actor, error.message)))
        self.monitor.connect('actor-stopped', lambda m, actor: self.stopped.append(actor))
        sup.add_monitor(self.monitor)

    def complete(self):
        self.monitor.flush()
        assert self.monitor.get_dropped_count() == 0


def main_context_kwargs(bound):
    return {'main_context': GLib.MainContext.default()} if bound else {}


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_raising_in_every_vfunc(bound, capsys):
    # on_start raises, and so does on_error (a failure: the actor stops
    # with on_start's error). on_shutdown raises too and still counts;
    # handle_event and step never run.
    raiser = Raiser(VFUNCS, **main_context_kwargs(bound))
    other = RecordingActor()
    sup = Maiko.Supervisor()
    account = Account(sup)
    sup.add_actor('raiser', raiser, ['default'])
    sup.add_actor('other', other, ['default'])
    sup.start()
    if bound:
        iterate_until(lambda: raiser.count('on_shutdown') == 1)
    else:
        raiser.calls.wait_for(lambda calls: 'on_shutdown' in calls)
    # The others go on; what is sent to the raiser now is undelivered.
    assert sup.is_running()
    for i in range(10):
        sup.send('Work', i)
    other.events.wait_len(10)
    with pytest.raises(GLib.Error) as info:
        sup.join()
    account.complete()

    assert error_is(info.value, Maiko.Error.FAILED)
    assert info.value.message == 'RuntimeError: on_start raised'
    assert raiser.calls.snapshot() == ['on_start', 'on_error', 'on_shutdown']
    assert raiser.errors.snapshot() == ['RuntimeError: on_start raised']
    assert account.errors == [('raiser', 'RuntimeError: on_start raised')]
    assert sorted(account.stopped) == ['other', 'raiser']
    assert other.lifecycle.snapshot() == ['start', 'shutdown']
    assert sup.get_undelivered_count() == 10
    assert not sup.is_running()
    # The exceptions no Python code could handle were printed.
    err = capsys.readouterr().err
    assert 'RuntimeError: on_error raised' in err
    assert 'RuntimeError: on_shutdown raised' in err


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_raising_everywhere_after_a_good_start(bound, capsys):
    # step raises, and on_error raises: the actor stops with the step's
    # error, runs on_shutdown once (which raises), and handles nothing.
    raiser = Raiser(set(VFUNCS) - {'on_start'}, **main_context_kwargs(bound))
    sup = Maiko.Supervisor()
    account = Account(sup)
    sup.add_actor('raiser', raiser, ['default'])
    sup.start()
    if bound:
        iterate_until(lambda: raiser.count('step') == 1)
    else:
        raiser.calls.wait_for(lambda calls: 'step' in calls)
    for i in range(5):
        sup.send('Work', i)
    with pytest.raises(GLib.Error) as info:
        sup.join()
    account.complete()

    assert info.value.message == 'RuntimeError: step raised'
    assert raiser.calls.snapshot() == ['on_start', 'step', 'on_error', 'on_shutdown']
    assert account.errors == [('raiser', 'RuntimeError: step raised')]
    assert account.stopped == ['raiser']
    # None of the five was handled.
    assert sup.get_undelivered_count() == 5
    err = capsys.readouterr().err
    assert 'RuntimeError: on_error raised' in err
    assert 'RuntimeError: on_shutdown raised' in err


@pytest.mark.parametrize('bound', [False, True], ids=['thread', 'main-context'])
def test_raising_handler_swallowed_goes_on(bound):
    # on_error swallows: every event fails and is reported, none is lost,
    # and the run ends without an error.
    raiser = Raiser({'handle_event', 'on_shutdown'}, swallow=True,
                    **main_context_kwargs(bound))
    n = 50
    with Maiko.Supervisor() as sup:
        account = Account(sup)
        sup.add_actor('raiser', raiser, ['default'])
        sup.start()
        for i in range(n):
            sup.send('Work', i)
        if bound:
            iterate_until(lambda: raiser.count('on_error') == n and raiser.count('step') == 1)
        else:
            raiser.calls.wait_for(lambda calls: calls.count('on_error') == n and 'step' in calls)
    sup.join()
    account.complete()

    assert raiser.count('handle_event') == n
    assert raiser.count('step') == 1
    assert raiser.count('on_shutdown') == 1
    assert raiser.errors.snapshot() == ['RuntimeError: handle_event raised'] * n
    assert len(account.errors) == n
    assert account.stopped == ['raiser']
    assert sup.get_undelivered_count() == 0


# Exceptions that are not errors, and input that C would cut

@pytest.mark.parametrize('exception', [SystemExit(3), KeyboardInterrupt()],
                         ids=['SystemExit', 'KeyboardInterrupt'])
@pytest.mark.parametrize('vfunc', ['handle_event', 'step'])
def test_exit_in_a_threaded_actor_is_an_actor_error(exception, vfunc, capsys):
    # sys.exit() in a callback on an actor's thread used to end Python
    # there, while the main thread waited in join(): the process hung.
    class Leaving(Maiko.Actor):
        def do_handle_event(self, envelope):
            if vfunc == 'handle_event':
                raise exception

        def do_step(self):
            if vfunc == 'step':
                raise exception
            return Maiko.StepAction.NEVER

    sup = Maiko.Supervisor()
    sup.add_actor('leaving', Leaving(), ['default'])
    sup.start()
    sup.send('Go')
    with pytest.raises(GLib.Error) as info:
        sup.join()
    # The error keeps the exception's type.
    assert info.value.message == ('SystemExit: 3' if isinstance(exception, SystemExit)
                                  else 'KeyboardInterrupt')
    assert type(exception).__name__ in capsys.readouterr().err


def test_nul_in_names_and_topics_is_refused():
    sup = Maiko.Supervisor()
    for name, topics in (('a\0b', ['t']), ('a', ['t\0u']), ('a', 't\0u')):
        with pytest.raises(ValueError):
            sup.add_actor(name, Maiko.Actor(), topics)
    with pytest.raises(ValueError):
        sup.set_topic_policy('t\0u', Maiko.OverflowPolicy.DROP)
    # Nothing was added under a cut name.
    assert sup.get_actor('a') is None
    sup.add_actor('a', Maiko.Actor(), ['t'])


def test_nul_in_a_topic_from_the_topic_function_fails_the_send():
    sup = Maiko.Supervisor()
    sup.set_topic_func(lambda event: 'cut\0here')
    sup.add_actor('a', Maiko.Actor(), ['cut'])
    sup.start()
    try:
        with pytest.raises(TypeError):
            sup.send('Hello')
    finally:
        sup.stop()
    assert sup.get_undelivered_count() == 0


@pytest.mark.parametrize('properties', [{'mailbox_capacity': 0}, {'broker_capacity': -1},
                                        {'max_events_per_tick': 1 << 40},
                                        {'monitoring_capacity': 0}])
def test_supervisor_properties_out_of_range_raise(properties):
    with pytest.raises(ValueError):
        Maiko.Supervisor(**properties)


def test_actor_properties_out_of_range_raise():
    with pytest.raises(ValueError):
        Maiko.Actor(mailbox_capacity=-1)
    assert Maiko.Actor(mailbox_capacity=4).props.mailbox_capacity == 4
