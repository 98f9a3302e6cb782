/* maiko-event-spy.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-query-private.h"
#include "maiko-event-spy-private.h"

/**
 * MaikoEventSpy:
 *
 * What a [class@Maiko.Harness] recorded of one event: who handled it, who
 * sent it, and what it caused. Get one with [method@Maiko.Harness.event],
 * typically for the id that [method@Maiko.Harness.send_as] returned:
 *
 * ```python
 * id = harness.send_as("producer", Maiko.Event.new("Data", None))
 * harness.settle()
 * assert harness.event(id).was_delivered_to("consumer")
 * ```
 *
 * A spy answers from the entries recorded when it was made.
 */

struct _MaikoEventSpy
{
  GObject          parent_instance;

  char            *id;
  /* Every entry recorded, to find the event's children. */
  GPtrArray       *records;
  /* The event's deliveries. */
  MaikoEventQuery *deliveries;
};

G_DEFINE_FINAL_TYPE (MaikoEventSpy, maiko_event_spy, G_TYPE_OBJECT)

static void
maiko_event_spy_finalize (GObject *object)
{
  MaikoEventSpy *self = MAIKO_EVENT_SPY (object);

  g_free (self->id);
  g_ptr_array_unref (self->records);
  g_object_unref (self->deliveries);

  G_OBJECT_CLASS (maiko_event_spy_parent_class)->finalize (object);
}

static void
maiko_event_spy_class_init (MaikoEventSpyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_event_spy_finalize;
}

static void
maiko_event_spy_init (MaikoEventSpy *self)
{
}

MaikoEventSpy *
_maiko_event_spy_new (GPtrArray  *records,
                      const char *id)
{
  MaikoEventSpy *self = g_object_new (MAIKO_TYPE_EVENT_SPY, NULL);
  g_autoptr(MaikoEventQuery) all = _maiko_event_query_new (records);

  self->id = g_strdup (id);
  self->records = g_ptr_array_ref (records);
  self->deliveries = maiko_event_query_with_id (all, id);

  return self;
}

/**
 * maiko_event_spy_was_delivered:
 * @self: a spy
 *
 * Tells whether the event reached a receiver that handled it.
 *
 * Returns: %TRUE if some receiver handled the event
 */
gboolean
maiko_event_spy_was_delivered (MaikoEventSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), FALSE);

  return maiko_event_query_exists (self->deliveries);
}

/**
 * maiko_event_spy_was_delivered_to:
 * @self: a spy
 * @actor: an actor name
 *
 * Tells whether @actor handled the event.
 *
 * Returns: %TRUE if @actor handled the event
 */
gboolean
maiko_event_spy_was_delivered_to (MaikoEventSpy *self,
                                  const char    *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return maiko_event_query_has_receiver (self->deliveries, actor);
}

/**
 * maiko_event_spy_not_delivered_to:
 * @self: a spy
 * @actor: an actor name
 *
 * Tells whether @actor did not handle the event: the opposite of
 * [method@Maiko.EventSpy.was_delivered_to], for an assertion that reads as
 * it means.
 *
 * Returns: %TRUE if @actor did not handle the event
 */
gboolean
maiko_event_spy_not_delivered_to (MaikoEventSpy *self,
                                  const char    *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return !maiko_event_query_has_receiver (self->deliveries, actor);
}

static guint
count_delivered (MaikoEventSpy      *self,
                 const char * const *actors)
{
  guint n = 0;

  for (guint i = 0; actors[i] != NULL; i++)
    if (maiko_event_query_has_receiver (self->deliveries, actors[i]))
      n++;

  return n;
}

/**
 * maiko_event_spy_was_delivered_to_all:
 * @self: a spy
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells whether every actor of @actors handled the event.
 *
 * Returns: %TRUE if every actor of @actors handled the event (so %TRUE
 *   when @actors is empty)
 */
gboolean
maiko_event_spy_was_delivered_to_all (MaikoEventSpy      *self,
                                      const char * const *actors)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), FALSE);
  g_return_val_if_fail (actors != NULL, FALSE);

  return count_delivered (self, actors) == g_strv_length ((char **) actors);
}

/**
 * maiko_event_spy_delivery_ratio:
 * @self: a spy
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells what share of @actors handled the event.
 *
 * Returns: between 0.0 (none did) and 1.0 (all did; also when @actors is
 *   empty)
 */
gdouble
maiko_event_spy_delivery_ratio (MaikoEventSpy      *self,
                                const char * const *actors)
{
  guint n;

  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), 0.0);
  g_return_val_if_fail (actors != NULL, 0.0);

  n = g_strv_length ((char **) actors);
  if (n == 0)
    return 1.0;
  return (gdouble) count_delivered (self, actors) / n;
}

/**
 * maiko_event_spy_sender:
 * @self: a spy
 *
 * Gets the name of the actor that sent the event.
 *
 * Returns: (nullable): the name of the actor that sent the event, or
 *   %NULL if nobody handled it (the harness then never saw it)
 */
const char *
maiko_event_spy_sender (MaikoEventSpy *self)
{
  MaikoEventEntry *first;

  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), NULL);

  first = maiko_event_query_first (self->deliveries);
  return first != NULL ? maiko_event_entry_get_sender (first) : NULL;
}

/**
 * maiko_event_spy_receivers:
 * @self: a spy
 *
 * Lists the actors that handled the event.
 *
 * Returns: (transfer full): the names of the actors that handled the
 *   event, in the order recorded
 */
char **
maiko_event_spy_receivers (MaikoEventSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), NULL);

  return maiko_event_query_receivers (self->deliveries);
}

/**
 * maiko_event_spy_receiver_count:
 * @self: a spy
 *
 * Counts the distinct actors that handled the event.
 *
 * Returns: how many distinct actors handled the event
 */
guint
maiko_event_spy_receiver_count (MaikoEventSpy *self)
{
  g_auto(GStrv) receivers = NULL;

  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), 0);

  receivers = maiko_event_query_receivers (self->deliveries);
  return g_strv_length (receivers);
}

/**
 * maiko_event_spy_children:
 * @self: a spy
 *
 * Selects the deliveries of the events sent in answer to this one (with
 * [method@Maiko.Context.send_child_event]).
 *
 * Returns: (transfer full): a query of the children's deliveries
 */
MaikoEventQuery *
maiko_event_spy_children (MaikoEventSpy *self)
{
  g_autoptr(MaikoEventQuery) all = NULL;

  g_return_val_if_fail (MAIKO_IS_EVENT_SPY (self), NULL);

  all = _maiko_event_query_new (self->records);
  return maiko_event_query_children_of (all, self->id);
}
