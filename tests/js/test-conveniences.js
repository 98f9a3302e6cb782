// The conveniences of the override: events from plain values, the fields of
// events and envelopes as properties, ctx.send('Label', value, {parent})
// and sup.send('Label', value).
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';

import {
    assert, assertDeepEqual, assertEqual, CallbackActor, run, test, waitFor,
} from './harness.js';

test('Maiko.toVariant picks the type a plain value asks for', () => {
    const cases = [
        ['text', 's'], [true, 'b'], [42, 'x'], [2n ** 53n + 1n, 'x'], [0.5, 'd'],
        [new Uint8Array([1, 2]), 'ay'], [[1, 2, 3], 'ax'], [['a', 'b'], 'as'],
        [[1, 'a'], 'av'], [[], 'av'], [{a: 1, b: 'x'}, 'a{sv}'],
    ];
    for (const [value, type] of cases)
        assertEqual(Maiko.toVariant(value).get_type_string(), type, `type of ${String(value)}`);
    // Exact beyond 2^53, where a Number would round.
    assertEqual(Maiko.toVariant(2n ** 53n + 1n).print(false), '9007199254740993', 'int64 text');
    const variant = GLib.Variant.new_uint32(7);
    assertEqual(Maiko.toVariant(variant), variant, 'a GLib.Variant stays as it is');
    assertEqual(Maiko.toVariant(null), null, 'null');
    assertEqual(Maiko.toVariant(undefined), null, 'undefined');
    let thrown = null;
    try {
        Maiko.toVariant(Symbol('no'));
    } catch (e) {
        thrown = e;
    }
    assert(thrown instanceof TypeError, `a symbol threw ${thrown}`);
});

test('Maiko.Event.new takes a plain value or a GLib.Variant; label and payload read back', () => {
    const plain = Maiko.Event.new('Reading', {celsius: 21.5, tags: ['in', 'dry']});
    assertEqual(plain.label, 'Reading', 'label');
    assertDeepEqual(plain.payload, {celsius: 21.5, tags: ['in', 'dry']}, 'payload');
    assertEqual(plain.get_payload().get_type_string(), 'a{sv}', 'payload type');
    const variant = Maiko.Event.new('Count', GLib.Variant.new_int32(3));
    assertEqual(variant.get_payload().get_type_string(), 'i', 'a GLib.Variant payload is kept');
    assertEqual(variant.payload, 3, 'payload');
    const bare = Maiko.Event.new('Tick');
    assertEqual(bare.payload, null, 'no payload');
    assertEqual(bare.get_payload(), null, 'no payload variant');
});

test('ctx.send and sup.send with a label and a value; envelope fields as properties', () => {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const seen = [];
    const echo = new CallbackActor({
        handle(actor, envelope) {
            if (envelope.event.label === 'Ping')
                actor.get_context().send('Pong', envelope.event.payload + 1, {parent: envelope});
        },
    });
    const sink = new CallbackActor({
        handle(_actor, envelope) {
            seen.push({
                label: envelope.event.label, payload: envelope.event.payload,
                sender: envelope.sender, topic: envelope.topic, id: envelope.id,
                parentId: envelope.parentId, timestamp: envelope.timestamp,
            });
        },
    });
    sup.add_actor('echo', echo, ['Ping']);
    sup.add_actor('sink', sink, ['Pong']);
    sup.start();
    try {
        sup.send('Ping', 41);
        waitFor(() => seen.length === 1, 'the pong');
    } finally {
        sup.stop();
    }
    const [pong] = seen;
    assertEqual(pong.label, 'Pong', 'label');
    assertEqual(pong.payload, 42, 'payload');
    assertEqual(pong.sender, 'echo', 'sender');
    assertEqual(pong.topic, 'Pong', 'topic');
    assert(pong.parentId !== null && pong.parentId !== pong.id, `parent id ${pong.parentId}`);
    assert(pong.timestamp > 0, `timestamp ${pong.timestamp}`);
});

test('ctx.send with {parent} given as an id links the child', () => {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const links = [];
    const echo = new CallbackActor({
        handle(actor, envelope) {
            if (envelope.event.label === 'Ping')
                actor.get_context().send('Pong', null, {parent: envelope.id});
        },
    });
    const sink = new CallbackActor({
        handle(_actor, envelope) {
            links.push(envelope.parentId);
        },
    });
    const pings = new CallbackActor({
        handle(_actor, envelope) {
            links.push(envelope.id);
        },
    });
    sup.add_actor('echo', echo, ['Ping']);
    sup.add_actor('pings', pings, ['Ping']);
    sup.add_actor('sink', sink, ['Pong']);
    sup.start();
    try {
        sup.send(Maiko.Event.new('Ping'));
        waitFor(() => links.length === 2, 'the ping and the pong');
    } finally {
        sup.stop();
    }
    assertEqual(links[0], links[1], 'the pong names the ping as its parent');
});

run();
