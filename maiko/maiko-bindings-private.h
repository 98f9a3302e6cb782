/* maiko-bindings-private.h: what the runtime must know about language bindings
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* TRUE if instances of @type are implemented in a language whose code may
 * only run on the main thread (GJS): such actors must be bound to a
 * main context. */
gboolean _maiko_type_requires_main_context (GType type);

G_END_DECLS
