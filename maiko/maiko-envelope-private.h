/* maiko-envelope-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-envelope.h"

G_BEGIN_DECLS

/* @sender must be an interned string; @topic is copied unless
 * @topic_is_static says it outlives the envelope (a constant, or the label
 * of @event, which the envelope keeps alive). */
MaikoEnvelope *_maiko_envelope_new (MaikoEvent *event,
                                    const char *sender,
                                    const char *parent_id,
                                    const char *topic,
                                    gboolean    topic_is_static);

G_END_DECLS
