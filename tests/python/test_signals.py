# Ctrl-C and SIGTERM reach a Python program that waits in the runtime:
# join() and stop() wait in a main loop, and run() stops on SIGTERM. Each
# case runs in a child process, which signals itself from an actor bound to
# its main context: its on_start runs once the main thread waits.
#
# SPDX-License-Identifier: MIT

import os
import signal
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent('''
    import os, signal, sys
    import gi
    gi.require_version('Maiko', '1.0')
    from gi.repository import GLib, Maiko

    how = sys.argv[1]

    class Busy(Maiko.Actor):
        def do_on_start(self):
            # The runtime runs: signal the process, whose main thread
            # waits in join().
            os.kill(os.getpid(), signal.SIGTERM if how == 'run-sigterm' else signal.SIGINT)

        def do_on_shutdown(self):
            print('shutdown', flush=True)

    sup = Maiko.Supervisor()
    sup.add_actor('busy', Busy(main_context=GLib.MainContext.default()), None)
    try:
        if how == 'join-sigint':
            sup.start()
            sup.join()
        else:
            sup.run()
    except KeyboardInterrupt:
        print('interrupted', flush=True)
        sys.exit(130)
    print('returned', flush=True)
''')


def run_child(how):
    return subprocess.run([sys.executable, '-c', CHILD, how], capture_output=True, text=True,
                          timeout=30, env=os.environ)


@pytest.mark.parametrize('how', ['join-sigint', 'run-sigint'])
def test_ctrl_c_stops_a_join_gracefully(how):
    child = run_child(how)
    assert child.returncode == 130, child.stderr
    # The actor was stopped gracefully before KeyboardInterrupt came out.
    assert child.stdout.split() == ['shutdown', 'interrupted']


def test_sigterm_stops_run_gracefully():
    child = run_child('run-sigterm')
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ['shutdown', 'returned']
