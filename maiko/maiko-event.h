/* maiko-event.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-version-macros.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_EVENT (maiko_event_get_type ())

typedef struct _MaikoEvent MaikoEvent;

MAIKO_AVAILABLE_IN_ALL
GType       maiko_event_get_type    (void) G_GNUC_CONST;
MAIKO_AVAILABLE_IN_ALL
MaikoEvent *maiko_event_new         (const char *label,
                                     GVariant   *payload);
MAIKO_AVAILABLE_IN_ALL
MaikoEvent *maiko_event_try_new     (const char  *label,
                                     GVariant    *payload,
                                     GError     **error);
MAIKO_AVAILABLE_IN_ALL
MaikoEvent *maiko_event_new_int64   (const char *label,
                                     gint64      value);
MAIKO_AVAILABLE_IN_ALL
MaikoEvent *maiko_event_ref         (MaikoEvent *event);
MAIKO_AVAILABLE_IN_ALL
void        maiko_event_unref       (MaikoEvent *event);
MAIKO_AVAILABLE_IN_ALL
const char *maiko_event_get_label   (MaikoEvent *event);
MAIKO_AVAILABLE_IN_ALL
GVariant   *maiko_event_get_payload (MaikoEvent *event);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_event_get_int64   (MaikoEvent *event,
                                     gint64     *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoEvent, maiko_event_unref)

G_END_DECLS
