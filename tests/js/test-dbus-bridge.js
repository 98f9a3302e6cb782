// MaikoDBusBridge from JavaScript: two runtimes on a private dbus-daemon
// (meson runs this file under dbus-run-session) exchange events through two bridges; the JS actors run on
// the main context, the bridges on threads of their own. Ids and parent
// ids cross, nothing echoes, and a malformed signal is counted.
//
// SPDX-License-Identifier: MIT

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';

import {
    assert, assertDeepEqual, assertEqual, CallbackActor, run, test, waitFor,
} from './harness.js';

// Not Gio.TestDBus: under GJS its watcher process outlives the test and
// keeps its output open.
const address = GLib.getenv('DBUS_SESSION_BUS_ADDRESS');

function connect() {
    return Gio.DBusConnection.new_for_address_sync(
        address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        null, null);
}

function side(exported, imported) {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    for (const topic of [...exported, ...imported])
        sup.set_topic_policy(topic, Maiko.OverflowPolicy.BLOCK);
    const bridge = Maiko.DBusBridge.new(connect(), null, exported, imported);
    sup.add_actor('dbus', bridge, bridge.get_exported_topics());
    return {sup, bridge};
}

function recorder(extra = () => {}) {
    const actor = new CallbackActor({
        handle(self, envelope) {
            actor.envelopes.push(envelope);
            extra(self, envelope);
        },
    });
    actor.envelopes = [];
    return actor;
}

test('a chain crosses two bridges and comes back, once', () => {
    const n = 100;
    const a = side(['Ping'], ['Pong']);
    const b = side(['Pong'], ['Ping']);
    const alice = recorder();
    const carol = recorder();
    const bob = recorder((self, envelope) => {
        self.get_context().send_child_event(
            Maiko.Event.new('Pong', envelope.get_event().get_payload()),
            envelope.get_id());
    });
    a.sup.add_actor('alice', alice, ['Pong']);
    a.sup.add_actor('carol', carol, ['Ping']);
    b.sup.add_actor('bob', bob, ['Ping']);
    for (const s of [a, b]) {
        s.sup.start();
        s.sup.wait_ready(null, null);
    }

    for (let i = 0; i < n; i++)
        a.sup.send(Maiko.Event.new('Ping', GLib.Variant.new_uint32(i)));
    waitFor(() => alice.handled === n && bob.handled === n && carol.handled === n,
        `${n} pings and pongs`);

    // Ids are UUID strings: JavaScript numbers could not hold them.
    assertDeepEqual(bob.envelopes.map(e => e.get_id()), carol.envelopes.map(e => e.get_id()),
        'ids of the pings across the bus');
    assertDeepEqual(alice.envelopes.map(e => e.get_parent_id()),
        carol.envelopes.map(e => e.get_id()), 'each pong a child of its ping');
    assertDeepEqual(alice.envelopes.map(e => e.get_event().get_payload().get_uint32()),
        Array.from({length: n}, (_, i) => i), 'pong payloads, in order');
    assertEqual(alice.envelopes[0].get_sender(), 'bob', 'sender kept');

    a.sup.stop();
    b.sup.stop();
    assertEqual(alice.handled, n, 'no pong echoed');
    assertEqual(a.bridge.n_exported, n, 'exported by a');
    assertEqual(b.bridge.n_imported, n, 'imported by b');
    assertEqual(b.bridge.n_exported, n, 'exported by b');
    assertEqual(a.bridge.n_imported, n, 'imported by a');
    assertEqual(a.bridge.n_errors + b.bridge.n_errors, 0, 'errors');
});

test('a malformed signal is counted and the bridge goes on', () => {
    const s = side([], ['t']);
    const x = recorder();
    s.sup.add_actor('x', x, ['t']);
    s.sup.start();
    s.sup.wait_ready(null, null);

    const foreign = connect();
    const emit = body => foreign.emit_signal(null, Maiko.DBUS_BRIDGE_DEFAULT_OBJECT_PATH,
        Maiko.DBUS_BRIDGE_INTERFACE, Maiko.DBUS_BRIDGE_SIGNAL, body);
    emit(new GLib.Variant('(ss)', ['t', 'junk']));
    emit(new GLib.Variant(Maiko.WIRE_VARIANT_TYPE_STRING,
        ['t', 'Hello', [new GLib.Variant('s', 'world')],
            '6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab', '', 'elsewhere', 1, 'foreign']));
    waitFor(() => x.handled === 1 && s.bridge.n_errors === 1, 'the good event and one error');

    s.sup.stop();
    const envelope = x.envelopes[0];
    assertEqual(envelope.get_event().get_label(), 'Hello', 'label');
    assertEqual(envelope.get_event().get_payload().unpack(), 'world', 'payload');
    assertEqual(envelope.get_sender(), 'elsewhere', 'sender');
    assertEqual(envelope.get_id(), '6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab', 'id');
    assertEqual(s.bridge.n_imported, 1, 'imported');
    assert(s.bridge.origin.length === 36, 'origin is a UUID');
});

run();
