/* maiko-bench.c: the five scenarios of shared/bench-scenarios.md
 *
 * S1 pingpong, S2 pipe, S3 fan-out, S4 64 topics and S5 1,000 actors, run
 * through Maiko's public API in several shapes (the default, a thread per
 * actor; actors bound to contexts that threads of ours iterate; a larger
 * max-events-per-tick), and the same scenarios on a raw-GLib baseline in
 * the same binary: a thread and a GAsyncQueue per actor, a hash table from
 * topic to subscribers' queues. This machine is shared and noisy, so the
 * baseline is the yardstick: every figure is also quoted as a ratio to the
 * baseline measured in the same invocation.
 *
 * Every run is a child process of its own, forked by a parent that never
 * starts a thread: a run's peak RSS (VmHWM), threads and allocator arenas
 * are its own, and a run that hangs is ended by its alarm instead of
 * hanging the suite. See bench/README.md for the output format.
 *
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <maiko.h>

#include "bench-system.h"

/* Sizes */

typedef struct
{
  gint64 s1_rounds;
  gint64 s2_events;
  gint64 s3_events;
  guint  s3_consumers;
  gint64 s4_events;
  guint  s4_topics;
  guint  s5_actors;
} Sizes;

static const Sizes full_sizes = { 100000, 1000000, 200000, 8, 1000000, 64, 1000 };
/* --quick: small enough for valgrind, large enough to fill mailboxes. */
static const Sizes quick_sizes = { 2000, 20000, 4000, 8, 20000, 64, 100 };

/* Set in the parent before the first fork; the children read it. */
static Sizes sizes;
static guint timeout_s = 300;

/* Shapes: how the actors of a Maiko run are placed on threads */

/* A tick that empties a full default mailbox (128) in one dispatch. */
#define BIG_TICK 128

typedef struct
{
  const char *name;
  /* 0: the default, a thread and a context per actor, or the library's
   * worker pool if pool is set. Otherwise the actors are bound
   * (main-context property) round robin to this many contexts, each
   * iterated by one driver thread of ours. */
  guint       n_contexts;
  /* A MaikoWorkerPool of one worker per CPU, given to the supervisor
   * (worker-pool property), which places the actors. */
  gboolean    pool;
  /* max-events-per-tick of every actor; 0 keeps the supervisor's (10). */
  guint       per_tick;
} Shape;

typedef enum
{
  SHAPE_THREADED,
  SHAPE_THREADED_TICK,
  SHAPE_SHARED,
  SHAPE_SHARED_TICK,
  SHAPE_POOL,
  SHAPE_POOL_TICK,
  N_SHAPES
} ShapeId;

static const Shape shapes[N_SHAPES] = {
  [SHAPE_THREADED] = { "threaded", 0, FALSE, 0 },
  [SHAPE_THREADED_TICK] = { "threaded-tick", 0, FALSE, BIG_TICK },
  [SHAPE_SHARED] = { "shared", 1, FALSE, 0 },
  [SHAPE_SHARED_TICK] = { "shared-tick", 1, FALSE, BIG_TICK },
  [SHAPE_POOL] = { "pool", 0, TRUE, 0 },
  [SHAPE_POOL_TICK] = { "pool-tick", 0, TRUE, BIG_TICK },
};

#define SHAPE_BIT(id) (1u << (id))

/* Results */

typedef struct
{
  gboolean ok;              /* every count checked out */
  double   rate;            /* round trips, events or deliveries per second */
  double   p50_us;          /* S1: round-trip latency */
  double   p99_us;
  double   peak_rss_mib;    /* VmHWM of the run's process */
  double   seconds;         /* the measured interval */
  double   kib_per_actor;   /* S5 */
  /* S5: seconds spent creating and adding, starting, sending and waiting
   * until all were handled, stopping; printed with each run, to show
   * where the total goes. */
  double   phases[4];
} Result;

static const char * const phase_names[] = { "add_s", "start_s", "send_wait_s", "stop_s" };

/* Utilities */

static gint64
now_ns (void)
{
  struct timespec ts;

  /* A vDSO call, and finer than g_get_monotonic_time()'s µs: S1's best
   * round trips take a few µs. */
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
check_call (gboolean   ok,
            GError   **error)
{
  /* Setup calls do not fail in a correct run: abort the child, which the
   * parent reports as a failed run. */
  if (!ok)
    g_error ("%s", *error != NULL ? (*error)->message : "a call failed without an error");
}

/* "a0000", "a0001", ...: topic and actor names, made before the clock. */
static GStrv
make_names (const char *prefix,
            guint       n)
{
  GStrv names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    names[i] = g_strdup_printf ("%s%04u", prefix, i);
  return names;
}

/* Latch: the main thread waits until every consumer has seen its last
 * event, on a condition, never by sleeping. */

typedef struct
{
  GMutex mutex;
  GCond  cond;
  gint   pending;      /* atomic: count-downs still to come */
  gint64 finished_ns;  /* under mutex: when the last one came */
} Latch;

static void
latch_init (Latch *latch,
            guint  count)
{
  g_mutex_init (&latch->mutex);
  g_cond_init (&latch->cond);
  latch->pending = count;
  latch->finished_ns = 0;
}

static void
latch_clear (Latch *latch)
{
  g_mutex_clear (&latch->mutex);
  g_cond_clear (&latch->cond);
}

static void
latch_count_down (Latch *latch)
{
  /* One atomic per consumer, the lock only for the last one. */
  if (!g_atomic_int_dec_and_test (&latch->pending))
    return;

  g_mutex_lock (&latch->mutex);
  latch->finished_ns = now_ns ();
  g_cond_signal (&latch->cond);
  g_mutex_unlock (&latch->mutex);
}

static gint64
latch_wait (Latch *latch)
{
  gint64 finished;

  g_mutex_lock (&latch->mutex);
  while (latch->finished_ns == 0)
    g_cond_wait (&latch->cond, &latch->mutex);
  finished = latch->finished_ns;
  g_mutex_unlock (&latch->mutex);

  return finished;
}

/* Tally: what one consumer checks, in Maiko and in the baseline. Its
 * values come in steps of @stride from @first: a gap, a repeat or a
 * reorder is an error, and the total must be exact. */

typedef struct
{
  gint64    next;      /* the value expected next */
  gint64    stride;
  gint64    last;      /* the value that ends the sequence */
  gint64    expected;  /* how many it must handle, no more, no less */
  gint64    handled;
  gint64    errors;
  gboolean  counted;   /* the latch was counted down */
  Latch    *latch;
} Tally;

static void
tally_init (Tally  *tally,
            Latch  *latch,
            gint64  first,
            gint64  stride,
            gint64  expected)
{
  g_assert (expected > 0);
  *tally = (Tally) { first, stride, first + (expected - 1) * stride, expected, 0, 0, FALSE, latch };
}

static void
tally_take (Tally  *tally,
            gint64  value)
{
  if (value != tally->next)
    tally->errors++;
  tally->next = value + tally->stride;
  tally->handled++;
  /* One sender's events come in order, so the last value ends the wait
   * even if an event went missing: the count is checked after the stop,
   * and a loss fails the run instead of hanging it. */
  if (value == tally->last && !tally->counted)
    {
      tally->counted = TRUE;
      latch_count_down (tally->latch);
    }
}

static gboolean
tally_check (const Tally *tally,
             const char  *who)
{
  if (tally->errors == 0 && tally->handled == tally->expected)
    return TRUE;

  g_printerr ("%s: handled %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " events, "
              "%" G_GINT64_FORMAT " out of sequence (lost, doubled or reordered)\n",
              who, tally->handled, tally->expected, tally->errors);
  return FALSE;
}

/* Rally: S1's pinger and ponger, in Maiko and in the baseline. The pinger
 * sends round 0, each Pong n is answered by Ping n + 1; the ponger answers
 * Ping n with Pong n. Both check that every round comes, once, in order. */

typedef struct
{
  gint64  rounds;
  gint64  next;          /* the round expected next */
  gint64  errors;
  gint64  started_ns;    /* pinger: the first Ping */
  gint64  sent_ns;       /* pinger: the current Ping */
  gint64 *latencies_ns;  /* pinger: one per round trip; NULL for the ponger */
  Latch  *latch;         /* pinger: counted down at the last Pong */
} Rally;

static void
rally_init (Rally    *rally,
            gint64    rounds,
            gboolean  pinger,
            Latch    *latch)
{
  *rally = (Rally) { .rounds = rounds, .latch = latch };
  if (pinger)
    rally->latencies_ns = g_new0 (gint64, rounds);
}

static void
rally_clear (Rally *rally)
{
  g_clear_pointer (&rally->latencies_ns, g_free);
}

static gint64
rally_serve (Rally *rally)
{
  rally->started_ns = rally->sent_ns = now_ns ();
  return 0;
}

/* Takes round @n; returns the round to send next, or -1 for none. */
static gint64
rally_take (Rally  *rally,
            gint64  n)
{
  gint64 now;

  if (n != rally->next)
    rally->errors++;
  rally->next = n + 1;
  if (rally->latencies_ns == NULL)
    return n;

  now = now_ns ();
  if (n >= 0 && n < rally->rounds)
    rally->latencies_ns[n] = now - rally->sent_ns;
  if (n + 1 >= rally->rounds)
    {
      latch_count_down (rally->latch);
      return -1;
    }
  rally->sent_ns = now;
  return n + 1;
}

static gboolean
rally_check (const Rally *rally,
             const char  *who)
{
  if (rally->errors == 0 && rally->next == rally->rounds)
    return TRUE;

  g_printerr ("%s: reached round %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", "
              "%" G_GINT64_FORMAT " out of sequence\n",
              who, rally->next, rally->rounds, rally->errors);
  return FALSE;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Fills the rate and percentiles of a finished rally (sorts latencies). */
static void
rally_report (Rally  *pinger,
              gint64  finished_ns,
              Result *result)
{
  gsize n = pinger->rounds;

  qsort (pinger->latencies_ns, n, sizeof (gint64), compare_gint64);
  result->seconds = (finished_ns - pinger->started_ns) / 1e9;
  result->rate = n / result->seconds;
  /* Nearest rank. */
  result->p50_us = pinger->latencies_ns[(n * 50 + 99) / 100 - 1] / 1e3;
  result->p99_us = pinger->latencies_ns[(n * 99 + 99) / 100 - 1] / 1e3;
}

/* Scenarios */

typedef enum
{
  SCENARIO_S1,
  SCENARIO_S2,
  SCENARIO_S3,
  SCENARIO_S4,
  SCENARIO_S5,
} ScenarioId;

/* S2 monitoring variants ------------------------------------------------
 *
 * Issue 6 also asks for S2 with monitoring off, with one paused monitor and
 * with one active no-op monitor, once the monitoring API exists. A variant
 * is a value here, a case in s2_add_monitoring() and a row in scenarios[]
 * (with its name in monitoring_names): the rest of S2, and the baseline it
 * is compared with, are shared.
 */
typedef enum
{
  MONITORING_OFF,
  MONITORING_PAUSED,
  MONITORING_NOOP,
} Monitoring;

static const char * const monitoring_names[] = { "off", "paused", "noop" };

/* The active monitor emits its signals on a thread of its own, as a GUI's
 * main loop would: records are emitted, not merely dropped. */
static GMainLoop *monitor_loop;
static GThread *monitor_thread;

static gpointer
run_monitor_loop (gpointer data)
{
  g_main_context_push_thread_default (g_main_loop_get_context (monitor_loop));
  g_main_loop_run (monitor_loop);
  g_main_context_pop_thread_default (g_main_loop_get_context (monitor_loop));
  return NULL;
}

static void
noop_handler (void)
{
}

/* Called with S2's supervisor, its actors added, before it starts. */
static void
s2_add_monitoring (MaikoSupervisor *sup,
                   Monitoring       monitoring)
{
  g_autoptr(MaikoMonitor) monitor = NULL;
  g_autoptr(GMainContext) context = NULL;

  if (monitoring == MONITORING_OFF)
    return;

  monitor = maiko_monitor_new ();
  if (monitoring == MONITORING_PAUSED)
    {
      maiko_monitor_pause (monitor);
      g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
      return;
    }

  g_signal_connect (monitor, "event-handled", G_CALLBACK (noop_handler), NULL);
  context = g_main_context_new ();
  monitor_loop = g_main_loop_new (context, FALSE);
  g_main_context_push_thread_default (context);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_main_context_pop_thread_default (context);
  monitor_thread = g_thread_new ("monitor", run_monitor_loop, NULL);
}

static gboolean
quit_monitor_loop (gpointer data)
{
  g_main_loop_quit (monitor_loop);
  return G_SOURCE_REMOVE;
}

/* Called after S2 stopped. */
static void
s2_end_monitoring (void)
{
  if (monitor_thread == NULL)
    return;
  g_main_context_invoke (g_main_loop_get_context (monitor_loop), quit_monitor_loop, NULL);
  g_thread_join (g_steal_pointer (&monitor_thread));
  g_clear_pointer (&monitor_loop, g_main_loop_unref);
}

/* S2, S3 and S4 are one producer spreading events over topics: event i
 * goes to topic i % n_topics, and consumer c subscribes to topic
 * c % n_topics. */
typedef struct
{
  gint64 n_events;
  guint  n_topics;
  guint  n_consumers;
} Spread;

static Spread
spread_for (ScenarioId id)
{
  switch (id)
    {
    case SCENARIO_S2:
      return (Spread) { sizes.s2_events, 1, 1 };
    case SCENARIO_S3:
      return (Spread) { sizes.s3_events, 1, sizes.s3_consumers };
    case SCENARIO_S4:
      return (Spread) { sizes.s4_events, sizes.s4_topics, sizes.s4_topics };
    case SCENARIO_S1:
    case SCENARIO_S5:
    default:
      g_assert_not_reached ();
    }
}

/* How many of events 0..n_events-1 go to @topic. */
static gint64
spread_share (const Spread *spread,
              guint         topic)
{
  return (spread->n_events - topic + spread->n_topics - 1) / spread->n_topics;
}

/* Topic names: one topic keeps Maiko's default topic (no topic function,
 * no lookup by string), more are routed by label. */
static GStrv
spread_topics (const Spread *spread)
{
  const char *one[] = { MAIKO_DEFAULT_TOPIC, NULL };

  return spread->n_topics == 1 ? g_strdupv ((char **) one) : make_names ("t", spread->n_topics);
}

/* Maiko: the actors */

/* --payload: the int64 kept in the event (maiko_event_new_int64(), one
 * allocation, as the baseline's message), or a GVariant (three more). */
static gboolean variant_payloads;

static MaikoEvent *
value_event_new (const char *label,
                 gint64      value)
{
  return variant_payloads ? maiko_event_new (label, g_variant_new_int64 (value))
                          : maiko_event_new_int64 (label, value);
}

static gboolean
send_value (MaikoActor  *actor,
            const char  *label,
            gint64       value,
            GError     **error)
{
  g_autoptr(MaikoEvent) event = value_event_new (label, value);

  return maiko_context_send (maiko_actor_get_context (actor), event, error);
}

/* Either payload: maiko_event_get_int64() reads both. */
static gint64
envelope_value (MaikoEnvelope *envelope)
{
  gint64 value = -1;

  maiko_event_get_int64 (maiko_envelope_get_event (envelope), &value);
  return value;
}

/* BenchConsumer: counts and checks what it receives. */

#define BENCH_TYPE_CONSUMER (bench_consumer_get_type ())
G_DECLARE_FINAL_TYPE (BenchConsumer, bench_consumer, BENCH, CONSUMER, MaikoActor)

struct _BenchConsumer
{
  MaikoActor parent_instance;
  Tally      tally;
};

G_DEFINE_FINAL_TYPE (BenchConsumer, bench_consumer, MAIKO_TYPE_ACTOR)

static gboolean
bench_consumer_handle_event (MaikoActor     *actor,
                             MaikoEnvelope  *envelope,
                             GError        **error)
{
  tally_take (&BENCH_CONSUMER (actor)->tally, envelope_value (envelope));
  return TRUE;
}

static void
bench_consumer_class_init (BenchConsumerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = bench_consumer_handle_event;
}

static void
bench_consumer_init (BenchConsumer *self)
{
}

/* BenchProducer: sends events 0..total-1 from its step loop, one outbox
 * per step, as docs/flow-control.md recommends. */

#define BENCH_TYPE_PRODUCER (bench_producer_get_type ())
G_DECLARE_FINAL_TYPE (BenchProducer, bench_producer, BENCH, PRODUCER, MaikoActor)

struct _BenchProducer
{
  MaikoActor  parent_instance;
  GStrv       labels;       /* event i is labelled labels[i % n_labels] */
  guint       n_labels;
  gint64      next;
  gint64      total;
  gint64      send_errors;
};

G_DEFINE_FINAL_TYPE (BenchProducer, bench_producer, MAIKO_TYPE_ACTOR)

static MaikoStepAction
bench_producer_step (MaikoActor *actor)
{
  BenchProducer *self = BENCH_PRODUCER (actor);
  MaikoContext *context = maiko_actor_get_context (actor);

  /* Returning routes the outbox: one lock per receiver per run. */
  while (self->next < self->total && !maiko_context_is_sender_full (context))
    {
      if (!send_value (actor, self->labels[self->next % self->n_labels], self->next, NULL))
        {
          self->send_errors++;
          return MAIKO_STEP_ACTION_NEVER;
        }
      self->next++;
    }

  return self->next < self->total ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_NEVER;
}

static void
bench_producer_finalize (GObject *object)
{
  g_strfreev (BENCH_PRODUCER (object)->labels);
  G_OBJECT_CLASS (bench_producer_parent_class)->finalize (object);
}

static void
bench_producer_class_init (BenchProducerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_producer_finalize;
  MAIKO_ACTOR_CLASS (klass)->step = bench_producer_step;
}

static void
bench_producer_init (BenchProducer *self)
{
}

/* BenchPlayer: S1's pinger or ponger. */

#define BENCH_TYPE_PLAYER (bench_player_get_type ())
G_DECLARE_FINAL_TYPE (BenchPlayer, bench_player, BENCH, PLAYER, MaikoActor)

struct _BenchPlayer
{
  MaikoActor  parent_instance;
  Rally       rally;
  const char *label;   /* of what it sends, which is also the topic */
};

G_DEFINE_FINAL_TYPE (BenchPlayer, bench_player, MAIKO_TYPE_ACTOR)

static gboolean
bench_player_on_start (MaikoActor  *actor,
                       GError     **error)
{
  BenchPlayer *self = BENCH_PLAYER (actor);

  if (self->rally.latencies_ns == NULL)
    return TRUE;
  return send_value (actor, self->label, rally_serve (&self->rally), error);
}

static gboolean
bench_player_handle_event (MaikoActor     *actor,
                           MaikoEnvelope  *envelope,
                           GError        **error)
{
  BenchPlayer *self = BENCH_PLAYER (actor);
  gint64 next = rally_take (&self->rally, envelope_value (envelope));

  return next < 0 || send_value (actor, self->label, next, error);
}

static void
bench_player_finalize (GObject *object)
{
  rally_clear (&BENCH_PLAYER (object)->rally);
  G_OBJECT_CLASS (bench_player_parent_class)->finalize (object);
}

static void
bench_player_class_init (BenchPlayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_player_finalize;
  MAIKO_ACTOR_CLASS (klass)->on_start = bench_player_on_start;
  MAIKO_ACTOR_CLASS (klass)->handle_event = bench_player_handle_event;
}

static void
bench_player_init (BenchPlayer *self)
{
}

/* Maiko: layouts, the user's side of a shape */

typedef struct
{
  GMainContext *context;
  GThread      *thread;
  gint          quit;  /* atomic: a flag, so a quit before the loop is not lost */
} Driver;

typedef struct
{
  const Shape *shape;
  guint        n_drivers;
  Driver      *drivers;
  guint        next;   /* round robin */
  MaikoWorkerPool *pool;  /* nullable */
} Layout;

static gpointer
driver_main (gpointer data)
{
  Driver *driver = data;

  g_main_context_push_thread_default (driver->context);
  while (!g_atomic_int_get (&driver->quit))
    g_main_context_iteration (driver->context, TRUE);
  g_main_context_pop_thread_default (driver->context);

  return NULL;
}

/* Makes the shape's contexts, if any. */
static void
layout_init (Layout      *layout,
             const Shape *shape)
{
  layout->shape = shape;
  layout->pool = shape->pool ? maiko_worker_pool_new (0) : NULL;
  layout->n_drivers = shape->n_contexts;
  layout->drivers = g_new0 (Driver, layout->n_drivers);
  layout->next = 0;
  for (guint i = 0; i < layout->n_drivers; i++)
    layout->drivers[i].context = g_main_context_new ();
}

/* Starts iterating the contexts, once the supervisor has started. Not
 * before: maiko_supervisor_start() attaches a bound actor's mailbox source
 * before its step source, and an actor whose on_start runs in between (on
 * a context that another thread already iterates) never steps. S2's
 * pool-tick shape hung on that about one run in twenty. */
static void
layout_run (Layout *layout)
{
  for (guint i = 0; i < layout->n_drivers; i++)
    layout->drivers[i].thread = g_thread_new ("bench-driver", driver_main, &layout->drivers[i]);
}

/* Sets the actor's properties for the shape, before it is added. */
static void
layout_place (Layout     *layout,
              MaikoActor *actor)
{
  if (layout->shape->per_tick != 0)
    maiko_actor_set_max_events_per_tick (actor, layout->shape->per_tick);
  if (layout->n_drivers > 0)
    {
      Driver *driver = &layout->drivers[layout->next++ % layout->n_drivers];

      maiko_actor_set_main_context (actor, driver->context);
    }
}

/* Ends the driver threads (and the pool's), once the supervisor has
 * stopped. */
static void
layout_clear (Layout *layout)
{
  g_clear_object (&layout->pool);
  for (guint i = 0; i < layout->n_drivers; i++)
    {
      g_atomic_int_set (&layout->drivers[i].quit, TRUE);
      g_main_context_wakeup (layout->drivers[i].context);
      g_thread_join (layout->drivers[i].thread);
      g_main_context_unref (layout->drivers[i].context);
    }
  g_clear_pointer (&layout->drivers, g_free);
}

/* Maiko: the scenarios */

/* Senders block when a mailbox is full (bench-scenarios.md): BLOCK on
 * every topic used, so that no event may be lost. */
static MaikoSupervisor *
supervisor_new (Layout             *layout,
                gboolean            by_label,
                const char * const *block_topics)
{
  MaikoSupervisor *sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "worker-pool", layout->pool, NULL);
  GError *error = NULL;

  if (by_label)
    check_call (maiko_supervisor_set_route_by_label (sup, &error), &error);
  for (guint i = 0; block_topics != NULL && block_topics[i] != NULL; i++)
    check_call (maiko_supervisor_set_topic_policy (sup, block_topics[i],
                                                   MAIKO_OVERFLOW_POLICY_BLOCK, &error),
                &error);
  return sup;
}

static void
add_actor (MaikoSupervisor *sup,
           const char      *name,
           gpointer         actor,
           const char      *topic)
{
  const char *topics[] = { topic, NULL };
  GError *error = NULL;

  check_call (maiko_supervisor_add_actor (sup, name, actor, topic != NULL ? topics : NULL, &error),
              &error);
}

static gboolean
supervisor_check (MaikoSupervisor *sup)
{
  guint64 undelivered = maiko_supervisor_get_undelivered_count (sup);
  guint64 dropped = maiko_supervisor_get_dropped_count (sup);

  if (undelivered == 0 && dropped == 0)
    return TRUE;

  g_printerr ("supervisor: %" G_GUINT64_FORMAT " undelivered, %" G_GUINT64_FORMAT " dropped\n",
              undelivered, dropped);
  return FALSE;
}

static BenchConsumer *
consumer_new (Latch  *latch,
              gint64  first,
              gint64  stride,
              gint64  expected)
{
  BenchConsumer *consumer = g_object_new (BENCH_TYPE_CONSUMER, NULL);

  tally_init (&consumer->tally, latch, first, stride, expected);
  return consumer;
}

/* Starts @sup and @layout, waits for the latch, stops: returns the
 * measured seconds, from just before start to the last consumer's last
 * event. */
static double
start_wait_stop (MaikoSupervisor *sup,
                 Layout          *layout,
                 Latch           *latch)
{
  GError *error = NULL;
  gint64 start_ns = now_ns ();
  gint64 end_ns;

  check_call (maiko_supervisor_start (sup, &error), &error);
  layout_run (layout);
  end_ns = latch_wait (latch);
  check_call (maiko_supervisor_stop (sup, &error), &error);

  return (end_ns - start_ns) / 1e9;
}

static gboolean
check_spread (MaikoSupervisor *sup,
              BenchProducer   *producer,
              GPtrArray       *consumers)
{
  gboolean ok = supervisor_check (sup);

  if (producer->send_errors != 0 || producer->next != producer->total)
    {
      g_printerr ("producer: sent %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT "\n",
                  producer->next, producer->total);
      ok = FALSE;
    }
  for (guint i = 0; i < consumers->len; i++)
    ok &= tally_check (&BENCH_CONSUMER (g_ptr_array_index (consumers, i))->tally,
                       maiko_actor_get_name (g_ptr_array_index (consumers, i)));
  return ok;
}

/* S2, S3, S4: a producer actor's step loop, consumers counting. */
static gboolean
run_spread_maiko (ScenarioId   id,
                  Monitoring   monitoring,
                  const Shape *shape,
                  Result      *result)
{
  Spread spread = spread_for (id);
  g_auto(GStrv) topics = spread_topics (&spread);
  g_autoptr(MaikoSupervisor) sup = NULL;
  g_autoptr(GPtrArray) consumers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BenchProducer) producer = g_object_new (BENCH_TYPE_PRODUCER, NULL);
  const char *one_label[] = { "N", NULL };
  gint64 deliveries = 0;
  Layout layout;
  Latch latch;
  gboolean ok;

  latch_init (&latch, spread.n_consumers);
  layout_init (&layout, shape);
  sup = supervisor_new (&layout, spread.n_topics > 1, (const char * const *) topics);
  for (guint c = 0; c < spread.n_consumers; c++)
    {
      guint topic = c % spread.n_topics;
      BenchConsumer *consumer = consumer_new (&latch, topic, spread.n_topics,
                                              spread_share (&spread, topic));
      g_autofree char *name = g_strdup_printf ("consumer%u", c);

      layout_place (&layout, MAIKO_ACTOR (consumer));
      add_actor (sup, name, consumer, topics[topic]);
      g_ptr_array_add (consumers, consumer);
      deliveries += consumer->tally.expected;
    }

  /* With one topic the label is free: the default topic routes it. */
  producer->labels = g_strdupv (spread.n_topics > 1 ? topics : (char **) one_label);
  producer->n_labels = g_strv_length (producer->labels);
  producer->total = spread.n_events;
  layout_place (&layout, MAIKO_ACTOR (producer));
  add_actor (sup, "producer", producer, NULL);

  if (id == SCENARIO_S2)
    s2_add_monitoring (sup, monitoring);

  result->seconds = start_wait_stop (sup, &layout, &latch);
  layout_clear (&layout);
  s2_end_monitoring ();

  ok = check_spread (sup, producer, consumers);
  result->rate = deliveries / result->seconds;
  result->peak_rss_mib = bench_proc_status_kib ("VmHWM:") / 1024.0;
  latch_clear (&latch);

  return ok;
}

static BenchPlayer *
player_new (const char *label,
            gboolean    pinger,
            Latch      *latch)
{
  BenchPlayer *player = g_object_new (BENCH_TYPE_PLAYER, NULL);

  player->label = label;
  rally_init (&player->rally, sizes.s1_rounds, pinger, latch);
  return player;
}

/* S1: the pinger sends Ping on "ping", the ponger answers on "pong". */
static gboolean
run_rally_maiko (const Shape *shape,
                 Result      *result)
{
  const char *topics[] = { "ping", "pong", NULL };
  g_autoptr(MaikoSupervisor) sup = NULL;
  g_autoptr(BenchPlayer) pinger = NULL;
  g_autoptr(BenchPlayer) ponger = NULL;
  Layout layout;
  Latch latch;
  gboolean ok;

  latch_init (&latch, 1);
  layout_init (&layout, shape);
  sup = supervisor_new (&layout, TRUE, topics);
  pinger = player_new ("ping", TRUE, &latch);
  ponger = player_new ("pong", FALSE, &latch);
  layout_place (&layout, MAIKO_ACTOR (pinger));
  layout_place (&layout, MAIKO_ACTOR (ponger));
  add_actor (sup, "pinger", pinger, "pong");
  add_actor (sup, "ponger", ponger, "ping");

  start_wait_stop (sup, &layout, &latch);
  layout_clear (&layout);

  ok = supervisor_check (sup) &
       rally_check (&pinger->rally, "pinger") &
       rally_check (&ponger->rally, "ponger");
  rally_report (&pinger->rally, latch.finished_ns, result);
  latch_clear (&latch);

  return ok;
}

/* S5's total and phases, from @start_ns and the end of each phase. */
static void
scale_report (gint64        start_ns,
              const gint64 *phase_ns,
              Result       *result)
{
  for (guint i = 0; i < G_N_ELEMENTS (result->phases); i++)
    result->phases[i] = (phase_ns[i] - (i == 0 ? start_ns : phase_ns[i - 1])) / 1e9;
  result->seconds = (phase_ns[3] - start_ns) / 1e9;
  result->rate = sizes.s5_actors / result->seconds;
}

/* S5: create, start, send each actor one event, wait, stop. */
static gboolean
run_scale_maiko (const Shape *shape,
                 Result      *result)
{
  guint n = sizes.s5_actors;
  g_auto(GStrv) names = make_names ("a", n);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  MaikoSupervisor *sup;
  GError *error = NULL;
  gint64 rss_before, rss_running, start_ns, phase_ns[4];
  Layout layout;
  Latch latch;
  gboolean ok = TRUE;

  /* Type registration is paid once per process, not per actor. */
  g_type_ensure (BENCH_TYPE_CONSUMER);
  g_type_ensure (MAIKO_TYPE_SUPERVISOR);
  g_type_ensure (MAIKO_TYPE_CONTEXT);
  latch_init (&latch, n);
  rss_before = bench_proc_status_kib ("VmRSS:");
  start_ns = now_ns ();

  layout_init (&layout, shape);
  /* One event per actor cannot overflow a mailbox: the default policy. */
  sup = supervisor_new (&layout, TRUE, NULL);
  for (guint i = 0; i < n; i++)
    {
      BenchConsumer *actor = consumer_new (&latch, 0, 1, 1);

      layout_place (&layout, MAIKO_ACTOR (actor));
      add_actor (sup, names[i], actor, names[i]);
      g_ptr_array_add (actors, actor);
    }
  phase_ns[0] = now_ns ();
  check_call (maiko_supervisor_start (sup, &error), &error);
  layout_run (&layout);
  phase_ns[1] = now_ns ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MaikoEvent) event = value_event_new (names[i], 0);

      check_call (maiko_supervisor_send (sup, event, &error), &error);
    }
  latch_wait (&latch);
  phase_ns[2] = now_ns ();
  rss_running = bench_proc_status_kib ("VmRSS:");
  check_call (maiko_supervisor_stop (sup, &error), &error);
  layout_clear (&layout);
  phase_ns[3] = now_ns ();
  scale_report (start_ns, phase_ns, result);

  ok = supervisor_check (sup);
  for (guint i = 0; i < n; i++)
    ok &= tally_check (&BENCH_CONSUMER (g_ptr_array_index (actors, i))->tally, names[i]);
  result->kib_per_actor = (double) (rss_running - rss_before) / n;
  g_object_unref (sup);
  latch_clear (&latch);

  return ok;
}

/* The raw-GLib baseline: a thread and an unbounded GAsyncQueue per actor,
 * a GHashTable from topic to the subscribers' queues, a refcounted message
 * shared by its receivers. No batching, a wake-up whenever a queue's
 * reader sleeps: the naive thread-per-actor form. */

typedef struct
{
  gint        ref_count;  /* atomic: one per queue it was pushed to */
  const char *topic;
  gint64      value;
} BaseMsg;

/* Pushed to an actor's queue to end its thread. */
static BaseMsg base_stop_msg;

typedef struct _BaseActor BaseActor;

typedef struct
{
  /* topic → GPtrArray of GAsyncQueue*: filled before any thread runs,
   * only read afterwards, so it needs no lock. */
  GHashTable *subscribers;
  GPtrArray  *actors;       /* BaseActor*, owned */
} BaseBus;

struct _BaseActor
{
  BaseBus      *bus;
  GAsyncQueue  *queue;
  GThread      *thread;
  /* Called on the actor's thread: first, then for each message. */
  void        (*on_start) (BaseActor *self);
  void        (*handle)   (BaseActor *self,
                           BaseMsg   *msg);
  Tally         tally;      /* consumers */
  Rally         rally;      /* S1 players */
  const char   *label;      /* S1: the topic it sends on */
  GStrv         labels;     /* producers: message i goes to labels[i % n_labels] */
  guint         n_labels;
  gint64        total;
};

static void
base_publish (BaseBus    *bus,
              const char *topic,
              gint64      value)
{
  GPtrArray *queues = g_hash_table_lookup (bus->subscribers, topic);
  BaseMsg *msg;

  if (queues == NULL || queues->len == 0)
    return;

  msg = g_new (BaseMsg, 1);
  msg->ref_count = queues->len;
  msg->topic = topic;
  msg->value = value;
  for (guint i = 0; i < queues->len; i++)
    g_async_queue_push (g_ptr_array_index (queues, i), msg);
}

static void
base_msg_unref (BaseMsg *msg)
{
  if (g_atomic_int_dec_and_test (&msg->ref_count))
    g_free (msg);
}

static void
base_actor_free (BaseActor *actor)
{
  g_async_queue_unref (actor->queue);
  rally_clear (&actor->rally);
  g_strfreev (actor->labels);
  g_free (actor);
}

static BaseBus *
base_bus_new (void)
{
  BaseBus *bus = g_new0 (BaseBus, 1);

  bus->subscribers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  bus->actors = g_ptr_array_new_with_free_func ((GDestroyNotify) base_actor_free);
  return bus;
}

static void
base_bus_free (BaseBus *bus)
{
  g_hash_table_unref (bus->subscribers);
  g_ptr_array_unref (bus->actors);
  g_free (bus);
}

static BaseActor *
base_bus_add (BaseBus    *bus,
              const char *topic)
{
  BaseActor *actor = g_new0 (BaseActor, 1);
  GPtrArray *queues;

  actor->bus = bus;
  actor->queue = g_async_queue_new ();
  g_ptr_array_add (bus->actors, actor);
  if (topic == NULL)
    return actor;

  queues = g_hash_table_lookup (bus->subscribers, topic);
  if (queues == NULL)
    {
      queues = g_ptr_array_new ();
      g_hash_table_insert (bus->subscribers, g_strdup (topic), queues);
    }
  g_ptr_array_add (queues, actor->queue);
  return actor;
}

static gpointer
base_actor_main (gpointer data)
{
  BaseActor *self = data;

  if (self->on_start != NULL)
    self->on_start (self);
  for (;;)
    {
      BaseMsg *msg = g_async_queue_pop (self->queue);

      if (msg == &base_stop_msg)
        break;
      self->handle (self, msg);
      base_msg_unref (msg);
    }
  return NULL;
}

static void
base_bus_start (BaseBus *bus)
{
  for (guint i = 0; i < bus->actors->len; i++)
    {
      BaseActor *actor = g_ptr_array_index (bus->actors, i);

      actor->thread = g_thread_new ("base-actor", base_actor_main, actor);
    }
}

/* Ends every thread after what its queue holds. */
static void
base_bus_stop (BaseBus *bus)
{
  for (guint i = 0; i < bus->actors->len; i++)
    g_async_queue_push (((BaseActor *) g_ptr_array_index (bus->actors, i))->queue, &base_stop_msg);
  for (guint i = 0; i < bus->actors->len; i++)
    g_thread_join (((BaseActor *) g_ptr_array_index (bus->actors, i))->thread);
}

static void
base_consumer_handle (BaseActor *self,
                      BaseMsg   *msg)
{
  tally_take (&self->tally, msg->value);
}

static void
base_producer_start (BaseActor *self)
{
  for (gint64 i = 0; i < self->total; i++)
    base_publish (self->bus, self->labels[i % self->n_labels], i);
}

static void
base_player_start (BaseActor *self)
{
  if (self->rally.latencies_ns != NULL)
    base_publish (self->bus, self->label, rally_serve (&self->rally));
}

static void
base_player_handle (BaseActor *self,
                    BaseMsg   *msg)
{
  gint64 next = rally_take (&self->rally, msg->value);

  if (next >= 0)
    base_publish (self->bus, self->label, next);
}

static gboolean
run_spread_baseline (ScenarioId  id,
                     Result     *result)
{
  Spread spread = spread_for (id);
  g_auto(GStrv) topics = spread_topics (&spread);
  BaseBus *bus = base_bus_new ();
  BaseActor *producer;
  gint64 deliveries = 0, start_ns;
  gboolean ok = TRUE;
  Latch latch;

  latch_init (&latch, spread.n_consumers);
  for (guint c = 0; c < spread.n_consumers; c++)
    {
      guint topic = c % spread.n_topics;
      BaseActor *consumer = base_bus_add (bus, topics[topic]);

      consumer->handle = base_consumer_handle;
      tally_init (&consumer->tally, &latch, topic, spread.n_topics, spread_share (&spread, topic));
      deliveries += consumer->tally.expected;
    }
  producer = base_bus_add (bus, NULL);
  producer->on_start = base_producer_start;
  producer->labels = g_strdupv (topics);
  producer->n_labels = spread.n_topics;
  producer->total = spread.n_events;

  start_ns = now_ns ();
  base_bus_start (bus);
  result->seconds = (latch_wait (&latch) - start_ns) / 1e9;
  base_bus_stop (bus);

  for (guint c = 0; c < spread.n_consumers; c++)
    ok &= tally_check (&((BaseActor *) g_ptr_array_index (bus->actors, c))->tally, "baseline");
  result->rate = deliveries / result->seconds;
  result->peak_rss_mib = bench_proc_status_kib ("VmHWM:") / 1024.0;
  base_bus_free (bus);
  latch_clear (&latch);

  return ok;
}

static gboolean
run_rally_baseline (Result *result)
{
  BaseBus *bus = base_bus_new ();
  BaseActor *pinger = base_bus_add (bus, "pong");
  BaseActor *ponger = base_bus_add (bus, "ping");
  gboolean ok;
  Latch latch;

  latch_init (&latch, 1);
  rally_init (&pinger->rally, sizes.s1_rounds, TRUE, &latch);
  rally_init (&ponger->rally, sizes.s1_rounds, FALSE, &latch);
  pinger->label = "ping";
  ponger->label = "pong";
  pinger->on_start = ponger->on_start = base_player_start;
  pinger->handle = ponger->handle = base_player_handle;

  base_bus_start (bus);
  latch_wait (&latch);
  base_bus_stop (bus);

  ok = rally_check (&pinger->rally, "baseline pinger") &
       rally_check (&ponger->rally, "baseline ponger");
  rally_report (&pinger->rally, latch.finished_ns, result);
  base_bus_free (bus);
  latch_clear (&latch);

  return ok;
}

static gboolean
run_scale_baseline (Result *result)
{
  guint n = sizes.s5_actors;
  g_auto(GStrv) names = make_names ("a", n);
  gint64 rss_before, rss_running, start_ns, phase_ns[4];
  gboolean ok = TRUE;
  BaseBus *bus;
  Latch latch;

  latch_init (&latch, n);
  rss_before = bench_proc_status_kib ("VmRSS:");
  start_ns = now_ns ();

  bus = base_bus_new ();
  for (guint i = 0; i < n; i++)
    {
      BaseActor *actor = base_bus_add (bus, names[i]);

      actor->handle = base_consumer_handle;
      tally_init (&actor->tally, &latch, 0, 1, 1);
    }
  phase_ns[0] = now_ns ();
  base_bus_start (bus);
  phase_ns[1] = now_ns ();
  for (guint i = 0; i < n; i++)
    base_publish (bus, names[i], 0);
  latch_wait (&latch);
  phase_ns[2] = now_ns ();
  rss_running = bench_proc_status_kib ("VmRSS:");
  base_bus_stop (bus);
  phase_ns[3] = now_ns ();
  scale_report (start_ns, phase_ns, result);

  for (guint i = 0; i < n; i++)
    ok &= tally_check (&((BaseActor *) g_ptr_array_index (bus->actors, i))->tally, names[i]);
  result->kib_per_actor = (double) (rss_running - rss_before) / n;
  base_bus_free (bus);
  latch_clear (&latch);

  return ok;
}

/* The scenario table */

typedef struct
{
  const char *key;          /* in the output line */
  gsize       offset;       /* of the double in Result */
  const char *format;
} Figure;

#define FIGURE(key, field, format) { key, G_STRUCT_OFFSET (Result, field), format }

typedef struct
{
  ScenarioId  id;
  const char *name;
  Monitoring  monitoring;   /* S2's variants; MONITORING_OFF elsewhere */
  guint       shapes;       /* SHAPE_BIT mask: the shapes that make sense */
  /* The first figure is the primary one: "ratio" compares it. */
  Figure      figures[3];
  guint       n_figures;
  gboolean    lower_is_better;  /* of the primary figure */
} Scenario;

/* Ticks make no difference where a mailbox never holds more than one
 * event (S1, S5). Every scenario runs on the library's worker pool. */
#define SHAPES_ONE_AT_A_TIME                                                    \
  (SHAPE_BIT (SHAPE_THREADED) | SHAPE_BIT (SHAPE_SHARED) | SHAPE_BIT (SHAPE_POOL))
#define SHAPES_STREAMING                                                        \
  (SHAPE_BIT (SHAPE_THREADED) | SHAPE_BIT (SHAPE_THREADED_TICK) |               \
   SHAPE_BIT (SHAPE_SHARED) | SHAPE_BIT (SHAPE_SHARED_TICK) |                   \
   SHAPE_BIT (SHAPE_POOL) | SHAPE_BIT (SHAPE_POOL_TICK))

static const Scenario scenarios[] = {
  { SCENARIO_S1, "pingpong", MONITORING_OFF, SHAPES_ONE_AT_A_TIME,
    { FIGURE ("round_trips_per_s", rate, "%.0f"), FIGURE ("p50_us", p50_us, "%.1f"),
      FIGURE ("p99_us", p99_us, "%.1f") }, 3, FALSE },
  { SCENARIO_S2, "pipe", MONITORING_OFF, SHAPES_STREAMING,
    { FIGURE ("events_per_s", rate, "%.0f"), FIGURE ("peak_rss_mib", peak_rss_mib, "%.1f") },
    2, FALSE },
  { SCENARIO_S2, "pipe", MONITORING_PAUSED, SHAPES_STREAMING,
    { FIGURE ("events_per_s", rate, "%.0f"), FIGURE ("peak_rss_mib", peak_rss_mib, "%.1f") },
    2, FALSE },
  { SCENARIO_S2, "pipe", MONITORING_NOOP, SHAPES_STREAMING,
    { FIGURE ("events_per_s", rate, "%.0f"), FIGURE ("peak_rss_mib", peak_rss_mib, "%.1f") },
    2, FALSE },
  { SCENARIO_S3, "fanout", MONITORING_OFF, SHAPES_STREAMING,
    { FIGURE ("deliveries_per_s", rate, "%.0f") }, 1, FALSE },
  { SCENARIO_S4, "topics", MONITORING_OFF, SHAPES_STREAMING,
    { FIGURE ("deliveries_per_s", rate, "%.0f") }, 1, FALSE },
  { SCENARIO_S5, "scale", MONITORING_OFF, SHAPES_ONE_AT_A_TIME,
    { FIGURE ("seconds", seconds, "%.4f"), FIGURE ("kib_per_actor", kib_per_actor, "%.1f") },
    2, TRUE },
};

static const char *
scenario_label (const Scenario *scenario)
{
  static const char * const labels[] = { "S1", "S2", "S3", "S4", "S5" };

  return labels[scenario->id];
}

/* Runs one measurement in this process; @shape NULL is the baseline. */
static gboolean
run_here (const Scenario *scenario,
          const Shape    *shape,
          Result         *result)
{
  switch (scenario->id)
    {
    case SCENARIO_S1:
      return shape != NULL ? run_rally_maiko (shape, result) : run_rally_baseline (result);
    case SCENARIO_S5:
      return shape != NULL ? run_scale_maiko (shape, result) : run_scale_baseline (result);
    case SCENARIO_S2:
    case SCENARIO_S3:
    case SCENARIO_S4:
    default:
      return shape != NULL ? run_spread_maiko (scenario->id, scenario->monitoring, shape, result)
                           : run_spread_baseline (scenario->id, result);
    }
}

/* The parent: a child per run */

static gboolean
write_all (int           fd,
           gconstpointer data,
           gsize         size)
{
  const char *p = data;

  while (size > 0)
    {
      gssize n = write (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      size -= n;
    }
  return TRUE;
}

static gboolean
read_all (int      fd,
          gpointer data,
          gsize    size)
{
  char *p = data;

  while (size > 0)
    {
      gssize n = read (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      size -= n;
    }
  return TRUE;
}

G_GNUC_NORETURN static void
child_main (const Scenario *scenario,
            const Shape    *shape,
            int             fd)
{
  Result result = { 0 };

  /* Ends a run that hangs; the parent reports the signal. */
  alarm (timeout_s);
  result.ok = run_here (scenario, shape, &result);
  if (!write_all (fd, &result, sizeof result))
    _exit (3);
  /* _exit: the parent's stdio buffers are not ours to flush. */
  _exit (result.ok ? 0 : 2);
}

static gboolean
run_in_child (const Scenario *scenario,
              const Shape    *shape,
              Result         *result)
{
  const char *mode = shape != NULL ? shape->name : "baseline";
  gboolean got;
  int fds[2], status;
  pid_t pid;

  if (pipe (fds) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      close (fds[0]);
      child_main (scenario, shape, fds[1]);
    }

  close (fds[1]);
  got = read_all (fds[0], result, sizeof *result);
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  if (WIFSIGNALED (status))
    g_printerr ("%s mode=%s: the run died of signal %d%s\n", scenario_label (scenario), mode,
                WTERMSIG (status), WTERMSIG (status) == SIGALRM ? " (timeout)" : "");
  else if (WEXITSTATUS (status) != 0)
    g_printerr ("%s mode=%s: events lost or doubled (exit status %d)\n",
                scenario_label (scenario), mode, WEXITSTATUS (status));
  if (!got)
    *result = (Result) { 0 };

  return got && WIFEXITED (status) && WEXITSTATUS (status) == 0 && result->ok;
}

/* One mode of a scenario: its runs, their medians. */
typedef struct
{
  const Shape *shape;    /* NULL: the baseline */
  GArray      *results;  /* Result */
  gboolean     failed;
  Result       median;
} ModeRuns;

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (GArray *results,
           gsize   offset)
{
  g_autofree double *values = g_new (double, results->len);
  guint n = results->len;

  if (n == 0)
    return 0;
  for (guint i = 0; i < n; i++)
    values[i] = G_STRUCT_MEMBER (double, &g_array_index (results, Result, i), offset);
  qsort (values, n, sizeof (double), compare_double);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
compute_median (const Scenario *scenario,
                ModeRuns       *runs)
{
  for (guint f = 0; f < scenario->n_figures; f++)
    G_STRUCT_MEMBER (double, &runs->median, scenario->figures[f].offset) =
      median_of (runs->results, scenario->figures[f].offset);
}

static double
figure_of (const Result *result,
           const Figure *figure)
{
  return G_STRUCT_MEMBER (double, result, figure->offset);
}

/* 0 when a failed run left nothing to compare with. */
static double
quotient (double a,
          double b)
{
  return a > 0 && b > 0 ? a / b : 0;
}

static void
append_figure (GString      *line,
               const char   *prefix,
               const Figure *figure,
               double        value)
{
  g_string_append_printf (line, " %s%s=", prefix, figure->key);
  g_string_append_printf (line, figure->format, value);
}

/* One line: "S2 mode=threaded shape=threaded monitoring=off runs=5
 * events_per_s=… peak_rss_mib=… baseline_events_per_s=… … ratio=…
 * peak_rss_mib_ratio=… check=ok". */
static void
print_line (const Scenario *scenario,
            const char     *mode,
            const ModeRuns *runs,
            const ModeRuns *baseline)
{
  g_autoptr(GString) line = g_string_new (scenario_label (scenario));
  const Figure *primary = &scenario->figures[0];

  g_string_append_printf (line, " mode=%s shape=%s", mode,
                          runs->shape != NULL ? runs->shape->name : "threads+gasyncqueue");
  if (scenario->id == SCENARIO_S2)
    g_string_append_printf (line, " monitoring=%s",
                            runs->shape != NULL ? monitoring_names[scenario->monitoring] : "none");
  g_string_append_printf (line, " runs=%u", runs->results->len);
  for (guint f = 0; f < scenario->n_figures; f++)
    append_figure (line, "", &scenario->figures[f],
                   figure_of (&runs->median, &scenario->figures[f]));

  if (runs != baseline)
    {
      double value = figure_of (&runs->median, primary);
      double base = figure_of (&baseline->median, primary);

      for (guint f = 0; f < scenario->n_figures; f++)
        append_figure (line, "baseline_", &scenario->figures[f],
                       figure_of (&baseline->median, &scenario->figures[f]));
      /* "ratio" always reads as speed: above 1 is faster than the baseline. */
      g_string_append_printf (line, " ratio=%.2f",
                              scenario->lower_is_better ? quotient (base, value)
                                                        : quotient (value, base));
      for (guint f = 1; f < scenario->n_figures; f++)
        g_string_append_printf (line, " %s_ratio=%.2f", scenario->figures[f].key,
                                quotient (figure_of (&runs->median, &scenario->figures[f]),
                                          figure_of (&baseline->median, &scenario->figures[f])));
    }
  g_string_append_printf (line, " check=%s", runs->failed ? "FAILED" : "ok");
  g_print ("%s\n", line->str);
}

static void
print_run (const Scenario *scenario,
           const ModeRuns *runs,
           guint           run)
{
  const Result *result = &g_array_index (runs->results, Result, runs->results->len - 1);
  g_autoptr(GString) line = g_string_new ("#");

  g_string_append_printf (line, " %s run=%u mode=%s", scenario_label (scenario), run,
                          runs->shape != NULL ? runs->shape->name : "baseline");
  for (guint f = 0; f < scenario->n_figures; f++)
    append_figure (line, "", &scenario->figures[f], figure_of (result, &scenario->figures[f]));
  if (scenario->id == SCENARIO_S5)
    for (guint i = 0; i < G_N_ELEMENTS (phase_names); i++)
      g_string_append_printf (line, " %s=%.4f", phase_names[i], result->phases[i]);
  g_printerr ("%s\n", line->str);
}

static gboolean
better (const Scenario *scenario,
        const ModeRuns *a,
        const ModeRuns *b)
{
  double x = figure_of (&a->median, &scenario->figures[0]);
  double y = figure_of (&b->median, &scenario->figures[0]);

  return scenario->lower_is_better ? x < y : x > y;
}

/* Runs every mode of @scenario @n_runs times, interleaved so that a noisy
 * stretch of time hits all modes alike, then prints a line per mode and
 * one for the best shape. Returns FALSE if any run failed. */
static gboolean
run_scenario (const Scenario *scenario,
              guint           n_runs,
              const char     *only_mode)
{
  ModeRuns modes[1 + N_SHAPES];
  guint n_modes = 0;
  ModeRuns *best = NULL;
  gboolean ok = TRUE;

  modes[n_modes++] = (ModeRuns) { NULL };
  for (guint s = 0; s < N_SHAPES; s++)
    if ((scenario->shapes & SHAPE_BIT (s)) &&
        (only_mode == NULL || g_str_equal (only_mode, shapes[s].name)))
      modes[n_modes++] = (ModeRuns) { &shapes[s] };

  for (guint m = 0; m < n_modes; m++)
    modes[m].results = g_array_new (FALSE, TRUE, sizeof (Result));
  for (guint run = 0; run < n_runs; run++)
    for (guint m = 0; m < n_modes; m++)
      {
        Result result;

        if (!run_in_child (scenario, modes[m].shape, &result))
          modes[m].failed = TRUE;
        g_array_append_val (modes[m].results, result);
        print_run (scenario, &modes[m], run);
      }

  for (guint m = 0; m < n_modes; m++)
    {
      compute_median (scenario, &modes[m]);
      print_line (scenario, m == 0 ? "baseline" : modes[m].shape->name, &modes[m], &modes[0]);
      if (m > 0 && (best == NULL || better (scenario, &modes[m], best)))
        best = &modes[m];
      ok &= !modes[m].failed;
    }
  if (best != NULL)
    print_line (scenario, "best", best, &modes[0]);

  for (guint m = 0; m < n_modes; m++)
    g_array_unref (modes[m].results);
  return ok;
}

static gboolean
shape_exists (const char *name)
{
  for (guint s = 0; s < N_SHAPES; s++)
    if (g_str_equal (name, shapes[s].name))
      return TRUE;
  return FALSE;
}

static gboolean
scenario_selected (const Scenario *scenario,
                   const char     *only,
                   const char     *only_monitoring)
{
  return (only == NULL || g_ascii_strcasecmp (only, scenario_label (scenario)) == 0) &&
         (only_monitoring == NULL ||
          g_str_equal (only_monitoring, monitoring_names[scenario->monitoring]));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *only_scenario = NULL;
  g_autofree char *only_mode = NULL;
  g_autofree char *only_monitoring = NULL;
  g_autofree char *payload = NULL;
  gboolean quick = FALSE;
  gint n_runs = 0;
  gint timeout = 300;
  gboolean ok = TRUE;
  guint n_selected = 0;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &n_runs,
      "Runs per figure, whose median is printed (5; 1 with --quick)", "N" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &only_scenario,
      "Run one scenario only (S1 to S5)", "ID" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &only_mode,
      "Run one Maiko shape only, besides the baseline", "SHAPE" },
    { "payload", 0, 0, G_OPTION_ARG_STRING, &payload,
      "How Maiko events carry their int64: int64 (in the event; the default) or variant",
      "KIND" },
    { "monitoring", 0, 0, G_OPTION_ARG_STRING, &only_monitoring,
      "Run only the rows with this monitoring (off, paused or noop; only S2 has the last two)",
      "VARIANT" },
    { "quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
      "Small sizes: a smoke run, or one to profile", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      "Seconds after which a run counts as hung (300)", "S" },
    { NULL }
  };

  options = g_option_context_new ("- Maiko's benchmark scenarios S1 to S5");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("maiko-bench: %s\n", error->message);
      return 2;
    }

  if (only_mode != NULL && !shape_exists (only_mode))
    {
      g_printerr ("maiko-bench: no shape '%s'\n", only_mode);
      return 2;
    }

  if (payload != NULL && !g_str_equal (payload, "int64") && !g_str_equal (payload, "variant"))
    {
      g_printerr ("maiko-bench: no payload kind '%s' (int64 or variant)\n", payload);
      return 2;
    }
  variant_payloads = payload != NULL && g_str_equal (payload, "variant");

  sizes = quick ? quick_sizes : full_sizes;
  n_runs = n_runs > 0 ? n_runs : quick ? 1 : 5;
  timeout_s = timeout > 0 ? timeout : 300;
  bench_raise_fd_limit ();

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    n_selected += scenario_selected (&scenarios[i], only_scenario, only_monitoring);
  if (n_selected == 0)
    {
      g_printerr ("maiko-bench: no scenario '%s' with monitoring '%s'\n",
                  only_scenario ? only_scenario : "(any)",
                  only_monitoring ? only_monitoring : "(any)");
      return 2;
    }

  g_print ("# maiko-bench runs=%d quick=%d cpus=%u payload=%s\n", n_runs, quick,
           g_get_num_processors (), variant_payloads ? "variant" : "int64");
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (scenario_selected (&scenarios[i], only_scenario, only_monitoring))
      ok &= run_scenario (&scenarios[i], n_runs, only_mode);

  return ok ? 0 : 1;
}
