/* maiko-actor-private.h: how the supervisor runs an actor
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-actor.h"
#include "maiko-actor-info.h"
#include "maiko-mailbox-private.h"
#include "maiko-supervisor.h"

G_BEGIN_DECLS

typedef enum
{
  /* The runtime stops: handle what the mailbox holds, then end. */
  MAIKO_STOP_DRAIN,
  /* The actor was removed: handle what the mailbox holds, then end,
   * without waiting for a stop of the runtime. */
  MAIKO_STOP_LEAVE,
  /* The actor ends now (ctx.stop, an error, FAIL overflow); what its
   * mailbox holds is reported undelivered, or kept for the instance that
   * replaces it. */
  MAIKO_STOP_NOW,
} MaikoStopMode;

gboolean            _maiko_actor_attach            (MaikoActor         *self,
                                                    MaikoSupervisor    *supervisor,
                                                    const char         *name,
                                                    const char * const *topics,
                                                    guint               default_capacity,
                                                    guint               default_per_tick,
                                                    GError            **error);
gboolean            _maiko_actor_launch            (MaikoActor         *self,
                                                    GThread           **thread,
                                                    GError            **error);
void                _maiko_actor_set_thread        (MaikoActor         *self,
                                                    GThread            *thread);
gboolean            _maiko_actor_owe_flush         (MaikoActor         *self);
gboolean            _maiko_actor_take_owed_flush   (MaikoActor         *self);
void                _maiko_actor_wake              (MaikoActor         *self);
void                _maiko_actor_mark_stop         (MaikoActor         *self,
                                                    MaikoStopMode       mode,
                                                    GError             *error);
void                _maiko_actor_request_stop      (MaikoActor         *self,
                                                    MaikoStopMode       mode,
                                                    GError             *error);
GThread            *_maiko_actor_steal_thread      (MaikoActor         *self);
MaikoMailbox       *_maiko_actor_get_mailbox       (MaikoActor         *self);
GMainContext       *_maiko_actor_get_bound_context (MaikoActor         *self);
gint                _maiko_actor_get_pool_worker   (MaikoActor         *self);
const char * const *_maiko_actor_get_topics        (MaikoActor         *self);
gboolean            _maiko_actor_subscribes_all    (MaikoActor         *self);
gboolean            _maiko_actor_enqueue           (MaikoActor         *self,
                                                    MaikoEnvelope      *envelope);
gboolean            _maiko_actor_is_sender_full    (MaikoActor         *self);
void                _maiko_actor_set_backoff       (MaikoActor         *self,
                                                    guint               milliseconds);
void                _maiko_actor_report_error      (MaikoActor         *self,
                                                    const GError       *error);
gboolean            _maiko_actor_has_ended         (MaikoActor         *self);
MaikoSupervisor    *_maiko_actor_get_supervisor    (MaikoActor         *self);
MaikoSupervisor    *_maiko_actor_dup_supervisor    (MaikoActor         *self);
void                _maiko_actor_detach            (MaikoActor         *self);
MaikoActor         *_maiko_actor_get_current       (void);
guint               _maiko_actor_get_restart_count (MaikoActor         *self);
void                _maiko_actor_hand_over         (MaikoActor         *self,
                                                    MaikoActor         *successor);
void                _maiko_actor_close_mailbox     (MaikoActor         *self);
MaikoActor         *_maiko_actor_get_successor     (MaikoActor         *self);
void                _maiko_actor_set_restart_count (MaikoActor         *self,
                                                    guint               count);
guint64             _maiko_actor_get_handled_count (MaikoActor         *self);
MaikoActorState     _maiko_actor_get_state         (MaikoActor         *self);
gboolean            _maiko_actor_is_stop_requested (MaikoActor         *self);

G_END_DECLS
