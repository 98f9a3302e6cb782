/* maiko-supervisor-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-monitor-private.h"
#include "maiko-supervisor.h"

G_BEGIN_DECLS

guint          _maiko_supervisor_get_broker_capacity (MaikoSupervisor  *self);
GPtrArray     *_maiko_supervisor_dup_actors          (MaikoSupervisor  *self);
MaikoEnvelope *_maiko_supervisor_make_envelope       (MaikoSupervisor  *self,
                                                      MaikoEvent       *event,
                                                      const char       *sender,
                                                      const char       *parent_id,
                                                      GError          **error);
MaikoEnvelope *_maiko_supervisor_accept_envelope     (MaikoSupervisor  *self,
                                                      MaikoEnvelope    *envelope,
                                                      GError          **error);
gboolean       _maiko_supervisor_publish             (MaikoSupervisor  *self,
                                                      MaikoActor       *sender,
                                                      const char       *name,
                                                      MaikoEvent       *event,
                                                      char            **id,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
gboolean       _maiko_supervisor_deliver             (MaikoSupervisor  *self,
                                                      MaikoActor       *sender,
                                                      MaikoEnvelope   **envelopes,
                                                      guint             n,
                                                      GCancellable     *cancellable,
                                                      GError          **error);
void           _maiko_supervisor_report_undelivered  (MaikoSupervisor  *self,
                                                      MaikoEnvelope    *envelope,
                                                      const char       *receiver,
                                                      const char       *reason);
gboolean       _maiko_supervisor_claim_restart       (MaikoSupervisor  *self,
                                                      MaikoActor       *actor,
                                                      const GError     *error);
MaikoActor    *_maiko_supervisor_dup_successor       (MaikoSupervisor  *self,
                                                      MaikoActor       *actor);
gboolean       _maiko_supervisor_begin_removal       (MaikoSupervisor  *self,
                                                      const char       *name,
                                                      MaikoActor      **removed,
                                                      GError          **error);
void           _maiko_supervisor_actor_ready         (MaikoSupervisor  *self,
                                                      MaikoActor       *actor,
                                                      const GError     *error);
void           _maiko_supervisor_actor_finished      (MaikoSupervisor  *self,
                                                      MaikoActor       *actor,
                                                      GError           *error);
void           _maiko_supervisor_request_stop        (MaikoSupervisor  *self);
gboolean       _maiko_supervisor_is_all_routed       (MaikoSupervisor  *self);
void           _maiko_supervisor_note_flushed        (MaikoSupervisor  *self);
void           _maiko_supervisor_begin_external_send (MaikoSupervisor  *self);
void           _maiko_supervisor_end_external_send   (MaikoSupervisor  *self);
void           _maiko_supervisor_update_monitoring   (MaikoSupervisor  *self);
const gint    *_maiko_supervisor_get_monitoring_flag (MaikoSupervisor  *self);
void           _maiko_supervisor_record              (MaikoSupervisor  *self,
                                                      MaikoRecordHook   kind,
                                                      MaikoEnvelope    *envelope,
                                                      const char       *actor,
                                                      const GError     *error);
void           _maiko_supervisor_catch_up_monitors (MaikoSupervisor *self);
void           _maiko_supervisor_record_overflow     (MaikoSupervisor     *self,
                                                      MaikoEnvelope       *envelope,
                                                      const char          *actor,
                                                      MaikoOverflowPolicy  policy);
void           _maiko_supervisor_record_staged       (MaikoSupervisor   *self,
                                                      MaikoStagedRecord *records,
                                                      guint              n,
                                                      const char        *actor);
guint          _maiko_supervisor_note_watchers       (MaikoSupervisor   *self);

gboolean       _maiko_context_acquire_for_waiting    (GMainContext     *context);

G_END_DECLS
