# The test harness from Python, on a pipeline of Python actors:
#
#   supervisor --Start(n)--> producer --Data(i)--> processor --Processed(10 i)--> sink
#
# The producer answers a Start(n) with n Data children (payloads 0..n-1),
# the processor each Data with a Processed child of ten times its payload,
# and the sink keeps what it got. Topics are labels. Every assertion is
# an exact value: the harness records one entry per event and receiver
# once the receiver's handler returned, so after settle_on() the counts
# are final for what the predicate waited for.
#
# SPDX-License-Identifier: MIT

import time

import pytest
from conftest import TIMEOUT, Recorder, error_is, iterate_until
from gi.repository import GLib, Maiko

WAIT_MS = int(TIMEOUT * 1000)


class Producer(Maiko.Actor):
    def do_handle_event(self, envelope):
        for i in range(envelope.event.payload):
            self.context.send('Data', i, parent=envelope)


class Processor(Maiko.Actor):
    def do_handle_event(self, envelope):
        self.context.send('Processed', envelope.event.payload * 10, parent=envelope)


class Sink(Maiko.Actor):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.payloads = Recorder()

    def do_handle_event(self, envelope):
        self.payloads.add(envelope.event.payload)


@pytest.fixture
def pipeline():
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('producer', Producer(), ['Start'])
    sup.add_actor('processor', Processor(), ['Data'])
    sink = sup.add_actor('sink', Sink(), ['Processed'])
    harness = Maiko.Harness.new(sup)
    sup.start()
    try:
        yield sup, harness, sink
    finally:
        if sup.is_running():
            sup.stop()


def start(harness, n):
    """Sends Start(n) as the supervisor and waits for its 2 n + 1 entries.
    Waiting for the n Processed alone would not do: the sink's entry of a
    Processed can come before the processor's entry of the Data it
    answers, as the processor's handler is still returning."""
    root = harness.send_as('supervisor', Maiko.Event('Start', n))
    harness.settle_on(WAIT_MS, lambda events: events.count() >= 2 * n + 1)
    return root


def test_actors_known_before_start(pipeline):
    _, harness, _ = pipeline
    for name in ('producer', 'processor', 'sink'):
        assert harness.actor(name).is_running()
        assert not harness.actor(name).is_stopped()
    assert harness.delivery_count() == 0
    assert harness.events().is_empty()


def test_event_spy(pipeline):
    _, harness, sink = pipeline
    root = start(harness, 3)
    # 1 Start + 3 Data + 3 Processed, one receiver each.
    assert harness.delivery_count() == 7
    assert sorted(sink.payloads.snapshot()) == [0, 10, 20]

    spy = harness.event(root)
    assert spy.was_delivered()
    assert spy.was_delivered_to('producer')
    assert spy.not_delivered_to('processor')
    assert spy.was_delivered_to_all(['producer'])
    assert not spy.was_delivered_to_all(['producer', 'sink'])
    assert spy.delivery_ratio(['producer', 'processor', 'sink', 'nobody']) == 0.25
    assert spy.sender() == 'supervisor'
    assert spy.receivers() == ['producer']
    assert spy.receiver_count() == 1
    children = spy.children()
    assert children.count() == 3
    assert [entry.get_event().payload for entry in children.collect()] == [0, 1, 2]
    assert children.senders() == ['producer']
    assert children.receivers() == ['processor']

    data = children.first()
    data_spy = harness.event(data.get_id())
    assert data_spy.sender() == 'producer'
    assert data_spy.receivers() == ['processor']
    grandchild = data_spy.children().first()
    assert grandchild.get_label() == 'Processed'
    assert grandchild.get_parent_id() == data.get_id()
    assert grandchild.get_event().payload == 0
    assert grandchild.get_receiver() == 'sink'
    assert grandchild.get_topic() == 'Processed'

    unknown = harness.event('no-such-id')
    assert not unknown.was_delivered()
    assert unknown.receivers() == []
    assert unknown.receiver_count() == 0


def test_actor_spies(pipeline):
    _, harness, _ = pipeline
    start(harness, 4)

    producer = harness.actor('producer')
    assert producer.events_received() == 1
    assert producer.received_from() == ['supervisor']
    assert producer.sender_count() == 1
    assert producer.events_sent() == 4
    assert producer.sent_to() == ['processor']
    assert producer.receiver_count() == 1
    assert producer.last_received().get_label() == 'Start'
    assert producer.last_received().get_event().payload == 4

    processor = harness.actor('processor')
    assert processor.events_received() == 4
    assert processor.events_sent() == 4
    assert processor.received_from() == ['producer']
    assert processor.sent_to() == ['sink']
    assert processor.inbound().with_label('Data').count() == 4
    assert processor.outbound().with_label('Processed').count() == 4
    assert processor.outbound().with_label('Data').is_empty()

    sink = harness.actor('sink')
    assert sink.events_received() == 4
    assert sink.events_sent() == 0
    assert sink.last_sent() is None
    assert sink.sent_to() == []
    assert sink.receiver_count() == 0
    assert sink.received_from() == ['processor']
    assert sorted(e.get_event().payload for e in sink.inbound().collect()) == [0, 10, 20, 30]
    assert sink.last_received().get_event().payload in (0, 10, 20, 30)

    nobody = harness.actor('nobody')
    assert nobody.events_received() == 0
    assert not nobody.is_running()


def test_topic_spy(pipeline):
    _, harness, _ = pipeline
    start(harness, 2)

    data = harness.topic('Data')
    assert data.was_published()
    assert data.delivery_count() == 2
    assert data.receivers() == ['processor']
    assert data.receiver_count() == 1
    assert sorted(e.get_event().payload for e in data.events().collect()) == [0, 1]

    assert harness.topic('Start').delivery_count() == 1
    assert harness.topic('Processed').receivers() == ['sink']

    unused = harness.topic('Unused')
    assert not unused.was_published()
    assert unused.delivery_count() == 0
    assert unused.receivers() == []


def test_query_with_lambdas(pipeline):
    _, harness, _ = pipeline
    start(harness, 5)
    events = harness.events()

    assert events.count() == 11
    assert events.count_by_label() == {'Start': 1, 'Data': 5, 'Processed': 5}
    assert events.matching_event(lambda event: event.label == 'Data'
                                 and event.payload % 2 == 0).count() == 3
    assert events.matching(lambda entry: entry.get_sender() == 'processor'
                           and entry.get_event().payload >= 20).count() == 3
    assert events.sent_by('producer').received_by('processor').count() == 5
    assert events.sent_by('producer').received_by('sink').is_empty()
    assert events.with_topic('Processed').count() == 5
    assert events.with_label('Start').exists()
    assert events.all(lambda entry: entry.get_receiver() != 'supervisor')
    assert not events.all(lambda entry: entry.get_label() == 'Data')
    assert events.any(lambda entry: entry.get_event().payload == 40)
    assert not events.any(lambda entry: entry.get_event().payload == 41)
    assert events.has_event('Processed')
    assert not events.has_event('Nothing')
    assert events.has_sender('supervisor')
    assert events.has_receiver('sink')
    assert not events.has_receiver('supervisor')
    assert events.senders() == ['supervisor', 'producer', 'processor']
    assert events.receivers() == ['producer', 'processor', 'sink']

    # Each Processed is recorded after the Data it answers.
    for data in events.with_label('Data').collect():
        answer = events.children_of(data.get_id())
        assert answer.count() == 1
        assert events.after(data).with_id(answer.first().get_id()).count() == 1
        assert events.before(data).with_id(answer.first().get_id()).is_empty()

    # after/before are strict and exact around the Start.
    first = events.first()
    assert first.get_label() == 'Start'
    assert events.before(first).is_empty()
    assert events.after(first).count() == 10
    assert events.nth(0).get_id() == first.get_id()
    assert events.nth(11) is None
    assert events.last().get_label() == 'Processed'

    # A matcher built from a lambda, used as a predicate and as a matcher.
    large = Maiko.EventMatcher.by_event(lambda event: event.payload >= 30)
    assert events.matching(large.matches).count() == 2
    assert events.has_event_matching(large)
    assert events.has_event_matching(Maiko.EventMatcher.by_label('Start'))
    by_entry = Maiko.EventMatcher.by_entry(lambda entry: entry.get_receiver() == 'sink')
    assert events.matching(by_entry.matches).count() == 5


def test_chain_exact_actor_path(pipeline):
    _, harness, _ = pipeline
    root = start(harness, 1)

    chain = harness.chain(root)
    assert chain.get_root_id() == root
    actors = chain.actors()
    assert actors.exact(['supervisor', 'producer', 'processor', 'sink'])
    assert not actors.exact(['producer', 'processor', 'sink'])
    assert actors.segment(['producer', 'processor'])
    assert not actors.segment(['producer', 'sink'])
    assert actors.passes_through(['producer', 'sink'])
    assert not actors.passes_through(['sink', 'producer'])
    assert actors.contains('processor')
    assert actors.visited(['sink', 'supervisor'])
    assert actors.all() == ['supervisor', 'producer', 'processor', 'sink']
    assert actors.path_count() == 1
    assert chain.events().exact(['Start', 'Data', 'Processed'])
    assert chain.events().path_count() == 1
    assert not chain.diverges_after('Start')
    assert chain.to_mermaid() == ('sequenceDiagram\n'
                                  '    supervisor->>producer:Start\n'
                                  '    producer->>processor:Data\n'
                                  '    processor->>sink:Processed\n')


def test_chain_branches(pipeline):
    _, harness, _ = pipeline
    root = start(harness, 3)

    chain = harness.chain(root)
    assert chain.diverges_after('Start')
    assert chain.branches_after('Start') == 3
    assert chain.branches_after('Data') == 1
    assert chain.actors().path_count() == 3
    assert chain.events().path_count() == 3
    assert chain.actors().exact(['supervisor', 'producer', 'processor', 'sink'])
    to_sink = chain.path_to('sink')
    assert to_sink.actors().exact(['supervisor', 'producer', 'processor', 'sink'])


def test_settle_on_lambda_sees_growing_log(pipeline):
    _, harness, sink = pipeline
    seen = []

    def enough(events):
        seen.append(events.count())
        return events.count() == 13

    harness.send_as('supervisor', Maiko.Event('Start', 6))
    harness.settle_on(WAIT_MS, enough)
    # Asked at least once before the wait and once per record since.
    assert seen[-1] == 13
    assert seen == sorted(seen)
    assert harness.events().with_label('Processed').count() == 6
    assert sorted(sink.payloads.snapshot()) == [0, 10, 20, 30, 40, 50]

    # A second phase after reset counts from zero.
    harness.reset()
    assert harness.delivery_count() == 0
    harness.send_as('producer', Maiko.Event('Data', 7))
    harness.settle_on(WAIT_MS, lambda events: events.count() == 2)
    assert harness.events().count_by_label() == {'Data': 1, 'Processed': 1}
    assert harness.events().with_label('Processed').first().get_event().payload == 70


def test_settle_timeout(pipeline):
    _, harness, _ = pipeline
    start(harness, 1)

    began = time.monotonic()
    with pytest.raises(GLib.Error) as raised:
        harness.settle_on(50, lambda events: events.count() > 3)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)
    assert time.monotonic() - began >= 0.05

    with pytest.raises(GLib.Error) as raised:
        harness.settle_on_event('Nothing', 20)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)

    # -1 is the default of one second.
    began = time.monotonic()
    with pytest.raises(GLib.Error) as raised:
        harness.settle_on(-1, lambda events: False)
    assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)
    assert time.monotonic() - began >= 1.0

    # Nothing was lost or added by the waits.
    assert harness.delivery_count() == 3


def test_stop_recording_and_stopped_actors(pipeline):
    sup, harness, sink = pipeline
    start(harness, 1)
    harness.stop_recording()
    assert not harness.is_recording()
    harness.send_as('producer', Maiko.Event('Data', 1))
    sink.payloads.wait_len(2)
    harness.settle()
    assert harness.delivery_count() == 3
    harness.record()
    assert harness.is_recording()

    sup.stop()
    harness.settle()
    for name in ('producer', 'processor', 'sink'):
        assert harness.actor(name).is_stopped()
        assert not harness.actor(name).is_running()


def test_settle_freezes_until_record(pipeline):
    sup, harness, sink = pipeline
    # Added after the harness, the witness gets each record after it.
    witness = Maiko.Monitor()
    handled = []
    witness.connect('event-handled', lambda *args: handled.append(args))
    sup.add_monitor(witness)
    start(harness, 1)
    assert not harness.is_recording()
    # Handled after the settle: out of the queries until record().
    harness.send_as('supervisor', Maiko.Event('Start', 1))
    iterate_until(lambda: len(handled) == 6)
    harness.flush()
    assert harness.delivery_count() == 3
    harness.record()
    harness.send_as('supervisor', Maiko.Event('Start', 1))
    harness.settle_on(lambda events: events.count() == 6, timeout=WAIT_MS)
    assert [e.get_label() for e in harness.events().collect()] == ['Start', 'Data', 'Processed'] * 2
    harness.reset()
    assert harness.is_recording() and harness.delivery_count() == 0


def test_send_as_a_sender_outside_the_system(pipeline):
    sup, harness, sink = pipeline
    harness.send_as('sensor', Maiko.Event('Processed', 7))
    harness.settle_on_event('Processed', WAIT_MS)
    [entry] = harness.events().collect()
    assert (entry.get_sender(), entry.get_receiver()) == ('sensor', 'sink')
    with pytest.raises(GLib.Error) as info:
        harness.send_as('', Maiko.Event('Processed', 7))
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)


def test_failed_handling_is_recorded_with_its_error():
    class Picky(Maiko.Actor):
        def do_handle_event(self, envelope):
            if envelope.event.payload == 1:
                raise ValueError('one is bad')

        def do_on_error(self, error):
            return True

    sup = Maiko.Supervisor()
    sup.add_actor('picky', Picky(), ['default'])
    harness = Maiko.Harness.new(sup)
    with sup:
        sup.start()
        for i in range(3):
            harness.send_as('outside', Maiko.Event('N', i))
        harness.settle_on(lambda events: events.count() == 3, timeout=WAIT_MS)
    errors = [entry.get_error() for entry in harness.events().collect()]
    assert errors[0] is None and errors[2] is None
    assert error_is(errors[1], Maiko.Error.FAILED)
    assert errors[1].message == 'ValueError: one is bad'
    # The Python property reads the same error.
    assert harness.events().nth(0).error is None
    assert harness.events().nth(1).error.message == 'ValueError: one is bad'
    assert harness.actor('picky').events_received() == 3
