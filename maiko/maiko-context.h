/* maiko-context.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-actor.h"
#include "maiko-event.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_CONTEXT (maiko_context_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoContext, maiko_context, MAIKO, CONTEXT, GObject)

/**
 * MaikoContextClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.Context]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
const char *maiko_context_get_name         (MaikoContext  *self);
MAIKO_AVAILABLE_IN_ALL
MaikoActor *maiko_context_get_actor        (MaikoContext  *self);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_context_send             (MaikoContext  *self,
                                            MaikoEvent    *event,
                                            GError       **error);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_context_send_child_event (MaikoContext  *self,
                                            MaikoEvent    *event,
                                            const char    *parent_id,
                                            GError       **error);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_context_add_actor        (MaikoContext        *self,
                                            const char          *name,
                                            MaikoActor          *actor,
                                            const char * const  *topics,
                                            GError             **error);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_context_remove_actor     (MaikoContext  *self,
                                            const char    *name,
                                            GError       **error);
MAIKO_AVAILABLE_IN_ALL
void        maiko_context_stop             (MaikoContext  *self);
MAIKO_AVAILABLE_IN_ALL
void        maiko_context_stop_runtime     (MaikoContext  *self);
MAIKO_AVAILABLE_IN_ALL
gboolean    maiko_context_is_sender_full   (MaikoContext  *self);
MAIKO_AVAILABLE_IN_ALL
void        maiko_context_set_backoff      (MaikoContext  *self,
                                            guint          milliseconds);
MAIKO_AVAILABLE_IN_ALL
void        maiko_context_fail             (MaikoContext  *self,
                                            const GError  *error);

G_END_DECLS
