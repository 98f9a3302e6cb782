/* maiko-actor-spy-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor.h"
#include "maiko-actor-spy.h"

G_BEGIN_DECLS

/* @records: every entry recorded, never changed again; @actor: the actor
 * named @name, or %NULL if the supervisor has none. */
MaikoActorSpy *_maiko_actor_spy_new (GPtrArray  *records,
                                     const char *name,
                                     MaikoActor *actor);

G_END_DECLS
