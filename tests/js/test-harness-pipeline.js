// The test harness from GJS, on a pipeline of JavaScript actors bound to
// the main context:
//
//   supervisor --Start(n)--> producer --Data(i)--> processor --Processed(10 i)--> sink
//
// The harness runs the main context while it waits, so the actors and the
// harness's records advance together; every assertion is an exact value.
// (harness.js is this suite's helper module; this file tests MaikoHarness.)
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import Maiko from 'gi://Maiko';

import {
    assert, assertDeepEqual, assertEqual, assertThrowsGError, CallbackActor, run, test,
} from './harness.js';

const WAIT_MS = 20000;

const int64 = (n) => new GLib.Variant('x', n);
const payloadOf = (event) => event.get_payload().get_int64();

function makePipeline() {
    const sup = new Maiko.Supervisor();
    sup.set_route_by_label();
    const sinkPayloads = [];
    const producer = new CallbackActor({
        handle(actor, envelope) {
            const n = payloadOf(envelope.get_event());
            for (let i = 0; i < n; i++) {
                actor.get_context().send_child_event(Maiko.Event.new('Data', int64(i)),
                    envelope.get_id());
            }
        },
    });
    const processor = new CallbackActor({
        handle(actor, envelope) {
            const n = payloadOf(envelope.get_event());
            actor.get_context().send_child_event(Maiko.Event.new('Processed', int64(n * 10)),
                envelope.get_id());
        },
    });
    const sink = new CallbackActor({
        handle(_actor, envelope) {
            sinkPayloads.push(payloadOf(envelope.get_event()));
        },
    });
    sup.add_actor('producer', producer, ['Start']);
    sup.add_actor('processor', processor, ['Data']);
    sup.add_actor('sink', sink, ['Processed']);
    const harness = Maiko.Harness.new(sup);
    sup.start();
    return {sup, harness, sinkPayloads};
}

// Runs @fn with a started pipeline, stopping it afterwards.
function withPipeline(fn) {
    const pipeline = makePipeline();
    try {
        fn(pipeline);
    } finally {
        if (pipeline.sup.is_running())
            pipeline.sup.stop();
    }
}

// Records again (a settle stops recording), sends Start(n) as the
// supervisor and waits for its 2 n + 1 entries.
function start(harness, n) {
    harness.record();
    const before = harness.delivery_count();
    const root = harness.send_as('supervisor', Maiko.Event.new('Start', int64(n)));
    harness.settle_on(WAIT_MS, events => events.count() >= before + 2 * n + 1);
    return root;
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const payloads = (query) => query.collect().map(entry => payloadOf(entry.get_event()));

test('actors added before the harness are running', () => withPipeline(({harness}) => {
    for (const name of ['producer', 'processor', 'sink']) {
        assert(harness.actor(name).is_running(), `${name} running`);
        assert(!harness.actor(name).is_stopped(), `${name} not stopped`);
    }
    assertEqual(harness.delivery_count(), 0, 'nothing recorded yet');
}));

test('event spy', () => withPipeline(({harness, sinkPayloads}) => {
    const root = start(harness, 3);
    assertEqual(harness.delivery_count(), 7, 'entries');
    assertDeepEqual(sorted(sinkPayloads), [0, 10, 20], 'sink payloads');

    const spy = harness.event(root);
    assert(spy.was_delivered(), 'delivered');
    assert(spy.was_delivered_to('producer'), 'to producer');
    assert(spy.not_delivered_to('sink'), 'not to sink');
    assert(spy.was_delivered_to_all(['producer']), 'to all');
    assertEqual(spy.delivery_ratio(['producer', 'processor', 'sink', 'nobody']), 0.25, 'ratio');
    assertEqual(spy.sender(), 'supervisor', 'sender');
    assertDeepEqual(spy.receivers(), ['producer'], 'receivers');
    assertEqual(spy.receiver_count(), 1, 'receiver count');
    const children = spy.children();
    assertEqual(children.count(), 3, 'children');
    assertDeepEqual(payloads(children), [0, 1, 2], 'children payloads');
    assertDeepEqual(children.receivers(), ['processor'], 'children receivers');
}));

test('actor and topic spies', () => withPipeline(({harness}) => {
    start(harness, 4);
    const producer = harness.actor('producer');
    assertEqual(producer.events_received(), 1, 'producer received');
    assertEqual(producer.events_sent(), 4, 'producer sent');
    assertDeepEqual(producer.received_from(), ['supervisor'], 'producer received from');
    assertDeepEqual(producer.sent_to(), ['processor'], 'producer sent to');
    assertEqual(producer.last_received().get_label(), 'Start', 'last received');

    const processor = harness.actor('processor');
    assertEqual(processor.events_received(), 4, 'processor received');
    assertEqual(processor.outbound().with_label('Processed').count(), 4, 'processor outbound');
    assertEqual(processor.sender_count(), 1, 'processor senders');
    assertEqual(processor.receiver_count(), 1, 'processor receivers');

    const sink = harness.actor('sink');
    assertEqual(sink.events_received(), 4, 'sink received');
    assertEqual(sink.events_sent(), 0, 'sink sent');
    assertEqual(sink.last_sent(), null, 'sink last sent');
    assertDeepEqual(sorted(payloads(sink.inbound())), [0, 10, 20, 30], 'sink inbound');

    const data = harness.topic('Data');
    assert(data.was_published(), 'Data published');
    assertEqual(data.delivery_count(), 4, 'Data deliveries');
    assertEqual(data.events_published(), 4, 'Data events');
    assertDeepEqual(data.receivers(), ['processor'], 'Data receivers');
    assertEqual(data.receiver_count(), 1, 'Data receiver count');
    assert(!harness.topic('Unused').was_published(), 'Unused');
}));

test('queries with arrow functions', () => withPipeline(({harness}) => {
    start(harness, 5);
    const events = harness.events();
    assertEqual(events.count(), 11, 'count');
    assertDeepEqual(events.count_by_label(), {Start: 1, Data: 5, Processed: 5}, 'by label');
    assertEqual(events.matching_event(e => e.get_label() === 'Data' && payloadOf(e) % 2 === 0).count(),
        3, 'even Data');
    assertEqual(events.matching(entry => entry.get_sender() === 'processor' &&
        payloadOf(entry.get_event()) >= 20).count(), 3, 'large Processed');
    assertEqual(events.sent_by('producer').received_by('processor').count(), 5, 'producer to processor');
    assert(events.sent_by('producer').received_by('sink').is_empty(), 'producer to sink');
    assert(events.all(entry => entry.get_receiver() !== 'supervisor'), 'all');
    assert(events.any(entry => payloadOf(entry.get_event()) === 40), 'any 40');
    assert(!events.any(entry => payloadOf(entry.get_event()) === 41), 'no 41');
    assertDeepEqual(events.senders(), ['supervisor', 'producer', 'processor'], 'senders');
    assertDeepEqual(events.receivers(), ['producer', 'processor', 'sink'], 'receivers');

    const first = events.first();
    assertEqual(first.get_label(), 'Start', 'first');
    assert(events.before(first).is_empty(), 'before first');
    assertEqual(events.after(first).count(), 10, 'after first');
    assertEqual(events.nth(11), null, 'nth past the end');

    const large = Maiko.EventMatcher.by_event(e => payloadOf(e) >= 30);
    assert(events.has_event_matching(large), 'matcher');
    assertEqual(events.matching(entry => large.matches(entry)).count(), 2, 'matcher as predicate');
}));

test('chain with an exact actor path', () => withPipeline(({harness}) => {
    const root = start(harness, 1);
    const chain = harness.chain(root);
    assert(chain.actors().exact(['supervisor', 'producer', 'processor', 'sink']), 'exact actors');
    assert(!chain.actors().exact(['producer', 'processor', 'sink']), 'not exact without root');
    assert(chain.actors().segment(['producer', 'processor']), 'segment');
    assert(chain.events().exact(['Start', 'Data', 'Processed']), 'exact events');
    assertEqual(chain.to_mermaid(),
        'sequenceDiagram\n' +
        '    supervisor->>producer:Start\n' +
        '    producer->>processor:Data\n' +
        '    processor->>sink:Processed\n', 'mermaid');

    const root3 = start(harness, 3);
    const branching = harness.chain(root3);
    assertEqual(branching.branches_after('Start'), 3, 'branches');
    assertEqual(branching.actors().path_count(), 3, 'paths');
}));

test('settle_on with an arrow function, then SETTLE_TIMEOUT', () => withPipeline(({harness}) => {
    const seen = [];
    harness.send_as('supervisor', Maiko.Event.new('Start', int64(6)));
    harness.settle_on(WAIT_MS, events => {
        seen.push(events.count());
        return events.count() === 13;
    });
    assertEqual(seen[seen.length - 1], 13, 'last count seen');
    assertDeepEqual(seen, sorted(seen), 'counts only grow');

    const began = GLib.get_monotonic_time();
    assertThrowsGError(() => harness.settle_on(50, events => events.count() > 13),
        Maiko.Error, Maiko.Error.SETTLE_TIMEOUT, 'settle_on');
    assert(GLib.get_monotonic_time() - began >= 50000, 'waited the timeout');
    assertThrowsGError(() => harness.settle_on_event('Nothing', 20),
        Maiko.Error, Maiko.Error.SETTLE_TIMEOUT, 'settle_on_event');
    assertEqual(harness.delivery_count(), 13, 'nothing lost');
}));

test('stopped actors', () => {
    const {sup, harness} = makePipeline();
    start(harness, 1);
    sup.stop();
    harness.settle();
    for (const name of ['producer', 'processor', 'sink']) {
        assert(harness.actor(name).is_stopped(), `${name} stopped`);
        assert(!harness.actor(name).is_running(), `${name} not running`);
    }
});

run();
