/* maiko-wire.c: the wire form of an envelope, shared by the bridges
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "maiko-enum-types.h"
#include "maiko-envelope-private.h"
#include "maiko-error.h"
#include "maiko-record-private.h"
#include "maiko-wire.h"

/* What an envelope is made of on the wire, before it is checked. Strings
 * are borrowed from the variant or the JSON object being read. */
typedef struct
{
  const char *label;
  GVariant   *payload;       /* borrowed, or NULL */
  const char *id;
  const char *parent_id;     /* NULL for none */
  const char *sender;
  const char *topic;
  gint64      timestamp_ns;
  const char *origin;
} WireFields;

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *why)
{
  g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
               "Not a wire envelope: field “%s” %s", field, why);
  return FALSE;
}

static gboolean
check_text (const char  *value,
            const char  *field,
            GError     **error)
{
  if (value == NULL || *value == '\0')
    return invalid (error, field, "is empty");
  if (!g_utf8_validate (value, -1, NULL))
    return invalid (error, field, "is not UTF-8");
  return TRUE;
}

/* The one place where what comes from outside is checked, whatever the
 * format: a label, sender, topic and origin that are non-empty UTF-8, an
 * id in the UUID text form, a parent id that is, when present, what
 * maiko_context_send_child_event() accepts (non-empty UTF-8: any id a
 * local actor may send crosses), and a timestamp not before the epoch. */
static MaikoEnvelope *
envelope_from_fields (const WireFields  *fields,
                      char             **origin,
                      GError           **error)
{
  g_autoptr(MaikoEvent) event = NULL;

  if (!check_text (fields->label, "label", error) ||
      !check_text (fields->sender, "sender", error) ||
      !check_text (fields->topic, "topic", error) ||
      !check_text (fields->origin, "origin", error) ||
      (fields->parent_id != NULL && !check_text (fields->parent_id, "parent_id", error)))
    return NULL;
  if (fields->id == NULL || !g_uuid_string_is_valid (fields->id))
    {
      invalid (error, "id", "is not a UUID");
      return NULL;
    }
  if (fields->timestamp_ns < 0)
    {
      invalid (error, "timestamp_ns", "is before 1970");
      return NULL;
    }

  event = maiko_event_new (fields->label, fields->payload);
  if (origin != NULL)
    *origin = g_strdup (fields->origin);

  return _maiko_envelope_new_received (event, fields->origin, fields->id, fields->sender, fields->parent_id,
                                       fields->topic, fields->timestamp_ns);
}

/**
 * maiko_wire_to_variant:
 * @envelope: the envelope to carry
 * @origin: the bridge that sends it, a non-empty UTF-8 string
 *
 * Writes @envelope in the wire form, the [struct@GLib.Variant] of type
 * %MAIKO_WIRE_VARIANT_TYPE_STRING that D-Bus signals carry: every field of
 * the envelope, its event's label and payload, and @origin, by which the
 * bridges recognize their own events (see `docs/bridges.md`).
 * [func@Maiko.wire_from_variant] reads it back.
 *
 * Returns: (transfer full): the wire form, not floating
 */
GVariant *
maiko_wire_to_variant (MaikoEnvelope *envelope,
                       const char    *origin)
{
  MaikoEvent *event;
  GVariant *payload;
  const char *parent_id;

  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (origin != NULL && *origin != '\0', NULL);

  event = maiko_envelope_get_event (envelope);
  payload = maiko_event_get_payload (event);
  parent_id = maiko_envelope_get_parent_id (envelope);

  return g_variant_ref_sink (
    g_variant_new ("(ss@avsssxs)",
                   maiko_envelope_get_topic (envelope),
                   maiko_event_get_label (event),
                   g_variant_new_array (G_VARIANT_TYPE_VARIANT,
                                        payload != NULL ? &(GVariant *) { g_variant_new_variant (payload) } : NULL,
                                        payload != NULL ? 1 : 0),
                   maiko_envelope_get_id (envelope),
                   parent_id != NULL ? parent_id : "",
                   maiko_envelope_get_sender (envelope),
                   maiko_envelope_get_timestamp_ns (envelope),
                   origin));
}

/**
 * maiko_wire_from_variant:
 * @variant: a value in the wire form, from outside the program
 * @origin: (out) (optional) (transfer full): return location for the origin
 *   of the envelope
 * @error: return location for a #GError
 *
 * Reads an envelope written by [func@Maiko.wire_to_variant]. @variant
 * need not be trusted: a value of another type, a payload array of more
 * than one element, an id that is not a UUID, an empty or non-UTF-8
 * label, sender, topic, parent id or origin, or a timestamp before 1970
 * fail with %MAIKO_ERROR_INVALID_ARGUMENT, and so does a value made of
 * bytes (g_variant_new_from_bytes()) that are not in normal form.
 *
 * The envelope keeps the id, parent id, sender, topic and timestamp it was
 * sent with.
 *
 * Returns: (transfer full): the envelope, or %NULL with @error set
 */
MaikoEnvelope *
maiko_wire_from_variant (GVariant  *variant,
                         char     **origin,
                         GError   **error)
{
  g_autoptr(GVariant) payloads = NULL;
  g_autoptr(GVariant) payload = NULL;
  WireFields fields = { 0 };

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (MAIKO_WIRE_VARIANT_TYPE_STRING)))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Not a wire envelope: a value of type “%s”, not “%s”",
                   g_variant_get_type_string (variant), MAIKO_WIRE_VARIANT_TYPE_STRING);
      return NULL;
    }

  /* GLib reads any bytes safely, but gives default values (empty strings,
   * unit payloads) for what is malformed, and a payload kept in a form
   * that is not normal would not be equal to itself once sent on: refuse
   * it, with one error for all of it. Values that GDBus or the
   * g_variant_new() family made are known normal without a walk. */
  if (!g_variant_is_normal_form (variant))
    {
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "Not a wire envelope: not a serialised " MAIKO_WIRE_VARIANT_TYPE_STRING
                           " in normal form");
      return NULL;
    }

  g_variant_get (variant, "(&s&s@av&s&s&sx&s)", &fields.topic, &fields.label, &payloads,
                 &fields.id, &fields.parent_id, &fields.sender, &fields.timestamp_ns,
                 &fields.origin);
  if (g_variant_n_children (payloads) > 1)
    {
      invalid (error, "payload", "holds more than one value");
      return NULL;
    }
  if (g_variant_n_children (payloads) == 1)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (payloads, 0);

      fields.payload = payload = g_variant_get_variant (boxed);
    }
  if (*fields.parent_id == '\0')
    fields.parent_id = NULL;

  return envelope_from_fields (&fields, origin, error);
}

/* GVariant serialises in the host's byte order; the wire's is
 * little-endian, so two machines of different orders understand each
 * other. Takes @value's reference. */
static GVariant *
to_little_endian (GVariant *value)
{
  GVariant *swapped;

  if (G_BYTE_ORDER == G_LITTLE_ENDIAN)
    return value;

  swapped = g_variant_byteswap (value);
  g_variant_unref (value);
  return swapped;
}

/* A payload whose JSON form does not read back exactly (a variant, a
 * dictionary, a NaN...) also travels as "payload_variant": its serialised
 * form, little-endian, in base64. Text (the recorder's "payload_text")
 * would not do: GLib prints subnormal doubles that it cannot parse. */
static void
add_payload (JsonBuilder *builder,
             GVariant    *payload)
{
  g_autoptr(GVariant) normal = NULL;
  g_autofree char *data = NULL;

  if (_maiko_json_add_payload (builder, payload))
    return;

  normal = to_little_endian (g_variant_get_normal_form (payload));
  data = g_base64_encode (g_variant_get_data (normal), g_variant_get_size (normal));
  _maiko_json_add_string (builder, "payload_variant", data);
}

/* A builder and a generator per thread, reset for each envelope: making
 * the two objects was a good part of the cost of an event through the
 * MQTT bridge (2026-12-04 profile). */
typedef struct
{
  JsonBuilder   *builder;
  JsonGenerator *generator;
} JsonWriter;

static void
json_writer_free (gpointer data)
{
  JsonWriter *writer = data;

  g_object_unref (writer->builder);
  g_object_unref (writer->generator);
  g_free (writer);
}

static GPrivate json_writer = G_PRIVATE_INIT (json_writer_free);

static JsonWriter *
get_json_writer (void)
{
  JsonWriter *writer = g_private_get (&json_writer);

  if (writer == NULL)
    {
      writer = g_new0 (JsonWriter, 1);
      writer->builder = json_builder_new ();
      writer->generator = json_generator_new ();
      g_private_set (&json_writer, writer);
    }
  json_builder_reset (writer->builder);
  return writer;
}

static GBytes *
encode_json (MaikoEnvelope *envelope,
             const char    *origin)
{
  JsonWriter *writer = get_json_writer ();
  JsonBuilder *builder = writer->builder;
  JsonGenerator *generator = writer->generator;
  g_autoptr(JsonNode) root = NULL;
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  gsize length;
  char *text;

  json_builder_begin_object (builder);
  _maiko_json_add_string (builder, "label", maiko_event_get_label (event));
  add_payload (builder, maiko_event_get_payload (event));
  _maiko_json_add_string (builder, "id", maiko_envelope_get_id (envelope));
  _maiko_json_add_string (builder, "parent_id", maiko_envelope_get_parent_id (envelope));
  _maiko_json_add_string (builder, "sender", maiko_envelope_get_sender (envelope));
  _maiko_json_add_string (builder, "topic", maiko_envelope_get_topic (envelope));
  json_builder_set_member_name (builder, "timestamp_ns");
  json_builder_add_int_value (builder, maiko_envelope_get_timestamp_ns (envelope));
  _maiko_json_add_string (builder, "origin", origin);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  /* Neither keeps the envelope's tree past this call. */
  json_generator_set_root (generator, NULL);
  json_builder_reset (builder);

  return g_bytes_new_take (text, length);
}

/**
 * maiko_wire_encode:
 * @envelope: the envelope to carry
 * @origin: the bridge that sends it, a non-empty UTF-8 string
 * @format: how to write it
 *
 * Writes @envelope and @origin as bytes, for a transport that carries
 * bytes (MQTT): as a JSON object, or as the serialised wire form of
 * [func@Maiko.wire_to_variant]. `docs/bridges.md` describes both.
 * [func@Maiko.wire_decode] reads them back.
 *
 * Returns: (transfer full): the encoded envelope
 */
GBytes *
maiko_wire_encode (MaikoEnvelope   *envelope,
                   const char      *origin,
                   MaikoWireFormat  format)
{
  g_autoptr(GVariant) variant = NULL;

  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (origin != NULL && *origin != '\0', NULL);
  g_return_val_if_fail (format == MAIKO_WIRE_FORMAT_JSON || format == MAIKO_WIRE_FORMAT_VARIANT, NULL);

  if (format == MAIKO_WIRE_FORMAT_JSON)
    return encode_json (envelope, origin);

  variant = to_little_endian (maiko_wire_to_variant (envelope, origin));

  return g_variant_get_data_as_bytes (variant);
}

static gboolean
read_text (JsonObject  *object,
           const char  *name,
           gboolean     nullable,
           const char **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return invalid (error, name, "is missing");
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, name, "is not a string");

  *out = json_node_get_string (node);
  return TRUE;
}

/* The payload's exact form, "payload_variant", when there is one; else
 * what the recorder's reader reads. */
static gboolean
read_payload (JsonObject  *object,
              GVariant   **payload,
              GError     **error)
{
  const char *type = NULL;
  const char *data = NULL;
  g_autofree guchar *decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) value = NULL;
  gsize size;

  if (!json_object_has_member (object, "payload_variant"))
    return _maiko_json_read_payload (object, payload, error);

  if (!read_text (object, "payload_type", FALSE, &type, error) ||
      !read_text (object, "payload_variant", FALSE, &data, error))
    return FALSE;
  if (!g_variant_type_string_is_valid (type) || !g_variant_type_is_definite (G_VARIANT_TYPE (type)))
    return invalid (error, "payload_type", "is not a definite GVariant type");

  decoded = g_base64_decode (data, &size);
  bytes = g_bytes_new_take (g_steal_pointer (&decoded), size);
  value = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (type), bytes, FALSE));
  if (!g_variant_is_normal_form (value))
    return invalid (error, "payload_variant", "is not a serialised payload_type in normal form");

  *payload = to_little_endian (g_steal_pointer (&value));
  return TRUE;
}

static MaikoEnvelope *
decode_json (const char  *data,
             gsize        size,
             char       **origin,
             GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  WireFields fields = { 0 };
  JsonObject *object;
  JsonNode *timestamp;

  root = _maiko_json_load_object (data, size, &local_error);
  if (root == NULL)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Not a wire envelope: %s", local_error->message);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!read_text (object, "label", FALSE, &fields.label, error) ||
      !read_text (object, "id", FALSE, &fields.id, error) ||
      !read_text (object, "parent_id", TRUE, &fields.parent_id, error) ||
      !read_text (object, "sender", FALSE, &fields.sender, error) ||
      !read_text (object, "topic", FALSE, &fields.topic, error) ||
      !read_text (object, "origin", FALSE, &fields.origin, error))
    return NULL;

  timestamp = json_object_get_member (object, "timestamp_ns");
  if (timestamp == NULL || !JSON_NODE_HOLDS_VALUE (timestamp) ||
      json_node_get_value_type (timestamp) != G_TYPE_INT64)
    {
      invalid (error, "timestamp_ns", "is not an integer");
      return NULL;
    }
  fields.timestamp_ns = json_node_get_int (timestamp);

  if (!read_payload (object, &payload, &local_error))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Not a wire envelope: %s", local_error->message);
      return NULL;
    }
  fields.payload = payload;

  return envelope_from_fields (&fields, origin, error);
}

static MaikoEnvelope *
decode_variant (GBytes  *bytes,
                char   **origin,
                GError **error)
{
  g_autoptr(GVariant) variant = NULL;

  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (MAIKO_WIRE_VARIANT_TYPE_STRING),
                                                          bytes, FALSE));
  /* Its own inverse. */
  variant = to_little_endian (variant);

  return maiko_wire_from_variant (variant, origin, error);
}

/**
 * maiko_wire_decode:
 * @bytes: an encoded envelope, from outside the program
 * @format: how it was written
 * @origin: (out) (optional) (transfer full): return location for the origin
 *   of the envelope
 * @error: return location for a #GError
 *
 * Reads an envelope written by [func@Maiko.wire_encode]. @bytes need not
 * be trusted: more than %MAIKO_WIRE_MAX_SIZE bytes, bytes that are not
 * the @format's form (for JSON, everything [func@Maiko.Record.parse_line]
 * refuses of a line, a missing or mistyped field, or a payload that does
 * not match its type; for a variant, bytes not in normal form), and the
 * fields [func@Maiko.wire_from_variant] refuses fail with
 * %MAIKO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the envelope, or %NULL with @error set
 */
MaikoEnvelope *
maiko_wire_decode (GBytes           *bytes,
                   MaikoWireFormat   format,
                   char            **origin,
                   GError          **error)
{
  const char *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (format == MAIKO_WIRE_FORMAT_JSON || format == MAIKO_WIRE_FORMAT_VARIANT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > MAIKO_WIRE_MAX_SIZE)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "Not a wire envelope: more than %d bytes", MAIKO_WIRE_MAX_SIZE);
      return NULL;
    }

  if (format == MAIKO_WIRE_FORMAT_JSON)
    return decode_json (data != NULL ? data : "", size, origin, error);
  return decode_variant (bytes, origin, error);
}
