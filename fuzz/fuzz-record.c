/* fuzz-record.c: a libFuzzer target for the recorder's JSON Lines reader
 *
 * Each input goes to maiko_record_parse_line() as one line (with its
 * length, and NUL-terminated when it holds no NUL), to
 * maiko_recorder_read_bytes() and maiko_recorder_read_bytes_prefix() as
 * a whole file, and, as text, to a recorder's signals. Besides crashes,
 * sanitizer reports and criticals, the target checks what the reader
 * promises: a record or an INVALID_ARGUMENT error with a UTF-8 message,
 * never both; records whose fields are what their hook needs; the same
 * answer for a line read alone and read in a file; a payload read from
 * its JSON form equal to what json_gvariant_deserialize() gives; a prefix
 * that reads whole, with the records and the error the whole file gives;
 * and that what the recorder writes of any name or message reads back.
 *
 * Built by -Dfuzzing=true with clang; see fuzz/README.md.
 *
 * SPDX-License-Identifier: MIT
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <maiko.h>

#define FUZZ_NAME "fuzz-record"
#include "fuzz-common.h"

/* json_gvariant_deserialize() takes time quadratic in an array's length
 * (the reader does not use it for that reason): compare only payloads of
 * lines up to this size. */
#define MAX_COMPARED_LINE 65536

static void
check_error (const GError *error)
{
  CHECK (error != NULL);
  CHECK (error->domain == MAIKO_ERROR);
  CHECK (error->code == MAIKO_ERROR_INVALID_ARGUMENT);
  CHECK (g_utf8_validate (error->message, -1, NULL));
}

/* The payload as json-glib alone reads it from the line's JSON form,
 * when the line has one that the reader used. */
static GVariant *
payload_from_json_glib (const char *line,
                        gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  GVariant *payload;

  CHECK (json_parser_load_from_data (parser, line, length, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "payload_text"))
    return NULL;

  payload = json_gvariant_deserialize (json_object_get_member (object, "payload"),
                                       json_object_get_string_member (object, "payload_type"),
                                       &error);
  CHECK (payload != NULL);
  return g_variant_ref_sink (payload);
}

static void
check_record (MaikoRecord *record,
              const char  *line,
              gsize        length)
{
  MaikoRecordHook hook = maiko_record_get_hook (record);
  g_autoptr(MaikoRecord) ref = maiko_record_ref (record);
  GVariant *payload;

  CHECK (ref == record);
  /* Any integer is a time; read it all the same. */
  (void) maiko_record_get_time (record);

  switch (hook)
    {
    case MAIKO_RECORD_HOOK_EVENT_DISPATCHED:
    case MAIKO_RECORD_HOOK_EVENT_DELIVERED:
    case MAIKO_RECORD_HOOK_EVENT_HANDLED:
    case MAIKO_RECORD_HOOK_OVERFLOW:
      CHECK (g_uuid_string_is_valid (maiko_record_get_id (record)));
      CHECK (maiko_record_get_parent_id (record) == NULL || is_text (maiko_record_get_parent_id (record)));
      CHECK (is_text (maiko_record_get_label (record)));
      CHECK (is_text (maiko_record_get_topic (record)));
      CHECK (is_text (maiko_record_get_sender (record)));
      CHECK (is_text (maiko_record_get_receiver (record)));
      CHECK ((guint) maiko_record_get_policy (record) <= MAIKO_OVERFLOW_POLICY_BLOCK);
      CHECK (hook == MAIKO_RECORD_HOOK_OVERFLOW || maiko_record_get_policy (record) == MAIKO_OVERFLOW_POLICY_FAIL);
      (void) maiko_record_get_timestamp (record);
      CHECK (maiko_record_get_actor (record) == NULL);
      payload = maiko_record_get_payload (record);
      if (payload != NULL)
        {
          g_autofree char *text = g_variant_print (payload, TRUE);
          g_autoptr(GVariant) reference = NULL;

          CHECK (g_variant_type_string_is_valid (g_variant_get_type_string (payload)));
          CHECK (g_variant_is_normal_form (payload));
          CHECK (g_utf8_validate (text, -1, NULL));
          if (length <= MAX_COMPARED_LINE)
            reference = payload_from_json_glib (line, length);
          CHECK (reference == NULL || g_variant_equal (payload, reference));
        }
      break;

    case MAIKO_RECORD_HOOK_ERROR:
      CHECK (is_text (maiko_record_get_actor (record)));
      CHECK (is_text (maiko_record_get_error_domain (record)));
      CHECK (g_utf8_validate (maiko_record_get_error_message (record), -1, NULL));
      (void) maiko_record_get_error_code (record);
      CHECK (maiko_record_get_id (record) == NULL);
      break;

    case MAIKO_RECORD_HOOK_ACTOR_REGISTERED:
    case MAIKO_RECORD_HOOK_ACTOR_STOPPED:
      CHECK (is_text (maiko_record_get_actor (record)));
      CHECK (maiko_record_get_id (record) == NULL);
      CHECK (maiko_record_get_payload (record) == NULL);
      break;

    default:
      CHECK (!"a hook outside the enumeration");
    }
}

/* The prefix reader gives the records the strict reader gives, or those
 * before the line it fails on, with its error; and its prefix reads whole
 * to the same records. */
static void
check_prefix (GBytes    *bytes,
              GPtrArray *records,
              GError    *file_error)
{
  g_autoptr(GPtrArray) prefix = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GBytes) prefix_bytes = NULL;
  g_autoptr(GError) line_error = NULL;
  g_autoptr(GError) again_error = NULL;
  gsize length = G_MAXSIZE;

  prefix = maiko_recorder_read_bytes_prefix (bytes, &line_error, &length);
  CHECK (prefix != NULL);
  CHECK (length <= g_bytes_get_size (bytes));
  if (records != NULL)
    {
      CHECK (line_error == NULL);
      CHECK (prefix->len == records->len);
      CHECK (length == g_bytes_get_size (bytes));
      return;
    }

  check_error (line_error);
  CHECK (g_str_equal (line_error->message, file_error->message));
  CHECK (length < g_bytes_get_size (bytes));
  prefix_bytes = g_bytes_new_from_bytes (bytes, 0, length);
  again = maiko_recorder_read_bytes (prefix_bytes, &again_error);
  CHECK (again != NULL && again_error == NULL);
  CHECK (again->len == prefix->len);
  for (guint i = 0; i < prefix->len; i++)
    CHECK (maiko_record_get_hook (g_ptr_array_index (again, i)) ==
           maiko_record_get_hook (g_ptr_array_index (prefix, i)));
}

/* The recorder writes any text given to its signals (a name, an error
 * message, a domain) as a line that reads back. */
static void
check_written (const char *text)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(GError) failure = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  /* Not a quark of the text: each input would stay interned. */
  failure = g_error_new_literal (g_quark_from_static_string ("fuzz-record"), 1, text);
  g_signal_emit_by_name (recorder, "actor-registered", text);
  g_signal_emit_by_name (recorder, "error", text, failure);
  CHECK (maiko_recorder_close (recorder, NULL));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  CHECK (records != NULL && error == NULL);
  CHECK (records->len == 2);
  if (*text != '\0' && strlen (text) <= 65536 && g_utf8_validate (text, -1, NULL))
    CHECK (g_str_equal (maiko_record_get_actor (g_ptr_array_index (records, 0)), text));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(MaikoRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) file_error = NULL;
  gboolean one_line;

  /* As one line. */
  record = maiko_record_parse_line (text, size, &error);
  CHECK ((record == NULL) != (error == NULL));
  if (record != NULL)
    check_record (record, text, size);
  else
    check_error (error);

  /* The same, NUL-terminated. */
  if (memchr (data, '\0', size) == NULL)
    {
      g_autofree char *copy = g_strndup (text, size);
      g_autoptr(MaikoRecord) again = NULL;
      g_autoptr(GError) again_error = NULL;

      again = maiko_record_parse_line (copy, -1, &again_error);
      CHECK ((again == NULL) == (record == NULL));
      if (again != NULL)
        CHECK (maiko_record_get_hook (again) == maiko_record_get_hook (record));

      check_written (copy);
    }

  /* As a file. */
  records = maiko_recorder_read_bytes (bytes, &file_error);
  CHECK ((records == NULL) != (file_error == NULL));
  if (records == NULL)
    {
      check_error (file_error);
      CHECK (g_str_has_prefix (file_error->message, "line "));
    }
  check_prefix (bytes, records, file_error);

  /* A line without a newline reads the same alone and as a file, unless
   * the file sees only blanks. */
  one_line = memchr (data, '\n', size) == NULL;
  if (one_line && record != NULL)
    CHECK (records != NULL && records->len == 1 &&
           maiko_record_get_hook (g_ptr_array_index (records, 0)) == maiko_record_get_hook (record));
  if (one_line && records != NULL && records->len == 1)
    CHECK (record != NULL);
  for (guint i = 0; records != NULL && i < records->len; i++)
    CHECK (g_ptr_array_index (records, i) != NULL);

  return 0;
}
