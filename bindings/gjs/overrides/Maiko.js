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

const {GObject} = imports.gi;

// The vfuncs that take an envelope, by class: each one's envelope is its
// first argument.
const ENVELOPE_VFUNCS = {
    Actor: ['vfunc_handle_event'],
    Monitor: [
        'vfunc_event_dispatched',
        'vfunc_event_delivered',
        'vfunc_event_handled',
        'vfunc_overflow',
    ],
};

const wrapped = Symbol('Maiko envelope vfunc');

function holdEnvelopes(prototype, names) {
    for (const name of names) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        const vfunc = descriptor?.value;
        if (typeof vfunc !== 'function' || vfunc[wrapped])
            continue;
        // ref() returns a new reference, which the new wrapper owns.
        const holding = function (envelope, ...rest) {
            return vfunc.call(this, envelope?.ref() ?? envelope, ...rest);
        };
        holding[wrapped] = true;
        Object.defineProperty(prototype, name, {...descriptor, value: holding});
    }
}

var _init = function () {
    for (const [className, names] of Object.entries(ENVELOPE_VFUNCS)) {
        const klass = this[className];
        klass._classInit = function (subclass) {
            holdEnvelopes(subclass.prototype, names);
            return GObject.Object._classInit(subclass);
        };
    }
};
