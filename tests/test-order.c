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

#define N_ROUND_TRIPS 20000

typedef struct
{
  const char *reply_label;
  gint64      expected;
  guint       out_of_order;
} PingPong;

/* Answers event n with event n + 1 (the pinger) or n (the ponger); every
 * 500th event is handled slowly, so that the other side's spin runs out
 * and it sleeps, and the next hops find it asleep. */
static gboolean
answer (TestActor      *self,
        MaikoEnvelope  *envelope,
        GError        **error)
{
  PingPong *game = self->data;
  g_autoptr(MaikoEvent) reply = NULL;
  gint64 n = test_envelope_int (envelope);
  gboolean pinger = g_str_equal (game->reply_label, "ping");

  if (n != game->expected)
    game->out_of_order++;
  game->expected = n + 1;
  if (n % 500 == 499)
    g_usleep (200);
  if (pinger && n + 1 == N_ROUND_TRIPS)
    return TRUE;

  reply = test_event_int (game->reply_label, pinger ? n + 1 : n);
  return maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), reply, error);
}

/* Two actors on their own threads answer each other 20,000 times. Each
 * hop finds the receiver spinning or asleep: a wake-up lost between the
 * two would stop the game, and the bounded wait would fail. */
static void
test_pingpong_threaded (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) pinger = test_actor_new ();
  g_autoptr(TestActor) ponger = test_actor_new ();
  g_autoptr(MaikoEvent) first = test_event_int ("ping", 0);
  PingPong ping_side = { "ping", 0, 0 };
  PingPong pong_side = { "pong", 0, 0 };

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  pinger->handle = answer;
  pinger->data = &ping_side;
  ponger->handle = answer;
  ponger->data = &pong_side;
  test_add (sup, "pinger", pinger, "pong");
  test_add (sup, "ponger", ponger, "ping");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, first, NULL));
  g_assert_true (test_actor_wait_handled (pinger, N_ROUND_TRIPS));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (ponger->n_handled, ==, N_ROUND_TRIPS);
  g_assert_cmpuint (pinger->n_handled, ==, N_ROUND_TRIPS);
  g_assert_cmpuint (ping_side.out_of_order + pong_side.out_of_order, ==, 0);
  g_assert_cmpint (pong_side.expected, ==, N_ROUND_TRIPS);
  g_assert_cmpint (ping_side.expected, ==, N_ROUND_TRIPS);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order/two-producers", test_two_producers);
  g_test_add_func ("/order/pingpong-threaded", test_pingpong_threaded);

  return g_test_run ();
}
