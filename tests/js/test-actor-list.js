// The live view from JavaScript: sup.get_actors() is a Gio.ListModel of
// Maiko.ActorInfo; its items and their properties follow the runtime in
// the main context, where JavaScript runs.
//
// SPDX-License-Identifier: MIT

import Gio from 'gi://Gio';
import Maiko from 'gi://Maiko';
import MaikoTest from 'gi://MaikoTest';

import {assertDeepEqual, assertEqual, CallbackActor, run, test, waitFor} from './harness.js';

function items(list) {
    const all = [];
    for (let i = 0; i < list.get_n_items(); i++)
        all.push(list.get_item(i));
    return all;
}

test('the items tell each actor, and follow its work', () => {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const ui = new CallbackActor({}, {mailbox_capacity: 8});
    sup.add_actor('ui', ui, ['Job']);
    sup.add_actor('echo', MaikoTest.Echo.new('Done'), ['Job']);
    const list = sup.get_actors();
    assertEqual(list instanceof Gio.ListModel, true, 'a Gio.ListModel');
    assertEqual(list.get_item_type(), Maiko.ActorInfo.$gtype, 'item type');
    const [first, second] = items(list);
    assertDeepEqual([first.name, second.name], ['ui', 'echo'], 'names');
    assertEqual(first.state, Maiko.ActorState.ADDED, 'state before the start');
    assertDeepEqual(first.topics, ['Job'], 'topics');
    assertDeepEqual([first.mailbox_capacity, second.mailbox_capacity], [8, 128], 'capacities');
    assertDeepEqual([first.placement, second.placement], ['main context', 'thread'], 'placements');
    assertEqual(first.restart_count, 0, 'restarts');

    list.refresh_interval = 20;
    let notified = 0;
    first.connect('notify::handled-count', () => notified++);
    sup.start();
    try {
        for (let i = 0; i < 4; i++)
            sup.send('Job', i);
        waitFor(() => first.handled_count === 4 && second.handled_count === 4 &&
                first.state === Maiko.ActorState.RUNNING, 'the counts');
        assertEqual(ui.handled, 4, 'handled by the actor');
        assertEqual(notified >= 1 && notified <= 4, true, `notifications (${notified})`);
    } finally {
        sup.stop();
    }
    list.refresh();
    assertDeepEqual(items(list).map(i => i.state), [Maiko.ActorState.STOPPED, Maiko.ActorState.STOPPED],
        'states after the stop');
});

test('items-changed as actors come and go', () => {
    const sup = new Maiko.Supervisor();
    sup.add_actor('a', new CallbackActor(), ['A']);
    const list = sup.get_actors();
    list.refresh_interval = 20;
    const changes = [];
    list.connect('items-changed', (_list, position, removed, added) => changes.push([position, removed, added]));
    sup.start();
    try {
        sup.add_actor('b', new CallbackActor(), ['B']);
        waitFor(() => list.get_n_items() === 2, 'the addition');
        assertEqual(list.get_item(1).name, 'b', 'added item');
        sup.remove_actor('a');
        waitFor(() => list.get_n_items() === 1, 'the removal');
        assertDeepEqual(changes, [[1, 0, 1], [0, 1, 0]], 'changes');
        assertEqual(list.get_item(0).name, 'b', 'remaining item');
    } finally {
        sup.stop();
    }
});

run();
