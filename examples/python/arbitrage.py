#!/usr/bin/env python3
# arbitrage.py: the reference's test harness demonstration, in Python
#
# The twin of examples/arbitrage.c (see there for the actors, topics and
# payloads), with the same output: an arbitrage desk driven and checked
# with Maiko.Harness. Each failed check is printed on stderr and makes the
# program exit with status 1. `--dump` also prints the harness's log.
#
# SPDX-License-Identifier: MIT

import sys

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import Maiko  # noqa: E402

# Long enough for a loaded machine; only reached when a check fails.
WAIT_MS = 10000

failures = []


def check(condition, what):
    if not condition:
        print('arbitrage.py: check failed: %s' % what, file=sys.stderr)
        failures.append(what)


class Normalizer(Maiko.Actor):
    """Turns each raw tick into a MarketTick, a child of the raw one."""

    def do_handle_event(self, envelope):
        event = envelope.event
        if event.label == 'AlphaTick':
            price, quantity = event.payload
            tick = ('Alpha', price, quantity, 'Buy')
        elif event.label == 'BetaTick':
            price, side, count = event.payload
            tick = ('Beta', float(price), count, 'Buy' if side == 'B' else 'Sell')
        else:
            return
        self.context.send('MarketTick', tick, parent=envelope, variant_type='(sdts)')


class Trader(Maiko.Actor):
    """Keeps each exchange's top of book; orders both legs of a trade when
    one exchange bids above the other's ask."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.books = {}

    def do_handle_event(self, envelope):
        if envelope.event.label != 'MarketTick':
            return
        exchange, price, _size, side = envelope.event.payload
        book = self.books.setdefault(exchange, {'bid': 0.0, 'ask': 0.0})
        book['bid' if side == 'Buy' else 'ask'] = price
        if len(self.books) < 2:
            return
        alpha, beta = self.books['Alpha'], self.books['Beta']
        if alpha['ask'] > 0 and beta['bid'] > alpha['ask']:
            buy, at = 'Alpha', alpha['ask']
        elif beta['ask'] > 0 and alpha['bid'] > beta['ask']:
            buy, at = 'Beta', beta['ask']
        else:
            return
        sell = 'Beta' if buy == 'Alpha' else 'Alpha'
        for exchange, side in ((buy, 'Buy'), (sell, 'Sell')):
            self.context.send('Order', (exchange, at, 100, side), parent=envelope,
                              variant_type='(sdts)')


class Stub(Maiko.Actor):
    """The tickers, the database and telemetry only receive."""

    def do_handle_event(self, envelope):
        pass


def market_topic(event):
    if event.label in ('AlphaTick', 'BetaTick'):
        return 'RawData'
    if event.label == 'MarketTick':
        return 'NormalizedData'
    return 'Order/' + event.payload[0]


def names(values):
    """Names sorted (the harness lists them in the order recorded)."""
    return '[%s]' % ', '.join('"%s"' % name for name in sorted(values))


def settle_on_count(harness, n):
    """Waits until exactly @n entries are recorded: a delivery is recorded
    once its handler returned."""
    harness.settle_on(lambda events: events.count() == n, timeout=WAIT_MS)


def main():
    dump = sys.argv[1:] == ['--dump']
    sup = Maiko.Supervisor()
    sup.set_topic_func(market_topic)
    sup.add_actor('AlphaTicker', Stub(), ['Order/Alpha'])
    sup.add_actor('BetaTicker', Stub(), ['Order/Beta'])
    sup.add_actor('Normalizer', Normalizer(), ['RawData'])
    sup.add_actor('Trader', Trader(), ['NormalizedData'])
    sup.add_actor('Database', Stub(), ['NormalizedData'])
    sup.add_actor('Telemetry', Stub(),
                  ['RawData', 'NormalizedData', 'Order/Alpha', 'Order/Beta'])

    # The harness before start: it records from the first event.
    harness = Maiko.Harness.new(sup)
    with sup:
        sup.start()
        print('=== Test Harness Demonstration ===\n')

        print('--- Test 1: Basic Event Delivery ---')
        harness.record()
        tick_id = harness.send_as('AlphaTicker', Maiko.Event('AlphaTick', (100.0, 50),
                                                             variant_type='(du)'))
        # AlphaTick to Normalizer and Telemetry, its MarketTick to Trader,
        # Database and Telemetry.
        settle_on_count(harness, 5)
        harness.stop_recording()

        spy = harness.event(tick_id)
        children = spy.children()
        check(spy.was_delivered(), 'was_delivered')
        check(spy.was_delivered_to('Normalizer'), 'delivered to Normalizer')
        check(spy.was_delivered_to('Telemetry'), 'delivered to Telemetry')
        check(spy.not_delivered_to('Trader'), 'not delivered to Trader')
        check(spy.receiver_count() == 2, 'two receivers')
        check(spy.sender() == 'AlphaTicker', 'sender')
        check(children.count() == 3, 'one MarketTick, three deliveries')
        print('  AlphaTick delivered to: %s' % names(spy.receivers()))
        print('  Child deliveries (correlated): %d' % children.count())

        print('\n--- Test 2: Actor Perspective (ActorSpy) ---')
        normalizer = harness.actor('Normalizer')
        telemetry = harness.actor('Telemetry')
        print('  Normalizer inbound count: %d' % normalizer.events_received())
        print('  Normalizer outbound count: %d' % normalizer.events_sent())
        print('  Normalizer received from: %s' % names(normalizer.received_from()))
        print('  Normalizer sent to: %s' % names(normalizer.sent_to()))
        print('  Telemetry inbound count: %d' % telemetry.events_received())
        print('  Telemetry received from: %s' % names(telemetry.received_from()))
        check(normalizer.events_received() == 1, 'Normalizer received 1')
        check(normalizer.events_sent() == 1, 'Normalizer sent 1')
        check(normalizer.receiver_count() == 3, 'Normalizer reached 3')
        check(sorted(normalizer.sent_to()) == ['Database', 'Telemetry', 'Trader'],
              'Normalizer sent to')
        check(telemetry.events_received() == 2, 'Telemetry received 2')
        check(telemetry.events_sent() == 0, 'Telemetry is passive')
        check(telemetry.is_running(), 'Telemetry running')

        print('\n--- Test 3: Topic Inspection (TopicSpy) ---')
        raw = harness.topic('RawData')
        normalized = harness.topic('NormalizedData')
        print('  RawData deliveries: %d' % raw.delivery_count())
        print('  RawData receivers: %s' % names(raw.receivers()))
        print('  NormalizedData deliveries: %d' % normalized.delivery_count())
        print('  NormalizedData receivers: %s' % names(normalized.receivers()))
        check(raw.delivery_count() == 2 and raw.receiver_count() == 2, 'RawData')
        check(normalized.delivery_count() == 3 and normalized.receiver_count() == 3,
              'NormalizedData')
        check(not harness.topic('Order/Alpha').was_published(), 'no order yet')

        print('\n--- Test 4: Complex Queries (EventQuery) ---')
        events = harness.events()
        by_normalizer = events.sent_by('Normalizer')
        market_ticks = events.matching_event(lambda event: event.label == 'MarketTick')
        to_trader = by_normalizer.received_by('Trader')
        print('  Deliveries sent by Normalizer: %d' % by_normalizer.count())
        print('  MarketTick deliveries: %d' % market_ticks.count())
        print('  Trader received from Normalizer: %d' % to_trader.count())
        check(by_normalizer.count() == 3, 'sent by Normalizer')
        check(market_ticks.count() == 3, 'MarketTick')
        check(to_trader.count() == 1, 'Normalizer to Trader')

        print('\n--- Test 5: Full Arbitrage Scenario ---')
        harness.reset()
        harness.record()
        # Alpha bids 100, Beta bids 105: no ask known, no trade.
        harness.send_as('AlphaTicker', Maiko.Event('AlphaTick', (100.0, 100),
                                                   variant_type='(du)'))
        beta_bid = harness.send_as('BetaTicker', Maiko.Event('BetaTick', ('105.0', 'B', 100),
                                                             variant_type='(sst)'))
        # Beta asks 95, under Alpha's bid: buy on Beta, sell on Alpha.
        ask_id = harness.send_as('BetaTicker', Maiko.Event('BetaTick', ('95.0', 'S', 100),
                                                           variant_type='(sst)'))
        # 3 ticks x (2 + 3) deliveries, and 2 orders x 2.
        settle_on_count(harness, 19)
        harness.stop_recording()

        alpha_orders = harness.topic('Order/Alpha')
        beta_orders = harness.topic('Order/Beta')
        trader = harness.actor('Trader')
        by_label = harness.events().count_by_label()
        print('  Alpha orders: %d' % alpha_orders.delivery_count())
        print('  Beta orders: %d' % beta_orders.delivery_count())
        print('  Trader inbound: %d' % trader.events_received())
        print('  Trader outbound: %d' % trader.events_sent())
        print('  Deliveries by label: AlphaTick %d, BetaTick %d, MarketTick %d, Order %d'
              % tuple(by_label.get(label, 0)
                      for label in ('AlphaTick', 'BetaTick', 'MarketTick', 'Order')))
        check(alpha_orders.delivery_count() == 2, 'Alpha order deliveries')
        check(beta_orders.delivery_count() == 2, 'Beta order deliveries')
        check(trader.events_received() == 3, 'Trader received 3')
        check(trader.events_sent() == 2, 'Trader sent 2 orders')
        check(harness.delivery_count() == 19, '19 deliveries')
        answers = harness.event(beta_bid).children()
        check(answers.count() == 3, 'the Beta bid was normalized')
        check(answers.children_of(ask_id).is_empty(), 'no order from the Beta bid')

        print('\n--- Event Dump ---')
        if dump:
            sys.stdout.flush()
            harness.dump()
        else:
            print("  (run with --dump for the harness's log: %d deliveries)"
                  % harness.delivery_count())

        print('\n--- Test 6: Chaining from Spies ---')
        buys = trader.outbound().matching_event(
            lambda event: event.label == 'Order' and event.payload[3] == 'Buy')
        to_beta = buys.received_by('BetaTicker')
        print('  Trader buy order deliveries: %d' % buys.count())
        print('  ... of which to BetaTicker: %d' % to_beta.count())
        check(buys.count() == 2, 'buy order deliveries')
        check(to_beta.count() == 1, 'buy on Beta')

        print('\n--- Test 7: Event Chain ---')
        chain = harness.chain(ask_id)
        actors = chain.actors()
        trade_path = ['BetaTicker', 'Normalizer', 'Trader', 'AlphaTicker']
        to_alpha = chain.path_to('AlphaTicker').actors()
        print('  Paths from the Beta ask: %d' % actors.path_count())
        print('  Branches after MarketTick: %d' % chain.branches_after('MarketTick'))
        print('  %s: %s' % (' -> '.join(trade_path), 'yes' if to_alpha.exact(trade_path) else 'no'))
        check(to_alpha.exact(trade_path), 'the trade path')
        check(chain.events().passes_through(['BetaTick', 'MarketTick', 'Order']),
              'the trade labels')
        check(chain.diverges_after('MarketTick'), 'diverges after MarketTick')
        check(chain.branches_after('MarketTick') == 2, 'two orders')
        check(actors.path_count() == 7, 'seven paths')
        check(actors.contains('Database') and actors.contains('Telemetry'), 'observers')

    if failures:
        print('arbitrage.py: %d checks failed' % len(failures), file=sys.stderr)
        return 1
    print('\n=== All Tests Passed ===')
    return 0


if __name__ == '__main__':
    sys.exit(main())
