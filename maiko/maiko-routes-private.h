/* maiko-routes-private.h: an immutable snapshot of who receives which topic
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor.h"
#include "maiko-supervisor.h"

G_BEGIN_DECLS

typedef struct
{
  MaikoOverflowPolicy  policy;
  /* MaikoActor*, borrowed from the snapshot, which holds them. */
  GPtrArray           *receivers;
  /* guint, parallel to receivers: each one's slot, below
   * _maiko_routes_get_n_slots(), for tables indexed by receiver. */
  GArray              *slots;
} MaikoRoute;

typedef struct _MaikoRoutes MaikoRoutes;
typedef struct _MaikoRoutesRegistry MaikoRoutesRegistry;

/* MAIKO_DEFAULT_TOPIC at one address: the default route is found by
 * comparing pointers. */
extern const char _maiko_default_topic[];

MaikoRoutesRegistry *_maiko_routes_registry_new   (void);
void              _maiko_routes_registry_close (MaikoRoutesRegistry *registry);

MaikoRoutes      *_maiko_routes_new    (MaikoRoutesRegistry *registry,
                                        GPtrArray   *actors,
                                        GHashTable  *policies,
                                        GPtrArray   *monitors);
MaikoRoutes      *_maiko_routes_ref    (MaikoRoutes *routes);
void              _maiko_routes_unref  (MaikoRoutes *routes);
const MaikoRoute *_maiko_routes_lookup (MaikoRoutes *routes,
                                        const char  *topic);
GPtrArray        *_maiko_routes_get_monitors (MaikoRoutes *routes);
guint             _maiko_routes_get_n_slots  (MaikoRoutes *routes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoRoutes, _maiko_routes_unref)

G_END_DECLS
