/* maiko-event-spy.h
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

#define MAIKO_TYPE_EVENT_SPY (maiko_event_spy_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoEventSpy, maiko_event_spy, MAIKO, EVENT_SPY, GObject)

/**
 * MaikoEventSpyClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.EventSpy]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_spy_was_delivered        (MaikoEventSpy      *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_spy_was_delivered_to     (MaikoEventSpy      *self,
                                                       const char         *actor);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_spy_not_delivered_to     (MaikoEventSpy      *self,
                                                       const char         *actor);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_spy_was_delivered_to_all (MaikoEventSpy      *self,
                                                       const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
gdouble          maiko_event_spy_delivery_ratio       (MaikoEventSpy      *self,
                                                       const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_spy_sender               (MaikoEventSpy      *self);
MAIKO_AVAILABLE_IN_ALL
char           **maiko_event_spy_receivers            (MaikoEventSpy      *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_event_spy_receiver_count       (MaikoEventSpy      *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery *maiko_event_spy_children             (MaikoEventSpy      *self);

G_END_DECLS
