/* maiko-topic-spy.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-query-private.h"
#include "maiko-topic-spy-private.h"

/**
 * MaikoTopicSpy:
 *
 * What a [class@Maiko.Harness] recorded of one topic: the deliveries of
 * the events routed on it. Get one with [method@Maiko.Harness.topic].
 *
 * ```python
 * assert harness.topic("orders").was_published()
 * ```
 *
 * It counts two things: [method@Maiko.TopicSpy.events_published] counts
 * each event once, [method@Maiko.TopicSpy.delivery_count] counts each
 * event once per receiver that handled it. The counts of a
 * [class@Maiko.ActorSpy] are of events.
 */

struct _MaikoTopicSpy
{
  GObject          parent_instance;

  MaikoEventQuery *deliveries;
};

G_DEFINE_FINAL_TYPE (MaikoTopicSpy, maiko_topic_spy, G_TYPE_OBJECT)

static void
maiko_topic_spy_finalize (GObject *object)
{
  MaikoTopicSpy *self = MAIKO_TOPIC_SPY (object);

  g_object_unref (self->deliveries);

  G_OBJECT_CLASS (maiko_topic_spy_parent_class)->finalize (object);
}

static void
maiko_topic_spy_class_init (MaikoTopicSpyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_topic_spy_finalize;
}

static void
maiko_topic_spy_init (MaikoTopicSpy *self)
{
}

MaikoTopicSpy *
_maiko_topic_spy_new (GPtrArray  *records,
                      const char *topic)
{
  MaikoTopicSpy *self = g_object_new (MAIKO_TYPE_TOPIC_SPY, NULL);
  g_autoptr(MaikoEventQuery) all = _maiko_event_query_new (records);

  self->deliveries = maiko_event_query_with_topic (all, topic);
  return self;
}

/**
 * maiko_topic_spy_was_published:
 * @self: a spy
 *
 * Tells whether an event of the topic reached a receiver that handled it.
 *
 * Returns: %TRUE if some receiver handled an event of the topic
 */
gboolean
maiko_topic_spy_was_published (MaikoTopicSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), FALSE);

  return maiko_event_query_exists (self->deliveries);
}

/**
 * maiko_topic_spy_events_published:
 * @self: a spy
 *
 * Counts the events of the topic that some receiver handled: an event
 * handled by two receivers counts once, as in
 * [method@Maiko.ActorSpy.events_sent]. Compare
 * [method@Maiko.TopicSpy.delivery_count].
 *
 * Returns: the number of distinct events
 */
guint
maiko_topic_spy_events_published (MaikoTopicSpy *self)
{
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), 0);

  events = maiko_event_query_collect (self->deliveries);
  return events->len;
}

/**
 * maiko_topic_spy_delivery_count:
 * @self: a spy
 *
 * Counts the deliveries on the topic: an event handled by two receivers
 * counts twice. Compare [method@Maiko.TopicSpy.events_published].
 *
 * Returns: the number of deliveries
 */
guint
maiko_topic_spy_delivery_count (MaikoTopicSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), 0);

  return maiko_event_query_count (self->deliveries);
}

/**
 * maiko_topic_spy_event_count:
 * @self: a spy
 *
 * Counts the deliveries on the topic, as
 * [method@Maiko.TopicSpy.delivery_count] does: an event handled by two
 * receivers counts twice, whatever the name says.
 *
 * Returns: the number of deliveries
 *
 * Deprecated: 0.1: Use [method@Maiko.TopicSpy.delivery_count], or
 *   [method@Maiko.TopicSpy.events_published] to count each event once.
 */
guint
maiko_topic_spy_event_count (MaikoTopicSpy *self)
{
  return maiko_topic_spy_delivery_count (self);
}

/**
 * maiko_topic_spy_receivers:
 * @self: a spy
 *
 * Lists the actors that handled events of the topic.
 *
 * Returns: (transfer full): the names of the actors that handled events of
 *   the topic, each once, in order of first appearance
 */
char **
maiko_topic_spy_receivers (MaikoTopicSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), NULL);

  return maiko_event_query_receivers (self->deliveries);
}

/**
 * maiko_topic_spy_receiver_count:
 * @self: a spy
 *
 * Counts the distinct actors that handled events of the topic.
 *
 * Returns: how many distinct actors handled events of the topic
 */
guint
maiko_topic_spy_receiver_count (MaikoTopicSpy *self)
{
  g_auto(GStrv) receivers = NULL;

  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), 0);

  receivers = maiko_event_query_receivers (self->deliveries);
  return g_strv_length (receivers);
}

/**
 * maiko_topic_spy_events:
 * @self: a spy
 *
 * Gives the topic's deliveries, as a query to filter further: one entry per
 * event and receiver.
 *
 * Returns: (transfer full): a query of the topic's deliveries, to filter
 *   further
 */
MaikoEventQuery *
maiko_topic_spy_events (MaikoTopicSpy *self)
{
  g_return_val_if_fail (MAIKO_IS_TOPIC_SPY (self), NULL);

  return g_object_ref (self->deliveries);
}
