/* maiko-topology-private.h: who publishes and subscribes to what, as JSON
 * or as a Mermaid flowchart
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MaikoTopology MaikoTopology;

/* Copies what it needs of @actors (MaikoActor*, added to a supervisor, in
 * the order added) and @policies (topic → MaikoOverflowPolicy), so the
 * result outlives both; call it under the lock that guards them. */
MaikoTopology *_maiko_topology_new        (GPtrArray     *actors,
                                           GHashTable    *policies);
void           _maiko_topology_free       (MaikoTopology *topology);
char          *_maiko_topology_to_json    (MaikoTopology *topology);
char          *_maiko_topology_to_mermaid (MaikoTopology *topology);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoTopology, _maiko_topology_free)

G_END_DECLS
