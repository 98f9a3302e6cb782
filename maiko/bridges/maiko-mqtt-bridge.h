/* maiko-mqtt-bridge.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-actor.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_MQTT_BRIDGE (maiko_mqtt_bridge_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoMqttBridge, maiko_mqtt_bridge, MAIKO, MQTT_BRIDGE, MaikoActor)

/**
 * MaikoMqttBridgeClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.MqttBridge]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoMqttBridge    *maiko_mqtt_bridge_new                 (const char         *host,
                                                           guint               port,
                                                           const char * const *exported_topics,
                                                           const char * const *imported_topics);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_mqtt_bridge_get_exported_topics (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_mqtt_bridge_get_imported_topics (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
gboolean            maiko_mqtt_bridge_is_connected        (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_exported_count  (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_imported_count  (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_dropped_count   (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_rejected_count  (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_duplicate_count (MaikoMqttBridge    *self);
MAIKO_AVAILABLE_IN_ALL
guint               maiko_mqtt_bridge_get_pending_count   (MaikoMqttBridge    *self);

G_END_DECLS
