/* test-harness.c: the test harness, its spies, its waits and its recording
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })
#define NONE ((const char * const []) { NULL })

/* A pipeline on threads of its own: producer (only sends, with send_as)
 * → processor, which answers each Data with a Processed child event →
 * sink. Each actor subscribes to the topic of its name. */
static const TestReply processor_replies[] = { { "Data", "Processed", "sink" }, { NULL } };
static const TestReply no_reply[] = { { NULL } };

typedef struct
{
  MaikoSupervisor *sup;
  MaikoHarness    *harness;
  TestActor       *sink;
} Pipeline;

static TestActor *
add_actor (MaikoSupervisor *sup,
           const char      *name,
           GMainContext    *context,
           const TestReply *replies)
{
  TestActor *actor = test_replier_new (context, replies);

  test_add (sup, name, actor, name);
  return actor;
}

static void
pipeline_setup (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_autoptr(TestActor) producer = NULL;
  g_autoptr(TestActor) processor = NULL;
  g_autoptr(GError) error = NULL;

  pipeline->sup = maiko_supervisor_new ();
  test_route_by_payload (pipeline->sup);
  producer = add_actor (pipeline->sup, "producer", NULL, no_reply);
  processor = add_actor (pipeline->sup, "processor", NULL, processor_replies);
  pipeline->sink = add_actor (pipeline->sup, "sink", NULL, no_reply);
  pipeline->harness = maiko_harness_new (pipeline->sup);
  g_assert_true (maiko_supervisor_start (pipeline->sup, &error));
  g_assert_no_error (error);
}

static void
pipeline_teardown (Pipeline      *pipeline,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_stop (pipeline->sup, &error));
  g_assert_no_error (error);
  g_clear_object (&pipeline->harness);
  g_clear_object (&pipeline->sink);
  g_clear_object (&pipeline->sup);
}

static char *
send_as (MaikoHarness *harness,
         const char   *sender,
         const char   *label,
         const char   *to)
{
  g_autoptr(MaikoEvent) event = test_event_to (label, to);
  g_autoptr(GError) error = NULL;
  char *id = maiko_harness_send_as (harness, sender, event, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static gboolean
sink_received (MaikoEventQuery *events,
               gpointer         n)
{
  g_autoptr(MaikoEventQuery) to_sink = maiko_event_query_received_by (events, "sink");

  return maiko_event_query_count (to_sink) >= GPOINTER_TO_UINT (n);
}

static gboolean
count_reached (MaikoEventQuery *events,
               gpointer         n)
{
  return maiko_event_query_count (events) >= GPOINTER_TO_UINT (n);
}

static void
settle_on_count (MaikoHarness *harness,
                 guint         n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_harness_settle_on (harness, TEST_TIMEOUT_S * 1000, count_reached,
                                          GUINT_TO_POINTER (n), &error));
  g_assert_no_error (error);
}

/* Three Data through the pipeline: 6 deliveries. */
static void
run_three (Pipeline *pipeline,
           char     *ids[3])
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    ids[i] = send_as (pipeline->harness, "producer", "Data", "processor");
  g_assert_true (maiko_harness_settle_on (pipeline->harness, TEST_TIMEOUT_S * 1000,
                                          sink_received, GUINT_TO_POINTER (3), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_harness_delivery_count (pipeline->harness), ==, 6);
}

static void
test_event_spy (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_auto(GStrv) ids = g_new0 (char *, 4);
  g_autoptr(MaikoEventSpy) spy = NULL;
  g_autoptr(MaikoEventSpy) child_spy = NULL;
  g_autoptr(MaikoEventSpy) unknown = NULL;
  g_autoptr(MaikoEventQuery) children = NULL;
  g_auto(GStrv) receivers = NULL;
  g_auto(GStrv) no_receivers = NULL;
  MaikoEventEntry *child;

  run_three (pipeline, ids);
  spy = maiko_harness_event (pipeline->harness, ids[1]);

  g_assert_true (maiko_event_spy_was_delivered (spy));
  g_assert_true (maiko_event_spy_was_delivered_to (spy, "processor"));
  g_assert_false (maiko_event_spy_was_delivered_to (spy, "sink"));
  g_assert_true (maiko_event_spy_not_delivered_to (spy, "sink"));
  g_assert_false (maiko_event_spy_not_delivered_to (spy, "processor"));
  g_assert_true (maiko_event_spy_was_delivered_to_all (spy, STRV ("processor")));
  g_assert_false (maiko_event_spy_was_delivered_to_all (spy, STRV ("processor", "sink")));
  g_assert_true (maiko_event_spy_was_delivered_to_all (spy, NONE));
  g_assert_cmpfloat (maiko_event_spy_delivery_ratio (spy, STRV ("processor", "sink")), ==, 0.5);
  g_assert_cmpfloat (maiko_event_spy_delivery_ratio (spy, STRV ("sink")), ==, 0.0);
  g_assert_cmpfloat (maiko_event_spy_delivery_ratio (spy, NONE), ==, 1.0);
  g_assert_cmpstr (maiko_event_spy_sender (spy), ==, "producer");
  receivers = maiko_event_spy_receivers (spy);
  g_assert_cmpstrv (receivers, STRV ("processor"));
  g_assert_cmpuint (maiko_event_spy_receiver_count (spy), ==, 1);

  /* Its one child: the processor's answer, handled by the sink. */
  children = maiko_event_spy_children (spy);
  g_assert_cmpuint (maiko_event_query_count (children), ==, 1);
  child = maiko_event_query_first (children);
  g_assert_cmpstr (maiko_event_entry_get_label (child), ==, "Processed");
  g_assert_cmpstr (maiko_event_entry_get_receiver (child), ==, "sink");
  child_spy = maiko_harness_event (pipeline->harness, maiko_event_entry_get_id (child));
  g_assert_cmpstr (maiko_event_spy_sender (child_spy), ==, "processor");

  unknown = maiko_harness_event (pipeline->harness, "no-such-id");
  g_assert_false (maiko_event_spy_was_delivered (unknown));
  g_assert_null (maiko_event_spy_sender (unknown));
  no_receivers = maiko_event_spy_receivers (unknown);
  g_assert_cmpstrv (no_receivers, NONE);
  g_assert_cmpuint (maiko_event_spy_receiver_count (unknown), ==, 0);
}

static void
test_actor_spy (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_auto(GStrv) ids = g_new0 (char *, 4);
  g_autoptr(MaikoActorSpy) processor = NULL;
  g_autoptr(MaikoActorSpy) producer = NULL;
  g_autoptr(MaikoActorSpy) unknown = NULL;
  g_autoptr(MaikoEventQuery) inbound = NULL;
  g_autoptr(MaikoEventQuery) outbound = NULL;
  g_autoptr(MaikoEventQuery) outbound_to_sink = NULL;
  g_auto(GStrv) from = NULL;
  g_auto(GStrv) to = NULL;
  g_auto(GStrv) producer_from = NULL;
  g_autoptr(GError) error = NULL;
  MaikoEventEntry *last;

  run_three (pipeline, ids);
  processor = maiko_harness_actor (pipeline->harness, "processor");
  producer = maiko_harness_actor (pipeline->harness, "producer");
  unknown = maiko_harness_actor (pipeline->harness, "nobody");

  inbound = maiko_actor_spy_inbound (processor);
  g_assert_cmpuint (maiko_event_query_count (inbound), ==, 3);
  g_assert_cmpuint (maiko_actor_spy_events_received (processor), ==, 3);
  /* One sender's events reach one receiver in the order sent. */
  last = maiko_actor_spy_last_received (processor);
  g_assert_cmpstr (maiko_event_entry_get_id (last), ==, ids[2]);
  from = maiko_actor_spy_received_from (processor);
  g_assert_cmpstrv (from, STRV ("producer"));
  g_assert_cmpuint (maiko_actor_spy_sender_count (processor), ==, 1);

  outbound = maiko_actor_spy_outbound (processor);
  outbound_to_sink = maiko_event_query_received_by (outbound, "sink");
  g_assert_cmpuint (maiko_event_query_count (outbound_to_sink), ==, 3);
  g_assert_cmpuint (maiko_actor_spy_events_sent (processor), ==, 3);
  last = maiko_actor_spy_last_sent (processor);
  g_assert_cmpstr (maiko_event_entry_get_label (last), ==, "Processed");
  g_assert_cmpstr (maiko_event_entry_get_parent_id (last), ==, ids[2]);
  to = maiko_actor_spy_sent_to (processor);
  g_assert_cmpstrv (to, STRV ("sink"));
  g_assert_cmpuint (maiko_actor_spy_receiver_count (processor), ==, 1);

  g_assert_cmpuint (maiko_actor_spy_events_received (producer), ==, 0);
  g_assert_null (maiko_actor_spy_last_received (producer));
  producer_from = maiko_actor_spy_received_from (producer);
  g_assert_cmpstrv (producer_from, NONE);
  g_assert_cmpuint (maiko_actor_spy_sender_count (producer), ==, 0);
  g_assert_cmpuint (maiko_actor_spy_events_sent (producer), ==, 3);
  g_assert_cmpuint (maiko_actor_spy_receiver_count (producer), ==, 1);

  g_assert_cmpuint (maiko_actor_spy_events_received (unknown), ==, 0);
  g_assert_cmpuint (maiko_actor_spy_events_sent (unknown), ==, 0);
  g_assert_null (maiko_actor_spy_last_sent (unknown));
  g_assert_false (maiko_actor_spy_is_running (unknown));
  g_assert_false (maiko_actor_spy_is_stopped (unknown));

  /* Lifecycle is read from the runtime when asked. */
  g_assert_true (maiko_actor_spy_is_running (processor));
  g_assert_false (maiko_actor_spy_is_stopped (processor));
  g_assert_true (maiko_supervisor_stop (pipeline->sup, &error));
  g_assert_no_error (error);
  g_assert_false (maiko_actor_spy_is_running (processor));
  g_assert_true (maiko_actor_spy_is_stopped (processor));
}

static void
test_topic_spy (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_auto(GStrv) ids = g_new0 (char *, 4);
  g_autoptr(MaikoTopicSpy) topic = NULL;
  g_autoptr(MaikoTopicSpy) unused = NULL;
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(MaikoEventQuery) second = NULL;
  g_auto(GStrv) receivers = NULL;
  g_auto(GStrv) no_receivers = NULL;

  run_three (pipeline, ids);
  topic = maiko_harness_topic (pipeline->harness, "processor");
  unused = maiko_harness_topic (pipeline->harness, MAIKO_DEFAULT_TOPIC);

  g_assert_true (maiko_topic_spy_was_published (topic));
  g_assert_cmpuint (maiko_topic_spy_delivery_count (topic), ==, 3);
  receivers = maiko_topic_spy_receivers (topic);
  g_assert_cmpstrv (receivers, STRV ("processor"));
  g_assert_cmpuint (maiko_topic_spy_receiver_count (topic), ==, 1);
  events = maiko_topic_spy_events (topic);
  second = maiko_event_query_with_id (events, ids[1]);
  g_assert_cmpuint (maiko_event_query_count (second), ==, 1);

  g_assert_false (maiko_topic_spy_was_published (unused));
  g_assert_cmpuint (maiko_topic_spy_delivery_count (unused), ==, 0);
  no_receivers = maiko_topic_spy_receivers (unused);
  g_assert_cmpstrv (no_receivers, NONE);
  g_assert_cmpuint (maiko_topic_spy_receiver_count (unused), ==, 0);
}

static void
test_settle_on (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(MaikoEventMatcher) processed = maiko_event_matcher_by_label ("Processed");
  g_autoptr(MaikoEventMatcher) nothing = maiko_event_matcher_by_label ("Nothing");
  g_autoptr(GError) error = NULL;
  gint64 start;

  id = send_as (pipeline->harness, "producer", "Data", "processor");
  g_assert_true (maiko_harness_settle_on_event (pipeline->harness, "Processed",
                                                TEST_TIMEOUT_S * 1000, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_harness_settle_on_event_matching (pipeline->harness, processed, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_harness_delivery_count (pipeline->harness), ==, 2);

  start = g_get_monotonic_time ();
  g_assert_false (maiko_harness_settle_on (pipeline->harness, 50, count_reached,
                                           GUINT_TO_POINTER (100), &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * G_TIME_SPAN_MILLISECOND);
  g_clear_error (&error);

  g_assert_false (maiko_harness_settle_on_event (pipeline->harness, "Nothing", 10, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT);
  g_clear_error (&error);
  g_assert_false (maiko_harness_settle_on_event_matching (pipeline->harness, nothing, 10, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT);
}

static void
count_handled (MaikoMonitor  *monitor,
               MaikoEnvelope *envelope,
               const char    *topic,
               const char    *receiver,
               guint         *handled)
{
  (*handled)++;
}

static gboolean
handled_once (gpointer handled)
{
  return *(guint *) handled > 0;
}

static void
test_recording (Pipeline      *pipeline,
                gconstpointer  data)
{
  g_autoptr(MaikoMonitor) witness = maiko_monitor_new ();
  g_autoptr(GError) error = NULL;
  guint handled = 0;
  g_autofree char *first = NULL;
  g_autofree char *unseen = NULL;
  g_autofree char *third = NULL;
  g_autoptr(MaikoEventQuery) before_reset = NULL;
  g_autoptr(MaikoEventQuery) after_reset = NULL;
  g_autoptr(MaikoEventSpy) unseen_spy = NULL;
  g_autoptr(MaikoEventSpy) third_spy = NULL;

  g_assert_true (maiko_harness_is_recording (pipeline->harness));
  first = send_as (pipeline->harness, "producer", "Ping", "sink");
  settle_on_count (pipeline->harness, 1);

  maiko_harness_stop_recording (pipeline->harness);
  g_assert_false (maiko_harness_is_recording (pipeline->harness));
  /* Added after the harness, the witness gets each record after it. */
  g_signal_connect (witness, "event-handled", G_CALLBACK (count_handled), &handled);
  g_assert_true (maiko_supervisor_add_monitor (pipeline->sup, witness, &error));
  g_assert_no_error (error);
  unseen = send_as (pipeline->harness, "producer", "Ping", "sink");
  g_assert_true (test_iterate_until (g_main_context_default (), handled_once, &handled));

  /* What was handled while not recording stays out, even if the harness
   * had not emitted it yet. */
  maiko_harness_record (pipeline->harness);
  g_assert_true (maiko_harness_is_recording (pipeline->harness));
  third = send_as (pipeline->harness, "producer", "Ping", "sink");
  settle_on_count (pipeline->harness, 2);
  maiko_harness_settle (pipeline->harness);
  g_assert_cmpuint (maiko_harness_delivery_count (pipeline->harness), ==, 2);
  unseen_spy = maiko_harness_event (pipeline->harness, unseen);
  third_spy = maiko_harness_event (pipeline->harness, third);
  g_assert_false (maiko_event_spy_was_delivered (unseen_spy));
  g_assert_true (maiko_event_spy_was_delivered_to (third_spy, "sink"));

  before_reset = maiko_harness_events (pipeline->harness);
  maiko_harness_reset (pipeline->harness);
  g_assert_cmpuint (maiko_harness_delivery_count (pipeline->harness), ==, 0);
  after_reset = maiko_harness_events (pipeline->harness);
  g_assert_true (maiko_event_query_is_empty (after_reset));
  /* Queries made before keep their entries. */
  g_assert_cmpuint (maiko_event_query_count (before_reset), ==, 2);
}

static void
test_send_as (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) a = test_actor_new ();
  g_autoptr(TestActor) b = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(MaikoEventQuery) from_a = NULL;
  g_autoptr(MaikoEventQuery) from_supervisor = NULL;
  g_autoptr(MaikoEventQuery) from_sensor = NULL;
  g_autoptr(MaikoEventQuery) early = NULL;
  g_autofree char *id0 = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "a", a, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "b", b, MAIKO_DEFAULT_TOPIC);
  harness = maiko_harness_new (sup);

  /* Before start, the event waits for it, as in maiko. */
  id0 = maiko_harness_send_as (harness, "a", event, &error);
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);
  g_assert_null (maiko_harness_send_as (harness, "", event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The sender does not receive its own event. */
  id = maiko_harness_send_as (harness, "a", event, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id));
  id2 = maiko_harness_send_as (harness, MAIKO_SUPERVISOR_NAME, event, &error);
  g_assert_no_error (error);
  /* A sender that is no actor, as maiko allows: both actors receive. */
  id3 = maiko_harness_send_as (harness, "sensor", event, &error);
  g_assert_no_error (error);
  settle_on_count (harness, 6);

  events = maiko_harness_events (harness);
  g_assert_cmpuint (maiko_event_query_count (events), ==, 6);
  early = maiko_event_query_with_id (events, id0);
  g_assert_cmpuint (maiko_event_query_count (early), ==, 1);
  g_assert_cmpstr (maiko_event_entry_get_receiver (maiko_event_query_first (early)), ==, "b");
  from_sensor = maiko_event_query_sent_by (events, "sensor");
  g_assert_cmpuint (maiko_event_query_count (from_sensor), ==, 2);
  g_assert_cmpstr (maiko_event_entry_get_id (maiko_event_query_first (from_sensor)), ==, id3);
  from_a = maiko_event_query_with_id (events, id);
  g_assert_cmpuint (maiko_event_query_count (from_a), ==, 1);
  g_assert_cmpstr (maiko_event_entry_get_receiver (maiko_event_query_first (from_a)), ==, "b");
  g_assert_cmpstr (maiko_event_entry_get_sender (maiko_event_query_first (from_a)), ==, "a");
  from_supervisor = maiko_event_query_with_id (events, id2);
  g_assert_cmpuint (maiko_event_query_count (from_supervisor), ==, 2);
  g_assert_cmpstr (maiko_event_entry_get_sender (maiko_event_query_first (from_supervisor)), ==,
                   MAIKO_SUPERVISOR_NAME);

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

/* Two events, each handled by two receivers: what counts events and what
 * counts deliveries. */
static void
test_counts (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) a = test_actor_new ();
  g_autoptr(TestActor) b = test_actor_new ();
  g_autoptr(TestActor) c = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);
  g_autoptr(MaikoTopicSpy) topic = NULL;
  g_autoptr(MaikoActorSpy) sender = NULL;
  g_autoptr(MaikoActorSpy) receiver = NULL;
  g_autoptr(MaikoEventQuery) outbound = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "a", a, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "b", b, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "c", c, MAIKO_DEFAULT_TOPIC);
  harness = maiko_harness_new (sup);
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    g_free (maiko_harness_send_as (harness, "a", event, &error));
  g_assert_no_error (error);
  settle_on_count (harness, 4);

  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 4);

  topic = maiko_harness_topic (harness, MAIKO_DEFAULT_TOPIC);
  g_assert_cmpuint (maiko_topic_spy_events_published (topic), ==, 2);
  g_assert_cmpuint (maiko_topic_spy_delivery_count (topic), ==, 4);

  sender = maiko_harness_actor (harness, "a");
  g_assert_cmpuint (maiko_actor_spy_events_sent (sender), ==, 2);
  outbound = maiko_actor_spy_outbound (sender);
  g_assert_cmpuint (maiko_event_query_count (outbound), ==, 4);
  receiver = maiko_harness_actor (harness, "b");
  g_assert_cmpuint (maiko_actor_spy_events_received (receiver), ==, 2);

  /* The old names count deliveries too. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_cmpuint (maiko_harness_event_count (harness), ==, 4);
  g_assert_cmpuint (maiko_topic_spy_event_count (topic), ==, 4);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

static gboolean
handled_twice (gpointer handled)
{
  return *(guint *) handled >= 2;
}

static void
send_one (MaikoHarness *harness,
          gint64        value)
{
  g_autoptr(MaikoEvent) event = test_event_int ("N", value);
  g_autofree char *id = maiko_harness_send_as (harness, "outside", event, NULL);

  g_assert_nonnull (id);
}

/* A settle freezes what the spies and queries see, as in maiko: an event
 * handled after it stays out until record(); reset() records again. */
static void
test_settle_freezes (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(MaikoMonitor) witness = maiko_monitor_new ();
  guint handled = 0;

  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  harness = maiko_harness_new (sup);
  /* Added after the harness, the witness gets each record after it. */
  g_signal_connect (witness, "event-handled", G_CALLBACK (count_handled), &handled);
  g_assert_true (maiko_supervisor_add_monitor (sup, witness, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));

  send_one (harness, 0);
  settle_on_count (harness, 1);
  g_assert_false (maiko_harness_is_recording (harness));
  send_one (harness, 1);
  g_assert_true (test_iterate_until (NULL, handled_twice, &handled));
  /* Its records reached the harness, which did not keep them. */
  maiko_monitor_flush (MAIKO_MONITOR (harness));
  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 1);

  maiko_harness_record (harness);
  g_assert_true (maiko_harness_is_recording (harness));
  send_one (harness, 2);
  settle_on_count (harness, 2);
  events = maiko_harness_events (harness);
  g_assert_cmpint (test_envelope_int (maiko_event_entry_get_envelope (maiko_event_query_nth (events, 0))),
                   ==, 0);
  g_assert_cmpint (test_envelope_int (maiko_event_entry_get_envelope (maiko_event_query_nth (events, 1))),
                   ==, 2);

  maiko_harness_settle (harness);
  maiko_harness_reset (harness);
  g_assert_true (maiko_harness_is_recording (harness));
  send_one (harness, 3);
  settle_on_count (harness, 1);
  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

static gboolean
fail_on_one (TestActor      *self,
             MaikoEnvelope  *envelope,
             GError        **error)
{
  if (test_envelope_int (envelope) != 1)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "one is bad");
  return FALSE;
}

/* A failed handling is recorded, with its error, as in maiko. */
static void
test_failed_handling (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(MaikoActorSpy) spy = NULL;
  const GError *failure;

  actor->handle = fail_on_one;
  actor->swallow_errors = TRUE;
  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  harness = maiko_harness_new (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (gint64 i = 0; i < 3; i++)
    send_one (harness, i);
  settle_on_count (harness, 3);

  events = maiko_harness_events (harness);
  g_assert_null (maiko_event_entry_get_error (maiko_event_query_nth (events, 0)));
  failure = maiko_event_entry_get_error (maiko_event_query_nth (events, 1));
  g_assert_error (failure, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (failure->message, ==, "one is bad");
  g_assert_null (maiko_event_entry_get_error (maiko_event_query_nth (events, 2)));
  spy = maiko_harness_actor (harness, "a");
  g_assert_cmpuint (maiko_actor_spy_events_received (spy), ==, 3);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

static void
test_known_actors (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) early = test_actor_new ();
  g_autoptr(TestActor) bound = test_actor_new_bound (g_main_context_default ());
  g_autoptr(TestActor) late = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoActorSpy) early_spy = NULL;
  g_autoptr(MaikoActorSpy) bound_spy = NULL;
  g_autoptr(MaikoActorSpy) late_spy = NULL;
  g_autoptr(MaikoSupervisor) harness_sup = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "early", early, NULL);
  test_add (sup, "bound", bound, NULL);
  harness = maiko_harness_new (sup);
  g_object_get (harness, "supervisor", &harness_sup, NULL);
  g_assert_true (harness_sup == sup);

  early_spy = maiko_harness_actor (harness, "early");
  g_assert_false (maiko_actor_spy_is_running (early_spy));
  g_assert_false (maiko_actor_spy_is_stopped (early_spy));

  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);
  test_add (sup, "late", late, NULL);
  bound_spy = maiko_harness_actor (harness, "bound");
  late_spy = maiko_harness_actor (harness, "late");
  g_assert_true (maiko_actor_spy_is_running (early_spy));
  g_assert_true (maiko_actor_spy_is_running (bound_spy));
  g_assert_true (maiko_actor_spy_is_running (late_spy));

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_actor_spy_is_stopped (early_spy));
  g_assert_true (maiko_actor_spy_is_stopped (bound_spy));
  g_assert_true (maiko_actor_spy_is_stopped (late_spy));
  g_assert_false (maiko_actor_spy_is_running (late_spy));
}

/* Actors on the test's main context: settle() runs that context, so
 * settling lets a flow finish. One settle is bounded (10 ms in all), which
 * a slow machine (valgrind) may not finish in: settle until the count is
 * reached, within the test's bound, and check nothing more came. */
static void
test_settle_bound (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) producer = NULL;
  g_autoptr(TestActor) processor = NULL;
  g_autoptr(TestActor) sink = NULL;
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoActorSpy) sink_spy = NULL;
  g_autoptr(GError) error = NULL;
  GMainContext *context = g_main_context_default ();
  gint64 deadline;

  test_route_by_payload (sup);
  producer = add_actor (sup, "producer", context, no_reply);
  processor = add_actor (sup, "processor", context, processor_replies);
  sink = add_actor (sup, "sink", context, no_reply);
  harness = maiko_harness_new (sup);
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    g_free (send_as (harness, "producer", "Data", "processor"));
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_USEC_PER_SEC;
  do
    maiko_harness_settle (harness);
  while (maiko_harness_delivery_count (harness) < 10 && g_get_monotonic_time () < deadline);

  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 10);
  sink_spy = maiko_harness_actor (harness, "sink");
  g_assert_cmpuint (maiko_actor_spy_events_received (sink_spy), ==, 5);

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

static void
noop_event_hook (void)
{
}

/* However far the harness's context falls behind, nothing is dropped;
 * a plain monitor with the same capacity drops. */
static void
test_never_loses (void)
{
  const guint n = 1000;
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 4, NULL);
  g_autoptr(TestActor) sink = test_actor_new ();
  g_autoptr(MaikoMonitor) plain = maiko_monitor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "sink", sink, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, &error));
  g_assert_no_error (error);
  /* A monitor records only the event hooks something watches. */
  g_signal_connect (plain, "event-handled", G_CALLBACK (noop_event_hook), NULL);
  g_assert_true (maiko_supervisor_add_monitor (sup, plain, &error));
  g_assert_no_error (error);
  harness = maiko_harness_new (sup);
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);

  /* Nobody runs the main context meanwhile. */
  test_send_n (sup, "Data", n);
  g_assert_true (test_actor_wait_handled (sink, n));

  settle_on_count (harness, n);
  events = maiko_harness_events (harness);
  g_assert_cmpuint (maiko_event_query_count (events), ==, n);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (MAIKO_MONITOR (harness)), ==, 0);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (plain), >, 0);
  for (guint i = 0; i < n; i++)
    {
      MaikoEventEntry *entry = maiko_event_query_nth (events, i);

      g_assert_cmpint (test_envelope_int (maiko_event_entry_get_envelope (entry)), ==, i);
    }

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

static gpointer
run_loop (gpointer data)
{
  GMainLoop *loop = data;

  g_main_context_push_thread_default (g_main_loop_get_context (loop));
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (g_main_loop_get_context (loop));
  return NULL;
}

/* The harness's context is run by another thread: the waits cannot run it
 * and wait for that thread instead. */
static void
test_context_of_another_thread (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) sink = test_actor_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  test_add (sup, "sink", sink, MAIKO_DEFAULT_TOPIC);
  g_main_context_push_thread_default (context);
  harness = maiko_harness_new (sup);
  g_main_context_pop_thread_default (context);
  g_assert_true (maiko_monitor_get_main_context (MAIKO_MONITOR (harness)) == context);
  thread = g_thread_new ("harness-context", run_loop, loop);

  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);
  test_send_n (sup, "Data", 3);
  settle_on_count (harness, 3);
  maiko_harness_settle (harness);
  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 3);
  g_assert_false (maiko_harness_settle_on (harness, 20, count_reached, GUINT_TO_POINTER (4),
                                           &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT);
  g_clear_error (&error);

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
  g_thread_join (thread);
}

static void
test_dump (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
      g_autoptr(TestActor) sink = test_actor_new_bound (g_main_context_default ());
      g_autoptr(TestActor) producer = test_actor_new_bound (g_main_context_default ());
      g_autoptr(MaikoHarness) harness = NULL;
      g_autoptr(GError) error = NULL;

      test_add (sup, "producer", producer, NULL);
      test_add (sup, "sink", sink, MAIKO_DEFAULT_TOPIC);
      harness = maiko_harness_new (sup);
      maiko_harness_dump (harness);
      g_assert_true (maiko_supervisor_start (sup, &error));
      g_free (send_as (harness, "producer", "Data", "default"));
      maiko_harness_settle (harness);
      maiko_harness_dump (harness);
      g_assert_true (maiko_supervisor_stop (sup, &error));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("(no events recorded)\n"
                             "Recorded events (1 deliveries):\n"
                             "  0: [producer] --> [sink]  Data  (id: *-*-4*-*-*)\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/harness/event-spy", Pipeline, NULL, pipeline_setup, test_event_spy,
              pipeline_teardown);
  g_test_add ("/harness/actor-spy", Pipeline, NULL, pipeline_setup, test_actor_spy,
              pipeline_teardown);
  g_test_add ("/harness/topic-spy", Pipeline, NULL, pipeline_setup, test_topic_spy,
              pipeline_teardown);
  g_test_add ("/harness/settle-on", Pipeline, NULL, pipeline_setup, test_settle_on,
              pipeline_teardown);
  g_test_add ("/harness/recording", Pipeline, NULL, pipeline_setup, test_recording,
              pipeline_teardown);
  g_test_add_func ("/harness/send-as", test_send_as);
  g_test_add_func ("/harness/settle-freezes", test_settle_freezes);
  g_test_add_func ("/harness/failed-handling", test_failed_handling);
  g_test_add_func ("/harness/counts", test_counts);
  g_test_add_func ("/harness/known-actors", test_known_actors);
  g_test_add_func ("/harness/settle-bound", test_settle_bound);
  g_test_add_func ("/harness/never-loses", test_never_loses);
  g_test_add_func ("/harness/context-of-another-thread", test_context_of_another_thread);
  g_test_add_func ("/harness/dump", test_dump);

  return g_test_run ();
}
