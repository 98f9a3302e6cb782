/* maiko-bindings.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-bindings-private.h"

gboolean
_maiko_type_requires_main_context (GType type)
{
  /* GJS marks the GTypes it registers for JavaScript classes with this
   * qdata; any subclass of such a type inherits the JS vfuncs. */
  GQuark gjs_custom = g_quark_try_string ("gjs-is-custom-type");

  if (gjs_custom == 0)
    return FALSE;

  for (; type != 0; type = g_type_parent (type))
    if (g_type_get_qdata (type, gjs_custom) != NULL)
      return TRUE;

  return FALSE;
}
