/* s2-pipe.c: scenario S2 of shared/bench-scenarios.md, the pipe
 *
 * One producer actor sends N events (one 64-bit integer each) from its step
 * loop to one consumer subscribed to the topic, under BLOCK with default
 * capacities; the clock stops when the consumer has handled the last one.
 * The same transfer between two plain threads over a GAsyncQueue is the
 * yardstick for this machine's noise. Prints one line per run.
 *
 * SPDX-License-Identifier: MIT
 */

#include <sys/resource.h>

#include <maiko.h>

#ifndef N_EVENTS
#define N_EVENTS 1000000
#endif

#define COUNTER_TYPE (counter_get_type ())
G_DECLARE_FINAL_TYPE (Counter, counter, COUNTER, ACTOR, MaikoActor)

struct _Counter
{
  MaikoActor parent_instance;
  gint64     next;        /* the value expected next: order is checked */
  gint64     errors;
  GMutex     mutex;
  GCond      done;
  gint64     finished_at;
  /* Producer side */
  gint64     sent;
  gboolean   is_producer;
};

G_DEFINE_FINAL_TYPE (Counter, counter, MAIKO_TYPE_ACTOR)

static gboolean
counter_handle_event (MaikoActor     *actor,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  Counter *self = COUNTER_ACTOR (actor);
  gint64 value = g_variant_get_int64 (maiko_event_get_payload (maiko_envelope_get_event (envelope)));

  if (value != self->next)
    self->errors++;
  self->next = value + 1;
  maiko_envelope_unref (envelope);

  if (self->next == N_EVENTS)
    {
      g_mutex_lock (&self->mutex);
      self->finished_at = g_get_monotonic_time ();
      g_cond_signal (&self->done);
      g_mutex_unlock (&self->mutex);
    }
  return TRUE;
}

static MaikoStepAction
counter_step (MaikoActor *actor)
{
  Counter *self = COUNTER_ACTOR (actor);
  MaikoContext *context = maiko_actor_get_context (actor);

  if (!self->is_producer)
    return MAIKO_STEP_ACTION_NEVER;

  /* Up to one outbox of events per step: they go to the mailbox together. */
  for (guint i = 0; i < 256 && self->sent < N_EVENTS; i++)
    {
      g_autoptr(MaikoEvent) event = maiko_event_new ("N", g_variant_new_int64 (self->sent));

      if (!maiko_context_send (context, event, NULL))
        return MAIKO_STEP_ACTION_NEVER;
      self->sent++;
    }

  return self->sent < N_EVENTS ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_NEVER;
}

static void
counter_class_init (CounterClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = counter_handle_event;
  MAIKO_ACTOR_CLASS (klass)->step = counter_step;
}

static void
counter_init (Counter *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->done);
}

static double
run_maiko (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Counter) producer = g_object_new (COUNTER_TYPE, NULL);
  g_autoptr(Counter) consumer = g_object_new (COUNTER_TYPE, NULL);
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  gint64 start;

  producer->is_producer = TRUE;
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "consumer", MAIKO_ACTOR (consumer), topics, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "producer", MAIKO_ACTOR (producer), NULL, NULL));

  start = g_get_monotonic_time ();
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_mutex_lock (&consumer->mutex);
  while (consumer->finished_at == 0)
    g_cond_wait (&consumer->done, &consumer->mutex);
  g_mutex_unlock (&consumer->mutex);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  if (consumer->errors != 0 || consumer->next != N_EVENTS)
    g_error ("S2: lost, doubled or reordered events");
  return N_EVENTS / ((consumer->finished_at - start) / (double) G_USEC_PER_SEC);
}

static gpointer
baseline_consumer (gpointer data)
{
  GAsyncQueue *queue = data;

  for (gint64 i = 0; i < N_EVENTS; i++)
    if (GPOINTER_TO_SIZE (g_async_queue_pop (queue)) != (gsize) i + 1)
      g_error ("baseline: reordered");
  return NULL;
}

/* Two threads and a GAsyncQueue, nothing else. */
static double
run_baseline (void)
{
  GAsyncQueue *queue = g_async_queue_new ();
  gint64 start = g_get_monotonic_time ();
  GThread *consumer = g_thread_new ("baseline", baseline_consumer, queue);
  double rate;

  for (gint64 i = 0; i < N_EVENTS; i++)
    g_async_queue_push (queue, GSIZE_TO_POINTER ((gsize) i + 1));
  g_thread_join (consumer);
  rate = N_EVENTS / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_async_queue_unref (queue);

  return rate;
}

int
main (void)
{
  struct rusage usage;
  double maiko_rss_mib = 0;

  for (guint run = 0; run < 5; run++)
    {
      double maiko = run_maiko ();
      double baseline;

      /* Peak RSS is the process's: read it before the first baseline run,
       * whose unbounded queue can grow far larger than Maiko's mailboxes. */
      if (run == 0)
        {
          getrusage (RUSAGE_SELF, &usage);
          maiko_rss_mib = usage.ru_maxrss / 1024.0;
        }
      baseline = run_baseline ();
      g_print ("S2 pipe run=%u maiko_events_per_s=%.0f baseline_events_per_s=%.0f ratio=%.2f maiko_peak_rss_mib=%.1f\n",
               run, maiko, baseline, maiko / baseline, maiko_rss_mib);
    }

  return 0;
}
