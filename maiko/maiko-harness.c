/* maiko-harness.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-spy-private.h"
#include "maiko-error.h"
#include "maiko-event-chain-private.h"
#include "maiko-event-entry-private.h"
#include "maiko-event-query-private.h"
#include "maiko-event-spy-private.h"
#include "maiko-harness.h"
#include "maiko-monitor-private.h"
#include "maiko-supervisor-private.h"
#include "maiko-topic-spy-private.h"

/**
 * MaikoHarness:
 *
 * Drives a [class@Maiko.Supervisor] from a test and records what flowed
 * where, to assert on it: which actor handled which event, who sent what,
 * what each event caused.
 *
 * ```python
 * harness = Maiko.Harness.new(sup)          # before sup.start()
 * sup.start()
 * event_id = harness.send_as("producer", Maiko.Event.new("Data", None))
 * harness.settle_on_event("Stored", -1)     # wait, at most 1 s
 * assert harness.event(event_id).was_delivered_to("processor")
 * assert harness.actor("sink").events_received() == 1
 * ```
 *
 * The harness is a [class@Maiko.Monitor] that adds itself to the
 * supervisor when it is created, so create it before starting the
 * supervisor to record from the first event. It records one
 * [struct@Maiko.EventEntry] per event and receiver, when the receiver's
 * handler has returned successfully ([signal@Maiko.Monitor::event-handled]).
 * Recording is on from the start; [method@Maiko.Harness.stop_recording]
 * and [method@Maiko.Harness.record] switch it off and on, and
 * [method@Maiko.Harness.reset] forgets what was recorded.
 *
 * Records reach the harness as the monitor's signals, in the main context
 * that was the thread-default one when it was created. The waiting methods
 * ([method@Maiko.Harness.settle], [method@Maiko.Harness.settle_on] and its
 * short forms) run that context while they wait when the calling thread
 * may (as a test's main thread may with the default context), and
 * otherwise wait for the thread that runs it. Then ask:
 * [method@Maiko.Harness.events] for a [class@Maiko.EventQuery] over every
 * entry, [method@Maiko.Harness.event], [method@Maiko.Harness.actor] and
 * [method@Maiko.Harness.topic] for spies, [method@Maiko.Harness.chain] for
 * what one event caused. Each answers from the entries recorded when it was
 * made.
 *
 * The harness is for tests only. Unlike other monitors it never drops a
 * record: it is [property@Maiko.Monitor:lossless], with a queue of a
 * million records unless its [property@Maiko.Monitor:capacity] is set
 * when it is created (beyond that, the runtime waits for the harness's
 * main context). Its log keeps every entry, so a long run makes it grow
 * without limit.
 */

/* settle(): quiet for this long, or this long in all, as the reference. */
#define SETTLE_WINDOW_US (1 * G_TIME_SPAN_MILLISECOND)
#define SETTLE_MAX_US    (10 * G_TIME_SPAN_MILLISECOND)
/* The harness's queue, unless its capacity is set: room for the records
 * of any test, and a bound on a run that outpaces the harness's context. */
#define HARNESS_CAPACITY (1 << 20)

/* settle_on() when given a negative timeout. */
#define DEFAULT_TIMEOUT_MS 1000

struct _MaikoHarness
{
  MaikoMonitor     parent_instance;

  /* Set at construction, then held weakly through the monitor: the
   * supervisor holds the harness. */
  MaikoSupervisor *supervisor;

  GMutex           mutex;
  /* Broadcast on every record, for waits on a thread that cannot run the
   * harness's context. */
  GCond            record_cond;

  /* Under mutex. */
  GPtrArray       *entries;        /* MaikoEventEntry*, in the order recorded */
  GPtrArray       *snapshot;       /* a copy of entries shared by queries, or NULL if stale */
  guint64          n_records;      /* every record emitted: what settle watches */
  gboolean         recording;
};

G_DEFINE_FINAL_TYPE (MaikoHarness, maiko_harness, MAIKO_TYPE_MONITOR)

enum {
  PROP_0,
  PROP_SUPERVISOR,
  PROP_RECORDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Recording, in the harness's main context */

static void
note_record (MaikoHarness    *self,
             MaikoEventEntry *entry)
{
  g_mutex_lock (&self->mutex);
  self->n_records++;
  if (entry != NULL && self->recording)
    {
      g_ptr_array_add (self->entries, entry);
      entry = NULL;
      g_clear_pointer (&self->snapshot, g_ptr_array_unref);
    }
  g_cond_broadcast (&self->record_cond);
  g_mutex_unlock (&self->mutex);

  g_clear_pointer (&entry, maiko_event_entry_unref);
}

static void
maiko_harness_event_handled (MaikoMonitor  *monitor,
                             MaikoEnvelope *envelope,
                             const char    *topic,
                             const char    *receiver)
{
  MaikoEventEntry *entry = _maiko_event_entry_new (envelope, g_intern_string (receiver),
                                                   _maiko_monitor_get_handled_error (monitor));

  note_record (MAIKO_HARNESS (monitor), entry);
}

static void
maiko_harness_event_hook (MaikoMonitor  *monitor,
                          MaikoEnvelope *envelope,
                          const char    *topic,
                          const char    *receiver)
{
  note_record (MAIKO_HARNESS (monitor), NULL);
}

static void
maiko_harness_overflow (MaikoMonitor        *monitor,
                        MaikoEnvelope       *envelope,
                        const char          *topic,
                        const char          *receiver,
                        MaikoOverflowPolicy  policy)
{
  note_record (MAIKO_HARNESS (monitor), NULL);
}

static void
maiko_harness_error (MaikoMonitor *monitor,
                     const char   *actor,
                     const GError *error)
{
  note_record (MAIKO_HARNESS (monitor), NULL);
}

static void
maiko_harness_actor_hook (MaikoMonitor *monitor,
                          const char   *actor)
{
  note_record (MAIKO_HARNESS (monitor), NULL);
}

static guint64
get_n_records (MaikoHarness *self)
{
  guint64 n;

  g_mutex_lock (&self->mutex);
  n = self->n_records;
  g_mutex_unlock (&self->mutex);

  return n;
}

/* Every entry so far; the array is never changed again. */
static GPtrArray *
dup_snapshot (MaikoHarness *self)
{
  GPtrArray *snapshot;

  g_mutex_lock (&self->mutex);
  if (self->snapshot == NULL)
    {
      self->snapshot = g_ptr_array_new_full (self->entries->len,
                                             (GDestroyNotify) maiko_event_entry_unref);
      g_ptr_array_extend (self->snapshot, self->entries, _maiko_event_entry_copy, NULL);
    }
  snapshot = g_ptr_array_ref (self->snapshot);
  g_mutex_unlock (&self->mutex);

  return snapshot;
}

/* Waiting for records */

typedef struct
{
  MaikoHarness *harness;
  /* The harness's context if this thread may run it (acquired and pushed
   * as thread-default), else NULL: another thread emits the records. */
  GMainContext *context;
} Waiter;

static void
waiter_begin (Waiter       *waiter,
              MaikoHarness *self)
{
  GMainContext *context = maiko_monitor_get_main_context (MAIKO_MONITOR (self));

  waiter->harness = self;
  waiter->context = _maiko_context_acquire_for_waiting (context) ? context : NULL;
  if (waiter->context != NULL)
    g_main_context_push_thread_default (waiter->context);
}

static void
waiter_end (Waiter *waiter)
{
  if (waiter->context == NULL)
    return;
  g_main_context_pop_thread_default (waiter->context);
  g_main_context_release (waiter->context);
}

static gboolean
deadline_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  .dispatch = deadline_dispatch,
};

/* Runs the context until a record comes after @seen, or until @until
 * (monotonic, µs). Returns the number of records then. */
static guint64
wait_iterating (Waiter  *waiter,
                guint64  seen,
                gint64   until)
{
  g_autoptr(GSource) deadline = g_source_new (&deadline_funcs, sizeof (GSource));
  gboolean reached = FALSE;
  guint64 n;

  /* A ready time, not a timeout source: those count in whole ms. */
  g_source_set_ready_time (deadline, until);
  g_source_set_callback (deadline, deadline_reached, &reached, NULL);
  g_source_set_static_name (deadline, "[maiko] harness deadline");
  g_source_attach (deadline, waiter->context);
  while ((n = get_n_records (waiter->harness)) == seen && !reached)
    g_main_context_iteration (waiter->context, TRUE);
  g_source_destroy (deadline);

  return n;
}

static guint64
wait_on_cond (MaikoHarness *self,
              guint64       seen,
              gint64        until)
{
  guint64 n;

  g_mutex_lock (&self->mutex);
  while (self->n_records == seen)
    if (!g_cond_wait_until (&self->record_cond, &self->mutex, until))
      break;
  n = self->n_records;
  g_mutex_unlock (&self->mutex);

  return n;
}

static guint64
wait_for_record (Waiter  *waiter,
                 guint64  seen,
                 gint64   until)
{
  if (waiter->context != NULL)
    return wait_iterating (waiter, seen, until);
  return wait_on_cond (waiter->harness, seen, until);
}

/* Whether the context still has work ready (actors bound to it, say):
 * then the runtime is not quiet, whatever the clock says. */
static gboolean
waiter_has_pending (Waiter *waiter)
{
  return waiter->context != NULL && g_main_context_pending (waiter->context);
}

static void
settle (Waiter *waiter)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_MAX_US;
  guint64 seen = get_n_records (waiter->harness);

  for (gint64 now = g_get_monotonic_time (); now < deadline; now = g_get_monotonic_time ())
    {
      guint64 n = wait_for_record (waiter, seen, MIN (now + SETTLE_WINDOW_US, deadline));

      if (n == seen && !waiter_has_pending (waiter))
        break;
      seen = n;
    }
}

/* GObject */

static void
maiko_harness_constructed (GObject *object)
{
  MaikoHarness *self = MAIKO_HARNESS (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (maiko_harness_parent_class)->constructed (object);

  if (self->supervisor == NULL)
    {
      g_critical ("A MaikoHarness needs a supervisor");
      return;
    }

  maiko_monitor_set_lossless (MAIKO_MONITOR (self), TRUE);
  if (maiko_monitor_get_capacity (MAIKO_MONITOR (self)) == 0)
    maiko_monitor_set_capacity (MAIKO_MONITOR (self), HARNESS_CAPACITY);
  if (!maiko_supervisor_add_monitor (self->supervisor, MAIKO_MONITOR (self), &error))
    g_critical ("Cannot add the harness to its supervisor: %s", error->message);
  /* The monitor holds it weakly from now on. */
  g_clear_object (&self->supervisor);
}

static void
maiko_harness_finalize (GObject *object)
{
  MaikoHarness *self = MAIKO_HARNESS (object);

  g_clear_object (&self->supervisor);
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->snapshot, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->record_cond);

  G_OBJECT_CLASS (maiko_harness_parent_class)->finalize (object);
}

static void
maiko_harness_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MaikoHarness *self = MAIKO_HARNESS (object);

  switch (prop_id)
    {
    case PROP_SUPERVISOR:
      g_value_take_object (value, maiko_monitor_dup_supervisor (MAIKO_MONITOR (self)));
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, maiko_harness_is_recording (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_harness_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MaikoHarness *self = MAIKO_HARNESS (object);

  switch (prop_id)
    {
    case PROP_SUPERVISOR:
      self->supervisor = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_harness_class_init (MaikoHarnessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoMonitorClass *monitor_class = MAIKO_MONITOR_CLASS (klass);

  object_class->constructed = maiko_harness_constructed;
  object_class->finalize = maiko_harness_finalize;
  object_class->get_property = maiko_harness_get_property;
  object_class->set_property = maiko_harness_set_property;

  monitor_class->event_dispatched = maiko_harness_event_hook;
  monitor_class->event_delivered = maiko_harness_event_hook;
  monitor_class->event_handled = maiko_harness_event_handled;
  monitor_class->overflow = maiko_harness_overflow;
  monitor_class->error = maiko_harness_error;
  monitor_class->actor_registered = maiko_harness_actor_hook;
  monitor_class->actor_stopped = maiko_harness_actor_hook;

  /**
   * MaikoHarness:supervisor:
   *
   * The supervisor the harness drives and records; the harness adds itself
   * to it as a monitor when it is created.
   */
  properties[PROP_SUPERVISOR] =
    g_param_spec_object ("supervisor", NULL, NULL, MAIKO_TYPE_SUPERVISOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoHarness:recording:
   *
   * Whether deliveries are recorded now.
   */
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_harness_init (MaikoHarness *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->record_cond);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_event_entry_unref);
  self->recording = TRUE;
}

/* Public API */

/**
 * maiko_harness_new:
 * @supervisor: the supervisor to test, best not started yet
 *
 * Creates a harness and adds it to @supervisor as a monitor. Its records
 * are emitted in the thread-default main context of the caller (the
 * global default one if there is none), which the waiting methods run.
 *
 * Create it before starting @supervisor: events routed before are not
 * recorded. Actors added before are known to it all the same.
 *
 * Returns: (transfer full): a new harness, recording
 */
MaikoHarness *
maiko_harness_new (MaikoSupervisor *supervisor)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (supervisor), NULL);

  return g_object_new (MAIKO_TYPE_HARNESS, "supervisor", supervisor, NULL);
}

static void
set_recording (MaikoHarness *self,
               gboolean      recording)
{
  gboolean changed;

  g_mutex_lock (&self->mutex);
  changed = self->recording != recording;
  self->recording = recording;
  g_mutex_unlock (&self->mutex);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

/**
 * maiko_harness_record:
 * @self: a harness
 *
 * Starts recording again after a settle or
 * [method@Maiko.Harness.stop_recording]: deliveries from now on are
 * recorded, those that happened while the recording was off are not. The
 * entries recorded before stay. A new harness records already.
 */
void
maiko_harness_record (MaikoHarness *self)
{
  g_return_if_fail (MAIKO_IS_HARNESS (self));

  /* What is queued happened before this call. */
  maiko_monitor_flush (MAIKO_MONITOR (self));
  set_recording (self, TRUE);
}

/**
 * maiko_harness_stop_recording:
 * @self: a harness
 *
 * Settles as [method@Maiko.Harness.settle] does, which stops recording:
 * what was recorded stays, for the spies and queries.
 */
void
maiko_harness_stop_recording (MaikoHarness *self)
{
  g_return_if_fail (MAIKO_IS_HARNESS (self));

  maiko_harness_settle (self);
  set_recording (self, FALSE);
}

/**
 * maiko_harness_is_recording:
 * @self: a harness
 *
 * Tells whether the harness records deliveries now: from its creation, and
 * after [method@Maiko.Harness.record], until
 * [method@Maiko.Harness.stop_recording].
 *
 * Returns: whether deliveries are recorded now
 */
gboolean
maiko_harness_is_recording (MaikoHarness *self)
{
  gboolean recording;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), FALSE);

  g_mutex_lock (&self->mutex);
  recording = self->recording;
  g_mutex_unlock (&self->mutex);

  return recording;
}

/**
 * maiko_harness_reset:
 * @self: a harness
 *
 * Forgets every entry recorded so far, including those of deliveries
 * queued but not emitted yet, and records again, for the next phase of a
 * test. Queries and spies made before keep their entries.
 */
void
maiko_harness_reset (MaikoHarness *self)
{
  g_return_if_fail (MAIKO_IS_HARNESS (self));

  maiko_monitor_flush (MAIKO_MONITOR (self));

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->entries, 0);
  g_clear_pointer (&self->snapshot, g_ptr_array_unref);
  g_mutex_unlock (&self->mutex);
  set_recording (self, TRUE);
}

/**
 * maiko_harness_send_as:
 * @self: a harness
 * @actor: the sender's name: an actor of the supervisor, `"supervisor"`, or
 *   any other name for a sender outside the system (a sensor, say)
 * @event: the event to publish
 * @error: return location for a #GError
 *
 * Publishes @event as if @actor had sent it: its receivers see @actor as
 * the sender, and if @actor is an actor of the supervisor it does not
 * receive it. Routing runs on the calling thread, as for
 * [method@Maiko.Supervisor.send].
 *
 * Returns: (transfer full): the id of the event, for
 *   [method@Maiko.Harness.event] and [method@Maiko.Harness.chain]; %NULL
 *   with %MAIKO_ERROR_INVALID_ARGUMENT for an empty or non-UTF-8 name, or
 *   the errors of [method@Maiko.Supervisor.send]
 */
char *
maiko_harness_send_as (MaikoHarness  *self,
                       const char    *actor,
                       MaikoEvent    *event,
                       GError       **error)
{
  g_autoptr(MaikoSupervisor) supervisor = NULL;
  g_autofree char *id = NULL;
  MaikoActor *sender = NULL;
  const char *name;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);
  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  supervisor = maiko_monitor_dup_supervisor (MAIKO_MONITOR (self));
  if (supervisor == NULL)
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The harness's supervisor is gone");
      return NULL;
    }
  /* It is written into records and recordings, which must be UTF-8. */
  if (*actor == '\0' || !g_utf8_validate (actor, -1, NULL))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "A sender name must be a non-empty UTF-8 string");
      return NULL;
    }
  /* An actor does not receive what it sends; a name that is no actor's is
   * a synthetic sender, such as a sensor outside the system. */
  sender = maiko_supervisor_get_actor (supervisor, actor);
  name = sender != NULL ? maiko_actor_get_name (sender) : g_intern_string (actor);

  if (!_maiko_supervisor_publish (supervisor, sender, name, event, &id, NULL, error))
    return NULL;

  return g_steal_pointer (&id);
}

/**
 * maiko_harness_settle:
 * @self: a harness
 *
 * Waits for the runtime to go quiet: returns once no record has come for
 * 1 ms (and the harness's main context has nothing else ready to run), or
 * after 10 ms in all, as the reference does. Records that came meanwhile
 * are recorded. Then recording stops, as in maiko: the spies and queries
 * see what was recorded until then, however the runtime goes on, until
 * [method@Maiko.Harness.record] or [method@Maiko.Harness.reset].
 *
 * Quiet is not done: a handler may still be busy, or a chatty actor may
 * never be quiet. To wait for an outcome, use
 * [method@Maiko.Harness.settle_on].
 */
void
maiko_harness_settle (MaikoHarness *self)
{
  Waiter waiter;

  g_return_if_fail (MAIKO_IS_HARNESS (self));

  waiter_begin (&waiter, self);
  settle (&waiter);
  waiter_end (&waiter);
  set_recording (self, FALSE);
}

static gboolean
check (MaikoHarness        *self,
       MaikoQueryPredicate  predicate,
       gpointer             user_data)
{
  g_autoptr(GPtrArray) snapshot = dup_snapshot (self);
  g_autoptr(MaikoEventQuery) events = _maiko_event_query_new (snapshot);

  return predicate (events, user_data);
}

/**
 * maiko_harness_settle_on:
 * @self: a harness
 * @timeout_ms: how long to wait at most, in milliseconds, or -1 for the
 *   default of 1 second
 * @predicate: (scope call) (closure user_data): the condition, asked with
 *   every entry recorded so far
 * @user_data: data for @predicate
 * @error: return location for a #GError
 *
 * Settles as [method@Maiko.Harness.settle] does, then waits until
 * @predicate holds, asking it again whenever a record comes; then, held
 * or not, recording stops, as after [method@Maiko.Harness.settle]. The timeout
 * comes first, as in g_timeout_add(), so that the predicate can be the
 * last argument in every language:
 *
 * ```python
 * harness.settle_on(-1, lambda events: events.with_label("Pong").count() >= 3)
 * ```
 *
 * ```js
 * harness.settle_on(-1, events => events.with_label('Pong').count() >= 3);
 * ```
 *
 * Returns: %TRUE once @predicate holds; %FALSE with
 *   %MAIKO_ERROR_SETTLE_TIMEOUT if it did not within @timeout_ms
 */
gboolean
maiko_harness_settle_on (MaikoHarness         *self,
                         gint                  timeout_ms,
                         MaikoQueryPredicate   predicate,
                         gpointer              user_data,
                         GError              **error)
{
  gint64 deadline;
  gboolean held = FALSE;
  Waiter waiter;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), FALSE);
  g_return_val_if_fail (predicate != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (timeout_ms < 0)
    timeout_ms = DEFAULT_TIMEOUT_MS;
  deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  waiter_begin (&waiter, self);
  settle (&waiter);
  for (;;)
    {
      guint64 seen = get_n_records (self);

      if ((held = check (self, predicate, user_data)))
        break;
      if (g_get_monotonic_time () >= deadline)
        break;
      wait_for_record (&waiter, seen, deadline);
    }
  waiter_end (&waiter);
  set_recording (self, FALSE);

  if (!held)
    g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT,
                 "The condition did not hold within %d ms (%u deliveries recorded)",
                 timeout_ms, maiko_harness_delivery_count (self));
  return held;
}

static gboolean
has_label (MaikoEventQuery *events,
           gpointer         label)
{
  return maiko_event_query_has_event (events, label);
}

/**
 * maiko_harness_settle_on_event:
 * @self: a harness
 * @label: an event label
 * @timeout_ms: how long to wait at most, in milliseconds, or -1 for the
 *   default of 1 second
 * @error: return location for a #GError
 *
 * Waits, as [method@Maiko.Harness.settle_on] does, until some receiver
 * handled an event labelled @label.
 *
 * Returns: %TRUE once such an event was recorded; %FALSE with
 *   %MAIKO_ERROR_SETTLE_TIMEOUT if none was within @timeout_ms
 */
gboolean
maiko_harness_settle_on_event (MaikoHarness  *self,
                               const char    *label,
                               gint           timeout_ms,
                               GError       **error)
{
  g_return_val_if_fail (MAIKO_IS_HARNESS (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  return maiko_harness_settle_on (self, timeout_ms, has_label, (gpointer) label, error);
}

static gboolean
has_match (MaikoEventQuery *events,
           gpointer         matcher)
{
  return maiko_event_query_has_event_matching (events, matcher);
}

/**
 * maiko_harness_settle_on_event_matching:
 * @self: a harness
 * @matcher: a matcher
 * @timeout_ms: how long to wait at most, in milliseconds, or -1 for the
 *   default of 1 second
 * @error: return location for a #GError
 *
 * Waits, as [method@Maiko.Harness.settle_on] does, until an entry that
 * @matcher matches was recorded.
 *
 * Returns: %TRUE once such an entry was recorded; %FALSE with
 *   %MAIKO_ERROR_SETTLE_TIMEOUT if none was within @timeout_ms
 */
gboolean
maiko_harness_settle_on_event_matching (MaikoHarness       *self,
                                        MaikoEventMatcher  *matcher,
                                        gint                timeout_ms,
                                        GError            **error)
{
  g_return_val_if_fail (MAIKO_IS_HARNESS (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (matcher), FALSE);

  return maiko_harness_settle_on (self, timeout_ms, has_match, matcher, error);
}

/**
 * maiko_harness_events:
 * @self: a harness
 *
 * Gives every entry recorded so far, as a query to filter and assert on.
 *
 * Returns: (transfer full): a query over every entry recorded so far
 */
MaikoEventQuery *
maiko_harness_events (MaikoHarness *self)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);

  snapshot = dup_snapshot (self);
  return _maiko_event_query_new (snapshot);
}

/**
 * maiko_harness_event:
 * @self: a harness
 * @id: an event id, as [method@Maiko.Harness.send_as] returns
 *
 * Gives a spy on one event: who handled it and what it caused.
 *
 * Returns: (transfer full): a spy on the event whose id is @id
 */
MaikoEventSpy *
maiko_harness_event (MaikoHarness *self,
                     const char   *id)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  snapshot = dup_snapshot (self);
  return _maiko_event_spy_new (snapshot, id);
}

/**
 * maiko_harness_actor:
 * @self: a harness
 * @name: an actor name
 *
 * Gives a spy on one actor: the events it handled and the deliveries of
 * those it sent. A name that no actor has gives a spy that saw nothing.
 *
 * Returns: (transfer full): a spy on the actor named @name
 */
MaikoActorSpy *
maiko_harness_actor (MaikoHarness *self,
                     const char   *name)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autoptr(MaikoSupervisor) supervisor = NULL;
  MaikoActor *actor = NULL;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  snapshot = dup_snapshot (self);
  supervisor = maiko_monitor_dup_supervisor (MAIKO_MONITOR (self));
  if (supervisor != NULL)
    actor = maiko_supervisor_get_actor (supervisor, name);
  return _maiko_actor_spy_new (snapshot, name, actor);
}

/**
 * maiko_harness_topic:
 * @self: a harness
 * @topic: a topic
 *
 * Gives a spy on one topic: the deliveries of the events routed on it.
 *
 * Returns: (transfer full): a spy on @topic
 */
MaikoTopicSpy *
maiko_harness_topic (MaikoHarness *self,
                     const char   *topic)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  snapshot = dup_snapshot (self);
  return _maiko_topic_spy_new (snapshot, topic);
}

/**
 * maiko_harness_chain:
 * @self: a harness
 * @root_id: an event id
 *
 * Follows what one event caused, through the parent ids of the events sent
 * in answer to it.
 *
 * Returns: (transfer full): the chain of events that the event whose id
 *   is @root_id caused
 */
MaikoEventChain *
maiko_harness_chain (MaikoHarness *self,
                     const char   *root_id)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), NULL);
  g_return_val_if_fail (root_id != NULL, NULL);

  snapshot = dup_snapshot (self);
  return _maiko_event_chain_new (snapshot, root_id);
}

/**
 * maiko_harness_dump:
 * @self: a harness
 *
 * Prints every entry recorded, with g_print(), to debug a test:
 *
 * ```
 * Recorded events (2 deliveries):
 *   0: [producer] --> [processor]  Data  (id: 6f1c0e4a-…)
 *   1: [processor] --> [sink]  Stored  (id: 0b9d52f7-…)
 * ```
 */
void
maiko_harness_dump (MaikoHarness *self)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_if_fail (MAIKO_IS_HARNESS (self));

  snapshot = dup_snapshot (self);
  if (snapshot->len == 0)
    g_string_append (out, "(no events recorded)\n");
  else
    g_string_append_printf (out, "Recorded events (%u deliveries):\n", snapshot->len);
  for (guint i = 0; i < snapshot->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (snapshot, i);

      g_string_append_printf (out, "  %u: [%s] --> [%s]  %s  (id: %s)\n", i,
                              maiko_event_entry_get_sender (entry),
                              maiko_event_entry_get_receiver (entry),
                              maiko_event_entry_get_label (entry),
                              maiko_event_entry_get_id (entry));
    }

  g_print ("%s", out->str);
}

/**
 * maiko_harness_delivery_count:
 * @self: a harness
 *
 * Counts the entries recorded so far: one per event and receiver, so an
 * event handled by two receivers counts twice.
 *
 * Returns: the number of deliveries recorded
 */
guint
maiko_harness_delivery_count (MaikoHarness *self)
{
  guint n;

  g_return_val_if_fail (MAIKO_IS_HARNESS (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->entries->len;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * maiko_harness_event_count:
 * @self: a harness
 *
 * Counts the entries recorded so far, as
 * [method@Maiko.Harness.delivery_count] does: an event handled by two
 * receivers counts twice, whatever the name says.
 *
 * Returns: the number of deliveries recorded
 *
 * Deprecated: 0.1: Use [method@Maiko.Harness.delivery_count].
 */
guint
maiko_harness_event_count (MaikoHarness *self)
{
  return maiko_harness_delivery_count (self);
}
