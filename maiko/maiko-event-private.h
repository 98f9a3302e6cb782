/* maiko-event-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event.h"
#include "maiko-envelope.h"

G_BEGIN_DECLS

MaikoEnvelope *_maiko_event_claim_envelope (MaikoEvent *event);

G_END_DECLS
