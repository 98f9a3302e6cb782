# The Python spellings of the harness's waits (bindings/python/Maiko.py):
# the predicate first with an optional timeout, a label or a matcher for
# settle_on_event, and the C order still accepted.
#
# SPDX-License-Identifier: MIT

import pytest
from conftest import error_is
from gi.repository import GLib, Maiko


class Echo(Maiko.Actor):
    def do_handle_event(self, envelope):
        self.context.send('Pong', envelope.event.payload, parent=envelope)


class Quiet(Maiko.Actor):
    def do_handle_event(self, envelope):
        pass


@pytest.fixture
def harness():
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('echo', Echo(), ['Ping'])
    sup.add_actor('quiet', Quiet(), ['Pong'])
    harness = Maiko.Harness.new(sup)
    sup.start()
    try:
        yield harness
    finally:
        sup.stop()


def ping(harness, n):
    for i in range(n):
        harness.send_as('supervisor', Maiko.Event('Ping', i))


def test_is_the_override(harness):
    assert isinstance(harness, Maiko.Harness)
    assert type(harness).__module__ == 'gi.overrides.Maiko'


def test_settle_on_predicate_first(harness):
    ping(harness, 2)
    assert harness.settle_on(lambda events: events.count() >= 4)
    assert harness.settle_on(lambda events: events.count() >= 4, timeout=5000)
    assert harness.settle_on(lambda events: events.count() >= 4, 5000)
    assert harness.events().count_by_label() == {'Ping': 2, 'Pong': 2}


def test_settle_on_c_order(harness):
    ping(harness, 1)
    assert harness.settle_on(5000, lambda events: events.count() >= 2)
    assert harness.settle_on(-1, lambda events, n: events.count() >= n, 2)


def test_settle_on_event_label_and_matcher(harness):
    ping(harness, 1)
    assert harness.settle_on_event('Pong')
    ping(harness, 1)
    matcher = Maiko.EventMatcher.by_event(lambda event: event.label == 'Pong'
                                          and event.payload == 0)
    assert harness.settle_on_event(matcher, 5000)
    assert harness.settle_on_event(Maiko.EventMatcher.by_label('Ping'))


def test_timeouts(harness):
    with pytest.raises(GLib.Error) as raised:
        harness.settle_on(lambda events: False, timeout=20)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)
    with pytest.raises(GLib.Error) as raised:
        harness.settle_on_event('Nothing', 20)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)
    with pytest.raises(GLib.Error) as raised:
        harness.settle_on_event(Maiko.EventMatcher.by_label('Nothing'), timeout=20)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)


def test_bad_arguments(harness):
    with pytest.raises(TypeError):
        harness.settle_on(10)
    with pytest.raises(TypeError):
        harness.settle_on(10, lambda events: True, timeout=10)
