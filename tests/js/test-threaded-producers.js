// JavaScript actors on the main context handle events from C actors that
// run on threads of their own: exact counts and per-sender order.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';

import {
    assert, assertEqual, assertDeepEqual, assertUuidV4, CallbackActor, run,
    test, waitFor,
} from './harness.js';

const N = 2000;

function range(n) {
    return Array.from({length: n}, (_, i) => i);
}

// Per receiver: sender name -> the numbers received, in order.
function makeCollector(props) {
    const bySender = new Map();
    const lastTimestamp = new Map();
    const collector = new CallbackActor({
        handle(actor, envelope) {
            const sender = envelope.get_sender();
            const event = envelope.get_event();
            assertEqual(event.get_label(), sender === 'p1' ? 'One' : 'Two', 'label');
            assertEqual(envelope.get_topic(), 'default', 'topic');
            assertEqual(envelope.get_parent_id(), null, 'parent id');
            assertUuidV4(envelope.get_id());
            const payload = event.get_payload();
            assertEqual(payload.get_type_string(), 'x', 'payload type');
            // Per sender, timestamps never go back. (Microseconds: the
            // nanosecond timestamp is above 2^53 and a JS Number rounds it.)
            const ts = envelope.get_timestamp();
            assert(ts >= (lastTimestamp.get(sender) ?? 0), `timestamps of ${sender} go back`);
            lastTimestamp.set(sender, ts);
            if (!bySender.has(sender))
                bySender.set(sender, []);
            bySender.get(sender).push(payload.get_int64());
        },
    }, props);
    collector.bySender = bySender;
    return collector;
}

test('two threaded C producers, two JS receivers on the main context', () => {
    const sup = new Maiko.Supervisor({mailbox_capacity: 8});
    // Small mailboxes and BLOCK: the producers' threads wait on the main
    // context to make room, the events are never dropped.
    sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);

    const p1 = MaikoTest.Producer.new('One', N);
    const p2 = MaikoTest.Producer.new('Two', N);
    const a = makeCollector({max_events_per_tick: 3});
    const b = makeCollector({mailbox_capacity: 64});

    sup.add_actor('p1', p1, null);
    sup.add_actor('p2', p2, null);
    sup.add_actor('a', a, ['default']);
    sup.add_actor('b', b, ['*']);
    sup.start();
    try {
        waitFor(() => a.handled === 2 * N && b.handled === 2 * N,
            `${2 * N} events at each receiver`);
    } finally {
        sup.stop();
    }

    for (const r of [a, b]) {
        assertEqual(r.started, 1, 'on_start calls');
        assertEqual(r.shutdowns, 1, 'on_shutdown calls');
        assertEqual(r.offMainThread, 0, 'JS callbacks off the main thread');
        assertEqual(r.handled, 2 * N, 'events handled');
        assertDeepEqual([...r.bySender.keys()].sort(), ['p1', 'p2'], 'senders');
        assertDeepEqual(r.bySender.get('p1'), range(N), 'events of p1, in order');
        assertDeepEqual(r.bySender.get('p2'), range(N), 'events of p2, in order');
    }
    for (const p of [p1, p2]) {
        assertEqual(p.get_sent(), N, 'events sent');
        assertEqual(p.main_thread_calls, 0, 'C producer callbacks on the main thread');
    }
    assertEqual(sup.get_undelivered_count(), 0, 'undelivered');
    assertEqual(sup.get_dropped_count(), 0, 'dropped');
});

test('a JS actor fans events from a threaded C producer out to another JS actor', () => {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    sup.set_topic_policy('Num', Maiko.OverflowPolicy.BLOCK);
    sup.set_topic_policy('Doubled', Maiko.OverflowPolicy.BLOCK);

    const producer = MaikoTest.Producer.new('Num', N);
    const doubled = [];
    const doubler = new CallbackActor({
        handle(actor, envelope) {
            const n = envelope.get_event().get_payload().get_int64();
            actor.get_context().send_child_event(
                Maiko.Event.new('Doubled', GLib.Variant.new_int64(2 * n)),
                envelope.get_id());
        },
    }, {mailbox_capacity: 4});
    const sink = new CallbackActor({
        handle(actor, envelope) {
            assertEqual(envelope.get_sender(), 'doubler', 'sender');
            assertUuidV4(envelope.get_parent_id(), 'parent id');
            doubled.push(envelope.get_event().get_payload().get_int64());
        },
    }, {mailbox_capacity: 4});

    sup.add_actor('producer', producer, null);
    sup.add_actor('doubler', doubler, ['Num']);
    sup.add_actor('sink', sink, ['Doubled']);
    sup.start();
    try {
        waitFor(() => sink.handled === N, `${N} doubled events`);
    } finally {
        sup.stop();
    }
    assertEqual(doubler.handled, N, 'events at the doubler');
    assertDeepEqual(doubled, range(N).map(i => 2 * i), 'doubled events, in order');
    assertEqual(sup.get_undelivered_count(), 0, 'undelivered');
});

run();
