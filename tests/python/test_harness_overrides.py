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


def test_entry_properties(harness):
    first = harness.send_as('supervisor', Maiko.Event('Ping', 7))
    assert harness.settle_on(lambda events: events.count() >= 2)
    ping_entry = harness.events().with_label('Ping').first()
    pong_entry = harness.events().received_by('quiet').first()

    assert isinstance(pong_entry, Maiko.EventEntry)
    assert type(pong_entry).__module__ == 'gi.overrides.Maiko'
    assert ping_entry.id == first
    assert ping_entry.label == 'Ping'
    assert ping_entry.event.label == 'Ping'
    assert ping_entry.event.payload == 7
    assert ping_entry.sender == 'supervisor'
    assert ping_entry.receiver == 'echo'
    assert ping_entry.topic == 'Ping'
    assert ping_entry.parent_id is None

    assert pong_entry.label == 'Pong'
    assert pong_entry.event.payload == 7
    assert pong_entry.sender == 'echo'
    assert pong_entry.receiver == 'quiet'
    assert pong_entry.topic == 'Pong'
    assert pong_entry.parent_id == first
    assert pong_entry.envelope.id == pong_entry.id
    assert pong_entry.timestamp_ns > ping_entry.timestamp_ns
    assert pong_entry.timestamp == pong_entry.envelope.timestamp
    assert pong_entry.error is None
    assert 'Pong' in repr(pong_entry) and 'quiet' in repr(pong_entry)

    # The properties read in predicates too.
    assert harness.events().matching(lambda entry: entry.receiver == 'quiet').count() == 1


def test_counts_of_events_and_of_deliveries():
    sup = Maiko.Supervisor()
    sup.add_actor('a', Quiet(), [Maiko.DEFAULT_TOPIC])
    sup.add_actor('b', Quiet(), [Maiko.DEFAULT_TOPIC])
    sup.add_actor('c', Quiet(), [Maiko.DEFAULT_TOPIC])
    harness = Maiko.Harness.new(sup)
    with sup:
        sup.start()
        harness.send_as('a', Maiko.Event('Hello'))
        harness.send_as('a', Maiko.Event('Hello'))
        assert harness.settle_on(lambda events: events.count() == 4)

        # Two events, each handled by b and c: four deliveries.
        assert harness.delivery_count() == 4
        topic = harness.topic(Maiko.DEFAULT_TOPIC)
        assert topic.events_published() == 2
        assert topic.delivery_count() == 4
        sender = harness.actor('a')
        assert sender.events_sent() == 2
        assert sender.outbound().count() == 4
        assert harness.actor('b').events_received() == 2
        # The deprecated names still count deliveries, and say they are
        # deprecated.
        with pytest.deprecated_call():
            assert harness.event_count() == 4
        with pytest.deprecated_call():
            assert topic.event_count() == 4
