/* maiko-actor-info-private.h: how the live view fills its items
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor.h"
#include "maiko-actor-info.h"

G_BEGIN_DECLS

MaikoActorInfo *_maiko_actor_info_new             (MaikoActor     *actor);
void            _maiko_actor_info_update          (MaikoActorInfo *self,
                                                   MaikoActor     *actor);

G_END_DECLS
