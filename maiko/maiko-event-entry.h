/* maiko-event-entry.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-envelope.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_EVENT_ENTRY (maiko_event_entry_get_type ())

typedef struct _MaikoEventEntry MaikoEventEntry;

/**
 * MaikoEntryPredicate:
 * @entry: a recorded delivery
 * @user_data: the data given with the function
 *
 * Tells whether @entry is one of those looked for.
 *
 * Returns: %TRUE if @entry matches
 */
typedef gboolean (*MaikoEntryPredicate) (MaikoEventEntry *entry,
                                         gpointer         user_data);

MAIKO_AVAILABLE_IN_ALL
GType            maiko_event_entry_get_type         (void) G_GNUC_CONST;
MAIKO_AVAILABLE_IN_ALL
MaikoEventEntry *maiko_event_entry_ref              (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
void             maiko_event_entry_unref            (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
MaikoEnvelope   *maiko_event_entry_get_envelope     (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
MaikoEvent      *maiko_event_entry_get_event        (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_id           (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_label        (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_sender       (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_receiver     (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const GError    *maiko_event_entry_get_error        (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_topic        (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_entry_get_parent_id    (MaikoEventEntry *entry);
MAIKO_AVAILABLE_IN_ALL
gint64           maiko_event_entry_get_timestamp_ns (MaikoEventEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoEventEntry, maiko_event_entry_unref)

G_END_DECLS
