# MaikoDBusBridge from Python: two runtimes on a private dbus-daemon
# (Gio.TestDBus) exchange events; ids and parent ids cross, nothing echoes,
# and a malformed signal is counted and reported.
#
# SPDX-License-Identifier: MIT

import shutil

import pytest

import gi

gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib, Maiko  # noqa: E402

from conftest import Recorder, RecordingActor, error_is, iterate_until  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not hasattr(Maiko, 'DBusBridge'), reason='built without -Ddbus_bridge'),
    pytest.mark.skipif(shutil.which('dbus-daemon') is None, reason='no dbus-daemon'),
]

Policy = Maiko.OverflowPolicy


@pytest.fixture(scope='module')
def bus():
    test_bus = Gio.TestDBus.new(Gio.TestDBusFlags.NONE)
    test_bus.up()
    yield test_bus
    test_bus.down()


def connect(bus):
    return Gio.DBusConnection.new_for_address_sync(
        bus.get_bus_address(),
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, None)


class Side:
    """A runtime with a bridge on a connection of its own; topics are labels."""

    def __init__(self, bus, exported, imported):
        self.sup = Maiko.Supervisor()
        self.sup.set_route_by_label()
        for topic in exported + imported:
            self.sup.set_topic_policy(topic, Policy.BLOCK)
        self.connection = connect(bus)
        self.bridge = Maiko.DBusBridge.new(self.connection, None, exported, imported)
        self.sup.add_actor('dbus', self.bridge, self.bridge.get_exported_topics())

    def start(self):
        self.sup.start()
        self.sup.wait_ready()

    def stop(self):
        self.sup.stop()


class Answerer(RecordingActor):
    """Answers each Ping with a Pong child of it, of the same payload."""

    def do_handle_event(self, envelope):
        super().do_handle_event(envelope)
        self.context.send(Maiko.Event('Pong', envelope.event.payload), parent=envelope)
        return True


def test_properties(bus):
    connection = connect(bus)
    bridge = Maiko.DBusBridge(connection=connection, exported_topics=['a'], imported_topics=['b'])
    assert bridge.props.connection == connection
    assert bridge.props.object_path == Maiko.DBUS_BRIDGE_DEFAULT_OBJECT_PATH
    assert bridge.props.exported_topics == ['a']
    assert bridge.props.imported_topics == ['b']
    assert len(bridge.props.origin) == 36
    assert (bridge.props.n_exported, bridge.props.n_imported, bridge.props.n_errors) == (0, 0, 0)


def test_chain_crosses_and_nothing_echoes(bus):
    a = Side(bus, ['Ping'], ['Pong'])
    alice = a.sup.add_actor('alice', RecordingActor(), ['Pong'])
    carol = a.sup.add_actor('carol', RecordingActor(), ['Ping'])
    b = Side(bus, ['Pong'], ['Ping'])
    bob = b.sup.add_actor('bob', Answerer(), ['Ping'])
    a.start()
    b.start()

    n = 50
    for i in range(n):
        a.sup.send('Ping', i)
    alice.events.wait_len(n)
    bob.events.wait_len(n)
    carol.events.wait_len(n)

    sent = carol.envelopes
    assert [e.id for e in bob.envelopes] == [e.id for e in sent]
    assert [e.timestamp_ns for e in bob.envelopes] == [e.timestamp_ns for e in sent]
    assert [e.parent_id for e in alice.envelopes] == [e.id for e in sent]
    assert alice.payloads() == list(range(n))
    assert {e.sender for e in alice.envelopes} == {'bob'}

    a.stop()
    b.stop()
    assert (a.bridge.props.n_exported, a.bridge.props.n_imported) == (n, n)
    assert (b.bridge.props.n_exported, b.bridge.props.n_imported) == (n, n)
    assert len(alice.events) == n
    assert a.bridge.props.n_errors == 0 and b.bridge.props.n_errors == 0


def test_malformed_signal_is_reported(bus):
    side = Side(bus, [], ['t'])
    x = side.sup.add_actor('x', RecordingActor(), ['t'])
    errors = Recorder()
    monitor = Maiko.Monitor()
    monitor.connect('error', lambda monitor, actor, error: errors.add((actor, error)))
    side.sup.add_monitor(monitor)
    side.start()

    foreign = connect(bus)
    foreign.emit_signal(None, Maiko.DBUS_BRIDGE_DEFAULT_OBJECT_PATH, Maiko.DBUS_BRIDGE_INTERFACE,
                        Maiko.DBUS_BRIDGE_SIGNAL, GLib.Variant('(ss)', ('t', 'junk')))
    # A good envelope after it, in the wire form, from a foreign program.
    good = GLib.Variant(Maiko.WIRE_VARIANT_TYPE_STRING,
                        ('t', 'Hello', [GLib.Variant('s', 'world')],
                         '6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab', '', 'elsewhere', 1, 'foreign'))
    foreign.emit_signal(None, Maiko.DBUS_BRIDGE_DEFAULT_OBJECT_PATH, Maiko.DBUS_BRIDGE_INTERFACE,
                        Maiko.DBUS_BRIDGE_SIGNAL, good)
    x.events.wait_len(1)
    iterate_until(lambda: len(errors) >= 1)

    side.stop()
    assert x.events.snapshot() == [('Hello', 'world', 'elsewhere', 't')]
    assert x.envelopes[0].id == '6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab'
    [(actor, error)] = errors.snapshot()
    assert actor == 'dbus'
    assert error_is(error, Maiko.Error.INVALID_ARGUMENT)
    assert side.bridge.props.n_errors == 1
    assert side.bridge.props.n_imported == 1


def test_wire_form_round_trip():
    sup = Maiko.Supervisor()
    keeper = sup.add_actor('keeper', RecordingActor(), ['default'])
    sup.start()
    sup.send('Reading', GLib.Variant('a{sv}', {'celsius': GLib.Variant('d', 21.5)}))
    keeper.events.wait_len(1)
    sup.stop()
    envelope = keeper.envelopes[0]

    for fmt in (Maiko.WireFormat.JSON, Maiko.WireFormat.VARIANT):
        data = Maiko.wire_encode(envelope, 'me', fmt)
        back, origin = Maiko.wire_decode(data, fmt)
        assert origin == 'me'
        assert (back.id, back.sender, back.topic, back.timestamp_ns) == \
            (envelope.id, envelope.sender, envelope.topic, envelope.timestamp_ns)
        assert back.event.payload == {'celsius': 21.5}

    with pytest.raises(GLib.Error) as raised:
        Maiko.wire_decode(GLib.Bytes.new(b'{"label": 1}'), Maiko.WireFormat.JSON)
    assert error_is(raised.value, Maiko.Error.INVALID_ARGUMENT)
