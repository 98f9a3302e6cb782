# Python actors on a Maiko.WorkerPool: placement, the worker's context as
# thread-default in handlers, order, restarts made by a Python factory.
#
# SPDX-License-Identifier: MIT

import threading
import time

from conftest import MAIN_THREAD, TIMEOUT, Recorder, RecordingActor
from gi.repository import GLib, Maiko


class WhereActor(RecordingActor):
    """Records, besides the events, which worker's context its handlers
    saw as thread-default."""

    def __init__(self, pool, **kwargs):
        super().__init__(**kwargs)
        self.pool = pool
        self.workers = set()

    def do_handle_event(self, envelope):
        default = GLib.MainContext.get_thread_default()
        for i in range(self.pool.get_n_workers()):
            if self.pool.get_context(i) == default:
                self.workers.add(i)
        return super().do_handle_event(envelope)


def test_python_actors_run_on_the_pool_in_order():
    pool = Maiko.WorkerPool.new(2)
    assert pool.props.n_workers == 2
    actors = [WhereActor(pool) for _ in range(3)]
    with Maiko.Supervisor(worker_pool=pool) as sup:
        assert sup.props.worker_pool == pool
        sup.set_topic_policy('default', Maiko.OverflowPolicy.BLOCK)
        for i, actor in enumerate(actors):
            sup.add_actor('a%d' % i, actor, ['default'])
        assert [pool.get_load(i) for i in range(2)] == [2, 1]
        sup.start()
        for i in range(300):
            sup.send('N', i)
        for actor in actors:
            actor.events.wait_len(300)
    assert [pool.get_load(i) for i in range(2)] == [0, 0]
    for actor in actors:
        assert actor.payloads() == list(range(300))
        assert MAIN_THREAD not in actor.threads
        assert len(actor.threads) == 1
    # Least loaded first: a0 and a2 on worker 0, a1 on worker 1.
    assert [a.workers for a in actors] == [{0}, {1}, {0}]
    assert actors[0].threads == actors[2].threads != actors[1].threads
    pool.stop()
    assert not pool.is_running()


class Flaky(Maiko.Actor):
    def __init__(self, instances):
        super().__init__()
        self.handled = Recorder()
        instances.append(self)

    def do_handle_event(self, envelope):
        if envelope.event.label == 'Boom':
            raise RuntimeError('boom')
        self.handled.add((envelope.event.payload, threading.get_ident()))
        return True


def test_a_python_factory_restarts_on_the_pool():
    pool = Maiko.WorkerPool.new(1)
    instances = []
    with Maiko.Supervisor(worker_pool=pool) as sup:
        sup.add_restartable_actor('flaky', lambda name: Flaky(instances), ['default'])
        sup.start()
        sup.send('N', 1)
        sup.send('Boom')
        sup.send('N', 2)
        instances[0].handled.wait_len(1)
        deadline = time.monotonic() + TIMEOUT
        while len(instances) < 2:
            assert time.monotonic() < deadline, 'no restart within %.0f s' % TIMEOUT
            time.sleep(0.001)
        instances[1].handled.wait_len(1)
        assert pool.get_load(0) == 1
    assert sup.get_restart_count('flaky') == 1
    first, second = (i.handled.snapshot() for i in instances)
    assert [p for p, _ in first] == [1] and [p for p, _ in second] == [2]
    # One worker: both instances ran on its thread.
    assert first[0][1] == second[0][1] != MAIN_THREAD
    assert pool.get_load(0) == 0
