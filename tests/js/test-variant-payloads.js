// GVariant payloads both ways: JavaScript builds nested payloads, a C actor
// on its own thread sends each one back, JavaScript compares them deeply.
// 64-bit integers beyond 2^53 travel intact as GVariant; only a JS Number
// would round them, so they are read back as BigInt from their text.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';
import System from 'system';

import {
    assert, assertEqual, assertDeepEqual, assertUuidV4, CallbackActor,
    drainContext, run, test, waitFor,
} from './harness.js';

const BIG = 2n ** 53n + 1n;           // 9007199254740993: not a safe Number
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

// [payload, what recursiveUnpack() must give]
function cases() {
    return [
        [new GLib.Variant('a{sv}', {
            name: GLib.Variant.new_string('Maiko'),
            count: new GLib.Variant('i', -7),
            nested: new GLib.Variant('a{sv}', {
                tags: new GLib.Variant('as', ['a', 'b', 'ü']),
                ratio: new GLib.Variant('d', 0.25),
            }),
        }), {name: 'Maiko', count: -7, nested: {tags: ['a', 'b', 'ü'], ratio: 0.25}}],
        [new GLib.Variant('(ia{s(bd)}as)', [42, {x: [true, 1.5], y: [false, -0.25]}, ['one', 'two']]),
            [42, {x: [true, 1.5], y: [false, -0.25]}, ['one', 'two']]],
        [new GLib.Variant('aa{si}', [{a: 1}, {b: 2, c: 3}, {}]),
            [{a: 1}, {b: 2, c: 3}, {}]],
        [new GLib.Variant('v', new GLib.Variant('(su)', ['deep', 7])), ['deep', 7]],
        [new GLib.Variant('ay', new Uint8Array([0, 1, 127, 128, 255])),
            new Uint8Array([0, 1, 127, 128, 255])],
        [new GLib.Variant('(msmi)', [null, 5]), [null, 5]],
        [new GLib.Variant('s', 'héllo, wörld ✓ 🎉'), 'héllo, wörld ✓ 🎉'],
        [new GLib.Variant('a{sv}', {}), {}],
        [new GLib.Variant('(xx)', [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]),
            [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]],
    ];
}

// Beyond 2^53: built from BigInt, checked through their exact text.
function bigCases() {
    return [
        [new GLib.Variant('x', BIG), [BIG]],
        [new GLib.Variant('x', INT64_MIN), [INT64_MIN]],
        [new GLib.Variant('(xt)', [BIG, UINT64_MAX]), [BIG, UINT64_MAX]],
        [new GLib.Variant('a{sx}', {big: -BIG}), [-BIG]],
    ];
}

// The exact integers in a variant, in order, read from its text.
function integersOf(variant) {
    return variant.print(false).match(/-?\d+/g).map(BigInt);
}

function setUp() {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const echo = MaikoTest.Echo.new('Echo');
    const replies = [];
    const client = new CallbackActor({
        handle(actor, envelope) {
            assertEqual(envelope.get_sender(), 'echo', 'sender');
            assertEqual(envelope.get_event().get_label(), 'Echo', 'label');
            assertUuidV4(envelope.get_parent_id(), 'parent id');
            replies.push(envelope.get_event().get_payload());
        },
    });
    sup.add_actor('echo', echo, ['Payload']);
    sup.add_actor('client', client, ['Echo']);
    return {sup, echo, client, replies};
}

function checkReplies(sent, replies) {
    assertEqual(replies.length, sent.length, 'replies');
    sent.forEach(([payload, expected], i) => {
        const reply = replies[i];
        if (payload === null) {
            assertEqual(reply, null, `reply ${i}`);
            return;
        }
        assertEqual(reply.get_type_string(), payload.get_type_string(), `type of reply ${i}`);
        assert(reply.equal(payload), `reply ${i} equals what was sent: ${reply.print(true)}`);
        assertDeepEqual(reply.recursiveUnpack(), expected, `unpacked reply ${i}`);
    });
}

test('payloads sent by the supervisor come back from a threaded C actor', () => {
    const {sup, echo, replies} = setUp();
    const sent = [...cases(), [null, null]];
    sup.start();
    try {
        for (const [payload] of sent)
            sup.send(Maiko.Event.new('Payload', payload));
        waitFor(() => replies.length === sent.length, `${sent.length} replies`);
    } finally {
        sup.stop();
    }
    assertEqual(echo.main_thread_calls, 0, 'echo callbacks on the main thread');
    checkReplies(sent, replies);
});

test('payloads sent by a JS actor come back from a threaded C actor', () => {
    const {sup, echo, replies} = setUp();
    const sent = cases();
    const sender = new CallbackActor({
        start(actor) {
            // Routed when on_start returns, in this order.
            for (const [payload] of sent)
                actor.get_context().send(Maiko.Event.new('Payload', payload));
        },
    });
    sup.add_actor('sender', sender, null);
    sup.start();
    try {
        waitFor(() => replies.length === sent.length, `${sent.length} replies`);
    } finally {
        sup.stop();
    }
    assertEqual(echo.get_handled(), sent.length, 'events echoed');
    checkReplies(sent, replies);
});

test('64-bit integers beyond 2^53 travel intact', () => {
    const {sup, replies} = setUp();
    const sent = bigCases();
    sup.start();
    try {
        for (const [payload] of sent)
            sup.send(Maiko.Event.new('Payload', payload));
        waitFor(() => replies.length === sent.length, `${sent.length} replies`);
    } finally {
        sup.stop();
    }
    sent.forEach(([payload, integers], i) => {
        assert(replies[i].equal(payload), `reply ${i} equals what was sent`);
        assertDeepEqual(integersOf(replies[i]), integers, `integers of reply ${i}`);
    });
    // What unpacking gives instead: a Number, which cannot hold 2^53 + 1.
    assert(!Number.isSafeInteger(Number(BIG)), '2^53 + 1 is not a safe integer');
});

test('a payload referenced only by its event survives garbage collection', () => {
    const {sup, replies} = setUp();
    sup.start();
    let text;
    try {
        (() => {
            const payload = new GLib.Variant('(sa{sv})', ['gc', {n: new GLib.Variant('u', 3)}]);
            text = payload.print(true);
            sup.send(Maiko.Event.new('Payload', payload));
        })();
        System.gc();
        drainContext();
        waitFor(() => replies.length === 1, 'the reply');
    } finally {
        sup.stop();
    }
    System.gc();
    assertEqual(replies[0].print(true), text, 'reply');
});

test('an inline int64 event reads as an int64 and as its variant', () => {
    const event = Maiko.Event.new_int64('N', -42);
    const [isInt64, value] = event.get_int64();
    assert(isInt64, 'get_int64() says int64');
    assertEqual(value, -42, 'the value');
    assertEqual(event.get_payload().get_type_string(), 'x', 'the variant type');
    assertEqual(event.get_payload().unpack(), -42, 'the variant value');
    assert(!Maiko.Event.new('S', new GLib.Variant('s', 'x')).get_int64()[0],
        'a string payload is no int64');
});

run();
