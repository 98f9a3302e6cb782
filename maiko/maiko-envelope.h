/* maiko-envelope.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-event.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_ENVELOPE (maiko_envelope_get_type ())

typedef struct _MaikoEnvelope MaikoEnvelope;

MAIKO_AVAILABLE_IN_ALL
GType          maiko_envelope_get_type         (void) G_GNUC_CONST;
MAIKO_AVAILABLE_IN_ALL
MaikoEnvelope *maiko_envelope_ref              (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
void           maiko_envelope_unref            (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
MaikoEvent    *maiko_envelope_get_event        (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
const char    *maiko_envelope_get_id           (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
const char    *maiko_envelope_get_sender       (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
const char    *maiko_envelope_get_parent_id    (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
const char    *maiko_envelope_get_topic        (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
gint64         maiko_envelope_get_timestamp    (MaikoEnvelope *envelope);
MAIKO_AVAILABLE_IN_ALL
gint64         maiko_envelope_get_timestamp_ns (MaikoEnvelope *envelope);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoEnvelope, maiko_envelope_unref)

G_END_DECLS
