/* maiko-event-query.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-event-entry.h"
#include "maiko-event-matcher.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_EVENT_QUERY (maiko_event_query_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoEventQuery, maiko_event_query, MAIKO, EVENT_QUERY, GObject)

/**
 * MaikoEventQueryClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.EventQuery]. The type is final.
 */

/* Filters: each gives a new query. */
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_sent_by            (MaikoEventQuery     *self,
                                                        const char          *actor);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_received_by        (MaikoEventQuery     *self,
                                                        const char          *actor);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_with_topic         (MaikoEventQuery     *self,
                                                        const char          *topic);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_with_id            (MaikoEventQuery     *self,
                                                        const char          *id);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_children_of        (MaikoEventQuery     *self,
                                                        const char          *parent_id);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_with_label         (MaikoEventQuery     *self,
                                                        const char          *label);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_matching_event     (MaikoEventQuery     *self,
                                                        MaikoEventPredicate  predicate,
                                                        gpointer             user_data);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_matching           (MaikoEventQuery     *self,
                                                        MaikoEntryPredicate  predicate,
                                                        gpointer             user_data);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_after              (MaikoEventQuery     *self,
                                                        MaikoEventEntry     *entry);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery  *maiko_event_query_before             (MaikoEventQuery     *self,
                                                        MaikoEventEntry     *entry);

/* Terminal operations. */
MAIKO_AVAILABLE_IN_ALL
guint             maiko_event_query_count              (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_is_empty           (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_exists             (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry  *maiko_event_query_first              (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry  *maiko_event_query_last               (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry  *maiko_event_query_nth                (MaikoEventQuery     *self,
                                                        guint                n);
MAIKO_AVAILABLE_IN_ALL
GPtrArray        *maiko_event_query_collect            (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
GPtrArray        *maiko_event_query_all_deliveries     (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
char            **maiko_event_query_senders            (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
char            **maiko_event_query_receivers          (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
GHashTable       *maiko_event_query_count_by_label     (MaikoEventQuery     *self);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_all                (MaikoEventQuery     *self,
                                                        MaikoEntryPredicate  predicate,
                                                        gpointer             user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_any                (MaikoEventQuery     *self,
                                                        MaikoEntryPredicate  predicate,
                                                        gpointer             user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_has_event          (MaikoEventQuery     *self,
                                                        const char          *label);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_has_event_matching (MaikoEventQuery     *self,
                                                        MaikoEventMatcher   *matcher);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_has_sender         (MaikoEventQuery     *self,
                                                        const char          *actor);
MAIKO_AVAILABLE_IN_ALL
gboolean          maiko_event_query_has_receiver       (MaikoEventQuery     *self,
                                                        const char          *actor);

G_END_DECLS
