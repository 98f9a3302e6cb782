/* maiko-context-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-context.h"

G_BEGIN_DECLS

MaikoContext *_maiko_context_new    (MaikoActor   *actor);
void          _maiko_context_detach (MaikoContext *self);
gboolean      _maiko_context_send_envelope (MaikoContext   *self,
                                            MaikoEnvelope  *envelope,
                                            GError        **error);

G_END_DECLS
