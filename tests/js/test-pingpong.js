// Two JavaScript actors on the main context play ping-pong: exact counts,
// order, and parent ids that chain every answer to its question.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';

import {
    assert, assertEqual, assertDeepEqual, CallbackActor, run, runLoop, test,
    waitFor,
} from './harness.js';

const ROUNDS = 1000;

function range(n) {
    return Array.from({length: n}, (_, i) => i);
}

function setUp() {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const seen = {pings: [], pongs: [], pingIds: new Map(), chainErrors: 0};

    const pinger = new CallbackActor({
        handle(actor, envelope) {
            const event = envelope.get_event();
            assertEqual(event.get_label(), 'Pong', 'label at the pinger');
            assertEqual(envelope.get_sender(), 'ponger', 'sender of a pong');
            const n = event.get_payload().get_uint32();
            // Every pong answers the ping with the same number.
            if (seen.pingIds.get(n) !== envelope.get_parent_id())
                seen.chainErrors++;
            seen.pongs.push(n);
            if (n + 1 < ROUNDS) {
                actor.get_context().send_child_event(
                    Maiko.Event.new('Ping', GLib.Variant.new_uint32(n + 1)),
                    envelope.get_id());
            } else {
                actor.get_context().stop_runtime();
            }
        },
    });
    const ponger = new CallbackActor({
        handle(actor, envelope) {
            const event = envelope.get_event();
            assertEqual(event.get_label(), 'Ping', 'label at the ponger');
            const n = event.get_payload().get_uint32();
            seen.pings.push(n);
            seen.pingIds.set(n, envelope.get_id());
            actor.get_context().send_child_event(
                Maiko.Event.new('Pong', event.get_payload()),
                envelope.get_id());
        },
    });
    sup.add_actor('pinger', pinger, ['Pong']);
    sup.add_actor('ponger', ponger, ['Ping']);
    return {sup, pinger, ponger, seen};
}

function checkGame({sup, pinger, ponger, seen}) {
    assertEqual(ponger.handled, ROUNDS, 'pings handled');
    assertEqual(pinger.handled, ROUNDS, 'pongs handled');
    assertDeepEqual(seen.pings, range(ROUNDS), 'pings, in order');
    assertDeepEqual(seen.pongs, range(ROUNDS), 'pongs, in order');
    assertEqual(seen.chainErrors, 0, 'pongs whose parent is not their ping');
    for (const a of [pinger, ponger]) {
        assertEqual(a.started, 1, 'on_start calls');
        assertEqual(a.shutdowns, 1, 'on_shutdown calls');
        assertEqual(a.offMainThread, 0, 'JS callbacks off the main thread');
        assert(!a.is_running(), 'actor still running');
    }
    assert(!sup.is_running(), 'supervisor still running');
    assertEqual(sup.get_undelivered_count(), 0, 'undelivered');
}

test('ping-pong ended by the pinger, joined from the main thread', () => {
    const game = setUp();
    game.sup.start();
    game.sup.send(Maiko.Event.new('Ping', GLib.Variant.new_uint32(0)));
    // The actors run on this thread's context: join iterates it.
    game.sup.join();
    checkGame(game);
});

test('ping-pong driven by a main loop, joined with join_async', () => {
    const game = setUp();
    const loop = new GLib.MainLoop(null, false);
    let joined = null;
    game.sup.start();
    game.sup.send(Maiko.Event.new('Ping', GLib.Variant.new_uint32(0)));
    game.sup.join_async(null, (sup, result) => {
        try {
            joined = sup.join_finish(result);
        } catch (e) {
            joined = e;
        }
        loop.quit();
    });
    runLoop(loop, 'join_async to complete');
    assertEqual(joined, true, 'join_finish');
    checkGame(game);
});

test('no ping after the game: exact count once stopped', () => {
    const game = setUp();
    game.sup.start();
    game.sup.send(Maiko.Event.new('Ping', GLib.Variant.new_uint32(0)));
    waitFor(() => game.pinger.handled === ROUNDS, `${ROUNDS} pongs`);
    // Whatever is still queued is handled by a graceful stop: nothing is.
    game.sup.stop();
    checkGame(game);
});

run();
