/* maiko-supervisor.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <gio/gio.h>

#include "maiko-actor.h"
#include "maiko-event.h"
#include "maiko-worker-pool.h"

G_BEGIN_DECLS

/**
 * MAIKO_DEFAULT_TOPIC:
 *
 * The topic of every event unless a topic function says otherwise.
 */
#define MAIKO_DEFAULT_TOPIC "default"

/**
 * MAIKO_TOPIC_ALL:
 *
 * Given alone as an actor's topics, subscribes it to every topic.
 */
#define MAIKO_TOPIC_ALL "*"

/**
 * MAIKO_SUPERVISOR_NAME:
 *
 * The sender name of events sent with [method@Maiko.Supervisor.send]. No
 * actor may take it.
 */
#define MAIKO_SUPERVISOR_NAME "supervisor"

/**
 * MaikoOverflowPolicy:
 * @MAIKO_OVERFLOW_POLICY_FAIL: the full mailbox is closed and its actor stops
 *   (without an error: the other actors go on)
 * @MAIKO_OVERFLOW_POLICY_DROP: the event is dropped for that receiver; the
 *   sender never waits
 * @MAIKO_OVERFLOW_POLICY_BLOCK: the sender waits until the mailbox has room
 *
 * What happens to an event when a receiver's mailbox is full. Set per topic
 * with [method@Maiko.Supervisor.set_topic_policy].
 */
typedef enum
{
  MAIKO_OVERFLOW_POLICY_FAIL,
  MAIKO_OVERFLOW_POLICY_DROP,
  MAIKO_OVERFLOW_POLICY_BLOCK,
} MaikoOverflowPolicy;

/**
 * MaikoTopicFunc:
 * @event: the event to route
 * @user_data: the data given with the function
 *
 * Maps an event to its topic. It is called on the sending thread, once per
 * send, and must be thread-safe.
 *
 * Returns: (transfer full): the topic, a non-empty string
 */
typedef char *(*MaikoTopicFunc) (MaikoEvent *event,
                                 gpointer    user_data);

/**
 * MaikoStaticTopicFunc:
 * @event: the event to route
 * @user_data: the data given with the function
 *
 * Maps an event to a topic that is never freed, so that no send copies
 * it: a string literal, or a string from g_intern_string(). Like
 * [callback@Maiko.TopicFunc], it is called on the sending thread, once per
 * send, and must be thread-safe.
 *
 * Returns: (transfer none): the topic, a non-empty string valid for the
 *   rest of the program
 */
typedef const char *(*MaikoStaticTopicFunc) (MaikoEvent *event,
                                             gpointer    user_data);

/* Declared in maiko-monitor.h, which needs MaikoOverflowPolicy from here. */
typedef struct _MaikoMonitor MaikoMonitor;

#define MAIKO_TYPE_SUPERVISOR (maiko_supervisor_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoSupervisor, maiko_supervisor, MAIKO, SUPERVISOR, GObject)

/**
 * MaikoSupervisorClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.Supervisor]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoSupervisor *maiko_supervisor_new                  (void);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_add_actor            (MaikoSupervisor      *self,
                                                        const char           *name,
                                                        MaikoActor           *actor,
                                                        const char * const   *topics,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
MaikoActor      *maiko_supervisor_get_actor            (MaikoSupervisor      *self,
                                                        const char           *name);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_set_topic_func       (MaikoSupervisor      *self,
                                                        MaikoTopicFunc        func,
                                                        gpointer              user_data,
                                                        GDestroyNotify        destroy,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_set_static_topic_func (MaikoSupervisor      *self,
                                                         MaikoStaticTopicFunc  func,
                                                         gpointer              user_data,
                                                         GDestroyNotify        destroy,
                                                         GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_set_route_by_label   (MaikoSupervisor      *self,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_set_topic_policy     (MaikoSupervisor      *self,
                                                        const char           *topic,
                                                        MaikoOverflowPolicy   policy,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
MaikoOverflowPolicy maiko_supervisor_get_topic_policy  (MaikoSupervisor      *self,
                                                        const char           *topic);
MAIKO_AVAILABLE_IN_ALL
char            *maiko_supervisor_to_json              (MaikoSupervisor      *self);
MAIKO_AVAILABLE_IN_ALL
char            *maiko_supervisor_to_mermaid           (MaikoSupervisor      *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_start                (MaikoSupervisor      *self,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_join                 (MaikoSupervisor      *self,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_run                  (MaikoSupervisor      *self,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_stop                 (MaikoSupervisor      *self,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_wait_ready           (MaikoSupervisor      *self,
                                                        const char           *name,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_wait_ready_async     (MaikoSupervisor      *self,
                                                        const char           *name,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_wait_ready_finish    (MaikoSupervisor      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_send                 (MaikoSupervisor      *self,
                                                        MaikoEvent           *event,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_send_async           (MaikoSupervisor      *self,
                                                        MaikoEvent           *event,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_send_finish          (MaikoSupervisor      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_join_async           (MaikoSupervisor      *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_join_finish          (MaikoSupervisor      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_stop_async           (MaikoSupervisor      *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_stop_finish          (MaikoSupervisor      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_is_running           (MaikoSupervisor      *self);
MAIKO_AVAILABLE_IN_ALL
guint64          maiko_supervisor_get_undelivered_count (MaikoSupervisor     *self);
MAIKO_AVAILABLE_IN_ALL
guint64          maiko_supervisor_get_unrouted_count   (MaikoSupervisor      *self);
MAIKO_AVAILABLE_IN_ALL
guint64          maiko_supervisor_get_dropped_count    (MaikoSupervisor      *self);

MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_add_monitor          (MaikoSupervisor      *self,
                                                        MaikoMonitor         *monitor,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_supervisor_remove_monitor       (MaikoSupervisor      *self,
                                                        MaikoMonitor         *monitor,
                                                        GError              **error);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_pause_monitoring     (MaikoSupervisor      *self);
MAIKO_AVAILABLE_IN_ALL
void             maiko_supervisor_resume_monitoring    (MaikoSupervisor      *self);

MAIKO_AVAILABLE_IN_ALL
MaikoWorkerPool *maiko_supervisor_get_worker_pool      (MaikoSupervisor      *self);

G_END_DECLS
