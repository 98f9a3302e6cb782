/* maiko-actor-trace.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-version-macros.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_ACTOR_TRACE (maiko_actor_trace_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoActorTrace, maiko_actor_trace, MAIKO, ACTOR_TRACE, GObject)

/**
 * MaikoActorTraceClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.ActorTrace]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
char     **maiko_actor_trace_all            (MaikoActorTrace    *self);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_actor_trace_contains       (MaikoActorTrace    *self,
                                             const char         *actor);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_actor_trace_visited        (MaikoActorTrace    *self,
                                             const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_actor_trace_exact          (MaikoActorTrace    *self,
                                             const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_actor_trace_segment        (MaikoActorTrace    *self,
                                             const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
gboolean   maiko_actor_trace_passes_through (MaikoActorTrace    *self,
                                             const char * const *actors);
MAIKO_AVAILABLE_IN_ALL
guint      maiko_actor_trace_path_count     (MaikoActorTrace    *self);

G_END_DECLS
