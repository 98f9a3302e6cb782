/* maiko-event-trace.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-event-matcher.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_EVENT_TRACE (maiko_event_trace_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoEventTrace, maiko_event_trace, MAIKO, EVENT_TRACE, GObject)

/**
 * MaikoEventTraceClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.EventTrace]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
GPtrArray *maiko_event_trace_all                     (MaikoEventTrace    *self);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_contains                (MaikoEventTrace    *self,
                                                      const char         *label);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_contains_matching       (MaikoEventTrace    *self,
                                                      MaikoEventMatcher  *matcher);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_exact                   (MaikoEventTrace    *self,
                                                      const char * const *labels);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_exact_matching          (MaikoEventTrace    *self,
                                                      MaikoEventMatcher **matchers,
                                                      guint               n_matchers);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_segment                 (MaikoEventTrace    *self,
                                                      const char * const *labels);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_segment_matching        (MaikoEventTrace    *self,
                                                      MaikoEventMatcher **matchers,
                                                      guint               n_matchers);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_passes_through          (MaikoEventTrace    *self,
                                                      const char * const *labels);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_event_trace_passes_through_matching (MaikoEventTrace    *self,
                                                      MaikoEventMatcher **matchers,
                                                      guint               n_matchers);
MAIKO_AVAILABLE_IN_ALL
guint      maiko_event_trace_path_count              (MaikoEventTrace    *self);

G_END_DECLS
