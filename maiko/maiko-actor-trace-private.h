/* maiko-actor-trace-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor-trace.h"
#include "maiko-event-chain.h"

G_BEGIN_DECLS

MaikoActorTrace *_maiko_actor_trace_new (MaikoEventChain *chain);

G_END_DECLS
