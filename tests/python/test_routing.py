# Routing: topics, labels, subscriptions, order, own events.
#
# SPDX-License-Identifier: MIT

from conftest import RecordingActor, iterate_until
from gi.repository import GLib, Maiko


def test_default_topic():
    default, other = RecordingActor(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('default', default, [Maiko.DEFAULT_TOPIC])
        sup.add_actor('other', other, ['other'])
        sup.start()
        sup.send('Hello', 'World')
        default.events.wait_len(1)
    assert default.events.snapshot() == [('Hello', 'World', 'supervisor', 'default')]
    assert other.events.snapshot() == []


def test_routing_by_topic():
    def topic(event):
        return event.payload['topic']

    alpha, beta, everything, nothing = (RecordingActor() for _ in range(4))
    with Maiko.Supervisor() as sup:
        sup.set_topic_func(topic)
        sup.add_actor('alpha', alpha, ['alpha'])
        sup.add_actor('beta', beta, ['beta', 'alpha'])
        sup.add_actor('all', everything, [Maiko.TOPIC_ALL])
        sup.add_actor('nothing', nothing, None)
        sup.start()
        for i, name in enumerate(['alpha', 'beta', 'gamma', 'alpha']):
            sup.send('Msg', {'topic': name, 'i': i})
        everything.events.wait_len(4)
        beta.events.wait_len(3)
        alpha.events.wait_len(2)

    def seen(actor):
        return [(payload['i'], topic) for _, payload, _, topic in actor.events.snapshot()]

    assert seen(alpha) == [(0, 'alpha'), (3, 'alpha')]
    assert seen(beta) == [(0, 'alpha'), (1, 'beta'), (3, 'alpha')]
    assert seen(everything) == [(0, 'alpha'), (1, 'beta'), (2, 'gamma'), (3, 'alpha')]
    assert seen(nothing) == []


def test_routing_by_label():
    pings, pongs, both = RecordingActor(), RecordingActor(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('pings', pings, ['Ping'])
        sup.add_actor('pongs', pongs, ['Pong'])
        sup.add_actor('both', both, ['Ping', 'Pong'])
        sup.start()
        for label in ['Ping', 'Pong', 'Other', 'Ping']:
            sup.send(label)
        both.events.wait_len(3)
        pings.events.wait_len(2)
        pongs.events.wait_len(1)
    assert pings.events.snapshot() == [('Ping', None, 'supervisor', 'Ping')] * 2
    assert pongs.events.snapshot() == [('Pong', None, 'supervisor', 'Pong')]
    assert both.labels() == ['Ping', 'Pong', 'Ping']


def test_an_actor_never_receives_its_own_events():
    class Echo(RecordingActor):
        def do_handle_event(self, envelope):
            super().do_handle_event(envelope)
            if envelope.event.label == 'Say':
                self.context.send('Echo', envelope.event.payload, parent=envelope)
            return True

    echo, listener = Echo(), RecordingActor()
    with Maiko.Supervisor() as sup:
        sup.add_actor('echo', echo, ['*'])
        sup.add_actor('listener', listener, ['*'])
        sup.start()
        for word in ['a', 'b', 'c']:
            sup.send('Say', word)
        listener.events.wait_len(6)
    assert echo.labels() == ['Say', 'Say', 'Say']
    echoes = [e for e in listener.envelopes if e.event.label == 'Echo']
    says = [e for e in listener.envelopes if e.event.label == 'Say']
    assert [e.event.payload for e in echoes] == ['a', 'b', 'c']
    assert [e.sender for e in echoes] == ['echo'] * 3
    assert [e.parent_id for e in echoes] == [e.id for e in says]


def test_one_senders_events_arrive_in_order():
    receivers = [RecordingActor() for _ in range(3)]
    with Maiko.Supervisor(mailbox_capacity=1024) as sup:
        for i, actor in enumerate(receivers):
            sup.add_actor('r%d' % i, actor, ['default'])
        sup.start()
        for i in range(500):
            sup.send('Seq', i)
        for actor in receivers:
            actor.events.wait_len(500)
    for actor in receivers:
        assert actor.payloads() == list(range(500))
    stamps = [e.timestamp_ns for e in receivers[0].envelopes]
    assert stamps == sorted(stamps) and len(set(stamps)) == 500
    # One envelope is shared by all its receivers.
    assert receivers[0].envelopes[7].id == receivers[2].envelopes[7].id


def test_actors_relay_across_threads_and_main_context():
    # A chain thread -> main context -> thread, each hop a child event.
    class Relay(RecordingActor):
        def __init__(self, out_label, **kwargs):
            super().__init__(**kwargs)
            self.out_label = out_label

        def do_handle_event(self, envelope):
            super().do_handle_event(envelope)
            self.context.send(self.out_label, envelope.event.payload + 1, parent=envelope)
            return True

    first = Relay('Second')
    second = Relay('Third', main_context=GLib.MainContext.default())
    last = RecordingActor()
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('first', first, ['First'])
    sup.add_actor('second', second, ['Second'])
    sup.add_actor('last', last, ['Third'])
    sup.start()
    for i in range(0, 30, 10):
        sup.send('First', i)
    iterate_until(lambda: len(last.events) == 3)
    sup.stop()
    assert last.payloads() == [2, 12, 22]
    for envelope in last.envelopes:
        middle = next(e for e in second.envelopes if e.id == envelope.parent_id)
        start = next(e for e in first.envelopes if e.id == middle.parent_id)
        assert start.parent_id is None and start.sender == 'supervisor'
        assert (middle.sender, envelope.sender) == ('first', 'second')


def test_a_misspelt_topic_is_counted_and_reported():
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    reader = RecordingActor()
    sup.add_actor('reader', reader, ['Lines'])
    monitor = Maiko.Monitor()
    unrouted = []
    monitor.connect('event-unrouted', lambda m, envelope, topic: unrouted.append(
        (envelope.event.label, topic)))
    sup.add_monitor(monitor)
    with sup:
        sup.start()
        for i in range(3):
            sup.send('Line', i)
        sup.send('Lines', 3)
        reader.events.wait_len(1)
    assert sup.get_unrouted_count() == 3
    assert sup.get_undelivered_count() == 0 and sup.get_dropped_count() == 0
    assert unrouted == [('Line', 'Line')] * 3
