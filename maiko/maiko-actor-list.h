/* maiko-actor-list.h: the live view of a supervisor's actors
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <gio/gio.h>

#include "maiko-actor-info.h"
#include "maiko-supervisor.h"

G_BEGIN_DECLS

/**
 * MAIKO_ACTOR_LIST_DEFAULT_REFRESH_INTERVAL:
 *
 * The default of [property@Maiko.ActorList:refresh-interval], in
 * milliseconds.
 */
#define MAIKO_ACTOR_LIST_DEFAULT_REFRESH_INTERVAL 250

/**
 * MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL:
 *
 * The smallest [property@Maiko.ActorList:refresh-interval], in
 * milliseconds.
 */
#define MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL 10

#define MAIKO_TYPE_ACTOR_LIST (maiko_actor_list_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoActorList, maiko_actor_list, MAIKO, ACTOR_LIST, GObject)

/**
 * MaikoActorListClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.ActorList].
 */

MAIKO_AVAILABLE_IN_ALL
GListModel *maiko_supervisor_get_actors               (MaikoSupervisor *self);

MAIKO_AVAILABLE_IN_ALL
guint       maiko_actor_list_get_refresh_interval     (MaikoActorList  *self);
MAIKO_AVAILABLE_IN_ALL
void        maiko_actor_list_set_refresh_interval     (MaikoActorList  *self,
                                                       guint            milliseconds);
MAIKO_AVAILABLE_IN_ALL
void        maiko_actor_list_refresh                  (MaikoActorList  *self);

G_END_DECLS
