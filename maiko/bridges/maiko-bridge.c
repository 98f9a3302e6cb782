/* maiko-bridge.c: what the bridges share inside the library
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-bridge-private.h"
#include "maiko-context-private.h"

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
