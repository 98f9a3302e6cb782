# MaikoMqttBridge from Python: one round trip between two supervisors
# through a real mosquitto started on a free loopback port.
#
# SPDX-License-Identifier: MIT

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import TIMEOUT, UUID_V4, RecordingActor
from gi.repository import GLib, Maiko

MOSQUITTO = '/usr/sbin/mosquitto'

pytestmark = pytest.mark.skipif(
    not hasattr(Maiko, 'MqttBridge') or not os.access(MOSQUITTO, os.X_OK),
    reason='built without -Dmqtt_bridge, or no mosquitto')


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker():
    """A mosquitto of its own; yields its port."""
    folder = tempfile.mkdtemp(prefix='maiko-mosquitto-')
    port = free_port()
    config = os.path.join(folder, 'mosquitto.conf')
    with open(config, 'w') as f:
        f.write('listener %d 127.0.0.1\nallow_anonymous true\nlog_dest none\n' % port)
    process = subprocess.Popen([MOSQUITTO, '-c', config])
    deadline = time.monotonic() + TIMEOUT
    while True:
        assert process.poll() is None, 'mosquitto exited'
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, 'mosquitto does not accept connections'
            time.sleep(0.01)
    yield port
    process.terminate()
    process.wait(TIMEOUT)
    shutil.rmtree(folder)


class Replier(Maiko.Actor):
    """Answers each ping with a pong of the same number, as its child."""

    def do_handle_event(self, envelope):
        self.get_context().send_child_event(
            Maiko.Event.new('pong', envelope.get_event().get_payload()), envelope.get_id())
        return True


def wait_until(predicate):
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        assert time.monotonic() < deadline, 'condition not met within %.0f s' % TIMEOUT
        time.sleep(0.005)


def test_round_trip_through_mosquitto(broker):
    here = Maiko.MqttBridge(host='127.0.0.1', port=broker,
                            exported_topics=['ping'], imported_topics=['pong'])
    there = Maiko.MqttBridge.new('127.0.0.1', broker, ['pong'], ['ping'])
    assert here.props.qos == 1
    assert here.props.wire_format == Maiko.WireFormat.JSON
    collector = RecordingActor()

    with Maiko.Supervisor() as local, Maiko.Supervisor() as remote:
        for sup in (local, remote):
            sup.set_route_by_label()
        local.add_actor('mqtt', here, here.get_exported_topics())
        local.add_actor('collector', collector, ['pong'])
        remote.add_actor('mqtt', there, there.get_exported_topics())
        remote.add_actor('replier', Replier(), ['ping'])
        remote.start()
        local.start()
        wait_until(lambda: here.is_connected() and there.is_connected())

        local.send('ping', GLib.Variant('i', 42))
        collector.events.wait_len(1)
        wait_until(lambda: here.props.pending_count == 0)

    assert collector.events.snapshot() == [('pong', 42, 'replier', 'pong')]
    pong = collector.envelopes[0]
    # The chain crossed both processes' worth of bridges: the pong's parent
    # is the ping, whose id the bridges kept.
    assert UUID_V4.match(pong.get_parent_id())
    assert (here.props.exported_count, here.props.imported_count) == (1, 1)
    assert (there.props.exported_count, there.props.imported_count) == (1, 1)
    assert here.props.rejected_count == 0 and here.props.dropped_count == 0
    # The password can be given, never read back.
    with pytest.raises(TypeError):
        here.get_property('password')
