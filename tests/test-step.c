/* test-step.c: step actions and max-events-per-tick
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

/* Counts the events (E) between consecutive steps (T) in a log, and after
 * the last step. */
static char *
event_runs (const char *log)
{
  GString *runs = g_string_new (NULL);
  guint run = 0;

  for (const char *p = log; *p; p++)
    {
      if (*p == 'E')
        run++;
      else if (*p == 'T' && run > 0)
        {
          g_string_append_printf (runs, "%s%u", runs->len ? "," : "", run);
          run = 0;
        }
    }
  if (run > 0)
    g_string_append_printf (runs, "%s%u", runs->len ? "," : "", run);

  return g_string_free (runs, FALSE);
}

static MaikoStepAction
continue_until_ten_handled (TestActor *self)
{
  return self->n_handled < 10 ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_NEVER;
}

/* With events already waiting when the actor starts and a step that always
 * continues, each dispatch handles exactly max-events-per-tick events and
 * the step runs between dispatches. */
static void
test_max_events_per_tick (gconstpointer data)
{
  guint per_tick = GPOINTER_TO_UINT (data);
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autofree char *log = NULL, *runs = NULL;
  const char *expected = per_tick == 1 ? "1,1,1,1,1,1,1,1,1,1" : "3,3,3,1";

  maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (actor), per_tick);
  actor->step = continue_until_ten_handled;
  actor->gate_in_start = TRUE;
  test_actor_close_gate (actor);
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (actor));
  test_send_n (sup, "N", 10);
  test_actor_open_gate (actor);
  g_assert_true (test_actor_wait_handled (actor, 10));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  log = test_actor_dup_log (actor);
  runs = event_runs (log);
  g_assert_cmpstr (runs, ==, expected);
  g_assert_true (g_str_has_prefix (log, "S"));
  /* The step after the last batch may come after the stop began. */
  g_assert_true (g_str_has_suffix (log, "D"));
}

/* CONTINUE keeps stepping while events sent meanwhile are still handled. */
static void
test_continue (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autofree char *log = NULL, *runs = NULL;

  maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (actor), 1);
  actor->step = continue_until_ten_handled;
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 10);
  g_assert_true (test_actor_wait_handled (actor, 10));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  log = test_actor_dup_log (actor);
  /* A step between every two events: the step's last call may come after
   * the stop began, when steps no longer run. */
  g_assert_null (strstr (log, "EE"));
  g_assert_cmpuint (actor->n_handled, ==, 10);
  g_assert_cmpuint (actor->n_steps, >=, actor->n_handled - 1);
}

typedef struct
{
  gint idles;
  gint idles_at_step_end;
} IdleCount;

static gboolean
count_idle (gpointer data)
{
  g_atomic_int_inc (&((IdleCount *) data)->idles);
  return G_SOURCE_CONTINUE;
}

static void
add_idle_counter (TestActor *self)
{
  /* On the actor's thread: its context is the thread-default one. */
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, count_idle, self->data, NULL);
  g_source_attach (idle, g_main_context_get_thread_default ());
  g_source_unref (idle);
}

static MaikoStepAction
twenty_steps (TestActor *self, MaikoStepAction action)
{
  IdleCount *count = self->data;

  if (self->n_steps + 1 < 20)
    return action;
  count->idles_at_step_end = g_atomic_int_get (&count->idles);
  return MAIKO_STEP_ACTION_NEVER;
}

static MaikoStepAction
yield_twenty (TestActor *self)
{
  return twenty_steps (self, MAIKO_STEP_ACTION_YIELD);
}

static MaikoStepAction
continue_twenty (TestActor *self)
{
  return twenty_steps (self, MAIKO_STEP_ACTION_CONTINUE);
}

static gboolean
has_twenty_steps (TestActor *self,
                  gpointer   data)
{
  return self->n_steps >= 20;
}

/* YIELD lets the context's idle-priority sources run between steps;
 * CONTINUE does not. */
static void
test_yield (gconstpointer data)
{
  gboolean yield = GPOINTER_TO_INT (data);
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  IdleCount count = { 0, 0 };

  actor->data = &count;
  actor->start_hook = add_idle_counter;
  actor->step = yield ? yield_twenty : continue_twenty;
  test_add (sup, "actor", actor, NULL);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait (actor, has_twenty_steps, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (actor->n_steps, ==, 20);
  if (yield)
    g_assert_cmpint (count.idles_at_step_end, >=, 19);
  else
    g_assert_cmpint (count.idles_at_step_end, ==, 0);
}

static MaikoStepAction
await_event (TestActor *self)
{
  return MAIKO_STEP_ACTION_AWAIT_EVENT;
}

static gboolean
has_steps (TestActor *self,
           gpointer   data)
{
  return self->n_steps >= GPOINTER_TO_UINT (data);
}

/* AWAIT_EVENT: one step after each batch of events, none without events. */
static void
test_await_event (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->step = await_event;
  actor->gate_in_start = TRUE;
  test_actor_close_gate (actor);
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (actor));
  /* Five events waiting at start: one batch, then the first step. */
  test_send_n (sup, "N", 5);
  test_actor_open_gate (actor);
  g_assert_true (test_actor_wait (actor, has_steps, GUINT_TO_POINTER (1)));

  for (guint i = 2; i <= 4; i++)
    {
      test_send_n (sup, "N", 1);
      g_assert_true (test_actor_wait (actor, has_steps, GUINT_TO_POINTER (i)));
    }
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (actor->n_handled, ==, 8);
  g_assert_cmpuint (actor->n_steps, ==, 4);
  g_assert_cmpstr (actor->log->str, ==, "SEEEEETETETETD");
}

/* AWAIT_EVENT with max-events-per-tick N: a step after every N events,
 * not every 2N (the next batch used to go before the step). */
static void
test_await_event_per_tick (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->step = await_event;
  actor->gate_in_start = TRUE;
  maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (actor), 1);
  test_actor_close_gate (actor);
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_at_gate (actor));
  test_send_n (sup, "N", 6);
  test_actor_open_gate (actor);
  g_assert_true (test_actor_wait (actor, has_steps, GUINT_TO_POINTER (6)));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpstr (actor->log->str, ==, "SETETETETETETD");
}

typedef struct
{
  gint64 times[4];
  guint  n;
} StepTimes;

static MaikoStepAction
backoff_30ms (TestActor *self)
{
  StepTimes *times = self->data;

  times->times[times->n++] = g_get_monotonic_time ();
  if (times->n == G_N_ELEMENTS (times->times))
    return MAIKO_STEP_ACTION_NEVER;
  maiko_context_set_backoff (maiko_actor_get_context (MAIKO_ACTOR (self)), 30);
  return MAIKO_STEP_ACTION_BACKOFF;
}

/* BACKOFF waits at least its duration; NEVER stops stepping for good. */
static void
test_backoff_then_never (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  StepTimes times = { { 0 }, 0 };

  actor->step = backoff_30ms;
  actor->data = &times;
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait (actor, has_steps, GUINT_TO_POINTER (4)));
  /* Events after NEVER do not bring the step back. */
  test_send_n (sup, "N", 5);
  g_assert_true (test_actor_wait_handled (actor, 5));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (actor->n_steps, ==, 4);
  for (guint i = 1; i < G_N_ELEMENTS (times.times); i++)
    g_assert_cmpint (times.times[i] - times.times[i - 1], >=, 30 * 1000);
}

static MaikoStepAction
never (TestActor *self)
{
  return MAIKO_STEP_ACTION_NEVER;
}

/* NEVER: one step, and events do not bring it back. */
static void
test_never (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();

  actor->step = never;
  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait (actor, has_steps, GUINT_TO_POINTER (1)));
  test_send_n (sup, "N", 3);
  g_assert_true (test_actor_wait_handled (actor, 3));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  /* Steps stop once the runtime stops: the count is exact. */
  g_assert_cmpuint (actor->n_steps, ==, 1);
  g_assert_cmpuint (actor->n_handled, ==, 3);
}

static gpointer
run_context_until_quit (gpointer data)
{
  GMainLoop *loop = data;

  g_main_context_push_thread_default (g_main_loop_get_context (loop));
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (g_main_loop_get_context (loop));
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Actors bound to a context that another thread already runs: on_start
 * may run the moment the actor is launched, and each still steps. */
static void
test_steps_on_running_context (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  GThread *runner = g_thread_new ("runner", run_context_until_quit, loop);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("actor-%u", i);
      TestActor *actor = test_actor_new_bound (context);

      actor->step = never;
      g_ptr_array_add (actors, actor);
      test_add (sup, name, actor, NULL);
    }
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < actors->len; i++)
    g_assert_true (test_actor_wait (g_ptr_array_index (actors, i), has_steps, GUINT_TO_POINTER (1)));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_main_context_invoke (context, quit_loop, loop);
  g_thread_join (runner);
  for (guint i = 0; i < actors->len; i++)
    g_assert_cmpuint (((TestActor *) g_ptr_array_index (actors, i))->n_steps, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/step/max-events-per-tick/1", GUINT_TO_POINTER (1), test_max_events_per_tick);
  g_test_add_data_func ("/step/max-events-per-tick/3", GUINT_TO_POINTER (3), test_max_events_per_tick);
  g_test_add_func ("/step/continue", test_continue);
  g_test_add_data_func ("/step/yield", GINT_TO_POINTER (TRUE), test_yield);
  g_test_add_data_func ("/step/continue-starves-idle", GINT_TO_POINTER (FALSE), test_yield);
  g_test_add_func ("/step/await-event", test_await_event);
  g_test_add_func ("/step/await-event-per-tick", test_await_event_per_tick);
  g_test_add_func ("/step/backoff-then-never", test_backoff_then_never);
  g_test_add_func ("/step/never", test_never);
  g_test_add_func ("/step/on-running-context", test_steps_on_running_context);

  return g_test_run ();
}
