/* maiko-routes.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-routes-private.h"

/*
 * Routing reads far more often than it changes, so the table is rebuilt
 * whole when an actor, a policy or a monitor is added and published as a
 * new immutable snapshot. Senders keep a reference to the snapshot they
 * use; nothing on the send path takes a lock to read it. A snapshot is
 * freed once no thread holds it: memory follows the live configuration,
 * however often it changes.
 */
const char _maiko_default_topic[] = MAIKO_DEFAULT_TOPIC;

/* The snapshots of one supervisor that are still alive: its current one,
 * and those that threads keep cached until they next send. Each snapshot
 * holds a reference to the registry, so it outlives the supervisor. */
struct _MaikoRoutesRegistry
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GPtrArray       *live;                /* MaikoRoutes*, borrowed */
};

struct _MaikoRoutes
{
  gatomicrefcount  ref_count;
  MaikoRoutesRegistry *registry;        /* owned */
  /* MaikoActor*, owned: the receivers below borrow from it, so an actor
   * removed from the supervisor lives as long as a snapshot that routes
   * to it. */
  GPtrArray       *actors;
  /* topic → MaikoRoute*, for every topic someone subscribed to or gave a
   * policy; each route includes the wildcard subscribers. */
  GHashTable      *topics;
  /* For any other topic: the wildcard subscribers, policy FAIL. */
  MaikoRoute       fallback;
  /* The route of MAIKO_DEFAULT_TOPIC, looked up once. */
  const MaikoRoute *default_route;
  /* MaikoMonitor*, owned: the monitors the hooks record for. */
  GPtrArray       *monitors;
  /* Each actor's slot is its position in the supervisor's list. */
  guint            n_slots;
};

static void
route_init (MaikoRoute *route)
{
  route->policy = MAIKO_OVERFLOW_POLICY_FAIL;
  route->receivers = g_ptr_array_new ();
  route->slots = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
route_clear (MaikoRoute *route)
{
  g_ptr_array_unref (route->receivers);
  g_array_unref (route->slots);
}

static void
route_free (MaikoRoute *route)
{
  route_clear (route);
  g_free (route);
}

static void
route_add (MaikoRoute *route,
           MaikoActor *actor,
           guint       slot)
{
  g_ptr_array_add (route->receivers, actor);
  g_array_append_val (route->slots, slot);
}

static MaikoRoute *
ensure_route (MaikoRoutes *routes,
              const char  *topic)
{
  MaikoRoute *route = g_hash_table_lookup (routes->topics, topic);

  if (route == NULL)
    {
      route = g_new0 (MaikoRoute, 1);
      route_init (route);
      g_hash_table_insert (routes->topics, g_strdup (topic), route);
    }

  return route;
}

MaikoRoutesRegistry *
_maiko_routes_registry_new (void)
{
  MaikoRoutesRegistry *registry = g_new0 (MaikoRoutesRegistry, 1);

  g_atomic_ref_count_init (&registry->ref_count);
  g_mutex_init (&registry->mutex);
  registry->live = g_ptr_array_new ();

  return registry;
}

static void
registry_unref (MaikoRoutesRegistry *registry)
{
  if (!g_atomic_ref_count_dec (&registry->ref_count))
    return;

  g_assert (registry->live->len == 0);
  g_ptr_array_unref (registry->live);
  g_mutex_clear (&registry->mutex);
  g_free (registry);
}

/* Lets the monitors and actors of every live snapshot go, once nothing can
 * deliver through them any more (their supervisor is finalised): a
 * snapshot cached by a thread that never sends again must not keep a
 * monitor, with all its records, alive. Then drops the supervisor's
 * reference. */
void
_maiko_routes_registry_close (MaikoRoutesRegistry *registry)
{
  g_mutex_lock (&registry->mutex);
  for (guint i = 0; i < registry->live->len; i++)
    {
      MaikoRoutes *routes = g_ptr_array_index (registry->live, i);

      g_ptr_array_set_size (routes->monitors, 0);
      g_ptr_array_set_size (routes->actors, 0);
    }
  g_mutex_unlock (&registry->mutex);

  registry_unref (registry);
}

MaikoRoutes *
_maiko_routes_new (MaikoRoutesRegistry *registry,
                   GPtrArray           *actors,
                   GHashTable          *policies,
                   GPtrArray           *monitors)
{
  MaikoRoutes *routes = g_new0 (MaikoRoutes, 1);
  GHashTableIter iter;
  gpointer key, value;

  g_atomic_ref_count_init (&routes->ref_count);
  g_atomic_ref_count_inc (&registry->ref_count);
  routes->registry = registry;
  routes->actors = g_ptr_array_copy (actors, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (routes->actors, g_object_unref);
  routes->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) route_free);
  route_init (&routes->fallback);
  routes->n_slots = actors->len;
  routes->monitors = g_ptr_array_new_full (monitors->len, g_object_unref);
  for (guint i = 0; i < monitors->len; i++)
    g_ptr_array_add (routes->monitors, g_object_ref (g_ptr_array_index (monitors, i)));

  g_hash_table_iter_init (&iter, policies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    ensure_route (routes, key)->policy = GPOINTER_TO_INT (value);

  for (guint i = 0; i < actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (actors, i);
      const char * const *topics = _maiko_actor_get_topics (actor);

      if (_maiko_actor_subscribes_all (actor))
        continue;
      for (guint j = 0; topics != NULL && topics[j] != NULL; j++)
        route_add (ensure_route (routes, topics[j]), actor, i);
    }

  /* Wildcard subscribers receive every topic, in the order they were added. */
  for (guint i = 0; i < actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (actors, i);

      if (!_maiko_actor_subscribes_all (actor))
        continue;
      route_add (&routes->fallback, actor, i);
      g_hash_table_iter_init (&iter, routes->topics);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        route_add (value, actor, i);
    }

  routes->default_route = g_hash_table_lookup (routes->topics, MAIKO_DEFAULT_TOPIC);
  if (routes->default_route == NULL)
    routes->default_route = &routes->fallback;

  g_mutex_lock (&registry->mutex);
  g_ptr_array_add (registry->live, routes);
  g_mutex_unlock (&registry->mutex);

  return routes;
}

MaikoRoutes *
_maiko_routes_ref (MaikoRoutes *routes)
{
  g_atomic_ref_count_inc (&routes->ref_count);
  return routes;
}

void
_maiko_routes_unref (MaikoRoutes *routes)
{
  MaikoRoutesRegistry *registry = routes->registry;

  if (!g_atomic_ref_count_dec (&routes->ref_count))
    return;

  g_mutex_lock (&registry->mutex);
  g_ptr_array_remove_fast (registry->live, routes);
  g_mutex_unlock (&registry->mutex);
  registry_unref (registry);

  g_hash_table_unref (routes->topics);
  route_clear (&routes->fallback);
  g_ptr_array_unref (routes->monitors);
  g_ptr_array_unref (routes->actors);
  g_free (routes);
}

const MaikoRoute *
_maiko_routes_lookup (MaikoRoutes *routes,
                      const char  *topic)
{
  const MaikoRoute *route;

  if (topic == _maiko_default_topic)
    return routes->default_route;

  route = g_hash_table_lookup (routes->topics, topic);
  return route != NULL ? route : &routes->fallback;
}

GPtrArray *
_maiko_routes_get_monitors (MaikoRoutes *routes)
{
  return routes->monitors;
}

guint
_maiko_routes_get_n_slots (MaikoRoutes *routes)
{
  return routes->n_slots;
}
