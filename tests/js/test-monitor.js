// Monitors from GJS: signals reach handlers on the main loop, whatever
// thread the runtime worked on, and the counts are exact.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';
import System from 'system';

import {
    assert, assertEqual, assertDeepEqual, CallbackActor, drainContext, guard, run, runLoop,
    test,
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
const EVENT_HOOKS = ['event-dispatched', 'event-delivered', 'event-handled'];

// Counts every signal of @monitor per hook and receiver, and the handlers
// that did not run on the main thread.
function countSignals(monitor) {
    const counts = {offMainThread: 0};
    const bump = (key) => {
        counts[key] = (counts[key] ?? 0) + 1;
        if (!MaikoTest.on_main_thread())
            counts.offMainThread++;
    };
    for (const hook of EVENT_HOOKS) {
        monitor.connect(hook, guard((_m, envelope, topic, receiver) => {
            assertEqual(topic, 'Tick', 'topic');
            assertEqual(envelope.get_event().get_label(), 'Tick', 'label');
            bump(`${hook}:${receiver}`);
        }, undefined, hook));
    }
    monitor.connect('actor-registered', (_m, actor) => bump(`registered:${actor}`));
    monitor.connect('actor-stopped', (_m, actor) => bump(`stopped:${actor}`));
    return counts;
}

test('threaded C producer, JS and C receivers: signals on the main loop, exact counts', () => {
    // Room for every record (3 per event and receiver): a busy machine may
    // leave the main loop unscheduled while the C actors run on.
    const sup = new Maiko.Supervisor({mailbox_capacity: 16, monitoring_capacity: 8192});
    // The echo answers Tock, on a topic nobody listens to.
    sup.set_route_by_label();
    sup.set_topic_policy('Tick', Maiko.OverflowPolicy.BLOCK);
    const producer = MaikoTest.Producer.new('Tick', N);
    const js = new CallbackActor({});
    const echo = MaikoTest.Echo.new('Tock');
    sup.add_actor('producer', producer, null);
    sup.add_actor('js', js, ['Tick']);
    sup.add_actor('echo', echo, ['Tick']);

    const monitor = new Maiko.Monitor();
    const counts = countSignals(monitor);
    sup.add_monitor(monitor);

    const loop = new GLib.MainLoop(null, false);
    const poll = GLib.idle_add(GLib.PRIORITY_LOW, () => {
        if (counts['event-handled:js'] === N && counts['event-handled:echo'] === N)
            loop.quit();
        return GLib.SOURCE_CONTINUE;
    });
    sup.start();
    try {
        runLoop(loop, `${N} handled signals per receiver`);
    } finally {
        GLib.source_remove(poll);
        sup.stop();
    }

    for (const hook of EVENT_HOOKS) {
        assertEqual(counts[`${hook}:js`], N, `${hook} for js`);
        assertEqual(counts[`${hook}:echo`], N, `${hook} for echo`);
    }
    for (const actor of ['producer', 'js', 'echo']) {
        assertEqual(counts[`registered:${actor}`], 1, `actor-registered ${actor}`);
        assertEqual(counts[`stopped:${actor}`], 1, `actor-stopped ${actor}`);
    }
    assertEqual(counts.offMainThread, 0, 'handlers off the main thread');
    assertEqual(monitor.dropped_count, 0, 'dropped records');
});

const CountingMonitor = GObject.registerClass(
class CountingMonitor extends Maiko.Monitor {
    _init() {
        super._init();
        this.handled = [];
        this.stopped = [];
    }

    vfunc_event_handled(envelope, _topic, receiver) {
        this.handled.push(`${receiver}:${envelope.get_event().get_payload().get_int64()}`);
    }

    vfunc_actor_stopped(actor) {
        this.stopped.push(actor);
    }
});

test('a JS subclass overrides the class handlers', () => {
    const sup = new Maiko.Supervisor();
    const sink = new CallbackActor({});
    sup.add_actor('sink', sink, ['default']);
    const monitor = new CountingMonitor();
    sup.add_monitor(monitor);
    sup.start();
    for (let i = 0; i < 5; i++)
        sup.send(Maiko.Event.new('N', GLib.Variant.new_int64(i)));
    // stop drains the monitors whose context this thread may run.
    sup.stop();
    assertDeepEqual(monitor.handled, [0, 1, 2, 3, 4].map(i => `sink:${i}`), 'handled');
    assertDeepEqual(monitor.stopped, ['sink'], 'stopped');
});

test('a paused monitor receives nothing; flush emits what is queued', () => {
    const sup = new Maiko.Supervisor();
    const sink = new CallbackActor({});
    sup.add_actor('sink', sink, ['default']);
    const monitor = new Maiko.Monitor();
    let delivered = 0;
    monitor.connect('event-delivered', () => delivered++);
    sup.add_monitor(monitor);
    sup.start();
    monitor.pause();
    sup.send(Maiko.Event.new('Hidden', null));
    // The JS actor handles it when the main context runs.
    waitFor(() => sink.handled === 1, 'the hidden event handled');
    monitor.resume();
    sup.send(Maiko.Event.new('Seen', null));
    sup.stop();
    monitor.flush();
    assertEqual(delivered, 1, 'event-delivered signals');
});

test('envelopes given to JS signal handlers are freed', () => {
    collectGarbage();
    const base = MaikoTest.live_payloads();
    let seen = 0;
    (() => {
        const sup = new Maiko.Supervisor({mailbox_capacity: 16, monitoring_capacity: 8192});
        sup.set_route_by_label();
        sup.set_topic_policy('Num', Maiko.OverflowPolicy.BLOCK);
        const echo = MaikoTest.Echo.new('Echo');
        sup.add_actor('producer', MaikoTest.Producer.new('Num', N), null);
        sup.add_actor('echo', echo, ['Num']);
        const monitor = new Maiko.Monitor();
        monitor.connect('event-handled', (_m, envelope) => {
            envelope.get_event().get_payload();
            seen++;
        });
        sup.add_monitor(monitor);
        sup.start();
        try {
            waitFor(() => seen === N, `${N} event-handled signals`);
        } finally {
            sup.stop();
        }
    })();
    collectGarbage();
    assertEqual(MaikoTest.live_payloads() - base, 0, 'payloads still alive');
});

// A monitor whose class handler throws ends, as maiko removes a monitor
// that panics: it is removed and keeps the error; the others go on.
const Brittle = GObject.registerClass(
class Brittle extends Maiko.Monitor {
    _init() {
        super._init();
        this.handled = 0;
    }

    vfunc_event_handled(envelope) {
        this.handled++;
        if (this.handled === 3)
            throw new Error('audit sink gone');
    }
});

test('a throwing class handler ends its monitor only', () => {
    const sup = new Maiko.Supervisor();
    const brittle = new Brittle();
    const other = new Maiko.Monitor();
    let otherHandled = 0;
    other.connect('event-handled', () => otherHandled++);
    sup.add_actor('a', new CallbackActor({}), ['default']);
    sup.add_monitor(brittle);
    sup.add_monitor(other);
    sup.start();
    for (let i = 0; i < 10; i++)
        sup.send(Maiko.Event.new('N', null));
    sup.stop();
    assertEqual(brittle.handled, 3, 'handled by the brittle monitor');
    assertEqual(otherHandled, 10, 'handled by the other monitor');
    assert(brittle.failure.message.includes('audit sink gone'), brittle.failure.message);
    assertEqual(brittle.dup_supervisor(), null, 'removed');
});

run();
