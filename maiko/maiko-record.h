/* maiko-record.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-supervisor.h"

G_BEGIN_DECLS

/**
 * MAIKO_RECORD_MAX_LINE_LENGTH:
 *
 * The longest line, in bytes, that [func@Maiko.Record.parse_line] accepts:
 * 64 MiB. A longer line is refused before it is parsed.
 */
#define MAIKO_RECORD_MAX_LINE_LENGTH 67108864

/**
 * MAIKO_RECORD_MAX_DEPTH:
 *
 * How deeply the JSON arrays and objects of a line may nest, the record's
 * own object included. A GVariant nests at most 128 levels, so any payload
 * fits; deeper input is refused before it is parsed.
 */
#define MAIKO_RECORD_MAX_DEPTH 160

/**
 * MaikoRecordHook:
 * @MAIKO_RECORD_HOOK_EVENT_DISPATCHED: [signal@Maiko.Monitor::event-dispatched]
 * @MAIKO_RECORD_HOOK_EVENT_DELIVERED: [signal@Maiko.Monitor::event-delivered]
 * @MAIKO_RECORD_HOOK_EVENT_HANDLED: [signal@Maiko.Monitor::event-handled]
 * @MAIKO_RECORD_HOOK_OVERFLOW: [signal@Maiko.Monitor::overflow]
 * @MAIKO_RECORD_HOOK_ERROR: [signal@Maiko.Monitor::error]
 * @MAIKO_RECORD_HOOK_ACTOR_REGISTERED: [signal@Maiko.Monitor::actor-registered]
 * @MAIKO_RECORD_HOOK_ACTOR_STOPPED: [signal@Maiko.Monitor::actor-stopped]
 * @MAIKO_RECORD_HOOK_EVENT_UNROUTED: [signal@Maiko.Monitor::event-unrouted]
 * @MAIKO_RECORD_HOOK_ACTOR_RESTARTED: [signal@Maiko.Monitor::actor-restarted]
 *
 * The monitoring hook a [struct@Maiko.Record] records. The nick of each
 * value (`"event-dispatched"`, ...) is the signal's name and the record's
 * `"hook"` field; [func@Maiko.RecordHook.to_string] gives it and
 * [func@Maiko.RecordHook.from_string] reads it back.
 */
typedef enum
{
  MAIKO_RECORD_HOOK_EVENT_DISPATCHED,
  MAIKO_RECORD_HOOK_EVENT_DELIVERED,
  MAIKO_RECORD_HOOK_EVENT_HANDLED,
  MAIKO_RECORD_HOOK_OVERFLOW,
  MAIKO_RECORD_HOOK_ERROR,
  MAIKO_RECORD_HOOK_ACTOR_REGISTERED,
  MAIKO_RECORD_HOOK_ACTOR_STOPPED,
  MAIKO_RECORD_HOOK_EVENT_UNROUTED,
  MAIKO_RECORD_HOOK_ACTOR_RESTARTED,
} MaikoRecordHook;

#define MAIKO_TYPE_RECORD_HOOK (maiko_record_hook_get_type ())
#define MAIKO_TYPE_RECORD      (maiko_record_get_type ())

typedef struct _MaikoRecord MaikoRecord;

MAIKO_AVAILABLE_IN_ALL
GType                maiko_record_hook_get_type      (void) G_GNUC_CONST;
MAIKO_AVAILABLE_IN_ALL
GType                maiko_record_get_type           (void) G_GNUC_CONST;
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_hook_to_string     (MaikoRecordHook   hook);
MAIKO_AVAILABLE_IN_ALL
gboolean             maiko_record_hook_from_string   (const char       *name,
                                                      MaikoRecordHook  *hook,
                                                      GError          **error);
MAIKO_AVAILABLE_IN_ALL
MaikoRecord         *maiko_record_parse_line         (const char   *line,
                                                      gssize        length,
                                                      GError      **error);
MAIKO_AVAILABLE_IN_ALL
MaikoRecord         *maiko_record_ref                (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
void                 maiko_record_unref              (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
MaikoRecordHook      maiko_record_get_hook           (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
gint64               maiko_record_get_time           (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_id             (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_parent_id      (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_label          (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
GVariant            *maiko_record_get_payload        (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_sender         (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_receiver       (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_topic          (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
gint64               maiko_record_get_timestamp      (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
MaikoOverflowPolicy  maiko_record_get_policy         (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_actor          (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_error_domain   (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
gint                 maiko_record_get_error_code     (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
const char          *maiko_record_get_error_message  (MaikoRecord  *record);
MAIKO_AVAILABLE_IN_ALL
guint                maiko_record_get_restart_count  (MaikoRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaikoRecord, maiko_record_unref)

G_END_DECLS
