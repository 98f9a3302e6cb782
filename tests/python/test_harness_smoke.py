# A smoke check of the test harness from Python: send_as, the waits, an
# event spy, queries filtered with lambdas, a lambda matcher, a chain.
# The full Python suite of the harness is test_harness.py.
#
# SPDX-License-Identifier: MIT

import pytest
from conftest import TIMEOUT, error_is
from gi.repository import GLib, Maiko


class Processor(Maiko.Actor):
    """Answers each Data with a Processed child event of the same payload."""

    def do_handle_event(self, envelope):
        self.context.send('Processed', envelope.event.payload, parent=envelope)


class Sink(Maiko.Actor):
    def do_handle_event(self, envelope):
        pass


def test_harness_smoke():
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('producer', Sink())
    sup.add_actor('processor', Processor(), ['Data'])
    sup.add_actor('sink', Sink(), ['Processed'])
    harness = Maiko.Harness.new(sup)
    sup.start()
    try:
        ids = [harness.send_as('producer', Maiko.Event('Data', i)) for i in range(3)]
        harness.settle_on(int(TIMEOUT * 1000),
                          lambda events: events.received_by('sink').count() >= 3)
        harness.settle()
        assert harness.delivery_count() == 6

        spy = harness.event(ids[0])
        assert spy.was_delivered_to('processor')
        assert spy.not_delivered_to('sink')
        assert spy.sender() == 'producer'
        assert spy.receivers() == ['processor']
        assert spy.delivery_ratio(['processor', 'sink']) == 0.5
        assert spy.children().first().get_label() == 'Processed'

        events = harness.events()
        assert events.matching_event(lambda event: event.label == 'Data').count() == 3
        assert events.matching(lambda entry: entry.get_receiver() == 'sink').count() == 3
        assert events.all(lambda entry: entry.get_sender() != 'supervisor')
        big = Maiko.EventMatcher.by_event(lambda event: event.payload >= 1)
        assert events.with_label('Processed').matching(big.matches).count() == 2
        assert events.has_event_matching(big)
        assert events.count_by_label() == {'Data': 3, 'Processed': 3}
        assert events.senders() == ['producer', 'processor']
        assert [entry.get_id() for entry in events.collect()[:1]] == ids[:1]

        assert harness.actor('processor').is_running()
        assert harness.actor('sink').received_from() == ['processor']
        assert harness.topic('Data').delivery_count() == 3

        chain = harness.chain(ids[2])
        assert chain.actors().exact(['producer', 'processor', 'sink'])
        assert chain.events().exact(['Data', 'Processed'])
        assert chain.events().contains_matching(big)
        assert chain.to_mermaid() == ('sequenceDiagram\n'
                                      '    producer->>processor:Data\n'
                                      '    processor->>sink:Processed\n')

        with pytest.raises(GLib.Error) as raised:
            harness.settle_on_event('Nothing', 10)
        assert error_is(raised.value, Maiko.Error.SETTLE_TIMEOUT)
    finally:
        sup.stop()
    assert harness.actor('processor').is_stopped()
