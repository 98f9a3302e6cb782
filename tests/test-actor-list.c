/* test-actor-list.c: the live view, maiko_supervisor_get_actors()
 *
 * SPDX-License-Identifier: MIT
 *
 * Most cases drive the list with maiko_actor_list_refresh(), so that each
 * step's signals are exact; the throttling and lifetime cases run its
 * timer in the default main context, which the list uses here (the test
 * pushes no thread-default context).
 */

#include <gio/gio.h>

#include "test-util.h"

static void
add_with_topics (MaikoSupervisor    *sup,
                 const char         *name,
                 TestActor          *actor,
                 const char * const *topics)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_actor (sup, name, MAIKO_ACTOR (actor), topics, &error));
  g_assert_no_error (error);
}

/* Adds a fresh test actor that nobody else keeps. */
static void
add_new (MaikoSupervisor *sup,
         const char      *name,
         const char      *topic)
{
  g_autoptr(TestActor) actor = test_actor_new ();

  test_add (sup, name, actor, topic);
}

static void
remove_actor (MaikoSupervisor *sup,
              const char      *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_remove_actor (sup, name, &error));
  g_assert_no_error (error);
}

static MaikoActorInfo *
item (GListModel *list,
      guint       position)
{
  /* The list keeps its own reference: borrowed for the test's use. */
  g_autoptr(MaikoActorInfo) info = g_list_model_get_item (list, position);

  g_assert_nonnull (info);
  return info;
}

/* Checks the items' names, given as text: "a b c". */
static void
assert_names (GListModel *list,
              const char *expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_string_append_printf (text, "%s%s", i ? " " : "",
                            maiko_actor_info_get_name (item (list, i)));

  g_assert_cmpstr (text->str, ==, expected);
}

/* items-changed, as text: "position:removed:added" per signal. */
static void
log_change (GListModel *list,
            guint       position,
            guint       removed,
            guint       added,
            GString    *log)
{
  g_string_append_printf (log, "%s%u:%u:%u", log->len ? " " : "", position, removed, added);
}

/* Refreshes @list and checks the signals that made (as log_change()
 * writes them), then forgets them. */
static void
assert_refresh (GListModel *list,
                GString    *log,
                const char *expected)
{
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpstr (log->str, ==, expected);
  g_string_truncate (log, 0);
}

typedef struct
{
  GListModel      *list;
  guint            position;
  MaikoActorState  state;
} StateWait;

static gboolean
reaches_state (gpointer data)
{
  StateWait *wait = data;

  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (wait->list));
  return maiko_actor_info_get_state (item (wait->list, wait->position)) == wait->state;
}

static void
wait_state (GListModel      *list,
            guint            position,
            MaikoActorState  state)
{
  StateWait wait = { list, position, state };

  g_assert_true (test_poll_until (reaches_state, &wait));
}

typedef struct
{
  GListModel *list;
  guint       position;
  guint64     handled;
} HandledWait;

static gboolean
reaches_handled (gpointer data)
{
  HandledWait *wait = data;

  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (wait->list));
  return maiko_actor_info_get_handled_count (item (wait->list, wait->position)) >= wait->handled;
}

static void
wait_handled (GListModel *list,
              guint       position,
              guint64     handled)
{
  HandledWait wait = { list, position, handled };

  g_assert_true (test_poll_until (reaches_handled, &wait));
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, position)), ==, handled);
}

static void
assert_topics (MaikoActorInfo *info,
               const char     *expected)
{
  g_autofree char *joined = g_strjoinv (" ", (char **) maiko_actor_info_get_topics (info));
  g_auto(GStrv) from_property = NULL;

  g_assert_cmpstr (joined, ==, expected);
  g_object_get (info, "topics", &from_property, NULL);
  g_assert_true (g_strv_equal ((const char * const *) from_property,
                               maiko_actor_info_get_topics (info)));
}

/* Values */

/* A thread that runs a context, for actors bound to it. */
typedef struct
{
  GMainContext *context;
  gint          quit;      /* atomic */
  GThread      *thread;
} Runner;

static gpointer
run_context (gpointer data)
{
  Runner *runner = data;

  while (!g_atomic_int_get (&runner->quit))
    g_main_context_iteration (runner->context, TRUE);
  return NULL;
}

static void
runner_start (Runner       *runner,
              GMainContext *context)
{
  runner->context = context;
  runner->quit = FALSE;
  runner->thread = g_thread_new ("runner", run_context, runner);
}

static void
runner_stop (Runner *runner)
{
  g_atomic_int_set (&runner->quit, TRUE);
  g_main_context_wakeup (runner->context);
  g_thread_join (runner->thread);
}

/* Actors the runtime places on a worker pool say so; one bound to a
 * context of its own keeps that placement on the same supervisor. */
static void
test_pool_placement (void)
{
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (2);
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "worker-pool", pool, NULL);
  g_autoptr(TestActor) ui = test_actor_new_bound (g_main_context_default ());
  g_autoptr(GListModel) list = NULL;

  add_new (sup, "a", "Job");
  add_new (sup, "b", "Job");
  test_add (sup, "ui", ui, "Job");
  list = maiko_supervisor_get_actors (sup);
  assert_names (list, "a b ui");
  g_assert_cmpstr (maiko_actor_info_get_placement (item (list, 0)), ==, "pool worker");
  g_assert_cmpstr (maiko_actor_info_get_placement (item (list, 1)), ==, "pool worker");
  g_assert_cmpstr (maiko_actor_info_get_placement (item (list, 2)), ==, "main context");
}

/* Each property, for actors of every placement and kind of subscription,
 * before the start, while running, with a mailbox that fills, and after
 * the stop. */
static void
test_values (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(GMainContext) shared = g_main_context_new ();
  g_autoptr(TestActor) worker = test_actor_new ();
  g_autoptr(TestActor) all = test_actor_new ();
  g_autoptr(TestActor) ui = test_actor_new_bound (g_main_context_default ());
  g_autoptr(TestActor) waiting = test_actor_new_bound (shared);
  g_autoptr(GListModel) list = NULL;
  const char * const job[] = { "Job", NULL };
  const char * const every[] = { MAIKO_TOPIC_ALL, NULL };
  const char * const many[] = { "Job", "Other", NULL };
  MaikoActorInfo *info;
  guint64 handled;
  char *name = NULL;
  MaikoActorState state;
  guint capacity;
  Runner runner;

  /* Held in on_start until the end: it stays STARTING, its mailbox fills. */
  waiting->gate_in_start = TRUE;
  test_actor_close_gate (waiting);
  runner_start (&runner, shared);
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (worker), 16);
  add_with_topics (sup, "worker", worker, job);
  add_with_topics (sup, "all", all, every);
  add_with_topics (sup, "ui", ui, NULL);
  add_with_topics (sup, "waiting", waiting, many);

  list = maiko_supervisor_get_actors (sup);
  g_assert_true (MAIKO_IS_ACTOR_LIST (list));
  g_assert_true (g_list_model_get_item_type (list) == MAIKO_TYPE_ACTOR_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_assert_null (g_list_model_get_item (list, 4));
  assert_names (list, "worker all ui waiting");

  info = item (list, 0);
  g_object_get (info, "name", &name, "state", &state, "mailbox-capacity", &capacity,
                "handled-count", &handled, NULL);
  g_assert_cmpstr (name, ==, "worker");
  g_free (name);
  g_assert_cmpint (state, ==, MAIKO_ACTOR_STATE_ADDED);
  g_assert_cmpuint (capacity, ==, 16);
  g_assert_cmpuint (handled, ==, 0);
  g_assert_cmpuint (maiko_actor_info_get_mailbox_depth (info), ==, 0);
  g_assert_cmpuint (maiko_actor_info_get_restart_count (info), ==, 0);
  assert_topics (info, "Job");
  g_assert_cmpstr (maiko_actor_info_get_placement (info), ==, "thread");

  assert_topics (item (list, 1), MAIKO_TOPIC_ALL);
  g_assert_cmpuint (maiko_actor_info_get_mailbox_capacity (item (list, 1)), ==, 128);
  assert_topics (item (list, 2), "");
  g_assert_cmpstr (maiko_actor_info_get_placement (item (list, 2)), ==, "main context");
  assert_topics (item (list, 3), "Job Other");
  g_assert_cmpstr (maiko_actor_info_get_placement (item (list, 3)), ==, "context");

  g_assert_true (maiko_supervisor_start (sup, NULL));
  wait_state (list, 0, MAIKO_ACTOR_STATE_RUNNING);
  wait_state (list, 1, MAIKO_ACTOR_STATE_RUNNING);
  /* Bound to the default context, which runs here only now. */
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpint (maiko_actor_info_get_state (item (list, 2)), ==, MAIKO_ACTOR_STATE_STARTING);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_state (list, 2, MAIKO_ACTOR_STATE_RUNNING);
  g_assert_true (test_actor_wait_at_gate (waiting));
  g_assert_cmpint (maiko_actor_info_get_state (item (list, 3)), ==, MAIKO_ACTOR_STATE_STARTING);

  /* Five handled, then one held at the gate with three behind it. */
  for (gint64 i = 0; i < 5; i++)
    test_send_int (sup, "Job", i);
  wait_handled (list, 0, 5);
  wait_handled (list, 1, 5);
  test_actor_close_gate (worker);
  test_send_int (sup, "Job", 5);
  g_assert_true (test_actor_wait_at_gate (worker));
  for (gint64 i = 6; i < 9; i++)
    test_send_int (sup, "Job", i);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpuint (maiko_actor_info_get_mailbox_depth (item (list, 0)), ==, 3);
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, 0)), ==, 5);
  test_actor_open_gate (worker);
  wait_handled (list, 0, 9);
  g_assert_cmpuint (maiko_actor_info_get_mailbox_depth (item (list, 0)), ==, 0);
  /* The waiting actor's mailbox holds what it was sent. */
  g_assert_cmpuint (maiko_actor_info_get_mailbox_depth (item (list, 3)), ==, 9);
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, 3)), ==, 0);
  test_actor_open_gate (waiting);
  wait_handled (list, 3, 9);

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  runner_stop (&runner);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (maiko_actor_info_get_state (item (list, i)), ==, MAIKO_ACTOR_STATE_STOPPED);
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, 1)), ==, 9);
  g_assert_cmpuint (maiko_actor_info_get_mailbox_depth (item (list, 3)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
}

/* An actor that fails ends FAILED; one that stops itself ends STOPPED;
 * the others go on RUNNING. */
static gboolean
fail_or_quit (TestActor      *self,
              MaikoEnvelope  *envelope,
              GError        **error)
{
  const char *label = maiko_event_get_label (maiko_envelope_get_event (envelope));

  if (g_str_equal (label, "Boom"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
      return FALSE;
    }
  if (g_str_equal (label, "Quit"))
    maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

static void
test_ended_states (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) fragile = test_actor_new ();
  g_autoptr(TestActor) quitter = test_actor_new ();
  g_autoptr(TestActor) witness = test_actor_new ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;

  fragile->handle = quitter->handle = fail_or_quit;
  test_add (sup, "fragile", fragile, "Boom");
  test_add (sup, "quitter", quitter, "Quit");
  test_add (sup, "witness", witness, "Other");
  list = maiko_supervisor_get_actors (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  test_send_int (sup, "Boom", 0);
  test_send_int (sup, "Quit", 0);
  wait_state (list, 0, MAIKO_ACTOR_STATE_FAILED);
  wait_state (list, 1, MAIKO_ACTOR_STATE_STOPPED);
  wait_state (list, 2, MAIKO_ACTOR_STATE_RUNNING);
  /* The failed handling counts as handled. */
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, 0)), ==, 1);

  g_assert_false (maiko_supervisor_stop (sup, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpint (maiko_actor_info_get_state (item (list, 0)), ==, MAIKO_ACTOR_STATE_FAILED);
  g_assert_cmpint (maiko_actor_info_get_state (item (list, 2)), ==, MAIKO_ACTOR_STATE_STOPPED);
}

/* Signals */

/* Adds the actor named in a Spawn event, removes the one named in a Drop
 * event, from inside. */
static gboolean
spawn_or_drop (TestActor      *self,
               MaikoEnvelope  *envelope,
               GError        **error)
{
  MaikoContext *ctx = maiko_actor_get_context (MAIKO_ACTOR (self));
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  g_autofree char *name = g_strdup_printf ("child-%" G_GINT64_FORMAT, test_envelope_int (envelope));

  if (g_str_equal (maiko_event_get_label (event), "Spawn"))
    {
      g_autoptr(TestActor) child = test_actor_new ();

      return maiko_context_add_actor (ctx, name, MAIKO_ACTOR (child), NULL, error);
    }

  return maiko_context_remove_actor (ctx, name, error);
}

typedef struct
{
  GListModel *list;
  guint       n;
} CountWait;

static gboolean
reaches_count (gpointer data)
{
  CountWait *wait = data;

  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (wait->list));
  return g_list_model_get_n_items (wait->list) == wait->n;
}

/* Exact positions and counts of items-changed as actors are added before
 * and while running, removed one and several at a time, spawned and
 * removed from inside, and added again under a free name. */
static void
test_signals (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) coordinator = test_actor_new ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(MaikoActorInfo) kept = NULL;
  const char * const orders[] = { "Spawn", "Drop", NULL };
  CountWait wait;

  coordinator->handle = spawn_or_drop;
  add_with_topics (sup, "coordinator", coordinator, orders);
  add_new (sup, "a", "A");
  list = maiko_supervisor_get_actors (sup);
  g_signal_connect (list, "items-changed", G_CALLBACK (log_change), log);

  /* Before the start, added after the list was made. */
  add_new (sup, "b", "B");
  assert_refresh (list, log, "2:0:1");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  assert_refresh (list, log, "");

  add_new (sup, "c", "C");
  add_new (sup, "d", "D");
  assert_refresh (list, log, "3:0:2");
  assert_names (list, "coordinator a b c d");
  kept = g_list_model_get_item (list, 4);

  remove_actor (sup, "a");
  assert_refresh (list, log, "1:1:0");
  remove_actor (sup, "b");
  remove_actor (sup, "c");
  assert_refresh (list, log, "1:2:0");
  assert_names (list, "coordinator d");
  /* The item of an actor that stays is the same object. */
  g_assert_true (g_list_model_get_item (list, 1) == (gpointer) kept);
  g_object_unref (kept);

  /* From inside: two spawned, then the first removed. */
  test_send_int (sup, "Spawn", 1);
  test_send_int (sup, "Spawn", 2);
  wait = (CountWait) { list, 4 };
  g_assert_true (test_poll_until (reaches_count, &wait));
  assert_names (list, "coordinator d child-1 child-2");
  test_send_int (sup, "Drop", 1);
  wait = (CountWait) { list, 3 };
  g_assert_true (test_poll_until (reaches_count, &wait));
  assert_names (list, "coordinator d child-2");
  /* However the spawns fell between the looks: two additions, one removal. */
  g_assert_true (g_str_equal (log->str, "2:0:1 3:0:1 2:1:0") ||
                 g_str_equal (log->str, "2:0:2 2:1:0"));
  g_string_truncate (log, 0);

  /* Removed ones at both ends, one signal each; a name used again comes
   * at the end. */
  remove_actor (sup, "coordinator");
  remove_actor (sup, "child-2");
  assert_refresh (list, log, "0:1:0 1:1:0");
  add_new (sup, "a", "A");
  assert_refresh (list, log, "1:0:1");
  assert_names (list, "d a");

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  assert_refresh (list, log, "");
}

/* Restarts */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static gboolean
fail_on_boom (TestActor      *self,
              MaikoEnvelope  *envelope,
              GError        **error)
{
  if (g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "Boom"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
      return FALSE;
    }
  return TRUE;
}

static MaikoActor *
make_fragile (const char *name,
              gpointer    data)
{
  TestActor *actor = test_actor_new ();

  actor->handle = fail_on_boom;
  return MAIKO_ACTOR (actor);
}

typedef struct
{
  GListModel *list;
  guint       restarts;
} RestartWait;

static gboolean
restarted_and_running (gpointer data)
{
  RestartWait *wait = data;
  MaikoActorInfo *info;

  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (wait->list));
  info = item (wait->list, 0);
  return maiko_actor_info_get_restart_count (info) == wait->restarts &&
         maiko_actor_info_get_state (info) == MAIKO_ACTOR_STATE_RUNNING;
}

/* A restart keeps the item: no items-changed, the same object, its
 * restart count up by one, its handled count going on. */
static void
test_restart (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char * const topics[] = { "N", "Boom", NULL };
  MaikoActorInfo *before;
  RestartWait wait;
  guint n_notified = 0;

  g_assert_true (maiko_supervisor_add_restartable_actor (sup, "fragile", topics,
                                                         MAIKO_RESTART_POLICY_ON_FAILURE,
                                                         make_fragile, NULL, NULL, &error));
  g_assert_no_error (error);
  list = maiko_supervisor_get_actors (sup);
  g_signal_connect (list, "items-changed", G_CALLBACK (log_change), log);
  before = item (list, 0);
  g_signal_connect (before, "notify::restart-count", G_CALLBACK (count_notify), &n_notified);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  wait_state (list, 0, MAIKO_ACTOR_STATE_RUNNING);

  for (gint64 i = 0; i < 3; i++)
    test_send_int (sup, "N", i);
  wait_handled (list, 0, 3);
  test_send_int (sup, "Boom", 0);
  for (gint64 i = 3; i < 5; i++)
    test_send_int (sup, "N", i);
  wait = (RestartWait) { list, 1 };
  g_assert_true (test_poll_until (restarted_and_running, &wait));
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "fragile"), ==, 1);
  /* Three, Boom (failed), then two by the fresh instance. */
  wait_handled (list, 0, 6);
  g_assert_true (item (list, 0) == before);
  g_assert_cmpuint (n_notified, ==, 1);

  test_send_int (sup, "Boom", 1);
  wait = (RestartWait) { list, 2 };
  g_assert_true (test_poll_until (restarted_and_running, &wait));
  wait_handled (list, 0, 7);
  g_assert_cmpstr (log->str, ==, "");

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpint (maiko_actor_info_get_state (before), ==, MAIKO_ACTOR_STATE_STOPPED);
  g_assert_cmpuint (maiko_actor_info_get_restart_count (before), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
}

/* Throttling */

typedef struct
{
  GThread *thread;       /* where notifications must come */
  GArray  *times;        /* gint64, monotonic µs of each notify::handled-count */
  gboolean wrong_thread;
} Notifications;

static void
note_handled (GObject       *object,
              GParamSpec    *pspec,
              Notifications *notes)
{
  gint64 now = g_get_monotonic_time ();

  if (g_thread_self () != notes->thread)
    notes->wrong_thread = TRUE;
  g_array_append_val (notes->times, now);
}

static gboolean
enough_notes (gpointer data)
{
  Notifications *notes = data;

  return notes->times->len >= 6;
}

#define INTERVAL_MS 20

/* A consumer that handles an event per millisecond for a while: its
 * handled count changes all the time, and is notified at most every
 * refresh-interval, in the list's context. */
static void
test_throttle (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) producer = test_producer_new ("N", 1000, 10);
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(GListModel) list = NULL;
  Notifications notes = { g_thread_self (), g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };
  gint64 started;
  gint64 elapsed_ms;

  consumer->handle_delay_us = 1000;
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC, MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  test_add (sup, "producer", producer, NULL);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  list = maiko_supervisor_get_actors (sup);
  g_object_set (list, "refresh-interval", INTERVAL_MS, NULL);
  g_assert_cmpuint (maiko_actor_list_get_refresh_interval (MAIKO_ACTOR_LIST (list)), ==, INTERVAL_MS);
  g_signal_connect (item (list, 1), "notify::handled-count", G_CALLBACK (note_handled), &notes);

  started = g_get_monotonic_time ();
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_iterate_until (NULL, enough_notes, &notes));
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_false (notes.wrong_thread);

  /* One look per interval at most: the gaps are never shorter (a
   * timeout's next dispatch is an interval after the last one). */
  for (guint i = 1; i < notes.times->len; i++)
    g_assert_cmpint (g_array_index (notes.times, gint64, i) - g_array_index (notes.times, gint64, i - 1),
                     >=, INTERVAL_MS * 1000 - 1000);
  g_assert_cmpint (notes.times->len, <=, elapsed_ms / INTERVAL_MS + 1);
  /* It was still working: the consumer is behind the producer. */
  g_assert_cmpuint (test_actor_get_handled (consumer), <, 1000);

  /* The stop drains what was produced; the last look counts it all. */
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpuint (maiko_actor_info_get_handled_count (item (list, 1)), ==,
                    test_actor_get_handled (consumer));
  g_array_unref (notes.times);
}

/* Lifetimes */

static gboolean
is_empty (gpointer list)
{
  return g_list_model_get_n_items (list) == 0;
}

/* A list outlives its supervisor: at its next look it empties itself, in
 * one signal, and its timer ends. */
static void
test_outlives_supervisor (void)
{
  MaikoSupervisor *sup = test_supervisor_new_by_label ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(MaikoActorInfo) kept = NULL;

  add_new (sup, "a", "A");
  add_new (sup, "b", "B");
  add_new (sup, "c", "C");
  list = maiko_supervisor_get_actors (sup);
  maiko_actor_list_set_refresh_interval (MAIKO_ACTOR_LIST (list), MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL);
  g_signal_connect (list, "items-changed", G_CALLBACK (log_change), log);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_int (sup, "A", 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  kept = g_list_model_get_item (list, 0);
  g_object_unref (sup);

  g_assert_nonnull (g_main_context_find_source_by_user_data (NULL, list));
  g_assert_true (test_iterate_until (NULL, is_empty, list));
  g_assert_cmpstr (log->str, ==, "0:3:0");
  g_assert_null (g_main_context_find_source_by_user_data (NULL, list));
  /* An item kept keeps its last values. */
  g_assert_cmpstr (maiko_actor_info_get_name (kept), ==, "a");
  g_assert_cmpint (maiko_actor_info_get_state (kept), ==, MAIKO_ACTOR_STATE_STOPPED);
  g_assert_cmpuint (maiko_actor_info_get_handled_count (kept), ==, 1);

  /* Nothing left to look at: refreshing and re-timing do nothing. */
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  maiko_actor_list_set_refresh_interval (MAIKO_ACTOR_LIST (list), 100);
  g_assert_null (g_main_context_find_source_by_user_data (NULL, list));
  g_assert_cmpstr (log->str, ==, "0:3:0");
}

/* The same, the supervisor dropped while it runs (its dispose stops it). */
static void
test_outlives_running_supervisor (void)
{
  MaikoSupervisor *sup = test_supervisor_new_by_label ();
  g_autoptr(GListModel) list = NULL;

  add_new (sup, "a", "A");
  list = maiko_supervisor_get_actors (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_object_unref (sup);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

/* The list's only trace in the runtime is its timer, in its own context:
 * without a list nothing is attached there, and a list dropped takes its
 * timer along. */
static void
test_no_list_no_work (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) worker = test_actor_new ();
  GListModel *list;

  test_add (sup, "worker", worker, "N");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (gint64 i = 0; i < 100; i++)
    test_send_int (sup, "N", i);
  g_assert_true (test_actor_wait_handled (worker, 100));
  g_assert_false (g_main_context_pending (NULL));

  list = maiko_supervisor_get_actors (sup);
  g_assert_nonnull (g_main_context_find_source_by_user_data (NULL, list));
  g_object_unref (list);
  g_assert_null (g_main_context_find_source_by_user_data (NULL, list));
  g_assert_false (g_main_context_pending (NULL));

  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

/* A handler that asks for a look while the list changes gets none; one
 * that drops the list's last reference does not pull it from under the
 * look. */
static void
refresh_again (GListModel *list,
               guint       position,
               guint       removed,
               guint       added,
               GString    *log)
{
  log_change (list, position, removed, added, log);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
}

static void
drop_list (GListModel *list,
           guint       position,
           guint       removed,
           guint       added,
           gboolean   *dropped)
{
  *dropped = TRUE;
  g_object_unref (list);
}

static void
test_reentrant (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(GListModel) list = maiko_supervisor_get_actors (sup);
  g_autoptr(GString) log = g_string_new (NULL);
  GListModel *doomed = maiko_supervisor_get_actors (sup);
  gboolean dropped = FALSE;

  g_signal_connect (list, "items-changed", G_CALLBACK (refresh_again), log);
  g_signal_connect (doomed, "items-changed", G_CALLBACK (drop_list), &dropped);
  add_new (sup, "a", "A");
  add_new (sup, "b", "B");
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (list));
  g_assert_cmpstr (log->str, ==, "0:0:2");
  assert_names (list, "a b");

  g_object_add_weak_pointer (G_OBJECT (doomed), (gpointer *) &doomed);
  maiko_actor_list_refresh (MAIKO_ACTOR_LIST (doomed));
  g_assert_true (dropped);
  g_assert_null (doomed);
}

/* Bad input: a clear critical, no crash. */
static void
test_bad_input (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GListModel) list = maiko_supervisor_get_actors (sup);

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  if (g_test_subprocess ())
    {
      maiko_actor_list_set_refresh_interval (MAIKO_ACTOR_LIST (list), 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*milliseconds >= MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL*");
  g_assert_cmpuint (maiko_actor_list_get_refresh_interval (MAIKO_ACTOR_LIST (list)), ==,
                    MAIKO_ACTOR_LIST_DEFAULT_REFRESH_INTERVAL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/actor-list/values", test_values);
  g_test_add_func ("/actor-list/pool-placement", test_pool_placement);
  g_test_add_func ("/actor-list/ended-states", test_ended_states);
  g_test_add_func ("/actor-list/signals", test_signals);
  g_test_add_func ("/actor-list/restart", test_restart);
  g_test_add_func ("/actor-list/throttle", test_throttle);
  g_test_add_func ("/actor-list/outlives-supervisor", test_outlives_supervisor);
  g_test_add_func ("/actor-list/outlives-running-supervisor", test_outlives_running_supervisor);
  g_test_add_func ("/actor-list/no-list-no-work", test_no_list_no_work);
  g_test_add_func ("/actor-list/reentrant", test_reentrant);
  g_test_add_func ("/actor-list/bad-input", test_bad_input);

  return g_test_run ();
}
