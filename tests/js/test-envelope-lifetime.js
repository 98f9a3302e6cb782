// Envelopes handed to JavaScript vfuncs: a kept one stays valid, and none
// leaks (the payload of every event is counted until freed).
//
// SPDX-License-Identifier: MIT

import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';
import System from 'system';

import {
    assertEqual, assertUuidV4, CallbackActor, drainContext, run, test,
    waitFor,
} from './harness.js';

import GObject from 'gi://GObject';

const N = 500;
// Through a JS actor, checked for leaks: a leak of even a few bytes per
// event would show in the process's size, and every one in the count.
const MANY = 100000;

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

test(`the ${MANY} envelopes handled by a JS actor are freed`, () => {
    collectGarbage();
    const base = MaikoTest.live_payloads();
    (() => {
        const sup = new Maiko.Supervisor({mailbox_capacity: 64});
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
        const receiver = new CallbackActor({
            handle(actor, envelope) {
                envelope.get_event().get_payload();
            },
        });
        sup.add_actor('producer', MaikoTest.Producer.new('Num', MANY), null);
        sup.add_actor('receiver', receiver, ['*']);
        sup.start();
        try {
            waitFor(() => receiver.handled === MANY, `${MANY} events`);
        } finally {
            sup.stop();
        }
    })();
    collectGarbage();
    // Each leaked envelope keeps its event and so its payload alive.
    assertEqual(MaikoTest.live_payloads() - base, 0, 'payloads still alive');
});

// Records every envelope its class handlers get, keeping one of each.
const KeepingMonitor = GObject.registerClass(
class KeepingMonitor extends Maiko.Monitor {
    _init() {
        super._init();
        this.kept = {};
        this.counts = {dispatched: 0, delivered: 0, handled: 0};
    }

    _keep(hook, envelope) {
        this.counts[hook]++;
        if (envelope.get_event().get_payload().get_int64() === 1)
            this.kept[hook] = envelope;
    }

    vfunc_event_dispatched(envelope) {
        this._keep('dispatched', envelope);
    }

    vfunc_event_delivered(envelope) {
        this._keep('delivered', envelope);
    }

    vfunc_event_handled(envelope) {
        this._keep('handled', envelope);
    }
});

test('envelopes kept by monitor handlers stay valid; the others are freed', () => {
    collectGarbage();
    const base = MaikoTest.live_payloads();
    const monitor = new KeepingMonitor();
    let fromSignal = null;
    (() => {
        const sup = new Maiko.Supervisor({mailbox_capacity: 16, monitoring_capacity: 4 * N});
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
        const receiver = new CallbackActor({});
        monitor.connect('event-handled', (_m, envelope) => {
            if (envelope.get_event().get_payload().get_int64() === 2)
                fromSignal = envelope;
        });
        sup.add_monitor(monitor);
        sup.add_actor('producer', MaikoTest.Producer.new('Num', N), null);
        sup.add_actor('receiver', receiver, ['*']);
        sup.start();
        try {
            waitFor(() => monitor.counts.handled === N, `${N} event-handled`);
        } finally {
            sup.stop();
        }
    })();
    collectGarbage();
    assertEqual(monitor.counts.dispatched, N, 'event-dispatched');
    assertEqual(monitor.counts.delivered, N, 'event-delivered');
    for (const hook of ['dispatched', 'delivered', 'handled']) {
        const envelope = monitor.kept[hook];
        assertEqual(envelope.get_sender(), 'producer', `${hook}: sender`);
        assertEqual(envelope.get_event().get_payload().get_int64(), 1, `${hook}: payload`);
        assertUuidV4(envelope.get_id());
    }
    assertEqual(fromSignal.get_event().get_payload().get_int64(), 2, 'kept from a signal');
    // The three kept envelopes share one event, and so one payload; the
    // one kept from the signal has another.
    assertEqual(MaikoTest.live_payloads() - base, 2, 'payloads alive');
    monitor.kept = {};
    fromSignal = null;
    collectGarbage();
    assertEqual(MaikoTest.live_payloads() - base, 0, 'payloads alive once dropped');
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
