/* maiko-bindings.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-bindings-private.h"

/* GJS (gi/private.cpp, gjs_register_type_impl) sets this qdata to 1 on every
 * GType it registers for a JavaScript class (GObject.registerClass), right
 * after g_type_register_static, before any instance can exist. The quark name
 * has been "gjs::custom-type" since GJS first supported subclassing (2010)
 * and still is (ObjectBase::custom_type_quark); GJS itself reads it to tell
 * JavaScript classes from C ones. Checked against GJS 1.74.
 *
 * The type name prefix "Gjs_" is not used: a class may choose its own name
 * with GTypeName. */
#define GJS_CUSTOM_TYPE_QUARK "gjs::custom-type"

gboolean
_maiko_type_requires_main_context (GType type)
{
  /* The quark exists only once GJS is loaded and has registered a class:
   * in any other process this is one hash lookup and no walk. */
  GQuark gjs_custom = g_quark_try_string (GJS_CUSTOM_TYPE_QUARK);

  if (gjs_custom == 0)
    return FALSE;

  /* Each JavaScript subclass gets the qdata, but a C subclass of a
   * JavaScript class would still inherit its JavaScript vfuncs: walk up. */
  for (; type != 0; type = g_type_parent (type))
    if (g_type_get_qdata (type, gjs_custom) != NULL)
      return TRUE;

  return FALSE;
}
