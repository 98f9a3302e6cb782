/* maiko-actor.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <string.h>

#include "maiko-actor-info.h"
#include "maiko-actor-private.h"
#include "maiko-context-private.h"
#include "maiko-error.h"
#include "maiko-supervisor-private.h"
#include "maiko-worker-pool-private.h"

/**
 * MaikoActor:
 *
 * An actor: private state, a mailbox, and the virtual methods that the
 * runtime calls on the actor's own context.
 *
 * Subclass it and override [vfunc@Maiko.Actor.handle_event] (and any of
 * [vfunc@Maiko.Actor.on_start], [vfunc@Maiko.Actor.step],
 * [vfunc@Maiko.Actor.on_shutdown], [vfunc@Maiko.Actor.on_error]), then add
 * it to a [class@Maiko.Supervisor].
 *
 * By default each actor runs on a thread of its own, which iterates a
 * [struct@GLib.MainContext] of its own pushed as thread-default, so GIO's
 * asynchronous APIs work inside an actor as anywhere else. An actor whose
 * [property@Maiko.Actor:main-context] is set runs on that context instead:
 * the application's main loop, or one context that many light actors share.
 * A supervisor given a [class@Maiko.WorkerPool] places the actors whose
 * main-context is not set on the pool's workers instead of threads of
 * their own; their handlers see the worker's context as thread-default.
 *
 * Settings are properties and must be set before the actor is added.
 */

#define DEFAULT_BACKOFF_MS 10

typedef enum
{
  STEP_OFF,
  STEP_READY,
  STEP_AWAIT_EVENT,
  /* AWAIT_EVENT, and a batch was handled: step goes before the next one,
   * so that it runs after every max-events-per-tick events. */
  STEP_AFTER_EVENTS,
  STEP_TIMED,
} StepMode;

/* Values of stop_requested: 0 means none. */
#define STOP_FLAG(mode) ((mode) + 1)

typedef struct
{
  /* Settings, frozen once the actor is added. 0 means the supervisor's. */
  guint             mailbox_capacity;
  guint             max_events_per_tick;
  GMainContext     *main_context;
  char            **publishes;           /* only describes the topology */

  /* Set once by _maiko_actor_attach(); the supervisor is cleared when it
   * is disposed (see _maiko_actor_dup_supervisor()). */
  MaikoSupervisor  *supervisor;          /* borrowed: it owns us */
  const gint       *monitoring;          /* the supervisor's flag, read atomically */
  const char       *name;                /* interned */
  char            **topics;
  gboolean          all_topics;
  MaikoContext     *context;
  MaikoMailbox     *mailbox;
  GMainContext     *run_context;         /* own, main_context or a pool worker's */
  /* Whether the actor runs on a thread of its own (it has neither a
   * main_context nor a worker pool). */
  gboolean          own_thread;
  /* The pool whose worker the runtime placed the actor on, kept until the
   * actor is freed (its mailbox uses the worker's spin hint). The actor
   * counts on the worker until it ends or is freed: pool_counted is
   * cleared once, atomically. */
  MaikoWorkerPool  *pool;
  guint             pool_index;
  gint              pool_counted;
  guint             per_tick;
  guint             broker_capacity;
  MaikoEnvelope   **batch;               /* per_tick slots for popped events */

  /* Under the supervisor's lock. */
  GThread          *thread;

  /* Touched only on the actor's own context. */
  GSource          *mailbox_source;
  GSource          *step_source;
  GPtrArray        *outbox;              /* stage 1: sent, not yet routed */
  GArray           *staged;              /* of MaikoStagedRecord, see stage_record() */
  guint             watched_hooks;       /* see handle_batch() */
  GError           *reported_error;      /* see maiko_context_fail() */
  gboolean          started;
  gboolean          in_dispatch;         /* keeps our sources out of nested iterations */
  StepMode          step_mode;
  gint64            step_due;            /* monotonic µs, for STEP_TIMED */
  guint             backoff_ms;
  gint64            spin_us;             /* own thread: how long to spin before sleeping */

  /* Shared across threads. */
  gint              stop_requested;      /* atomic: 0 or STOP_FLAG (mode) */
  /* Set when the runtime's stop began while the actor ran: it owes the
   * stop's barrier a flush of its outbox (see
   * _maiko_supervisor_note_flushed()). */
  gint              flush_owed;          /* atomic */
  GError           *stop_error;          /* atomic, first error wins */
  /* Taken from the mailbox after a stop NOW, not handled: kept for the
   * instance that may replace this one, which handles them first.
   * Touched only on its own context (and before a successor's launch). */
  GPtrArray        *unhandled;           /* MaikoEnvelope*, owned */
  /* The instance that replaced this one; under the supervisor's lock. */
  MaikoActor       *successor;
  gint              launched;            /* atomic */
  gint              ended;               /* atomic */
  /* How many instances of this name came before this one, set once by
   * the supervisor before the actor is launched. */
  guint             restart_count;

  /* What the live view reads (see _maiko_actor_get_state()), written on
   * the actor's own context and read from any thread. */
  gint              ready;               /* atomic: on_start returned */
  gint              failed;              /* atomic: ended with an error */
  gint              restarting;          /* atomic: ended to be replaced */
  /* The events this name has handled, this instance and those before it.
   * Only the actor's context writes it, once per batch, with a relaxed
   * store: a plain store on the hot path, which a reader on another
   * thread reads without a race. A word, so that any platform stores it
   * atomically (it wraps at 2^32 where a word has 32 bits). */
  gsize             handled_count;
} MaikoActorPrivate;

typedef struct
{
  GSource     source;
  MaikoActor *actor;
} ActorSource;

G_DEFINE_TYPE_WITH_PRIVATE (MaikoActor, maiko_actor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_MAILBOX_CAPACITY,
  PROP_MAX_EVENTS_PER_TICK,
  PROP_MAIN_CONTEXT,
  PROP_PUBLISHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whether the actor was added to a supervisor (which may be gone since):
 * its settings are frozen from then on. */
static gboolean
was_added (MaikoActorPrivate *priv)
{
  return priv->name != NULL;
}

/* The actor no longer counts on its pool worker, if it did. */
static void
leave_pool (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (g_atomic_int_exchange (&priv->pool_counted, FALSE))
    _maiko_worker_pool_release (priv->pool, priv->pool_index);
}

/* The actor whose callback runs on this thread right now, if any. */
static _Thread_local MaikoActor *current_actor;

static gboolean end_callback (MaikoActor *self,
                              gboolean    ok,
                              GError     *error);

/**
 * MaikoActorClass::handle_event:
 * @self: the actor
 * @envelope: (transfer none): the envelope to handle; take a reference to
 *   keep it beyond the call
 * @error: return location for a #GError
 *
 * Handles one event.
 *
 * Returns: %TRUE on success, %FALSE with @error set on failure
 */

/**
 * MaikoActorClass::on_start:
 * @self: the actor
 * @error: return location for a #GError
 *
 * Called once on the actor's own context when the supervisor starts it,
 * before any event is handled: the place to open what the actor needs.
 * A failure is handled as for [vfunc@Maiko.Actor.handle_event]:
 * [vfunc@Maiko.Actor.on_error] decides whether the actor goes on. The
 * default does nothing and returns %TRUE.
 *
 * Returns: %TRUE on success, %FALSE with @error set on failure
 */

/**
 * MaikoActorClass::step:
 * @self: the actor
 *
 * Does work of the actor's own between events: polling a device, producing
 * events on a timer. It is called only if the class overrides it, first
 * right after [vfunc@Maiko.Actor.on_start]; the action it returns says
 * when to call it again. It fails by calling [method@Maiko.Context.fail].
 * The default returns %MAIKO_STEP_ACTION_NEVER.
 *
 * Returns: when to call `step` again
 */

/**
 * MaikoActorClass::on_shutdown:
 * @self: the actor
 *
 * Called exactly once on the actor's own context when the actor ends,
 * however it ends: the runtime stopped, the actor stopped itself, it failed,
 * or its mailbox overflowed. The place to release what
 * [vfunc@Maiko.Actor.on_start] opened. The default does nothing.
 */

/**
 * MaikoActorClass::on_error:
 * @self: the actor
 * @error: what failed
 *
 * Decides what a failure of [vfunc@Maiko.Actor.on_start],
 * [vfunc@Maiko.Actor.handle_event] or [vfunc@Maiko.Actor.step] does to the
 * actor. The monitors get [signal@Maiko.Monitor::error] whatever it
 * returns. The default returns %FALSE.
 *
 * Returns: %TRUE to swallow the error and go on with the next event,
 *   %FALSE to stop the actor with @error
 */

static gboolean
maiko_actor_real_on_start (MaikoActor  *self,
                           GError     **error)
{
  return TRUE;
}

static gboolean
maiko_actor_real_handle_event (MaikoActor     *self,
                               MaikoEnvelope  *envelope,
                               GError        **error)
{
  return TRUE;
}

static MaikoStepAction
maiko_actor_real_step (MaikoActor *self)
{
  return MAIKO_STEP_ACTION_NEVER;
}

static void
maiko_actor_real_on_shutdown (MaikoActor *self)
{
}

static gboolean
maiko_actor_real_on_error (MaikoActor   *self,
                           const GError *error)
{
  return FALSE;
}

/* Entering and leaving the actor's callbacks. */

static MaikoActor *
enter_actor (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActor *previous = current_actor;
  GMainContext *thread_default = g_main_context_get_thread_default ();

  if (thread_default == NULL)
    thread_default = g_main_context_default ();
  /* A bound actor's callbacks see its context as thread-default, as a
   * threaded actor's do, so GIO calls made there come back to it. */
  if (thread_default != priv->run_context)
    g_main_context_push_thread_default (priv->run_context);
  else
    previous = (MaikoActor *) ((guintptr) previous | 1);

  current_actor = self;
  priv->in_dispatch = TRUE;

  return previous;
}

static void
leave_actor (MaikoActor *self,
             MaikoActor *previous)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  priv->in_dispatch = FALSE;
  if (((guintptr) previous & 1) == 0)
    g_main_context_pop_thread_default (priv->run_context);
  current_actor = (MaikoActor *) ((guintptr) previous & ~(guintptr) 1);
}

MaikoActor *
_maiko_actor_get_current (void)
{
  return current_actor;
}

/* Records of event-delivered and event-handled wait in priv->staged for
 * the next record the actor makes otherwise (anything else it records or
 * sends), for the end of the batch, or, for event-delivered, for its
 * handler to run, and go to the monitors together, under one lock each:
 * a monitor's lock is one its own thread takes too. The order the
 * monitors see does not change. Takes @envelope's reference. */
static void
stage_record (MaikoActorPrivate *priv,
              MaikoRecordHook    kind,
              MaikoEnvelope     *envelope)
{
  MaikoStagedRecord record = { kind, envelope, NULL };

  if (priv->staged == NULL)
    priv->staged = g_array_new (FALSE, FALSE, sizeof (MaikoStagedRecord));
  g_array_append_val (priv->staged, record);
}

static void
free_staged (GArray *staged)
{
  for (guint i = 0; i < staged->len; i++)
    _maiko_staged_record_clear (&g_array_index (staged, MaikoStagedRecord, i));
  g_array_unref (staged);
}

/* Pushes the staged records, then event-delivered for @delivered
 * (nullable, owned). */
static void
push_pending_records (MaikoActor    *self,
                      MaikoEnvelope *delivered)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (delivered != NULL)
    stage_record (priv, MAIKO_RECORD_HOOK_EVENT_DELIVERED, delivered);
  if (priv->staged == NULL || priv->staged->len == 0)
    return;
  /* The monitors take the records' references. */
  _maiko_supervisor_record_staged (priv->supervisor, (MaikoStagedRecord *) priv->staged->data,
                                   priv->staged->len, priv->name);
  g_array_set_size (priv->staged, 0);
}

/* Stage 1 to stage 2: hand what the actor sent to the mailboxes. */
static void
flush_outbox (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  push_pending_records (self, NULL);
  if (priv->outbox->len == 0)
    return;

  /* The supervisor takes the outbox's references. */
  _maiko_supervisor_deliver (priv->supervisor, self, (MaikoEnvelope **) priv->outbox->pdata,
                             priv->outbox->len, NULL, NULL);
  g_ptr_array_set_size (priv->outbox, 0);
}

static gboolean
stop_is_requested (MaikoActorPrivate *priv)
{
  return g_atomic_int_get (&priv->stop_requested) != 0;
}

static void
report_undelivered (MaikoActor    *self,
                    MaikoEnvelope *envelope)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  _maiko_supervisor_report_undelivered (priv->supervisor, envelope, priv->name,
                                        "the receiver stopped");
}

/* Handles @envelope, taking its reference: the handler only borrows it
 * (bindings reference what they keep, see docs/concepts.md). */
static void
handle_envelope (MaikoActor    *self,
                 MaikoEnvelope *envelope)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActorClass *klass = MAIKO_ACTOR_GET_CLASS (self);
  g_autoptr(MaikoEnvelope) owned = envelope;
  GError *error = NULL;
  gboolean monitored = g_atomic_int_get (priv->monitoring);
  gboolean ok;

  /* event-delivered goes before the handler runs (a monitor paused or
   * resumed meanwhile must not change what it gets), with the staged
   * event-handled records: one lock for all. */
  if (G_UNLIKELY (monitored) && (priv->watched_hooks & (1 << MAIKO_RECORD_HOOK_EVENT_DELIVERED)))
    push_pending_records (self, maiko_envelope_ref (envelope));

  ok = klass->handle_event (self, envelope, &error);
  /* As in maiko, a failed handling is reported as handled, then as an
   * error (handle_failure() pushes the first before the second). */
  if (G_UNLIKELY (monitored) && (priv->watched_hooks & (1 << MAIKO_RECORD_HOOK_EVENT_HANDLED)))
    stage_record (priv, MAIKO_RECORD_HOOK_EVENT_HANDLED, g_steal_pointer (&owned));
  end_callback (self, ok, error);
}

/* Takes up to max-events-per-tick events into the batch: first those
 * taken and not handled (by the instance this one replaced), then from
 * the mailbox. */
static guint
take_batch (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  guint n;

  if (G_LIKELY (priv->unhandled->len == 0))
    return _maiko_mailbox_pop_batch (priv->mailbox, priv->batch, priv->per_tick);

  n = MIN (priv->per_tick, priv->unhandled->len);
  memcpy (priv->batch, priv->unhandled->pdata, n * sizeof (gpointer));
  g_ptr_array_set_free_func (priv->unhandled, NULL);
  g_ptr_array_remove_range (priv->unhandled, 0, n);
  g_ptr_array_set_free_func (priv->unhandled, (GDestroyNotify) maiko_envelope_unref);

  return n;
}

/* Whether the actor has events to handle. */
static gboolean
has_events (MaikoActorPrivate *priv)
{
  return priv->unhandled->len > 0 || !_maiko_mailbox_is_empty (priv->mailbox);
}

/* Handles up to max-events-per-tick events; returns how many were taken. */
static guint
handle_batch (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  guint n = take_batch (self);
  guint kept = 0;

  /* Which event hooks the monitors watch, for the records of this batch;
   * all of them if monitoring starts while it is handled. */
  if (G_UNLIKELY (g_atomic_int_get (priv->monitoring)) && n > 0)
    priv->watched_hooks = _maiko_supervisor_note_watchers (priv->supervisor);
  else
    priv->watched_hooks = ~0u;

  for (guint i = 0; i < n; i++)
    {
      MaikoEnvelope *envelope = g_steal_pointer (&priv->batch[i]);

      /* Kept, in order, for the instance that may replace it (see finish()). */
      if (g_atomic_int_get (&priv->stop_requested) == STOP_FLAG (MAIKO_STOP_NOW))
        g_ptr_array_insert (priv->unhandled, kept++, envelope);
      else
        handle_envelope (self, envelope);
    }
  push_pending_records (self, NULL);
  if (kept < n)
    __atomic_store_n (&priv->handled_count, priv->handled_count + (n - kept), __ATOMIC_RELAXED);

  return n;
}

static void
handle_failure (MaikoActor *self,
                GError     *error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActorClass *klass = MAIKO_ACTOR_GET_CLASS (self);

  /* Bindings report a failure as FALSE with no error set. */
  if (error == NULL)
    error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                         "Actor “%s” failed without giving an error", priv->name);
  /* The failing handler's event-handled record, staged last, carries the
   * error. */
  if (priv->staged != NULL && priv->staged->len > 0)
    {
      MaikoStagedRecord *last = &g_array_index (priv->staged, MaikoStagedRecord,
                                                priv->staged->len - 1);

      if (last->kind == MAIKO_RECORD_HOOK_EVENT_HANDLED && last->error == NULL)
        last->error = g_error_copy (error);
    }
  push_pending_records (self, NULL);
  _maiko_supervisor_record (priv->supervisor, MAIKO_RECORD_HOOK_ERROR, NULL, priv->name, error);

  if (klass->on_error (self, error))
    g_error_free (error);
  else
    _maiko_actor_request_stop (self, MAIKO_STOP_NOW, error);
}

/* Called when on_start, handle_event or step returned @ok and @error
 * (owned, nullable): the callback failed if it said so, or if it reported
 * an error with maiko_context_fail(). Handles the failure; returns whether
 * the callback succeeded. */
static gboolean
end_callback (MaikoActor *self,
              gboolean    ok,
              GError     *error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  g_autoptr(GError) reported = g_steal_pointer (&priv->reported_error);

  if (ok && reported == NULL)
    {
      g_clear_error (&error);
      return TRUE;
    }

  handle_failure (self, error != NULL ? error : g_steal_pointer (&reported));
  return FALSE;
}

/* See maiko_context_fail(): the first error of a callback is kept. */
void
_maiko_actor_report_error (MaikoActor   *self,
                           const GError *error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (priv->reported_error == NULL)
    priv->reported_error = g_error_copy (error);
  else
    g_debug ("Actor “%s” reported a second error in one callback: %s",
             priv->name, error->message);
}

static void
run_on_start (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  GError *error = NULL;
  gboolean ok;

  priv->started = TRUE;
  ok = MAIKO_ACTOR_GET_CLASS (self)->on_start (self, &error);
  ok = end_callback (self, ok, error);
  g_atomic_int_set (&priv->ready, TRUE);
  /* A failure that on_error did not swallow has set the stop's error. */
  _maiko_supervisor_actor_ready (priv->supervisor, self,
                                 ok ? NULL : g_atomic_pointer_get (&priv->stop_error));

  if (priv->step_source != NULL)
    priv->step_mode = STEP_READY;
}

/* Reports the events the actor took but did not handle, and what its
 * mailbox holds, as undelivered; closes the mailbox. */
static void
close_mailbox (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  g_autoptr(GPtrArray) rest = _maiko_mailbox_close (priv->mailbox);

  g_ptr_array_extend_and_steal (priv->unhandled, g_steal_pointer (&rest));
  for (guint i = 0; i < priv->unhandled->len; i++)
    report_undelivered (self, g_ptr_array_index (priv->unhandled, i));
  g_ptr_array_set_size (priv->unhandled, 0);
}

/* Ends the actor, on its own context: drain if the runtime stops or the
 * actor was removed, close the mailbox unless a fresh instance will take
 * what it holds, run on_shutdown once, tell the supervisor. */
static void
finish (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  gint stop = g_atomic_int_get (&priv->stop_requested);
  GError *error;

  if (stop == STOP_FLAG (MAIKO_STOP_DRAIN) || stop == STOP_FLAG (MAIKO_STOP_LEAVE))
    while (handle_batch (self) > 0)
      flush_outbox (self);
  flush_outbox (self);

  if (_maiko_supervisor_claim_restart (priv->supervisor, self,
                                       g_atomic_pointer_get (&priv->stop_error)))
    g_atomic_int_set (&priv->restarting, TRUE);
  else
    close_mailbox (self);

  MAIKO_ACTOR_GET_CLASS (self)->on_shutdown (self);
  flush_outbox (self);

  if (priv->step_source != NULL)
    g_source_destroy (priv->step_source);
  g_source_destroy (priv->mailbox_source);

  error = g_atomic_pointer_exchange (&priv->stop_error, NULL);
  g_atomic_int_set (&priv->failed, error != NULL);
  g_atomic_int_set (&priv->ended, TRUE);
  /* Before the supervisor hears of it: a restart places the fresh
   * instance by the loads without this one. */
  leave_pool (self);
  _maiko_supervisor_actor_finished (priv->supervisor, self, error);
}

/* Called by the supervisor when a restart was claimed but will not be
 * made (the runtime stopped meanwhile, or no fresh instance could be
 * made): nobody will take what the mailbox holds. */
void
_maiko_actor_close_mailbox (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  g_atomic_int_set (&priv->restarting, FALSE);
  close_mailbox (self);
}

/* Hands over to @successor, a fresh instance of this actor not launched
 * yet, the events this one took and did not handle, then what its mailbox
 * holds: the successor handles them first, beyond its mailbox's capacity.
 * Closes the mailbox. Called with the supervisor's lock held, which a
 * sender that finds the mailbox closed takes to find the successor: it
 * sends there only after this. */
void
_maiko_actor_hand_over (MaikoActor *self,
                        MaikoActor *successor)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActorPrivate *next = maiko_actor_get_instance_private (successor);

  g_ptr_array_extend_and_steal (next->unhandled, g_steal_pointer (&priv->unhandled));
  priv->unhandled = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  g_ptr_array_extend_and_steal (next->unhandled, _maiko_mailbox_close (priv->mailbox));
  /* The count is the name's: it goes on across restarts. */
  __atomic_store_n (&next->handled_count, _maiko_actor_get_handled_count (self), __ATOMIC_RELAXED);
  g_set_object (&priv->successor, successor);
}

/* The instance that replaced this one, if any: see _maiko_actor_hand_over(). */
MaikoActor *
_maiko_actor_get_successor (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->successor;
}

/* The mailbox source: runs on_start first, then events, then the end. */

/* Whether a stopping actor may end: when the runtime stops, only once
 * every event accepted before the stop began has reached its mailboxes,
 * so that none sent to it is lost (a stop is graceful); until then it
 * handles what comes. Ending for its own reasons, it need not wait. */
static gboolean
may_end (MaikoActorPrivate *priv)
{
  return g_atomic_int_get (&priv->stop_requested) != STOP_FLAG (MAIKO_STOP_DRAIN) ||
         _maiko_supervisor_is_all_routed (priv->supervisor);
}

static gboolean
mailbox_source_ready (GSource *source)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (((ActorSource *) source)->actor);

  if (priv->in_dispatch)
    return FALSE;
  if (!priv->started)
    return TRUE;
  if (stop_is_requested (priv))
    return g_atomic_int_get (&priv->flush_owed) || may_end (priv) ||
           has_events (priv);

  return priv->step_mode != STEP_AFTER_EVENTS && has_events (priv);
}

static gboolean
mailbox_source_prepare (GSource *source,
                        gint    *timeout)
{
  *timeout = -1;
  return mailbox_source_ready (source);
}

static gboolean
mailbox_source_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  MaikoActor *self = ((ActorSource *) source)->actor;
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActor *previous;

  /* A nested iteration of our context (this actor waits for room at an
   * actor on it) still dispatches a source that was flagged ready before
   * prepare() could say no: it must not run the actor a second time. */
  if (priv->in_dispatch)
    return G_SOURCE_CONTINUE;

  previous = enter_actor (self);
  if (!priv->started)
    run_on_start (self);
  else if (!stop_is_requested (priv) && priv->step_mode != STEP_AFTER_EVENTS &&
           handle_batch (self) > 0 && priv->step_mode == STEP_AWAIT_EVENT)
    priv->step_mode = STEP_AFTER_EVENTS;
  flush_outbox (self);

  if (stop_is_requested (priv))
    {
      /* What it sent is out: the stop's barrier may be reached. */
      if (_maiko_actor_take_owed_flush (self))
        _maiko_supervisor_note_flushed (priv->supervisor);
      if (!may_end (priv))
        {
          handle_batch (self);
          flush_outbox (self);
          leave_actor (self, previous);
          return G_SOURCE_CONTINUE;
        }
      /* The supervisor may drop its reference as the actor ends (it was
       * removed or replaced): the end must not free it under our feet. */
      g_object_ref (self);
      finish (self);
      leave_actor (self, previous);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }

  leave_actor (self, previous);
  _maiko_supervisor_catch_up_monitors (priv->supervisor);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs mailbox_source_funcs = {
  .prepare = mailbox_source_prepare,
  .check = mailbox_source_ready,
  .dispatch = mailbox_source_dispatch,
};

/* The step source: calls step as the last step action asked. */

static gboolean
step_source_prepare (GSource *source,
                     gint    *timeout)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (((ActorSource *) source)->actor);
  gint64 now;

  *timeout = -1;
  if (priv->in_dispatch || stop_is_requested (priv))
    return FALSE;

  switch (priv->step_mode)
    {
    case STEP_READY:
    case STEP_AFTER_EVENTS:
      return TRUE;
    case STEP_TIMED:
      now = g_source_get_time (source);
      if (now >= priv->step_due)
        return TRUE;
      /* Round up: a backoff waits at least its duration. */
      *timeout = (gint) MIN ((priv->step_due - now + 999) / 1000, G_MAXINT);
      return FALSE;
    case STEP_OFF:
    case STEP_AWAIT_EVENT:
    default:
      return FALSE;
    }
}

static gboolean
step_source_check (GSource *source)
{
  gint timeout;

  return step_source_prepare (source, &timeout);
}

static void
apply_step_action (MaikoActor      *self,
                   MaikoStepAction  action)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  gint priority = G_PRIORITY_DEFAULT;

  switch (action)
    {
    case MAIKO_STEP_ACTION_CONTINUE:
      priv->step_mode = STEP_READY;
      break;
    case MAIKO_STEP_ACTION_YIELD:
      priv->step_mode = STEP_READY;
      priority = G_PRIORITY_DEFAULT_IDLE;
      break;
    case MAIKO_STEP_ACTION_AWAIT_EVENT:
      priv->step_mode = STEP_AWAIT_EVENT;
      break;
    case MAIKO_STEP_ACTION_BACKOFF:
      priv->step_mode = STEP_TIMED;
      priv->step_due = g_get_monotonic_time () + (gint64) priv->backoff_ms * 1000;
      break;
    case MAIKO_STEP_ACTION_NEVER:
      priv->step_mode = STEP_OFF;
      break;
    default:
      g_warning ("Actor “%s” returned an unknown step action %d; stepping stops",
                 priv->name, action);
      priv->step_mode = STEP_OFF;
      break;
    }

  if (g_source_get_priority (priv->step_source) != priority)
    g_source_set_priority (priv->step_source, priority);
}

static gboolean
step_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  MaikoActor *self = ((ActorSource *) source)->actor;
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoActor *previous;
  MaikoStepAction action;

  /* See mailbox_source_dispatch(). */
  if (priv->in_dispatch)
    return G_SOURCE_CONTINUE;

  previous = enter_actor (self);
  action = MAIKO_ACTOR_GET_CLASS (self)->step (self);
  /* As in maiko: a failure that on_error swallowed steps again. */
  if (!end_callback (self, TRUE, NULL))
    action = MAIKO_STEP_ACTION_CONTINUE;
  flush_outbox (self);
  apply_step_action (self, action);

  leave_actor (self, previous);
  _maiko_supervisor_catch_up_monitors (priv->supervisor);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs step_source_funcs = {
  .prepare = step_source_prepare,
  .check = step_source_check,
  .dispatch = step_source_dispatch,
};

static GSource *
actor_source_new (MaikoActor   *self,
                  GSourceFuncs *funcs,
                  const char   *what)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  GSource *source = g_source_new (funcs, sizeof (ActorSource));
  g_autofree char *name = g_strdup_printf ("Maiko %s (%s)", what, priv->name);

  ((ActorSource *) source)->actor = self;
  /* Not interned: an application that adds many actors would keep every
   * name for good. */
  g_source_set_name (source, name);

  return source;
}

/* Spinning before sleeping, on an actor's own thread.
 *
 * Waking a thread that sleeps in poll() costs an eventfd write for the
 * sender and a scheduler wake-up for the receiver: several µs, tens on an
 * idle virtual machine. When an actor's events come close together (a
 * ping-pong, a producer that keeps up), polling the mailbox for a few µs
 * is cheaper, and the sender skips the wake-up. The budget adapts: a spin
 * that found nothing halves it, down to no spinning, so an actor whose
 * events are far apart sleeps at once; a spin that caught its event, or a
 * sleep short enough that a spin would have, restores it. On a single
 * CPU it never spins (see _maiko_spin_max_us()). */

/* The actor whose own thread this is. */
static _Thread_local MaikoActor *thread_actor;

/* The GPollFunc of an actor's own context. */
static gint
spin_then_poll (GPollFD *fds,
                guint    n_fds,
                gint     timeout_ms)
{
  MaikoActorPrivate *priv;
  gint64 slept_since;
  gint ready;

  if (_maiko_poll_tells_nothing (n_fds, timeout_ms))
    return 0;
  if (timeout_ms == 0 || thread_actor == NULL)
    return g_poll (fds, n_fds, timeout_ms);

  priv = maiko_actor_get_instance_private (thread_actor);
  if (priv->spin_us > 0)
    {
      /* A spin that caught its event restores the whole budget: kept
       * halved after one miss (the partner descheduled for a moment), a
       * ping-pong spun too short from then on, missed again, and slept
       * on a wake-up per hop (S1 threaded, idle vCPUs, 25 runs: p99
       * above 13 µs in 7, up to 73 µs; restored: 12.7 µs at most). */
      if (_maiko_mailbox_spin (priv->mailbox, priv->spin_us))
        {
          priv->spin_us = _maiko_spin_max_us ();
          return 0;
        }
      priv->spin_us /= 2;
    }

  slept_since = g_get_monotonic_time ();
  ready = g_poll (fds, n_fds, timeout_ms);
  if (priv->spin_us == 0)
    priv->spin_us = _maiko_spin_budget_after_sleep (slept_since,
                                                    _maiko_mailbox_get_woken_at (priv->mailbox));

  return ready;
}

static gpointer
actor_thread_main (gpointer data)
{
  MaikoActor *self = data;
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  /* No spinning until a short sleep shows that it would pay. */
  thread_actor = self;
  g_main_context_set_poll_func (priv->run_context, spin_then_poll);
  g_main_context_push_thread_default (priv->run_context);
  /* An atomic flag, not g_main_loop_quit(): a quit that arrives before the
   * loop runs would be lost. */
  while (!g_atomic_int_get (&priv->ended))
    g_main_context_iteration (priv->run_context, TRUE);
  g_main_context_pop_thread_default (priv->run_context);
  g_object_unref (self);

  return NULL;
}

/* Chooses where the actor runs: the context the user set wins, then a
 * worker of the supervisor's pool, else a thread and context of its own. */
static gboolean
place (MaikoActor       *self,
       MaikoWorkerPool  *pool,
       GError          **error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (priv->main_context != NULL)
    {
      priv->run_context = g_main_context_ref (priv->main_context);
    }
  else if (pool != NULL)
    {
      priv->run_context = _maiko_worker_pool_place (pool, &priv->pool_index, error);
      if (priv->run_context == NULL)
        return FALSE;
      priv->pool = g_object_ref (pool);
      priv->pool_counted = TRUE;
    }
  else
    {
      priv->run_context = g_main_context_new ();
      priv->own_thread = TRUE;
    }

  return TRUE;
}

/* The index of the pool worker the runtime placed the actor on, or -1. */
gint
_maiko_actor_get_pool_worker (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->pool != NULL ? (gint) priv->pool_index : -1;
}

/* The context the actor runs on if it is not its own thread's (a context
 * of the application's or a pool worker's): a thread that waits for the
 * actor may have to iterate it. %NULL for a threaded actor. */
GMainContext *
_maiko_actor_get_bound_context (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->own_thread ? NULL : priv->run_context;
}

gboolean
_maiko_actor_attach (MaikoActor         *self,
                     MaikoSupervisor    *supervisor,
                     const char         *name,
                     const char * const *topics,
                     guint               default_capacity,
                     guint               default_per_tick,
                     GError            **error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (was_added (priv))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR,
                   "This actor object was already added as “%s”", priv->name);
      return FALSE;
    }
  if (!place (self, maiko_supervisor_get_worker_pool (supervisor), error))
    return FALSE;

  priv->supervisor = supervisor;
  priv->monitoring = _maiko_supervisor_get_monitoring_flag (supervisor);
  priv->name = g_intern_string (name);
  priv->all_topics = topics != NULL && topics[0] != NULL &&
                     g_str_equal (topics[0], MAIKO_TOPIC_ALL);
  priv->topics = priv->all_topics ? NULL : g_strdupv ((char **) topics);
  priv->per_tick = priv->max_events_per_tick ? priv->max_events_per_tick : default_per_tick;
  priv->broker_capacity = _maiko_supervisor_get_broker_capacity (supervisor);
  priv->batch = g_new0 (MaikoEnvelope *, priv->per_tick);
  /* Owns its envelopes, but hands them to the supervisor without a free
   * function: see flush_outbox(). Every exit from a callback flushes it. */
  priv->outbox = g_ptr_array_new ();
  priv->unhandled = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  priv->backoff_ms = DEFAULT_BACKOFF_MS;
  priv->mailbox = _maiko_mailbox_new (priv->mailbox_capacity ? priv->mailbox_capacity : default_capacity,
                                      priv->run_context);
  if (priv->pool != NULL)
    _maiko_mailbox_set_spin_hint (priv->mailbox,
                                  _maiko_worker_pool_get_spin_hint (priv->pool, priv->pool_index));
  priv->context = _maiko_context_new (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);

  return TRUE;
}

/* Starts the actor; *@thread is its new thread, or %NULL if it is bound to
 * a context. The supervisor keeps the thread (see
 * _maiko_actor_set_thread()): the actor may end before this returns. */
gboolean
_maiko_actor_launch (MaikoActor  *self,
                     GThread    **thread,
                     GError     **error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  priv->mailbox_source = actor_source_new (self, &mailbox_source_funcs, "mailbox");
  /* Most actors never step: they get no step source at all. */
  if (MAIKO_ACTOR_GET_CLASS (self)->step != maiko_actor_real_step)
    priv->step_source = actor_source_new (self, &step_source_funcs, "step");

  /* Both exist before either is attached: on a context that another
   * thread already runs, on_start may run at once, and it arms the step
   * source only if there is one. The mailbox source goes first, so that
   * events waiting at start are handled before the first step. */
  g_source_attach (priv->mailbox_source, priv->run_context);
  if (priv->step_source != NULL)
    g_source_attach (priv->step_source, priv->run_context);

  g_atomic_int_set (&priv->launched, TRUE);

  *thread = NULL;
  if (priv->own_thread)
    {
      /* The thread holds a reference until it returns: the supervisor may
       * drop its own as the actor ends (see mailbox_source_dispatch()). */
      *thread = g_thread_try_new (priv->name, actor_thread_main, g_object_ref (self), error);
      if (*thread == NULL)
        {
          g_object_unref (self);
          if (priv->step_source != NULL)
            g_source_destroy (priv->step_source);
          g_source_destroy (priv->mailbox_source);
          g_atomic_int_set (&priv->failed, TRUE);
          g_atomic_int_set (&priv->ended, TRUE);
          leave_pool (self);
          return FALSE;
        }
    }

  return TRUE;
}

/* Asks the actor to end; safe from any thread. @error (transfer full,
 * nullable) is what the actor ends with; the first one wins. */
void
_maiko_actor_request_stop (MaikoActor    *self,
                           MaikoStopMode  mode,
                           GError        *error)
{
  _maiko_actor_mark_stop (self, mode, error);
  _maiko_actor_wake (self);
}

/* As _maiko_actor_request_stop(), without waking the actor's context: for
 * a caller that stops many actors and wakes each context once. */
void
_maiko_actor_mark_stop (MaikoActor    *self,
                        MaikoStopMode  mode,
                        GError        *error)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  gint flag = STOP_FLAG (mode);
  gint old;

  if (error != NULL && !g_atomic_pointer_compare_and_exchange (&priv->stop_error, NULL, error))
    g_error_free (error);

  /* Ending now outranks draining. */
  do
    old = g_atomic_int_get (&priv->stop_requested);
  while (old < flag && !g_atomic_int_compare_and_exchange (&priv->stop_requested, old, flag));
}

/* Called under the supervisor's lock as its stop begins: a running actor
 * owes the stop a flush of its outbox. Returns whether it does. */
gboolean
_maiko_actor_owe_flush (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (_maiko_actor_has_ended (self))
    return FALSE;
  g_atomic_int_set (&priv->flush_owed, TRUE);
  return TRUE;
}

/* Returns whether the actor owed the stop a flush, and owes none now. */
gboolean
_maiko_actor_take_owed_flush (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return g_atomic_int_exchange (&priv->flush_owed, FALSE);
}

/* Wakes the actor's context, for it to look at its state again. */
void
_maiko_actor_wake (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (g_atomic_int_get (&priv->launched))
    g_main_context_wakeup (priv->run_context);
}

/* The thread is set and stolen under the supervisor's lock only. */
void
_maiko_actor_set_thread (MaikoActor *self,
                         GThread    *thread)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  priv->thread = thread;
}

GThread *
_maiko_actor_steal_thread (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return g_steal_pointer (&priv->thread);
}

MaikoMailbox *
_maiko_actor_get_mailbox (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->mailbox;
}

const char * const *
_maiko_actor_get_topics (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return (const char * const *) priv->topics;
}

gboolean
_maiko_actor_subscribes_all (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->all_topics;
}

/* Borrowed, and only for the actor's own context (where the supervisor
 * outlives the callbacks) and the supervisor itself: other threads use
 * _maiko_actor_dup_supervisor(). */
MaikoSupervisor *
_maiko_actor_get_supervisor (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->supervisor;
}

/* Guards the supervisor pointers of all actors against a supervisor that
 * is being disposed on another thread. Taken only off the actors' own
 * contexts, so it is never on the hot path. */
G_LOCK_DEFINE_STATIC (supervisor_links);

/* A reference to the actor's supervisor, or %NULL if it was never added
 * or its supervisor is gone. Safe from any thread: a supervisor whose
 * last reference is being dropped is still alive (GObject holds it through
 * dispose), and taking one then keeps it. */
MaikoSupervisor *
_maiko_actor_dup_supervisor (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);
  MaikoSupervisor *supervisor;

  G_LOCK (supervisor_links);
  supervisor = priv->supervisor != NULL ? g_object_ref (priv->supervisor) : NULL;
  G_UNLOCK (supervisor_links);

  return supervisor;
}

/* Called by the supervisor as it is disposed, once the actor has ended or
 * never started: from now on the actor has no supervisor. */
void
_maiko_actor_detach (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  G_LOCK (supervisor_links);
  priv->supervisor = NULL;
  G_UNLOCK (supervisor_links);
}

gboolean
_maiko_actor_has_ended (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return g_atomic_int_get (&priv->ended);
}

/* Takes @envelope (transfer full). Inside the actor's own callbacks it goes
 * to the outbox, flushed when the callback returns or when the outbox holds
 * broker-capacity events; elsewhere it is routed at once. */
gboolean
_maiko_actor_enqueue (MaikoActor    *self,
                      MaikoEnvelope *envelope)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (current_actor != self)
    {
      _maiko_supervisor_deliver (priv->supervisor, self, &envelope, 1, NULL, NULL);
      return TRUE;
    }

  if (priv->outbox->len >= priv->broker_capacity)
    flush_outbox (self);
  g_ptr_array_add (priv->outbox, envelope);

  return TRUE;
}

gboolean
_maiko_actor_is_sender_full (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return current_actor == self && priv->outbox->len >= priv->broker_capacity;
}

void
_maiko_actor_set_backoff (MaikoActor *self,
                          guint       milliseconds)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  priv->backoff_ms = milliseconds;
}

static void
maiko_actor_finalize (GObject *object)
{
  MaikoActor *self = MAIKO_ACTOR (object);
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (priv->context != NULL)
    _maiko_context_detach (priv->context);
  g_clear_object (&priv->context);
  leave_pool (self);
  g_clear_pointer (&priv->step_source, g_source_unref);
  g_clear_pointer (&priv->mailbox_source, g_source_unref);
  g_clear_pointer (&priv->mailbox, _maiko_mailbox_free);
  /* After the mailbox, which used its worker's spin hint. */
  g_clear_object (&priv->pool);
  g_clear_pointer (&priv->outbox, g_ptr_array_unref);
  g_clear_pointer (&priv->staged, free_staged);
  g_clear_error (&priv->reported_error);
  g_clear_pointer (&priv->run_context, g_main_context_unref);
  g_clear_pointer (&priv->main_context, g_main_context_unref);
  g_clear_pointer (&priv->topics, g_strfreev);
  g_clear_pointer (&priv->publishes, g_strfreev);
  g_clear_pointer (&priv->batch, g_free);
  g_clear_pointer (&priv->unhandled, g_ptr_array_unref);
  g_clear_object (&priv->successor);
  g_clear_error (&priv->stop_error);

  G_OBJECT_CLASS (maiko_actor_parent_class)->finalize (object);
}

static void
maiko_actor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MaikoActor *self = MAIKO_ACTOR (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, maiko_actor_get_name (self));
      break;
    case PROP_MAILBOX_CAPACITY:
      g_value_set_uint (value, maiko_actor_get_mailbox_capacity (self));
      break;
    case PROP_MAX_EVENTS_PER_TICK:
      g_value_set_uint (value, maiko_actor_get_max_events_per_tick (self));
      break;
    case PROP_MAIN_CONTEXT:
      g_value_set_boxed (value, maiko_actor_get_main_context (self));
      break;
    case PROP_PUBLISHES:
      g_value_set_boxed (value, maiko_actor_get_publishes (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_actor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MaikoActor *self = MAIKO_ACTOR (object);

  switch (prop_id)
    {
    case PROP_MAILBOX_CAPACITY:
      maiko_actor_set_mailbox_capacity (self, g_value_get_uint (value));
      break;
    case PROP_MAX_EVENTS_PER_TICK:
      maiko_actor_set_max_events_per_tick (self, g_value_get_uint (value));
      break;
    case PROP_MAIN_CONTEXT:
      maiko_actor_set_main_context (self, g_value_get_boxed (value));
      break;
    case PROP_PUBLISHES:
      maiko_actor_set_publishes (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_actor_class_init (MaikoActorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = maiko_actor_finalize;
  object_class->get_property = maiko_actor_get_property;
  object_class->set_property = maiko_actor_set_property;

  klass->on_start = maiko_actor_real_on_start;
  klass->handle_event = maiko_actor_real_handle_event;
  klass->step = maiko_actor_real_step;
  klass->on_shutdown = maiko_actor_real_on_shutdown;
  klass->on_error = maiko_actor_real_on_error;

  /**
   * MaikoActor:name:
   *
   * The actor's unique name, given to [method@Maiko.Supervisor.add_actor];
   * %NULL until then.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoActor:mailbox-capacity:
   *
   * How many events the actor's mailbox holds; 0 (the default) takes the
   * supervisor's [property@Maiko.Supervisor:mailbox-capacity].
   */
  properties[PROP_MAILBOX_CAPACITY] =
    g_param_spec_uint ("mailbox-capacity", NULL, NULL,
                       0, G_MAXINT32, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoActor:max-events-per-tick:
   *
   * How many events one dispatch handles before the context's other sources
   * (step, timers, I/O) get a turn; 0 (the default) takes the supervisor's
   * [property@Maiko.Supervisor:max-events-per-tick].
   */
  properties[PROP_MAX_EVENTS_PER_TICK] =
    g_param_spec_uint ("max-events-per-tick", NULL, NULL,
                       0, G_MAXINT32, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoActor:main-context:
   *
   * The context the actor runs on. %NULL (the default) gives the actor a
   * thread and a context of its own. Set it to run the actor on a context
   * that some thread already iterates: the application's main loop (which
   * JavaScript actors must use), or one context shared by many light actors.
   */
  properties[PROP_MAIN_CONTEXT] =
    g_param_spec_boxed ("main-context", NULL, NULL,
                        G_TYPE_MAIN_CONTEXT,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoActor:publishes:
   *
   * Topics this actor declares it publishes on. Routing never uses it; it
   * only describes the topology for [method@Maiko.Supervisor.to_json] and
   * [method@Maiko.Supervisor.to_mermaid]. %NULL (the default) declares none.
   */
  properties[PROP_PUBLISHES] =
    g_param_spec_boxed ("publishes", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_actor_init (MaikoActor *self)
{
}

/**
 * maiko_actor_get_name:
 * @self: an actor
 *
 * Gets the actor's unique name, as given to
 * [method@Maiko.Supervisor.add_actor].
 *
 * Returns: (nullable): the actor's name, or %NULL if it was not added to a
 *   supervisor yet
 */
const char *
maiko_actor_get_name (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), NULL);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return priv->name;
}

/**
 * maiko_actor_get_context:
 * @self: an actor
 *
 * Gets the context through which the actor sends events and stops.
 *
 * Returns: (transfer none) (nullable): the actor's context, or %NULL if it
 *   was not added to a supervisor yet
 */
MaikoContext *
maiko_actor_get_context (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), NULL);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return priv->context;
}

/**
 * maiko_actor_get_mailbox_capacity:
 * @self: an actor
 *
 * Gets the capacity the actor asks for its mailbox; 0 stands for the
 * supervisor's [property@Maiko.Supervisor:mailbox-capacity].
 *
 * Returns: the value of [property@Maiko.Actor:mailbox-capacity]
 */
guint
maiko_actor_get_mailbox_capacity (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), 0);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return priv->mailbox_capacity;
}

/**
 * maiko_actor_set_mailbox_capacity:
 * @self: an actor not added to a supervisor yet
 * @capacity: the mailbox capacity, or 0 for the supervisor's
 *
 * Sets [property@Maiko.Actor:mailbox-capacity].
 */
void
maiko_actor_set_mailbox_capacity (MaikoActor *self,
                                  guint       capacity)
{
  MaikoActorPrivate *priv;

  g_return_if_fail (MAIKO_IS_ACTOR (self));
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);
  g_return_if_fail (!was_added (priv));
  g_return_if_fail (capacity <= G_MAXINT32);

  if (priv->mailbox_capacity == capacity)
    return;
  priv->mailbox_capacity = capacity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAILBOX_CAPACITY]);
}

/**
 * maiko_actor_get_max_events_per_tick:
 * @self: an actor
 *
 * Gets how many events the actor handles per dispatch; 0 stands for the
 * supervisor's [property@Maiko.Supervisor:max-events-per-tick].
 *
 * Returns: the value of [property@Maiko.Actor:max-events-per-tick]
 */
guint
maiko_actor_get_max_events_per_tick (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), 0);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return priv->max_events_per_tick;
}

/**
 * maiko_actor_set_max_events_per_tick:
 * @self: an actor not added to a supervisor yet
 * @max_events: events per dispatch, or 0 for the supervisor's
 *
 * Sets [property@Maiko.Actor:max-events-per-tick].
 */
void
maiko_actor_set_max_events_per_tick (MaikoActor *self,
                                     guint       max_events)
{
  MaikoActorPrivate *priv;

  g_return_if_fail (MAIKO_IS_ACTOR (self));
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);
  g_return_if_fail (!was_added (priv));
  g_return_if_fail (max_events <= G_MAXINT32);

  if (priv->max_events_per_tick == max_events)
    return;
  priv->max_events_per_tick = max_events;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_EVENTS_PER_TICK]);
}

/**
 * maiko_actor_get_main_context:
 * @self: an actor
 *
 * Gets the context the actor is bound to, if any.
 *
 * Returns: (transfer none) (nullable): the value of
 *   [property@Maiko.Actor:main-context]
 */
GMainContext *
maiko_actor_get_main_context (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), NULL);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return priv->main_context;
}

/**
 * maiko_actor_set_main_context:
 * @self: an actor not added to a supervisor yet
 * @context: (nullable): the context to run on, or %NULL for a thread of
 *   the actor's own
 *
 * Sets [property@Maiko.Actor:main-context].
 */
void
maiko_actor_set_main_context (MaikoActor   *self,
                              GMainContext *context)
{
  MaikoActorPrivate *priv;

  g_return_if_fail (MAIKO_IS_ACTOR (self));
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);
  g_return_if_fail (!was_added (priv));

  if (priv->main_context == context)
    return;
  g_clear_pointer (&priv->main_context, g_main_context_unref);
  priv->main_context = context != NULL ? g_main_context_ref (context) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_CONTEXT]);
}

/**
 * maiko_actor_get_publishes:
 * @self: an actor
 *
 * Gets the topics the actor declares it publishes on.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the value
 *   of [property@Maiko.Actor:publishes]
 */
const char * const *
maiko_actor_get_publishes (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), NULL);

  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);
  return (const char * const *) priv->publishes;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal (a, b);
}

/**
 * maiko_actor_set_publishes:
 * @self: an actor not added to a supervisor yet
 * @topics: (array zero-terminated=1) (nullable): the topics the actor
 *   publishes on, or %NULL for none
 *
 * Sets [property@Maiko.Actor:publishes]. Each topic must be a non-empty
 * UTF-8 string other than %MAIKO_TOPIC_ALL: an event goes to one topic,
 * never to all of them. An empty array is stored as %NULL.
 */
void
maiko_actor_set_publishes (MaikoActor         *self,
                           const char * const *topics)
{
  MaikoActorPrivate *priv;

  g_return_if_fail (MAIKO_IS_ACTOR (self));
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);
  g_return_if_fail (!was_added (priv));
  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      g_return_if_fail (topics[i][0] != '\0');
      g_return_if_fail (g_utf8_validate (topics[i], -1, NULL));
      g_return_if_fail (!g_str_equal (topics[i], MAIKO_TOPIC_ALL));
    }

  if (topics != NULL && topics[0] == NULL)
    topics = NULL;
  if (strv_equal0 ((const char * const *) priv->publishes, topics))
    return;
  g_strfreev (priv->publishes);
  priv->publishes = g_strdupv ((char **) topics);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHES]);
}

/**
 * maiko_actor_is_running:
 * @self: an actor
 *
 * Tells whether the actor has started and not ended yet.
 *
 * Returns: %TRUE if the actor was started and has not ended yet
 */
gboolean
maiko_actor_is_running (MaikoActor *self)
{
  MaikoActorPrivate *priv;

  g_return_val_if_fail (MAIKO_IS_ACTOR (self), FALSE);
  /* Only now: the private data of NULL is undefined behaviour. */
  priv = maiko_actor_get_instance_private (self);

  return g_atomic_int_get (&priv->launched) && !g_atomic_int_get (&priv->ended);
}

/* How many times the actor of this name was restarted before this instance
 * was made (see _maiko_actor_set_restart_count()). */
guint
_maiko_actor_get_restart_count (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return priv->restart_count;
}

/* Called by the supervisor on the instance that a restart made, before it
 * is launched. */
void
_maiko_actor_set_restart_count (MaikoActor *self,
                                guint       count)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  priv->restart_count = count;
}

/* The events handled under this actor's name so far, from any thread. */
guint64
_maiko_actor_get_handled_count (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  return __atomic_load_n (&priv->handled_count, __ATOMIC_RELAXED);
}

/* Where the actor is in its life, from any thread, for the live view:
 * read from its flags, the later ones first. A fresh instance that a
 * restart made counts as restarting until its on_start has returned. */
MaikoActorState
_maiko_actor_get_state (MaikoActor *self)
{
  MaikoActorPrivate *priv = maiko_actor_get_instance_private (self);

  if (g_atomic_int_get (&priv->ended))
    {
      if (g_atomic_int_get (&priv->restarting))
        return MAIKO_ACTOR_STATE_RESTARTING;
      return g_atomic_int_get (&priv->failed) ? MAIKO_ACTOR_STATE_FAILED
                                              : MAIKO_ACTOR_STATE_STOPPED;
    }
  if (g_atomic_int_get (&priv->stop_requested) != 0)
    return MAIKO_ACTOR_STATE_STOPPING;
  if (!g_atomic_int_get (&priv->ready))
    {
      if (priv->restart_count > 0)
        return MAIKO_ACTOR_STATE_RESTARTING;
      return g_atomic_int_get (&priv->launched) ? MAIKO_ACTOR_STATE_STARTING
                                                : MAIKO_ACTOR_STATE_ADDED;
    }

  return MAIKO_ACTOR_STATE_RUNNING;
}

/* Whether a stop of the actor was asked for: an actor that waits inside a
 * handler of its own (a bridge under BLOCK) gives up when it was. */
gboolean
_maiko_actor_is_stop_requested (MaikoActor *self)
{
  return stop_is_requested (maiko_actor_get_instance_private (self));
}
