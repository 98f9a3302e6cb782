/* test-stress.c: millions of events through a graph of 16 actors under BLOCK
 *
 * SPDX-License-Identifier: MIT
 *
 * Four sources publish numbered events on topics t0..t3 (each on its own
 * few, picked at random per event); six relays take them and pass one in
 * two on as events of their own on t4..t7; six sinks (one of them, the
 * auditor, subscribed to every topic) take the rest. Every topic has
 * the BLOCK policy, mailboxes are small, some actors stall at random (the
 * slow consumers), and most topics fan out to two or more subscribers.
 * Some sinks and one relay share two contexts driven by threads of the
 * test; the other actors have threads of their own.
 *
 *   sources ─ t0 ─▶ rel0 rel1 snk0 ─┐     rel0 ─▶ t4 t5     t4 ─▶ rel5 snk1
 *           ─ t1 ─▶ rel1 rel2       │     rel1 ─▶ t5        t5 ─▶ snk0 snk2
 *           ─ t2 ─▶ rel3 rel4       │     rel2 ─▶ t4 t6     t6 ─▶ snk2 snk3
 *           ─ t3 ─▶ rel4 snk1       │     rel3 ─▶ t6 t7     t7 ─▶ snk3 snk4
 *                                   │     rel4 ─▶ t7
 *   audit ◀─ every topic ───────────┘     rel5 ─▶ t7
 *
 * Each event carries its sender, its topic, the sender's own sequence
 * number and the sender's sequence number on that topic. Each receiver
 * checks that, from each sender, every topic's numbers come without a gap
 * or a repeat (nothing lost, nothing doubled) and that the sender's own
 * numbers only grow (order kept across topics). At the end each receiver
 * must have exactly what its senders sent on its topics, and the
 * supervisor must count nothing undelivered or dropped.
 *
 * Peak RSS (VmHWM) is read at every tenth of the run: with bounded
 * mailboxes and outboxes it must stop growing once the graph is warm.
 *
 * The configuration (capacities, slow actors, the sinks' contexts, the
 * sources' topics) comes from a seed, printed in the output:
 * MAIKO_STRESS_SEED=<n> repeats it, MAIKO_STRESS_EVENTS=<n> sets how many
 * events the sources publish. /stress/graph (1,000,000 events from the
 * sources) runs by default; /stress/graph-long (10,000,000) runs with
 * `-m slow`, which meson passes when configured with -Dlong_tests=true.
 */

#include <string.h>

#include "test-util.h"

#define N_ACTORS 16
#define N_TOPICS 8
#define N_SOURCES 4
#define N_CONTEXTS 2

#define SHORT_EVENTS 1000000
#define LONG_EVENTS 10000000
#define DEFAULT_SEED 1

/* How long the run may go without any progress before it counts as hung. */
#define STALL_TIMEOUT_S 60

/* VmHWM may still grow by this much after the first checkpoint that counts
 * (malloc arenas settling); a leak per event grows it far beyond. */
#define RSS_SLACK_KIB 2048
/* Checkpoints before this tenth are warm-up. */
#define RSS_FIRST_CHECKPOINT 2

typedef enum
{
  ROLE_SOURCE,
  ROLE_RELAY,
  ROLE_SINK,
} Role;

typedef struct
{
  const char *name;
  Role        role;
  /* Topic indices, -1 ends; { N_TOPICS } alone means every topic. */
  gint        subscribes[3];
  gint        publishes[3];
  /* -1: a thread of its own; 0 or 1: that shared context; 2: either
   * shared context, as the seed says. */
  gint        context;
} NodeSpec;

#define ALL_TOPICS N_TOPICS

static const NodeSpec graph[N_ACTORS] = {
  { "src0",  ROLE_SOURCE, { -1 },          { 0, 1, 2 },  -1 },
  { "src1",  ROLE_SOURCE, { -1 },          { 0, 1, 2 },  -1 },
  { "src2",  ROLE_SOURCE, { -1 },          { 1, 2, 3 },  -1 },
  { "src3",  ROLE_SOURCE, { -1 },          { 0, 3, -1 }, -1 },
  { "rel0",  ROLE_RELAY,  { 0, -1 },       { 4, 5, -1 }, -1 },
  { "rel1",  ROLE_RELAY,  { 0, 1, -1 },    { 5, -1 },    -1 },
  { "rel2",  ROLE_RELAY,  { 1, -1 },       { 4, 6, -1 }, -1 },
  { "rel3",  ROLE_RELAY,  { 2, -1 },       { 6, 7, -1 }, -1 },
  { "rel4",  ROLE_RELAY,  { 2, 3, -1 },    { 7, -1 },    -1 },
  /* The one relay on a shared context: its BLOCK waits for a sink on the
   * same context iterate that context (nested); for a sink on the other
   * one they wait on the mailbox. Sinks never wait, so the contexts
   * cannot wait on each other in a cycle. */
  { "rel5",  ROLE_RELAY,  { 4, -1 },       { 7, -1 },    0 },
  { "snk0",  ROLE_SINK,   { 0, 5, -1 },    { -1 },       2 },
  { "snk1",  ROLE_SINK,   { 3, 4, -1 },    { -1 },       2 },
  { "snk2",  ROLE_SINK,   { 5, 6, -1 },    { -1 },       2 },
  { "snk3",  ROLE_SINK,   { 6, 7, -1 },    { -1 },       2 },
  { "snk4",  ROLE_SINK,   { 7, -1 },       { -1 },       0 },
  { "audit", ROLE_SINK,   { ALL_TOPICS, -1 }, { -1 },    -1 },
};

static const char *topic_names[N_TOPICS] = { "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7" };

typedef struct _Stress Stress;

/* Relays and sinks are StressActors; sources are StressSources, the same
 * with a step. Only sources step: an actor whose class overrides step has
 * a step source, and a relay on a shared context with one would meet the
 * runtime bug that /faults/nested-wait-redispatch shows. */
typedef struct _StressActor StressActor;
typedef MaikoActorClass StressActorClass;
typedef StressActor StressSource;
typedef MaikoActorClass StressSourceClass;

static GType stress_actor_get_type (void);
static GType stress_source_get_type (void);

#define STRESS_ACTOR(o) ((StressActor *) (o))

struct _StressActor
{
  MaikoActor   parent_instance;

  Stress      *stress;                 /* borrowed: the run outlives its actors' work */
  guint        index;
  const NodeSpec *spec;
  gboolean     subscribed[N_TOPICS];   /* which topics it may receive */
  guint        outputs[3];             /* topics it publishes on */
  guint        n_outputs;

  /* Touched only on the actor's own context. */
  GRand       *rand;
  guint        stall_one_in;           /* 0: never stalls */
  guint        stall_max_us;
  guint64      quota;                  /* a source's events */
  guint64      produced;
  guint64      own_seq;                /* numbers every event this actor sends */
  guint64      topic_seq[N_TOPICS];
  /* Per sender: the next number expected on each topic, and the last own
   * number seen plus one (0: none yet). */
  guint64      expected[N_ACTORS][N_TOPICS];
  guint64      last_seen[N_ACTORS];

  /* Read by the main thread while the run goes on. */
  gsize        sent[N_TOPICS];         /* atomic */
  gsize        handled;                /* atomic */
  gint         done;                   /* atomic: a source sent its quota */
  gint         n_starts;               /* atomic */
  gint         n_shutdowns;            /* atomic */
};

struct _Stress
{
  guint64       seed;
  guint64       events;                /* the sources' total */
  StressActor  *actors[N_ACTORS];
  const char   *names[N_ACTORS];       /* interned */
  guint         n_subscribers[N_TOPICS];

  /* Shared contexts and the threads that drive them. */
  GMainContext *contexts[N_CONTEXTS];
  GThread      *drivers[N_CONTEXTS];
  gint          quit;                  /* atomic */

  /* Progress: sources broadcast every so often, the main thread waits. */
  GMutex        mutex;
  GCond         cond;
  gsize         source_sent;           /* atomic */

  /* What the checks found; the first message is kept. */
  gint          violations;            /* atomic */
  char         *first_violation;       /* under mutex */
};

G_DEFINE_TYPE (StressActor, stress_actor, MAIKO_TYPE_ACTOR)
G_DEFINE_TYPE (StressSource, stress_source, stress_actor_get_type ())

static void
violation (Stress     *stress,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
violation (Stress     *stress,
           const char *format,
           ...)
{
  va_list args;

  if (g_atomic_int_add (&stress->violations, 1) > 0)
    return;

  va_start (args, format);
  g_mutex_lock (&stress->mutex);
  stress->first_violation = g_strdup_vprintf (format, args);
  g_cond_broadcast (&stress->cond);
  g_mutex_unlock (&stress->mutex);
  va_end (args);
}

static void
maybe_stall (StressActor *self)
{
  if (self->stall_one_in > 0 && g_rand_int_range (self->rand, 0, self->stall_one_in) == 0)
    g_usleep (g_rand_int_range (self->rand, 20, self->stall_max_us));
}

/* A payload is one uint64 (a tuple costs more to build and read than the
 * runtime spends on the event): the sender (4 bits), the topic (4), the
 * sender's own number (28) and its number on that topic (28). */
#define SEQ_BITS 28
#define SEQ_MASK ((G_GUINT64_CONSTANT (1) << SEQ_BITS) - 1)

static guint64
pack (guint   sender,
      guint   topic,
      guint64 own_seq,
      guint64 topic_seq)
{
  return ((guint64) sender << 60) | ((guint64) topic << 56) |
         ((own_seq & SEQ_MASK) << SEQ_BITS) | (topic_seq & SEQ_MASK);
}

static void
unpack (guint64  value,
        guint   *sender,
        guint   *topic,
        guint64 *own_seq,
        guint64 *topic_seq)
{
  *sender = value >> 60;
  *topic = (value >> 56) & 0xf;
  *own_seq = (value >> SEQ_BITS) & SEQ_MASK;
  *topic_seq = value & SEQ_MASK;
}

static gboolean
send_numbered (StressActor *self,
               guint        topic)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));
  g_autoptr(MaikoEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = maiko_event_new (topic_names[topic],
                           g_variant_new_uint64 (pack (self->index, topic, self->own_seq,
                                                       self->topic_seq[topic])));
  if (!maiko_context_send (context, event, &error))
    {
      violation (self->stress, "%s could not send: %s", self->spec->name, error->message);
      return FALSE;
    }
  self->own_seq++;
  self->topic_seq[topic]++;
  /* Counted before the outbox is routed, so before anyone can handle it. */
  g_atomic_pointer_add (&self->sent[topic], 1);

  return TRUE;
}

static void
check_envelope (StressActor   *self,
                MaikoEnvelope *envelope)
{
  GVariant *payload = maiko_event_get_payload (maiko_envelope_get_event (envelope));
  guint sender, topic;
  guint64 own_seq, topic_seq;

  if (payload == NULL || !g_variant_is_of_type (payload, G_VARIANT_TYPE_UINT64))
    {
      violation (self->stress, "%s got a foreign event", self->spec->name);
      return;
    }
  unpack (g_variant_get_uint64 (payload), &sender, &topic, &own_seq, &topic_seq);
  if (sender >= N_ACTORS || topic >= N_TOPICS ||
      !g_str_equal (maiko_envelope_get_sender (envelope), self->stress->names[sender]) ||
      !g_str_equal (maiko_envelope_get_topic (envelope), topic_names[topic]))
    {
      violation (self->stress, "%s got an event whose envelope does not match its payload",
                 self->spec->name);
      return;
    }
  if (!self->subscribed[topic] || sender == self->index)
    {
      violation (self->stress, "%s got an event of %s on %s, which it should not",
                 self->spec->name, self->stress->names[sender], topic_names[topic]);
      return;
    }
  if (topic_seq != self->expected[sender][topic])
    {
      violation (self->stress, "%s expected #%" G_GUINT64_FORMAT " of %s on %s, got #%"
                 G_GUINT64_FORMAT " (%s)",
                 self->spec->name, self->expected[sender][topic], self->stress->names[sender],
                 topic_names[topic], topic_seq,
                 topic_seq > self->expected[sender][topic] ? "lost" : "doubled or reordered");
      self->expected[sender][topic] = topic_seq;
    }
  self->expected[sender][topic]++;
  if (own_seq + 1 <= self->last_seen[sender])
    violation (self->stress, "%s got %s's #%" G_GUINT64_FORMAT " after #%" G_GUINT64_FORMAT,
               self->spec->name, self->stress->names[sender], own_seq,
               self->last_seen[sender] - 1);
  self->last_seen[sender] = own_seq + 1;
}

static gboolean
stress_actor_on_start (MaikoActor  *actor,
                       GError     **error)
{
  StressActor *self = STRESS_ACTOR (actor);

  g_atomic_int_inc (&self->n_starts);
  return TRUE;
}

static gboolean
stress_actor_handle_event (MaikoActor     *actor,
                           MaikoEnvelope  *envelope,
                           GError        **error)
{
  StressActor *self = STRESS_ACTOR (actor);

  check_envelope (self, envelope);
  maybe_stall (self);
  /* A relay passes one event in two on, to a topic of its choice. */
  if (self->spec->role == ROLE_RELAY && g_rand_boolean (self->rand))
    send_numbered (self, self->outputs[g_rand_int_range (self->rand, 0, self->n_outputs)]);
  g_atomic_pointer_add (&self->handled, 1);

  return TRUE;
}

static void
announce_progress (Stress *stress)
{
  g_mutex_lock (&stress->mutex);
  g_cond_broadcast (&stress->cond);
  g_mutex_unlock (&stress->mutex);
}

static MaikoStepAction
stress_source_step (MaikoActor *actor)
{
  StressActor *self = STRESS_ACTOR (actor);
  MaikoContext *context = maiko_actor_get_context (actor);
  gsize before;
  guint n = 0;

  while (self->produced < self->quota && !maiko_context_is_sender_full (context))
    {
      if (!send_numbered (self, self->outputs[g_rand_int_range (self->rand, 0, self->n_outputs)]))
        return MAIKO_STEP_ACTION_NEVER;
      self->produced++;
      n++;
    }
  maybe_stall (self);

  /* Every 16384 events, and at the end, the main thread looks. */
  before = g_atomic_pointer_add (&self->stress->source_sent, n);
  if (before / 16384 != (before + n) / 16384)
    announce_progress (self->stress);
  if (self->produced < self->quota)
    return g_rand_boolean (self->rand) ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_YIELD;

  g_atomic_int_set (&self->done, TRUE);
  announce_progress (self->stress);
  return MAIKO_STEP_ACTION_NEVER;
}

static void
stress_actor_on_shutdown (MaikoActor *actor)
{
  StressActor *self = STRESS_ACTOR (actor);

  g_atomic_int_inc (&self->n_shutdowns);
}

static gboolean
stress_actor_on_error (MaikoActor   *actor,
                       const GError *error)
{
  StressActor *self = STRESS_ACTOR (actor);

  violation (self->stress, "%s failed: %s", self->spec->name, error->message);
  return FALSE;
}

static void
stress_actor_finalize (GObject *object)
{
  StressActor *self = STRESS_ACTOR (object);

  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (stress_actor_parent_class)->finalize (object);
}

static void
stress_actor_class_init (StressActorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  object_class->finalize = stress_actor_finalize;
  actor_class->on_start = stress_actor_on_start;
  actor_class->handle_event = stress_actor_handle_event;
  actor_class->on_shutdown = stress_actor_on_shutdown;
  actor_class->on_error = stress_actor_on_error;
}

static void
stress_actor_init (StressActor *self)
{
}

static void
stress_source_class_init (StressSourceClass *klass)
{
  klass->step = stress_source_step;
}

static void
stress_source_init (StressSource *self)
{
}

/* The run */

static guint64
env_uint64 (const char *name,
            guint64     fallback)
{
  const char *value = g_getenv (name);
  guint64 result;

  if (value == NULL || *value == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &result, NULL))
    g_error ("%s=%s is not a number", name, value);

  return result;
}

static gpointer
drive_context (gpointer data)
{
  Stress *stress = ((gpointer *) data)[0];
  GMainContext *context = ((gpointer *) data)[1];

  g_free (data);
  g_main_context_push_thread_default (context);
  while (!g_atomic_int_get (&stress->quit))
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static gboolean
is_subscribed (const NodeSpec *spec,
               guint           topic)
{
  for (guint i = 0; i < G_N_ELEMENTS (spec->subscribes) && spec->subscribes[i] >= 0; i++)
    if (spec->subscribes[i] == ALL_TOPICS || (guint) spec->subscribes[i] == topic)
      return TRUE;

  return FALSE;
}

static const guint capacities[] = { 2, 8, 32, 128 };
static const guint ticks[] = { 1, 4, 10, 64 };

static MaikoSupervisor *
build (Stress *stress)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed_array ((const guint32 *) &stress->seed, 2);
  static const guint broker_capacities[] = { 8, 64, 256 };
  guint broker_capacity = broker_capacities[g_rand_int_range (rand, 0, G_N_ELEMENTS (broker_capacities))];
  MaikoSupervisor *sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                       "broker-capacity", broker_capacity,
                                       NULL);
  g_autoptr(GString) layout = g_string_new (NULL);

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  for (guint t = 0; t < N_TOPICS; t++)
    g_assert_true (maiko_supervisor_set_topic_policy (sup, topic_names[t],
                                                      MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  for (guint c = 0; c < N_CONTEXTS; c++)
    stress->contexts[c] = g_main_context_new ();

  g_string_append_printf (layout, "broker-capacity %u;", broker_capacity);
  for (guint i = 0; i < N_ACTORS; i++)
    {
      const NodeSpec *spec = &graph[i];
      StressActor *actor = g_object_new (spec->role == ROLE_SOURCE ? stress_source_get_type ()
                                                                   : stress_actor_get_type (),
                                         NULL);
      const char *topics[N_TOPICS + 1] = { NULL };
      guint n_topics = 0;
      gint context = spec->context;
      g_autoptr(GError) error = NULL;

      actor->stress = stress;
      actor->index = i;
      actor->spec = spec;
      actor->rand = g_rand_new_with_seed ((guint32) (stress->seed * 31 + i));
      for (guint k = 0; k < G_N_ELEMENTS (spec->publishes) && spec->publishes[k] >= 0; k++)
        actor->outputs[actor->n_outputs++] = spec->publishes[k];
      for (guint t = 0; t < N_TOPICS; t++)
        actor->subscribed[t] = is_subscribed (spec, t);
      if (spec->subscribes[0] == ALL_TOPICS)
        topics[n_topics++] = MAIKO_TOPIC_ALL;
      else
        for (guint k = 0; k < G_N_ELEMENTS (spec->subscribes) && spec->subscribes[k] >= 0; k++)
          topics[n_topics++] = topic_names[spec->subscribes[k]];

      /* A third of the actors are slow: now and then they stall. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          actor->stall_one_in = g_rand_int_range (rand, 500, 5000);
          actor->stall_max_us = g_rand_int_range (rand, 100, 2000);
        }
      if (context == 2)
        context = g_rand_int_range (rand, 0, N_CONTEXTS);
      maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (actor),
                                        capacities[g_rand_int_range (rand, 0, G_N_ELEMENTS (capacities))]);
      maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (actor),
                                           ticks[g_rand_int_range (rand, 0, G_N_ELEMENTS (ticks))]);
      if (context >= 0)
        maiko_actor_set_main_context (MAIKO_ACTOR (actor), stress->contexts[context]);

      g_string_append_printf (layout, " %s(mailbox %u, tick %u, %s%s)", spec->name,
                              maiko_actor_get_mailbox_capacity (MAIKO_ACTOR (actor)),
                              maiko_actor_get_max_events_per_tick (MAIKO_ACTOR (actor)),
                              context >= 0 ? (context == 0 ? "context A" : "context B") : "thread",
                              actor->stall_one_in > 0 ? ", slow" : "");

      g_assert_true (maiko_supervisor_add_actor (sup, spec->name, MAIKO_ACTOR (actor), topics, &error));
      g_assert_no_error (error);
      stress->actors[i] = actor;
      stress->names[i] = maiko_actor_get_name (MAIKO_ACTOR (actor));
      for (guint t = 0; t < N_TOPICS; t++)
        if (actor->subscribed[t])
          stress->n_subscribers[t]++;
    }

  for (guint s = 0; s < N_SOURCES; s++)
    stress->actors[s]->quota = stress->events / N_SOURCES + (s < stress->events % N_SOURCES ? 1 : 0);

  g_test_message ("layout: %s", layout->str);

  return sup;
}

static guint64
sources_sent (Stress *stress)
{
  return g_atomic_pointer_get (&stress->source_sent);
}

static gboolean
sources_done (Stress *stress)
{
  for (guint s = 0; s < N_SOURCES; s++)
    if (!g_atomic_int_get (&stress->actors[s]->done))
      return FALSE;

  return TRUE;
}

static guint64
total_handled (Stress *stress)
{
  guint64 n = 0;

  for (guint i = 0; i < N_ACTORS; i++)
    n += g_atomic_pointer_get (&stress->actors[i]->handled);

  return n;
}

/* Deliveries owed for what has been sent so far: each event goes to every
 * subscriber of its topic but its sender. */
static guint64
total_owed (Stress *stress)
{
  guint64 n = 0;

  for (guint i = 0; i < N_ACTORS; i++)
    for (guint t = 0; t < N_TOPICS; t++)
      n += g_atomic_pointer_get (&stress->actors[i]->sent[t]) *
           (stress->n_subscribers[t] - (stress->actors[i]->subscribed[t] ? 1 : 0));

  return n;
}

/* Nothing in flight: read in this order, handled == owed means that at
 * the moment owed was read every delivery owed had been handled (handled
 * never exceeds owed), and with the sources done nothing sends again. */
static gboolean
quiescent (Stress *stress)
{
  guint64 handled;

  if (!sources_done (stress))
    return FALSE;
  handled = total_handled (stress);

  return handled == total_owed (stress);
}

static char *
describe (Stress *stress)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "sources sent %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                          "; handled %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " owed;",
                          sources_sent (stress), stress->events,
                          total_handled (stress), total_owed (stress));
  for (guint i = 0; i < N_ACTORS; i++)
    g_string_append_printf (text, " %s=%" G_GSIZE_FORMAT, graph[i].name,
                            (gsize) g_atomic_pointer_get (&stress->actors[i]->handled));

  return g_string_free (text, FALSE);
}

/* Waits until @done holds, failing if nothing moves for STALL_TIMEOUT_S
 * seconds or a check failed. Returns FALSE on a stall. */
static gboolean
wait_progress (Stress   *stress,
               gboolean (*done) (Stress *stress))
{
  guint64 last = G_MAXUINT64;
  gint64 deadline = 0;

  g_mutex_lock (&stress->mutex);
  while (!done (stress) && g_atomic_int_get (&stress->violations) == 0)
    {
      guint64 now = sources_sent (stress) + total_handled (stress);

      if (now != last)
        {
          last = now;
          deadline = g_get_monotonic_time () + STALL_TIMEOUT_S * G_TIME_SPAN_SECOND;
        }
      else if (g_get_monotonic_time () >= deadline)
        {
          g_mutex_unlock (&stress->mutex);
          return FALSE;
        }
      /* Sinks do not announce what they handle: look again in a while. */
      g_cond_wait_until (&stress->cond, &stress->mutex,
                         MIN (deadline, g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND));
    }
  g_mutex_unlock (&stress->mutex);

  return TRUE;
}

static guint64 checkpoint_target;

static gboolean
reached_checkpoint (Stress *stress)
{
  return sources_sent (stress) >= checkpoint_target;
}

static void
run_graph (guint64 default_events)
{
  Stress stress = { 0 };
  g_autoptr(MaikoSupervisor) sup = NULL;
  guint64 hwm[11] = { 0 };
  guint64 rss[11] = { 0 };
  g_autoptr(GString) memory = g_string_new (NULL);
  gint64 started, elapsed;
  guint threads_before = test_count_threads ();
  guint64 published = 0, deliveries = 0;
  gboolean rss_meaningful = test_rss_is_meaningful ();

  g_mutex_init (&stress.mutex);
  g_cond_init (&stress.cond);
  stress.seed = env_uint64 ("MAIKO_STRESS_SEED", DEFAULT_SEED);
  stress.events = env_uint64 ("MAIKO_STRESS_EVENTS", default_events);
  /* A relay may send as many events as all the sources together. */
  if (stress.events > SEQ_MASK / 2)
    g_error ("MAIKO_STRESS_EVENTS=%" G_GUINT64_FORMAT " is too many for the payload's numbers",
             stress.events);
  g_test_message ("seed %" G_GUINT64_FORMAT " (MAIKO_STRESS_SEED=%" G_GUINT64_FORMAT
                  " repeats it), %" G_GUINT64_FORMAT " events from the sources",
                  stress.seed, stress.seed, stress.events);

  sup = build (&stress);
  for (guint c = 0; c < N_CONTEXTS; c++)
    {
      gpointer *data = g_new (gpointer, 2);

      data[0] = &stress;
      data[1] = stress.contexts[c];
      stress.drivers[c] = g_thread_new (c == 0 ? "context A" : "context B", drive_context, data);
    }

  started = g_get_monotonic_time ();
  hwm[0] = test_read_status_kib ("VmHWM:");
  rss[0] = test_read_status_kib ("VmRSS:");
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint k = 1; k <= 10; k++)
    {
      checkpoint_target = stress.events * k / 10;
      if (!wait_progress (&stress, reached_checkpoint))
        {
          g_autofree char *state = describe (&stress);
          g_error ("No progress for %d s before checkpoint %u: %s", STALL_TIMEOUT_S, k, state);
        }
      if (g_atomic_int_get (&stress.violations) > 0)
        break;
      hwm[k] = test_read_status_kib ("VmHWM:");
      rss[k] = test_read_status_kib ("VmRSS:");
    }
  if (g_atomic_int_get (&stress.violations) == 0 && !wait_progress (&stress, quiescent))
    {
      g_autofree char *state = describe (&stress);
      g_error ("No progress for %d s while draining: %s", STALL_TIMEOUT_S, state);
    }

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  elapsed = g_get_monotonic_time () - started;
  g_atomic_int_set (&stress.quit, TRUE);
  for (guint c = 0; c < N_CONTEXTS; c++)
    {
      g_main_context_wakeup (stress.contexts[c]);
      g_thread_join (stress.drivers[c]);
    }

  g_assert_cmpstr (stress.first_violation, ==, NULL);
  g_assert_cmpint (stress.violations, ==, 0);

  /* Every receiver got exactly what its senders sent on its topics. */
  for (guint r = 0; r < N_ACTORS; r++)
    {
      StressActor *receiver = stress.actors[r];

      for (guint s = 0; s < N_ACTORS; s++)
        for (guint t = 0; t < N_TOPICS; t++)
          {
            guint64 owed = (receiver->subscribed[t] && s != r) ? stress.actors[s]->sent[t] : 0;

            if (receiver->expected[s][t] != owed)
              g_error ("%s got %" G_GUINT64_FORMAT " events of %s on %s, which sent %"
                       G_GUINT64_FORMAT, graph[r].name, receiver->expected[s][t],
                       graph[s].name, topic_names[t], owed);
          }
      g_assert_cmpint (receiver->n_starts, ==, 1);
      g_assert_cmpint (receiver->n_shutdowns, ==, 1);
      deliveries += receiver->handled;
      for (guint t = 0; t < N_TOPICS; t++)
        published += receiver->sent[t];
    }
  for (guint s = 0; s < N_SOURCES; s++)
    g_assert_cmpuint (stress.actors[s]->produced, ==, stress.actors[s]->quota);
  g_assert_cmpuint (deliveries, ==, total_owed (&stress));
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (sup), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (sup), ==, 0);
  g_assert_cmpuint (test_wait_thread_count (threads_before), ==, threads_before);

  for (guint k = 0; k <= 10; k++)
    g_string_append_printf (memory, " %u0%%: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                            k, hwm[k], rss[k]);
  g_test_message ("%" G_GUINT64_FORMAT " events published (%" G_GUINT64_FORMAT
                  " by the sources), %" G_GUINT64_FORMAT " deliveries, in %.1f s",
                  published, stress.events, deliveries, elapsed / (double) G_TIME_SPAN_SECOND);
  g_test_message ("VmHWM/VmRSS KiB at each tenth of the sources' events:%s", memory->str);

  /* Peak RSS stops growing once the graph is warm (where RSS tells). */
  if (!rss_meaningful)
    g_test_message ("Sanitizer build or memcheck: peak RSS not checked");
  else
    g_assert_cmpuint (hwm[10], <=, hwm[RSS_FIRST_CHECKPOINT] + RSS_SLACK_KIB);

  g_clear_object (&sup);
  for (guint i = 0; i < N_ACTORS; i++)
    g_object_unref (stress.actors[i]);
  for (guint c = 0; c < N_CONTEXTS; c++)
    g_main_context_unref (stress.contexts[c]);
  g_free (stress.first_violation);
  g_mutex_clear (&stress.mutex);
  g_cond_clear (&stress.cond);
}

static void
test_graph (void)
{
  run_graph (SHORT_EVENTS);
}

static void
test_graph_long (void)
{
  if (!g_test_slow ())
    {
      g_test_skip ("10 million events: run with -m slow (meson: -Dlong_tests=true)");
      return;
    }

  run_graph (LONG_EVENTS);
}

/* Churn: the configuration of a running supervisor changes all the time
 * (topic policies, monitors, actors added) while a producer sends. Every
 * change publishes a new routing snapshot; memory must follow the live
 * configuration, not the number of changes (200,000 policy changes used to
 * grow the process by about 250 MB). */

#define CHURN_CHANGES 200000
#define CHURN_ACTORS 10

static MaikoStepAction
send_forever (TestActor *self)
{
  g_autoptr(MaikoEvent) event = test_event_int ("Tick", self->produced++);

  maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), event, NULL);
  return MAIKO_STEP_ACTION_CONTINUE;
}

static void
test_churn (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) producer = test_actor_new ();
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 rss_warm = 0;
  guint64 rss_end;

  producer->step = send_forever;
  test_add (sup, "producer", producer, NULL);
  for (guint i = 0; i < CHURN_ACTORS; i++)
    {
      g_autofree char *name = g_strdup_printf ("listener-%u", i);
      TestActor *actor = test_actor_new ();

      test_add (sup, name, actor, MAIKO_DEFAULT_TOPIC);
      g_ptr_array_add (actors, actor);
    }
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_DROP, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint i = 0; i < CHURN_CHANGES; i++)
    {
      g_autofree char *topic = g_strdup_printf ("topic-%u", i % 64);

      g_assert_true (maiko_supervisor_set_topic_policy (sup, topic, i % 3, NULL));
      if (i % 1000 == 0)
        {
          g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
          g_autofree char *name = g_strdup_printf ("added-%u", i);
          g_autoptr(TestActor) actor = test_actor_new ();

          g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
          g_assert_true (maiko_supervisor_remove_monitor (sup, monitor, NULL));
          test_add (sup, name, actor, NULL);
        }
      if (i == CHURN_CHANGES / 10)
        rss_warm = test_read_status_kib ("VmRSS:");
    }
  rss_end = test_read_status_kib ("VmRSS:");
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_test_message ("VmRSS %" G_GUINT64_FORMAT " KiB after a tenth of the changes, %"
                  G_GUINT64_FORMAT " KiB at the end", rss_warm, rss_end);
  /* 200 actors added on the way cost their mailboxes and threads' memory;
   * snapshots kept would cost hundreds of MiB. */
  if (test_rss_is_meaningful ())
    g_assert_cmpuint (rss_end, <=, rss_warm + 8 * 1024);
  g_assert_cmpuint (producer->produced, >, 0);
  for (guint i = 0; i < actors->len; i++)
    g_assert_cmpuint (test_actor_get_handled (g_ptr_array_index (actors, i)), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/churn", test_churn);

  g_test_add_func ("/stress/graph", test_graph);
  g_test_add_func ("/stress/graph-long", test_graph_long);

  return g_test_run ();
}
