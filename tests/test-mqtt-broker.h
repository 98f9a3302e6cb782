/* test-mqtt-broker.h: a real mosquitto for the MQTT tests
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A mosquitto of its own on 127.0.0.1, a free port, a config file and a
 * persistence directory in a temporary folder. */
typedef struct _TestBroker TestBroker;

TestBroker *test_broker_new        (const char *extra_config);
TestBroker *test_broker_new_stopped (const char *extra_config);
guint       test_broker_get_port   (TestBroker *self);
const char *test_broker_get_dir    (TestBroker *self);
void        test_broker_start      (TestBroker *self);
void        test_broker_stop       (TestBroker *self);
void        test_broker_free       (TestBroker *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestBroker, test_broker_free)

G_END_DECLS
