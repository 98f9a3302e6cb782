/* maiko-event-entry-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event-entry.h"

G_BEGIN_DECLS

/* @receiver must be an interned string; @error (nullable) is copied. */
MaikoEventEntry *_maiko_event_entry_new (MaikoEnvelope *envelope,
                                         const char    *receiver,
                                         const GError  *error);
/* A GCopyFunc: adds a reference. */
gpointer         _maiko_event_entry_copy (gconstpointer  entry,
                                          gpointer       unused);

G_END_DECLS
