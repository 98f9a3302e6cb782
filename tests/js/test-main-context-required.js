// A JavaScript actor cannot run on a thread of its own (GJS runs JS on its
// main thread only): the supervisor refuses it with a clear error, and
// accepts it once its main-context is set. C actors are not affected.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';

import {
    assert, assertEqual, assertThrowsGError, run, test, waitFor,
} from './harness.js';

const Plain = GObject.registerClass(
class Plain extends Maiko.Actor {
    vfunc_handle_event(envelope) {
        this.labels = [...this.labels ?? [], envelope.get_event().get_label()];
        return true;
    }
});

// A subclass of a JS class, and a class with a GType name of its own (no
// "Gjs_" prefix): both are JavaScript all the same.
const Derived = GObject.registerClass(
class Derived extends Plain {});

const Named = GObject.registerClass({
    GTypeName: 'MaikoJsTestNamedActor',
}, class Named extends Maiko.Actor {});

function checkRefused(sup, name, actor) {
    const e = assertThrowsGError(() => sup.add_actor(name, actor, ['*']),
        Maiko.Error, Maiko.Error.INVALID_ARGUMENT, `adding ${name}`);
    assertEqual(e.domain, Maiko.Error.quark(), 'error domain');
    assert(e.message.includes('main-context'),
        `the message should mention main-context: ${e.message}`);
    assert(e.message.includes(name), `the message should name the actor: ${e.message}`);
}

test('a JS actor without main-context is refused', () => {
    const sup = new Maiko.Supervisor();
    checkRefused(sup, 'plain', new Plain());
    checkRefused(sup, 'derived', new Derived());
    checkRefused(sup, 'named', new Named());
    assertEqual(Named.$gtype.name, 'MaikoJsTestNamedActor', 'GType name');
    assertEqual(sup.get_actor('plain'), null, 'a refused actor is not added');
});

test('a JS actor is refused while the supervisor runs too', () => {
    const sup = new Maiko.Supervisor();
    sup.start();
    try {
        checkRefused(sup, 'late', new Plain());
    } finally {
        sup.stop();
    }
});

test('the same actor and name are accepted once main-context is set', () => {
    const sup = new Maiko.Supervisor();
    const actor = new Derived();
    checkRefused(sup, 'derived', actor);
    actor.main_context = GLib.MainContext.default();
    sup.add_actor('derived', actor, ['*']);
    assertEqual(sup.get_actor('derived'), actor, 'added actor');
    assertEqual(actor.get_name(), 'derived', 'name');
    sup.start();
    try {
        sup.send(Maiko.Event.new('Hello', null));
        waitFor(() => actor.labels?.length === 1, 'the event');
    } finally {
        sup.stop();
    }
    assertEqual(actor.labels.join(), 'Hello', 'events handled');
});

test('C actors need no main-context', () => {
    const sup = new Maiko.Supervisor();
    // The C base class itself, and C subclasses.
    sup.add_actor('base', new Maiko.Actor(), ['*']);
    const echo = MaikoTest.Echo.new('Echo');
    sup.add_actor('echo', echo, ['Ping']);
    sup.add_actor('producer', MaikoTest.Producer.new('Num', 1), null);
    sup.start();
    try {
        assert(sup.is_running(), 'running');
    } finally {
        sup.stop();
    }
    assertEqual(echo.main_thread_calls, 0, 'echo callbacks on the main thread');
});

run();
