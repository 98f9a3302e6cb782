/* maiko-test.h: C actors on threads of their own, for the binding tests
 *
 * SPDX-License-Identifier: MIT
 *
 * Not installed. Introspected as MaikoTest-1.0 so JavaScript (and any other
 * binding) tests can run real threaded C actors next to their own actors.
 */

#pragma once

#include <maiko.h>

G_BEGIN_DECLS

#define MAIKO_TEST_TYPE_PRODUCER (maiko_test_producer_get_type ())

G_DECLARE_FINAL_TYPE (MaikoTestProducer, maiko_test_producer, MAIKO_TEST, PRODUCER, MaikoActor)

MaikoTestProducer *maiko_test_producer_new         (const char        *label,
                                                    guint              count);
guint              maiko_test_producer_get_sent    (MaikoTestProducer *self);

#define MAIKO_TEST_TYPE_ECHO (maiko_test_echo_get_type ())

G_DECLARE_FINAL_TYPE (MaikoTestEcho, maiko_test_echo, MAIKO_TEST, ECHO, MaikoActor)

MaikoTestEcho *maiko_test_echo_new          (const char    *reply_label);
guint          maiko_test_echo_get_handled  (MaikoTestEcho *self);

GVariant      *maiko_test_tracked_int64     (gint64         value);
guint          maiko_test_live_payloads     (void);
gboolean       maiko_test_on_main_thread    (void);

G_END_DECLS
