/* maiko-event-spy-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event-spy.h"

G_BEGIN_DECLS

/* @records: every entry recorded, never changed again. */
MaikoEventSpy *_maiko_event_spy_new (GPtrArray  *records,
                                     const char *id);

G_END_DECLS
