/* maiko-actor-spy.h
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

#define MAIKO_TYPE_ACTOR_SPY (maiko_actor_spy_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoActorSpy, maiko_actor_spy, MAIKO, ACTOR_SPY, GObject)

/**
 * MaikoActorSpyClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.ActorSpy]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery *maiko_actor_spy_inbound         (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_actor_spy_events_received (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry *maiko_actor_spy_last_received   (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
char           **maiko_actor_spy_received_from   (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_actor_spy_sender_count    (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery *maiko_actor_spy_outbound        (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_actor_spy_events_sent     (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry *maiko_actor_spy_last_sent       (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
char           **maiko_actor_spy_sent_to         (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_actor_spy_receiver_count  (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_actor_spy_is_running      (MaikoActorSpy *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_actor_spy_is_stopped      (MaikoActorSpy *self);

G_END_DECLS
