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

/* The JSON reading and writing that the wire form (maiko/bridges/
 * maiko-wire.c) shares with records. */

/* Parses untrusted @data as one JSON object, with every check
 * maiko_record_parse_line() makes but the length; returns its root. */
JsonNode  *_maiko_json_load_object   (const char           *data,
                                      gsize                 size,
                                      GError              **error);
/* Writes the member @name, the string @value or null. */
void       _maiko_json_add_string    (JsonBuilder          *builder,
                                      const char           *name,
                                      const char           *value);
/* Writes the members "payload", @payload's JSON form (null if it has
 * none), and "payload_type", its type (null for no payload). Returns
 * whether _maiko_json_read_payload() reads that form back exactly; if
 * not, the caller adds an exact form: the recorder a "payload_text". */
gboolean   _maiko_json_add_payload   (JsonBuilder          *builder,
                                      GVariant             *payload);
/* Reads those members, and "payload_text" when present; *@payload is
 * %NULL for an event without one. */
gboolean   _maiko_json_read_payload  (JsonObject           *object,
                                      GVariant            **payload,
                                      GError              **error);

G_END_DECLS
