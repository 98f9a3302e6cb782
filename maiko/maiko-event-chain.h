/* maiko-event-chain.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-actor-trace.h"
#include "maiko-event-matcher.h"
#include "maiko-event-trace.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_EVENT_CHAIN (maiko_event_chain_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoEventChain, maiko_event_chain, MAIKO, EVENT_CHAIN, GObject)

/**
 * MaikoEventChainClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.EventChain]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
const char      *maiko_event_chain_get_root_id           (MaikoEventChain   *self);
MAIKO_AVAILABLE_IN_ALL
MaikoActorTrace *maiko_event_chain_actors                (MaikoEventChain   *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventTrace *maiko_event_chain_events                (MaikoEventChain   *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_chain_diverges_after        (MaikoEventChain   *self,
                                                          const char        *label);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_event_chain_diverges_after_matching (MaikoEventChain   *self,
                                                            MaikoEventMatcher *matcher);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_event_chain_branches_after        (MaikoEventChain   *self,
                                                          const char        *label);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_event_chain_branches_after_matching (MaikoEventChain   *self,
                                                            MaikoEventMatcher *matcher);
MAIKO_AVAILABLE_IN_ALL
MaikoEventChain *maiko_event_chain_path_to               (MaikoEventChain   *self,
                                                          const char        *actor);
MAIKO_AVAILABLE_IN_ALL
char            *maiko_event_chain_to_string             (MaikoEventChain   *self);
MAIKO_AVAILABLE_IN_ALL
char            *maiko_event_chain_to_mermaid            (MaikoEventChain   *self);

G_END_DECLS
