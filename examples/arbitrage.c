/* arbitrage.c: the reference's test harness demonstration
 *
 * A small arbitrage desk, driven and checked with MaikoHarness:
 *
 *   AlphaTicker, BetaTicker  exchange connections: they receive the orders
 *                            of their exchange (stubs)
 *   Normalizer               turns each raw tick (AlphaTick, BetaTick) into
 *                            a MarketTick, a child event of the raw one
 *   Trader                   keeps each exchange's top of book and, when one
 *                            exchange bids above the other's ask, sends an
 *                            Order to each (children of the MarketTick)
 *   Database                 would store the ticks (stub)
 *   Telemetry                sees everything (stub)
 *
 * Topics: RawData for raw ticks, NormalizedData for MarketTick, and
 * Order/Alpha or Order/Beta for an order, after its exchange.
 *
 * Payloads: AlphaTick (price, quantity) "(du)", always a bid; BetaTick
 * (price as text, side 'B' or 'S', count) "(sst)"; MarketTick and Order
 * (exchange, price, size, side) "(sdts)".
 *
 * Each check that fails is printed on stderr and makes the program exit
 * with status 1: the examples suite runs it as a test, and compares its
 * standard output with expected/arbitrage.txt. `--dump` also prints the
 * harness's log (event ids change from run to run).
 *
 * Unlike the reference, whose scenario never trades (AlphaTick is always a
 * bid, so no ask is ever known), the scenario adds a Beta ask under the
 * Alpha bid, so that the Trader does place its two orders.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>
#include <stdlib.h>
#include <string.h>

/* Long enough for a loaded machine; only reached when a check fails. */
#define WAIT_MS 10000

static gboolean failed = FALSE;

#define CHECK(cond)                                                        \
  G_STMT_START {                                                           \
    if (!(cond))                                                           \
      {                                                                    \
        g_printerr ("arbitrage.c:%d: check failed: %s\n", __LINE__, #cond); \
        failed = TRUE;                                                     \
      }                                                                    \
  } G_STMT_END

/* Normalizer */

#define NORMALIZER_TYPE (normalizer_get_type ())
G_DECLARE_FINAL_TYPE (Normalizer, normalizer, NORMALIZER, ACTOR, MaikoActor)

struct _Normalizer
{
  MaikoActor parent_instance;
};

G_DEFINE_FINAL_TYPE (Normalizer, normalizer, MAIKO_TYPE_ACTOR)

static gboolean
normalizer_handle_event (MaikoActor     *actor,
                         MaikoEnvelope  *envelope,
                         GError        **error)
{
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  const char *label = maiko_event_get_label (event);
  GVariant *payload = maiko_event_get_payload (event);
  g_autoptr(MaikoEvent) tick = NULL;

  if (g_str_equal (label, "AlphaTick"))
    {
      double price;
      guint32 quantity;

      g_variant_get (payload, "(du)", &price, &quantity);
      tick = maiko_event_new ("MarketTick",
                              g_variant_new ("(sdts)", "Alpha", price,
                                             (guint64) quantity, "Buy"));
    }
  else if (g_str_equal (label, "BetaTick"))
    {
      const char *price, *side;
      guint64 count;

      g_variant_get (payload, "(&s&st)", &price, &side, &count);
      tick = maiko_event_new ("MarketTick",
                              g_variant_new ("(sdts)", "Beta", g_ascii_strtod (price, NULL),
                                             count, g_str_equal (side, "B") ? "Buy" : "Sell"));
    }
  else
    return TRUE;

  return maiko_context_send_child_event (maiko_actor_get_context (actor), tick,
                                         maiko_envelope_get_id (envelope), error);
}

static void
normalizer_class_init (NormalizerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = normalizer_handle_event;
}

static void
normalizer_init (Normalizer *self)
{
}

/* Trader */

typedef struct
{
  double bid;
  double ask;
  /* Whether a tick of this exchange came yet. */
  gboolean known;
} TopOfBook;

#define TRADER_TYPE (trader_get_type ())
G_DECLARE_FINAL_TYPE (Trader, trader, TRADER, ACTOR, MaikoActor)

struct _Trader
{
  MaikoActor parent_instance;
  /* Only touched by handle_event, on the actor's thread. */
  TopOfBook alpha;
  TopOfBook beta;
};

G_DEFINE_FINAL_TYPE (Trader, trader, MAIKO_TYPE_ACTOR)

static gboolean
send_order (MaikoActor    *actor,
            const char    *exchange,
            double         price,
            const char    *side,
            const char    *parent_id,
            GError       **error)
{
  g_autoptr(MaikoEvent) order =
    maiko_event_new ("Order", g_variant_new ("(sdts)", exchange, price, (guint64) 100, side));

  return maiko_context_send_child_event (maiko_actor_get_context (actor), order,
                                         parent_id, error);
}

static gboolean
trader_handle_event (MaikoActor     *actor,
                     MaikoEnvelope  *envelope,
                     GError        **error)
{
  Trader *self = TRADER_ACTOR (actor);
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  const char *exchange, *side;
  const char *buy = NULL;
  double price, at = 0;
  guint64 size;
  TopOfBook *top;

  if (!g_str_equal (maiko_event_get_label (event), "MarketTick"))
    return TRUE;

  g_variant_get (maiko_event_get_payload (event), "(&sdt&s)", &exchange, &price, &size, &side);
  top = g_str_equal (exchange, "Alpha") ? &self->alpha : &self->beta;
  top->known = TRUE;
  if (g_str_equal (side, "Buy"))
    top->bid = price;
  else
    top->ask = price;

  if (self->alpha.known && self->beta.known)
    {
      if (self->alpha.ask > 0 && self->beta.bid > self->alpha.ask)
        buy = "Alpha", at = self->alpha.ask;
      else if (self->beta.ask > 0 && self->alpha.bid > self->beta.ask)
        buy = "Beta", at = self->beta.ask;
    }
  if (buy == NULL)
    return TRUE;

  /* Both legs of the trade. */
  return send_order (actor, buy, at, "Buy", maiko_envelope_get_id (envelope), error) &&
         send_order (actor, g_str_equal (buy, "Alpha") ? "Beta" : "Alpha", at, "Sell",
                     maiko_envelope_get_id (envelope), error);
}

static void
trader_class_init (TraderClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = trader_handle_event;
}

static void
trader_init (Trader *self)
{
}

/* Routing */

static char *
market_topic (MaikoEvent *event,
              gpointer    user_data)
{
  const char *label = maiko_event_get_label (event);
  const char *exchange;

  if (g_str_equal (label, "AlphaTick") || g_str_equal (label, "BetaTick"))
    return g_strdup ("RawData");
  if (g_str_equal (label, "MarketTick"))
    return g_strdup ("NormalizedData");
  g_variant_get_child (maiko_event_get_payload (event), 0, "&s", &exchange);
  return g_strconcat ("Order/", exchange, NULL);
}

/* Printing */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Prints @names sorted, as ["a", "b"], and frees them: the harness lists
 * names in the order they were recorded, which varies between runs. */
static void
print_names (const char  *what,
             char       **names)
{
  g_autoptr(GString) out = g_string_new ("[");
  guint n = g_strv_length (names);

  qsort (names, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"%s\"", i > 0 ? ", " : "", names[i]);
  g_string_append_c (out, ']');
  g_print ("  %s: %s\n", what, out->str);
  g_strfreev (names);
}

static gboolean
strv_equal_sorted (char       **names,
                   const char  *expected[])
{
  guint n = g_strv_length (names);
  gboolean equal;

  qsort (names, n, sizeof (char *), compare_strings);
  equal = g_strv_equal ((const char * const *) names, expected);
  g_strfreev (names);
  return equal;
}

/* Predicates */

static gboolean
count_is (MaikoEventQuery *events,
          gpointer         n)
{
  return maiko_event_query_count (events) == GPOINTER_TO_UINT (n);
}

static gboolean
is_market_tick (MaikoEvent *event,
                gpointer    user_data)
{
  return g_str_equal (maiko_event_get_label (event), "MarketTick");
}

static gboolean
is_buy_order (MaikoEvent *event,
              gpointer    user_data)
{
  const char *side;

  if (!g_str_equal (maiko_event_get_label (event), "Order"))
    return FALSE;
  g_variant_get_child (maiko_event_get_payload (event), 3, "&s", &side);
  return g_str_equal (side, "Buy");
}

static char *
send_tick (MaikoHarness *harness,
           const char   *ticker,
           MaikoEvent   *event)
{
  g_autoptr(MaikoEvent) owned = event;
  g_autoptr(GError) error = NULL;
  char *id = maiko_harness_send_as (harness, ticker, event, &error);

  if (id == NULL)
    g_error ("send_as %s: %s", ticker, error->message);
  return id;
}

/* Waits until exactly @n entries are recorded: the harness records a
 * delivery once its handler returned, so a count is final only once every
 * handler that the sends set off has run. */
static void
settle_on_count (MaikoHarness *harness,
                 guint         n)
{
  g_autoptr(GError) error = NULL;

  if (!maiko_harness_settle_on (harness, WAIT_MS, count_is, GUINT_TO_POINTER (n), &error))
    {
      g_printerr ("arbitrage: %s; %u entries recorded, %u expected\n",
                  error->message, maiko_harness_delivery_count (harness), n);
      maiko_harness_dump (harness);
      exit (1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoActor) alpha_ticker = g_object_new (MAIKO_TYPE_ACTOR, NULL);
  g_autoptr(MaikoActor) beta_ticker = g_object_new (MAIKO_TYPE_ACTOR, NULL);
  g_autoptr(MaikoActor) normalizer = g_object_new (NORMALIZER_TYPE, NULL);
  g_autoptr(MaikoActor) trader = g_object_new (TRADER_TYPE, NULL);
  g_autoptr(MaikoActor) database = g_object_new (MAIKO_TYPE_ACTOR, NULL);
  g_autoptr(MaikoActor) telemetry = g_object_new (MAIKO_TYPE_ACTOR, NULL);
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(GError) error = NULL;
  gboolean dump = argc > 1 && g_str_equal (argv[1], "--dump");
  const char *alpha_orders[] = { "Order/Alpha", NULL };
  const char *beta_orders[] = { "Order/Beta", NULL };
  const char *raw[] = { "RawData", NULL };
  const char *normalized[] = { "NormalizedData", NULL };
  const char *everything[] = { "RawData", "NormalizedData", "Order/Alpha", "Order/Beta", NULL };

  if (!maiko_supervisor_set_topic_func (sup, market_topic, NULL, NULL, &error) ||
      !maiko_supervisor_add_actor (sup, "AlphaTicker", alpha_ticker, alpha_orders, &error) ||
      !maiko_supervisor_add_actor (sup, "BetaTicker", beta_ticker, beta_orders, &error) ||
      !maiko_supervisor_add_actor (sup, "Normalizer", normalizer, raw, &error) ||
      !maiko_supervisor_add_actor (sup, "Trader", trader, normalized, &error) ||
      !maiko_supervisor_add_actor (sup, "Database", database, normalized, &error) ||
      !maiko_supervisor_add_actor (sup, "Telemetry", telemetry, everything, &error))
    {
      g_printerr ("arbitrage: %s\n", error->message);
      return 1;
    }

  /* The harness before start: it records from the first event. */
  harness = maiko_harness_new (sup);
  if (!maiko_supervisor_start (sup, &error))
    {
      g_printerr ("arbitrage: %s\n", error->message);
      return 1;
    }

  g_print ("=== Test Harness Demonstration ===\n\n");

  /* Test 1: one event, seen from the event. */
  {
    g_autofree char *tick_id = NULL;
    g_autoptr(MaikoEventSpy) spy = NULL;
    g_autoptr(MaikoEventQuery) children = NULL;

    g_print ("--- Test 1: Basic Event Delivery ---\n");
    maiko_harness_record (harness);
    tick_id = send_tick (harness, "AlphaTicker",
                         maiko_event_new ("AlphaTick", g_variant_new ("(du)", 100.0, 50)));
    /* AlphaTick to Normalizer and Telemetry, its MarketTick to Trader,
     * Database and Telemetry. */
    settle_on_count (harness, 5);
    maiko_harness_stop_recording (harness);

    spy = maiko_harness_event (harness, tick_id);
    children = maiko_event_spy_children (spy);
    CHECK (maiko_event_spy_was_delivered (spy));
    CHECK (maiko_event_spy_was_delivered_to (spy, "Normalizer"));
    CHECK (maiko_event_spy_was_delivered_to (spy, "Telemetry"));
    CHECK (maiko_event_spy_not_delivered_to (spy, "Trader"));
    CHECK (maiko_event_spy_receiver_count (spy) == 2);
    CHECK (g_str_equal (maiko_event_spy_sender (spy), "AlphaTicker"));
    /* One MarketTick, recorded once per receiver. */
    CHECK (maiko_event_query_count (children) == 3);
    print_names ("AlphaTick delivered to", maiko_event_spy_receivers (spy));
    g_print ("  Child deliveries (correlated): %u\n", maiko_event_query_count (children));
  }

  /* Test 2: the same, seen from the actors. */
  {
    g_autoptr(MaikoActorSpy) normalizer_spy = maiko_harness_actor (harness, "Normalizer");
    g_autoptr(MaikoActorSpy) telemetry_spy = maiko_harness_actor (harness, "Telemetry");
    const char *from_ticker[] = { "AlphaTicker", NULL };
    const char *to_subscribers[] = { "Database", "Telemetry", "Trader", NULL };

    g_print ("\n--- Test 2: Actor Perspective (ActorSpy) ---\n");
    g_print ("  Normalizer inbound count: %u\n", maiko_actor_spy_events_received (normalizer_spy));
    g_print ("  Normalizer outbound count: %u\n", maiko_actor_spy_events_sent (normalizer_spy));
    print_names ("Normalizer received from", maiko_actor_spy_received_from (normalizer_spy));
    print_names ("Normalizer sent to", maiko_actor_spy_sent_to (normalizer_spy));
    g_print ("  Telemetry inbound count: %u\n", maiko_actor_spy_events_received (telemetry_spy));
    print_names ("Telemetry received from", maiko_actor_spy_received_from (telemetry_spy));

    CHECK (maiko_actor_spy_events_received (normalizer_spy) == 1);
    /* One MarketTick sent (events count once), which three actors received. */
    CHECK (maiko_actor_spy_events_sent (normalizer_spy) == 1);
    CHECK (maiko_actor_spy_receiver_count (normalizer_spy) == 3);
    CHECK (strv_equal_sorted (maiko_actor_spy_received_from (normalizer_spy), from_ticker));
    CHECK (strv_equal_sorted (maiko_actor_spy_sent_to (normalizer_spy), to_subscribers));
    CHECK (maiko_actor_spy_events_received (telemetry_spy) == 2);
    CHECK (maiko_actor_spy_events_sent (telemetry_spy) == 0);
    CHECK (maiko_actor_spy_is_running (telemetry_spy));
  }

  /* Test 3: topics. */
  {
    g_autoptr(MaikoTopicSpy) raw_topic = maiko_harness_topic (harness, "RawData");
    g_autoptr(MaikoTopicSpy) normalized_topic = maiko_harness_topic (harness, "NormalizedData");
    g_autoptr(MaikoTopicSpy) order_topic = maiko_harness_topic (harness, "Order/Alpha");

    g_print ("\n--- Test 3: Topic Inspection (TopicSpy) ---\n");
    g_print ("  RawData deliveries: %u\n", maiko_topic_spy_delivery_count (raw_topic));
    print_names ("RawData receivers", maiko_topic_spy_receivers (raw_topic));
    g_print ("  NormalizedData deliveries: %u\n", maiko_topic_spy_delivery_count (normalized_topic));
    print_names ("NormalizedData receivers", maiko_topic_spy_receivers (normalized_topic));

    CHECK (maiko_topic_spy_delivery_count (raw_topic) == 2);
    CHECK (maiko_topic_spy_receiver_count (raw_topic) == 2);
    CHECK (maiko_topic_spy_delivery_count (normalized_topic) == 3);
    CHECK (maiko_topic_spy_receiver_count (normalized_topic) == 3);
    CHECK (!maiko_topic_spy_was_published (order_topic));
  }

  /* Test 4: queries, filters one after the other. */
  {
    g_autoptr(MaikoEventQuery) events = maiko_harness_events (harness);
    g_autoptr(MaikoEventQuery) by_normalizer = maiko_event_query_sent_by (events, "Normalizer");
    g_autoptr(MaikoEventQuery) market_ticks =
      maiko_event_query_matching_event (events, is_market_tick, NULL);
    g_autoptr(MaikoEventQuery) to_trader = maiko_event_query_received_by (by_normalizer, "Trader");

    g_print ("\n--- Test 4: Complex Queries (EventQuery) ---\n");
    g_print ("  Deliveries sent by Normalizer: %u\n", maiko_event_query_count (by_normalizer));
    g_print ("  MarketTick deliveries: %u\n", maiko_event_query_count (market_ticks));
    g_print ("  Trader received from Normalizer: %u\n", maiko_event_query_count (to_trader));

    CHECK (maiko_event_query_count (by_normalizer) == 3);
    CHECK (maiko_event_query_count (market_ticks) == 3);
    CHECK (maiko_event_query_count (to_trader) == 1);
  }

  /* Test 5: the whole scenario, from a clean log. */
  g_autofree char *ask_id = NULL;
  {
    g_autoptr(MaikoTopicSpy) alpha_topic = NULL;
    g_autoptr(MaikoTopicSpy) beta_topic = NULL;
    g_autoptr(MaikoActorSpy) trader_spy = NULL;
    g_autoptr(MaikoEventQuery) events = NULL;
    g_autoptr(GHashTable) by_label = NULL;
    g_autofree char *alpha_bid = NULL;
    g_autofree char *beta_bid = NULL;

    g_print ("\n--- Test 5: Full Arbitrage Scenario ---\n");
    maiko_harness_reset (harness);
    maiko_harness_record (harness);

    /* Alpha bids 100, Beta bids 105: no ask known, no trade. */
    alpha_bid = send_tick (harness, "AlphaTicker",
                           maiko_event_new ("AlphaTick", g_variant_new ("(du)", 100.0, 100)));
    beta_bid = send_tick (harness, "BetaTicker",
                          maiko_event_new ("BetaTick",
                                           g_variant_new ("(sst)", "105.0", "B", (guint64) 100)));
    /* Beta asks 95, under Alpha's bid: buy on Beta, sell on Alpha. */
    ask_id = send_tick (harness, "BetaTicker",
                        maiko_event_new ("BetaTick",
                                         g_variant_new ("(sst)", "95.0", "S", (guint64) 100)));
    /* 3 ticks × (2 + 3) deliveries, and 2 orders × 2. */
    settle_on_count (harness, 19);
    maiko_harness_stop_recording (harness);

    alpha_topic = maiko_harness_topic (harness, "Order/Alpha");
    beta_topic = maiko_harness_topic (harness, "Order/Beta");
    trader_spy = maiko_harness_actor (harness, "Trader");
    events = maiko_harness_events (harness);
    by_label = maiko_event_query_count_by_label (events);

    g_print ("  Alpha orders: %u\n", maiko_topic_spy_delivery_count (alpha_topic));
    g_print ("  Beta orders: %u\n", maiko_topic_spy_delivery_count (beta_topic));
    g_print ("  Trader inbound: %u\n", maiko_actor_spy_events_received (trader_spy));
    g_print ("  Trader outbound: %u\n", maiko_actor_spy_events_sent (trader_spy));
    g_print ("  Deliveries by label: AlphaTick %u, BetaTick %u, MarketTick %u, Order %u\n",
             GPOINTER_TO_UINT (g_hash_table_lookup (by_label, "AlphaTick")),
             GPOINTER_TO_UINT (g_hash_table_lookup (by_label, "BetaTick")),
             GPOINTER_TO_UINT (g_hash_table_lookup (by_label, "MarketTick")),
             GPOINTER_TO_UINT (g_hash_table_lookup (by_label, "Order")));

    /* Each order goes to its exchange's ticker and to Telemetry. */
    CHECK (maiko_topic_spy_delivery_count (alpha_topic) == 2);
    CHECK (maiko_topic_spy_delivery_count (beta_topic) == 2);
    CHECK (maiko_actor_spy_events_received (trader_spy) == 3);
    CHECK (maiko_actor_spy_events_sent (trader_spy) == 2);
    CHECK (maiko_harness_delivery_count (harness) == 19);
    CHECK (GPOINTER_TO_UINT (g_hash_table_lookup (by_label, "Order")) == 4);
    {
      g_autoptr(MaikoEventSpy) quiet = maiko_harness_event (harness, beta_bid);
      g_autoptr(MaikoEventQuery) answers = maiko_event_spy_children (quiet);
      g_autoptr(MaikoEventQuery) orders = maiko_event_query_children_of (answers, ask_id);

      CHECK (maiko_event_query_count (answers) == 3);
      CHECK (maiko_event_query_is_empty (orders));
    }

    g_print ("\n--- Event Dump ---\n");
    if (dump)
      maiko_harness_dump (harness);
    else
      g_print ("  (run with --dump for the harness's log: %u deliveries)\n",
               maiko_harness_delivery_count (harness));
  }

  /* Test 6: a spy's query, filtered further. */
  {
    g_autoptr(MaikoActorSpy) trader_spy = maiko_harness_actor (harness, "Trader");
    g_autoptr(MaikoEventQuery) outbound = maiko_actor_spy_outbound (trader_spy);
    g_autoptr(MaikoEventQuery) buys = maiko_event_query_matching_event (outbound, is_buy_order, NULL);
    g_autoptr(MaikoEventQuery) to_beta = maiko_event_query_received_by (buys, "BetaTicker");

    g_print ("\n--- Test 6: Chaining from Spies ---\n");
    g_print ("  Trader buy order deliveries: %u\n", maiko_event_query_count (buys));
    g_print ("  ... of which to BetaTicker: %u\n", maiko_event_query_count (to_beta));

    CHECK (maiko_event_query_count (buys) == 2);
    CHECK (maiko_event_query_count (to_beta) == 1);
  }

  /* Test 7: what the Beta ask caused. */
  {
    g_autoptr(MaikoEventChain) chain = maiko_harness_chain (harness, ask_id);
    g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (chain);
    g_autoptr(MaikoEventTrace) labels = maiko_event_chain_events (chain);
    g_autoptr(MaikoEventChain) to_alpha = maiko_event_chain_path_to (chain, "AlphaTicker");
    g_autoptr(MaikoActorTrace) alpha_path = maiko_event_chain_actors (to_alpha);
    const char *trade_path[] = { "BetaTicker", "Normalizer", "Trader", "AlphaTicker", NULL };
    const char *trade_labels[] = { "BetaTick", "MarketTick", "Order", NULL };

    g_print ("\n--- Test 7: Event Chain ---\n");
    g_print ("  Paths from the Beta ask: %u\n", maiko_actor_trace_path_count (actors));
    g_print ("  Branches after MarketTick: %u\n",
             maiko_event_chain_branches_after (chain, "MarketTick"));
    g_print ("  BetaTicker -> Normalizer -> Trader -> AlphaTicker: %s\n",
             maiko_actor_trace_exact (alpha_path, trade_path) ? "yes" : "no");

    CHECK (maiko_actor_trace_exact (alpha_path, trade_path));
    CHECK (maiko_event_trace_passes_through (labels, trade_labels));
    CHECK (maiko_event_chain_diverges_after (chain, "MarketTick"));
    CHECK (maiko_event_chain_branches_after (chain, "MarketTick") == 2);
    /* BetaTick to Telemetry; MarketTick to Database and Telemetry; each
     * order to its ticker and Telemetry. */
    CHECK (maiko_actor_trace_path_count (actors) == 7);
    CHECK (maiko_actor_trace_contains (actors, "Database"));
    CHECK (maiko_actor_trace_contains (actors, "Telemetry"));
  }

  if (!maiko_supervisor_stop (sup, &error))
    {
      g_printerr ("arbitrage: %s\n", error->message);
      return 1;
    }

  if (failed)
    {
      g_printerr ("arbitrage: some checks failed\n");
      return 1;
    }
  g_print ("\n=== All Tests Passed ===\n");
  return 0;
}
