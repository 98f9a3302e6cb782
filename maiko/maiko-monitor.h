/* maiko-monitor.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <gio/gio.h>

#include "maiko-envelope.h"
#include "maiko-supervisor.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_MONITOR (maiko_monitor_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (MaikoMonitor, maiko_monitor, MAIKO, MONITOR, GObject)

/**
 * MaikoMonitorClass:
 * @parent_class: the parent class
 * @event_dispatched: class handler of [signal@Maiko.Monitor::event-dispatched]
 * @event_delivered: class handler of [signal@Maiko.Monitor::event-delivered]
 * @event_handled: class handler of [signal@Maiko.Monitor::event-handled]
 * @overflow: class handler of [signal@Maiko.Monitor::overflow]
 * @error: class handler of [signal@Maiko.Monitor::error]
 * @actor_registered: class handler of [signal@Maiko.Monitor::actor-registered]
 * @actor_stopped: class handler of [signal@Maiko.Monitor::actor-stopped]
 * @event_unrouted: class handler of [signal@Maiko.Monitor::event-unrouted]
 * @actor_restarted: class handler of [signal@Maiko.Monitor::actor-restarted]
 *
 * Subclasses override the class handlers instead of connecting to the
 * signals; both run in the monitor's main context.
 */
struct _MaikoMonitorClass
{
  GObjectClass parent_class;

  void (*event_dispatched) (MaikoMonitor        *self,
                            MaikoEnvelope       *envelope,
                            const char          *topic,
                            const char          *receiver);
  void (*event_delivered)  (MaikoMonitor        *self,
                            MaikoEnvelope       *envelope,
                            const char          *topic,
                            const char          *receiver);
  void (*event_handled)    (MaikoMonitor        *self,
                            MaikoEnvelope       *envelope,
                            const char          *topic,
                            const char          *receiver);
  void (*overflow)         (MaikoMonitor        *self,
                            MaikoEnvelope       *envelope,
                            const char          *topic,
                            const char          *receiver,
                            MaikoOverflowPolicy  policy);
  void (*error)            (MaikoMonitor        *self,
                            const char          *actor,
                            const GError        *error);
  void (*actor_registered) (MaikoMonitor        *self,
                            const char          *actor);
  void (*actor_stopped)    (MaikoMonitor        *self,
                            const char          *actor);
  void (*event_unrouted)   (MaikoMonitor        *self,
                            MaikoEnvelope       *envelope,
                            const char          *topic);
  void (*actor_restarted)  (MaikoMonitor        *self,
                            const char          *actor,
                            guint                count,
                            const GError        *error);

  /*< private >*/
  gpointer _reserved[6];
};

/**
 * MaikoMonitorClass::event_dispatched:
 * @self: the monitor
 * @envelope: (transfer none): the event's envelope; take a reference with
 *   maiko_envelope_ref() to keep it
 * @topic: the event's topic
 * @receiver: the name of the actor whose mailbox the event went into
 *
 * The class handler of [signal@Maiko.Monitor::event-dispatched], run in the
 * monitor's main context: an event went into a receiver's mailbox. It
 * runs once per receiver.
 */

/**
 * MaikoMonitorClass::event_delivered:
 * @self: the monitor
 * @envelope: (transfer none): the event's envelope; take a reference with
 *   maiko_envelope_ref() to keep it
 * @topic: the event's topic
 * @receiver: the name of the actor
 *
 * The class handler of [signal@Maiko.Monitor::event-delivered], run in the
 * monitor's main context: a receiver took the event from its mailbox and
 * is about to handle it.
 */

/**
 * MaikoMonitorClass::event_unrouted:
 * @self: the monitor
 * @envelope: (transfer none): the event's envelope; take a reference with
 *   maiko_envelope_ref() to keep it
 * @topic: the event's topic, which no actor but its sender subscribes to
 *
 * The class handler of [signal@Maiko.Monitor::event-unrouted], run in the
 * monitor's main context: nobody received the event.
 */

/**
 * MaikoMonitorClass::actor_restarted:
 * @self: the monitor
 * @actor: the name of the actor
 * @count: how many times it was restarted, this time included
 * @error: (nullable): what ended the instance it replaces, or %NULL
 *
 * The class handler of [signal@Maiko.Monitor::actor-restarted], run in the
 * monitor's main context: a fresh instance replaced one that ended.
 */

/**
 * MaikoMonitorClass::event_handled:
 * @self: the monitor
 * @envelope: (transfer none): the event's envelope; take a reference with
 *   maiko_envelope_ref() to keep it
 * @topic: the event's topic
 * @receiver: the name of the actor
 *
 * The class handler of [signal@Maiko.Monitor::event-handled], run in the
 * monitor's main context: the receiver's [vfunc@Maiko.Actor.handle_event]
 * returned successfully.
 */

/**
 * MaikoMonitorClass::overflow:
 * @self: the monitor
 * @envelope: (transfer none): the event's envelope; take a reference with
 *   maiko_envelope_ref() to keep it
 * @topic: the event's topic
 * @receiver: the name of the actor whose mailbox was full
 * @policy: the topic's overflow policy, which decides what happens next
 *
 * The class handler of [signal@Maiko.Monitor::overflow], run in the
 * monitor's main context: a receiver's mailbox was full when the event was
 * routed to it.
 */

/**
 * MaikoMonitorClass::error:
 * @self: the monitor
 * @actor: the name of the actor
 * @error: what failed
 *
 * The class handler of [signal@Maiko.Monitor::error], run in the monitor's
 * main context: one of the actor's callbacks failed.
 */

/**
 * MaikoMonitorClass::actor_registered:
 * @self: the monitor
 * @actor: the name of the actor
 *
 * The class handler of [signal@Maiko.Monitor::actor-registered], run in the
 * monitor's main context: an actor was added to the supervisor, or was
 * there when the monitor was added.
 */

/**
 * MaikoMonitorClass::actor_stopped:
 * @self: the monitor
 * @actor: the name of the actor
 *
 * The class handler of [signal@Maiko.Monitor::actor-stopped], run in the
 * monitor's main context: the actor ended, and its
 * [vfunc@Maiko.Actor.on_shutdown] has returned.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoMonitor    *maiko_monitor_new                 (void);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_pause               (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_resume              (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_monitor_is_paused           (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_flush               (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
guint64          maiko_monitor_get_dropped_count   (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
MaikoSupervisor *maiko_monitor_dup_supervisor      (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
GMainContext    *maiko_monitor_get_main_context    (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_fail                (MaikoMonitor *self,
                                                    const GError *error);
MAIKO_AVAILABLE_IN_ALL
GError          *maiko_monitor_dup_failure         (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_monitor_get_lossless        (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_set_lossless        (MaikoMonitor *self,
                                                    gboolean      lossless);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_monitor_get_capacity        (MaikoMonitor *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_monitor_set_capacity        (MaikoMonitor *self,
                                                    guint         capacity);

G_END_DECLS
