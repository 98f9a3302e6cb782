/* maiko-bridge-private.h: what the bridges share inside the library
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-context.h"
#include "maiko-envelope.h"

G_BEGIN_DECLS

/* Sends @envelope, decoded from a bridge's transport, into the local
 * runtime as @context's actor sends, keeping its id, parent id, sender,
 * topic and timestamp: it is routed on its own topic, not the
 * supervisor's topic function, and the bridge does not receive it back.
 * Fails as maiko_context_send() does. */
gboolean  _maiko_bridge_publish    (MaikoContext   *context,
                                    MaikoEnvelope  *envelope,
                                    GError        **error);

/* A new origin string, unique to one bridge instance: the bridge puts it
 * on what it sends, and knows its own events by it. */
char     *_maiko_bridge_new_origin (void);

G_END_DECLS
