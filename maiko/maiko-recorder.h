/* maiko-recorder.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <gio/gio.h>

#include "maiko-monitor.h"
#include "maiko-record.h"

G_BEGIN_DECLS

/**
 * MAIKO_RECORDER_ACTOR_NAME:
 *
 * The actor name with which a [class@Maiko.Recorder] that could not write
 * emits its own [signal@Maiko.Monitor::error] signal.
 */
#define MAIKO_RECORDER_ACTOR_NAME "recorder"

#define MAIKO_TYPE_RECORDER (maiko_recorder_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoRecorder, maiko_recorder, MAIKO, RECORDER, MaikoMonitor)

/**
 * MaikoRecorderClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.Recorder]. The type is final: to watch the
 * runtime in a way of your own, subclass [class@Maiko.Monitor].
 */

MAIKO_AVAILABLE_IN_ALL
MaikoRecorder *maiko_recorder_new               (const char     *path,
                                                 GError        **error);
MAIKO_AVAILABLE_IN_ALL
MaikoRecorder *maiko_recorder_new_for_stream    (GOutputStream  *stream);
MAIKO_AVAILABLE_IN_ALL
gboolean       maiko_recorder_flush             (MaikoRecorder  *self,
                                                 GError        **error);
MAIKO_AVAILABLE_IN_ALL
gboolean       maiko_recorder_close             (MaikoRecorder  *self,
                                                 GError        **error);
MAIKO_AVAILABLE_IN_ALL
const GError  *maiko_recorder_get_error         (MaikoRecorder  *self);
MAIKO_AVAILABLE_IN_ALL
guint64        maiko_recorder_get_written_count (MaikoRecorder  *self);
MAIKO_AVAILABLE_IN_ALL
guint64        maiko_recorder_get_lost_count    (MaikoRecorder  *self);
MAIKO_AVAILABLE_IN_ALL
GPtrArray     *maiko_recorder_read_bytes        (GBytes         *bytes,
                                                 GError        **error);
MAIKO_AVAILABLE_IN_ALL
GPtrArray     *maiko_recorder_read_bytes_prefix (GBytes         *bytes,
                                                 GError        **line_error,
                                                 gsize          *prefix_length);
MAIKO_AVAILABLE_IN_ALL
GPtrArray     *maiko_recorder_read_file         (const char     *path,
                                                 GError        **error);
MAIKO_AVAILABLE_IN_ALL
GPtrArray     *maiko_recorder_read_file_prefix  (const char     *path,
                                                 GError        **line_error,
                                                 gsize          *prefix_length,
                                                 GError        **error);

G_END_DECLS
