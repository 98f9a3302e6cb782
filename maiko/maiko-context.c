/* maiko-context.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-context-private.h"
#include "maiko-error.h"
#include "maiko-supervisor-private.h"

/**
 * MaikoContext:
 *
 * What an actor holds to act on the runtime: send events, stop itself or
 * the whole runtime, and read its flow-control state. Reach it with
 * [method@Maiko.Actor.get_context].
 *
 * Events sent from inside the actor's own callbacks wait in the actor's
 * outbox (stage 1 of flow control, at most
 * [property@Maiko.Supervisor:broker-capacity] events) until the callback
 * returns, and then go to their receivers' mailboxes together. Events sent
 * from anywhere else (another thread, a GIO callback) go at once.
 */
struct _MaikoContext
{
  GObject     parent_instance;
  /* Borrowed: the actor owns its context and detaches it when finalized. */
  MaikoActor *actor;
};

G_DEFINE_FINAL_TYPE (MaikoContext, maiko_context, G_TYPE_OBJECT)

static void
maiko_context_class_init (MaikoContextClass *klass)
{
}

static void
maiko_context_init (MaikoContext *self)
{
}

MaikoContext *
_maiko_context_new (MaikoActor *actor)
{
  MaikoContext *self = g_object_new (MAIKO_TYPE_CONTEXT, NULL);

  self->actor = actor;
  return self;
}

void
_maiko_context_detach (MaikoContext *self)
{
  self->actor = NULL;
}

/* The supervisor of the context's actor, held for the length of a call,
 * or %NULL if the actor was never added or its supervisor is gone. Inside
 * the actor's own callbacks it is borrowed (the supervisor outlives
 * them); elsewhere it is referenced, and *@owned holds the reference. */
static MaikoSupervisor *
hold_supervisor (MaikoContext     *self,
                 MaikoSupervisor **owned)
{
  *owned = NULL;
  if (self->actor == NULL)
    return NULL;
  if (_maiko_actor_get_current () == self->actor)
    return _maiko_actor_get_supervisor (self->actor);

  *owned = _maiko_actor_dup_supervisor (self->actor);
  return *owned;
}

/* Whether the context's actor was added to a supervisor, which may be
 * gone since. */
static gboolean
actor_was_added (MaikoContext *self)
{
  return self->actor != NULL && maiko_actor_get_name (self->actor) != NULL;
}

/**
 * maiko_context_get_name:
 * @self: a context
 *
 * Gets the name of the context's actor.
 *
 * Returns: (nullable): the name of the context's actor, or %NULL if the
 *   actor is gone
 */
const char *
maiko_context_get_name (MaikoContext *self)
{
  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), NULL);

  return self->actor != NULL ? maiko_actor_get_name (self->actor) : NULL;
}

/**
 * maiko_context_get_actor:
 * @self: a context
 *
 * Gets the actor this context belongs to.
 *
 * Returns: (transfer none) (nullable): the context's actor, or %NULL if it
 *   is gone
 */
MaikoActor *
maiko_context_get_actor (MaikoContext *self)
{
  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), NULL);

  return self->actor;
}

/* The context's supervisor, held in *@owned if need be; or %NULL with
 * @error set. */
static MaikoSupervisor *
require_supervisor (MaikoContext     *self,
                    MaikoSupervisor **owned,
                    GError          **error)
{
  MaikoSupervisor *supervisor = hold_supervisor (self, owned);

  if (supervisor == NULL)
    g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                         actor_was_added (self) ? "The actor's supervisor is gone"
                                                : "The actor is not part of a supervisor");
  return supervisor;
}

/**
 * maiko_context_send:
 * @self: a context
 * @event: the event to publish
 * @error: return location for a #GError
 *
 * Publishes @event as the context's actor. The supervisor's topic function
 * gives its topic, and every actor subscribed to that topic except the
 * sender receives it.
 *
 * Fails with %MAIKO_ERROR_WRONG_STATE before the supervisor starts, and with
 * %MAIKO_ERROR_STOPPED once the runtime or this actor is stopping.
 *
 * Returns: %TRUE if the event was accepted
 */
gboolean
maiko_context_send (MaikoContext  *self,
                    MaikoEvent    *event,
                    GError       **error)
{
  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return maiko_context_send_child_event (self, event, NULL, error);
}

/* Sends, as the context's actor, @received (an envelope made elsewhere,
 * see _maiko_bridge_publish()) or, if it is %NULL, a new envelope of
 * @event and @parent_id. */
static gboolean
send_as_actor (MaikoContext   *self,
               MaikoEvent     *event,
               const char     *parent_id,
               MaikoEnvelope  *received,
               GError        **error)
{
  g_autoptr(MaikoSupervisor) owned = NULL;
  MaikoSupervisor *supervisor;
  MaikoEnvelope *envelope = NULL;

  if (actor_was_added (self) && _maiko_actor_has_ended (self->actor))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED,
                   "Actor “%s” has stopped", maiko_actor_get_name (self->actor));
      return FALSE;
    }
  supervisor = require_supervisor (self, &owned, error);
  if (supervisor == NULL)
    return FALSE;

  /* From outside the actor's callbacks, it is delivered at once: the
   * stop's barrier waits for it (see _maiko_supervisor_begin_external_send()). */
  if (owned != NULL)
    _maiko_supervisor_begin_external_send (supervisor);
  if (received == NULL)
    envelope = _maiko_supervisor_make_envelope (supervisor, event,
                                                maiko_actor_get_name (self->actor),
                                                parent_id, error);
  else
    envelope = _maiko_supervisor_accept_envelope (supervisor, received, error);
  if (envelope != NULL)
    _maiko_actor_enqueue (self->actor, envelope);
  if (owned != NULL)
    _maiko_supervisor_end_external_send (supervisor);

  return envelope != NULL;
}

/**
 * maiko_context_send_child_event:
 * @self: a context
 * @event: the event to publish
 * @parent_id: (nullable): the id of the envelope this event answers
 * @error: return location for a #GError
 *
 * Publishes @event as [method@Maiko.Context.send] does, recording
 * @parent_id as its parent so that event chains can be traced.
 *
 * Fails as [method@Maiko.Context.send] does, and with
 * %MAIKO_ERROR_INVALID_ARGUMENT if @parent_id is not valid UTF-8.
 *
 * Returns: %TRUE if the event was accepted
 */
gboolean
maiko_context_send_child_event (MaikoContext  *self,
                                MaikoEvent    *event,
                                const char    *parent_id,
                                GError       **error)
{

  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (parent_id == NULL || *parent_id != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* It is written into monitoring records and recordings, which must stay
   * valid UTF-8. */
  if (parent_id != NULL && !g_utf8_validate (parent_id, -1, NULL))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "A parent id must be a UTF-8 string");
      return FALSE;
    }

  return send_as_actor (self, event, parent_id, NULL, error);
}

gboolean
_maiko_context_send_envelope (MaikoContext   *self,
                              MaikoEnvelope  *envelope,
                              GError        **error)
{
  return send_as_actor (self, NULL, NULL, envelope, error);
}

/**
 * maiko_context_stop:
 * @self: a context
 *
 * Stops the context's actor: once its current callback returns it handles
 * no more events, runs [vfunc@Maiko.Actor.on_shutdown] and ends. Events
 * still in its mailbox are counted as undelivered. The other actors go on.
 */
void
maiko_context_stop (MaikoContext *self)
{
  g_return_if_fail (MAIKO_IS_CONTEXT (self));

  if (actor_was_added (self))
    _maiko_actor_request_stop (self->actor, MAIKO_STOP_NOW, NULL);
}

/**
 * maiko_context_stop_runtime:
 * @self: a context
 *
 * Asks the whole runtime to stop, as [method@Maiko.Supervisor.stop] does,
 * without waiting: this is the way to stop from inside an actor. A
 * [method@Maiko.Supervisor.join] in progress then finishes the stop and
 * returns.
 */
void
maiko_context_stop_runtime (MaikoContext *self)
{
  g_autoptr(MaikoSupervisor) owned = NULL;
  MaikoSupervisor *supervisor;

  g_return_if_fail (MAIKO_IS_CONTEXT (self));

  supervisor = hold_supervisor (self, &owned);
  if (supervisor != NULL)
    _maiko_supervisor_request_stop (supervisor);
}

/**
 * maiko_context_add_actor:
 * @self: a context
 * @name: the new actor's name, unique in the supervisor
 * @actor: the actor to add
 * @topics: (array zero-terminated=1) (nullable): the topics it subscribes
 *   to, as for [method@Maiko.Supervisor.add_actor]
 * @error: return location for a #GError
 *
 * Spawns an actor from inside one: adds @actor to the supervisor of the
 * context's actor, as [method@Maiko.Supervisor.add_actor] does; on a
 * running supervisor it starts at once. Events the caller sends to it
 * after this call reach it.
 *
 * Returns: %TRUE if the actor was added; %FALSE with the errors of
 *   [method@Maiko.Supervisor.add_actor], or %MAIKO_ERROR_WRONG_STATE if the
 *   context's actor has no supervisor
 */
gboolean
maiko_context_add_actor (MaikoContext        *self,
                         const char          *name,
                         MaikoActor          *actor,
                         const char * const  *topics,
                         GError             **error)
{
  g_autoptr(MaikoSupervisor) owned = NULL;
  MaikoSupervisor *supervisor;

  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (MAIKO_IS_ACTOR (actor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  supervisor = require_supervisor (self, &owned, error);
  return supervisor != NULL && maiko_supervisor_add_actor (supervisor, name, actor, topics, error);
}

/**
 * maiko_context_remove_actor:
 * @self: a context
 * @name: the name of the actor to remove
 * @error: return location for a #GError
 *
 * Removes another actor, from inside one, as
 * [method@Maiko.Supervisor.remove_actor] does, without waiting for it to
 * end: it handles what its mailbox holds and ends on its own context.
 * Its name is free at once. An actor ends itself with
 * [method@Maiko.Context.stop].
 *
 * Returns: %TRUE if the removal has begun; %FALSE with
 *   %MAIKO_ERROR_INVALID_ARGUMENT if there is no actor @name, or with
 *   %MAIKO_ERROR_WRONG_STATE if @name is the context's own actor or the
 *   supervisor is not running
 */
gboolean
maiko_context_remove_actor (MaikoContext  *self,
                            const char    *name,
                            GError       **error)
{
  g_autoptr(MaikoSupervisor) owned = NULL;
  MaikoSupervisor *supervisor;

  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (actor_was_added (self) && g_str_equal (name, maiko_actor_get_name (self->actor)))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                   "Actor “%s” cannot remove itself: maiko_context_stop() ends it", name);
      return FALSE;
    }
  supervisor = require_supervisor (self, &owned, error);
  return supervisor != NULL && _maiko_supervisor_begin_removal (supervisor, name, NULL, error);
}

/**
 * maiko_context_is_sender_full:
 * @self: a context
 *
 * Tells whether the actor's next send would first have to hand its pending
 * events to their mailboxes (and so wait, if one of them is full under
 * %MAIKO_OVERFLOW_POLICY_BLOCK): that is, whether the outbox of events sent
 * from the current callback holds
 * [property@Maiko.Supervisor:broker-capacity] events. Outside the actor's
 * own callbacks sends are never queued, and this returns %FALSE.
 *
 * Returns: %TRUE if the actor's outbox is full
 */
gboolean
maiko_context_is_sender_full (MaikoContext *self)
{
  g_return_val_if_fail (MAIKO_IS_CONTEXT (self), FALSE);

  return actor_was_added (self) && _maiko_actor_is_sender_full (self->actor);
}

/**
 * maiko_context_set_backoff:
 * @self: a context
 * @milliseconds: the backoff duration
 *
 * Sets how long the actor waits before its next `step` when `step` returns
 * %MAIKO_STEP_ACTION_BACKOFF. Call it from inside `step`; the value stays
 * until set again. The default is 10 ms.
 */
void
maiko_context_set_backoff (MaikoContext *self,
                           guint         milliseconds)
{
  g_return_if_fail (MAIKO_IS_CONTEXT (self));

  if (actor_was_added (self))
    _maiko_actor_set_backoff (self->actor, milliseconds);
}

/**
 * maiko_context_fail:
 * @self: the context of the actor whose callback runs
 * @error: what failed
 *
 * Reports that the callback now running failed with @error. When it
 * returns, the runtime handles the failure as that of a
 * [vfunc@Maiko.Actor.handle_event] that returned %FALSE with @error: the
 * monitors get [signal@Maiko.Monitor::error], then
 * [vfunc@Maiko.Actor.on_error] decides whether the actor goes on.
 *
 * This is how [vfunc@Maiko.Actor.step], which returns no error, fails; the
 * Python and JavaScript overrides also use it to report an exception. Call
 * it from inside [vfunc@Maiko.Actor.on_start],
 * [vfunc@Maiko.Actor.handle_event] or [vfunc@Maiko.Actor.step] of this
 * context's actor, on the actor's own context. A callback fails once: a
 * second report in the same callback is ignored.
 */
void
maiko_context_fail (MaikoContext *self,
                    const GError *error)
{
  g_return_if_fail (MAIKO_IS_CONTEXT (self));
  g_return_if_fail (error != NULL);
  g_return_if_fail (self->actor != NULL && self->actor == _maiko_actor_get_current ());

  _maiko_actor_report_error (self->actor, error);
}
