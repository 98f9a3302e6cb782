/* maiko-harness.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include "maiko-actor-spy.h"
#include "maiko-event-chain.h"
#include "maiko-event-query.h"
#include "maiko-event-spy.h"
#include "maiko-monitor.h"
#include "maiko-topic-spy.h"

G_BEGIN_DECLS

/**
 * MaikoQueryPredicate:
 * @events: every delivery recorded so far
 * @user_data: the data given with the function
 *
 * A condition on what was recorded, for [method@Maiko.Harness.settle_on].
 *
 * Returns: %TRUE once the condition holds
 */
typedef gboolean (*MaikoQueryPredicate) (MaikoEventQuery *events,
                                         gpointer         user_data);

#define MAIKO_TYPE_HARNESS (maiko_harness_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoHarness, maiko_harness, MAIKO, HARNESS, MaikoMonitor)

/**
 * MaikoHarnessClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.Harness]. The type is final: to watch the
 * runtime in a way of your own, subclass [class@Maiko.Monitor].
 */

MAIKO_AVAILABLE_IN_ALL
MaikoHarness    *maiko_harness_new                     (MaikoSupervisor      *supervisor);
MAIKO_AVAILABLE_IN_ALL
void             maiko_harness_record                  (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_harness_stop_recording          (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_harness_is_recording            (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_harness_reset                   (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
char            *maiko_harness_send_as                 (MaikoHarness         *self,
                                                        const char           *actor,
                                                        MaikoEvent           *event,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_harness_settle                  (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_harness_settle_on               (MaikoHarness         *self,
                                                        gint                  timeout_ms,
                                                        MaikoQueryPredicate   predicate,
                                                        gpointer              user_data,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_harness_settle_on_event         (MaikoHarness         *self,
                                                        const char           *label,
                                                        gint                  timeout_ms,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_harness_settle_on_event_matching (MaikoHarness        *self,
                                                         MaikoEventMatcher   *matcher,
                                                         gint                 timeout_ms,
                                                         GError             **error);
MAIKO_AVAILABLE_IN_ALL
MaikoEventQuery *maiko_harness_events                  (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
MaikoEventSpy   *maiko_harness_event                   (MaikoHarness         *self,
                                                        const char           *id);
MAIKO_AVAILABLE_IN_ALL
MaikoActorSpy   *maiko_harness_actor                   (MaikoHarness         *self,
                                                        const char           *name);
MAIKO_AVAILABLE_IN_ALL
MaikoTopicSpy   *maiko_harness_topic                   (MaikoHarness         *self,
                                                        const char           *topic);
MAIKO_AVAILABLE_IN_ALL
MaikoEventChain *maiko_harness_chain                   (MaikoHarness         *self,
                                                        const char           *root_id);
MAIKO_AVAILABLE_IN_ALL
void             maiko_harness_dump                    (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_harness_delivery_count          (MaikoHarness         *self);
MAIKO_AVAILABLE_IN_ALL G_DEPRECATED_FOR (maiko_harness_delivery_count)
guint            maiko_harness_event_count             (MaikoHarness         *self);

G_END_DECLS
