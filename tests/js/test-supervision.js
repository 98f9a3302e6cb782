// Actors that come, go and restart, from JavaScript: remove_actor on a
// JavaScript actor bound to this context, and restarts made by a
// JavaScript factory, seen by a monitor's vfunc_actor_restarted.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';

import {
    assertDeepEqual, assertEqual, assertThrowsGError, CallbackActor, run, test, waitFor,
} from './harness.js';

test('remove_actor drains a JavaScript actor and frees its name', () => {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const seen = [];
    const victim = new CallbackActor({handle: (_actor, envelope) => seen.push(envelope.event.payload)});
    sup.add_actor('victim', victim, ['Job']);
    sup.start();
    try {
        for (let i = 0; i < 5; i++)
            sup.send('Job', i);
        // Blocking: it runs this context, where the victim handles its mailbox.
        sup.remove_actor('victim');
        assertDeepEqual(seen, [0, 1, 2, 3, 4], 'handled before the removal returned');
        assertEqual(victim.shutdowns, 1, 'on_shutdown calls');
        assertEqual(sup.get_actor('victim'), null, 'looked up after removal');
        assertThrowsGError(() => sup.remove_actor('victim'), Maiko.Error, Maiko.Error.INVALID_ARGUMENT);
        sup.add_actor('victim', new CallbackActor(), ['Job']);
    } finally {
        sup.stop();
    }
});

const Flaky = GObject.registerClass(
class Flaky extends Maiko.Actor {
    _init(instances) {
        super._init({main_context: GLib.MainContext.default()});
        this.handled = [];
        instances.push(this);
    }

    vfunc_handle_event(envelope) {
        if (envelope.event.label === 'Boom')
            throw new Error('boom');
        this.handled.push(envelope.event.payload);
        return true;
    }

    vfunc_on_error(_error) {
        return false;
    }
});

const RestartLog = GObject.registerClass(
class RestartLog extends Maiko.Monitor {
    _init() {
        super._init();
        this.restarts = [];
    }

    vfunc_actor_restarted(actor, count, error) {
        this.restarts.push([actor, count, error?.message ?? null]);
    }
});

test('a JavaScript factory makes each instance; the fresh one gets the rest', () => {
    const instances = [];
    const log = new RestartLog();
    const sup = new Maiko.Supervisor();
    sup.add_restartable_actor('flaky', [Maiko.DEFAULT_TOPIC], Maiko.RestartPolicy.ON_FAILURE,
        () => new Flaky(instances));
    sup.add_monitor(log);
    sup.start();
    try {
        sup.send('N', 1);
        sup.send('Boom');
        for (let i = 2; i < 10; i++)
            sup.send('N', i);
        waitFor(() => instances.length === 2 && instances[1].handled.length === 8, 'the fresh instance');
    } finally {
        sup.stop();
    }
    assertDeepEqual(instances.map(i => i.handled), [[1], [2, 3, 4, 5, 6, 7, 8, 9]], 'handled');
    assertEqual(sup.get_restart_count('flaky'), 1, 'restart count');
    assertEqual(log.restarts.length, 1, 'restarts seen');
    assertEqual(log.restarts[0][0], 'flaky', 'actor');
    assertEqual(log.restarts[0][1], 1, 'count');
});

run();
