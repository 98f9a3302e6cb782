/* maiko-actor-info.h: what the live view tells of one actor
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-version-macros.h"

G_BEGIN_DECLS

/**
 * MaikoActorState:
 * @MAIKO_ACTOR_STATE_ADDED: added, not started yet: its supervisor has not
 *   started (or was stopped before it could start the actor)
 * @MAIKO_ACTOR_STATE_STARTING: started; its [vfunc@Maiko.Actor.on_start]
 *   has not returned yet
 * @MAIKO_ACTOR_STATE_RUNNING: handling events
 * @MAIKO_ACTOR_STATE_STOPPING: asked to end (the runtime stops, it stopped
 *   itself, it failed, its mailbox overflowed) and not ended yet
 * @MAIKO_ACTOR_STATE_RESTARTING: a fresh instance replaces it: the old one
 *   has ended, or the fresh one has not returned from
 *   [vfunc@Maiko.Actor.on_start] yet
 * @MAIKO_ACTOR_STATE_STOPPED: ended without an error
 * @MAIKO_ACTOR_STATE_FAILED: ended with an error
 *
 * Where an actor is in its life, as [property@Maiko.ActorInfo:state] tells
 * it. The value 0 claims nothing runs: it is also what a zeroed value, or
 * a binding's failed call, reads as.
 */
typedef enum
{
  MAIKO_ACTOR_STATE_ADDED,
  MAIKO_ACTOR_STATE_STARTING,
  MAIKO_ACTOR_STATE_RUNNING,
  MAIKO_ACTOR_STATE_STOPPING,
  MAIKO_ACTOR_STATE_RESTARTING,
  MAIKO_ACTOR_STATE_STOPPED,
  MAIKO_ACTOR_STATE_FAILED,
} MaikoActorState;

#define MAIKO_TYPE_ACTOR_INFO (maiko_actor_info_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoActorInfo, maiko_actor_info, MAIKO, ACTOR_INFO, GObject)

/**
 * MaikoActorInfoClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.ActorInfo].
 */

MAIKO_AVAILABLE_IN_ALL
const char         *maiko_actor_info_get_name             (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
MaikoActorState     maiko_actor_info_get_state            (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_actor_info_get_topics           (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_actor_info_get_mailbox_depth    (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_actor_info_get_mailbox_capacity (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
guint64             maiko_actor_info_get_handled_count    (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_actor_info_get_restart_count    (MaikoActorInfo *self);
MAIKO_AVAILABLE_IN_ALL
const char         *maiko_actor_info_get_placement        (MaikoActorInfo *self);

G_END_DECLS
