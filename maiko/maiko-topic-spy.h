/* maiko-topic-spy.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-event-query.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_TOPIC_SPY (maiko_topic_spy_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoTopicSpy, maiko_topic_spy, MAIKO, TOPIC_SPY, GObject)

/**
 * MaikoTopicSpyClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.TopicSpy]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_topic_spy_was_published    (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_topic_spy_events_published (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_topic_spy_delivery_count   (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL G_DEPRECATED_FOR (maiko_topic_spy_delivery_count)
guint            maiko_topic_spy_event_count      (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL
char           **maiko_topic_spy_receivers        (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_topic_spy_receiver_count   (MaikoTopicSpy *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery *maiko_topic_spy_events           (MaikoTopicSpy *self);

G_END_DECLS
