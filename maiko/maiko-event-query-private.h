/* maiko-event-query-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event-query.h"

G_BEGIN_DECLS

/* @entries (MaikoEventEntry*, in the order recorded) is never changed
 * again: queries share it. */
typedef const char *(*MaikoEntryField) (MaikoEventEntry *entry);

MaikoEventQuery *_maiko_event_query_new         (GPtrArray       *entries);
GPtrArray       *_maiko_event_query_get_entries (MaikoEventQuery *self);
char           **_maiko_entries_distinct        (GPtrArray       *entries,
                                                 MaikoEntryField  field);

G_END_DECLS
