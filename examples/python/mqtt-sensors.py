#!/usr/bin/env python3
# mqtt-sensors.py: sensor actors in one process, a station in another,
# through an MQTT broker
#
# The station process runs a Station actor and an MQTT bridge that imports
# "readings" and exports "commands". It starts the sensors process (this
# program again, with --role=sensors), whose three Sensor actors each send
# five readings on "readings" through a bridge of their own. Once the
# station has every reading, it sends "stop" on "commands", and the
# sensors process ends. Each reading keeps its id, sender and timestamp
# across the broker.
#
# Needs a broker: mosquitto -p 1883, or any MQTT broker.
#   meson devenv -C builddir --workdir . python3 examples/python/mqtt-sensors.py --port=1883
# The examples suite runs it against a mosquitto it starts on a free
# loopback port (examples/python/with-mosquitto.sh).
#
# SPDX-License-Identifier: MIT

import argparse
import subprocess
import sys
import threading
import time

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import GLib, Maiko  # noqa: E402

SENSORS = {'kitchen': 20.0, 'garage': 12.0, 'attic': 25.0}
READINGS = 5


class Sensor(Maiko.Actor):
    """Sends READINGS temperatures, half a degree apart, one per step."""

    def __init__(self, first):
        super().__init__()
        self.next = first
        self.sent = 0

    def do_step(self):
        self.context.send('readings', GLib.Variant('d', self.next))
        self.next += 0.5
        self.sent += 1
        return Maiko.StepAction.CONTINUE if self.sent < READINGS else Maiko.StepAction.NEVER


class Commands(Maiko.Actor):
    """Ends the sensors process when the station says so."""

    def do_handle_event(self, envelope):
        if envelope.event.label == 'commands' and envelope.event.payload == 'stop':
            self.context.stop_runtime()
        return True


class Station(Maiko.Actor):
    """Collects the readings by sensor, in the order each sent them."""

    def __init__(self):
        super().__init__()
        self.readings = {}
        self.done = threading.Event()

    def do_handle_event(self, envelope):
        self.readings.setdefault(envelope.sender, []).append(envelope.event.payload)
        if sum(len(r) for r in self.readings.values()) == len(SENSORS) * READINGS:
            self.done.set()
        return True


def bridge(port, exported, imported):
    return Maiko.MqttBridge(host='127.0.0.1', port=port, topic_prefix='maiko-example',
                            exported_topics=exported, imported_topics=imported)


def wait_connected(mqtt, timeout=30):
    deadline = time.monotonic() + timeout
    while not mqtt.is_connected():
        if time.monotonic() > deadline:
            sys.exit('cannot reach the MQTT broker')
        time.sleep(0.01)


def run_sensors(port):
    mqtt = bridge(port, ['readings'], ['commands'])
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    # Nothing lost while the bridge connects: senders wait for it.
    sup.set_topic_policy('readings', Maiko.OverflowPolicy.BLOCK)
    sup.add_actor('mqtt', mqtt, mqtt.get_exported_topics())
    sup.add_actor('commands', Commands(), ['commands'])
    for name, first in SENSORS.items():
        sup.add_actor(name, Sensor(first))
    sup.run()


def run_station(port):
    mqtt = bridge(port, ['commands'], ['readings'])
    station = Station()
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.add_actor('mqtt', mqtt, mqtt.get_exported_topics())
    sup.add_actor('station', station, ['readings'])
    sup.start()
    # Subscribed before the sensors send anything.
    wait_connected(mqtt)
    print('station: connected, starting the sensors process')
    sensors = subprocess.Popen([sys.executable, __file__, '--role=sensors', '--port=%d' % port])

    if not station.done.wait(30):
        sys.exit('station: readings missing')
    for name in sorted(station.readings):
        print('station: %-7s %s' % (name, ' '.join('%.1f' % r for r in station.readings[name])))
    sup.send('commands', 'stop')
    print('station: sensors process exited with %d' % sensors.wait(30))
    print('station: %d readings imported, %d rejected, %d duplicates' % (
        mqtt.props.imported_count, mqtt.props.rejected_count, mqtt.props.duplicate_count))
    sup.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--port', type=int, default=1883)
    parser.add_argument('--role', choices=['station', 'sensors'], default='station')
    args = parser.parse_args()
    if args.role == 'sensors':
        run_sensors(args.port)
    else:
        run_station(args.port)


if __name__ == '__main__':
    main()
