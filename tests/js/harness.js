// harness.js: a small test harness for the GJS suite
//
// SPDX-License-Identifier: MIT
//
// Every test file imports this module, registers its cases with test() and
// ends with run(). A file exits with status 1 if any case failed, including
// a failure recorded in a vfunc or a main-loop callback (those run where an
// exception cannot reach the test body: guard() records them). Criticals,
// which is how GJS reports an exception it could not propagate, abort.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';
import System from 'system';

// GJS reports an exception it cannot propagate (in a vfunc that cannot
// throw, a main-loop source, a signal handler) as a critical "JS ERROR":
// make criticals fatal, whatever G_DEBUG says.
GLib.log_set_always_fatal(GLib.LogLevelFlags.LEVEL_CRITICAL | GLib.LogLevelFlags.LEVEL_ERROR);

const failures = [];
let currentTest = null;
// failures.length when the current case began.
let caseStart = 0;

/** Records a failure; the file will exit non-zero. */
export function fail(message) {
    const where = currentTest ? `[${currentTest}] ` : '';
    failures.push(`${where}${message}`);
    printerr(`FAILURE: ${where}${message}`);
}

export function assert(condition, message = 'assertion failed') {
    if (!condition)
        throw new Error(message);
}

function show(value) {
    if (typeof value === 'bigint')
        return `${value}n`;
    try {
        return JSON.stringify(value, (_k, v) => typeof v === 'bigint' ? `${v}n` : v);
    } catch {
        return String(value);
    }
}

export function assertEqual(actual, expected, message = '') {
    if (actual !== expected)
        throw new Error(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
}

export function deepEqual(a, b) {
    if (a === b)
        return true;
    if (typeof a === 'number' && typeof b === 'number')
        return Number.isNaN(a) && Number.isNaN(b);
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
        return false;
    if (a instanceof Uint8Array || b instanceof Uint8Array) {
        if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length)
            return false;
        return a.every((x, i) => x === b[i]);
    }
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    if (Array.isArray(a))
        return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return deepEqual(ka, kb) && ka.every(k => deepEqual(a[k], b[k]));
}

export function assertDeepEqual(actual, expected, message = '') {
    if (!deepEqual(actual, expected))
        throw new Error(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
}

/**
 * Calls fn(); it must throw a GLib.Error of @domain and @code.
 * Returns the error for further checks.
 */
/** Stops @sup and returns the actor error the stop reported, or null. */
export function stopReporting(sup) {
    try {
        sup.stop();
        return null;
    } catch (e) {
        return e;
    }
}

export function assertThrowsGError(fn, domain, code, message = '') {
    try {
        fn();
    } catch (e) {
        if (!(e instanceof GLib.Error))
            throw new Error(`${message ? `${message}: ` : ''}expected a GLib.Error, got ${e}`);
        if (!e.matches(domain, code))
            throw new Error(`${message ? `${message}: ` : ''}expected error code ${code} of domain ${domain}, got ${e.code} of ${e.domain}: ${e.message}`);
        return e;
    }
    throw new Error(`${message ? `${message}: ` : ''}expected an error, none thrown`);
}

/**
 * Wraps a callback that runs outside the test body (a vfunc, a main-loop
 * source, an async callback): an exception is recorded as a failure and
 * @fallback is returned instead.
 */
export function guard(fn, fallback = undefined, what = 'callback') {
    return function (...args) {
        try {
            return fn.apply(this, args);
        } catch (e) {
            fail(`exception in ${what}: ${e}\n${e.stack ?? ''}`);
            return fallback;
        }
    };
}

/**
 * Iterates the default main context until predicate() holds, failing after
 * @timeoutMs. State changed on other threads does not wake the context, so
 * it is polled every few milliseconds as well; this bounds the wait, it
 * does not hide a race: the predicate decides.
 */
export function waitFor(predicate, what, timeoutMs = 20000) {
    const context = GLib.MainContext.default();
    const deadline = GLib.get_monotonic_time() + timeoutMs * 1000;
    const poll = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5, () => GLib.SOURCE_CONTINUE);
    try {
        while (!predicate()) {
            // A callback failed: what is awaited may never come.
            if (failures.length > caseStart)
                throw new Error(`a callback failed while waiting for ${what}`);
            if (GLib.get_monotonic_time() > deadline)
                throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
            context.iteration(true);
        }
    } finally {
        GLib.source_remove(poll);
    }
}

/** Runs pending sources of the default context without blocking. */
export function drainContext() {
    const context = GLib.MainContext.default();
    while (context.iteration(false)) {
        // keep going
    }
}

/**
 * Runs @loop until it quits, failing the current test if that takes longer
 * than @timeoutMs.
 */
export function runLoop(loop, what, timeoutMs = 20000) {
    let timedOut = false;
    const timeout = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
        timedOut = true;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    // A callback failed: what is awaited may never come.
    const check = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5, () => {
        if (failures.length > caseStart)
            loop.quit();
        return GLib.SOURCE_CONTINUE;
    });
    loop.run();
    GLib.source_remove(check);
    if (!timedOut)
        GLib.source_remove(timeout);
    if (failures.length > caseStart)
        throw new Error(`a callback failed while waiting for ${what}`);
    if (timedOut)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function assertUuidV4(id, message = 'envelope id') {
    assert(typeof id === 'string' && UUID_V4.test(id), `${message}: ${id} is not a UUID v4`);
}

/**
 * A JavaScript actor whose behaviour comes from plain functions, bound to
 * the default main context (JavaScript actors must be). Every handler runs
 * under guard(): an exception is a test failure, not an actor error.
 *
 *   new CallbackActor({handle(actor, envelope) {...}}, {mailbox_capacity: 8})
 *
 * Handlers: start(actor), handle(actor, envelope), step(actor) -> StepAction,
 * shutdown(actor). Counters: started, handled, shutdowns.
 */
export const CallbackActor = GObject.registerClass(
class CallbackActor extends Maiko.Actor {
    _init(handlers = {}, props = {}) {
        super._init({main_context: GLib.MainContext.default(), ...props});
        this._handlers = handlers;
        this.started = 0;
        this.handled = 0;
        this.shutdowns = 0;
        this.offMainThread = 0;
    }

    _checkThread() {
        if (!MaikoTest.on_main_thread())
            this.offMainThread++;
    }

    vfunc_on_start() {
        this.started++;
        this._checkThread();
        const h = this._handlers.start;
        if (h)
            guard(h, undefined, `${this.constructor.name}.on_start`)(this);
        return true;
    }

    vfunc_handle_event(envelope) {
        this.handled++;
        this._checkThread();
        const h = this._handlers.handle;
        if (h)
            guard(h, undefined, `${this.constructor.name}.handle_event`)(this, envelope);
        return true;
    }

    vfunc_step() {
        const h = this._handlers.step;
        if (!h)
            return Maiko.StepAction.NEVER;
        return guard(h, Maiko.StepAction.NEVER, `${this.constructor.name}.step`)(this);
    }

    vfunc_on_shutdown() {
        this.shutdowns++;
        const h = this._handlers.shutdown;
        if (h)
            guard(h, undefined, `${this.constructor.name}.on_shutdown`)(this);
    }

    vfunc_on_error(error) {
        fail(`actor ${this.get_name()} failed: ${error.message}`);
        return false;
    }
});

const cases = [];

/** Registers a test case: a function that throws on failure. */
export function test(name, fn) {
    cases.push({name, fn, todo: null});
}

/**
 * Registers a case that is known to fail for @reason (a bug outside this
 * suite). It runs and is reported as TAP "# TODO": its failure does not
 * fail the file, and a pass is reported so that the marker gets removed.
 */
export function todo(name, reason, fn) {
    cases.push({name, fn, todo: reason});
}

/** Runs the registered cases and exits: 0 if all passed, 1 otherwise. */
export function run() {
    let index = 0;
    print(`1..${cases.length}`);
    for (const {name, fn, todo: reason} of cases) {
        index++;
        currentTest = name;
        const before = failures.length;
        caseStart = before;
        try {
            fn();
        } catch (e) {
            fail(`${e}\n${e.stack ?? ''}`);
        }
        // Let sources queued by the case (async callbacks, idle handlers)
        // run while the case is still current.
        drainContext();
        const passed = failures.length === before;
        if (reason !== null) {
            // A known failure: report it, do not count it.
            failures.splice(before);
            print(`${passed ? 'ok' : 'not ok'} ${index} - ${name} # TODO ${reason}`);
            if (passed)
                printerr(`NOTE: "${name}" passes now: turn it back into a test()`);
        } else {
            print(`${passed ? 'ok' : 'not ok'} ${index} - ${name}`);
        }
    }
    currentTest = null;
    System.gc();
    drainContext();
    if (failures.length > 0) {
        printerr(`${failures.length} failure(s):\n${failures.join('\n')}`);
        System.exit(1);
    }
}
