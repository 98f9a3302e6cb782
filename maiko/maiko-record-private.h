/* maiko-record-private.h: the JSON form of a record, written by the
 * recorder and read back by maiko_record_parse_line()
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <json-glib/json-glib.h>

#include "maiko-envelope.h"
#include "maiko-record.h"

G_BEGIN_DECLS

/* Each returns the record's JSON object, its "time" now. */
JsonNode  *_maiko_record_build_event (MaikoRecordHook       hook,
                                      MaikoEnvelope        *envelope,
                                      const char           *topic,
                                      const char           *receiver,
                                      MaikoOverflowPolicy   policy);
JsonNode  *_maiko_record_build_error (const char           *actor,
                                      const GError         *error);
JsonNode  *_maiko_record_build_actor (MaikoRecordHook       hook,
                                      const char           *actor);

/* Parses one record per line, skipping blank lines; the errors name the
 * first bad line. Returns an array that owns its MaikoRecords. */
GPtrArray *_maiko_record_parse_lines (const char           *data,
                                      gsize                 size,
                                      GError              **error);

G_END_DECLS
