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
JsonNode  *_maiko_record_build_restart (const char          *actor,
                                        guint                count,
                                        const GError        *error);
JsonNode  *_maiko_record_build_actor (MaikoRecordHook       hook,
                                      const char           *actor);

/* Parses one record per line, skipping blank lines, up to the first bad
 * line, which the error names, and which starts at @prefix_length (@size
 * if there is none). Returns the records before it (all of them when
 * @error is left unset), in an array that owns them; never NULL. */
GPtrArray *_maiko_record_parse_lines (const char           *data,
                                      gsize                 size,
                                      gsize                *prefix_length,
                                      GError              **error);

G_END_DECLS
