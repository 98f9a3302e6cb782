// Stopping from the main loop that runs the JavaScript actors: stop() and
// stop_async() are graceful (what the mailboxes hold is handled first) and
// do not deadlock on the context they wait for; sends are refused before
// start and after stop.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';

import {
    assert, assertEqual, assertDeepEqual, assertThrowsGError, CallbackActor,
    guard, run, runLoop, test, waitFor,
} from './harness.js';

const QUEUED = 100;

function range(n) {
    return Array.from({length: n}, (_, i) => i);
}

// A JS actor that records the numbers it gets and whether stop was running.
function makeCounter(state, props = {}) {
    return new CallbackActor({
        handle(actor, envelope) {
            state.numbers.push(envelope.get_event().get_payload().get_int64());
            if (state.stopping)
                state.handledDuringStop++;
        },
    }, props);
}

function queueEvents(sup, n) {
    for (let i = 0; i < n; i++)
        sup.send(Maiko.Event.new('Num', GLib.Variant.new_int64(i)));
}

test('stop() from a main-loop callback handles what the mailbox holds', () => {
    const state = {numbers: [], stopping: false, handledDuringStop: 0};
    const sup = new Maiko.Supervisor({mailbox_capacity: 256});
    const counter = makeCounter(state);
    sup.add_actor('counter', counter, ['*']);
    sup.start();
    queueEvents(sup, QUEUED);
    assertEqual(state.numbers.length, 0, 'events handled before the loop ran');

    const loop = new GLib.MainLoop(null, false);
    let stopped = null;
    // Higher priority than the actor's mailbox source: stop runs before any
    // queued event is handled, so it must handle them all while it waits.
    GLib.idle_add(GLib.PRIORITY_HIGH, guard(() => {
        state.stopping = true;
        stopped = sup.stop();
        state.stopping = false;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    }, GLib.SOURCE_REMOVE, 'the idle that stops'));
    runLoop(loop, 'stop() to return');

    assertEqual(stopped, true, 'stop()');
    assertDeepEqual(state.numbers, range(QUEUED), 'events handled, in order');
    assertEqual(state.handledDuringStop, QUEUED, 'events handled while stop() waited');
    assertEqual(counter.shutdowns, 1, 'on_shutdown calls');
    assert(!counter.is_running(), 'actor still running');
    assert(!sup.is_running(), 'supervisor still running');
    assertEqual(sup.get_undelivered_count(), 0, 'undelivered');
});

test('stop_async() from a main-loop callback handles what the mailbox holds', () => {
    const state = {numbers: [], stopping: false, handledDuringStop: 0};
    const sup = new Maiko.Supervisor({mailbox_capacity: 256});
    const counter = makeCounter(state);
    sup.add_actor('counter', counter, ['*']);
    sup.start();
    queueEvents(sup, QUEUED);

    const loop = new GLib.MainLoop(null, false);
    let finished = null;
    GLib.idle_add(GLib.PRIORITY_HIGH, guard(() => {
        state.stopping = true;
        sup.stop_async(null, guard((s, result) => {
            finished = s.stop_finish(result);
            state.stopping = false;
            loop.quit();
        }, undefined, 'the stop_async callback'));
        return GLib.SOURCE_REMOVE;
    }, GLib.SOURCE_REMOVE, 'the idle that stops'));
    runLoop(loop, 'stop_async() to complete');

    assertEqual(finished, true, 'stop_finish()');
    assertDeepEqual(state.numbers, range(QUEUED), 'events handled, in order');
    assertEqual(counter.shutdowns, 1, 'on_shutdown calls');
    assert(!sup.is_running(), 'supervisor still running');
    assertThrowsGError(() => sup.send(Maiko.Event.new('Late', null)),
        Maiko.Error, Maiko.Error.STOPPED, 'send after stop_async');
});

test('stop() while a threaded C producer still sends', () => {
    const state = {numbers: [], stopping: false, handledDuringStop: 0};
    const sup = new Maiko.Supervisor({mailbox_capacity: 16});
    sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK);
    // Sends far more than the test waits for: stop interrupts it.
    const producer = MaikoTest.Producer.new('Num', 1000000000);
    const counter = makeCounter(state);
    sup.add_actor('producer', producer, null);
    sup.add_actor('counter', counter, ['default']);
    sup.start();

    const loop = new GLib.MainLoop(null, false);
    let stopped = null;
    // Polls from the loop; an actor callback may not call the blocking stop.
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1, guard(() => {
        if (state.numbers.length < 500)
            return GLib.SOURCE_CONTINUE;
        state.stopping = true;
        stopped = sup.stop();
        state.stopping = false;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    }, GLib.SOURCE_REMOVE, 'the timeout that stops'));
    runLoop(loop, '500 events, then stop()');

    assertEqual(stopped, true, 'stop()');
    const k = state.numbers.length;
    const sent = producer.get_sent();
    // No gap and no disorder: a prefix of what the producer sent.
    assertDeepEqual(state.numbers, range(k), 'events handled, in order');
    assert(k <= sent, `handled ${k} > sent ${sent}`);
    // An event is handled, or counted as undelivered: never lost silently.
    assertEqual(k + Number(sup.get_undelivered_count()), sent,
        'handled + undelivered');
    assertEqual(counter.shutdowns, 1, 'on_shutdown calls');
    assertEqual(producer.main_thread_calls, 0, 'producer callbacks on the main thread');
    assert(!producer.is_running(), 'producer still running');
});

test('a send before start waits for it; after stop it is refused', () => {
    const sup = new Maiko.Supervisor();
    const counter = makeCounter({numbers: [], stopping: false, handledDuringStop: 0});
    sup.add_actor('counter', counter, ['*']);
    sup.send(Maiko.Event.new('Num', GLib.Variant.new_int64(0)));
    sup.start();
    sup.send(Maiko.Event.new('Num', GLib.Variant.new_int64(1)));
    sup.stop();
    assertEqual(counter.handled, 2, 'events handled');
    assertThrowsGError(() => sup.send(Maiko.Event.new('Late', null)),
        Maiko.Error, Maiko.Error.STOPPED, 'send after stop');

    // The async form reports the same error through its callback.
    let error = null;
    sup.send_async(Maiko.Event.new('Late', null), null, (s, result) => {
        try {
            s.send_finish(result);
            error = 'no error';
        } catch (e) {
            error = e;
        }
    });
    waitFor(() => error !== null, 'send_async to complete');
    assert(error instanceof GLib.Error && error.matches(Maiko.Error, Maiko.Error.STOPPED),
        `send_async after stop: ${error}`);
});

test('wait_ready() and wait_ready_async() run the on_start of actors on this context', () => {
    const sup = new Maiko.Supervisor();
    const first = new CallbackActor();
    const second = new CallbackActor();
    sup.add_actor('first', first, null);
    sup.add_actor('second', second, null);
    sup.start();
    try {
        // start() does not wait: on_start runs when the context is iterated.
        assertEqual(first.started + second.started, 0, 'started before waiting');
        sup.wait_ready('first', null);
        assertEqual(first.started, 1, 'first started');
        const loop = new GLib.MainLoop(null, false);
        let ready = null;
        sup.wait_ready_async(null, null, guard((source, result) => {
            ready = source.wait_ready_finish(result);
            loop.quit();
        }));
        runLoop(loop, 'every actor ready');
        assertEqual(ready, true, 'wait_ready_finish');
        assertEqual(second.started, 1, 'second started');
        assertThrowsGError(() => sup.wait_ready('nobody', null),
            Maiko.Error, Maiko.Error.INVALID_ARGUMENT);
    } finally {
        sup.stop();
    }
});

run();
