/* test-supervision.c: actors removed, spawned and restarted while running
 *
 * SPDX-License-Identifier: MIT
 */

#include <gio/gio.h>

#include "test-util.h"

/* The payloads @actor kept, as text: "1 2 3". */
static char *
received_values (TestActor *actor)
{
  GString *text = g_string_new (NULL);

  g_mutex_lock (&actor->mutex);
  for (guint i = 0; i < actor->received->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            test_envelope_int (g_ptr_array_index (actor->received, i)));
  g_mutex_unlock (&actor->mutex);

  return g_string_free (text, FALSE);
}

/* Removal */

typedef struct
{
  MaikoSupervisor *sup;
  const char      *name;
  gboolean         removed;
  GMutex           mutex;
  GCond            cond;
} Removal;

static gpointer
remove_in_thread (gpointer data)
{
  Removal *removal = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = maiko_supervisor_remove_actor (removal->sup, removal->name, &error);

  g_assert_no_error (error);
  g_mutex_lock (&removal->mutex);
  removal->removed = ok;
  g_cond_broadcast (&removal->cond);
  g_mutex_unlock (&removal->mutex);
  return NULL;
}

static gboolean
victim_is_gone (gpointer sup)
{
  return maiko_supervisor_get_actor (sup, "victim") == NULL;
}

/* A removed actor handles what its mailbox holds and shuts down before
 * remove_actor returns; then nothing reaches it, and its name is free. */
static void
test_remove_drains (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) victim = test_actor_new ();
  g_autoptr(TestActor) again = test_actor_new ();
  g_autoptr(TestActor) witness = test_actor_new ();
  g_autofree char *values = NULL;
  Removal removal = { sup, "victim", FALSE };
  GThread *thread;

  victim->keep_envelopes = again->keep_envelopes = TRUE;
  test_add (sup, "victim", victim, "Job");
  test_add (sup, "witness", witness, "Other");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_actor_close_gate (victim);
  for (gint64 i = 0; i < 5; i++)
    test_send_int (sup, "Job", i);
  g_assert_true (test_actor_wait_at_gate (victim));

  g_mutex_init (&removal.mutex);
  g_cond_init (&removal.cond);
  thread = g_thread_new ("remover", remove_in_thread, &removal);
  /* Out of the name table at once; the remover waits for the victim,
   * which waits at its gate. */
  g_assert_true (test_poll_until (victim_is_gone, sup));
  g_assert_false (removal.removed);
  test_actor_open_gate (victim);
  g_thread_join (thread);
  g_assert_true (removal.removed);
  g_mutex_clear (&removal.mutex);
  g_cond_clear (&removal.cond);

  values = received_values (victim);
  g_assert_cmpstr (values, ==, "0 1 2 3 4");
  g_assert_cmpuint (victim->n_shutdowns, ==, 1);
  g_assert_false (maiko_actor_is_running (MAIKO_ACTOR (victim)));
  g_assert_null (maiko_supervisor_get_actor (sup, "victim"));

  /* Nobody subscribes to "Job" now: unrouted, not undelivered. */
  test_send_int (sup, "Job", 5);
  g_assert_cmpuint (maiko_supervisor_get_unrouted_count (sup), ==, 1);

  /* The name is free again. */
  test_add (sup, "victim", again, "Job");
  test_send_int (sup, "Job", 6);
  g_assert_true (test_actor_wait_handled (again, 1));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_clear_pointer (&values, g_free);
  values = received_values (again);
  g_assert_cmpstr (values, ==, "6");
  g_assert_cmpuint (victim->n_shutdowns, ==, 1);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

static gboolean
remove_from_inside (TestActor      *self,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  MaikoSupervisor *sup = self->data;
  MaikoContext *ctx = maiko_actor_get_context (MAIKO_ACTOR (self));
  GError *local = NULL;

  g_assert_false (maiko_supervisor_remove_actor (sup, "self", &local));
  g_assert_error (local, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpstr (local->message, ==,
                   "Actor “self” cannot remove itself: maiko_context_stop() ends it");
  g_clear_error (&local);
  g_assert_false (maiko_context_remove_actor (ctx, "self", &local));
  g_assert_error (local, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpstr (local->message, ==,
                   "Actor “self” cannot remove itself: maiko_context_stop() ends it");
  g_clear_error (&local);
  /* Blocking inside an actor is refused; the context's form is the way. */
  g_assert_false (maiko_supervisor_remove_actor (sup, "other", &local));
  g_assert_error (local, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpstr (local->message, ==,
                   "maiko_supervisor_remove_actor() would wait for actor “self”, from which it "
                   "was called; use maiko_context_remove_actor() instead");
  g_clear_error (&local);
  g_assert_false (maiko_context_remove_actor (ctx, "nobody", &local));
  g_assert_error (local, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&local);
  g_assert_true (maiko_context_remove_actor (ctx, "other", &local));
  g_assert_no_error (local);
  return TRUE;
}

/* Each bad call gets its error, and loses nothing. */
static void
test_remove_refused (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) self_remover = test_actor_new ();
  g_autoptr(TestActor) other = test_actor_new ();
  GError *error = NULL;

  self_remover->handle = remove_from_inside;
  self_remover->data = sup;
  test_add (sup, "self", self_remover, "Go");
  test_add (sup, "other", other, NULL);

  g_assert_false (maiko_supervisor_remove_actor (sup, "other", &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpstr (error->message, ==, "Actors can only be removed while the supervisor runs");
  g_clear_error (&error);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_false (maiko_supervisor_remove_actor (sup, "nobody", &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "The supervisor has no actor named “nobody”");
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_remove_actor (sup, MAIKO_SUPERVISOR_NAME, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“supervisor” is the supervisor's name, not an actor's");
  g_clear_error (&error);

  test_send_int (sup, "Go", 0);
  g_assert_true (test_actor_wait_handled (self_remover, 1));
  g_assert_true (test_actor_wait_shutdown (other));
  g_assert_null (maiko_supervisor_get_actor (sup, "other"));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (self_remover->n_shutdowns, ==, 1);
  g_assert_cmpuint (other->n_shutdowns, ==, 1);

  g_assert_false (maiko_supervisor_remove_actor (sup, "self", &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
}

/* Removal under load: four producers send under BLOCK to a topic with two
 * subscribers, and one of them is removed mid-flow. The other gets every
 * event, each producer's in order; the removed one handled what reached
 * its mailbox in order, and the rest of what was sent to it is counted as
 * undelivered. */

#define N_PRODUCERS 4
#define PER_PRODUCER 5000

typedef struct
{
  GMutex  mutex;
  guint64 dispatched_to_victim;
} DispatchCount;

static void
count_dispatched (MaikoMonitor  *monitor,
                  MaikoEnvelope *envelope,
                  const char    *topic,
                  const char    *receiver,
                  DispatchCount *count)
{
  if (g_str_equal (receiver, "victim"))
    count->dispatched_to_victim++;
}

static gboolean
check_in_order (TestActor *actor)
{
  gint64 last[N_PRODUCERS] = { -1, -1, -1, -1 };

  for (guint i = 0; i < actor->received->len; i++)
    {
      gint64 value = test_envelope_int (g_ptr_array_index (actor->received, i));
      gint64 producer = value / PER_PRODUCER;

      if (value % PER_PRODUCER <= last[producer])
        return FALSE;
      last[producer] = value % PER_PRODUCER;
    }

  return TRUE;
}

static gpointer
produce (gpointer data)
{
  gpointer *args = data;
  MaikoSupervisor *sup = args[0];
  gint64 producer = GPOINTER_TO_INT (args[1]);

  for (gint64 i = 0; i < PER_PRODUCER; i++)
    test_send_int (sup, "Work", producer * PER_PRODUCER + i);
  return NULL;
}

static gpointer
run_loop (gpointer loop)
{
  g_main_context_push_thread_default (g_main_loop_get_context (loop));
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (g_main_loop_get_context (loop));
  return NULL;
}

static void
test_remove_under_load (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "mailbox-capacity", 16, NULL);
  g_autoptr(TestActor) keeper = test_actor_new ();
  g_autoptr(TestActor) victim = test_actor_new ();
  /* A lossless monitor on a thread of its own, as this one waits. */
  g_autoptr(GMainContext) monitor_context = g_main_context_new ();
  g_autoptr(GMainLoop) monitor_loop = g_main_loop_new (monitor_context, FALSE);
  g_autoptr(MaikoMonitor) monitor = g_object_new (MAIKO_TYPE_MONITOR, "lossless", TRUE, NULL);
  GThread *monitor_thread;
  GThread *producers[N_PRODUCERS];
  gpointer args[N_PRODUCERS][2];
  DispatchCount count = { 0, };

  keeper->keep_envelopes = victim->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Work", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  test_add (sup, "keeper", keeper, "Work");
  test_add (sup, "victim", victim, "Work");
  g_signal_connect (monitor, "event-dispatched", G_CALLBACK (count_dispatched), &count);
  /* Its signals come in the context that is thread-default when it is added. */
  g_main_context_push_thread_default (monitor_context);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_main_context_pop_thread_default (monitor_context);
  monitor_thread = g_thread_new ("monitor", run_loop, monitor_loop);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint i = 0; i < N_PRODUCERS; i++)
    {
      args[i][0] = sup;
      args[i][1] = GINT_TO_POINTER (i);
      producers[i] = g_thread_new ("producer", produce, args[i]);
    }
  /* Mid-flow: once the victim has handled a tenth of what comes. */
  g_assert_true (test_actor_wait_handled (victim, N_PRODUCERS * PER_PRODUCER / 10));
  g_assert_true (maiko_supervisor_remove_actor (sup, "victim", NULL));
  for (guint i = 0; i < N_PRODUCERS; i++)
    g_thread_join (producers[i]);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (monitor);
  g_main_loop_quit (monitor_loop);
  g_thread_join (monitor_thread);

  g_assert_cmpuint (keeper->received->len, ==, N_PRODUCERS * PER_PRODUCER);
  g_assert_true (check_in_order (keeper));
  g_assert_true (check_in_order (victim));
  g_assert_cmpuint (victim->received->len, <, N_PRODUCERS * PER_PRODUCER);
  /* What reached the victim's mailbox it handled, but for what came
   * between its last batch and the close; what did not reach it was
   * refused at the closed mailbox: both are undelivered, and only the
   * events in flight at the removal can be, at most a mailbox's worth and
   * one per producer. */
  g_assert_cmpuint (victim->received->len, <=, count.dispatched_to_victim);
  g_assert_cmpuint (count.dispatched_to_victim, <=,
                    victim->received->len + maiko_supervisor_get_undelivered_count (sup));
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), <=, 16 + N_PRODUCERS);
  g_assert_cmpuint (victim->n_shutdowns, ==, 1);
}

/* Spawning from inside: a coordinator adds an actor per Spawn event with
 * maiko_context_add_actor(); each one reports Ready from on_start, and the
 * coordinator removes it with maiko_context_remove_actor(). 1,000 of them
 * come and go with the memory back where it was. */

typedef struct
{
  guint spawned;
  guint removed;
} Coordination;

static void
report_ready (TestActor *self)
{
  g_autoptr(MaikoEvent) ready = maiko_event_new ("Ready",
                                                 g_variant_new_string (maiko_actor_get_name (MAIKO_ACTOR (self))));

  g_assert_true (maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), ready, NULL));
}

static gboolean
coordinate (TestActor      *self,
            MaikoEnvelope  *envelope,
            GError        **error)
{
  MaikoContext *ctx = maiko_actor_get_context (MAIKO_ACTOR (self));
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  Coordination *coordination = self->data;
  guint *count;

  if (g_str_equal (maiko_event_get_label (event), "Spawn"))
    {
      g_autoptr(TestActor) worker = test_actor_new ();
      g_autofree char *name = g_strdup_printf ("worker-%" G_GINT64_FORMAT,
                                               g_variant_get_int64 (maiko_event_get_payload (event)));

      worker->start_hook = report_ready;
      if (!maiko_context_add_actor (ctx, name, MAIKO_ACTOR (worker), NULL, error))
        return FALSE;
      count = &coordination->spawned;
    }
  else
    {
      if (!maiko_context_remove_actor (ctx, g_variant_get_string (maiko_event_get_payload (event), NULL),
                                       error))
        return FALSE;
      count = &coordination->removed;
    }
  /* Under the lock that test_actor_wait() reads them with. */
  g_mutex_lock (&self->mutex);
  (*count)++;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

static gboolean
all_removed (TestActor *self,
             gpointer   data)
{
  Coordination *coordination = self->data;

  return coordination->removed == GPOINTER_TO_UINT (data);
}

static void
spawn_and_remove (MaikoSupervisor *sup,
                  TestActor       *coordinator,
                  guint            first,
                  guint            n)
{
  /* One at a time: what is measured is what an actor leaves behind, not
   * how many threads the allocator saw at once. */
  for (guint i = first; i < first + n; i++)
    {
      test_send_int (sup, "Spawn", i);
      g_assert_true (test_actor_wait (coordinator, all_removed, GUINT_TO_POINTER (i + 1)));
    }
}

static void
test_spawn_from_inside (void)
{
  g_autoptr(MaikoSupervisor) sup = test_supervisor_new_by_label ();
  g_autoptr(TestActor) coordinator = test_actor_new ();
  Coordination coordination = { 0, };
  const char *topics[] = { "Spawn", "Ready", NULL };
  guint baseline_threads;
  guint64 rss_before, rss_after;

  coordinator->handle = coordinate;
  coordinator->data = &coordination;
  /* Spawn and Ready pile up faster than the coordinator takes them. */
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Spawn", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Ready", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "coordinator", MAIKO_ACTOR (coordinator),
                                             topics, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  baseline_threads = test_count_threads ();

  /* Warm up the allocator, then measure. */
  spawn_and_remove (sup, coordinator, 0, 100);
  g_assert_cmpuint (test_wait_thread_count (baseline_threads), ==, baseline_threads);
  rss_before = test_read_status_kib ("VmRSS:");
  spawn_and_remove (sup, coordinator, 100, 1000);
  g_assert_cmpuint (test_wait_thread_count (baseline_threads), ==, baseline_threads);
  rss_after = test_read_status_kib ("VmRSS:");
  g_test_message ("VmRSS %" G_GUINT64_FORMAT " KiB before 1,000 actors, %" G_GUINT64_FORMAT
                  " KiB after", rss_before, rss_after);

  g_assert_cmpuint (coordination.spawned, ==, 1100);
  g_assert_cmpuint (coordination.removed, ==, 1100);
  g_assert_null (maiko_supervisor_get_actor (sup, "worker-1099"));
  if (test_rss_is_meaningful ())
    g_assert_cmpuint (rss_after, <=, rss_before + rss_before / 10);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

/* Restarts. The actors of these tests are on the default topic, and
 * they all get every event: N(int) is work, Boom(name) fails the actor of
 * that name, Quit(name) makes it stop itself. */

typedef struct
{
  GMutex     mutex;
  GPtrArray *made;        /* TestActor*, owned: the instances, in order */
  guint      fail_from;   /* the factory makes no actor from this call on; 0: never */
} Instances;

static void
instances_init (Instances *instances)
{
  g_mutex_init (&instances->mutex);
  instances->made = g_ptr_array_new_with_free_func (g_object_unref);
  instances->fail_from = 0;
}

static void
instances_clear (Instances *instances)
{
  g_ptr_array_unref (instances->made);
  g_mutex_clear (&instances->mutex);
}

static guint
n_made (Instances *instances)
{
  guint n;

  g_mutex_lock (&instances->mutex);
  n = instances->made->len;
  g_mutex_unlock (&instances->mutex);

  return n;
}

static TestActor *
instance (Instances *instances,
          guint      index)
{
  TestActor *actor;

  g_mutex_lock (&instances->mutex);
  g_assert_cmpuint (index, <, instances->made->len);
  actor = g_ptr_array_index (instances->made, index);
  g_mutex_unlock (&instances->mutex);

  return actor;
}

static gboolean
is_for_me (TestActor     *self,
           MaikoEnvelope *envelope,
           const char    *label)
{
  MaikoEvent *event = maiko_envelope_get_event (envelope);

  return g_str_equal (maiko_event_get_label (event), label) &&
         g_str_equal (g_variant_get_string (maiko_event_get_payload (event), NULL),
                      maiko_actor_get_name (MAIKO_ACTOR (self)));
}

static gboolean
obey (TestActor      *self,
      MaikoEnvelope  *envelope,
      GError        **error)
{
  if (is_for_me (self, envelope, "Boom"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "boom in %s",
                   maiko_actor_get_name (MAIKO_ACTOR (self)));
      return FALSE;
    }
  if (is_for_me (self, envelope, "Quit"))
    maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

static MaikoActor *
make_instance (const char *name,
               gpointer    data)
{
  Instances *instances = data;
  TestActor *actor;

  g_mutex_lock (&instances->mutex);
  if (instances->fail_from > 0 && instances->made->len + 1 >= instances->fail_from)
    {
      g_mutex_unlock (&instances->mutex);
      return NULL;
    }
  actor = test_actor_new ();
  actor->handle = obey;
  actor->keep_envelopes = TRUE;
  g_ptr_array_add (instances->made, g_object_ref (actor));
  g_mutex_unlock (&instances->mutex);

  return MAIKO_ACTOR (actor);
}

static void
add_restartable (MaikoSupervisor    *sup,
                 const char         *name,
                 MaikoRestartPolicy  policy,
                 Instances          *instances)
{
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_restartable_actor (sup, name, topics, policy, make_instance,
                                                         instances, NULL, &error));
  g_assert_no_error (error);
}

static void
send_to (MaikoSupervisor *sup,
         const char      *label,
         const char      *name)
{
  g_autoptr(MaikoEvent) event = maiko_event_new (label, g_variant_new_string (name));

  g_assert_true (maiko_supervisor_send (sup, event, NULL));
}

/* The payloads of the N events @actor got, as text: "1 2 3". */
static char *
work_done (TestActor *actor)
{
  GString *text = g_string_new (NULL);

  g_mutex_lock (&actor->mutex);
  for (guint i = 0; i < actor->received->len; i++)
    {
      MaikoEnvelope *envelope = g_ptr_array_index (actor->received, i);

      if (g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "N"))
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, text->len ? " " : "",
                                test_envelope_int (envelope));
    }
  g_mutex_unlock (&actor->mutex);

  return g_string_free (text, FALSE);
}

static void
log_restart (MaikoMonitor *monitor,
             const char   *actor,
             guint         count,
             const GError *error,
             GString      *log)
{
  g_string_append_printf (log, "%s#%u(%s) ", actor, count,
                          error != NULL ? error->message : "-");
}

static MaikoMonitor *
restart_logger (MaikoSupervisor *sup,
                GString         *log)
{
  MaikoMonitor *monitor = maiko_monitor_new ();

  g_signal_connect (monitor, "actor-restarted", G_CALLBACK (log_restart), log);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  return monitor;
}

typedef struct
{
  Instances *instances;
  guint      n;
} MadeCount;

static gboolean
made_enough (gpointer data)
{
  MadeCount *count = data;

  return n_made (count->instances) >= count->n;
}

static void
wait_made (Instances *instances,
           guint      n)
{
  MadeCount count = { instances, n };

  g_assert_true (test_poll_until (made_enough, &count));
}

/* A failure is replaced by a fresh instance, which gets, in order, the
 * events the failed one had not handled, after its own on_start. */
static void
test_restart_on_failure (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(MaikoMonitor) monitor = restart_logger (sup, log);
  g_autofree char *before = NULL, *after = NULL;
  Instances instances;
  TestActor *fresh;

  instances_init (&instances);
  add_restartable (sup, "w", MAIKO_RESTART_POLICY_ON_FAILURE, &instances);
  g_assert_cmpuint (n_made (&instances), ==, 1);
  /* Sent before start: all in the first instance's mailbox when it fails,
   * most of them taken in the same batch as Boom. */
  for (gint64 i = 0; i < 3; i++)
    test_send_int (sup, "N", i);
  send_to (sup, "Boom", "w");
  for (gint64 i = 3; i < 30; i++)
    test_send_int (sup, "N", i);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  wait_made (&instances, 2);
  fresh = instance (&instances, 1);
  g_assert_true (test_actor_wait_handled (fresh, 27));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (monitor);

  before = work_done (instance (&instances, 0));
  after = work_done (fresh);
  g_assert_cmpstr (before, ==, "0 1 2");
  g_assert_cmpstr (after, ==, "3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 "
                              "27 28 29");
  /* Three events, Boom (which failed), the error, the shutdown. */
  g_assert_cmpstr (instance (&instances, 0)->log->str, ==, "SEEEEXD");
  g_assert_cmpuint (fresh->n_started, ==, 1);
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "w"), ==, 1);
  g_assert_cmpstr (log->str, ==, "w#1(boom in w) ");
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  g_assert_true (maiko_supervisor_get_actor (sup, "w") == MAIKO_ACTOR (fresh));
  instances_clear (&instances);
}

/* ON_FAILURE does not restart an actor that stops itself; ALWAYS does. */
static void
test_restart_policies (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(MaikoMonitor) monitor = restart_logger (sup, log);
  Instances transient, permanent;

  instances_init (&transient);
  instances_init (&permanent);
  add_restartable (sup, "transient", MAIKO_RESTART_POLICY_ON_FAILURE, &transient);
  add_restartable (sup, "permanent", MAIKO_RESTART_POLICY_ALWAYS, &permanent);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_to (sup, "Quit", "transient");
  send_to (sup, "Quit", "permanent");
  wait_made (&permanent, 2);
  g_assert_true (test_actor_wait_shutdown (instance (&transient, 0)));
  test_send_int (sup, "N", 7);
  g_assert_true (test_actor_wait_handled (instance (&permanent, 1), 1));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (monitor);

  g_assert_cmpuint (n_made (&transient), ==, 1);
  g_assert_cmpuint (n_made (&permanent), ==, 2);
  g_assert_cmpstr (log->str, ==, "permanent#1(-) ");
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "transient"), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "permanent"), ==, 1);
  instances_clear (&transient);
  instances_clear (&permanent);
}

/* The strategies: which restartable actors go along with the one that
 * failed. An actor added with add_actor() is never touched. */
static void
check_strategy (MaikoRestartStrategy  strategy,
                const char           *expected_restarts)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "restart-strategy", strategy, NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(MaikoMonitor) monitor = restart_logger (sup, log);
  g_autoptr(TestActor) plain = test_actor_new ();
  g_autoptr(GString) counts = g_string_new (NULL);
  const char *names[] = { "a", "b", "c" };
  Instances instances[3];

  for (guint i = 0; i < 3; i++)
    {
      instances_init (&instances[i]);
      add_restartable (sup, names[i], MAIKO_RESTART_POLICY_ON_FAILURE, &instances[i]);
    }
  test_add (sup, "plain", plain, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_to (sup, "Boom", "b");
  g_assert_true (test_actor_wait_handled (plain, 1));
  /* Every instance the strategy makes, not only b's: the one that the
   * loop below waits on must be the last. */
  for (guint i = 0; i < 3; i++)
    wait_made (&instances[i], 1 + (guint) (expected_restarts[2 * i] - '0'));
  test_send_int (sup, "N", 1);
  g_assert_true (test_actor_wait_handled (plain, 2));
  for (guint i = 0; i < 3; i++)
    {
      TestActor *current = instance (&instances[i], n_made (&instances[i]) - 1);

      g_assert_true (test_actor_wait_handled (current, current == instance (&instances[i], 0)
                                                       ? 2 : 1));
    }
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (monitor);

  for (guint i = 0; i < 3; i++)
    {
      g_string_append_printf (counts, "%s%u", i ? " " : "",
                              maiko_supervisor_get_restart_count (sup, names[i]));
      g_assert_cmpuint (n_made (&instances[i]), ==,
                        1 + maiko_supervisor_get_restart_count (sup, names[i]));
      instances_clear (&instances[i]);
    }
  g_assert_cmpstr (counts->str, ==, expected_restarts);
  g_assert_cmpuint (plain->n_started, ==, 1);
  g_assert_cmpuint (plain->n_shutdowns, ==, 1);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

static void
test_one_for_one (void)
{
  check_strategy (MAIKO_RESTART_STRATEGY_ONE_FOR_ONE, "0 1 0");
}

static void
test_one_for_all (void)
{
  check_strategy (MAIKO_RESTART_STRATEGY_ONE_FOR_ALL, "1 1 1");
}

static void
test_rest_for_one (void)
{
  check_strategy (MAIKO_RESTART_STRATEGY_REST_FOR_ONE, "0 1 1");
}

/* Past max-restarts in restart-period, the runtime stops and join returns
 * the error of the restart that was not made. */
static void
test_restart_intensity (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "max-restarts", 2,
                                                 "restart-period", 3600, NULL);
  g_autoptr(GError) error = NULL;
  Instances instances;

  instances_init (&instances);
  add_restartable (sup, "w", MAIKO_RESTART_POLICY_ALWAYS, &instances);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 3; i++)
    {
      wait_made (&instances, i + 1);
      send_to (sup, "Boom", "w");
    }
  g_assert_false (maiko_supervisor_join (sup, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpstr (error->message, ==,
                   "Actor “w” ended more than max-restarts (2) times in 3600 s, the last time "
                   "with: boom in w");
  g_assert_cmpuint (n_made (&instances), ==, 3);
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "w"), ==, 2);
  instances_clear (&instances);
}

/* A factory that makes no actor at a restart stops the runtime. */
static void
test_restart_factory_fails (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GError) error = NULL;
  Instances instances;

  instances_init (&instances);
  instances.fail_from = 2;
  add_restartable (sup, "w", MAIKO_RESTART_POLICY_ON_FAILURE, &instances);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_to (sup, "Boom", "w");
  g_assert_false (maiko_supervisor_join (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Actor “w” could not be restarted: The factory of actor “w” made no actor");
  g_assert_cmpuint (n_made (&instances), ==, 1);
  instances_clear (&instances);
}

/* Producers send while the actor they send to restarts again and again:
 * across its instances, every event is handled once, each producer's in
 * order. */
#define RESTART_ROUNDS 20

static gpointer
produce_default (gpointer data)
{
  gpointer *args = data;
  MaikoSupervisor *sup = args[0];
  gint64 producer = GPOINTER_TO_INT (args[1]);

  for (gint64 i = 0; i < PER_PRODUCER; i++)
    test_send_int (sup, "N", producer * PER_PRODUCER + i);
  return NULL;
}

static void
test_restart_loses_nothing (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "mailbox-capacity", 8,
                                                 "max-restarts", RESTART_ROUNDS, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GThread *producers[N_PRODUCERS];
  gpointer args[N_PRODUCERS][2];
  gint64 last[N_PRODUCERS] = { -1, -1, -1, -1 };
  Instances instances;
  guint handled = 0;

  instances_init (&instances);
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  add_restartable (sup, "w", MAIKO_RESTART_POLICY_ALWAYS, &instances);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < N_PRODUCERS; i++)
    {
      args[i][0] = sup;
      args[i][1] = GINT_TO_POINTER (i);
      producers[i] = g_thread_new ("producer", produce_default, args[i]);
    }
  for (guint round = 0; round < RESTART_ROUNDS; round++)
    {
      send_to (sup, "Quit", "w");
      wait_made (&instances, round + 2);
    }
  for (guint i = 0; i < N_PRODUCERS; i++)
    g_thread_join (producers[i]);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (n_made (&instances), ==, RESTART_ROUNDS + 1);
  for (guint k = 0; k < n_made (&instances); k++)
    {
      TestActor *actor = instance (&instances, k);

      for (guint i = 0; i < actor->received->len; i++)
        {
          MaikoEnvelope *envelope = g_ptr_array_index (actor->received, i);
          gint64 value, producer;

          if (!g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "N"))
            continue;
          value = test_envelope_int (envelope);
          producer = value / PER_PRODUCER;
          g_assert_cmpint (value % PER_PRODUCER, ==, last[producer] + 1);
          last[producer] = value % PER_PRODUCER;
          handled++;
        }
    }
  g_assert_cmpuint (handled, ==, N_PRODUCERS * PER_PRODUCER);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  instances_clear (&instances);
}

static gboolean
restarted_once (gpointer sup)
{
  return maiko_supervisor_get_restart_count (sup, "typed") == 1;
}

/* Instances made from a GType with construct properties. */
static void
test_actor_of_type (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  const char *names[] = { "mailbox-capacity" };
  GValue values[1] = { G_VALUE_INIT };
  const char *bad_names[] = { "no-such-property" };
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  GError *error = NULL;
  MaikoActor *first;

  g_value_init (&values[0], G_TYPE_UINT);
  g_value_set_uint (&values[0], 4);
  g_assert_true (maiko_supervisor_add_actor_of_type (sup, "typed", topics,
                                                     MAIKO_RESTART_POLICY_ALWAYS, TEST_TYPE_ACTOR,
                                                     1, names, values, &error));
  g_assert_no_error (error);
  first = maiko_supervisor_get_actor (sup, "typed");
  g_assert_true (TEST_IS_ACTOR (first));
  g_assert_cmpuint (maiko_actor_get_mailbox_capacity (first), ==, 4);

  g_assert_false (maiko_supervisor_add_actor_of_type (sup, "bad", topics,
                                                      MAIKO_RESTART_POLICY_ALWAYS, TEST_TYPE_ACTOR,
                                                      1, bad_names, values, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "TestActor has no writable property “no-such-property”");
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_add_actor_of_type (sup, "bad", topics,
                                                      MAIKO_RESTART_POLICY_ALWAYS,
                                                      MAIKO_TYPE_SUPERVISOR, 0, NULL, NULL,
                                                      &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "MaikoSupervisor is not a type of actor that can be made");
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_add_actor_of_type (sup, "typed", topics,
                                                      MAIKO_RESTART_POLICY_ALWAYS, TEST_TYPE_ACTOR,
                                                      0, NULL, NULL, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR);
  g_clear_error (&error);

  /* A restart makes a new instance with the same properties. */
  g_assert_true (maiko_supervisor_start (sup, NULL));
  maiko_context_stop (maiko_actor_get_context (first));
  g_assert_true (test_poll_until (restarted_once, sup));
  g_assert_true (maiko_supervisor_get_actor (sup, "typed") != first);
  g_assert_cmpuint (maiko_actor_get_mailbox_capacity (maiko_supervisor_get_actor (sup, "typed")),
                    ==, 4);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_value_unset (&values[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/supervision/remove/drains", test_remove_drains);
  g_test_add_func ("/supervision/remove/refused", test_remove_refused);
  g_test_add_func ("/supervision/remove/under-load", test_remove_under_load);
  g_test_add_func ("/supervision/spawn-from-inside", test_spawn_from_inside);
  g_test_add_func ("/supervision/restart/on-failure", test_restart_on_failure);
  g_test_add_func ("/supervision/restart/policies", test_restart_policies);
  g_test_add_func ("/supervision/restart/one-for-one", test_one_for_one);
  g_test_add_func ("/supervision/restart/one-for-all", test_one_for_all);
  g_test_add_func ("/supervision/restart/rest-for-one", test_rest_for_one);
  g_test_add_func ("/supervision/restart/intensity", test_restart_intensity);
  g_test_add_func ("/supervision/restart/factory-fails", test_restart_factory_fails);
  g_test_add_func ("/supervision/restart/loses-nothing", test_restart_loses_nothing);
  g_test_add_func ("/supervision/restart/actor-of-type", test_actor_of_type);

  return g_test_run ();
}
