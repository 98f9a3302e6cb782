/* maiko-bridge-private.h: what the bridges share inside the library
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor.h"
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

/* The origin of a decoded envelope (the bridge that sent it), or %NULL
 * for one made in this process. A bridge exports only envelopes without
 * an origin: an event crosses one bridge, and never comes back to where it
 * came from (see docs/bridges.md, "Loop prevention"). */
const char *_maiko_bridge_get_origin (MaikoEnvelope *envelope);

/* Reports @error, a failure that does not stop @bridge (a malformed
 * message, a transport error), to the monitors' error signal, as
 * @bridge's. Callable from the bridge's context, outside its callbacks
 * too. */
void        _maiko_bridge_report_error (MaikoActor   *bridge,
                                        const GError *error);

/* The origins of the bridges of each runtime: a bridge registers its
 * origin, with its supervisor as @runtime (compared, not referenced), once
 * started, and unregisters it when it ends. A signal whose origin is that
 * of a bridge of the same runtime carries an event made here, which the
 * transport handed back (to the bridge that sent it, or to another
 * bridge of the runtime on the same bus): it is dropped. */
void        _maiko_bridge_register_origin   (gconstpointer  runtime,
                                             const char    *origin);
void        _maiko_bridge_unregister_origin (const char    *origin);
gboolean    _maiko_bridge_origin_is_local   (gconstpointer  runtime,
                                             const char    *origin);

/* A new origin string, unique to one bridge instance: the bridge puts it
 * on what it sends, and knows its own events by it. */
char     *_maiko_bridge_new_origin (void);

G_END_DECLS
