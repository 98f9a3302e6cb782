// Maiko.js: GJS overrides for Maiko-1.0
//
// SPDX-License-Identifier: MIT
//
// GJS loads this file with the typelib (`import Maiko from 'gi://Maiko'` or
// `imports.gi.Maiko`) from the `overrides` folder of its search path: it is
// installed in <datadir>/gjs-1.0/overrides, and the build tree sets
// GJS_PATH to bindings/gjs.
//
// Envelopes given to JavaScript vfuncs. GJS 1.74 wraps a boxed argument of a
// vfunc without taking a reference to it: the wrapper would point to freed
// memory once the call returns and the runtime releases the envelope (it is
// lent, (transfer none)). So the vfuncs of Maiko.Actor and Maiko.Monitor
// subclasses that take an envelope get a wrapper holding a reference of its
// own, released when the garbage collector frees the wrapper: an envelope
// a handler keeps stays valid, and one it drops is freed. Subclasses are
// found through `_classInit`, the hook of GObject.registerClass() that GJS's
// own Gtk override uses for templates.

const {GLib, GObject} = imports.gi;

// The vfuncs that take an envelope: each one's envelope is its first
// argument. A wrapper that owns a reference replaces it (ref() returns a
// new reference, which the new wrapper owns).
const ENVELOPE_VFUNCS = new Set([
    'vfunc_handle_event',
    'vfunc_event_dispatched',
    'vfunc_event_delivered',
    'vfunc_event_handled',
    'vfunc_overflow',
]);

function holdingEnvelope(vfunc) {
    return function (envelope, ...rest) {
        return vfunc.call(this, envelope?.ref() ?? envelope, ...rest);
    };
}

// A monitor's class handler that throws ends that monitor, as maiko removes
// a monitor that panics (GJS would report the exception as a critical and
// call the handler again at the next record): the exception is logged, the
// monitor fails with it (Maiko.Monitor.fail) and the others go on.
const MONITOR_CLASS_HANDLERS = [
    'vfunc_event_dispatched', 'vfunc_event_delivered', 'vfunc_event_handled',
    'vfunc_overflow', 'vfunc_error', 'vfunc_actor_registered', 'vfunc_actor_stopped',
];

function failingOnThrow(handler, name, Maiko) {
    return function (...args) {
        try {
            handler.apply(this, args);
        } catch (e) {
            logError(e, `${this.constructor.name}.${name}`);
            this.fail(e instanceof GLib.Error ? e
                : new GLib.Error(Maiko.error_quark(), Maiko.Error.FAILED, `${e}`));
        }
    };
}

// Replaces the vfuncs @names that @prototype defines itself with what
// @wrap makes of them.
function wrapOwnVFuncs(prototype, names, wrap) {
    for (const name of names) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        if (typeof descriptor?.value !== 'function')
            continue;
        let vfunc = descriptor.value;
        if (ENVELOPE_VFUNCS.has(name))
            vfunc = holdingEnvelope(vfunc);
        Object.defineProperty(prototype, name, {...descriptor, value: wrap(vfunc, name)});
    }
}

var _init = function () {
    const Maiko = this;

    Maiko.Actor._classInit = function (subclass) {
        wrapOwnVFuncs(subclass.prototype, ['vfunc_handle_event'], vfunc => vfunc);
        return GObject.Object._classInit(subclass);
    };
    Maiko.Monitor._classInit = function (subclass) {
        wrapOwnVFuncs(subclass.prototype, MONITOR_CLASS_HANDLERS,
            (vfunc, name) => failingOnThrow(vfunc, name, Maiko));
        return GObject.Object._classInit(subclass);
    };
};
