/* maiko-event-matcher.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-event.h"
#include "maiko-event-entry.h"

G_BEGIN_DECLS

/**
 * MaikoEventPredicate:
 * @event: an event
 * @user_data: the data given with the function
 *
 * Tells whether @event is one of those looked for.
 *
 * Returns: %TRUE if @event matches
 */
typedef gboolean (*MaikoEventPredicate) (MaikoEvent *event,
                                         gpointer    user_data);

#define MAIKO_TYPE_EVENT_MATCHER (maiko_event_matcher_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoEventMatcher, maiko_event_matcher, MAIKO, EVENT_MATCHER, GObject)

/**
 * MaikoEventMatcherClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.EventMatcher]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoEventMatcher *maiko_event_matcher_by_label (const char          *label);
MAIKO_AVAILABLE_IN_ALL
MaikoEventMatcher *maiko_event_matcher_by_id    (const char          *id);
MAIKO_AVAILABLE_IN_ALL
MaikoEventMatcher *maiko_event_matcher_by_event (MaikoEventPredicate  predicate,
                                                 gpointer             user_data,
                                                 GDestroyNotify       destroy);
MAIKO_AVAILABLE_IN_ALL
MaikoEventMatcher *maiko_event_matcher_by_entry (MaikoEntryPredicate  predicate,
                                                 gpointer             user_data,
                                                 GDestroyNotify       destroy);
MAIKO_AVAILABLE_IN_ALL
gboolean           maiko_event_matcher_matches  (MaikoEventMatcher   *self,
                                                 MaikoEventEntry     *entry);

G_END_DECLS
