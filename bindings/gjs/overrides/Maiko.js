// Maiko.js: GJS overrides for Maiko-1.0
//
// SPDX-License-Identifier: MIT
//
// Conveniences (see the JavaScript guide): Maiko.Event.new('Label', value)
// with a plain value, event.label and event.payload, envelope.event and
// the other envelope fields, ctx.send('Label', value, {parent}) and
// sup.send('Label', value).
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
    'vfunc_event_unrouted',
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
    'vfunc_event_unrouted', 'vfunc_actor_restarted',
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

// on_start and handle_event must return true: undefined (a method that
// returns nothing) fails, with a message that says so, where GJS would
// only say that the actor failed without giving an error.
function mustReturnTrue(vfunc, name, Maiko) {
    return function (...args) {
        const result = vfunc.apply(this, args);
        if (result !== undefined)
            return result;
        this.get_context().fail(new GLib.Error(Maiko.error_quark(), Maiko.Error.FAILED,
            `Actor “${this.get_name()}”: ${name}() returned undefined; it must return true ` +
            'when it succeeds (false, or an exception, is a failure)'));
        return false;
    };
}

// vfunc_step: GJS turns an exception into 0, which is StepAction.NEVER, and
// the failure would go unseen. It fails the actor instead, as in C and
// Python: on_error sees it, and stepping goes on if on_error swallows it.
// So does a step that returns undefined.
function failingStep(vfunc, Maiko) {
    return function (...args) {
        let action;
        try {
            action = vfunc.apply(this, args);
        } catch (e) {
            this.get_context().fail(e instanceof GLib.Error ? e
                : new GLib.Error(Maiko.error_quark(), Maiko.Error.FAILED, `${e}`));
            return Maiko.StepAction.NEVER;
        }
        if (action !== undefined)
            return action;
        this.get_context().fail(new GLib.Error(Maiko.error_quark(), Maiko.Error.FAILED,
            `Actor “${this.get_name()}”: vfunc_step() returned undefined; it must return ` +
            'a Maiko.StepAction'));
        return Maiko.StepAction.NEVER;
    };
}

// Payloads from plain values, as the Python override makes them: a string
// is "s", a boolean "b", an integer "x" (a BigInt too), another number
// "d", a Uint8Array "ay", an array of one kind "aT" (else "av"), an object
// "a{sv}". A GLib.Variant stays as it is; null or undefined is no payload.
function toVariant(value) {
    if (value === null || value === undefined || value instanceof GLib.Variant)
        return value ?? null;
    switch (typeof value) {
    case 'string':
        return new GLib.Variant('s', value);
    case 'boolean':
        return new GLib.Variant('b', value);
    case 'bigint':
        return new GLib.Variant('x', value);
    case 'number':
        return Number.isInteger(value) ? new GLib.Variant('x', value) : new GLib.Variant('d', value);
    }
    if (value instanceof Uint8Array)
        return new GLib.Variant('ay', value);
    if (Array.isArray(value)) {
        const items = value.map(toVariant);
        const types = new Set(items.map(item => item.get_type_string()));
        const [type] = types;
        if (types.size === 1)
            return GLib.Variant.new_array(new GLib.VariantType(type), items);
        return new GLib.Variant('av', items);
    }
    if (typeof value === 'object') {
        const entries = Object.entries(value).map(([key, item]) => [key, toVariant(item)]);
        return new GLib.Variant('a{sv}', Object.fromEntries(entries));
    }
    throw new TypeError(`Cannot make a GLib.Variant payload of ${typeof value}`);
}

function addConveniences(Maiko) {
    const newEvent = Maiko.Event.new;
    // Maiko.Event.new('Reading', 21.5), or with a GLib.Variant as before.
    Maiko.Event.new = (label, payload = null) => newEvent(label, toVariant(payload));
    Maiko.toVariant = toVariant;

    Object.defineProperties(Maiko.Event.prototype, {
        label: {get() { return this.get_label(); }},
        // The payload as plain values (GLib.Variant.recursiveUnpack()), or null.
        payload: {get() { return this.get_payload()?.recursiveUnpack() ?? null; }},
    });
    Object.defineProperties(Maiko.Envelope.prototype, {
        event: {get() { return this.get_event(); }},
        id: {get() { return this.get_id(); }},
        sender: {get() { return this.get_sender(); }},
        topic: {get() { return this.get_topic(); }},
        parentId: {get() { return this.get_parent_id(); }},
        timestamp: {get() { return this.get_timestamp(); }},
    });

    // ctx.send(event), or ctx.send('Label', value); with {parent} (an
    // envelope or an id) the event answers it.
    const send = Maiko.Context.prototype.send;
    Maiko.Context.prototype.send = function (event, payload = null, {parent = null} = {}) {
        if (typeof event === 'string')
            event = Maiko.Event.new(event, payload);
        if (parent === null)
            return send.call(this, event);
        return this.send_child_event(event, typeof parent === 'string' ? parent : parent.get_id());
    };
    const supervisorSend = Maiko.Supervisor.prototype.send;
    Maiko.Supervisor.prototype.send = function (event, payload = null) {
        return supervisorSend.call(this,
            typeof event === 'string' ? Maiko.Event.new(event, payload) : event);
    };
}

var _init = function () {
    const Maiko = this;

    addConveniences(Maiko);
    Maiko.Actor._classInit = function (subclass) {
        wrapOwnVFuncs(subclass.prototype, ['vfunc_on_start', 'vfunc_handle_event'],
            (vfunc, name) => mustReturnTrue(vfunc, name, Maiko));
        wrapOwnVFuncs(subclass.prototype, ['vfunc_step'], vfunc => failingStep(vfunc, Maiko));
        return GObject.Object._classInit(subclass);
    };
    Maiko.Monitor._classInit = function (subclass) {
        wrapOwnVFuncs(subclass.prototype, MONITOR_CLASS_HANDLERS,
            (vfunc, name) => failingOnThrow(vfunc, name, Maiko));
        return GObject.Object._classInit(subclass);
    };
};
