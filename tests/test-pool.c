/* test-pool.c: actors on a MaikoWorkerPool
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

static MaikoSupervisor *
pool_supervisor_new (MaikoWorkerPool *pool)
{
  return g_object_new (MAIKO_TYPE_SUPERVISOR, "worker-pool", pool, NULL);
}

static void
send_to (MaikoSupervisor *sup,
         const char      *label,
         const char      *topic)
{
  g_autoptr(MaikoEvent) event = test_event_to (label, topic);

  g_assert_true (maiko_supervisor_send (sup, event, NULL));
}

/* How many threads of this process are pool workers, by their name: other
 * threads (GLib's own, idle ones of a thread pool) come and go. */
static guint
count_workers (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "maiko-worker-"))
        n++;
    }

  return n;
}

static gboolean
workers_are (gpointer data)
{
  return count_workers () == GPOINTER_TO_UINT (data);
}

/* "3 2 2": each worker's load. */
static char *
loads (MaikoWorkerPool *pool)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < maiko_worker_pool_get_n_workers (pool); i++)
    g_string_append_printf (text, "%s%u", i ? " " : "", maiko_worker_pool_get_load (pool, i));

  return g_string_free (text, FALSE);
}

/* Which worker's context @actor's handlers saw as thread-default; -1 for
 * none of them. Set by record_context(). */
typedef struct
{
  MaikoWorkerPool *pool;
  gint             seen;               /* atomic */
  GThread         *handler_thread;     /* atomic */
  GThread         *idle_thread;        /* atomic */
} Seen;

static gint
worker_of (MaikoWorkerPool *pool,
           GMainContext    *context)
{
  for (guint i = 0; i < maiko_worker_pool_get_n_workers (pool); i++)
    if (maiko_worker_pool_get_context (pool, i) == context)
      return i;
  return -1;
}

static gboolean
note_idle_thread (gpointer data)
{
  Seen *seen = data;

  g_atomic_pointer_set (&seen->idle_thread, g_thread_self ());
  return G_SOURCE_REMOVE;
}

/* Notes the thread-default context, and attaches an idle source to it as
 * GIO's asynchronous calls do: it must run on the same worker. */
static gboolean
record_context (TestActor      *self,
                MaikoEnvelope  *envelope,
                GError        **error)
{
  Seen *seen = self->data;
  GSource *idle = g_idle_source_new ();

  g_atomic_int_set (&seen->seen, worker_of (seen->pool, g_main_context_get_thread_default ()));
  g_atomic_pointer_set (&seen->handler_thread, g_thread_self ());
  g_source_set_callback (idle, note_idle_thread, seen, NULL);
  g_source_attach (idle, g_main_context_get_thread_default ());
  g_source_unref (idle);

  return TRUE;
}

static gboolean
idle_ran (gpointer data)
{
  return g_atomic_pointer_get (&((Seen *) data)->idle_thread) != NULL;
}

/* The runtime places each actor on the worker with the fewest actors (the
 * lowest index among equals); an actor's main-context wins; a removed or
 * ended actor no longer counts, and one added while running fills the
 * gap. */
static void
test_placement (void)
{
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (3);
  g_autoptr(MaikoSupervisor) sup = pool_supervisor_new (pool);
  g_autoptr(TestActor) chosen = test_actor_new_bound (maiko_worker_pool_get_context (pool, 2));
  g_autoptr(TestActor) late = test_actor_new ();
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *after_add = NULL, *after_remove = NULL, *after_late = NULL, *after_stop = NULL;
  Seen seen[8] = { 0 };

  g_assert_cmpuint (maiko_worker_pool_get_n_workers (pool), ==, 3);
  g_assert_true (maiko_supervisor_get_worker_pool (sup) == pool);
  for (guint i = 0; i < 7; i++)
    {
      TestActor *actor = test_actor_new ();
      g_autofree char *name = g_strdup_printf ("a%u", i);

      seen[i] = (Seen) { pool, -1, NULL, NULL };
      actor->handle = record_context;
      actor->data = &seen[i];
      test_add (sup, name, actor, name);
      g_ptr_array_add (actors, actor);
    }
  seen[7] = (Seen) { pool, -1, NULL, NULL };
  chosen->handle = record_context;
  chosen->data = &seen[7];
  test_add (sup, "chosen", chosen, "chosen");
  after_add = loads (pool);

  test_route_by_payload (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("a%u", i);

      send_to (sup, "Where", name);
    }
  send_to (sup, "Where", "chosen");
  for (guint i = 0; i < 7; i++)
    g_assert_true (test_actor_wait_handled (g_ptr_array_index (actors, i), 1));
  g_assert_true (test_actor_wait_handled (chosen, 1));

  /* a1 is on worker 1: removing it frees a place there. */
  g_assert_true (maiko_supervisor_remove_actor (sup, "a1", NULL));
  after_remove = loads (pool);
  test_add (sup, "late", late, "late");
  after_late = loads (pool);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  after_stop = loads (pool);

  g_assert_cmpstr (after_add, ==, "3 2 2");
  g_assert_cmpstr (after_remove, ==, "3 1 2");
  g_assert_cmpstr (after_late, ==, "3 2 2");
  g_assert_cmpstr (after_stop, ==, "0 0 0");
  for (guint i = 0; i < 7; i++)
    g_assert_cmpint (g_atomic_int_get (&seen[i].seen), ==, i % 3);
  g_assert_cmpint (g_atomic_int_get (&seen[7].seen), ==, 2);
}

/* Handlers see their worker's context as thread-default, on the worker's
 * thread, and a source attached to it there runs on that thread too. */
static void
test_thread_default (void)
{
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (2);
  g_autoptr(MaikoSupervisor) sup = pool_supervisor_new (pool);
  g_autoptr(TestActor) actor = test_actor_new ();
  Seen seen = { pool, -1, NULL, NULL };

  actor->handle = record_context;
  actor->data = &seen;
  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "Go", 1);
  g_assert_true (test_actor_wait_handled (actor, 1));
  g_assert_true (test_poll_until (idle_ran, &seen));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpint (g_atomic_int_get (&seen.seen), ==, 0);
  g_assert_true (g_atomic_pointer_get (&seen.handler_thread) != g_thread_self ());
  g_assert_true (g_atomic_pointer_get (&seen.idle_thread) ==
                 g_atomic_pointer_get (&seen.handler_thread));
}

/* The numbers @actor got, checked to be 0 … n-1 in order. */
static void
assert_sequence (TestActor *actor,
                 guint      n)
{
  g_mutex_lock (&actor->mutex);
  g_assert_cmpuint (actor->received->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (test_envelope_int (g_ptr_array_index (actor->received, i)), ==, i);
  g_mutex_unlock (&actor->mutex);
}

/* A producer and two consumers under BLOCK, many times the mailbox: one
 * consumer shares the producer's worker (the producer must run it while it
 * waits for room), the other has a worker of its own. Nothing is lost and
 * each gets the events in the order sent. */
static void
test_order (void)
{
  const guint n = 5000;
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (2);
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "worker-pool", pool,
                                                 "mailbox-capacity", 16,
                                                 NULL);
  g_autoptr(TestActor) producer = test_producer_new ("N", n, 7);
  g_autoptr(TestActor) far = test_actor_new ();
  g_autoptr(TestActor) near = test_actor_new ();

  producer->produce_label = "N";
  far->keep_envelopes = near->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC, MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  test_add (sup, "producer", producer, NULL);
  test_add (sup, "far", far, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "near", near, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (far, n));
  g_assert_true (test_actor_wait_handled (near, n));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  assert_sequence (far, n);
  assert_sequence (near, n);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
}

/* join returns when a pool actor stops the runtime; the pool's threads
 * outlive the supervisor and end with the pool. */
static void
test_stop_join (void)
{
  MaikoWorkerPool *pool = maiko_worker_pool_new (3);
  MaikoSupervisor *sup = pool_supervisor_new (pool);
  g_autoptr(TestActor) stopper = test_actor_new ();
  g_autoptr(TestActor) other = test_actor_new ();
  g_autoptr(GError) error = NULL;

  /* A thread names itself once it runs. */
  g_assert_true (test_poll_until (workers_are, GUINT_TO_POINTER (3)));
  stopper->handle = test_stop_runtime_on_event;
  test_add (sup, "stopper", stopper, "stop");
  test_add (sup, "other", other, MAIKO_DEFAULT_TOPIC);
  test_route_by_payload (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < 10; i++)
    send_to (sup, "Work", MAIKO_DEFAULT_TOPIC);
  send_to (sup, "Stop", "stop");
  g_assert_true (maiko_supervisor_join (sup, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  /* A graceful stop: what was sent before it is handled. */
  g_assert_cmpuint (test_actor_get_handled (other), ==, 10);
  g_assert_cmpuint (other->n_shutdowns, ==, 1);
  /* No thread per actor (none named after them), and the workers still
   * run. */
  g_assert_cmpuint (count_workers (), ==, 3);
  g_assert_true (maiko_worker_pool_is_running (pool));
  g_object_unref (sup);
  g_assert_cmpuint (count_workers (), ==, 3);

  maiko_worker_pool_stop (pool);
  g_assert_false (maiko_worker_pool_is_running (pool));
  g_assert_cmpuint (count_workers (), ==, 0);
  maiko_worker_pool_stop (pool);
  g_object_unref (pool);
}

/* A pool freed unstopped joins its threads. */
static void
test_free_stops (void)
{
  MaikoWorkerPool *pool = maiko_worker_pool_new (0);

  g_assert_cmpuint (maiko_worker_pool_get_n_workers (pool), ==, g_get_num_processors ());
  g_assert_true (test_poll_until (workers_are, GUINT_TO_POINTER (g_get_num_processors ())));
  g_object_unref (pool);
  g_assert_cmpuint (count_workers (), ==, 0);
}

static gboolean
fail_on_boom (TestActor      *self,
              MaikoEnvelope  *envelope,
              GError        **error)
{
  Seen *seen = self->data;

  if (seen != NULL)
    g_atomic_int_set (&seen->seen, worker_of (seen->pool, g_main_context_get_thread_default ()));
  if (g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "Boom"))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_FAILED, "boom");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GMutex     mutex;
  GPtrArray *made;                     /* TestActor*, owned */
  Seen       seen[2];
} Instances;

static MaikoActor *
make_instance (const char *name,
               gpointer    data)
{
  Instances *instances = data;
  TestActor *actor = test_actor_new ();

  g_mutex_lock (&instances->mutex);
  actor->handle = fail_on_boom;
  actor->data = instances->made->len < 2 ? &instances->seen[instances->made->len] : NULL;
  g_ptr_array_add (instances->made, g_object_ref (actor));
  g_mutex_unlock (&instances->mutex);

  return MAIKO_ACTOR (actor);
}

static gboolean
two_made (gpointer data)
{
  Instances *instances = data;
  gboolean done;

  g_mutex_lock (&instances->mutex);
  done = instances->made->len >= 2;
  g_mutex_unlock (&instances->mutex);

  return done;
}

/* A restarted pool actor is placed again, by the loads without the
 * instance it replaces, and its handlers run on the pool. */
static void
test_restart (void)
{
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (2);
  g_autoptr(MaikoSupervisor) sup = pool_supervisor_new (pool);
  g_autoptr(TestActor) first = test_actor_new ();
  const char *topics[] = { "w", NULL };
  g_autofree char *running = NULL, *restarted = NULL;
  Instances instances = { .made = g_ptr_array_new_with_free_func (g_object_unref) };
  TestActor *fresh;

  g_mutex_init (&instances.mutex);
  instances.seen[0] = instances.seen[1] = (Seen) { pool, -1, NULL, NULL };
  test_add (sup, "first", first, "first");
  g_assert_true (maiko_supervisor_add_restartable_actor (sup, "w", topics,
                                                         MAIKO_RESTART_POLICY_ON_FAILURE,
                                                         make_instance, &instances, NULL, NULL));
  running = loads (pool);
  test_route_by_payload (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_to (sup, "Boom", "w");
  g_assert_true (test_poll_until (two_made, &instances));
  fresh = g_ptr_array_index (instances.made, 1);
  send_to (sup, "After", "w");
  g_assert_true (test_actor_wait_handled (fresh, 1));
  restarted = loads (pool);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpstr (running, ==, "1 1");
  g_assert_cmpstr (restarted, ==, "1 1");
  g_assert_cmpuint (maiko_supervisor_get_restart_count (sup, "w"), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&instances.seen[0].seen), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&instances.seen[1].seen), ==, 1);
  g_assert_true (maiko_supervisor_get_actor (sup, "w") == MAIKO_ACTOR (fresh));
  g_ptr_array_unref (instances.made);
  g_mutex_clear (&instances.mutex);
}

/* Two producers under BLOCK whose receivers sit on each other's worker:
 * "a" (worker 0) fills "b" (worker 1) while "c" (worker 1) fills "d"
 * (worker 0). With a thread per actor nothing waits in a cycle; on a pool
 * a producer that slept while waiting for room would keep its worker's
 * other actor from draining, and the two workers would wait for each
 * other for good. A producer on a worker runs its worker's other actors
 * while it waits. */
static void
test_block_across_workers (void)
{
  const guint n = 2000;
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (2);
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "worker-pool", pool,
                                                 "mailbox-capacity", 4,
                                                 NULL);
  g_autoptr(TestActor) a = test_producer_new ("ToB", n, 50);
  g_autoptr(TestActor) b = test_actor_new ();
  g_autoptr(TestActor) c = test_producer_new ("ToD", n, 50);
  g_autoptr(TestActor) d = test_actor_new ();
  g_autofree char *placed = NULL;

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "ToB", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "ToD", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  /* Fewest actors first, the lowest index among equals: a and d on
   * worker 0, b and c on worker 1. */
  test_add (sup, "a", a, NULL);
  test_add (sup, "b", b, "ToB");
  test_add (sup, "d", d, "ToD");
  test_add (sup, "c", c, NULL);
  placed = loads (pool);
  g_assert_cmpstr (placed, ==, "2 2");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (b, n));
  g_assert_true (test_actor_wait_handled (d, n));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (test_actor_get_handled (b), ==, n);
  g_assert_cmpuint (test_actor_get_handled (d), ==, n);
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
}

/* A stopped pool refuses new actors with an error; out-of-range input is a
 * programmer's error. */
static void
test_bad_input (void)
{
  g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (1);
  g_autoptr(MaikoSupervisor) sup = pool_supervisor_new (pool);
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(TestActor) bound = test_actor_new_bound (g_main_context_default ());
  g_autoptr(GError) error = NULL;
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };

  maiko_worker_pool_stop (pool);
  g_assert_false (maiko_supervisor_add_actor (sup, "a", MAIKO_ACTOR (actor), topics, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "worker pool is stopped"));
  g_assert_null (maiko_supervisor_get_actor (sup, "a"));
  /* The actor was not taken: it can go elsewhere. A context of one's own
   * does not need the pool. */
  g_assert_null (maiko_actor_get_name (MAIKO_ACTOR (actor)));
  g_assert_true (maiko_supervisor_add_actor (sup, "bound", MAIKO_ACTOR (bound), topics, NULL));

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*index < self->n_workers*");
  g_assert_null (maiko_worker_pool_get_context (pool, 1));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*n_workers <= MAX_WORKERS*");
  g_assert_null (maiko_worker_pool_new (5000));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/placement", test_placement);
  g_test_add_func ("/pool/thread-default", test_thread_default);
  g_test_add_func ("/pool/order", test_order);
  g_test_add_func ("/pool/stop-join", test_stop_join);
  g_test_add_func ("/pool/free-stops", test_free_stops);
  g_test_add_func ("/pool/restart", test_restart);
  g_test_add_func ("/pool/block-across-workers", test_block_across_workers);
  g_test_add_func ("/pool/bad-input", test_bad_input);

  return g_test_run ();
}
