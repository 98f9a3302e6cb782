# The built-in monitors from Python: Maiko.ActorMonitor's view of the
# actors, and Maiko.Tracer's log lines.
#
# SPDX-License-Identifier: MIT

import os
import subprocess
import sys

from conftest import TIMEOUT, GatedActor, RecordingActor
from gi.repository import Maiko


def test_actor_monitor_alive_stopped_and_overflows():
    sup = Maiko.Supervisor()
    sup.set_route_by_label()
    sup.set_topic_policy('Drop', Maiko.OverflowPolicy.DROP)
    # Added before the monitor: the supervisor tells the monitor about it.
    sup.add_actor('before', RecordingActor(), ['Other'])
    monitor = Maiko.ActorMonitor()
    assert isinstance(monitor, Maiko.Monitor)
    sup.add_monitor(monitor)
    gated = sup.add_actor('gated', GatedActor(mailbox_capacity=1), ['Drop'])
    sup.start()

    # One event in hand at the gate, one in the mailbox, two dropped.
    sup.send('Drop', 0)
    assert gated.entered.wait(TIMEOUT)
    for i in range(1, 4):
        sup.send('Drop', i)
    gated.gate.set()
    gated.events.wait_len(2)

    # The signals are emitted in this thread's default context: flush
    # emits what is queued.
    monitor.flush()
    assert monitor.dup_actors() == ['before', 'gated']
    assert monitor.dup_stopped_actors() == []
    assert monitor.is_alive('before') and monitor.is_alive('gated')
    assert monitor.get_overflow_count('gated') == 2
    assert monitor.get_overflow_count('before') == 0
    assert not monitor.is_alive('nobody')
    assert not monitor.is_stopped('nobody')
    assert monitor.get_overflow_count('nobody') == 0

    # stop() emits what this thread's monitors still hold.
    sup.stop()
    assert monitor.dup_actors() == []
    assert monitor.dup_stopped_actors() == ['before', 'gated']
    assert monitor.is_stopped('gated') and not monitor.is_alive('gated')
    assert monitor.get_overflow_count('gated') == 2


TRACED_PROGRAM = '''
import gi
gi.require_version('Maiko', '1.0')
from gi.repository import Maiko

class Sink(Maiko.Actor):
    def do_handle_event(self, envelope):
        return True

with Maiko.Supervisor() as sup:
    sup.add_monitor(Maiko.Tracer())
    sup.add_actor('sink', Sink(), ['default'])
    sup.start()
    for i in range(3):
        sup.send('Tick', i)
'''


def run_traced(messages_debug):
    env = dict(os.environ)
    env.pop('G_MESSAGES_DEBUG', None)
    if messages_debug is not None:
        env['G_MESSAGES_DEBUG'] = messages_debug
    # UTF-8 output whatever the locale of the test run.
    env['LC_ALL'] = 'C.UTF-8'
    return subprocess.run([sys.executable, '-c', TRACED_PROGRAM], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, check=True)


def test_tracer_logs_with_g_messages_debug():
    shown = run_traced('Maiko').stdout
    assert shown.count('Maiko-DEBUG') == 9
    assert shown.count('event-handled: “Tick” from “supervisor” to “sink”') == 3
    assert 'Maiko-INFO' in shown and 'actor-registered: “sink”' in shown
    assert 'actor-stopped: “sink”' in shown

    hidden = run_traced(None)
    assert 'Maiko-' not in hidden.stdout + hidden.stderr
