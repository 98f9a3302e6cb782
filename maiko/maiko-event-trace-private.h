/* maiko-event-trace-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event-chain.h"
#include "maiko-event-trace.h"

G_BEGIN_DECLS

MaikoEventTrace *_maiko_event_trace_new (MaikoEventChain *chain);

G_END_DECLS
