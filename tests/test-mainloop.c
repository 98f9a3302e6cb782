/* test-mainloop.c: actors bound to the caller's context, and the _async forms
 *
 * SPDX-License-Identifier: MIT
 */

#include <gio/gio.h>

#include "test-util.h"

typedef struct
{
  GMainContext    *context;
  MaikoSupervisor *sup;
  GThread         *test_thread;
  GPtrArray       *results;      /* GError* or NULL per completed call, in order */
  gboolean         stop_result;
  gboolean         stopped;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->sup = maiko_supervisor_new ();
  f->test_thread = g_thread_self ();
  f->results = g_ptr_array_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < f->results->len; i++)
    if (g_ptr_array_index (f->results, i) != NULL)
      g_error_free (g_ptr_array_index (f->results, i));
  g_ptr_array_unref (f->results);
  g_clear_object (&f->sup);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static void
add (Fixture    *f,
     const char *name,
     TestActor  *actor,
     const char *topic)
{
  const char *topics[] = { topic, NULL };

  g_assert_true (maiko_supervisor_add_actor (f->sup, name, MAIKO_ACTOR (actor), topics, NULL));
}

static gboolean
record_thread (TestActor      *self,
               MaikoEnvelope  *envelope,
               GError        **error)
{
  Fixture *f = self->data;

  g_assert_true (g_thread_self () == f->test_thread);
  g_assert_true (g_main_context_get_thread_default () == f->context);
  return TRUE;
}

typedef struct
{
  TestActor *actor;
  guint      n;
} HandledAtLeast;

static gboolean
handled_at_least (gpointer data)
{
  HandledAtLeast *wait = data;

  return test_actor_get_handled (wait->actor) >= wait->n;
}

static gboolean
stop_from_callback (gpointer data)
{
  Fixture *f = data;

  f->stop_result = maiko_supervisor_stop (f->sup, NULL);
  f->stopped = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_stopped (gpointer data)
{
  return ((Fixture *) data)->stopped;
}

/* An actor bound to the test's context handles events from a threaded
 * producer, on the test's thread; stop called from a callback of that
 * context finishes. */
static void
test_bound_actor (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TestActor) consumer = test_actor_new_bound (f->context);
  g_autoptr(TestActor) producer = test_producer_new ("N", 2000, 50);
  HandledAtLeast wait = { consumer, 2000 };
  GSource *idle;

  consumer->handle = record_thread;
  consumer->data = f;
  g_assert_true (maiko_supervisor_set_topic_policy (f->sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  add (f, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  add (f, "producer", producer, NULL);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));
  g_assert_true (test_iterate_until (f->context, handled_at_least, &wait));

  idle = g_idle_source_new ();
  g_source_set_callback (idle, stop_from_callback, f, NULL);
  g_source_attach (idle, f->context);
  g_source_unref (idle);
  g_assert_true (test_iterate_until (f->context, is_stopped, f));

  g_assert_true (f->stop_result);
  g_assert_cmpuint (consumer->n_handled, ==, 2000);
  g_assert_cmpuint (consumer->n_shutdowns, ==, 1);
  g_assert_cmpstr (consumer->log->str + consumer->log->len - 1, ==, "D");
}

/* A plain stop() from the thread whose context runs bound actors iterates
 * that context: the bound actor drains and shuts down. */
static void
test_stop_drives_context (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TestActor) consumer = test_actor_new_bound (f->context);

  add (f, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("N", i);
      g_assert_true (maiko_supervisor_send (f->sup, event, NULL));
    }
  /* Nothing ran yet: nobody iterated the context. */
  g_assert_cmpuint (consumer->n_started, ==, 0);
  g_assert_true (maiko_supervisor_stop (f->sup, NULL));

  g_assert_cmpstr (consumer->log->str, ==, "SEEEEEEEEEEEEEEEEEEEED");
}

static void
collect_result (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Fixture *f = data;
  GError *error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, maiko_supervisor_send_async))
    ok = maiko_supervisor_send_finish (MAIKO_SUPERVISOR (source), result, &error);
  else if (g_async_result_is_tagged (result, maiko_supervisor_join_async))
    ok = maiko_supervisor_join_finish (MAIKO_SUPERVISOR (source), result, &error);
  else
    ok = maiko_supervisor_stop_finish (MAIKO_SUPERVISOR (source), result, &error);
  g_assert_true (ok == (error == NULL));
  g_assert_true (g_thread_self () == f->test_thread);
  g_ptr_array_add (f->results, error);
}

typedef struct
{
  Fixture *f;
  guint    n;
} ResultsAtLeast;

static gboolean
has_results (gpointer data)
{
  ResultsAtLeast *wait = data;

  return wait->f->results->len >= wait->n;
}

static void
iterate_until_results (Fixture *f,
                       guint    n)
{
  ResultsAtLeast wait = { f, n };

  g_assert_true (test_iterate_until (f->context, has_results, &wait));
}

/* send_async completes on the caller's loop, in call order, and the
 * events arrive in that order. */
static void
test_send_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TestActor) consumer = test_actor_new_bound (f->context);
  HandledAtLeast wait = { consumer, 10 };

  consumer->keep_envelopes = TRUE;
  add (f, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("N", i);
      maiko_supervisor_send_async (f->sup, event, NULL, collect_result, f);
    }
  iterate_until_results (f, 10);
  g_assert_true (test_iterate_until (f->context, handled_at_least, &wait));
  g_assert_true (maiko_supervisor_stop (f->sup, NULL));

  for (guint i = 0; i < 10; i++)
    {
      g_assert_null (g_ptr_array_index (f->results, i));
      g_assert_cmpint (test_envelope_int (g_ptr_array_index (consumer->received, i)), ==, i);
    }
}

/* A send_async waiting for room under BLOCK gives up when cancelled. */
static void
test_send_async_cancelled (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MaikoEvent) event = test_event_int ("N", 0);

  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 1);
  test_actor_close_gate (stuck);
  g_assert_true (maiko_supervisor_set_topic_policy (f->sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  add (f, "stuck", stuck, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));
  g_assert_true (maiko_supervisor_send (f->sup, event, NULL));
  g_assert_true (test_actor_wait_at_gate (stuck));
  g_assert_true (maiko_supervisor_send (f->sup, event, NULL));   /* fills the mailbox */

  maiko_supervisor_send_async (f->sup, event, cancellable, collect_result, f);
  g_cancellable_cancel (cancellable);
  iterate_until_results (f, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->results, 0), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (f->sup), ==, 1);

  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_stop (f->sup, NULL));
  g_assert_cmpuint (stuck->n_handled, ==, 2);
}

/* join_async: cancelling gives up the wait only; a later join_async
 * completes when an actor stops the runtime. */
static void
test_join_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TestActor) stopper = test_actor_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Stop", NULL);

  stopper->handle = test_stop_runtime_on_event;
  add (f, "stopper", stopper, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));

  maiko_supervisor_join_async (f->sup, cancellable, collect_result, f);
  g_cancellable_cancel (cancellable);
  iterate_until_results (f, 1);
  g_assert_error ((GError *) g_ptr_array_index (f->results, 0), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (maiko_supervisor_is_running (f->sup));

  maiko_supervisor_join_async (f->sup, NULL, collect_result, f);
  g_assert_true (maiko_supervisor_send (f->sup, event, NULL));
  iterate_until_results (f, 2);
  g_assert_null (g_ptr_array_index (f->results, 1));
  g_assert_false (maiko_supervisor_is_running (f->sup));
  g_assert_cmpuint (stopper->n_shutdowns, ==, 1);
}

/* stop_async completes while the caller's loop runs the bound actors' end. */
static void
test_stop_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TestActor) bound = test_actor_new_bound (f->context);
  g_autoptr(TestActor) threaded = test_actor_new ();

  add (f, "bound", bound, MAIKO_DEFAULT_TOPIC);
  add (f, "threaded", threaded, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (f->sup, NULL));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("N", i);
      g_assert_true (maiko_supervisor_send (f->sup, event, NULL));
    }
  maiko_supervisor_stop_async (f->sup, NULL, collect_result, f);
  iterate_until_results (f, 1);

  g_assert_null (g_ptr_array_index (f->results, 0));
  g_assert_cmpstr (bound->log->str, ==, "SEEEEED");
  g_assert_cmpstr (threaded->log->str, ==, "SEEEEED");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mainloop/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("bound-actor", test_bound_actor);
  ADD ("stop-drives-context", test_stop_drives_context);
  ADD ("send-async", test_send_async);
  ADD ("send-async-cancelled", test_send_async_cancelled);
  ADD ("join-async", test_join_async);
  ADD ("stop-async", test_stop_async);
#undef ADD

  return g_test_run ();
}
