// Envelopes handed to JavaScript vfuncs: a kept one stays valid, and none
// leaks (the payload of every event is counted until freed).
//
// SPDX-License-Identifier: MIT

import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';
import System from 'system';

import {
    assertEqual, assertUuidV4, CallbackActor, drainContext, run, test, todo,
    waitFor,
} from './harness.js';

const N = 500;

function collectGarbage() {
    // Twice: a first collection can release wrappers that keep others.
    for (let i = 0; i < 2; i++) {
        System.gc();
        drainContext();
    }
}

test('tracked payloads are counted until freed', () => {
    const base = MaikoTest.live_payloads();
    (() => {
        const v = MaikoTest.tracked_int64(42);
        assertEqual(v.get_int64(), 42, 'value');
        assertEqual(MaikoTest.live_payloads(), base + 1, 'live while referenced');
    })();
    collectGarbage();
    assertEqual(MaikoTest.live_payloads(), base, 'live after collection');
});

test('an envelope kept by a JS handler stays valid after the runtime ends', () => {
    let kept = null;
    let sup = new Maiko.Supervisor();
    sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
    const producer = MaikoTest.Producer.new('Num', 3);
    const keeper = new CallbackActor({
        handle(actor, envelope) {
            if (envelope.get_event().get_payload().get_int64() === 1)
                kept = envelope;
        },
    });
    sup.add_actor('producer', producer, null);
    sup.add_actor('keeper', keeper, ['*']);
    sup.start();
    try {
        waitFor(() => keeper.handled === 3, 'three events');
    } finally {
        sup.stop();
    }
    sup = null;
    collectGarbage();
    assertEqual(kept.get_sender(), 'producer', 'sender');
    assertEqual(kept.get_event().get_label(), 'Num', 'label');
    assertEqual(kept.get_event().get_payload().get_int64(), 1, 'payload');
    assertUuidV4(kept.get_id());
});

// The runtime hands handle_event a full reference to the envelope (the GIR
// says (transfer none), which is wrong too). GJS 1.74 wraps a boxed vfunc
// argument without copying it and never frees it, whatever the annotation:
// the reference leaks (with its event and payload). Passing the envelope
// (transfer none) and dropping it after the call ends the leak but leaves
// a JS handler that keeps the envelope with a dangling pointer (the case
// above then crashes). The cure belongs to the C library: for instance a
// GObject envelope passed (transfer none), which GJS wrappers reference.
todo('envelopes handled by JS actors are freed',
    'GJS 1.74 never frees the boxed envelope given to a JS handle_event', () => {
    collectGarbage();
    const base = MaikoTest.live_payloads();
    (() => {
        const sup = new Maiko.Supervisor({mailbox_capacity: 16});
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
        const receiver = new CallbackActor({
            handle(actor, envelope) {
                envelope.get_event().get_payload();
            },
        });
        sup.add_actor('producer', MaikoTest.Producer.new('Num', N), null);
        sup.add_actor('receiver', receiver, ['*']);
        sup.start();
        try {
            waitFor(() => receiver.handled === N, `${N} events`);
        } finally {
            sup.stop();
        }
    })();
    collectGarbage();
    // Each leaked envelope keeps its event and so its payload alive.
    assertEqual(MaikoTest.live_payloads() - base, 0, 'payloads still alive');
});

test('envelopes handled by C actors are freed', () => {
    collectGarbage();
    const base = MaikoTest.live_payloads();
    (() => {
        const sup = new Maiko.Supervisor({mailbox_capacity: 16});
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
        const echo = MaikoTest.Echo.new('Echo');
        sup.add_actor('producer', MaikoTest.Producer.new('Num', N), null);
        sup.add_actor('echo', echo, ['default']);
        sup.start();
        try {
            waitFor(() => echo.get_handled() === N, `${N} events at the echo actor`);
        } finally {
            sup.stop();
        }
    })();
    collectGarbage();
    assertEqual(MaikoTest.live_payloads() - base, 0, 'payloads still alive');
});

run();
