/* maiko-bridge.c: what the bridges share inside the library
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-bridge-private.h"
#include "maiko-actor-private.h"
#include "maiko-context-private.h"
#include "maiko-envelope-private.h"
#include "maiko-supervisor-private.h"

gboolean
_maiko_bridge_publish (MaikoContext   *context,
                       MaikoEnvelope  *envelope,
                       GError        **error)
{
  g_return_val_if_fail (MAIKO_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (envelope != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _maiko_context_send_envelope (context, envelope, error);
}

char *
_maiko_bridge_new_origin (void)
{
  /* Random, not the pid or the bus name: unique across machines, across
   * restarts, and between two bridges of one process. */
  return g_uuid_string_random ();
}

const char *
_maiko_bridge_get_origin (MaikoEnvelope *envelope)
{
  return envelope->origin;
}

void
_maiko_bridge_report_error (MaikoActor   *bridge,
                            const GError *error)
{
  g_autoptr(MaikoSupervisor) supervisor = _maiko_actor_dup_supervisor (bridge);

  g_debug ("Bridge “%s”: %s", maiko_actor_get_name (bridge), error->message);
  if (supervisor != NULL)
    _maiko_supervisor_record (supervisor, MAIKO_RECORD_HOOK_ERROR, NULL,
                              maiko_actor_get_name (bridge), error);
}

/* Origin → runtime, for every started bridge of the process. Bridges
 * start and end rarely, and look up once per message received. */
static GHashTable *origins;
G_LOCK_DEFINE_STATIC (origins);

void
_maiko_bridge_register_origin (gconstpointer  runtime,
                               const char    *origin)
{
  G_LOCK (origins);
  if (origins == NULL)
    origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (origins, g_strdup (origin), (gpointer) runtime);
  G_UNLOCK (origins);
}

void
_maiko_bridge_unregister_origin (const char *origin)
{
  G_LOCK (origins);
  if (origins != NULL)
    g_hash_table_remove (origins, origin);
  G_UNLOCK (origins);
}

gboolean
_maiko_bridge_origin_is_local (gconstpointer  runtime,
                               const char    *origin)
{
  gboolean local;

  G_LOCK (origins);
  local = origins != NULL && g_hash_table_lookup (origins, origin) == runtime;
  G_UNLOCK (origins);

  return local;
}
