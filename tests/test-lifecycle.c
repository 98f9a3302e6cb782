/* test-lifecycle.c: start, shutdown, errors, join, run, graceful stop
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>
#include <gio/gio.h>

#include "test-util.h"

static void
send_label (MaikoSupervisor *sup,
            const char      *label)
{
  g_autoptr(MaikoEvent) event = maiko_event_new (label, NULL);

  g_assert_true (maiko_supervisor_send (sup, event, NULL));
}

static gboolean
label_is (MaikoEnvelope *envelope,
          const char    *label)
{
  return g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), label);
}

/* on_start runs at start, before any event; events that arrive before it
 * ran are kept and handled after it. */
static void
test_start_before_events (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->gate_in_start = TRUE;
  test_actor_close_gate (actor);
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (actor));
  send_label (sup, "Early1");
  send_label (sup, "Early2");
  test_actor_open_gate (actor);
  g_assert_true (test_actor_wait_handled (actor, 2));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpstr (actor->log->str, ==, "SEED");
}

/* The four ways an actor ends each run on_shutdown exactly once. */
static gboolean
end_on_request (TestActor      *self,
                MaikoEnvelope  *envelope,
                GError        **error)
{
  if (label_is (envelope, "Stop"))
    maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  if (label_is (envelope, "Fail"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "asked to fail");
      return FALSE;
    }
  if (label_is (envelope, "FailSilently"))
    return FALSE;

  return TRUE;
}

static void
test_shutdown_once (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) by_stop = test_actor_new ();
  g_autoptr(TestActor) by_context = test_actor_new ();
  g_autoptr(TestActor) by_error = test_actor_new ();
  g_autoptr(TestActor) by_silent_error = test_actor_new ();
  g_autoptr(TestActor) by_overflow = test_actor_new ();
  TestActor *all[] = { by_stop, by_context, by_error, by_silent_error, by_overflow };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    all[i]->handle = end_on_request;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (by_overflow), 1);
  test_actor_close_gate (by_overflow);
  test_add (sup, "by-stop", by_stop, "Nothing");
  test_add (sup, "by-context", by_context, "Stop");
  test_add (sup, "by-error", by_error, "Fail");
  test_add (sup, "by-silent-error", by_silent_error, "FailSilently");
  test_add (sup, "by-overflow", by_overflow, "Flood");
  g_assert_true (maiko_supervisor_start (sup, NULL));

  send_label (sup, "Stop");
  send_label (sup, "Fail");
  send_label (sup, "FailSilently");
  send_label (sup, "Flood");
  g_assert_true (test_actor_wait_at_gate (by_overflow));
  send_label (sup, "Flood");
  send_label (sup, "Flood");   /* overflows under FAIL */
  test_actor_open_gate (by_overflow);

  g_assert_true (test_actor_wait_shutdown (by_context));
  g_assert_true (test_actor_wait_shutdown (by_error));
  g_assert_true (test_actor_wait_shutdown (by_silent_error));
  g_assert_true (test_actor_wait_shutdown (by_overflow));
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (by_stop)));
  /* More events after the end are refused by closed mailboxes. */
  send_label (sup, "Stop");
  /* stop reports one of the two failures, whichever came first. */
  g_assert_false (maiko_supervisor_stop (sup, &error));
  g_assert_true (g_str_equal (error->message, "asked to fail") ||
                 strstr (error->message, "by-silent-error") != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpuint (all[i]->n_shutdowns, ==, 1);
      g_assert_false (maiko_actor_is_running (MAIKO_ACTOR (all[i])));
    }
  g_assert_cmpuint (by_error->n_errors, ==, 1);
  g_assert_cmpstr (by_error->last_error, ==, "asked to fail");
  g_assert_cmpuint (by_silent_error->n_errors, ==, 1);
  g_assert_true (strstr (by_silent_error->last_error, "by-silent-error") != NULL);
  g_assert_cmpstr (by_context->log->str, ==, "SED");
  g_assert_cmpstr (by_overflow->log->str, ==, "SED");
  /* The first failure was reported once: a second stop has none. */
  g_clear_error (&error);
  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

/* on_error returning TRUE swallows the error: the actor goes on. */
static void
test_error_swallowed (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->handle = end_on_request;
  actor->swallow_errors = TRUE;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "actor", actor, MAIKO_TOPIC_ALL);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_label (sup, "Fail");
  send_label (sup, "Fine");
  send_label (sup, "Fail");
  send_label (sup, "Fine");
  g_assert_true (test_actor_wait_handled (actor, 4));
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (actor)));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (actor->n_errors, ==, 2);
  g_assert_cmpstr (actor->log->str, ==, "SEXEEXED");
}

/* stop_runtime from a handler makes join return and stops every actor. */
static void
test_join_on_stop_runtime (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) stopper = test_actor_new ();
  g_autoptr(TestActor) other = test_actor_new ();
  g_autoptr(GError) error = NULL;
  guint threads_before = test_count_threads ();

  stopper->handle = test_stop_runtime_on_event;
  test_add (sup, "stopper", stopper, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "other", other, NULL);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_cmpuint (test_count_threads (), ==, threads_before + 2);
  send_label (sup, "Go");
  g_assert_true (maiko_supervisor_join (sup, &error));
  g_assert_no_error (error);

  g_assert_false (maiko_supervisor_is_running (sup));
  g_assert_cmpuint (stopper->n_shutdowns, ==, 1);
  g_assert_cmpuint (other->n_shutdowns, ==, 1);
  /* No thread is left behind. */
  g_assert_cmpuint (test_wait_thread_count (threads_before), ==, threads_before);
}

static gboolean
stop_self_on_event (TestActor      *self,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

/* ctx.stop stops one actor; join returns once every actor has stopped. */
static void
test_join_when_all_stopped (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) first = test_actor_new ();
  g_autoptr(TestActor) second = test_actor_new ();

  first->handle = second->handle = stop_self_on_event;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "first", first, "One");
  test_add (sup, "second", second, "Two");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_label (sup, "One");
  g_assert_true (test_actor_wait_shutdown (first));
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (second)));
  g_assert_true (maiko_supervisor_is_running (sup));
  send_label (sup, "Two");
  g_assert_true (maiko_supervisor_join (sup, NULL));

  g_assert_cmpuint (first->n_shutdowns, ==, 1);
  g_assert_cmpuint (second->n_shutdowns, ==, 1);
}

/* An actor ending with an error makes join stop the others and return
 * that error. */
static void
test_join_returns_actor_error (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) failing = test_actor_new ();
  g_autoptr(TestActor) bystander = test_actor_new ();
  g_autoptr(GError) error = NULL;

  failing->handle = end_on_request;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "failing", failing, "Fail");
  test_add (sup, "bystander", bystander, "Other");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_label (sup, "Fail");
  g_assert_false (maiko_supervisor_join (sup, &error));

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "asked to fail");
  g_assert_cmpuint (bystander->n_shutdowns, ==, 1);
  g_assert_false (maiko_supervisor_is_running (sup));
}

static void
stop_runtime_on_start (TestActor *self)
{
  maiko_context_stop_runtime (maiko_actor_get_context (MAIKO_ACTOR (self)));
}

/* run = start + join. */
static void
test_run (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->start_hook = stop_runtime_on_start;
  test_add (sup, "actor", actor, NULL);
  g_assert_true (maiko_supervisor_run (sup, NULL));
  g_assert_cmpstr (actor->log->str, ==, "SD");
}

/* Every event accepted before stop was called is handled when it returns. */
static void
test_graceful_stop_drains (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) slow = test_actor_new ();
  g_autoptr(MaikoEvent) late = maiko_event_new ("Late", NULL);
  g_autoptr(GError) error = NULL;

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (slow), 1000);
  slow->handle_delay_us = 20;
  test_add (sup, "slow", slow, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 1000; i++)
    send_label (sup, "N");
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (slow->n_handled, ==, 1000);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);

  /* Sends after stop are refused with MAIKO_ERROR_STOPPED. */
  g_assert_false (maiko_supervisor_send (sup, late, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
}

static gboolean
reply_twice (TestActor      *self,
             MaikoEnvelope  *envelope,
             GError        **error)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));
  const char *reply = self->data;
  guint *accepted = &self->produced;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MaikoEvent) event = maiko_event_new (reply, NULL);
      g_autoptr(GError) local_error = NULL;

      /* Refused once the runtime stops; anything else is a bug. */
      if (maiko_context_send (context, event, &local_error))
        (*accepted)++;
      else
        g_assert_error (local_error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
    }

  return TRUE;
}

static gboolean
handled_one (TestActor *self,
             gpointer   data)
{
  return self->n_handled >= 1;
}

/* Two actors that answer each event with two events to the other, with
 * mailboxes of one under BLOCK, soon block on each other; stop still ends
 * them, and every event accepted was either handled or counted as
 * undelivered. */
static void
test_stop_breaks_block_cycle (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) ping = test_actor_new ();
  g_autoptr(TestActor) pong = test_actor_new ();
  guint threads_before = test_count_threads ();

  ping->handle = pong->handle = reply_twice;
  ping->data = "Pong";
  pong->data = "Ping";
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (ping), 1);
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (pong), 1);
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Ping", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Pong", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  test_add (sup, "ping", ping, "Ping");
  test_add (sup, "pong", pong, "Pong");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_label (sup, "Ping");
  /* The traffic doubles at every hop: they soon wait on each other. */
  g_assert_true (test_actor_wait (ping, handled_one, NULL));
  g_assert_true (test_actor_wait (pong, handled_one, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (ping->n_shutdowns, ==, 1);
  g_assert_cmpuint (pong->n_shutdowns, ==, 1);
  g_assert_cmpuint (1 + ping->produced + pong->produced, ==,
                    ping->n_handled + pong->n_handled + maiko_supervisor_get_undelivered_count (sup));
  g_assert_cmpuint (test_wait_thread_count (threads_before), ==, threads_before);
}

typedef struct
{
  MaikoSupervisor *sup;
  gboolean         ok;
} StopThread;

static gpointer
stop_in_thread (gpointer data)
{
  StopThread *stop = data;

  stop->ok = maiko_supervisor_stop (stop->sup, NULL);
  return NULL;
}

/* stop from two threads at once: both return once everything stopped. */
static void
test_concurrent_stop (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  StopThread stops[2] = { { sup, FALSE }, { sup, FALSE } };
  GThread *threads[2];

  actor->handle_delay_us = 100;
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (actor), 500);
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 500; i++)
    send_label (sup, "N");
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("stop", stop_in_thread, &stops[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (stops[i].ok);
    }
  g_assert_cmpuint (actor->n_handled, ==, 500);
  g_assert_cmpuint (actor->n_shutdowns, ==, 1);
  /* Stopping again does nothing. */
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

/* An actor added while running starts at once and receives events. */
static void
test_add_while_running (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) first = test_actor_new ();
  g_autoptr(TestActor) late = test_actor_new ();

  test_add (sup, "first", first, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_label (sup, "One");
  test_add (sup, "late", late, MAIKO_DEFAULT_TOPIC);
  send_label (sup, "Two");
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (first->n_handled, ==, 2);
  g_assert_cmpuint (late->n_handled, ==, 1);
  g_assert_cmpstr (late->log->str, ==, "SED");
}

/* Sent before start, by the supervisor and through a harness: the events
 * wait, and are routed at start, in order, under the policies then in
 * force, after each actor's on_start (as in maiko). A mailbox of 1 under
 * BLOCK takes them all; at most broker-capacity wait. */
static void
test_send_before_start (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "broker-capacity", 5, NULL);
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(MaikoEventQuery) outside = NULL;
  g_autoptr(GError) error = NULL;

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (actor), 1);
  actor->keep_envelopes = TRUE;
  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  harness = maiko_harness_new (sup);
  for (gint64 i = 0; i < 5; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("Early", i);
      g_autofree char *id = NULL;

      if (i % 2 == 0)
        g_assert_true (maiko_supervisor_send (sup, event, &error));
      else
        g_assert_nonnull (id = maiko_harness_send_as (harness, "outside", event, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(MaikoEvent) event = test_event_int ("Early", 5);

    g_assert_false (maiko_supervisor_send (sup, event, &error));
    g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_MAILBOX_FULL);
  }
  /* Set after the sends, before start: it applies. */
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (actor, 5));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpstr (actor->log->str, ==, "SEEEEED");
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (test_envelope_int (g_ptr_array_index (actor->received, i)), ==, i);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
  events = maiko_harness_events (harness);
  g_assert_cmpuint (maiko_event_query_count (events), ==, 5);
  outside = maiko_event_query_sent_by (events, "outside");
  g_assert_cmpuint (maiko_event_query_count (outside), ==, 2);
}

/* A goodbye accepted before the stop is handled (issue 16): the sender
 * sends Bye and, in the same callback, ends the run or itself; the
 * listener must handle it, every time. */

#define GOODBYE_ROUNDS 1000

typedef enum
{
  BYE_THEN_STOP_RUNTIME,
  BYE_THEN_STOP_SELF,
} ByeThen;

static gboolean
send_bye (TestActor      *self,
          MaikoEnvelope  *envelope,
          GError        **error)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));
  g_autoptr(MaikoEvent) bye = maiko_event_new ("Bye", NULL);

  if (!maiko_context_send (context, bye, error))
    return FALSE;
  if (GPOINTER_TO_INT (self->data) == BYE_THEN_STOP_RUNTIME)
    maiko_context_stop_runtime (context);
  else
    maiko_context_stop (context);
  return TRUE;
}

static void
check_goodbye (ByeThen then)
{
  for (guint round = 0; round < GOODBYE_ROUNDS; round++)
    {
      g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
      g_autoptr(TestActor) sender = test_actor_new ();
      g_autoptr(TestActor) listener = test_actor_new ();
      g_autoptr(MaikoEvent) go = maiko_event_new ("Go", NULL);

      sender->handle = send_bye;
      sender->data = GINT_TO_POINTER (then);
      g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
      test_add (sup, "sender", sender, "Go");
      test_add (sup, "listener", listener, "Bye");
      g_assert_true (maiko_supervisor_start (sup, NULL));
      g_assert_true (maiko_supervisor_send (sup, go, NULL));
      if (then == BYE_THEN_STOP_RUNTIME)
        g_assert_true (maiko_supervisor_join (sup, NULL));
      else
        g_assert_true (test_actor_wait_handled (listener, 1));
      g_assert_true (maiko_supervisor_stop (sup, NULL));

      g_assert_cmpuint (listener->n_handled, ==, 1);
      g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
    }
}

static void
test_goodbye_then_stop_runtime (void)
{
  check_goodbye (BYE_THEN_STOP_RUNTIME);
}

static void
test_goodbye_then_stop_self (void)
{
  check_goodbye (BYE_THEN_STOP_SELF);
}

typedef struct
{
  MaikoSupervisor *sup;
  GMutex           mutex;
  GCond            cond;
  gboolean         sent;
} SentFlag;

static gpointer
send_bye_and_tell (gpointer data)
{
  SentFlag *flag = data;
  g_autoptr(MaikoEvent) bye = maiko_event_new ("Bye", NULL);

  g_assert_true (maiko_supervisor_send (flag->sup, bye, NULL));
  g_mutex_lock (&flag->mutex);
  flag->sent = TRUE;
  g_cond_signal (&flag->cond);
  g_mutex_unlock (&flag->mutex);
  return NULL;
}

/* A thread sends; the main thread stops the runtime as soon as the send
 * returned. */
static void
test_goodbye_then_stop_from_another_thread (void)
{
  for (guint round = 0; round < GOODBYE_ROUNDS; round++)
    {
      g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
      g_autoptr(TestActor) listener = test_actor_new ();
      SentFlag flag = { sup, };
      GThread *thread;

      g_mutex_init (&flag.mutex);
      g_cond_init (&flag.cond);
      g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
      test_add (sup, "listener", listener, "Bye");
      g_assert_true (maiko_supervisor_start (sup, NULL));
      thread = g_thread_new ("sender", send_bye_and_tell, &flag);
      g_mutex_lock (&flag.mutex);
      while (!flag.sent)
        g_cond_wait (&flag.cond, &flag.mutex);
      g_mutex_unlock (&flag.mutex);
      g_assert_true (maiko_supervisor_stop (sup, NULL));
      g_thread_join (thread);

      g_assert_cmpuint (listener->n_handled, ==, 1);
      g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
      g_mutex_clear (&flag.mutex);
      g_cond_clear (&flag.cond);
    }
}

/* Readiness: wait_ready returns once on_start has run, not before. */

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Actors whose on_start waits at a gate: wait_ready_async for all of them,
 * or for one, completes only once their gates open. */
static void
test_wait_ready (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) first = test_actor_new ();
  g_autoptr(TestActor) second = test_actor_new ();
  GAsyncResult *all = NULL, *one = NULL;
  GError *error = NULL;

  first->gate_in_start = second->gate_in_start = TRUE;
  test_actor_close_gate (first);
  test_actor_close_gate (second);
  test_add (sup, "first", first, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "second", second, MAIKO_DEFAULT_TOPIC);
  /* start() does not wait for on_start. */
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (first));
  g_assert_true (test_actor_wait_at_gate (second));

  maiko_supervisor_wait_ready_async (sup, NULL, NULL, keep_result, &all);
  maiko_supervisor_wait_ready_async (sup, "first", NULL, keep_result, &one);
  test_actor_open_gate (first);
  g_assert_true (test_iterate_until (NULL, has_result, &one));
  g_assert_true (maiko_supervisor_wait_ready_finish (sup, one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (test_actor_get_started (first), ==, 1);
  /* The other one still waits at its gate, so "all" cannot be ready. */
  g_assert_null (all);
  g_assert_cmpuint (test_actor_get_started (second), ==, 0);

  test_actor_open_gate (second);
  g_assert_true (test_iterate_until (NULL, has_result, &all));
  g_assert_true (maiko_supervisor_wait_ready_finish (sup, all, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (test_actor_get_started (second), ==, 1);
  /* Once ready, the blocking form returns at once. */
  g_assert_true (maiko_supervisor_wait_ready (sup, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_object_unref (one);
  g_object_unref (all);
}

/* An actor bound to this thread's default context: the blocking wait
 * iterates the context, so its on_start runs meanwhile. */
static void
test_wait_ready_bound (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new_bound (g_main_context_default ());
  GError *error = NULL;

  test_add (sup, "bound", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_cmpuint (test_actor_get_started (actor), ==, 0);
  g_assert_true (maiko_supervisor_wait_ready (sup, "bound", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (test_actor_get_started (actor), ==, 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

static void
fail_start (TestActor *self)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                                                 "port 8080 taken");

  maiko_context_fail (maiko_actor_get_context (MAIKO_ACTOR (self)), error);
}

/* An on_start failure that ends the actor is what wait_ready returns, with
 * the actor's name; one that on_error swallows leaves the actor ready. */
static void
test_wait_ready_failed (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) failing = test_actor_new ();
  g_autoptr(TestActor) forgiven = test_actor_new ();
  g_autoptr(TestActor) fine = test_actor_new ();
  GError *error = NULL;

  failing->start_hook = forgiven->start_hook = fail_start;
  forgiven->swallow_errors = TRUE;
  test_add (sup, "fine", fine, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "failing", failing, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "forgiven", forgiven, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  g_assert_true (maiko_supervisor_wait_ready (sup, "forgiven", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_wait_ready (sup, "fine", NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "failing" : NULL;

      g_assert_false (maiko_supervisor_wait_ready (sup, name, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
      g_assert_cmpstr (error->message, ==, "Actor “failing” failed to start: port 8080 taken");
      g_clear_error (&error);
    }
  test_stop_failed (sup, "port 8080 taken");
  g_assert_cmpuint (forgiven->n_errors, ==, 1);
}

static gboolean
wait_ready_inside (TestActor      *self,
                   MaikoEnvelope  *envelope,
                   GError        **error)
{
  MaikoSupervisor *sup = self->data;
  GError *local = NULL;

  g_assert_false (maiko_supervisor_wait_ready (sup, NULL, NULL, &local));
  g_assert_error (local, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpstr (local->message, ==,
                   "maiko_supervisor_wait_ready() would wait for actor “inside”, from which it "
                   "was called; an actor that others wait for can send an event when it is ready");
  g_error_free (local);
  return TRUE;
}

/* Refused: before start, an unknown name, from inside an actor; a
 * cancelled wait gives up. */
static void
test_wait_ready_refused (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) inside = test_actor_new ();
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  g_assert_false (maiko_supervisor_wait_ready (sup, NULL, NULL, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);

  inside->handle = wait_ready_inside;
  inside->data = sup;
  stuck->gate_in_start = TRUE;
  test_actor_close_gate (stuck);
  test_add (sup, "inside", inside, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "stuck", stuck, NULL);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  g_assert_false (maiko_supervisor_wait_ready (sup, "nobody", NULL, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The supervisor has no actor named “nobody”");
  g_clear_error (&error);

  send_label (sup, "Wait");
  g_assert_true (test_actor_wait_handled (inside, 1));

  g_cancellable_cancel (cancellable);
  g_assert_false (maiko_supervisor_wait_ready (sup, "stuck", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle/start-before-events", test_start_before_events);
  g_test_add_func ("/lifecycle/shutdown-once", test_shutdown_once);
  g_test_add_func ("/lifecycle/error-swallowed", test_error_swallowed);
  g_test_add_func ("/lifecycle/join-on-stop-runtime", test_join_on_stop_runtime);
  g_test_add_func ("/lifecycle/join-when-all-stopped", test_join_when_all_stopped);
  g_test_add_func ("/lifecycle/join-returns-actor-error", test_join_returns_actor_error);
  g_test_add_func ("/lifecycle/run", test_run);
  g_test_add_func ("/lifecycle/graceful-stop-drains", test_graceful_stop_drains);
  g_test_add_func ("/lifecycle/stop-breaks-block-cycle", test_stop_breaks_block_cycle);
  g_test_add_func ("/lifecycle/concurrent-stop", test_concurrent_stop);
  g_test_add_func ("/lifecycle/add-while-running", test_add_while_running);

  g_test_add_func ("/lifecycle/send-before-start", test_send_before_start);
  g_test_add_func ("/lifecycle/goodbye/stop-runtime", test_goodbye_then_stop_runtime);
  g_test_add_func ("/lifecycle/goodbye/stop-self", test_goodbye_then_stop_self);
  g_test_add_func ("/lifecycle/goodbye/stop-from-another-thread",
                   test_goodbye_then_stop_from_another_thread);
  g_test_add_func ("/lifecycle/wait-ready/all-and-one", test_wait_ready);
  g_test_add_func ("/lifecycle/wait-ready/bound", test_wait_ready_bound);
  g_test_add_func ("/lifecycle/wait-ready/failed", test_wait_ready_failed);
  g_test_add_func ("/lifecycle/wait-ready/refused", test_wait_ready_refused);

  return g_test_run ();
}
