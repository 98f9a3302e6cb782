/* test-routing.c: hello world, topics, wildcard, route by label
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

/* The reference's hello world: a greeter on the default topic receives
 * Hello("World") from the supervisor. */
static void
test_hello_world (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) greeter = test_actor_new ();
  g_autoptr(MaikoEvent) hello = maiko_event_new ("Hello", g_variant_new_string ("World"));
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  MaikoEnvelope *envelope;

  greeter->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_add_actor (sup, "greeter", MAIKO_ACTOR (greeter), topics, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, hello, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (greeter->received->len, ==, 1);
  envelope = g_ptr_array_index (greeter->received, 0);
  g_assert_true (maiko_envelope_get_event (envelope) == hello);
  g_assert_cmpstr (maiko_event_get_label (hello), ==, "Hello");
  g_assert_cmpstr (g_variant_get_string (maiko_event_get_payload (hello), NULL), ==, "World");
  g_assert_cmpstr (maiko_envelope_get_sender (envelope), ==, MAIKO_SUPERVISOR_NAME);
  g_assert_cmpstr (maiko_envelope_get_topic (envelope), ==, MAIKO_DEFAULT_TOPIC);
  g_assert_cmpstr (greeter->log->str, ==, "SED");
}

/* Topic = the part of the label before the first dot. */
static char *
topic_before_dot (MaikoEvent *event,
                  gpointer    user_data)
{
  const char *label = maiko_event_get_label (event);

  (*(guint *) user_data)++;
  return g_strndup (label, strcspn (label, "."));
}

static void
count_destroy (gpointer data)
{
  (*(guint *) data) += 1000;
}

static char *
received_labels (TestActor *actor)
{
  GString *labels = g_string_new (NULL);

  for (guint i = 0; i < actor->received->len; i++)
    {
      MaikoEnvelope *envelope = g_ptr_array_index (actor->received, i);

      g_string_append_printf (labels, "%s%s", i ? " " : "",
                              maiko_event_get_label (maiko_envelope_get_event (envelope)));
    }

  return g_string_free (labels, FALSE);
}

static void
test_topic_func (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) a = test_actor_new ();
  g_autoptr(TestActor) ab = test_actor_new ();
  g_autoptr(TestActor) all = test_actor_new ();
  g_autoptr(TestActor) none = test_actor_new ();
  g_autoptr(TestActor) empty = test_actor_new ();
  const char *topics_a[] = { "a", NULL };
  const char *topics_ab[] = { "a", "b", NULL };
  const char *topics_all[] = { MAIKO_TOPIC_ALL, NULL };
  const char *topics_empty[] = { NULL };
  g_autofree char *labels_a = NULL, *labels_ab = NULL, *labels_all = NULL;
  guint calls = 0;

  a->keep_envelopes = ab->keep_envelopes = all->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_topic_func (sup, topic_before_dot, &calls, count_destroy, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "a", MAIKO_ACTOR (a), topics_a, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "ab", MAIKO_ACTOR (ab), topics_ab, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "all", MAIKO_ACTOR (all), topics_all, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "none", MAIKO_ACTOR (none), NULL, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "empty", MAIKO_ACTOR (empty), topics_empty, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));

  test_send_int (sup, "a.1", 1);
  test_send_int (sup, "b.1", 2);
  test_send_int (sup, "c.1", 3);
  test_send_int (sup, "a.2", 4);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  labels_a = received_labels (a);
  labels_ab = received_labels (ab);
  labels_all = received_labels (all);
  g_assert_cmpstr (labels_a, ==, "a.1 a.2");
  g_assert_cmpstr (labels_ab, ==, "a.1 b.1 a.2");
  g_assert_cmpstr (labels_all, ==, "a.1 b.1 c.1 a.2");
  g_assert_cmpstr (maiko_envelope_get_topic (g_ptr_array_index (all->received, 2)), ==, "c");
  g_assert_cmpuint (none->n_handled, ==, 0);
  g_assert_cmpuint (empty->n_handled, ==, 0);
  g_assert_cmpuint (calls, ==, 4);

  g_clear_object (&sup);
  g_assert_cmpuint (calls, ==, 1004);
}

static const char EVEN[] = "even";
static const char ODD[] = "odd";

/* Topic = the parity of the payload, as constants; a negative payload has
 * no topic. */
static const char *
topic_of_parity (MaikoEvent *event,
                 gpointer    user_data)
{
  gint64 n = g_variant_get_int64 (maiko_event_get_payload (event));

  (*(guint *) user_data)++;
  if (n < 0)
    return NULL;
  return n % 2 == 0 ? EVEN : ODD;
}

/* A static topic function routes as a topic function does, and the
 * envelopes point to its constants: no send copied them. */
static void
test_static_topic_func (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) even = test_actor_new ();
  g_autoptr(TestActor) odd = test_actor_new ();
  g_autoptr(MaikoEvent) negative = test_event_int ("N", -1);
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  even->keep_envelopes = odd->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_static_topic_func (sup, topic_of_parity, &calls,
                                                         count_destroy, NULL));
  test_add (sup, "even", even, EVEN);
  test_add (sup, "odd", odd, ODD);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (gint64 i = 0; i < 5; i++)
    test_send_int (sup, "N", i);
  g_assert_false (maiko_supervisor_send (sup, negative, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The topic function gave no valid topic for event “N”");
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (even->received->len, ==, 3);
  g_assert_cmpuint (odd->received->len, ==, 2);
  for (guint i = 0; i < even->received->len; i++)
    g_assert_true (maiko_envelope_get_topic (g_ptr_array_index (even->received, i)) == EVEN);
  for (guint i = 0; i < odd->received->len; i++)
    g_assert_true (maiko_envelope_get_topic (g_ptr_array_index (odd->received, i)) == ODD);
  g_assert_cmpuint (calls, ==, 6);

  /* Too late: refused, and the data is freed at once. */
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_static_topic_func (sup, topic_of_parity, &calls,
                                                          count_destroy, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpuint (calls, ==, 1006);
  g_clear_object (&sup);
  g_assert_cmpuint (calls, ==, 2006);
}

static void
test_route_by_label (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) pings = test_actor_new ();
  g_autoptr(TestActor) pongs = test_actor_new ();
  const char *ping[] = { "Ping", NULL };
  const char *pong[] = { "Pong", NULL };

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "pings", MAIKO_ACTOR (pings), ping, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "pongs", MAIKO_ACTOR (pongs), pong, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 10; i++)
    test_send_int (sup, i % 3 ? "Ping" : "Pong", i);
  test_send_int (sup, "Other", 0);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (pings->n_handled, ==, 6);
  g_assert_cmpuint (pongs->n_handled, ==, 4);
}

static void
send_hello_on_start (TestActor *self)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);

  g_assert_true (maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), event, NULL));
}

/* An actor subscribed to everything never gets its own events back. */
static void
test_not_to_sender (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) speaker = test_actor_new ();
  g_autoptr(TestActor) listener = test_actor_new ();
  const char *all[] = { MAIKO_TOPIC_ALL, NULL };
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };

  speaker->start_hook = send_hello_on_start;
  g_assert_true (maiko_supervisor_add_actor (sup, "speaker", MAIKO_ACTOR (speaker), all, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "listener", MAIKO_ACTOR (listener), topics, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (listener, 1));
  test_send_int (sup, "FromSupervisor", 0);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (listener->n_handled, ==, 2);
  /* The speaker got the supervisor's event, not its own. */
  g_assert_cmpuint (speaker->n_handled, ==, 1);
}

/* An outbox with its topics interleaved reaches every receiver in the
 * order sent, whatever mix of its topics each receiver takes, and never
 * its sender. */
static void
test_outbox_order (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) sender = test_actor_new ();
  g_autoptr(TestActor) a = test_actor_new ();
  g_autoptr(TestActor) bc = test_actor_new ();
  g_autoptr(TestActor) all = test_actor_new ();
  const char *labels[] = { "a.1", "b.1", "c.1", "a.2", "c.2", "b.2", "b.3", "a.3", "c.3", NULL };
  const char *topics_bc[] = { "c", "b", NULL };
  const char *topics_all[] = { MAIKO_TOPIC_ALL, NULL };
  g_autofree char *labels_a = NULL, *labels_bc = NULL, *labels_all = NULL;
  guint calls = 0;

  sender->step = test_send_labels_step;
  sender->data = labels;
  a->keep_envelopes = bc->keep_envelopes = all->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_topic_func (sup, topic_before_dot, &calls, NULL, NULL));
  test_add (sup, "sender", sender, "a");
  test_add (sup, "a", a, "a");
  g_assert_true (maiko_supervisor_add_actor (sup, "bc", MAIKO_ACTOR (bc), topics_bc, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "all", MAIKO_ACTOR (all), topics_all, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  /* The outbox reaches one receiver after another: each is waited for,
   * as stop() counts what has not reached a mailbox yet as undelivered. */
  g_assert_true (test_actor_wait_handled (a, 3));
  g_assert_true (test_actor_wait_handled (bc, 6));
  g_assert_true (test_actor_wait_handled (all, 9));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  labels_a = received_labels (a);
  labels_bc = received_labels (bc);
  labels_all = received_labels (all);
  g_assert_cmpstr (labels_a, ==, "a.1 a.2 a.3");
  g_assert_cmpstr (labels_bc, ==, "b.1 c.1 c.2 b.2 b.3 c.3");
  g_assert_cmpstr (labels_all, ==, "a.1 b.1 c.1 a.2 c.2 b.2 b.3 a.3 c.3");
  g_assert_cmpuint (sender->n_handled, ==, 0);
  g_assert_cmpuint (calls, ==, 9);
}

static void
count_unrouted (MaikoMonitor  *monitor,
                MaikoEnvelope *envelope,
                const char    *topic,
                GPtrArray     *topics)
{
  g_ptr_array_add (topics, g_strdup (topic));
}

/* A misspelt topic is visible: sent to "Line" while the actor subscribes
 * to "Lines", the events are counted as unrouted, reported to the
 * monitors, and told of once at debug level with the closest topic; so is
 * a policy for a topic nobody subscribes to. */
static void
test_unrouted (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
  g_autoptr(GPtrArray) topics = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "reader", actor, "Lines");
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Lins", MAIKO_OVERFLOW_POLICY_DROP, NULL));
  g_signal_connect (monitor, "event-unrouted", G_CALLBACK (count_unrouted), topics);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));

  g_test_expect_message ("Maiko", G_LOG_LEVEL_DEBUG,
                         "A policy was set for topic “Lins”, which nobody subscribes to; "
                         "the closest subscribed topic is “Lines”");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_DEBUG,
                         "Sent to topic “Line”, which nobody subscribes to; "
                         "the closest subscribed topic is “Lines”");
  for (gint64 i = 0; i < 3; i++)
    test_send_int (sup, "Line", i);
  g_test_assert_expected_messages ();
  test_send_int (sup, "Lines", 3);
  g_assert_true (test_actor_wait_handled (actor, 1));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (maiko_supervisor_get_unrouted_count (sup), ==, 3);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
  g_assert_cmpuint (topics->len, ==, 3);
  for (guint i = 0; i < topics->len; i++)
    g_assert_cmpstr (g_ptr_array_index (topics, i), ==, "Line");
}

/* Subscribing to labels without routing by them sends every event to
 * "default": the debug message says how to route by label. */
static void
test_unrouted_default (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  test_add (sup, "reader", actor, "Ping");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_test_expect_message ("Maiko", G_LOG_LEVEL_DEBUG,
                         "Sent to topic “default”, which nobody subscribes to: without a topic "
                         "function every event goes there (maiko_supervisor_set_route_by_label() "
                         "makes the label the topic)");
  test_send_int (sup, "Ping", 0);
  g_test_assert_expected_messages ();
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (maiko_supervisor_get_unrouted_count (sup), ==, 1);
  g_assert_cmpuint (test_actor_get_handled (actor), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/routing/hello-world", test_hello_world);
  g_test_add_func ("/routing/topic-func", test_topic_func);
  g_test_add_func ("/routing/static-topic-func", test_static_topic_func);
  g_test_add_func ("/routing/route-by-label", test_route_by_label);
  g_test_add_func ("/routing/not-to-sender", test_not_to_sender);
  g_test_add_func ("/routing/outbox-order", test_outbox_order);
  g_test_add_func ("/routing/unrouted", test_unrouted);
  g_test_add_func ("/routing/unrouted-default", test_unrouted_default);

  return g_test_run ();
}
