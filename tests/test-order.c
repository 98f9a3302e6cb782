/* test-order.c: per-sender order under load
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

#define N_PER_PRODUCER 100000

typedef struct
{
  gint64 next[2];
  guint  out_of_order;
} OrderCheck;

static gboolean
check_order (TestActor      *self,
             MaikoEnvelope  *envelope,
             GError        **error)
{
  OrderCheck *check = self->data;
  guint producer = g_str_equal (maiko_envelope_get_sender (envelope), "p1");

  /* Runs on the consumer's thread only. */
  if (test_envelope_int (envelope) != check->next[producer])
    check->out_of_order++;
  check->next[producer] = test_envelope_int (envelope) + 1;

  return TRUE;
}

/* Two producers each send 100,000 numbered events to one consumer: each
 * producer's events arrive in order, none lost or doubled. */
static void
test_two_producers (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(TestActor) p0 = test_producer_new ("N", N_PER_PRODUCER, 64);
  g_autoptr(TestActor) p1 = test_producer_new ("N", N_PER_PRODUCER, 64);
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  OrderCheck check = { { 0, 0 }, 0 };

  consumer->handle = check_order;
  consumer->data = &check;
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "consumer", MAIKO_ACTOR (consumer), topics, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "p0", MAIKO_ACTOR (p0), NULL, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "p1", MAIKO_ACTOR (p1), NULL, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (consumer, 2 * N_PER_PRODUCER));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (consumer->n_handled, ==, 2 * N_PER_PRODUCER);
  g_assert_cmpuint (check.out_of_order, ==, 0);
  g_assert_cmpint (check.next[0], ==, N_PER_PRODUCER);
  g_assert_cmpint (check.next[1], ==, N_PER_PRODUCER);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order/two-producers", test_two_producers);

  return g_test_run ();
}
