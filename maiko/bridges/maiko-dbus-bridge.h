/* maiko-dbus-bridge.h: topics carried over D-Bus
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <gio/gio.h>

#include "maiko-actor.h"
#include "maiko-version-macros.h"

G_BEGIN_DECLS

/**
 * MAIKO_DBUS_BRIDGE_INTERFACE:
 *
 * The D-Bus interface of the signals that [class@Maiko.DBusBridge] emits and
 * receives.
 */
#define MAIKO_DBUS_BRIDGE_INTERFACE "org.maiko.Bridge1"

/**
 * MAIKO_DBUS_BRIDGE_SIGNAL:
 *
 * The name of the D-Bus signal that carries one envelope, whose arguments
 * are the fields of the wire form (%MAIKO_WIRE_VARIANT_TYPE_STRING).
 */
#define MAIKO_DBUS_BRIDGE_SIGNAL "Event"

/**
 * MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH:
 *
 * The object path a [class@Maiko.DBusBridge] uses unless given one.
 */
#define MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH "/org/maiko/Bridge"

#define MAIKO_TYPE_DBUS_BRIDGE (maiko_dbus_bridge_get_type ())

/**
 * MaikoDBusBridgeClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.DBusBridge]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoDBusBridge, maiko_dbus_bridge, MAIKO, DBUS_BRIDGE, MaikoActor)

MAIKO_AVAILABLE_IN_ALL
MaikoDBusBridge    *maiko_dbus_bridge_new                 (GDBusConnection    *connection,
                                                           const char         *object_path,
                                                           const char * const *exported_topics,
                                                           const char * const *imported_topics);
MAIKO_AVAILABLE_IN_ALL
GDBusConnection    *maiko_dbus_bridge_get_connection      (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
const char         *maiko_dbus_bridge_get_object_path     (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_dbus_bridge_get_exported_topics (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_dbus_bridge_get_imported_topics (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
const char         *maiko_dbus_bridge_get_origin          (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_dbus_bridge_get_n_exported      (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_dbus_bridge_get_n_imported      (MaikoDBusBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_dbus_bridge_get_n_errors        (MaikoDBusBridge    *self);

G_END_DECLS
