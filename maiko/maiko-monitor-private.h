/* maiko-monitor-private.h: how the runtime feeds its monitors
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-monitor.h"
#include "maiko-record.h"

G_BEGIN_DECLS

gboolean  _maiko_monitor_attach         (MaikoMonitor         *self,
                                         MaikoSupervisor      *supervisor,
                                         guint                 capacity,
                                         GError              **error);
void      _maiko_monitor_detach         (MaikoMonitor         *self);
gboolean  _maiko_monitor_is_lossless    (MaikoMonitor         *self);
gboolean  _maiko_monitor_is_active      (MaikoMonitor         *self);
void      _maiko_monitor_replay         (MaikoMonitor         *self,
                                         MaikoRecordHook       kind,
                                         const char           *actor);
void      _maiko_monitor_push           (MaikoMonitor         *self,
                                         MaikoRecordHook       kind,
                                         MaikoEnvelope        *envelope,
                                         const char           *actor,
                                         MaikoOverflowPolicy   policy,
                                         const GError         *error);
void      _maiko_monitor_push_events    (MaikoMonitor         *self,
                                         MaikoRecordHook       kind,
                                         MaikoEnvelope       **envelopes,
                                         guint                 n,
                                         const char           *actor);
gboolean  _maiko_monitor_acquire_context (MaikoMonitor        *self);
const GError *_maiko_monitor_get_handled_error (MaikoMonitor  *self);
void      _maiko_monitor_drain_if_owner (MaikoMonitor         *self);
void      _maiko_monitors_keep_up       (GPtrArray            *monitors);
guint     _maiko_monitors_note_watchers (GPtrArray            *monitors);
void      _maiko_monitors_catch_up      (GPtrArray            *monitors);

/* Pushes one record to each monitor of @monitors that is not paused. */
void      _maiko_monitors_push          (GPtrArray            *monitors,
                                         MaikoRecordHook       kind,
                                         MaikoEnvelope        *envelope,
                                         const char           *actor,
                                         MaikoOverflowPolicy   policy,
                                         const GError         *error);
void      _maiko_monitors_push_restart  (GPtrArray            *monitors,
                                         const char           *actor,
                                         guint                 count,
                                         const GError         *error);
void      _maiko_monitors_push_events   (GPtrArray            *monitors,
                                         MaikoRecordHook       kind,
                                         MaikoEnvelope       **envelopes,
                                         guint                 n,
                                         const char           *actor);

/* A record an actor held back (see push_pending_records() in maiko-actor.c). */
typedef struct
{
  MaikoRecordHook  kind;
  MaikoEnvelope   *envelope;             /* owned */
  /* Owned, nullable: for event-handled, the failure of the handler. */
  GError          *error;
} MaikoStagedRecord;

void      _maiko_staged_record_clear    (MaikoStagedRecord    *record);

void      _maiko_monitors_push_staged   (GPtrArray            *monitors,
                                         MaikoStagedRecord    *records,
                                         guint                 n,
                                         const char           *actor);

G_END_DECLS
