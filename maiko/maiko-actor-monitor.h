/* maiko-actor-monitor.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include "maiko-monitor.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_ACTOR_MONITOR (maiko_actor_monitor_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoActorMonitor, maiko_actor_monitor, MAIKO, ACTOR_MONITOR, MaikoMonitor)

/**
 * MaikoActorMonitorClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.ActorMonitor]. The type is final: to watch the
 * runtime in a way of your own, subclass [class@Maiko.Monitor].
 */

MAIKO_AVAILABLE_IN_ALL
MaikoActorMonitor  *maiko_actor_monitor_new                 (void);
MAIKO_AVAILABLE_IN_ALL
char              **maiko_actor_monitor_dup_actors          (MaikoActorMonitor *self);
MAIKO_AVAILABLE_IN_ALL
char              **maiko_actor_monitor_dup_stopped_actors  (MaikoActorMonitor *self);
MAIKO_AVAILABLE_IN_ALL
gboolean            maiko_actor_monitor_is_alive            (MaikoActorMonitor *self,
                                                             const char        *name);
MAIKO_AVAILABLE_IN_ALL
gboolean            maiko_actor_monitor_is_stopped          (MaikoActorMonitor *self,
                                                             const char        *name);
MAIKO_AVAILABLE_IN_ALL
guint64             maiko_actor_monitor_get_overflow_count  (MaikoActorMonitor *self,
                                                             const char        *name);

G_END_DECLS
