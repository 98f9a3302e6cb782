# The live view from Python: sup.get_actors() is a Gio.ListModel of
# Maiko.ActorInfo, whose items and properties follow the runtime in this
# thread's main context.
#
# SPDX-License-Identifier: MIT

from conftest import RecordingActor, iterate_until
from gi.repository import Gio, GLib, Maiko


class Flaky(Maiko.Actor):
    """Raises on Boom."""

    def do_handle_event(self, envelope):
        if envelope.event.label == 'Boom':
            raise RuntimeError('boom')
        return True


def test_items_and_their_values():
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('worker', RecordingActor(mailbox_capacity=16), ['Job'])
        sup.add_actor('ui', RecordingActor(main_context=GLib.MainContext.default()), None)
        sup.add_actor('all', RecordingActor(), [Maiko.TOPIC_ALL])
        actors = sup.get_actors()
        assert isinstance(actors, Gio.ListModel)
        assert actors.get_item_type() == Maiko.ActorInfo.__gtype__
        assert [a.props.name for a in actors] == ['worker', 'ui', 'all']
        worker, ui, everything = actors
        assert worker.props.state == Maiko.ActorState.ADDED
        assert worker.props.topics == ['Job']
        assert ui.props.topics == []
        assert everything.props.topics == ['*']
        assert (worker.props.mailbox_capacity, ui.props.mailbox_capacity) == (16, 128)
        assert (worker.props.placement, ui.props.placement) == ('thread', 'main context')
        assert (worker.props.handled_count, worker.props.restart_count) == (0, 0)
        assert worker.get_handled_count() == 0 and worker.get_name() == 'worker'

        sup.start()
        for i in range(3):
            sup.send('Job', i)
        # The list's timer runs here, in the default main context, which
        # also runs the ui actor.
        iterate_until(lambda: worker.props.handled_count == 3 and
                      ui.props.state == Maiko.ActorState.RUNNING)
        assert everything.props.handled_count == 3
        assert worker.props.state == Maiko.ActorState.RUNNING
    actors.refresh()
    assert [a.props.state for a in actors] == [Maiko.ActorState.STOPPED] * 3


def test_items_come_and_go_with_signals():
    changes = []
    notified = []
    with Maiko.Supervisor() as sup:
        sup.set_route_by_label()
        sup.add_actor('a', RecordingActor(), ['A'])
        actors = sup.get_actors()
        actors.props.refresh_interval = 20
        actors.connect('items-changed', lambda _list, *change: changes.append(change))
        first = actors[0]
        first.connect('notify::handled-count', lambda info, _pspec: notified.append(info.props.handled_count))
        sup.start()

        sup.add_actor('b', RecordingActor(), ['B'])
        iterate_until(lambda: len(actors) == 2)
        assert changes == [(1, 0, 1)]
        assert actors[1].props.name == 'b'

        sup.send('A', 1)
        sup.send('A', 2)
        iterate_until(lambda: first.props.handled_count == 2)
        assert notified[-1] == 2 and len(notified) <= 2

        sup.remove_actor('b')
        iterate_until(lambda: len(actors) == 1)
        assert changes == [(1, 0, 1), (1, 1, 0)]
        assert actors[0] is first


def test_a_restart_keeps_the_item_and_counts():
    with Maiko.Supervisor() as sup:
        sup.add_restartable_actor('flaky', lambda name: Flaky(), ['default'])
        actors = sup.get_actors()
        actors.props.refresh_interval = 20
        item = actors[0]
        sup.start()
        sup.send('N', 1)
        sup.send('Boom')
        sup.send('N', 2)
        iterate_until(lambda: item.props.restart_count == 1 and item.props.handled_count == 3 and
                      item.props.state == Maiko.ActorState.RUNNING)
        assert len(actors) == 1 and actors[0] is item


def test_the_list_outlives_its_supervisor():
    sup = Maiko.Supervisor()
    sup.add_actor('a', RecordingActor())
    actors = sup.get_actors()
    sup.start()
    sup.stop()
    del sup
    actors.refresh()
    assert len(actors) == 0
