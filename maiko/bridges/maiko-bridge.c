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
