// MaikoMqttBridge from JavaScript: one round trip between two supervisors
// through a real mosquitto on a free loopback port. The bridges run on the
// main context, beside the JavaScript actors: libmosquitto's socket is a
// source of that context, no thread of its own.
//
// SPDX-License-Identifier: MIT

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';

import {assert, assertEqual, assertUuidV4, CallbackActor, run, test, waitFor} from './harness.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

function freePort() {
    const socket = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM,
        Gio.SocketProtocol.TCP);
    socket.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), true);
    const port = socket.get_local_address().get_port();
    socket.close();
    return port;
}

function accepts(port) {
    try {
        new Gio.SocketClient().connect_to_host('127.0.0.1', port, null).close(null);
        return true;
    } catch (e) {
        return false;
    }
}

function startBroker() {
    const folder = GLib.dir_make_tmp('maiko-mosquitto-XXXXXX');
    const port = freePort();
    const config = GLib.build_filenamev([folder, 'mosquitto.conf']);
    GLib.file_set_contents(config,
        `listener ${port} 127.0.0.1\nallow_anonymous true\nlog_dest none\n`);
    const process = Gio.Subprocess.new([MOSQUITTO, '-c', config], Gio.SubprocessFlags.NONE);
    waitFor(() => accepts(port), 'mosquitto to accept connections');
    return {
        port,
        stop() {
            process.send_signal(15);
            process.wait(null);
            GLib.unlink(config);
            GLib.rmdir(folder);
        },
    };
}

function bridge(port, exported, imported) {
    return new Maiko.MqttBridge({
        host: '127.0.0.1',
        port,
        exported_topics: exported,
        imported_topics: imported,
        main_context: GLib.MainContext.default(),
    });
}

test('one round trip through mosquitto', () => {
    if (!Maiko.MqttBridge || !GLib.file_test(MOSQUITTO, GLib.FileTest.IS_EXECUTABLE)) {
        print('# skipped: built without -Dmqtt_bridge, or no mosquitto');
        return;
    }
    const broker = startBroker();
    try {
        const here = bridge(broker.port, ['ping'], ['pong']);
        const there = bridge(broker.port, ['pong'], ['ping']);
        const pongs = [];
        const local = new Maiko.Supervisor();
        const remote = new Maiko.Supervisor();
        local.set_route_by_label();
        remote.set_route_by_label();
        local.add_actor('mqtt', here, here.get_exported_topics());
        local.add_actor('collector', new CallbackActor({
            handle(actor, envelope) {
                pongs.push(envelope);
            },
        }), ['pong']);
        remote.add_actor('mqtt', there, there.get_exported_topics());
        remote.add_actor('replier', new CallbackActor({
            handle(actor, envelope) {
                actor.get_context().send_child_event(
                    Maiko.Event.new('pong', envelope.get_event().get_payload()),
                    envelope.get_id());
            },
        }), ['ping']);
        remote.start();
        local.start();
        waitFor(() => here.is_connected() && there.is_connected(), 'both bridges to connect');

        local.send(Maiko.Event.new('ping', GLib.Variant.new_string('hello')));
        waitFor(() => pongs.length === 1, 'the pong');
        waitFor(() => here.pending_count === 0 && there.pending_count === 0, 'nothing pending');
        local.stop();
        remote.stop();

        const pong = pongs[0];
        assertEqual(pong.get_event().get_label(), 'pong', 'label');
        assertEqual(pong.get_event().get_payload().get_string()[0], 'hello', 'payload');
        assertEqual(pong.get_sender(), 'replier', 'sender kept across the broker');
        assertUuidV4(pong.get_parent_id(), 'parent id kept across the broker');
        assertEqual(here.exported_count, 1, 'exported');
        assertEqual(here.imported_count, 1, 'imported');
        assertEqual(there.imported_count, 1, 'imported there');
        assert(here.rejected_count === 0 && here.dropped_count === 0, 'nothing rejected or dropped');
    } finally {
        broker.stop();
    }
});

run();
