// Failures in JavaScript actors: an exception thrown by handle_event or
// on_start reaches on_error as a GError, which swallows it (true) or stops
// the actor (false); step's return value drives the runtime.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';

import {
    assert, assertEqual, assertDeepEqual, CallbackActor, drainContext, fail,
    run, stopReporting, test, waitFor,
} from './harness.js';

// An actor whose handlers may throw on purpose; records what on_error saw.
const Faulty = GObject.registerClass(
class Faulty extends Maiko.Actor {
    _init(behaviour) {
        super._init({main_context: GLib.MainContext.default()});
        this.behaviour = behaviour;
        this.handled = [];
        this.errors = [];
        this.shutdowns = 0;
    }

    vfunc_on_start() {
        if (this.behaviour.failStart)
            throw new Error('on_start failed on purpose');
        return true;
    }

    vfunc_handle_event(envelope) {
        const n = envelope.get_event().get_payload().get_int64();
        this.handled.push(n);
        if (this.behaviour.throwGError && n % 2 === 1)
            throw new GLib.Error(Maiko.Error, Maiko.Error.FAILED, `odd number ${n}`);
        if (this.behaviour.throwOn?.(n))
            throw new Error(`cannot handle ${n}`);
        return true;
    }

    vfunc_on_error(error) {
        try {
            this.errors.push({message: error.message, domain: error.domain, code: error.code});
            return this.behaviour.swallow;
        } catch (e) {
            fail(`on_error: ${e}`);
            return false;
        }
    }

    vfunc_on_shutdown() {
        this.shutdowns++;
    }
});

function range(n) {
    return Array.from({length: n}, (_, i) => i);
}

function send(sup, n) {
    for (let i = 0; i < n; i++)
        sup.send(Maiko.Event.new('Num', GLib.Variant.new_int64(i)));
}

test('an exception swallowed by on_error: the actor goes on', () => {
    const sup = new Maiko.Supervisor();
    const actor = new Faulty({swallow: true, throwOn: n => n % 3 === 0});
    sup.add_actor('faulty', actor, ['*']);
    sup.start();
    try {
        send(sup, 10);
        waitFor(() => actor.handled.length === 10, 'ten events');
        assert(actor.is_running(), 'the actor stopped');
    } finally {
        sup.stop();
    }
    assertDeepEqual(actor.handled, range(10), 'events handled');
    // GJS turns the exception into a GError with the exception's message.
    assertDeepEqual(actor.errors.map(e => e.message),
        [0, 3, 6, 9].map(n => `cannot handle ${n}`), 'errors seen by on_error');
    assertEqual(actor.shutdowns, 1, 'on_shutdown calls');
});

test('a GLib.Error thrown keeps its domain and code', () => {
    const sup = new Maiko.Supervisor();
    const actor = new Faulty({swallow: true, throwGError: true});
    sup.add_actor('faulty', actor, ['*']);
    sup.start();
    try {
        send(sup, 4);
        waitFor(() => actor.handled.length === 4, 'four events');
    } finally {
        sup.stop();
    }
    assertEqual(actor.errors.length, 2, 'errors');
    for (const [i, e] of actor.errors.entries()) {
        assertEqual(e.domain, Maiko.Error.quark(), 'domain');
        assertEqual(e.code, Maiko.Error.FAILED, 'code');
        assertEqual(e.message, `odd number ${2 * i + 1}`, 'message');
    }
});

test('an exception not swallowed stops that actor only', () => {
    const sup = new Maiko.Supervisor();
    const actor = new Faulty({swallow: false, throwOn: n => n === 2});
    const witness = new CallbackActor();
    sup.add_actor('faulty', actor, ['*']);
    sup.add_actor('witness', witness, ['*']);
    sup.start();
    try {
        send(sup, 6);
        waitFor(() => witness.handled === 6 && !actor.is_running(),
            'six events at the witness and the faulty actor stopped');
        assert(sup.is_running(), 'the supervisor stopped');
    } finally {
        // The stop reports the faulty actor's error.
        const stopError = stopReporting(sup);
        assert(stopError?.message.includes('cannot handle 2'), `stop threw ${stopError}`);
    }
    assertDeepEqual(actor.handled, [0, 1, 2], 'events handled by the faulty actor');
    assertEqual(actor.errors.length, 1, 'errors');
    assert(actor.errors[0].message.includes('cannot handle 2'), actor.errors[0].message);
    assertEqual(actor.shutdowns, 1, 'on_shutdown calls');
    assertEqual(witness.handled, 6, 'events handled by the witness');
    // Nothing reached the stopped actor: the rest is counted undelivered.
    assertEqual(Number(sup.get_undelivered_count()), 3, 'undelivered');
});

test('an exception in on_start reaches on_error', () => {
    const sup = new Maiko.Supervisor();
    const actor = new Faulty({swallow: false, failStart: true});
    sup.add_actor('faulty', actor, ['*']);
    sup.start();
    try {
        waitFor(() => actor.errors.length === 1 && !actor.is_running(), 'the failure');
    } finally {
        const stopError = stopReporting(sup);
        assert(stopError?.message.includes('on_start failed on purpose'), `stop threw ${stopError}`);
    }
    assert(actor.errors[0].message.includes('on_start failed on purpose'),
        actor.errors[0].message);
    assertDeepEqual(actor.handled, [], 'events handled');
    assertEqual(actor.shutdowns, 1, 'on_shutdown calls');
});

test('step: CONTINUE until done, BACKOFF, then NEVER', () => {
    const sup = new Maiko.Supervisor();
    let steps = 0;
    const stepper = new CallbackActor({
        step(actor) {
            steps++;
            if (steps < 50)
                return Maiko.StepAction.CONTINUE;
            if (steps < 55) {
                actor.get_context().set_backoff(1);
                return Maiko.StepAction.BACKOFF;
            }
            return Maiko.StepAction.NEVER;
        },
    });
    sup.add_actor('stepper', stepper, null);
    sup.start();
    try {
        waitFor(() => steps === 55, '55 steps');
        // NEVER means never: run what the context has and look again.
        drainContext();
        assertEqual(steps, 55, 'steps after NEVER');
    } finally {
        sup.stop();
    }
    assertEqual(steps, 55, 'steps');
    assertEqual(stepper.shutdowns, 1, 'on_shutdown calls');
});

// A method that forgets its return value: the error names the method.
const Forgetful = GObject.registerClass(
class Forgetful extends Maiko.Actor {
    _init(where) {
        super._init({main_context: GLib.MainContext.default()});
        this.where = where;
        this.handled = 0;
        this.errors = [];
    }

    vfunc_on_start() {
        if (this.where === 'on_start')
            return undefined;
        return true;
    }

    vfunc_handle_event(_envelope) {
        this.handled++;
        if (this.where === 'handle_event')
            return undefined;
        return true;
    }

    vfunc_on_error(error) {
        this.errors.push(error.message);
        return false;
    }
});

for (const where of ['on_start', 'handle_event']) {
    test(`${where}() returning undefined fails with a message that says so`, () => {
        const sup = new Maiko.Supervisor();
        const actor = new Forgetful(where);
        sup.add_actor('forgetful', actor, ['*']);
        sup.start();
        let stopError;
        try {
            send(sup, 3);
            waitFor(() => !actor.is_running(), 'the actor stopped');
        } finally {
            stopError = stopReporting(sup);
        }
        const expected = `Actor “forgetful”: vfunc_${where}() returned undefined; it must return true`;
        assertEqual(actor.errors.length, 1, 'errors');
        assert(actor.errors[0].startsWith(expected), actor.errors[0]);
        assert(stopError?.message.startsWith(expected), `stop threw ${stopError}`);
        assertEqual(actor.handled, where === 'handle_event' ? 1 : 0, 'events handled');
    });
}

// A step that throws, or returns nothing, fails the actor: on_error sees it
// and, swallowing it, the actor steps again.
const FailingStepper = GObject.registerClass(
class FailingStepper extends Maiko.Actor {
    _init(kind) {
        super._init({main_context: GLib.MainContext.default()});
        this.kind = kind;
        this.steps = 0;
        this.errors = [];
    }

    vfunc_step() {
        this.steps++;
        if (this.steps > 3)
            return Maiko.StepAction.NEVER;
        if (this.kind === 'throws')
            throw new Error(`step ${this.steps} failed`);
        return undefined;
    }

    vfunc_on_error(error) {
        this.errors.push(error.message);
        return true;
    }
});

for (const kind of ['throws', 'returns undefined']) {
    test(`a step that ${kind} reaches on_error; swallowed, stepping goes on`, () => {
        const sup = new Maiko.Supervisor();
        const actor = new FailingStepper(kind);
        sup.add_actor('stepper', actor, null);
        sup.start();
        try {
            waitFor(() => actor.steps === 4, 'four steps');
            drainContext();
        } finally {
            sup.stop();
        }
        assertEqual(actor.steps, 4, 'steps');
        assertEqual(actor.errors.length, 3, 'errors');
        for (const [i, message] of actor.errors.entries()) {
            const expected = kind === 'throws' ? `step ${i + 1} failed`
                : 'Actor “stepper”: vfunc_step() returned undefined; it must return a Maiko.StepAction';
            assert(message.includes(expected), message);
        }
    });
}

run();
