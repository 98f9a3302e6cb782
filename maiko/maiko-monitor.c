/* maiko-monitor.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-enum-types.h"
#include "maiko-error.h"
#include "maiko-monitor-private.h"
#include "maiko-supervisor-private.h"

/**
 * MaikoMonitor:
 *
 * Watches a running [class@Maiko.Supervisor]: each hook of the runtime is a
 * signal. Connect to the signals, or subclass and override the class
 * handlers, then add the monitor with [method@Maiko.Supervisor.add_monitor].
 *
 * The runtime never calls a monitor directly. It drops a record of each
 * hook into the monitor's bounded queue (of
 * [property@Maiko.Monitor:capacity] records, by default the supervisor's
 * [property@Maiko.Supervisor:monitoring-capacity]) and goes on; the signals
 * are emitted later, in order, in the main context that was the
 * thread-default one when the monitor was added (the global default one if
 * there was none). So a Python or JavaScript handler runs on the thread
 * that runs its main loop, never on an actor's thread. When the queue is
 * full the record is dropped and counted
 * ([property@Maiko.Monitor:dropped-count]): monitoring never slows the
 * runtime down to its own pace, unless the monitor is
 * [property@Maiko.Monitor:lossless].
 *
 * A thread that runs the monitor's context emits its records also while
 * it waits inside the runtime (in [method@Maiko.Supervisor.stop], or in a
 * send that waits for room), and as it sends once the queue is half full.
 * See [Monitoring](monitoring.html).
 *
 * For one event and one receiver the order is always
 * [signal@Maiko.Monitor::event-dispatched],
 * [signal@Maiko.Monitor::event-delivered], then
 * [signal@Maiko.Monitor::event-handled] (or
 * [signal@Maiko.Monitor::error] if the handler failed).
 *
 * The three event hooks are recorded only while something watches them:
 * a connected handler (blocked or not) or a class handler. So a monitor
 * that connects to [signal@Maiko.Monitor::event-handled] alone costs the
 * runtime one record per event, not three, and a handler sees the events
 * that happen once it is connected (an emission hook alone does not make
 * a hook watched).
 *
 * A paused monitor receives no record until it is resumed. When no monitor
 * is active, the cost of monitoring to the runtime is one atomic load per
 * hook.
 */

/* Records are taken from the queue this many at a time. */
#define BATCH_SIZE 64

/* A dispatch emits at most this many records (fewer if the capacity is
 * smaller), so that the context's other sources get a turn. */
#define MAX_PER_DISPATCH 4096

/* The ring grows from this size, up to the capacity: few monitors ever
 * hold many records. */
#define INITIAL_RING_SIZE 64

/* How long a monitor that just emitted polls its queue before it asks to
 * be woken again: the most a record waits in a burst. */
#define LINGER_MS 1

typedef enum
{
  STATE_NEW,
  STATE_ATTACHED,
  STATE_DETACHED,
} AttachState;

typedef struct
{
  MaikoEnvelope   *envelope;     /* owned, or NULL */
  /* The envelope's, read as it is pushed: emitting a record then touches
   * none of the envelope's memory (see retire_record()). */
  const char      *topic;
  const char      *actor;        /* interned */
  GError          *error;        /* owned, or NULL */
  MaikoRecordHook  kind;
  /* Overflow: the topic's MaikoOverflowPolicy; actor-restarted: the
   * restart count. */
  guint            detail;
} Record;

typedef struct
{
  GMutex            mutex;
  /* Broadcast when records have been emitted and someone waits in flush. */
  GCond             emitted_cond;
  gint              paused;             /* atomic */

  /* Under mutex. */
  AttachState       state;
  GWeakRef          supervisor;
  GMainContext     *context;            /* where the signals are emitted */
  /* The thread that added the monitor, the one that runs its context
   * when nobody iterates it (see _maiko_monitor_acquire_context()). */
  GThread          *adder;
  GSource          *source;
  Record           *ring;
  guint             capacity;          /* for what the runtime records */
  /* Grows as records pile up: up to the capacity, plus the replay's
   * records, plus what a lossless monitor takes beyond it (see
   * _maiko_monitors_catch_up()). */
  guint             ring_size;
  guint             head;
  /* Changed under mutex, read without it by _maiko_monitors_keep_up(). */
  guint             count;              /* atomic */
  /* Set when the source found the queue empty, so the next record must
   * wake the context; otherwise it will look again by itself. */
  gboolean          armed;
  /* Set when a producer woke the lingering source because the queue was
   * half full; cleared when the source takes records. */
  gboolean          kicked;
  guint64           produced;
  guint64           emitted;
  guint64           dropped;
  /* Threads waiting on emitted_cond: in flush(), or for a lossless
   * monitor's queue to go below its capacity. */
  guint             n_waiting;
  /* Envelopes of emitted records, for the next thread that pushes a
   * record to drop (see retire_record()); NULL if none. */
  GPtrArray        *spent;
  /* Atomic: the last look of _maiko_monitors_note_watchers(), as its
   * ticket << LOOK_SHIFT | a bit (1 << kind) per event hook that
   * something watched; all until the first. */
  gint              watched;
  gint              look_tickets;       /* atomic: the last ticket given */
  /* Settings, frozen once the monitor is added. */
  gboolean          lossless;
  guint             capacity_setting;  /* 0: the supervisor's */

  /* Touched only by the thread that owns @context. */
  Record            batch[BATCH_SIZE];
  guint             batch_len;
  guint             batch_pos;
  guint64           owner_emitted;
  /* The envelopes of the records emitted since the last refill of the
   * batch, which hands them over to @spent. */
  GPtrArray        *retired;
  /* The record whose signal is being emitted, for
   * _maiko_monitor_get_handled_error(). */
  const Record     *emitting;

  /* What ended the monitor (see maiko_monitor_fail()); once set, nothing
   * more is emitted. Set and read on the owner's thread; the getter takes
   * the lock. */
  GError           *failure;
} MaikoMonitorPrivate;

typedef struct
{
  GSource       source;
  MaikoMonitor *monitor;                /* borrowed: it destroys us first */
  gboolean      lingering;              /* it just emitted records */
} MonitorSource;

G_DEFINE_TYPE_WITH_PRIVATE (MaikoMonitor, maiko_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_DROPPED_COUNT,
  PROP_MAIN_CONTEXT,
  PROP_LOSSLESS,
  PROP_CAPACITY,
  PROP_FAILURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_EVENT_DISPATCHED,
  SIGNAL_EVENT_DELIVERED,
  SIGNAL_EVENT_HANDLED,
  SIGNAL_OVERFLOW,
  SIGNAL_ERROR,
  SIGNAL_ACTOR_REGISTERED,
  SIGNAL_ACTOR_STOPPED,
  SIGNAL_EVENT_UNROUTED,
  SIGNAL_ACTOR_RESTARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->envelope, maiko_envelope_unref);
  g_clear_error (&record->error);
}

/* Done with an emitted record. Its envelope is not dropped here but by
 * the next thread that pushes records: dropping the last reference frees
 * the envelope and its event, and a block freed on this thread would be
 * handed out again on the runtime's, the memory and its cache lines
 * moving from CPU to CPU for every event. With the actors on one
 * context (the `shared` shape of bench/) and the monitor on a thread of
 * its own, that was most of an active no-op monitor's cost: S2 shared,
 * same minutes, 1.49M-1.65M -> 2.05M-2.11M events/s. A quiet runtime
 * pushes nothing: the envelopes are then dropped here, when the monitor
 * goes to sleep (see has_pending()). */
static void
retire_record (MaikoMonitorPrivate *priv,
               Record              *record)
{
  if (record->envelope != NULL)
    {
      if (priv->retired == NULL)
        priv->retired = g_ptr_array_new_full (BATCH_SIZE, (GDestroyNotify) maiko_envelope_unref);
      g_ptr_array_add (priv->retired, g_steal_pointer (&record->envelope));
    }
  record_clear (record);
}

static void
hand_over_retired_locked (MaikoMonitorPrivate *priv)
{
  if (priv->retired == NULL || priv->retired->len == 0)
    return;
  if (priv->spent == NULL)
    priv->spent = g_steal_pointer (&priv->retired);
  else
    g_ptr_array_extend_and_steal (priv->spent, g_steal_pointer (&priv->retired));
}

/* Emission, on the thread that owns the monitor's context. */

static void
emit (MaikoMonitor *self,
      const Record *record)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  const char *topic = record->topic;
  const Record *outer = priv->emitting;

  priv->emitting = record;
  switch (record->kind)
    {
    case MAIKO_RECORD_HOOK_EVENT_DISPATCHED:
    case MAIKO_RECORD_HOOK_EVENT_DELIVERED:
    case MAIKO_RECORD_HOOK_EVENT_HANDLED:
      /* The signal ids of the three event hooks follow the record kinds. */
      g_signal_emit (self, signals[SIGNAL_EVENT_DISPATCHED + record->kind], 0,
                     record->envelope, topic, record->actor);
      break;
    case MAIKO_RECORD_HOOK_OVERFLOW:
      g_signal_emit (self, signals[SIGNAL_OVERFLOW], 0,
                     record->envelope, topic, record->actor,
                     (MaikoOverflowPolicy) record->detail);
      break;
    case MAIKO_RECORD_HOOK_ERROR:
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, record->actor, record->error);
      break;
    case MAIKO_RECORD_HOOK_ACTOR_REGISTERED:
      g_signal_emit (self, signals[SIGNAL_ACTOR_REGISTERED], 0, record->actor);
      break;
    case MAIKO_RECORD_HOOK_ACTOR_STOPPED:
      g_signal_emit (self, signals[SIGNAL_ACTOR_STOPPED], 0, record->actor);
      break;
    case MAIKO_RECORD_HOOK_EVENT_UNROUTED:
      g_signal_emit (self, signals[SIGNAL_EVENT_UNROUTED], 0, record->envelope, topic);
      break;
    case MAIKO_RECORD_HOOK_ACTOR_RESTARTED:
      g_signal_emit (self, signals[SIGNAL_ACTOR_RESTARTED], 0, record->actor, record->detail,
                     record->error);
      break;
    default:
      g_assert_not_reached ();
    }
  priv->emitting = outer;
}

/* During the emission of event-handled, the error of the handler if it
 * failed (the error signal follows), else %NULL: what the test harness
 * keeps with the entry. */
const GError *
_maiko_monitor_get_handled_error (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  if (priv->emitting == NULL || priv->emitting->kind != MAIKO_RECORD_HOOK_EVENT_HANDLED)
    return NULL;

  return priv->emitting->error;
}

/* Publishes how far emission got, for flush() on other threads. */
static void
publish_emitted_locked (MaikoMonitorPrivate *priv)
{
  priv->emitted = priv->owner_emitted;
  if (priv->n_waiting > 0)
    g_cond_broadcast (&priv->emitted_cond);
}

static gboolean
refill_batch (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  guint n;

  g_mutex_lock (&priv->mutex);
  publish_emitted_locked (priv);
  priv->kicked = FALSE;
  hand_over_retired_locked (priv);
  n = MIN (priv->count, BATCH_SIZE);
  for (guint i = 0; i < n; i++)
    {
      priv->batch[i] = priv->ring[priv->head];
      priv->head = (priv->head + 1) % priv->ring_size;
    }
  g_atomic_int_set (&priv->count, priv->count - n);
  g_mutex_unlock (&priv->mutex);

  priv->batch_len = n;
  priv->batch_pos = 0;

  return n > 0;
}

/* Emits up to @max records in order. The batch lives in the monitor, not
 * on the stack, so that a handler calling flush() emits the records that
 * follow its own, not the queue's head. */
static void
drain (MaikoMonitor *self,
       guint64       max)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  g_object_ref (self);
  for (guint64 done = 0; done < max; done++)
    {
      Record record;

      /* A handler may have ended the monitor. */
      if (priv->failure != NULL)
        break;
      if (priv->batch_pos == priv->batch_len && !refill_batch (self))
        break;
      record = priv->batch[priv->batch_pos++];
      emit (self, &record);
      retire_record (priv, &record);
      priv->owner_emitted++;
    }

  g_mutex_lock (&priv->mutex);
  publish_emitted_locked (priv);
  g_mutex_unlock (&priv->mutex);
  g_object_unref (self);
}

/* Returns whether records wait. If none does and @arm is set, the next
 * record wakes the context. */
static gboolean
has_pending (MaikoMonitor *self,
             gboolean      arm)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  g_autoptr(GPtrArray) spent = NULL;
  gboolean pending;

  if (priv->batch_pos < priv->batch_len)
    return TRUE;

  g_mutex_lock (&priv->mutex);
  pending = priv->count > 0;
  priv->armed = !pending && arm;
  /* Going to sleep: nobody may push for long, so drop the envelopes. */
  if (priv->armed)
    {
      hand_over_retired_locked (priv);
      spent = g_steal_pointer (&priv->spent);
    }
  g_mutex_unlock (&priv->mutex);

  return pending;
}

static gboolean
monitor_source_prepare (GSource *source,
                        gint    *timeout)
{
  MonitorSource *monitor_source = (MonitorSource *) source;
  gboolean linger = monitor_source->lingering;

  /* Right after emitting, the runtime is likely still busy: look again in
   * a moment instead of having the first record of every burst wake the
   * context (a write to its eventfd on the runtime's thread). A quiet
   * monitor arms at the next iteration and then sleeps for good. */
  monitor_source->lingering = FALSE;
  *timeout = linger ? LINGER_MS : -1;
  return has_pending (monitor_source->monitor, !linger);
}

static gboolean
monitor_source_check (GSource *source)
{
  /* Never arms: the next prepare does, before the context sleeps. */
  return has_pending (((MonitorSource *) source)->monitor, FALSE);
}

static gboolean
monitor_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  MaikoMonitor *self = ((MonitorSource *) source)->monitor;
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  /* At most a queue's worth, so other sources of the context get a turn. */
  drain (self, MIN (priv->capacity, MAX_PER_DISPATCH));
  ((MonitorSource *) source)->lingering = TRUE;
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs monitor_source_funcs = {
  .prepare = monitor_source_prepare,
  .check = monitor_source_check,
  .dispatch = monitor_source_dispatch,
};

/* Producing records, on any thread. */

/* Doubles the ring, keeping the records in order. */
static void
grow_ring_locked (MaikoMonitorPrivate *priv)
{
  guint size = priv->ring_size * 2;
  Record *ring = g_new0 (Record, size);

  for (guint i = 0; i < priv->count; i++)
    ring[i] = priv->ring[(priv->head + i) % priv->ring_size];
  g_free (priv->ring);
  priv->ring = ring;
  priv->ring_size = size;
  priv->head = 0;
}

/* Queues a record; it takes a reference to @envelope, or the caller's if
 * @take_envelope (and drops it if the record is dropped). A full queue
 * drops it, unless the monitor is lossless or it is a @replay record. */
static gboolean
push_locked (MaikoMonitorPrivate *priv,
             gboolean             replay,
             MaikoRecordHook      kind,
             MaikoEnvelope       *envelope,
             gboolean             take_envelope,
             const char          *actor,
             guint                detail,
             const GError        *error)
{
  Record *record;

  if (!replay && !priv->lossless && priv->count >= priv->capacity)
    {
      priv->dropped++;
      if (take_envelope && envelope != NULL)
        maiko_envelope_unref (envelope);
      return FALSE;
    }
  if (priv->count == priv->ring_size)
    grow_ring_locked (priv);

  record = &priv->ring[(priv->head + priv->count) % priv->ring_size];
  record->kind = kind;
  record->envelope = envelope == NULL || take_envelope ? envelope : maiko_envelope_ref (envelope);
  record->topic = envelope != NULL ? maiko_envelope_get_topic (envelope) : NULL;
  record->actor = actor;
  record->detail = detail;
  record->error = error != NULL ? g_error_copy (error) : NULL;
  g_atomic_int_set (&priv->count, priv->count + 1);
  priv->produced++;

  return TRUE;
}

/* Returns whether the context must be woken. */
static gboolean
take_wakeup_locked (MaikoMonitorPrivate *priv)
{
  /* A lingering source looks again within LINGER_MS, but a burst may fill
   * the queue before that: past half full, wake it once. */
  gboolean wake = (priv->armed && priv->count > 0) ||
                  (!priv->kicked && priv->count >= priv->capacity / 2);

  if (wake)
    {
      priv->armed = FALSE;
      priv->kicked = TRUE;
    }
  return wake;
}

/* Ends a push: unlocks, wakes the monitor's context if it must be, and
 * drops the envelopes of the records it emitted (see retire_record()). */
static void
unlock_after_push (MaikoMonitorPrivate *priv)
{
  gboolean wake = take_wakeup_locked (priv);
  GPtrArray *spent = g_steal_pointer (&priv->spent);

  g_mutex_unlock (&priv->mutex);
  /* The context lives as long as the monitor. */
  if (wake)
    g_main_context_wakeup (priv->context);
  /* Outside the lock: the last references free events. */
  g_clear_pointer (&spent, g_ptr_array_unref);
}

/* Whether a record of @kind would reach anything: for the three hooks
 * made once per event and receiver, a class handler or a connected
 * handler (a blocked one too: it may be unblocked before the record is
 * emitted); the other hooks are rare, and always recorded. A monitor that
 * watches only some event hooks (a live view's watches none) so costs the
 * runtime no record, envelope reference or queue slot for the others,
 * and its own thread no emission. A handler sees the events sent once it
 * is connected: event-dispatched is looked at as the event is pushed,
 * the other two once per batch (see _maiko_monitors_note_watchers()). */
static gboolean
wants_record (MaikoMonitor    *self,
              MaikoRecordHook  kind)
{
  MaikoMonitorClass *klass = MAIKO_MONITOR_GET_CLASS (self);
  gpointer class_handler;

  switch (kind)
    {
    case MAIKO_RECORD_HOOK_EVENT_DISPATCHED:
      class_handler = klass->event_dispatched;
      break;
    case MAIKO_RECORD_HOOK_EVENT_DELIVERED:
      class_handler = klass->event_delivered;
      break;
    case MAIKO_RECORD_HOOK_EVENT_HANDLED:
      class_handler = klass->event_handled;
      break;
    default:
      return TRUE;
    }

  return class_handler != NULL ||
         g_signal_has_handler_pending (self, signals[SIGNAL_EVENT_DISPATCHED + kind], 0, TRUE);
}

#define EVENT_HOOKS ((1 << MAIKO_RECORD_HOOK_EVENT_DISPATCHED) | \
                     (1 << MAIKO_RECORD_HOOK_EVENT_DELIVERED) | \
                     (1 << MAIKO_RECORD_HOOK_EVENT_HANDLED))

/* A look at a monitor's watchers is stored with the ticket it took before
 * it looked, so that the look that began last is the one kept, whatever
 * order concurrent looks end in (see store_look()). Tickets wrap. */
#define LOOK_SHIFT 3
#define LOOK_TICKET_MASK (G_MAXUINT >> LOOK_SHIFT)
G_STATIC_ASSERT (EVENT_HOOKS < (1 << LOOK_SHIFT));

/* How often a look asks GObject again about a hook found watched (each
 * question takes GObject's signal lock, which the monitor's thread takes
 * for every emission): S2 shared with a no-op monitor, 2.64-2.67M ->
 * 2.77-2.79M events/s. */
#define RELOOK_WATCHED 16

/* Whether the last look found the staged record @kind watched. */
static gboolean
watched (MaikoMonitorPrivate *priv,
         MaikoRecordHook      kind)
{
  return (1 << kind) & ~EVENT_HOOKS || (g_atomic_int_get (&priv->watched) & (1 << kind)) != 0;
}

/* Called by an actor right after it took a batch of events from its
 * mailbox, before it records any of them: the event-delivered and
 * event-handled records of the batch follow this look, not one per
 * record, which would take GObject's signal lock (one the monitor's own
 * thread takes for every emission) twice per event. An event sent once a
 * handler is connected goes into a batch taken after that, so the
 * handler sees it. */
static gboolean
ticket_is_newer (guint ticket,
                 guint than)
{
  return ((ticket - than) & LOOK_TICKET_MASK) - 1 < LOOK_TICKET_MASK / 2;
}

/* Keeps @mask, the look of @ticket, unless a look that began later is
 * stored already. Without a lock: a monitor's lock is one its own thread
 * takes too, and actors look once per batch (S2 shared with a no-op
 * monitor: 2.37-2.50M events/s with it, 2.54-2.65M without). */
static void
store_look (MaikoMonitorPrivate *priv,
            guint                ticket,
            guint                mask)
{
  gint stored = g_atomic_int_get (&priv->watched);
  gint look = (gint) ((ticket << LOOK_SHIFT) | mask);

  while (ticket_is_newer (ticket, (guint) stored >> LOOK_SHIFT) &&
         !g_atomic_int_compare_and_exchange_full (&priv->watched, stored, look, &stored))
    ;
}

guint
_maiko_monitors_note_watchers (GPtrArray *monitors)
{
  guint any = 0;

  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);
      MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (monitor);
      guint ticket = (guint) g_atomic_int_add (&priv->look_tickets, 1) + 1;
      /* A hook found watched is looked at again only every
       * RELOOK_WATCHED-th time: a handler that was connected must be seen
       * at once, one that went away may cost a few more batches. */
      guint last = (guint) g_atomic_int_get (&priv->watched);
      gboolean relook = ticket % RELOOK_WATCHED == 0 || last >> LOOK_SHIFT == 0;
      guint mask = relook ? 0 : last & EVENT_HOOKS;

      /* Paused ones too: one resumed while the batch is handled records
       * the rest of it. */
      for (MaikoRecordHook kind = MAIKO_RECORD_HOOK_EVENT_DISPATCHED;
           kind <= MAIKO_RECORD_HOOK_EVENT_HANDLED; kind++)
        if ((mask & (1 << kind)) == 0 && wants_record (monitor, kind))
          mask |= 1 << kind;
      store_look (priv, ticket & LOOK_TICKET_MASK, mask);
      any |= mask;
    }

  return any;
}

static void
push_records (MaikoMonitor         *self,
              MaikoRecordHook       kind,
              MaikoEnvelope       **envelopes,
              guint                 n,
              const char           *actor,
              guint                 detail,
              const GError         *error)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  if (!wants_record (self, kind))
    return;

  g_mutex_lock (&priv->mutex);
  if (priv->state != STATE_ATTACHED)
    {
      g_mutex_unlock (&priv->mutex);
      return;
    }
  for (guint i = 0; i < n; i++)
    push_locked (priv, FALSE, kind, envelopes != NULL ? envelopes[i] : NULL, FALSE,
                 actor, detail, error);
  unlock_after_push (priv);
}

void
_maiko_monitor_push (MaikoMonitor         *self,
                     MaikoRecordHook       kind,
                     MaikoEnvelope        *envelope,
                     const char           *actor,
                     MaikoOverflowPolicy   policy,
                     const GError         *error)
{
  push_records (self, kind, envelope != NULL ? &envelope : NULL, 1, actor, policy, error);
}

void
_maiko_monitor_push_events (MaikoMonitor   *self,
                            MaikoRecordHook kind,
                            MaikoEnvelope **envelopes,
                            guint           n,
                            const char     *actor)
{
  push_records (self, kind, envelopes, n, actor, MAIKO_OVERFLOW_POLICY_FAIL, NULL);
}

/* The records of what happened before the monitor was added: they never
 * count against the capacity, so that none is dropped however many actors
 * there are. */
void
_maiko_monitor_replay (MaikoMonitor    *self,
                       MaikoRecordHook  kind,
                       const char      *actor)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  g_mutex_lock (&priv->mutex);
  push_locked (priv, TRUE, kind, NULL, FALSE, actor, MAIKO_OVERFLOW_POLICY_FAIL, NULL);
  unlock_after_push (priv);
}

gboolean
_maiko_monitor_is_active (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  return !g_atomic_int_get (&priv->paused);
}

void
_maiko_monitors_push (GPtrArray            *monitors,
                      MaikoRecordHook       kind,
                      MaikoEnvelope        *envelope,
                      const char           *actor,
                      MaikoOverflowPolicy   policy,
                      const GError         *error)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);

      if (_maiko_monitor_is_active (monitor))
        _maiko_monitor_push (monitor, kind, envelope, actor, policy, error);
    }
}

/* Records that the actor @actor was restarted for the @count-th time,
 * after @error (nullable). */
void
_maiko_monitors_push_restart (GPtrArray    *monitors,
                              const char   *actor,
                              guint         count,
                              const GError *error)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);

      if (_maiko_monitor_is_active (monitor))
        push_records (monitor, MAIKO_RECORD_HOOK_ACTOR_RESTARTED, NULL, 1, actor, count, error);
    }
}

void
_maiko_monitors_push_events (GPtrArray       *monitors,
                             MaikoRecordHook  kind,
                             MaikoEnvelope  **envelopes,
                             guint            n,
                             const char      *actor)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);

      if (_maiko_monitor_is_active (monitor))
        _maiko_monitor_push_events (monitor, kind, envelopes, n, actor);
    }
}

/* Emits, on this thread, the records of the monitors of @monitors whose
 * queue is half full and whose context this thread may run (see
 * _maiko_monitor_acquire_context()): a thread that sends from outside the
 * actors and owns a monitor's context does not let it fall behind. */
void
_maiko_monitors_keep_up (GPtrArray *monitors)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);
      MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (monitor);

      if ((guint) g_atomic_int_get (&priv->count) >= MAX (1, priv->capacity / 2))
        _maiko_monitor_drain_if_owner (monitor);
    }
}

/* Acquires the monitor's context if this thread may emit its signals (see
 * _maiko_context_acquire_for_waiting()) and is the thread that added the
 * monitor, or owns the context. Another thread whose default context it
 * is, such as any worker that has none of its own, leaves the signals to
 * their thread: it must not run a Python or JavaScript handler, nor take
 * the context from under the thread that is about to iterate it. */
gboolean
_maiko_monitor_acquire_context (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  if (g_main_context_is_owner (priv->context))
    return g_main_context_acquire (priv->context);

  return g_thread_self () == priv->adder && _maiko_context_acquire_for_waiting (priv->context);
}

static gboolean
over_capacity (MaikoMonitorPrivate *priv)
{
  return (guint) g_atomic_int_get (&priv->count) >= priv->capacity;
}

/* Waits until the lossless monitor @self holds fewer records than its
 * capacity: emits them itself if this thread may run the monitor's
 * context, else waits for the thread that runs it. */
static void
catch_up (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  if (_maiko_monitor_acquire_context (self))
    {
      g_main_context_push_thread_default (priv->context);
      while (over_capacity (priv))
        drain (self, priv->capacity);
      g_main_context_pop_thread_default (priv->context);
      g_main_context_release (priv->context);
      return;
    }

  g_mutex_lock (&priv->mutex);
  priv->n_waiting++;
  while (priv->state == STATE_ATTACHED && priv->count >= priv->capacity)
    g_cond_wait (&priv->emitted_cond, &priv->mutex);
  priv->n_waiting--;
  g_mutex_unlock (&priv->mutex);
}

/* Called by the runtime where a thread holds none of its locks, after it
 * recorded: waits for the lossless monitors of @monitors that hold their
 * capacity of records (records are pushed under locks, where waiting is
 * not allowed: a lossless monitor takes them all, and the wait comes
 * here). */
void
_maiko_monitors_catch_up (GPtrArray *monitors)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);
      MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (monitor);

      if (priv->lossless && over_capacity (priv))
        catch_up (monitor);
    }
}

/* Whether a supervisor must call _maiko_monitors_catch_up() for @self. */
gboolean
_maiko_monitor_is_lossless (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  return priv->lossless;
}

void
_maiko_staged_record_clear (MaikoStagedRecord *record)
{
  g_clear_pointer (&record->envelope, maiko_envelope_unref);
  g_clear_error (&record->error);
}

static void
release_staged (MaikoStagedRecord *records,
                guint              n)
{
  for (guint i = 0; i < n; i++)
    _maiko_staged_record_clear (&records[i]);
}

/* Whether @priv's monitor watches any of @records. */
static gboolean
watches_any (MaikoMonitorPrivate     *priv,
             const MaikoStagedRecord *records,
             guint                    n)
{
  for (guint j = 0; j < n; j++)
    if (watched (priv, records[j].kind))
      return TRUE;
  return FALSE;
}

/* Pushes @records, in order, under one lock per monitor; the last monitor
 * takes the records' references, and if none is active they are dropped. */
void
_maiko_monitors_push_staged (GPtrArray         *monitors,
                             MaikoStagedRecord *records,
                             guint              n,
                             const char        *actor)
{
  MaikoMonitor *last = NULL;

  for (guint i = 0; monitors != NULL && i < monitors->len; i++)
    if (_maiko_monitor_is_active (g_ptr_array_index (monitors, i)))
      last = g_ptr_array_index (monitors, i);

  for (guint i = 0; last != NULL && i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);
      MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (monitor);
      gboolean take = monitor == last;

      if (!take && (!_maiko_monitor_is_active (monitor) || !watches_any (priv, records, n)))
        continue;

      g_mutex_lock (&priv->mutex);
      if (priv->state != STATE_ATTACHED)
        {
          g_mutex_unlock (&priv->mutex);
          if (take)
            release_staged (records, n);
          continue;
        }
      for (guint j = 0; j < n; j++)
        if (watched (priv, records[j].kind))
          push_locked (priv, FALSE, records[j].kind, records[j].envelope, take, actor,
                       MAIKO_OVERFLOW_POLICY_FAIL, records[j].error);
        else if (take)
          maiko_envelope_unref (records[j].envelope);
      unlock_after_push (priv);
    }

  if (last == NULL)
    release_staged (records, n);
  /* push_locked() copied them. */
  for (guint j = 0; last != NULL && j < n; j++)
    g_clear_error (&records[j].error);
}

/* Attaching to a supervisor */

gboolean
_maiko_monitor_attach (MaikoMonitor     *self,
                       MaikoSupervisor  *supervisor,
                       guint             capacity,
                       GError          **error)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *source;

  g_mutex_lock (&priv->mutex);
  if (priv->state != STATE_NEW)
    {
      g_mutex_unlock (&priv->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "The monitor was already added to a supervisor; a monitor "
                           "watches one supervisor, once");
      return FALSE;
    }

  priv->state = STATE_ATTACHED;
  g_weak_ref_set (&priv->supervisor, supervisor);
  priv->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  priv->adder = g_thread_ref (g_thread_self ());
  priv->capacity = priv->capacity_setting != 0 ? priv->capacity_setting : capacity;
  priv->ring_size = MIN (priv->capacity, INITIAL_RING_SIZE);
  priv->ring = g_new0 (Record, priv->ring_size);
  priv->armed = TRUE;

  source = g_source_new (&monitor_source_funcs, sizeof (MonitorSource));
  ((MonitorSource *) source)->monitor = self;
  g_source_set_static_name (source, "[maiko] monitor");
  priv->source = source;
  g_mutex_unlock (&priv->mutex);

  g_source_attach (source, priv->context);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_CONTEXT]);

  return TRUE;
}

/* Records not yet emitted are dropped; anyone waiting in flush() returns. */
void
_maiko_monitor_detach (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  g_autofree Record *ring = NULL;
  g_autoptr(GPtrArray) spent = NULL;
  guint head, count;
  GSource *source;

  g_mutex_lock (&priv->mutex);
  if (priv->state != STATE_ATTACHED)
    {
      g_mutex_unlock (&priv->mutex);
      return;
    }
  priv->state = STATE_DETACHED;
  g_weak_ref_set (&priv->supervisor, NULL);
  ring = g_steal_pointer (&priv->ring);
  head = priv->head;
  count = priv->count;
  g_atomic_int_set (&priv->count, 0);
  source = g_steal_pointer (&priv->source);
  spent = g_steal_pointer (&priv->spent);
  g_cond_broadcast (&priv->emitted_cond);
  g_mutex_unlock (&priv->mutex);

  g_source_destroy (source);
  g_source_unref (source);
  for (guint i = 0; i < count; i++)
    record_clear (&ring[(head + i) % priv->ring_size]);
}

/* Emits what is queued if this thread may run the monitor's context (see
 * _maiko_monitor_acquire_context()); the runtime calls it when it stops,
 * so that a program ending right after stop() sees every record. */
void
_maiko_monitor_drain_if_owner (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  g_autoptr(GPtrArray) spent = NULL;

  if (!_maiko_monitor_acquire_context (self))
    return;
  g_main_context_push_thread_default (priv->context);
  drain (self, G_MAXUINT64);
  g_main_context_pop_thread_default (priv->context);
  /* The runtime has stopped: drop the emitted records' envelopes now. */
  g_mutex_lock (&priv->mutex);
  hand_over_retired_locked (priv);
  spent = g_steal_pointer (&priv->spent);
  g_mutex_unlock (&priv->mutex);
  g_main_context_release (priv->context);
}

/* GObject */

static void
maiko_monitor_finalize (GObject *object)
{
  MaikoMonitor *self = MAIKO_MONITOR (object);
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  /* The supervisor holds a reference while the monitor is attached. */
  g_assert (priv->state != STATE_ATTACHED);

  for (guint i = priv->batch_pos; i < priv->batch_len; i++)
    record_clear (&priv->batch[i]);
  g_clear_pointer (&priv->retired, g_ptr_array_unref);
  g_clear_pointer (&priv->spent, g_ptr_array_unref);
  g_weak_ref_clear (&priv->supervisor);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->adder, g_thread_unref);
  g_clear_error (&priv->failure);
  g_mutex_clear (&priv->mutex);
  g_cond_clear (&priv->emitted_cond);

  G_OBJECT_CLASS (maiko_monitor_parent_class)->finalize (object);
}

static void
maiko_monitor_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MaikoMonitor *self = MAIKO_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, maiko_monitor_is_paused (self));
      break;
    case PROP_DROPPED_COUNT:
      g_value_set_uint64 (value, maiko_monitor_get_dropped_count (self));
      break;
    case PROP_MAIN_CONTEXT:
      g_value_set_boxed (value, maiko_monitor_get_main_context (self));
      break;
    case PROP_LOSSLESS:
      g_value_set_boolean (value, maiko_monitor_get_lossless (self));
      break;
    case PROP_CAPACITY:
      g_value_set_uint (value, maiko_monitor_get_capacity (self));
      break;
    case PROP_FAILURE:
      g_value_take_boxed (value, maiko_monitor_dup_failure (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_monitor_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MaikoMonitor *self = MAIKO_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      if (g_value_get_boolean (value))
        maiko_monitor_pause (self);
      else
        maiko_monitor_resume (self);
      break;
    case PROP_LOSSLESS:
      maiko_monitor_set_lossless (self, g_value_get_boolean (value));
      break;
    case PROP_CAPACITY:
      maiko_monitor_set_capacity (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Envelopes and errors are not G_SIGNAL_TYPE_STATIC_SCOPE: GJS would then
 * wrap them without a copy of its own, and a handler that keeps one would
 * keep a dangling pointer. A reference per emission is cheap. */
/* The marshallers of the event signals, emitted once per record: the
 * generic ones (libffi) cost the monitor's thread more than the rest of
 * an emission, and on a busy machine that thread shares a CPU with the
 * runtime. What glib-genmarshal would write for VOID:BOXED,STRING,STRING;
 * Python and JavaScript handlers go through the GValue form. */
typedef void (*EventHookFunc) (gpointer       data1,
                               MaikoEnvelope *envelope,
                               const char    *topic,
                               const char    *receiver,
                               gpointer       data2);

static EventHookFunc
event_hook_callback (GClosure  *closure,
                     gpointer   instance,
                     gpointer   marshal_data,
                     gpointer  *data1,
                     gpointer  *data2)
{
  gboolean swap = G_CCLOSURE_SWAP_DATA (closure);

  *data1 = swap ? closure->data : instance;
  *data2 = swap ? instance : closure->data;
  return (EventHookFunc) (marshal_data != NULL ? marshal_data : ((GCClosure *) closure)->callback);
}

static void
marshal_event_hook (GClosure     *closure,
                    GValue       *return_value,
                    guint         n_param_values,
                    const GValue *param_values,
                    gpointer      invocation_hint,
                    gpointer      marshal_data)
{
  gpointer data1, data2;
  EventHookFunc callback;

  g_return_if_fail (n_param_values == 4);

  callback = event_hook_callback (closure, g_value_peek_pointer (&param_values[0]),
                                  marshal_data, &data1, &data2);
  callback (data1, g_value_get_boxed (&param_values[1]), g_value_get_string (&param_values[2]),
            g_value_get_string (&param_values[3]), data2);
}

static void
marshal_event_hook_v (GClosure *closure,
                      GValue   *return_value,
                      gpointer  instance,
                      va_list   args,
                      gpointer  marshal_data,
                      int       n_params,
                      GType    *param_types)
{
  gpointer data1, data2;
  EventHookFunc callback;
  MaikoEnvelope *envelope;
  const char *topic;
  const char *receiver;
  va_list args_copy;

  G_VA_COPY (args_copy, args);
  envelope = va_arg (args_copy, MaikoEnvelope *);
  topic = va_arg (args_copy, const char *);
  receiver = va_arg (args_copy, const char *);
  va_end (args_copy);

  /* The record holds the envelope through the emission, and the strings
   * are of static scope: nothing to copy, unlike the generic form, which
   * copies the boxed envelope (a reference taken and dropped per handler
   * on a count the runtime's threads touch too). */
  callback = event_hook_callback (closure, instance, marshal_data, &data1, &data2);
  callback (data1, envelope, topic, receiver, data2);
}

static guint
new_event_signal (const char *name,
                  gsize       class_offset)
{
  guint id = g_signal_new (name, MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST, class_offset,
                           NULL, NULL, marshal_event_hook, G_TYPE_NONE, 3,
                           MAIKO_TYPE_ENVELOPE,
                           G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                           G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_signal_set_va_marshaller (id, MAIKO_TYPE_MONITOR, marshal_event_hook_v);
  return id;
}

static guint
new_actor_signal (const char *name,
                  gsize       class_offset)
{
  return g_signal_new (name, MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST, class_offset,
                       NULL, NULL, NULL, G_TYPE_NONE, 1,
                       G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
maiko_monitor_class_init (MaikoMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = maiko_monitor_finalize;
  object_class->get_property = maiko_monitor_get_property;
  object_class->set_property = maiko_monitor_set_property;

  /**
   * MaikoMonitor:paused:
   *
   * Whether the monitor is paused: a paused monitor receives no record.
   */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMonitor:dropped-count:
   *
   * How many records were dropped because the monitor's queue was full:
   * the monitor's main context did not keep up with the runtime.
   */
  properties[PROP_DROPPED_COUNT] =
    g_param_spec_uint64 ("dropped-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMonitor:main-context:
   *
   * The main context the signals are emitted in: the thread-default one
   * when the monitor was added, or the global default one. %NULL until
   * the monitor is added.
   */
  properties[PROP_MAIN_CONTEXT] =
    g_param_spec_boxed ("main-context", NULL, NULL, G_TYPE_MAIN_CONTEXT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMonitor:lossless:
   *
   * Whether the monitor sees every record, for auditing: when its queue
   * holds [property@Maiko.Monitor:capacity] records, the runtime waits for
   * the monitor to emit them instead of dropping the next ones. The
   * queue's size, and so its memory, stays bounded by the capacity (and the
   * few records one hook makes at once).
   *
   * The price is that the runtime goes at the monitor's pace: a thread
   * that holds a record waits until the monitor's main context runs. A
   * thread that may run that context itself (see
   * [method@Maiko.Monitor.flush]) emits the records instead of waiting,
   * and [method@Maiko.Supervisor.stop] and the other waiting calls run it
   * too; but if no thread ever runs it, the actors stop making progress.
   * Set it before the monitor is added.
   */
  properties[PROP_LOSSLESS] =
    g_param_spec_boolean ("lossless", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMonitor:capacity:
   *
   * How many records the monitor's queue holds before it drops records
   * (or, if [property@Maiko.Monitor:lossless], before the runtime waits);
   * 0 (the default) takes the supervisor's
   * [property@Maiko.Supervisor:monitoring-capacity]. The queue grows up to
   * it as records pile up. Set it before the monitor is added.
   */
  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 0, G_MAXINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMonitor:failure:
   *
   * The error that ended the monitor, given to [method@Maiko.Monitor.fail]
   * by one of its handlers; %NULL while it watches.
   */
  properties[PROP_FAILURE] =
    g_param_spec_boxed ("failure", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MaikoMonitor::event-dispatched:
   * @self: the monitor
   * @envelope: the event
   * @topic: its topic
   * @receiver: the name of the actor whose mailbox it went into
   *
   * An event went into a receiver's mailbox: once per receiver. Under
   * %MAIKO_OVERFLOW_POLICY_BLOCK an event that waited for room is
   * dispatched when it goes in, after [signal@Maiko.Monitor::overflow].
   */
  signals[SIGNAL_EVENT_DISPATCHED] =
    new_event_signal ("event-dispatched", G_STRUCT_OFFSET (MaikoMonitorClass, event_dispatched));

  /**
   * MaikoMonitor::event-delivered:
   * @self: the monitor
   * @envelope: the event
   * @topic: its topic
   * @receiver: the name of the actor
   *
   * A receiver took the event from its mailbox and is about to handle it.
   */
  signals[SIGNAL_EVENT_DELIVERED] =
    new_event_signal ("event-delivered", G_STRUCT_OFFSET (MaikoMonitorClass, event_delivered));

  /**
   * MaikoMonitor::event-handled:
   * @self: the monitor
   * @envelope: the event
   * @topic: its topic
   * @receiver: the name of the actor
   *
   * The receiver's [vfunc@Maiko.Actor.handle_event] returned successfully.
   */
  signals[SIGNAL_EVENT_HANDLED] =
    new_event_signal ("event-handled", G_STRUCT_OFFSET (MaikoMonitorClass, event_handled));

  /**
   * MaikoMonitor::overflow:
   * @self: the monitor
   * @envelope: the event
   * @topic: its topic
   * @receiver: the name of the actor whose mailbox was full
   * @policy: the topic's policy, which decides what happens next
   *
   * A receiver's mailbox was full when the event was routed to it: it is
   * dropped (%MAIKO_OVERFLOW_POLICY_DROP), the receiver stops
   * (%MAIKO_OVERFLOW_POLICY_FAIL), or the sender waits for room
   * (%MAIKO_OVERFLOW_POLICY_BLOCK).
   */
  signals[SIGNAL_OVERFLOW] =
    g_signal_new ("overflow", MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (MaikoMonitorClass, overflow),
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  MAIKO_TYPE_ENVELOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  MAIKO_TYPE_OVERFLOW_POLICY);

  /**
   * MaikoMonitor::error:
   * @self: the monitor
   * @actor: the name of the actor
   * @error: what failed
   *
   * One of the actor's callbacks ([vfunc@Maiko.Actor.on_start],
   * [vfunc@Maiko.Actor.handle_event], [vfunc@Maiko.Actor.step]) failed.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (MaikoMonitorClass, error),
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR);

  /**
   * MaikoMonitor::actor-registered:
   * @self: the monitor
   * @actor: the name of the actor
   *
   * An actor was added to the supervisor. When the monitor is added, it
   * first receives this signal for every actor added before it (and
   * [signal@Maiko.Monitor::actor-stopped] for those that already ended).
   */
  signals[SIGNAL_ACTOR_REGISTERED] =
    new_actor_signal ("actor-registered", G_STRUCT_OFFSET (MaikoMonitorClass, actor_registered));

  /**
   * MaikoMonitor::actor-stopped:
   * @self: the monitor
   * @actor: the name of the actor
   *
   * The actor ended, however it did: the runtime stopped, it stopped
   * itself, it failed, or its mailbox overflowed under
   * %MAIKO_OVERFLOW_POLICY_FAIL. Its [vfunc@Maiko.Actor.on_shutdown] has
   * returned.
   */
  signals[SIGNAL_ACTOR_STOPPED] =
    new_actor_signal ("actor-stopped", G_STRUCT_OFFSET (MaikoMonitorClass, actor_stopped));

  /**
   * MaikoMonitor::event-unrouted:
   * @self: the monitor
   * @envelope: the event
   * @topic: its topic
   *
   * No actor received the event: nobody but its sender subscribes to its
   * topic, which is often a misspelt topic. Counted by
   * [method@Maiko.Supervisor.get_unrouted_count].
   */
  signals[SIGNAL_EVENT_UNROUTED] =
    g_signal_new ("event-unrouted", MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (MaikoMonitorClass, event_unrouted),
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  MAIKO_TYPE_ENVELOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MaikoMonitor::actor-restarted:
   * @self: the monitor
   * @actor: the name of the actor
   * @count: how many times the actor of that name was restarted, this
   *   time included
   * @error: (nullable): what caused the restart: the error that ended the
   *   instance it replaces or, for an actor restarted with its group (see
   *   [enum@Maiko.RestartStrategy]), the error of the actor whose end
   *   caused it; %NULL if that one ended without an error
   *
   * A fresh instance of the actor replaced one that ended, under its
   * [enum@Maiko.RestartPolicy] and the supervisor's
   * [property@Maiko.Supervisor:restart-strategy]; it has the events the
   * old one had not handled, and runs [vfunc@Maiko.Actor.on_start] next.
   * The old one's [signal@Maiko.Monitor::actor-stopped] came first.
   */
  signals[SIGNAL_ACTOR_RESTARTED] =
    g_signal_new ("actor-restarted", MAIKO_TYPE_MONITOR, G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (MaikoMonitorClass, actor_restarted),
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_UINT,
                  G_TYPE_ERROR);
}

static void
maiko_monitor_init (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);

  g_mutex_init (&priv->mutex);
  priv->watched = EVENT_HOOKS;
  g_cond_init (&priv->emitted_cond);
  g_weak_ref_init (&priv->supervisor, NULL);
}

/* Public API */

/**
 * maiko_monitor_new:
 *
 * Creates a monitor, to connect to its signals and then add to a
 * supervisor with [method@Maiko.Supervisor.add_monitor].
 *
 * Returns: (transfer full): a new monitor
 */
MaikoMonitor *
maiko_monitor_new (void)
{
  return g_object_new (MAIKO_TYPE_MONITOR, NULL);
}

static void
set_paused (MaikoMonitor *self,
            gboolean      paused)
{
  MaikoMonitorPrivate *priv = maiko_monitor_get_instance_private (self);
  g_autoptr(MaikoSupervisor) supervisor = NULL;

  if (g_atomic_int_exchange (&priv->paused, paused) == paused)
    return;

  supervisor = maiko_monitor_dup_supervisor (self);
  if (supervisor != NULL)
    _maiko_supervisor_update_monitoring (supervisor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * maiko_monitor_pause:
 * @self: a monitor
 *
 * Stops the monitor's records: what happens while it is paused is not
 * recorded for it. Records already queued are still emitted. When every
 * monitor of a supervisor is paused, monitoring costs the runtime one
 * atomic load per hook.
 */
void
maiko_monitor_pause (MaikoMonitor *self)
{
  g_return_if_fail (MAIKO_IS_MONITOR (self));

  set_paused (self, TRUE);
}

/**
 * maiko_monitor_resume:
 * @self: a monitor
 *
 * Undoes [method@Maiko.Monitor.pause]: the monitor records again from now.
 */
void
maiko_monitor_resume (MaikoMonitor *self)
{
  g_return_if_fail (MAIKO_IS_MONITOR (self));

  set_paused (self, FALSE);
}

/**
 * maiko_monitor_is_paused:
 * @self: a monitor
 *
 * Tells whether the monitor is paused ([property@Maiko.Monitor:paused]).
 *
 * Returns: whether the monitor is paused
 */
gboolean
maiko_monitor_is_paused (MaikoMonitor *self)
{
  g_return_val_if_fail (MAIKO_IS_MONITOR (self), FALSE);

  return !_maiko_monitor_is_active (self);
}

static gboolean
caught_up (MaikoMonitorPrivate *priv,
           guint64              target)
{
  return priv->state != STATE_ATTACHED || priv->emitted >= target;
}

/**
 * maiko_monitor_flush:
 * @self: a monitor
 *
 * Returns once every record queued for the monitor before the call has
 * been emitted. Called on the thread that runs the monitor's main context
 * (or when nobody runs it and it is this thread's default one), it emits
 * them itself; otherwise it waits for the thread that runs that context.
 *
 * Records are queued as the runtime works: to wait for the effects of a
 * send, first wait for the runtime (for instance with
 * [method@Maiko.Supervisor.stop]), then flush.
 */
void
maiko_monitor_flush (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;
  guint64 target;

  g_return_if_fail (MAIKO_IS_MONITOR (self));

  priv = maiko_monitor_get_instance_private (self);
  g_mutex_lock (&priv->mutex);
  target = priv->produced;
  if (caught_up (priv, target))
    {
      g_mutex_unlock (&priv->mutex);
      return;
    }
  g_mutex_unlock (&priv->mutex);

  if (_maiko_context_acquire_for_waiting (priv->context))
    {
      g_main_context_push_thread_default (priv->context);
      /* Called from a handler, the records being emitted by the frames
       * below this one are not counted yet: drain what is queued, once. */
      if (priv->owner_emitted < target)
        drain (self, target - priv->owner_emitted);
      g_main_context_pop_thread_default (priv->context);
      g_main_context_release (priv->context);
      return;
    }

  g_mutex_lock (&priv->mutex);
  priv->n_waiting++;
  while (!caught_up (priv, target))
    g_cond_wait (&priv->emitted_cond, &priv->mutex);
  priv->n_waiting--;
  g_mutex_unlock (&priv->mutex);
}

/**
 * maiko_monitor_get_dropped_count:
 * @self: a monitor
 *
 * Gets [property@Maiko.Monitor:dropped-count]: how many records the monitor
 * lost because its main context did not keep up.
 *
 * Returns: how many records were dropped because the queue was full
 */
guint64
maiko_monitor_get_dropped_count (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;
  guint64 dropped;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), 0);

  priv = maiko_monitor_get_instance_private (self);
  g_mutex_lock (&priv->mutex);
  dropped = priv->dropped;
  g_mutex_unlock (&priv->mutex);

  return dropped;
}

/**
 * maiko_monitor_dup_supervisor:
 * @self: a monitor
 *
 * Gets the supervisor the monitor watches, with a reference of the caller's
 * own: the monitor does not keep its supervisor alive.
 *
 * Returns: (transfer full) (nullable): the supervisor the monitor watches,
 *   or %NULL if it was not added or was removed
 */
MaikoSupervisor *
maiko_monitor_dup_supervisor (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), NULL);

  priv = maiko_monitor_get_instance_private (self);
  return g_weak_ref_get (&priv->supervisor);
}

/**
 * maiko_monitor_get_main_context:
 * @self: a monitor
 *
 * Gets [property@Maiko.Monitor:main-context], the main context the
 * monitor's signals are emitted in.
 *
 * Returns: (transfer none) (nullable): the main context the signals are
 *   emitted in, or %NULL if the monitor was never added
 */
GMainContext *
maiko_monitor_get_main_context (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), NULL);

  priv = maiko_monitor_get_instance_private (self);
  return priv->context;
}

/* Settings are frozen once the monitor is added: the runtime reads them
 * without the lock. */
static gboolean
settings_can_change (MaikoMonitorPrivate *priv)
{
  gboolean is_new;

  g_mutex_lock (&priv->mutex);
  is_new = priv->state == STATE_NEW;
  g_mutex_unlock (&priv->mutex);

  return is_new;
}

/**
 * maiko_monitor_get_lossless:
 * @self: a monitor
 *
 * Tells whether the monitor is [property@Maiko.Monitor:lossless]: whether
 * the runtime waits for it instead of dropping records.
 *
 * Returns: the value of [property@Maiko.Monitor:lossless]
 */
gboolean
maiko_monitor_get_lossless (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), FALSE);

  priv = maiko_monitor_get_instance_private (self);
  return priv->lossless;
}

/**
 * maiko_monitor_set_lossless:
 * @self: a monitor not added to a supervisor yet
 * @lossless: whether the runtime waits for the monitor instead of dropping
 *   records
 *
 * Sets [property@Maiko.Monitor:lossless].
 */
void
maiko_monitor_set_lossless (MaikoMonitor *self,
                            gboolean      lossless)
{
  MaikoMonitorPrivate *priv;

  g_return_if_fail (MAIKO_IS_MONITOR (self));

  priv = maiko_monitor_get_instance_private (self);
  g_return_if_fail (settings_can_change (priv));

  lossless = !!lossless;
  if (priv->lossless == lossless)
    return;
  priv->lossless = lossless;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOSSLESS]);
}

/**
 * maiko_monitor_get_capacity:
 * @self: a monitor
 *
 * Gets the capacity of the monitor's queue: the value set with
 * [method@Maiko.Monitor.set_capacity], or, once the monitor is added and
 * that was 0, the supervisor's.
 *
 * Returns: the value of [property@Maiko.Monitor:capacity]
 */
guint
maiko_monitor_get_capacity (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;
  guint capacity;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), 0);

  priv = maiko_monitor_get_instance_private (self);
  g_mutex_lock (&priv->mutex);
  capacity = priv->state == STATE_NEW ? priv->capacity_setting : priv->capacity;
  g_mutex_unlock (&priv->mutex);

  return capacity;
}

/**
 * maiko_monitor_set_capacity:
 * @self: a monitor not added to a supervisor yet
 * @capacity: how many records the queue holds, or 0 for the supervisor's
 *   [property@Maiko.Supervisor:monitoring-capacity]
 *
 * Sets [property@Maiko.Monitor:capacity].
 */
void
maiko_monitor_set_capacity (MaikoMonitor *self,
                            guint         capacity)
{
  MaikoMonitorPrivate *priv;

  g_return_if_fail (MAIKO_IS_MONITOR (self));
  g_return_if_fail (capacity <= G_MAXINT32);

  priv = maiko_monitor_get_instance_private (self);
  g_return_if_fail (settings_can_change (priv));

  if (priv->capacity_setting == capacity)
    return;
  priv->capacity_setting = capacity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
}

/**
 * maiko_monitor_fail:
 * @self: the monitor whose handler runs
 * @error: what failed
 *
 * Ends the monitor because one of its handlers failed, as maiko removes a
 * monitor that panics: it is removed from its supervisor and emits
 * nothing more, the error is logged as a warning and kept in
 * [property@Maiko.Monitor:failure], and the other monitors and the runtime
 * go on.
 *
 * Signals have no error return, so this is how a handler fails. The
 * Python and JavaScript overrides call it when a subclass's class handler
 * (`do_event_handled`, `vfunc_event_handled`, ...) raises. Call it from a
 * handler of the monitor, in its main context; a monitor fails once.
 */
void
maiko_monitor_fail (MaikoMonitor *self,
                    const GError *error)
{
  MaikoMonitorPrivate *priv;
  g_autoptr(MaikoSupervisor) supervisor = NULL;

  g_return_if_fail (MAIKO_IS_MONITOR (self));
  g_return_if_fail (error != NULL);

  priv = maiko_monitor_get_instance_private (self);
  g_return_if_fail (g_main_context_is_owner (priv->context));
  if (priv->failure != NULL)
    return;

  g_mutex_lock (&priv->mutex);
  priv->failure = g_error_copy (error);
  g_mutex_unlock (&priv->mutex);
  g_warning ("Monitor %s failed and was removed: %s", G_OBJECT_TYPE_NAME (self), error->message);

  supervisor = maiko_monitor_dup_supervisor (self);
  if (supervisor != NULL)
    maiko_supervisor_remove_monitor (supervisor, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
}

/**
 * maiko_monitor_dup_failure:
 * @self: a monitor
 *
 * Gets the error that ended the monitor, if one of its handlers failed
 * (see [method@Maiko.Monitor.fail]).
 *
 * Returns: (transfer full) (nullable): a copy of
 *   [property@Maiko.Monitor:failure]: the error that ended the monitor, or
 *   %NULL
 */
GError *
maiko_monitor_dup_failure (MaikoMonitor *self)
{
  MaikoMonitorPrivate *priv;
  GError *error;

  g_return_val_if_fail (MAIKO_IS_MONITOR (self), NULL);

  priv = maiko_monitor_get_instance_private (self);
  g_mutex_lock (&priv->mutex);
  error = priv->failure != NULL ? g_error_copy (priv->failure) : NULL;
  g_mutex_unlock (&priv->mutex);

  return error;
}
