/* maiko-supervisor.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-bindings-private.h"
#include "maiko-enum-types.h"
#include "maiko-error.h"
#include "maiko-monitor-private.h"
#include "maiko-routes-private.h"
#include "maiko-supervisor-impl-private.h"
#include "maiko-topology-private.h"
#include "maiko-worker-pool-private.h"

/**
 * MaikoSupervisor:
 *
 * The runtime: it owns the actors, routes every event by topic to the
 * actors subscribed to it, and runs their lifecycles.
 *
 * Routing happens on the sending thread (there is no broker thread to wake),
 * into the receivers' bounded mailboxes; a full mailbox is handled by the
 * topic's [enum@Maiko.OverflowPolicy]. One sender's events reach one
 * receiver in the order sent, and a sender waiting under
 * %MAIKO_OVERFLOW_POLICY_BLOCK holds up only itself.
 *
 * A supervisor goes through four states: created (add actors, set routing),
 * running ([method@Maiko.Supervisor.start]), stopping and stopped
 * ([method@Maiko.Supervisor.stop]). It cannot be started again.
 *
 * [method@Maiko.Supervisor.stop] is graceful and deterministic: from the
 * moment it is called no new event is accepted (sends fail with
 * %MAIKO_ERROR_STOPPED); every actor handles what its mailbox holds, runs
 * [vfunc@Maiko.Actor.on_shutdown] and ends; when `stop` returns every actor
 * thread has been joined. An event that was accepted but could not be
 * delivered (its receiver had stopped, or its sender was waiting for room
 * when the stop began) is counted by
 * [method@Maiko.Supervisor.get_undelivered_count].
 */


G_DEFINE_FINAL_TYPE (MaikoSupervisor, maiko_supervisor, G_TYPE_OBJECT)

/* The defaults of the capacity properties. The fields start at them too:
 * for a value out of range, g_object_new() warns and leaves the property
 * unset, and a capacity of 0 would abort at the first add_actor(). */
#define DEFAULT_MAILBOX_CAPACITY      128
#define DEFAULT_BROKER_CAPACITY       256
#define DEFAULT_MAX_EVENTS_PER_TICK   10
#define DEFAULT_MONITORING_CAPACITY   1024
/* OTP's defaults are 1 restart in 5 s; an actor runtime restarts more
 * readily, and a burst of three is still a bound. */
#define DEFAULT_MAX_RESTARTS          3
#define DEFAULT_RESTART_PERIOD_S      5

enum {
  PROP_0,
  PROP_MAILBOX_CAPACITY,
  PROP_BROKER_CAPACITY,
  PROP_MAX_EVENTS_PER_TICK,
  PROP_MONITORING_CAPACITY,
  PROP_RESTART_STRATEGY,
  PROP_MAX_RESTARTS,
  PROP_RESTART_PERIOD,
  PROP_WORKER_POOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* Set on threads that run the _async forms: they must never iterate a
 * context that belongs to the application. */
static _Thread_local gboolean in_async_worker;

static gboolean stop_internal (MaikoSupervisor  *self,
                               GCancellable     *cancellable,
                               GError          **error);


static void
set_state_locked (MaikoSupervisor *self,
                  State            state)
{
  g_atomic_int_set (&self->state, state);
  g_cond_broadcast (&self->cond);
}

/* @what is the call, @instead what to do: an actor cannot wait for what
 * needs its own context to run. */
gboolean
_maiko_supervisor_called_from_own_actor (MaikoSupervisor  *self,
                       const char       *what,
                       const char       *instead,
                       GError          **error)
{
  MaikoActor *current = _maiko_actor_get_current ();

  if (current == NULL || _maiko_actor_get_supervisor (current) != self)
    return FALSE;

  g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
               "%s would wait for actor “%s”, from which it was called; %s",
               what, maiko_actor_get_name (current), instead);
  return TRUE;
}

#define STOP_FROM_AN_ACTOR "use maiko_context_stop_runtime() instead"

gboolean
_maiko_supervisor_check_accepting (MaikoSupervisor  *self,
                                   GError          **error)
{
  switch (get_state (self))
    {
    case STATE_RUNNING:
      return TRUE;
    case STATE_CREATED:
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor is not started");
      return FALSE;
    case STATE_STOPPING:
    case STATE_STOPPED:
    default:
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED,
                           "The runtime is stopping or stopped");
      return FALSE;
    }
}

/* Monitoring */


static void
update_monitoring_locked (MaikoSupervisor *self)
{
  gboolean active = FALSE;

  for (guint i = 0; i < self->monitors->len && !self->monitoring_paused && !active; i++)
    active = _maiko_monitor_is_active (g_ptr_array_index (self->monitors, i));
  g_atomic_int_set (&self->monitoring_active, active);
}

void
_maiko_supervisor_update_monitoring (MaikoSupervisor *self)
{
  g_mutex_lock (&self->mutex);
  update_monitoring_locked (self);
  g_mutex_unlock (&self->mutex);
}

const gint *
_maiko_supervisor_get_monitoring_flag (MaikoSupervisor *self)
{
  return &self->monitoring_active;
}

/* Records an actor's registration or end; the caller holds the lock, which
 * orders these records with the replay in add_monitor(). */
void
_maiko_supervisor_record_locked (MaikoSupervisor *self,
               MaikoRecordHook  kind,
               const char      *actor)
{
  if (monitoring_is_active (self))
    _maiko_monitors_push (self->monitors, kind, NULL, actor, MAIKO_OVERFLOW_POLICY_FAIL, NULL);
}


/* Acquires @context if this thread should iterate it while waiting: it
 * already owns it (we are inside one of its callbacks), or it is this
 * thread's default context and nobody else runs it. Otherwise whoever runs
 * it makes the progress we wait for. */
gboolean
_maiko_context_acquire_for_waiting (GMainContext *context)
{
  GMainContext *thread_default;

  if (context == NULL || in_async_worker)
    return FALSE;
  if (g_main_context_is_owner (context))
    return g_main_context_acquire (context);

  thread_default = g_main_context_get_thread_default ();
  if (thread_default == NULL)
    thread_default = g_main_context_default ();

  return context == thread_default && g_main_context_acquire (context);
}
/* Lifecycle */

guint
_maiko_supervisor_get_broker_capacity (MaikoSupervisor *self)
{
  return self->broker_capacity;
}

/* A copy of the actor or monitor list: add_actor() and add_monitor() may
 * grow (and so reallocate) a list while the runtime runs, so it is only
 * walked under the lock. */
static GPtrArray *
dup_objects (MaikoSupervisor *self,
             GPtrArray       *objects)
{
  GPtrArray *copy;

  g_mutex_lock (&self->mutex);
  copy = g_ptr_array_new_full (objects->len, g_object_unref);
  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (objects, i)));
  g_mutex_unlock (&self->mutex);

  return copy;
}

/* The actors, in the order they were added, each with a reference. */
GPtrArray *
_maiko_supervisor_dup_actors (MaikoSupervisor *self)
{
  return dup_objects (self, self->actors);
}

/* The contexts a thread waiting in stop or join may have to iterate: those
 * actors are bound to, and those monitors emit in. */
static void
add_bound_contexts (GPtrArray *actors,
                    GPtrArray *contexts)
{
  for (guint i = 0; i < actors->len; i++)
    {
      GMainContext *bound = _maiko_actor_get_bound_context (g_ptr_array_index (actors, i));

      if (bound != NULL)
        g_ptr_array_add (contexts, g_main_context_ref (bound));
    }
}

static GPtrArray *
dup_driven_contexts (MaikoSupervisor *self)
{
  GPtrArray *contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_main_context_unref);

  g_mutex_lock (&self->mutex);
  add_bound_contexts (self->actors, contexts);
  add_bound_contexts (self->leaving, contexts);
  for (guint i = 0; i < self->monitors->len; i++)
    g_ptr_array_add (contexts, g_main_context_ref (
      maiko_monitor_get_main_context (g_ptr_array_index (self->monitors, i))));
  g_mutex_unlock (&self->mutex);

  return contexts;
}

/* Wakes the threads waiting in stop or join that iterate a context; those
 * waiting on the condition variable are broadcast to under the lock. */
void
_maiko_supervisor_wake_driven_contexts (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) contexts = NULL;

  /* Each with a reference: once the lock is released, the waiting thread
   * may return and drop its context before it is woken. */
  g_mutex_lock (&self->mutex);
  if (self->driven->len > 0)
    {
      contexts = g_ptr_array_copy (self->driven, (GCopyFunc) (void (*) (void)) g_main_context_ref, NULL);
      g_ptr_array_set_free_func (contexts, (GDestroyNotify) g_main_context_unref);
    }
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; contexts != NULL && i < contexts->len; i++)
    g_main_context_wakeup (g_ptr_array_index (contexts, i));
}

/* The barrier is reached: let the actors waiting at it end. */
static void
note_all_routed (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) actors = NULL;

  if (g_atomic_int_exchange (&self->all_routed, TRUE))
    return;
  actors = _maiko_supervisor_dup_actors (self);
  for (guint i = 0; i < actors->len; i++)
    _maiko_actor_wake (g_ptr_array_index (actors, i));
}

static void
check_all_routed (MaikoSupervisor *self)
{
  if (g_atomic_int_get (&self->stopping) && g_atomic_int_get (&self->unflushed) == 0 &&
      g_atomic_int_get (&self->external_sends) == 0)
    note_all_routed (self);
}

/* Whether every event accepted before the stop began reached its mailboxes:
 * until then, a stopping actor handles what comes instead of ending. */
gboolean
_maiko_supervisor_is_all_routed (MaikoSupervisor *self)
{
  return g_atomic_int_get (&self->all_routed);
}

/* @actor flushed its outbox since the stop began (see
 * _maiko_actor_take_owed_flush()). */
void
_maiko_supervisor_note_flushed (MaikoSupervisor *self)
{
  if (g_atomic_int_dec_and_test (&self->unflushed))
    check_all_routed (self);
}

/* A send from outside the actors' callbacks, between these two calls, may
 * deliver an event accepted before a stop: the barrier waits for it. */
void
_maiko_supervisor_begin_external_send (MaikoSupervisor *self)
{
  g_atomic_int_inc (&self->external_sends);
}

void
_maiko_supervisor_end_external_send (MaikoSupervisor *self)
{
  if (g_atomic_int_dec_and_test (&self->external_sends))
    check_all_routed (self);
}

/* The last use of @self by _maiko_supervisor_actor_finished(). */
static void
end_finishing (MaikoSupervisor *self)
{
  g_mutex_lock (&self->mutex);
  /* Only dispose waits for this count, and only for 0. */
  if (--self->n_finishing == 0)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
_maiko_supervisor_actor_finished (MaikoSupervisor *self,
                                  MaikoActor      *actor,
                                  GError          *error)
{
  GThread *thread;
  gboolean wake;

  /* The actor still counts as running here, so the supervisor is alive;
   * once it no longer does, a stop may return and its caller free the
   * supervisor while this function still uses it: dispose waits for
   * this count. (A threaded actor's stop also joins its thread; an actor
   * on a context that another thread runs, a pool worker's, needs this.) */
  g_mutex_lock (&self->mutex);
  self->n_finishing++;
  g_mutex_unlock (&self->mutex);

  if (_maiko_supervisor_restart (self, actor))
    {
      g_clear_error (&error);
      end_finishing (self);
      return;
    }

  g_mutex_lock (&self->mutex);
  g_assert (self->n_running > 0);
  self->n_running--;
  /* It will flush no more. */
  if (_maiko_actor_take_owed_flush (actor))
    g_atomic_int_dec_and_test (&self->unflushed);
  /* Called on the actor's own thread, which is about to return. */
  thread = _maiko_actor_steal_thread (actor);
  if (thread != NULL)
    g_ptr_array_add (self->ended_threads, thread);
  /* A removed actor leaves no trace: its name may be someone else's now.
   * Its remove_actor() waits for it to leave. */
  wake = g_ptr_array_remove (self->leaving, actor);
  if (!wake)
    g_hash_table_add (self->ended_actors, (char *) maiko_actor_get_name (actor));
  _maiko_supervisor_record_locked (self, MAIKO_RECORD_HOOK_ACTOR_STOPPED, maiko_actor_get_name (actor));
  if (error != NULL && self->first_error == NULL)
    {
      self->first_error = g_steal_pointer (&error);
      wake = TRUE;
    }
  /* What stop and join wait for (all_ended(), join_can_return()) changes
   * only with the last actor or the first error: waking them for every
   * actor that ends costs a system call, and a wake-up of the stopping
   * thread, per actor (S5: a thousand in one stop). */
  wake |= self->n_running == 0;
  if (wake)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (error != NULL)
    {
      g_debug ("Actor “%s” ended with an error after another one: %s",
               maiko_actor_get_name (actor), error->message);
      g_error_free (error);
    }

  /* A thread waiting in stop or join may be iterating one of them. A
   * lossless monitor is not waited for here: its actor-stopped records are
   * one per actor, and a thread that stops the runtime waits for this
   * thread to end, not for the monitor (whose records wake its context
   * by themselves). */
  if (wake)
    _maiko_supervisor_wake_driven_contexts (self);
  check_all_routed (self);
  end_finishing (self);
}

/* Called on @actor's context when its on_start has returned: @error
 * (nullable) is the one that ends the actor there. */
void
_maiko_supervisor_actor_ready (MaikoSupervisor *self,
                               MaikoActor      *actor,
                               const GError    *error)
{
  g_mutex_lock (&self->mutex);
  /* Not an instance that was removed or replaced meanwhile. */
  if (g_hash_table_lookup (self->actors_by_name, maiko_actor_get_name (actor)) == actor)
    g_hash_table_replace (self->ready_actors, (char *) maiko_actor_get_name (actor),
                          error != NULL ? g_error_copy (error) : NULL);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  _maiko_supervisor_wake_driven_contexts (self);
}

void
_maiko_supervisor_request_stop (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) actors = NULL;
  g_autoptr(GPtrArray) shared = NULL;

  g_mutex_lock (&self->mutex);
  if (get_state (self) == STATE_RUNNING)
    {
      set_state_locked (self, STATE_STOPPING);
      /* Counted under the lock, against _maiko_supervisor_actor_finished(). */
      for (guint i = 0; i < self->actors->len; i++)
        if (_maiko_actor_owe_flush (g_ptr_array_index (self->actors, i)))
          g_atomic_int_inc (&self->unflushed);
      for (guint i = 0; i < self->leaving->len; i++)
        if (_maiko_actor_owe_flush (g_ptr_array_index (self->leaving, i)))
          g_atomic_int_inc (&self->unflushed);
    }
  self->stop_requested = TRUE;
  g_atomic_int_set (&self->stopping, TRUE);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  check_all_routed (self);

  actors = _maiko_supervisor_dup_actors (self);
  /* Each shared context (a pool worker's, one of the application's) is
   * woken once, not once per actor on it: an eventfd write each, 1,000 of
   * them for S5's actors on two workers. */
  shared = g_ptr_array_new ();
  for (guint i = 0; i < actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (actors, i);
      GMainContext *bound = _maiko_actor_get_bound_context (actor);

      _maiko_actor_mark_stop (actor, MAIKO_STOP_DRAIN, NULL);
      if (bound == NULL)
        _maiko_actor_wake (actor);
      else if (!g_ptr_array_find (shared, bound, NULL))
        g_ptr_array_add (shared, bound);
      /* Senders blocked on a full mailbox give up: see deliver_to(). */
      _maiko_mailbox_wake_waiters (_maiko_actor_get_mailbox (actor));
    }
  /* The actors hold their contexts: the references of @actors keep them. */
  for (guint i = 0; i < shared->len; i++)
    g_main_context_wakeup (g_ptr_array_index (shared, i));
  _maiko_supervisor_wake_driven_contexts (self);
}

static gboolean
all_ended (MaikoSupervisor *self,
           gconstpointer    data)
{
  return self->n_running == 0;
}

static gboolean
join_can_return (MaikoSupervisor *self,
                 gconstpointer    data)
{
  return self->n_running == 0 || self->stop_requested || self->first_error != NULL;
}

/* Whether the actor named @data, or every actor if @data is NULL, has
 * returned from on_start. An actor that is gone counts as ready: the wait
 * then reports it. */
static gboolean
actors_ready (MaikoSupervisor *self,
              gconstpointer    data)
{
  const char *name = data;

  if (name != NULL)
    return !g_hash_table_contains (self->actors_by_name, name) ||
           g_hash_table_contains (self->ready_actors, name);

  for (guint i = 0; i < self->actors->len; i++)
    if (!g_hash_table_contains (self->ready_actors,
                                maiko_actor_get_name (g_ptr_array_index (self->actors, i))))
      return FALSE;

  return TRUE;
}

static gboolean
check_locked (MaikoSupervisor *self,
              MaikoSupervisorPredicate        done,
              gconstpointer    data)
{
  gboolean result;

  g_mutex_lock (&self->mutex);
  result = done (self, data);
  g_mutex_unlock (&self->mutex);

  return result;
}

static void
broadcast_on_cancel (GCancellable    *cancellable,
                     MaikoSupervisor *self)
{
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Returns a context, acquired and with a reference, that this thread must
 * iterate while it waits, or %NULL. */
static GMainContext *
acquire_driven_context (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) contexts = dup_driven_contexts (self);

  for (guint i = 0; i < contexts->len; i++)
    {
      GMainContext *context = g_ptr_array_index (contexts, i);

      if (_maiko_context_acquire_for_waiting (context))
        return g_main_context_ref (context);
    }

  return NULL;
}

/* Waits until @done holds. If actors or monitors run on a context that
 * this thread must iterate (see _maiko_context_acquire_for_waiting()),
 * iterates it meanwhile: waiting on a condition variable there would
 * deadlock, or leave the monitors silent. */
gboolean
_maiko_supervisor_wait_until (MaikoSupervisor  *self,
            MaikoSupervisorPredicate         done,
            gconstpointer     data,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GMainContext) driven = acquire_driven_context (self);
  gulong handler;

  if (driven != NULL)
    {
      handler = connect_cancellable (cancellable, G_CALLBACK (wake_on_cancel), driven);
      g_mutex_lock (&self->mutex);
      g_ptr_array_add (self->driven, driven);
      g_mutex_unlock (&self->mutex);
      while (!check_locked (self, done, data) && !g_cancellable_is_cancelled (cancellable))
        g_main_context_iteration (driven, TRUE);
      g_mutex_lock (&self->mutex);
      g_ptr_array_remove_fast (self->driven, driven);
      g_mutex_unlock (&self->mutex);
      g_cancellable_disconnect (cancellable, handler);
      g_main_context_release (driven);
    }
  else
    {
      handler = connect_cancellable (cancellable, G_CALLBACK (broadcast_on_cancel), self);
      g_mutex_lock (&self->mutex);
      while (!done (self, data) && !g_cancellable_is_cancelled (cancellable))
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);
      g_cancellable_disconnect (cancellable, handler);
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Joins @threads (nullable), taking the array. */
static void
join_all (GPtrArray *threads)
{
  for (guint i = 0; threads != NULL && i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_clear_pointer (&threads, g_ptr_array_unref);
}

/* A launch counted in n_launching is over: keeps @actor's @thread
 * (nullable), with the actor if it runs, or with the ended ones if it
 * ended meanwhile (_maiko_supervisor_actor_finished() found no thread). */
void
_maiko_supervisor_end_launch (MaikoSupervisor *self,
            MaikoActor      *actor,
            GThread         *thread)
{
  g_mutex_lock (&self->mutex);
  if (thread != NULL && _maiko_actor_has_ended (actor))
    g_ptr_array_add (self->ended_threads, thread);
  else
    _maiko_actor_set_thread (actor, thread);
  self->n_launching--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Moves the threads of @actors to @threads. */
static void
steal_threads_locked (GPtrArray *actors,
                      GPtrArray *threads)
{
  for (guint i = 0; i < actors->len; i++)
    {
      GThread *thread = _maiko_actor_steal_thread (g_ptr_array_index (actors, i));

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
}

/* Joins the threads of the actors that ended, which add_actor() would
 * join otherwise. */
void
_maiko_supervisor_join_ended_threads (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) ended = NULL;

  g_mutex_lock (&self->mutex);
  ended = g_steal_pointer (&self->ended_threads);
  self->ended_threads = g_ptr_array_new ();
  g_mutex_unlock (&self->mutex);

  join_all (g_steal_pointer (&ended));
}

static void
join_threads (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  g_mutex_lock (&self->mutex);
  if (self->threads_taken)
    {
      /* Another stop is joining them: wait for it to finish. */
      while (get_state (self) != STATE_STOPPED)
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->threads_taken = TRUE;
  while (self->n_launching > 0)
    g_cond_wait (&self->cond, &self->mutex);
  steal_threads_locked (self->actors, threads);
  steal_threads_locked (self->leaving, threads);
  g_ptr_array_extend_and_steal (threads, g_steal_pointer (&self->ended_threads));
  self->ended_threads = g_ptr_array_new ();
  g_mutex_unlock (&self->mutex);

  join_all (g_steal_pointer (&threads));

  g_mutex_lock (&self->mutex);
  set_state_locked (self, STATE_STOPPED);
  g_mutex_unlock (&self->mutex);
}

/* Emits what the monitors this thread runs still hold, so that a program
 * that ends right after stop() has seen every record. */
static void
drain_monitors (MaikoSupervisor *self)
{
  g_autoptr(GPtrArray) monitors = dup_objects (self, self->monitors);

  for (guint i = 0; i < monitors->len; i++)
    _maiko_monitor_drain_if_owner (g_ptr_array_index (monitors, i));
}

static gboolean
stop_internal (MaikoSupervisor  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  GError *actor_error;

  if (get_state (self) == STATE_CREATED)
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor was never started");
      return FALSE;
    }

  _maiko_supervisor_request_stop (self);
  if (!_maiko_supervisor_wait_until (self, all_ended, NULL, cancellable, error))
    return FALSE;
  join_threads (self);
  drain_monitors (self);

  /* Taken after the stop: an actor may fail while it drains. Given once,
   * to whichever of stop and join returns first. */
  g_mutex_lock (&self->mutex);
  actor_error = g_steal_pointer (&self->first_error);
  g_mutex_unlock (&self->mutex);
  if (actor_error != NULL)
    {
      g_propagate_error (error, actor_error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
join_internal (MaikoSupervisor  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  if (get_state (self) == STATE_CREATED)
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor was never started");
      return FALSE;
    }

  if (!_maiko_supervisor_wait_until (self, join_can_return, NULL, cancellable, error))
    return FALSE;

  /* Stops the others when an actor failed, as maiko does. */
  return stop_internal (self, NULL, error);
}

/* GObject */

/* A GDestroyNotify for a nullable GError. */
static void
free_error (gpointer error)
{
  g_clear_error ((GError **) &error);
}

/* Stops the supervisor and drops the reference that dispose gave it. */
static gpointer
reap (gpointer data)
{
  g_autoptr(MaikoSupervisor) self = data;

  stop_internal (self, NULL, NULL);
  return NULL;
}

static void
maiko_supervisor_dispose (GObject *object)
{
  MaikoSupervisor *self = MAIKO_SUPERVISOR (object);

  if (get_state (self) == STATE_RUNNING || get_state (self) == STATE_STOPPING)
    {
      /* The last reference went in a callback of one of our actors, which
       * a stop here would wait for: a thread of its own stops the runtime
       * and then drops the reference taken here, and dispose runs again. */
      if (_maiko_supervisor_called_from_own_actor (self, "Releasing the last reference", NULL, NULL))
        {
          _maiko_supervisor_request_stop (self);
          g_thread_unref (g_thread_new ("maiko-reaper", reap, g_object_ref (self)));
          return;
        }
      stop_internal (self, NULL, NULL);
    }
  g_mutex_lock (&self->mutex);
  while (self->n_finishing > 0)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  /* A worker of the pool may drop the last reference itself: it must not
   * wait for its own task. */
  if (self->send_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->send_pool), FALSE, !in_async_worker);
  for (guint i = 0; i < self->monitors->len; i++)
    _maiko_monitor_detach (g_ptr_array_index (self->monitors, i));
  /* Their contexts may outlive us, in the hands of other threads. */
  for (guint i = 0; i < self->actors->len; i++)
    _maiko_actor_detach (g_ptr_array_index (self->actors, i));
  for (guint i = 0; i < self->leaving->len; i++)
    _maiko_actor_detach (g_ptr_array_index (self->leaving, i));

  G_OBJECT_CLASS (maiko_supervisor_parent_class)->dispose (object);
}

static void
maiko_supervisor_finalize (GObject *object)
{
  MaikoSupervisor *self = MAIKO_SUPERVISOR (object);

  /* The last reference may go on another thread than the last use, such as
   * a GTask worker of send_async(): taking the lock once orders this
   * teardown after every locked section, also for ThreadSanitizer, which
   * does not see GObject's reference counting. */
  g_mutex_lock (&self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->topic_destroy != NULL)
    self->topic_destroy (self->topic_data);
  g_clear_pointer (&self->routes, _maiko_routes_unref);
  /* Other threads may still cache snapshots; nothing delivers through them
   * now. */
  g_clear_pointer (&self->routes_registry, _maiko_routes_registry_close);
  g_clear_pointer (&self->actors_by_name, g_hash_table_unref);
  g_clear_pointer (&self->actors, g_ptr_array_unref);
  g_clear_pointer (&self->policies, g_hash_table_unref);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  g_clear_pointer (&self->driven, g_ptr_array_unref);
  g_clear_pointer (&self->ended_threads, g_ptr_array_unref);
  g_clear_pointer (&self->early_envelopes, g_ptr_array_unref);
  g_clear_pointer (&self->early_senders, g_ptr_array_unref);
  g_clear_pointer (&self->ended_actors, g_hash_table_unref);
  g_clear_pointer (&self->ready_actors, g_hash_table_unref);
  g_clear_pointer (&self->restart_specs, g_hash_table_unref);
  g_queue_clear_full (&self->restart_times, g_free);
  g_clear_pointer (&self->leaving, g_ptr_array_unref);
  g_clear_pointer (&self->told_topics, g_hash_table_unref);
  g_clear_error (&self->first_error);
  g_clear_object (&self->worker_pool);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (maiko_supervisor_parent_class)->finalize (object);
}

static void
maiko_supervisor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MaikoSupervisor *self = MAIKO_SUPERVISOR (object);

  switch (prop_id)
    {
    case PROP_MAILBOX_CAPACITY:
      g_value_set_uint (value, self->mailbox_capacity);
      break;
    case PROP_BROKER_CAPACITY:
      g_value_set_uint (value, self->broker_capacity);
      break;
    case PROP_MAX_EVENTS_PER_TICK:
      g_value_set_uint (value, self->max_events_per_tick);
      break;
    case PROP_MONITORING_CAPACITY:
      g_value_set_uint (value, self->monitoring_capacity);
      break;
    case PROP_RESTART_STRATEGY:
      g_value_set_enum (value, self->restart_strategy);
      break;
    case PROP_MAX_RESTARTS:
      g_value_set_uint (value, self->max_restarts);
      break;
    case PROP_RESTART_PERIOD:
      g_value_set_uint (value, self->restart_period_s);
      break;
    case PROP_WORKER_POOL:
      g_value_set_object (value, self->worker_pool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_supervisor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MaikoSupervisor *self = MAIKO_SUPERVISOR (object);

  switch (prop_id)
    {
    case PROP_MAILBOX_CAPACITY:
      self->mailbox_capacity = g_value_get_uint (value);
      break;
    case PROP_BROKER_CAPACITY:
      self->broker_capacity = g_value_get_uint (value);
      break;
    case PROP_MAX_EVENTS_PER_TICK:
      self->max_events_per_tick = g_value_get_uint (value);
      break;
    case PROP_MONITORING_CAPACITY:
      self->monitoring_capacity = g_value_get_uint (value);
      break;
    case PROP_RESTART_STRATEGY:
      self->restart_strategy = g_value_get_enum (value);
      break;
    case PROP_MAX_RESTARTS:
      self->max_restarts = g_value_get_uint (value);
      break;
    case PROP_RESTART_PERIOD:
      self->restart_period_s = g_value_get_uint (value);
      break;
    case PROP_WORKER_POOL:
      self->worker_pool = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
capacity_param (const char *name,
                guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL,
                            1, G_MAXINT32, default_value,
                            (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
maiko_supervisor_class_init (MaikoSupervisorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = maiko_supervisor_dispose;
  object_class->finalize = maiko_supervisor_finalize;
  object_class->get_property = maiko_supervisor_get_property;
  object_class->set_property = maiko_supervisor_set_property;

  /**
   * MaikoSupervisor:mailbox-capacity:
   *
   * The default capacity of an actor's mailbox (stage 2 of flow control).
   */
  properties[PROP_MAILBOX_CAPACITY] = capacity_param ("mailbox-capacity", DEFAULT_MAILBOX_CAPACITY);

  /**
   * MaikoSupervisor:broker-capacity:
   *
   * How many events an actor may send from one callback before they are
   * handed to the mailboxes (stage 1 of flow control, see
   * [method@Maiko.Context.is_sender_full]).
   */
  properties[PROP_BROKER_CAPACITY] = capacity_param ("broker-capacity", DEFAULT_BROKER_CAPACITY);

  /**
   * MaikoSupervisor:max-events-per-tick:
   *
   * The default number of events an actor handles in one dispatch before
   * its context's other sources get a turn.
   */
  properties[PROP_MAX_EVENTS_PER_TICK] = capacity_param ("max-events-per-tick", DEFAULT_MAX_EVENTS_PER_TICK);

  /**
   * MaikoSupervisor:monitoring-capacity:
   *
   * The capacity of each monitor's queue of records (see
   * [class@Maiko.Monitor]). When a monitor's main context does not keep
   * up, what does not fit is dropped and counted by
   * [property@Maiko.Monitor:dropped-count].
   */
  properties[PROP_MONITORING_CAPACITY] = capacity_param ("monitoring-capacity", DEFAULT_MONITORING_CAPACITY);

  /**
   * MaikoSupervisor:restart-strategy:
   *
   * Which restartable actors a restart takes along (see
   * [enum@Maiko.RestartStrategy] and the
   * [Supervision](supervision.html) guide).
   */
  properties[PROP_RESTART_STRATEGY] =
    g_param_spec_enum ("restart-strategy", NULL, NULL,
                       MAIKO_TYPE_RESTART_STRATEGY, MAIKO_RESTART_STRATEGY_ONE_FOR_ONE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoSupervisor:max-restarts:
   *
   * The restart intensity, with [property@Maiko.Supervisor:restart-period]:
   * at most this many restarts in that many seconds. The restart that
   * would go past it is not made: the runtime stops instead, and
   * [method@Maiko.Supervisor.join] returns the error of the actor that
   * ended. 0 never restarts.
   */
  properties[PROP_MAX_RESTARTS] =
    g_param_spec_uint ("max-restarts", NULL, NULL,
                       0, G_MAXINT32, DEFAULT_MAX_RESTARTS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoSupervisor:restart-period:
   *
   * The period, in seconds, over which
   * [property@Maiko.Supervisor:max-restarts] are counted.
   */
  properties[PROP_RESTART_PERIOD] =
    g_param_spec_uint ("restart-period", NULL, NULL,
                       1, G_MAXINT32, DEFAULT_RESTART_PERIOD_S,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * MaikoSupervisor:worker-pool:
   *
   * The [class@Maiko.WorkerPool] whose workers run this supervisor's
   * actors, or %NULL (the default) for a thread of its own per actor. An
   * actor whose [property@Maiko.Actor:main-context] is set runs there
   * whatever this says. See the pool for its placement rule.
   */
  properties[PROP_WORKER_POOL] =
    g_param_spec_object ("worker-pool", NULL, NULL,
                         MAIKO_TYPE_WORKER_POOL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_supervisor_init (MaikoSupervisor *self)
{
  self->mailbox_capacity = DEFAULT_MAILBOX_CAPACITY;
  self->broker_capacity = DEFAULT_BROKER_CAPACITY;
  self->max_events_per_tick = DEFAULT_MAX_EVENTS_PER_TICK;
  self->monitoring_capacity = DEFAULT_MONITORING_CAPACITY;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->actors = g_ptr_array_new_with_free_func (g_object_unref);
  self->actors_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
  self->driven = g_ptr_array_new ();
  self->ended_threads = g_ptr_array_new ();
  self->early_envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  self->early_senders = g_ptr_array_new ();
  self->routes_registry = _maiko_routes_registry_new ();
  self->ended_actors = g_hash_table_new (NULL, NULL);
  self->ready_actors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, free_error);
  self->restart_specs = g_hash_table_new_full (NULL, NULL, NULL,
                                               (GDestroyNotify) _maiko_restart_spec_free);
  g_queue_init (&self->restart_times);
  self->leaving = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_restarts = DEFAULT_MAX_RESTARTS;
  self->restart_period_s = DEFAULT_RESTART_PERIOD_S;
  self->told_topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  _maiko_supervisor_publish_routes_locked (self);
}

/* Public API */

/**
 * maiko_supervisor_new:
 *
 * Creates a supervisor with the default settings. Use g_object_new() to set
 * [property@Maiko.Supervisor:mailbox-capacity] and the other capacities.
 *
 * Returns: (transfer full): a new supervisor
 */
MaikoSupervisor *
maiko_supervisor_new (void)
{
  return g_object_new (MAIKO_TYPE_SUPERVISOR, NULL);
}

static gboolean
validate_actor (const char          *name,
                const char * const  *topics,
                GError             **error)
{
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "An actor name must be a non-empty UTF-8 string");
      return FALSE;
    }
  if (g_str_equal (name, MAIKO_SUPERVISOR_NAME))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "The name “%s” is reserved for the supervisor", name);
      return FALSE;
    }

  /* A topic given twice would deliver each of its events twice. A set,
   * not a search of the rest: an actor may have thousands of topics. */
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      if (!_maiko_topic_is_valid (topics[i]))
        {
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                       "Topic %u of actor “%s” is empty or not UTF-8", i, name);
          return FALSE;
        }
      if (g_str_equal (topics[i], MAIKO_TOPIC_ALL) && (i > 0 || topics[1] != NULL))
        {
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                       "Actor “%s”: “" MAIKO_TOPIC_ALL "” must be the only topic", name);
          return FALSE;
        }
      if (!g_hash_table_add (seen, (char *) topics[i]))
        {
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                       "Actor “%s”: topic “%s” is given twice", name, topics[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * maiko_supervisor_add_actor:
 * @self: a supervisor
 * @name: the actor's unique name
 * @actor: the actor
 * @topics: (array zero-terminated=1) (nullable): the topics the actor
 *   subscribes to: %MAIKO_TOPIC_ALL alone for every topic, %NULL or empty
 *   for none
 * @error: return location for a #GError
 *
 * Adds @actor under @name. The supervisor keeps a reference to it. An actor
 * added while the supervisor runs starts at once.
 *
 * Fails with %MAIKO_ERROR_INVALID_ARGUMENT for an empty, non-UTF-8 or
 * reserved name or topic, or a topic given twice,
 * %MAIKO_ERROR_DUPLICATE_ACTOR if the name is taken or the actor was added
 * before, and %MAIKO_ERROR_WRONG_STATE once the
 * supervisor is stopping.
 *
 * Returns: %TRUE if the actor was added
 */
gboolean
maiko_supervisor_add_actor (MaikoSupervisor     *self,
                            const char          *name,
                            MaikoActor          *actor,
                            const char * const  *topics,
                            GError             **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (MAIKO_IS_ACTOR (actor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _maiko_supervisor_add (self, name, actor, topics, NULL, error);
}

/* Refuses an actor that cannot run as it is. */
gboolean
_maiko_supervisor_check_actor (const char  *name,
                               MaikoActor  *actor,
                               GError     **error)
{
  if (maiko_actor_get_main_context (actor) == NULL &&
      _maiko_type_requires_main_context (G_OBJECT_TYPE (actor)))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Actor “%s” is written in JavaScript, which cannot run on a thread of "
                   "its own: set its main-context property (for instance to "
                   "GLib.MainContext.default()) before adding it", name);
      return FALSE;
    }

  return TRUE;
}

/* Adds @actor as maiko_supervisor_add_actor() does; @spec (nullable,
 * taken) makes it restartable. */
gboolean
_maiko_supervisor_add (MaikoSupervisor     *self,
                       const char          *name,
                       MaikoActor          *actor,
                       const char * const  *topics,
                       MaikoRestartSpec    *spec,
                       GError             **error)
{
  g_autoptr(GPtrArray) ended = NULL;
  GThread *thread;
  gboolean running;
  gboolean launched;

  if (!validate_actor (name, topics, error) || !_maiko_supervisor_check_actor (name, actor, error))
    goto refused;

  g_mutex_lock (&self->mutex);
  running = get_state (self) == STATE_RUNNING;
  if (!running && get_state (self) != STATE_CREATED)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "Actors cannot be added to a stopped supervisor");
      goto refused;
    }
  if (g_hash_table_contains (self->actors_by_name, name))
    {
      g_mutex_unlock (&self->mutex);
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR,
                   "An actor named “%s” already exists", name);
      goto refused;
    }
  if (!_maiko_actor_attach (actor, self, name, topics, self->mailbox_capacity,
                            self->max_events_per_tick, error))
    {
      g_mutex_unlock (&self->mutex);
      goto refused;
    }

  g_ptr_array_add (self->actors, g_object_ref (actor));
  g_hash_table_insert (self->actors_by_name, (char *) maiko_actor_get_name (actor), actor);
  if (spec != NULL)
    g_hash_table_insert (self->restart_specs, (char *) maiko_actor_get_name (actor), spec);
  _maiko_supervisor_publish_routes_locked (self);
  _maiko_supervisor_record_locked (self, MAIKO_RECORD_HOOK_ACTOR_REGISTERED, maiko_actor_get_name (actor));
  if (running)
    {
      self->n_running++;
      self->n_launching++;
      ended = g_steal_pointer (&self->ended_threads);
      self->ended_threads = g_ptr_array_new ();
    }
  g_mutex_unlock (&self->mutex);

  join_all (g_steal_pointer (&ended));
  _maiko_supervisor_catch_up_monitors (self);
  if (!running)
    return TRUE;

  launched = _maiko_actor_launch (actor, &thread, error);
  _maiko_supervisor_end_launch (self, actor, thread);
  if (!launched)
    _maiko_supervisor_actor_finished (self, actor, NULL);

  return launched;

refused:
  if (spec != NULL)
    _maiko_restart_spec_free (spec);
  return FALSE;
}

/**
 * maiko_supervisor_get_actor:
 * @self: a supervisor
 * @name: an actor name
 *
 * Looks up an actor by name.
 *
 * Returns: (transfer none) (nullable): the actor named @name, or %NULL
 */
MaikoActor *
maiko_supervisor_get_actor (MaikoSupervisor *self,
                            const char      *name)
{
  MaikoActor *actor;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_mutex_lock (&self->mutex);
  actor = g_hash_table_lookup (self->actors_by_name, name);
  g_mutex_unlock (&self->mutex);

  return actor;
}

static gboolean
check_not_started (MaikoSupervisor  *self,
                   GError          **error)
{
  if (get_state (self) == STATE_CREATED)
    return TRUE;

  g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                       "Routing can only be changed before the supervisor starts");
  return FALSE;
}

static void
set_topic_func (MaikoSupervisor      *self,
                MaikoTopicFunc        func,
                MaikoStaticTopicFunc  static_func,
                gpointer              user_data,
                GDestroyNotify        destroy,
                gboolean              by_label)
{
  if (self->topic_destroy != NULL)
    self->topic_destroy (self->topic_data);
  self->topic_func = func;
  self->static_topic_func = static_func;
  self->topic_data = user_data;
  self->topic_destroy = destroy;
  self->route_by_label = by_label;
}

/* Sets @func or @static_func, unless the supervisor has started. */
static gboolean
set_topic_func_if_not_started (MaikoSupervisor       *self,
                               MaikoTopicFunc         func,
                               MaikoStaticTopicFunc   static_func,
                               gpointer               user_data,
                               GDestroyNotify         destroy,
                               GError               **error)
{
  if (!check_not_started (self, error))
    {
      if (destroy != NULL)
        destroy (user_data);
      return FALSE;
    }

  set_topic_func (self, func, static_func, user_data, destroy, FALSE);
  return TRUE;
}

/**
 * maiko_supervisor_set_topic_func:
 * @self: a supervisor not started yet
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy):
 *   the function that gives each event's topic, or %NULL for
 *   %MAIKO_DEFAULT_TOPIC
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 * @error: return location for a #GError
 *
 * Sets how events map to topics. The function runs on the sending thread
 * for every send.
 *
 * Returns: %TRUE on success; %FALSE with %MAIKO_ERROR_WRONG_STATE once the
 *   supervisor has started
 */
gboolean
maiko_supervisor_set_topic_func (MaikoSupervisor  *self,
                                 MaikoTopicFunc    func,
                                 gpointer          user_data,
                                 GDestroyNotify    destroy,
                                 GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_topic_func_if_not_started (self, func, NULL, user_data, destroy, error);
}

/**
 * maiko_supervisor_set_static_topic_func: (skip)
 * @self: a supervisor not started yet
 * @func: (nullable): the function that gives each event's topic, or %NULL
 *   for %MAIKO_DEFAULT_TOPIC
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 * @error: return location for a #GError
 *
 * Sets how events map to topics, as
 * [method@Maiko.Supervisor.set_topic_func] does, with a function that
 * returns topics that are never freed (string literals, or strings from
 * g_intern_string()): sends then neither copy nor free them. For C; a
 * language binding cannot promise such a lifetime, and uses
 * [method@Maiko.Supervisor.set_topic_func].
 *
 * Returns: %TRUE on success; %FALSE with %MAIKO_ERROR_WRONG_STATE once the
 *   supervisor has started
 */
gboolean
maiko_supervisor_set_static_topic_func (MaikoSupervisor       *self,
                                        MaikoStaticTopicFunc   func,
                                        gpointer               user_data,
                                        GDestroyNotify         destroy,
                                        GError               **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_topic_func_if_not_started (self, NULL, func, user_data, destroy, error);
}

/**
 * maiko_supervisor_set_route_by_label:
 * @self: a supervisor not started yet
 * @error: return location for a #GError
 *
 * Makes each event's label its topic, without calling any function.
 *
 * Returns: %TRUE on success; %FALSE with %MAIKO_ERROR_WRONG_STATE once the
 *   supervisor has started
 */
gboolean
maiko_supervisor_set_route_by_label (MaikoSupervisor  *self,
                                     GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_not_started (self, error))
    return FALSE;

  set_topic_func (self, NULL, NULL, NULL, NULL, TRUE);
  return TRUE;
}

/**
 * maiko_supervisor_set_topic_policy:
 * @self: a supervisor
 * @topic: a topic
 * @policy: what to do when a receiver's mailbox is full
 * @error: return location for a #GError
 *
 * Sets the overflow policy of @topic. Topics without one use
 * %MAIKO_OVERFLOW_POLICY_FAIL.
 *
 * Returns: %TRUE on success; %FALSE with %MAIKO_ERROR_INVALID_ARGUMENT for
 *   an invalid topic or policy, or %MAIKO_ERROR_WRONG_STATE once stopping
 */
gboolean
maiko_supervisor_set_topic_policy (MaikoSupervisor      *self,
                                   const char           *topic,
                                   MaikoOverflowPolicy   policy,
                                   GError              **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_maiko_topic_is_valid (topic) || g_str_equal (topic, MAIKO_TOPIC_ALL))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "A topic must be a non-empty UTF-8 string other than “*”");
      return FALSE;
    }
  if ((guint) policy > MAIKO_OVERFLOW_POLICY_BLOCK)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Unknown overflow policy %d", (int) policy);
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  if (get_state (self) >= STATE_STOPPING)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor is stopping or stopped");
      return FALSE;
    }
  g_hash_table_insert (self->policies, g_strdup (topic), GINT_TO_POINTER (policy));
  _maiko_supervisor_publish_routes_locked (self);
  /* Before start, actors may still come: told of at start. */
  if (get_state (self) == STATE_RUNNING)
    _maiko_supervisor_tell_unused_policy_locked (self, topic);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * maiko_supervisor_get_topic_policy:
 * @self: a supervisor
 * @topic: a topic
 *
 * Gets the overflow policy of @topic: the one set with
 * [method@Maiko.Supervisor.set_topic_policy], or
 * %MAIKO_OVERFLOW_POLICY_FAIL.
 *
 * Returns: the overflow policy of @topic
 */
MaikoOverflowPolicy
maiko_supervisor_get_topic_policy (MaikoSupervisor *self,
                                   const char      *topic)
{
  gpointer policy;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), MAIKO_OVERFLOW_POLICY_FAIL);
  g_return_val_if_fail (topic != NULL, MAIKO_OVERFLOW_POLICY_FAIL);

  g_mutex_lock (&self->mutex);
  policy = g_hash_table_lookup (self->policies, topic);
  g_mutex_unlock (&self->mutex);

  return GPOINTER_TO_INT (policy);
}

/* Topology */

/* The model copies what it keeps, so building it under the lock is the
 * whole snapshot: actors and policies seen at one instant. Rendering it
 * happens outside. */
static MaikoTopology *
snapshot_topology (MaikoSupervisor *self)
{
  MaikoTopology *topology;

  g_mutex_lock (&self->mutex);
  topology = _maiko_topology_new (self->actors, self->policies);
  g_mutex_unlock (&self->mutex);

  return topology;
}

/**
 * maiko_supervisor_to_json:
 * @self: a supervisor
 *
 * Describes the topology as JSON: the actors, the topics, and the edges
 * from publishers to subscribers that they imply. What an actor publishes
 * is known only from its [property@Maiko.Actor:publishes].
 *
 * The result is one object, pretty-printed (one value per line; compacted
 * here) and followed by a newline:
 *
 * ```json
 * {
 *   "actors" : [
 *     { "name" : "reader", "subscribes" : [], "publishes" : [ "lines" ] },
 *     { "name" : "parser", "subscribes" : [ "lines" ], "publishes" : [] },
 *     { "name" : "logger", "subscribes" : [ "*" ], "publishes" : [] }
 *   ],
 *   "topics" : [
 *     {
 *       "name" : "lines",
 *       "policy" : "block",
 *       "publishers" : [ "reader" ],
 *       "subscribers" : [ "parser", "logger" ]
 *     }
 *   ],
 *   "edges" : [
 *     { "from" : "reader", "to" : "parser", "topic" : "lines" },
 *     { "from" : "reader", "to" : "logger", "topic" : "lines" }
 *   ]
 * }
 * ```
 *
 * - `actors`: every actor, in the order added. `subscribes` is `[ "*" ]`
 *   for an actor subscribed to every topic. An actor's topics are sorted,
 *   each listed once.
 * - `topics`: every topic that an actor subscribes or publishes to, or
 *   that was given a policy with [method@Maiko.Supervisor.set_topic_policy],
 *   sorted by name. `policy` is `"fail"`, `"drop"` or `"block"`.
 *   `publishers` and `subscribers` are actor names in the order added;
 *   `subscribers` includes the actors subscribed to every topic.
 * - `edges`: one for each topic, actor publishing on it (`from`) and other
 *   actor receiving it (`to`); an actor never receives its own events, so
 *   it has no edge to itself. Sorted by `from`, then `to` (in the order the
 *   actors were added), then `topic`.
 *
 * Names are sorted by their bytes, so the same actors and policies always
 * give the same text. Callable in any state and from any thread: it
 * describes the actors and policies of one instant.
 *
 * Returns: (transfer full): the topology as JSON
 */
char *
maiko_supervisor_to_json (MaikoSupervisor *self)
{
  g_autoptr(MaikoTopology) topology = NULL;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), NULL);

  topology = snapshot_topology (self);
  return _maiko_topology_to_json (topology);
}

/**
 * maiko_supervisor_to_mermaid:
 * @self: a supervisor
 *
 * Describes the topology of [method@Maiko.Supervisor.to_json] as a
 * [Mermaid](https://mermaid.js.org/) flowchart, drawn from left to right.
 * Actors are rectangles and topics are stadiums (rounded ends). An arrow
 * from an actor to a topic says that the actor publishes on it; an arrow
 * from a topic to an actor, that the actor receives it, labelled with the
 * topic's overflow policy (`drop` or `block`) unless it is the default:
 *
 * ```
 * flowchart LR
 *   actor_reader["reader"]
 *   actor_parser["parser"]
 *   actor_logger["logger"]
 *   topic_lines(["lines"])
 *   actor_reader --> topic_lines
 *   topic_lines -->|block| actor_parser
 *   topic_lines -->|block| actor_logger
 * ```
 *
 * Actors come in the order added, then topics sorted by name; then, topic
 * by topic, the arrows of its publishers and of its subscribers, in the
 * order added. A node's id is `actor_` or `topic_` followed by its name,
 * every character other than an ASCII letter or digit made `_`; `_2`,
 * `_3`, … follow when two names give the same id. Labels show the names
 * as they are: quotes, `#`, `&`, `<`, `>`, backquotes and control
 * characters are written as Mermaid entity codes such as `#34;`.
 *
 * Returns: (transfer full): the topology as a Mermaid flowchart
 */
char *
maiko_supervisor_to_mermaid (MaikoSupervisor *self)
{
  g_autoptr(MaikoTopology) topology = NULL;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), NULL);

  topology = snapshot_topology (self);
  return _maiko_topology_to_mermaid (topology);
}

/**
 * maiko_supervisor_start:
 * @self: a supervisor
 * @error: return location for a #GError
 *
 * Starts every actor: each one's [vfunc@Maiko.Actor.on_start] runs first
 * on its own context, then its events. Actors bound to a
 * [property@Maiko.Actor:main-context] start when that context is next
 * iterated.
 *
 * Returns: %TRUE on success; %FALSE with %MAIKO_ERROR_WRONG_STATE if the
 *   supervisor was started before, or the error of a thread that could not
 *   be created (the actors already started are stopped again)
 */
gboolean
maiko_supervisor_start (MaikoSupervisor  *self,
                        GError          **error)
{
  g_autoptr(GPtrArray) actors = NULL;
  g_autoptr(GPtrArray) early_envelopes = NULL;
  g_autoptr(GPtrArray) early_senders = NULL;
  guint n_actors;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->mutex);
  if (get_state (self) != STATE_CREATED)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor was already started; a supervisor runs once");
      return FALSE;
    }
  set_state_locked (self, STATE_RUNNING);
  if (self->routes_stale)
    _maiko_supervisor_publish_routes_locked (self);
  _maiko_supervisor_tell_unused_policies_locked (self);
  /* Counted before launching: an actor may end before launch returns.
   * Actors added from now on launch themselves in add_actor(). */
  n_actors = self->n_running = self->n_launching = self->actors->len;
  early_envelopes = g_steal_pointer (&self->early_envelopes);
  early_senders = g_steal_pointer (&self->early_senders);
  self->early_envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  self->early_senders = g_ptr_array_new ();
  g_mutex_unlock (&self->mutex);

  actors = _maiko_supervisor_dup_actors (self);
  g_ptr_array_set_size (actors, n_actors);
  if (self->worker_pool != NULL)
    _maiko_worker_pool_hold (self->worker_pool);
  for (guint i = 0; i < actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (actors, i);
      GThread *thread;

      if (!_maiko_actor_launch (actor, &thread, error))
        {
          if (self->worker_pool != NULL)
            _maiko_worker_pool_unhold (self->worker_pool);
          for (guint j = i; j < actors->len; j++)
            {
              _maiko_supervisor_end_launch (self, g_ptr_array_index (actors, j), NULL);
              _maiko_supervisor_actor_finished (self, g_ptr_array_index (actors, j), NULL);
            }
          stop_internal (self, NULL, NULL);
          return FALSE;
        }
      _maiko_supervisor_end_launch (self, actor, thread);
    }
  /* Before the early events: a BLOCK delivery may wait for a worker. */
  if (self->worker_pool != NULL)
    _maiko_worker_pool_unhold (self->worker_pool);
  /* Each actor runs on_start before it handles them. */
  _maiko_supervisor_deliver_early (self, early_envelopes, early_senders);

  return TRUE;
}

/**
 * maiko_supervisor_join:
 * @self: a running supervisor
 * @error: return location for a #GError
 *
 * Waits until the runtime is asked to stop
 * ([method@Maiko.Context.stop_runtime] or [method@Maiko.Supervisor.stop]),
 * every actor has ended, or an actor ends with an error; then stops the
 * runtime as [method@Maiko.Supervisor.stop] does.
 *
 * If this thread must iterate the context that some actors are bound to,
 * `join` iterates it while it waits. Called from inside an actor of this
 * supervisor it fails with %MAIKO_ERROR_WRONG_STATE: an actor ends the run
 * with [method@Maiko.Context.stop_runtime]. Main-loop code that must not
 * block uses [method@Maiko.Supervisor.join_async].
 *
 * Returns: %TRUE if the runtime ended without an actor error; %FALSE with
 *   the first actor error otherwise (unless a `stop` returned it already)
 */
gboolean
maiko_supervisor_join (MaikoSupervisor  *self,
                       GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_maiko_supervisor_called_from_own_actor (self, "maiko_supervisor_join()", STOP_FROM_AN_ACTOR, error))
    return FALSE;

  return join_internal (self, NULL, error);
}

/**
 * maiko_supervisor_run:
 * @self: a supervisor
 * @error: return location for a #GError
 *
 * Starts the supervisor and joins it.
 *
 * Returns: as [method@Maiko.Supervisor.join]
 */
gboolean
maiko_supervisor_run (MaikoSupervisor  *self,
                      GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return maiko_supervisor_start (self, error) && maiko_supervisor_join (self, error);
}

/**
 * maiko_supervisor_stop:
 * @self: a started supervisor
 * @error: return location for a #GError
 *
 * Stops the runtime gracefully and waits until it has stopped: no event is
 * accepted from the moment of the call; each actor handles what its mailbox
 * holds, runs [vfunc@Maiko.Actor.on_shutdown] and ends; senders waiting for
 * room give up and their events are counted as undelivered. When `stop`
 * returns, every actor thread has been joined.
 *
 * Stopping a stopped supervisor does nothing. `stop` may be called from
 * several threads at once; each returns once the runtime has stopped. If
 * this thread must iterate a context that actors are bound to, `stop`
 * iterates it while it waits. From inside an actor of this supervisor it
 * fails with %MAIKO_ERROR_WRONG_STATE: use
 * [method@Maiko.Context.stop_runtime] there.
 *
 * Like [method@Maiko.Supervisor.join], `stop` reports the error of the
 * first actor that failed, as maiko does: the runtime has stopped all the
 * same. The error is given once, to the first `stop` or `join` that
 * returns after the failure.
 *
 * Returns: %TRUE once stopped with no actor error; %FALSE with the first
 *   actor error once stopped, or with %MAIKO_ERROR_WRONG_STATE if the
 *   supervisor was never started or `stop` was called from one of its actors
 */
gboolean
maiko_supervisor_stop (MaikoSupervisor  *self,
                       GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_maiko_supervisor_called_from_own_actor (self, "maiko_supervisor_stop()", STOP_FROM_AN_ACTOR, error))
    return FALSE;

  return stop_internal (self, NULL, error);
}

/* A blocking call that an _async form runs on a worker thread, with the
 * task's data (the actor name of wait_ready). */
typedef gboolean (*BlockingCall) (MaikoSupervisor  *self,
                                  gconstpointer     data,
                                  GCancellable     *cancellable,
                                  GError          **error);

typedef struct
{
  BlockingCall  call;
  char         *data;
} BlockingCallData;

static void
blocking_call_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  BlockingCallData *call_data = task_data;
  BlockingCall call = g_atomic_pointer_get (&call_data->call);
  GError *error = NULL;
  gboolean ok;

  in_async_worker = TRUE;
  ok = call (source_object, call_data->data, cancellable, &error);
  in_async_worker = FALSE;

  /* Freed here, not by the task: GTask always runs this function, and the
   * thread that returns the task's result is then the only one that ever
   * touched the data after it was published. */
  g_free (call_data->data);
  g_free (call_data);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_blocking_call_async (MaikoSupervisor     *self,
                         BlockingCall         call,
                         const char          *data,
                         gpointer             source_tag,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  BlockingCallData *call_data = g_new (BlockingCallData, 1);

  /* GThreadPool hands the task over, and GTask its result back, under
   * locks inside GLib that ThreadSanitizer cannot see (tests/tsan.supp):
   * the call is published with an atomic store, read back with an atomic
   * load, and the worker thread frees what it was given. */
  call_data->data = g_strdup (data);
  g_atomic_pointer_set (&call_data->call, call);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call_data, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, blocking_call_thread);
}

/* After waiting for actors_ready(): the error of the actor named @name
 * (or of the first actor, if @name is NULL) that is not ready. */
static gboolean
ready_result (MaikoSupervisor  *self,
              const char       *name,
              GError          **error)
{
  gpointer actor_error = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&self->mutex);
  if (name != NULL && !g_hash_table_contains (self->actors_by_name, name))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "The supervisor has no actor named “%s”", name);
      ok = FALSE;
    }
  for (guint i = 0; ok && i < self->actors->len; i++)
    {
      const char *actor_name = maiko_actor_get_name (g_ptr_array_index (self->actors, i));

      if ((name == NULL || g_str_equal (name, actor_name)) &&
          g_hash_table_lookup_extended (self->ready_actors, actor_name, NULL, &actor_error) &&
          actor_error != NULL)
        {
          g_propagate_prefixed_error (error, g_error_copy (actor_error),
                                      "Actor “%s” failed to start: ", actor_name);
          ok = FALSE;
        }
    }
  g_mutex_unlock (&self->mutex);

  return ok;
}

static gboolean
wait_ready_internal (MaikoSupervisor  *self,
                     gconstpointer     name,
                     GCancellable     *cancellable,
                     GError          **error)
{
  if (get_state (self) == STATE_CREATED)
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor was never started");
      return FALSE;
    }

  return _maiko_supervisor_wait_until (self, actors_ready, name, cancellable, error) &&
         ready_result (self, name, error);
}

/**
 * maiko_supervisor_wait_ready:
 * @self: a started supervisor
 * @name: (nullable): the name of the actor to wait for, or %NULL for every
 *   actor added so far
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until the actor @name (every actor if @name is %NULL) has run
 * [vfunc@Maiko.Actor.on_start].
 *
 * [method@Maiko.Supervisor.start] does not wait for `on_start`: it returns
 * once every actor is launched, and each actor runs `on_start` on its own
 * thread or context, before it handles any event. Events sent meanwhile
 * are not lost: they wait in the mailboxes. Wait for readiness when what
 * the program does next depends on what `on_start` does, for instance
 * opening a socket that another program then connects to.
 *
 * A failure of `on_start` that [vfunc@Maiko.Actor.on_error] swallows
 * leaves the actor ready; one that ends the actor is returned, prefixed
 * with the actor's name. If this thread must iterate the context that
 * actors are bound to, `wait_ready` iterates it while it waits, as
 * [method@Maiko.Supervisor.join] does. Called from inside an actor of this
 * supervisor it fails with %MAIKO_ERROR_WRONG_STATE: that actor's context
 * cannot run while it waits. Main-loop code that must not block uses
 * [method@Maiko.Supervisor.wait_ready_async].
 *
 * Returns: %TRUE once ready; %FALSE with the error that ended an actor in
 *   `on_start`, with %MAIKO_ERROR_INVALID_ARGUMENT if there is no actor
 *   @name, with %MAIKO_ERROR_WRONG_STATE if the supervisor was never
 *   started or the call comes from one of its actors, or with
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
maiko_supervisor_wait_ready (MaikoSupervisor  *self,
                             const char       *name,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_maiko_supervisor_called_from_own_actor (self, "maiko_supervisor_wait_ready()",
                             "an actor that others wait for can send an event when it is ready",
                             error))
    return FALSE;

  return wait_ready_internal (self, name, cancellable, error);
}

/**
 * maiko_supervisor_wait_ready_async:
 * @self: a started supervisor
 * @name: (nullable): the name of the actor to wait for, or %NULL for every
 *   actor added so far
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data): called when the actors
 *   are ready
 * @user_data: data for @callback
 *
 * Waits as [method@Maiko.Supervisor.wait_ready] does, without blocking.
 * The callback runs in the thread-default main context of the caller;
 * actors bound to that context start as it runs.
 */
void
maiko_supervisor_wait_ready_async (MaikoSupervisor     *self,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_blocking_call_async (self, wait_ready_internal, name, maiko_supervisor_wait_ready_async,
                           cancellable, callback, user_data);
}

/**
 * maiko_supervisor_wait_ready_finish:
 * @self: a supervisor
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Maiko.Supervisor.wait_ready_async].
 *
 * Returns: as [method@Maiko.Supervisor.wait_ready]
 */
gboolean
maiko_supervisor_wait_ready_finish (MaikoSupervisor  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
send_internal (MaikoSupervisor  *self,
               MaikoEvent       *event,
               GCancellable     *cancellable,
               GError          **error)
{
  return _maiko_supervisor_publish (self, NULL, g_intern_static_string (MAIKO_SUPERVISOR_NAME),
                                    event, NULL, cancellable, error);
}

/**
 * maiko_supervisor_send:
 * @self: a supervisor, started or not
 * @event: the event to publish
 * @error: return location for a #GError
 *
 * Publishes @event with `"supervisor"` as its sender. Routing runs on the
 * calling thread; under %MAIKO_OVERFLOW_POLICY_BLOCK the call waits while a
 * receiver's mailbox is full (iterating the receiver's context if this
 * thread is the one that must run it).
 *
 * Before [method@Maiko.Supervisor.start], the event waits, as in maiko: it
 * gets its envelope (and topic) now, and is routed at start, in the order
 * sent, under the topic policies then in force; each receiver handles it
 * after its [vfunc@Maiko.Actor.on_start]. At most
 * [property@Maiko.Supervisor:broker-capacity] events wait so.
 *
 * Returns: %TRUE if the event was accepted; %FALSE with
 *   %MAIKO_ERROR_MAILBOX_FULL before start if broker-capacity events wait
 *   already, or if, called from inside an actor, it would have to wait for
 *   room in that actor's own mailbox, or %MAIKO_ERROR_STOPPED once the
 *   runtime is stopping (including while the call waited for room)
 */
gboolean
maiko_supervisor_send (MaikoSupervisor  *self,
                       MaikoEvent       *event,
                       GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return send_internal (self, event, NULL, error);
}

/* The _async forms */

static void
send_worker (gpointer data,
             gpointer user_data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  in_async_worker = TRUE;
  if (send_internal (g_task_get_source_object (task), g_task_get_task_data (task),
                     g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  /* Pool threads are shared with other pools. */
  in_async_worker = FALSE;
}

/**
 * maiko_supervisor_send_async:
 * @self: a running supervisor
 * @event: the event to publish
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data): called when the event was
 *   accepted or refused
 * @user_data: data for @callback
 *
 * Publishes @event as [method@Maiko.Supervisor.send] does, without blocking
 * the calling thread. Events sent with this function are routed in the
 * order of the calls. Cancelling stops a wait for room; receivers that
 * already got the event keep it.
 */
void
maiko_supervisor_send_async (MaikoSupervisor     *self,
                             MaikoEvent          *event,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));
  g_return_if_fail (event != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, maiko_supervisor_send_async);
  g_task_set_task_data (task, maiko_event_ref (event), (GDestroyNotify) maiko_event_unref);

  g_mutex_lock (&self->mutex);
  if (self->send_pool == NULL)
    self->send_pool = g_thread_pool_new (send_worker, NULL, 1, FALSE, NULL);
  g_thread_pool_push (self->send_pool, task, NULL);
  g_mutex_unlock (&self->mutex);
}

/**
 * maiko_supervisor_send_finish:
 * @self: a supervisor
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Maiko.Supervisor.send_async].
 *
 * Returns: %TRUE if the event was accepted
 */
gboolean
maiko_supervisor_send_finish (MaikoSupervisor  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
join_call (MaikoSupervisor  *self,
           gconstpointer     data,
           GCancellable     *cancellable,
           GError          **error)
{
  return join_internal (self, cancellable, error);
}

static gboolean
stop_call (MaikoSupervisor  *self,
           gconstpointer     data,
           GCancellable     *cancellable,
           GError          **error)
{
  return stop_internal (self, cancellable, error);
}

/**
 * maiko_supervisor_join_async:
 * @self: a started supervisor
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data): called when the runtime
 *   has stopped
 * @user_data: data for @callback
 *
 * Joins the supervisor as [method@Maiko.Supervisor.join] does, without
 * blocking: the callback runs in the thread-default main context of the
 * caller. Cancelling gives up the wait; the runtime goes on.
 */
void
maiko_supervisor_join_async (MaikoSupervisor     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_blocking_call_async (self, join_call, NULL, maiko_supervisor_join_async,
                           cancellable, callback, user_data);
}

/**
 * maiko_supervisor_join_finish:
 * @self: a supervisor
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Maiko.Supervisor.join_async].
 *
 * Returns: as [method@Maiko.Supervisor.join]
 */
gboolean
maiko_supervisor_join_finish (MaikoSupervisor  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * maiko_supervisor_stop_async:
 * @self: a started supervisor
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data): called when the runtime
 *   has stopped
 * @user_data: data for @callback
 *
 * Stops the supervisor as [method@Maiko.Supervisor.stop] does, without
 * blocking. Cancelling gives up the wait, not the stop.
 *
 * The callback runs in the thread-default main context of the caller. From
 * inside a threaded actor that context ends with the actor, so the
 * callback would never run: use [method@Maiko.Context.stop_runtime] there.
 */
void
maiko_supervisor_stop_async (MaikoSupervisor     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_blocking_call_async (self, stop_call, NULL, maiko_supervisor_stop_async,
                           cancellable, callback, user_data);
}

/**
 * maiko_supervisor_stop_finish:
 * @self: a supervisor
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Maiko.Supervisor.stop_async].
 *
 * Returns: as [method@Maiko.Supervisor.stop]
 */
gboolean
maiko_supervisor_stop_finish (MaikoSupervisor  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * maiko_supervisor_is_running:
 * @self: a supervisor
 *
 * Tells whether the supervisor is running: started, and not stopping yet.
 *
 * Returns: %TRUE between start and the beginning of a stop
 */
gboolean
maiko_supervisor_is_running (MaikoSupervisor *self)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);

  return get_state (self) == STATE_RUNNING;
}

/**
 * maiko_supervisor_get_undelivered_count:
 * @self: a supervisor
 *
 * Counts deliveries of accepted events that never reached a handler: the
 * receiver had stopped or overflowed under %MAIKO_OVERFLOW_POLICY_FAIL, or
 * the sender was waiting for room when the runtime stopped.
 *
 * Returns: the number of undelivered deliveries so far
 */
guint64
maiko_supervisor_get_undelivered_count (MaikoSupervisor *self)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), 0);

  return (guint64) g_atomic_pointer_get (&self->undelivered);
}

/**
 * maiko_supervisor_get_unrouted_count:
 * @self: a supervisor
 *
 * Counts the accepted events that no actor received: nobody but their
 * sender subscribes to their topic. A misspelt topic shows here (and in
 * [signal@Maiko.Monitor::event-unrouted], and as a debug message naming
 * the closest subscribed topic, once per topic).
 *
 * Returns: the number of events nobody received so far
 */
guint64
maiko_supervisor_get_unrouted_count (MaikoSupervisor *self)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), 0);

  return (guint64) g_atomic_pointer_get (&self->unrouted);
}

/**
 * maiko_supervisor_get_dropped_count:
 * @self: a supervisor
 *
 * Counts the deliveries dropped because a receiver's mailbox was full on a
 * topic whose policy is %MAIKO_OVERFLOW_POLICY_DROP.
 *
 * Returns: the number of deliveries dropped under
 *   %MAIKO_OVERFLOW_POLICY_DROP so far
 */
guint64
maiko_supervisor_get_dropped_count (MaikoSupervisor *self)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), 0);

  return (guint64) g_atomic_pointer_get (&self->dropped);
}

/**
 * maiko_supervisor_add_monitor:
 * @self: a supervisor
 * @monitor: a monitor
 * @error: return location for a #GError
 *
 * Adds @monitor: from now on, its signals report what the runtime does.
 * They are emitted in the thread-default main context of the calling
 * thread (the global default one if it has none); see [class@Maiko.Monitor].
 * The monitor first receives [signal@Maiko.Monitor::actor-registered] for
 * every actor added before it, and [signal@Maiko.Monitor::actor-stopped]
 * for those that already ended, even if it is paused and however many
 * actors there are: these records never count against
 * [property@Maiko.Supervisor:monitoring-capacity].
 *
 * A monitor can be added in any state, to one supervisor, once. Fails with
 * %MAIKO_ERROR_INVALID_ARGUMENT if it was added before.
 *
 * Returns: %TRUE if the monitor was added
 */
gboolean
maiko_supervisor_add_monitor (MaikoSupervisor  *self,
                              MaikoMonitor     *monitor,
                              GError          **error)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_MONITOR (monitor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->mutex);
  if (!_maiko_monitor_attach (monitor, self, self->monitoring_capacity, error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  g_ptr_array_add (self->monitors, g_object_ref (monitor));
  if (_maiko_monitor_is_lossless (monitor))
    g_atomic_int_inc (&self->n_lossless);

  /* Under the lock, so that no registration or end is seen twice or missed. */
  for (guint i = 0; i < self->actors->len; i++)
    {
      const char *name = maiko_actor_get_name (g_ptr_array_index (self->actors, i));

      _maiko_monitor_replay (monitor, MAIKO_RECORD_HOOK_ACTOR_REGISTERED, name);
      if (g_hash_table_contains (self->ended_actors, name))
        _maiko_monitor_replay (monitor, MAIKO_RECORD_HOOK_ACTOR_STOPPED, name);
    }

  _maiko_supervisor_publish_routes_locked (self);
  update_monitoring_locked (self);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

/**
 * maiko_supervisor_remove_monitor:
 * @self: a supervisor
 * @monitor: a monitor added to @self
 * @error: return location for a #GError
 *
 * Removes @monitor. Records it has not emitted yet are dropped: call
 * [method@Maiko.Monitor.flush] first to see them. A removed monitor cannot
 * be added again.
 *
 * Fails with %MAIKO_ERROR_INVALID_ARGUMENT if @monitor was not added to
 * @self.
 *
 * Returns: %TRUE if the monitor was removed
 */
gboolean
maiko_supervisor_remove_monitor (MaikoSupervisor  *self,
                                 MaikoMonitor     *monitor,
                                 GError          **error)
{
  guint index;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_MONITOR (monitor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->mutex);
  if (!g_ptr_array_find (self->monitors, monitor, &index))
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "The monitor was not added to this supervisor");
      return FALSE;
    }
  monitor = g_ptr_array_steal_index (self->monitors, index);
  if (_maiko_monitor_is_lossless (monitor))
    g_atomic_int_dec_and_test (&self->n_lossless);
  _maiko_supervisor_publish_routes_locked (self);
  update_monitoring_locked (self);
  g_mutex_unlock (&self->mutex);

  _maiko_monitor_detach (monitor);
  g_object_unref (monitor);

  return TRUE;
}

static void
set_monitoring_paused (MaikoSupervisor *self,
                       gboolean         paused)
{
  g_mutex_lock (&self->mutex);
  self->monitoring_paused = paused;
  update_monitoring_locked (self);
  g_mutex_unlock (&self->mutex);
}

/**
 * maiko_supervisor_pause_monitoring:
 * @self: a supervisor
 *
 * Pauses every monitor of @self at once, whatever its own
 * [property@Maiko.Monitor:paused] says: nothing is recorded until
 * [method@Maiko.Supervisor.resume_monitoring], and each hook costs the
 * runtime one atomic load.
 */
void
maiko_supervisor_pause_monitoring (MaikoSupervisor *self)
{
  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));

  set_monitoring_paused (self, TRUE);
}

/**
 * maiko_supervisor_resume_monitoring:
 * @self: a supervisor
 *
 * Undoes [method@Maiko.Supervisor.pause_monitoring]: the monitors that are
 * not paused themselves record again.
 */
void
maiko_supervisor_resume_monitoring (MaikoSupervisor *self)
{
  g_return_if_fail (MAIKO_IS_SUPERVISOR (self));

  set_monitoring_paused (self, FALSE);
}

/**
 * maiko_supervisor_get_worker_pool:
 * @self: a supervisor
 *
 * Gets [property@Maiko.Supervisor:worker-pool].
 *
 * Returns: (transfer none) (nullable): the pool the actors run on, or
 *   %NULL if each has a thread of its own
 */
MaikoWorkerPool *
maiko_supervisor_get_worker_pool (MaikoSupervisor *self)
{
  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), NULL);

  return self->worker_pool;
}
