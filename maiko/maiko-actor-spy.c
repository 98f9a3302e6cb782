/* maiko-actor-spy.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-actor-spy-private.h"
#include "maiko-event-query-private.h"

/**
 * MaikoActorSpy:
 *
 * What a [class@Maiko.Harness] recorded of one actor: the events it
 * handled (inbound) and the deliveries of the events it sent (outbound).
 * Get one with [method@Maiko.Harness.actor].
 *
 * ```python
 * sink = harness.actor("sink")
 * assert sink.events_received() == 3
 * assert sink.received_from() == ["processor"]
 * ```
 *
 * Its counts are of events: [method@Maiko.ActorSpy.events_sent] counts an
 * event that two actors handled once; the deliveries are the entries of
 * [method@Maiko.ActorSpy.outbound]. A [class@Maiko.TopicSpy] counts both.
 *
 * The counts come from the entries recorded when the spy was made;
 * [method@Maiko.ActorSpy.is_running] and [method@Maiko.ActorSpy.is_stopped]
 * read the actor's state when they are called.
 */

struct _MaikoActorSpy
{
  GObject          parent_instance;

  MaikoActor      *actor;        /* owned, or NULL for an unknown name */
  MaikoEventQuery *inbound;
  MaikoEventQuery *outbound;
};

G_DEFINE_FINAL_TYPE (MaikoActorSpy, maiko_actor_spy, G_TYPE_OBJECT)

static void
maiko_actor_spy_finalize (GObject *object)
{
  MaikoActorSpy *self = MAIKO_ACTOR_SPY (object);

  g_clear_object (&self->actor);
  g_object_unref (self->inbound);
  g_object_unref (self->outbound);

  G_OBJECT_CLASS (maiko_actor_spy_parent_class)->finalize (object);
}

static void
maiko_actor_spy_class_init (MaikoActorSpyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_actor_spy_finalize;
}

static void
maiko_actor_spy_init (MaikoActorSpy *self)
{
}

MaikoActorSpy *
_maiko_actor_spy_new (GPtrArray  *records,
                      const char *name,
                      MaikoActor *actor)
{
  MaikoActorSpy *self = g_object_new (MAIKO_TYPE_ACTOR_SPY, NULL);
  g_autoptr(MaikoEventQuery) all = _maiko_event_query_new (records);

  self->actor = actor != NULL ? g_object_ref (actor) : NULL;
  self->inbound = maiko_event_query_received_by (all, name);
  self->outbound = maiko_event_query_sent_by (all, name);

  return self;
}

/**
 * maiko_actor_spy_inbound:
 * @self: a spy
 *
 * Gives the events the actor handled, as a query to filter further: one
 * entry per event, since an actor receives an event once.
 *
 * Returns: (transfer full): a query of the events the actor handled
 */
MaikoEventQuery *
maiko_actor_spy_inbound (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return g_object_ref (self->inbound);
}

/**
 * maiko_actor_spy_events_received:
 * @self: a spy
 *
 * Counts the events the actor handled. An actor receives an event once, so
 * this is also the number of deliveries to it.
 *
 * Returns: how many events the actor handled
 */
guint
maiko_actor_spy_events_received (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), 0);

  return maiko_event_query_count (self->inbound);
}

/**
 * maiko_actor_spy_last_received:
 * @self: a spy
 *
 * Gets the last event the actor handled.
 *
 * Returns: (transfer none) (nullable): the last event the actor handled,
 *   or %NULL
 */
MaikoEventEntry *
maiko_actor_spy_last_received (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return maiko_event_query_last (self->inbound);
}

/**
 * maiko_actor_spy_received_from:
 * @self: a spy
 *
 * Lists the actors whose events this actor handled.
 *
 * Returns: (transfer full): the names of the senders of the events the
 *   actor handled, each once, in order of first appearance
 */
char **
maiko_actor_spy_received_from (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return maiko_event_query_senders (self->inbound);
}

/**
 * maiko_actor_spy_sender_count:
 * @self: a spy
 *
 * Counts the distinct actors whose events this actor handled.
 *
 * Returns: how many distinct actors sent the events the actor handled
 */
guint
maiko_actor_spy_sender_count (MaikoActorSpy *self)
{
  g_auto(GStrv) senders = NULL;

  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), 0);

  senders = maiko_event_query_senders (self->inbound);
  return g_strv_length (senders);
}

/**
 * maiko_actor_spy_outbound:
 * @self: a spy
 *
 * Gives the deliveries of the events the actor sent, as a query to filter
 * further: one entry per event and receiver, so an event two actors handled
 * is there twice.
 *
 * Returns: (transfer full): a query of the deliveries of the events the
 *   actor sent
 */
MaikoEventQuery *
maiko_actor_spy_outbound (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return g_object_ref (self->outbound);
}

/**
 * maiko_actor_spy_events_sent:
 * @self: a spy
 *
 * Counts the events the actor sent that some receiver handled: an event
 * handled by two receivers counts once.
 *
 * Returns: the number of distinct events
 */
guint
maiko_actor_spy_events_sent (MaikoActorSpy *self)
{
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), 0);

  events = maiko_event_query_collect (self->outbound);
  return events->len;
}

/**
 * maiko_actor_spy_last_sent:
 * @self: a spy
 *
 * Gets the last recorded delivery of an event the actor sent.
 *
 * Returns: (transfer none) (nullable): the last delivery of an event the
 *   actor sent, or %NULL
 */
MaikoEventEntry *
maiko_actor_spy_last_sent (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return maiko_event_query_last (self->outbound);
}

/**
 * maiko_actor_spy_sent_to:
 * @self: a spy
 *
 * Lists the actors that handled the events this actor sent.
 *
 * Returns: (transfer full): the names of the actors that handled events
 *   this actor sent, each once, in order of first appearance
 */
char **
maiko_actor_spy_sent_to (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), NULL);

  return maiko_event_query_receivers (self->outbound);
}

/**
 * maiko_actor_spy_receiver_count:
 * @self: a spy
 *
 * Counts the distinct actors that handled the events this actor sent.
 *
 * Returns: how many distinct actors handled events this actor sent
 */
guint
maiko_actor_spy_receiver_count (MaikoActorSpy *self)
{
  g_auto(GStrv) receivers = NULL;

  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), 0);

  receivers = maiko_event_query_receivers (self->outbound);
  return g_strv_length (receivers);
}

/**
 * maiko_actor_spy_is_running:
 * @self: a spy
 *
 * Tells whether the actor runs now: it has started and not ended. Actors
 * added before the harness are known too.
 *
 * Returns: %TRUE if the actor is running; %FALSE for an unknown name
 */
gboolean
maiko_actor_spy_is_running (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), FALSE);

  return self->actor != NULL && maiko_actor_is_running (self->actor);
}

/**
 * maiko_actor_spy_is_stopped:
 * @self: a spy
 *
 * Tells whether the actor has ended, however it did.
 *
 * Returns: %TRUE if the actor has ended; %FALSE for an unknown name
 */
gboolean
maiko_actor_spy_is_stopped (MaikoActorSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_SPY (self), FALSE);

  return self->actor != NULL && _maiko_actor_has_ended (self->actor);
}
