/* test-overflow.c: overflow policies, isolation, stage 1
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

static MaikoSupervisor *
new_supervisor_with_policy (MaikoOverflowPolicy policy)
{
  MaikoSupervisor *sup = maiko_supervisor_new ();

  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC, policy, NULL));
  return sup;
}

/* BLOCK with a mailbox of 2 and a slow consumer loses nothing. */
static void
test_block (void)
{
  g_autoptr(MaikoSupervisor) sup = new_supervisor_with_policy (MAIKO_OVERFLOW_POLICY_BLOCK);
  g_autoptr(TestActor) slow = test_actor_new ();

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (slow), 2);
  slow->handle_delay_us = 50;
  slow->keep_envelopes = TRUE;
  test_add (sup, "slow", slow, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 500);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (slow->n_handled, ==, 500);
  for (guint i = 0; i < 500; i++)
    g_assert_cmpint (test_envelope_int (g_ptr_array_index (slow->received, i)), ==, i);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

/* DROP never makes the producer wait: with the consumer stuck, 100 sends
 * all return, and what did not fit is counted. */
static void
test_drop (void)
{
  g_autoptr(MaikoSupervisor) sup = new_supervisor_with_policy (MAIKO_OVERFLOW_POLICY_DROP);
  g_autoptr(TestActor) stuck = test_actor_new ();

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 2);
  test_actor_close_gate (stuck);
  test_add (sup, "stuck", stuck, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_at_gate (stuck));
  test_send_n (sup, "N", 99);

  /* One event in hand, two in the mailbox: the other 97 were dropped. */
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 97);
  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (stuck->n_handled, ==, 3);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

/* FAIL closes the overflowing subscriber's mailbox and stops only that
 * actor; the other subscriber gets every event. */
static void
test_fail (void)
{
  g_autoptr(MaikoSupervisor) sup = new_supervisor_with_policy (MAIKO_OVERFLOW_POLICY_FAIL);
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(TestActor) healthy = test_actor_new ();

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 2);
  test_actor_close_gate (stuck);
  test_add (sup, "stuck", stuck, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "healthy", healthy, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_at_gate (stuck));
  test_send_n (sup, "N", 49);

  test_actor_open_gate (stuck);
  g_assert_true (test_actor_wait_shutdown (stuck));
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (healthy)));
  g_assert_true (maiko_supervisor_is_running (sup));
  g_assert_true (test_actor_wait_handled (healthy, 50));

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (healthy->n_handled, ==, 50);
  /* The event in hand was handled; the two in the mailbox and the one
   * that overflowed were not, nor anything after the close. */
  g_assert_cmpuint (stuck->n_handled, ==, 1);
  g_assert_cmpuint (stuck->n_shutdowns, ==, 1);
  g_assert_cmpuint (healthy->n_shutdowns, ==, 1);
  g_assert_false (maiko_actor_is_running (MAIKO_ACTOR (stuck)));
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 49);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
}

static char *
topic_is_label (MaikoEvent *event,
                gpointer    user_data)
{
  return g_strdup (maiko_event_get_label (event));
}

typedef struct
{
  MaikoSupervisor *sup;
  gint             sent;
} BlockedProducer;

static gpointer
produce_on_a (gpointer data)
{
  BlockedProducer *producer = data;

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("A", i);

      if (!maiko_supervisor_send (producer->sup, event, NULL))
        break;
      g_atomic_int_inc (&producer->sent);
    }

  return NULL;
}

/* A consumer stuck on topic A under BLOCK stalls only A's producer: another
 * producer's events on topic B keep flowing. */
static void
test_block_isolation (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(TestActor) flowing = test_actor_new ();
  BlockedProducer producer = { NULL, 0 };
  GThread *thread;

  g_assert_true (maiko_supervisor_set_topic_func (sup, topic_is_label, NULL, NULL, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "A", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "B", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 1);
  test_actor_close_gate (stuck);
  test_add (sup, "stuck", stuck, "A");
  test_add (sup, "flowing", flowing, "B");
  g_assert_true (maiko_supervisor_start (sup, NULL));

  producer.sup = sup;
  thread = g_thread_new ("producer-a", produce_on_a, &producer);
  g_assert_true (test_actor_wait_at_gate (stuck));

  test_send_n (sup, "B", 1000);
  g_assert_true (test_actor_wait_handled (flowing, 1000));
  /* A's producer is still waiting: one event in hand, one in the mailbox,
   * the third send blocked. */
  g_assert_cmpint (g_atomic_int_get (&producer.sent), <=, 2);

  test_actor_open_gate (stuck);
  g_thread_join (thread);
  g_assert_cmpint (producer.sent, ==, 10);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (stuck->n_handled, ==, 10);
  g_assert_cmpuint (flowing->n_handled, ==, 1000);
}

typedef struct
{
  GArray *full_before;     /* gboolean per send */
  gboolean full_after_last;
} FullRecord;

static MaikoStepAction
send_and_watch_outbox (TestActor *self)
{
  FullRecord *record = self->data;
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("N", i);
      gboolean full = maiko_context_is_sender_full (context);

      g_array_append_val (record->full_before, full);
      g_assert_true (maiko_context_send (context, event, NULL));
    }
  record->full_after_last = maiko_context_is_sender_full (context);

  return MAIKO_STEP_ACTION_NEVER;
}

/* With broker-capacity 4, is_sender_full turns TRUE exactly when four
 * events wait in the outbox: the fifth send must first route them. */
static void
test_is_sender_full (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "broker-capacity", 4, NULL);
  g_autoptr(TestActor) producer = test_actor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  FullRecord record = { g_array_new (FALSE, FALSE, sizeof (gboolean)), TRUE };
  static const gboolean expected[] = { FALSE, FALSE, FALSE, FALSE, TRUE, FALSE };

  producer->step = send_and_watch_outbox;
  producer->data = &record;
  test_add (sup, "producer", producer, NULL);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_false (maiko_context_is_sender_full (maiko_actor_get_context (MAIKO_ACTOR (producer))));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (consumer, 6));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpmem (record.full_before->data, record.full_before->len * sizeof (gboolean),
                   expected, sizeof expected);
  g_assert_false (record.full_after_last);
  g_assert_cmpuint (consumer->n_handled, ==, 6);
  g_array_unref (record.full_before);
}

typedef struct
{
  MaikoSupervisor *sup;
  gint             codes[3];
} SelfSend;

static gboolean
send_to_self_through_supervisor (TestActor      *self,
                                 MaikoEnvelope  *envelope,
                                 GError        **error)
{
  SelfSend *sends = self->data;

  if (!g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "Go"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (sends->codes); i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("Echo", i);
      g_autoptr(GError) local_error = NULL;

      maiko_supervisor_send (sends->sup, event, &local_error);
      sends->codes[i] = local_error != NULL ? local_error->code : -1;
    }
  return TRUE;
}

/* An actor that sends to its own full mailbox under BLOCK would wait for
 * itself: the send fails at once instead. */
static void
test_block_on_self (void)
{
  g_autoptr(MaikoSupervisor) sup = new_supervisor_with_policy (MAIKO_OVERFLOW_POLICY_BLOCK);
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoEvent) go = maiko_event_new ("Go", NULL);
  SelfSend sends = { sup, { 0, 0, 0 } };

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (actor), 1);
  actor->handle = send_to_self_through_supervisor;
  actor->data = &sends;
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, go, NULL));
  g_assert_true (test_actor_wait_handled (actor, 2));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpint (sends.codes[0], ==, -1);
  g_assert_cmpint (sends.codes[1], ==, MAIKO_ERROR_MAILBOX_FULL);
  g_assert_cmpint (sends.codes[2], ==, MAIKO_ERROR_MAILBOX_FULL);
  g_assert_cmpuint (actor->n_handled, ==, 2);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 2);
}

/* Nothing signals a drop: polls, with the tests' bound. */
static gboolean
wait_dropped (MaikoSupervisor *sup,
              guint            n)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_USEC_PER_SEC;

  while (maiko_supervisor_get_dropped_count (sup) < n && g_get_monotonic_time () < deadline)
    g_usleep (100);

  return maiko_supervisor_get_dropped_count (sup) == n;
}

/* One outbox, one receiver, two topics: each event meets its own topic's
 * policy. The receiver (mailbox of 2) is held in on_start: the first two
 * events fit, the two on the DROP topic are dropped, the last one (BLOCK)
 * waits until the receiver drains. */
static void
test_policy_per_event (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) sender = test_actor_new ();
  g_autoptr(TestActor) receiver = test_actor_new ();
  const char *topics[] = { "keep", "drop", NULL };
  const char *labels[] = { "keep", "keep", "drop", "drop", "keep", NULL };

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "keep", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "drop", MAIKO_OVERFLOW_POLICY_DROP, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (receiver), 2);
  receiver->keep_envelopes = TRUE;
  receiver->gate_in_start = TRUE;
  test_actor_close_gate (receiver);
  sender->step = test_send_labels_step;
  sender->data = labels;
  g_assert_true (maiko_supervisor_add_actor (sup, "receiver", MAIKO_ACTOR (receiver), topics, NULL));
  test_add (sup, "sender", sender, "nothing");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (receiver));
  g_assert_true (wait_dropped (sup, 2));
  test_actor_open_gate (receiver);
  g_assert_true (test_actor_wait_handled (receiver, 3));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (receiver->received->len, ==, 3);
  g_assert_cmpint (test_envelope_int (g_ptr_array_index (receiver->received, 0)), ==, 0);
  g_assert_cmpint (test_envelope_int (g_ptr_array_index (receiver->received, 1)), ==, 1);
  g_assert_cmpint (test_envelope_int (g_ptr_array_index (receiver->received, 2)), ==, 4);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 2);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/overflow/block", test_block);
  g_test_add_func ("/overflow/drop", test_drop);
  g_test_add_func ("/overflow/fail", test_fail);
  g_test_add_func ("/overflow/block-isolation", test_block_isolation);
  g_test_add_func ("/overflow/is-sender-full", test_is_sender_full);
  g_test_add_func ("/overflow/block-on-self", test_block_on_self);
  g_test_add_func ("/overflow/policy-per-event", test_policy_per_event);

  return g_test_run ();
}
