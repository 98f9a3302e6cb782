/* test-wire.c: the wire form of an envelope (maiko/bridges/maiko-wire.c)
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

#define ID "6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab"
#define PARENT "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"
#define TIMESTAMP G_GINT64_CONSTANT (1764800000123456789)

/* A wire value with every field given. */
static GVariant *
wire_value (const char *label,
            GVariant   *payload,
            const char *id,
            const char *parent_id,
            const char *sender,
            const char *topic,
            gint64      timestamp_ns,
            const char *origin)
{
  GVariantBuilder payloads;

  g_variant_builder_init (&payloads, G_VARIANT_TYPE ("av"));
  if (payload != NULL)
    g_variant_builder_add (&payloads, "v", payload);

  return g_variant_ref_sink (g_variant_new ("(ssavsssxs)", topic, label, &payloads, id, parent_id,
                                            sender, timestamp_ns, origin));
}

static MaikoEnvelope *
make_envelope (GVariant   *payload,
               const char *parent_id)
{
  g_autoptr(GVariant) value = wire_value ("Reading", payload, ID, parent_id, "sensor", "readings",
                                          TIMESTAMP, "origin-a");
  g_autoptr(GError) error = NULL;
  MaikoEnvelope *envelope = maiko_wire_from_variant (value, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  return envelope;
}

static void
assert_same (MaikoEnvelope *a,
             MaikoEnvelope *b)
{
  GVariant *pa = maiko_event_get_payload (maiko_envelope_get_event (a));
  GVariant *pb = maiko_event_get_payload (maiko_envelope_get_event (b));

  g_assert_cmpstr (maiko_event_get_label (maiko_envelope_get_event (a)), ==,
                   maiko_event_get_label (maiko_envelope_get_event (b)));
  g_assert_cmpstr (maiko_envelope_get_id (a), ==, maiko_envelope_get_id (b));
  g_assert_cmpstr (maiko_envelope_get_parent_id (a), ==, maiko_envelope_get_parent_id (b));
  g_assert_cmpstr (maiko_envelope_get_sender (a), ==, maiko_envelope_get_sender (b));
  g_assert_cmpstr (maiko_envelope_get_topic (a), ==, maiko_envelope_get_topic (b));
  g_assert_cmpint (maiko_envelope_get_timestamp_ns (a), ==, maiko_envelope_get_timestamp_ns (b));
  g_assert_true ((pa == NULL) == (pb == NULL));
  if (pa != NULL)
    {
      g_assert_cmpstr (g_variant_get_type_string (pa), ==, g_variant_get_type_string (pb));
      g_assert_true (g_variant_equal (pa, pb));
    }
}

static MaikoEnvelope *
round_trip (MaikoEnvelope   *envelope,
            MaikoWireFormat  format)
{
  g_autoptr(GBytes) bytes = maiko_wire_encode (envelope, "origin-b", format);
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  MaikoEnvelope *back = maiko_wire_decode (bytes, format, &origin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (origin, ==, "origin-b");
  return back;
}

/* The fields of a value read from the wire are the envelope's. */
static void
test_from_variant_fields (void)
{
  g_autoptr(GVariant) value = wire_value ("Reading", g_variant_new_int32 (7), ID, PARENT, "sensor",
                                          "readings", TIMESTAMP, "origin-a");
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(MaikoEnvelope) envelope = maiko_wire_from_variant (value, &origin, &error);
  g_autoptr(GVariant) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (origin, ==, "origin-a");
  g_assert_cmpstr (maiko_event_get_label (maiko_envelope_get_event (envelope)), ==, "Reading");
  g_assert_cmpint (g_variant_get_int32 (maiko_event_get_payload (maiko_envelope_get_event (envelope))), ==, 7);
  g_assert_cmpstr (maiko_envelope_get_id (envelope), ==, ID);
  g_assert_cmpstr (maiko_envelope_get_parent_id (envelope), ==, PARENT);
  g_assert_cmpstr (maiko_envelope_get_sender (envelope), ==, "sensor");
  g_assert_true (maiko_envelope_get_sender (envelope) == g_intern_string ("sensor"));
  g_assert_cmpstr (maiko_envelope_get_topic (envelope), ==, "readings");
  g_assert_cmpint (maiko_envelope_get_timestamp_ns (envelope), ==, TIMESTAMP);
  g_assert_cmpint (maiko_envelope_get_timestamp (envelope), ==, TIMESTAMP / 1000);

  /* And written back, the same value. */
  again = maiko_wire_to_variant (envelope, "origin-a");
  g_assert_false (g_variant_is_floating (again));
  g_assert_cmpstr (g_variant_get_type_string (again), ==, MAIKO_WIRE_VARIANT_TYPE_STRING);
  g_assert_true (g_variant_equal (value, again));
}

/* Payloads of many types, and none, cross both formats exactly. */
static void
test_round_trip (void)
{
  GVariant *payloads[] = {
    NULL,
    g_variant_new_string ("héllo"),
    g_variant_new_int64 (G_MININT64),
    g_variant_new_uint64 (G_MAXUINT64),
    g_variant_new_byte (255),
    g_variant_new_double (0.1),
    g_variant_new_double (1e300),
    g_variant_new_boolean (TRUE),
    g_variant_new_parsed ("{'a': <1>, 'b': <'x'>}"),
    g_variant_new_parsed ("[(1, 'x'), (2, 'y')]"),
    g_variant_new_parsed ("@ms nothing"),
    g_variant_new_parsed ("@mmi just nothing"),
    g_variant_new_parsed ("<<int16 3>>"),
    g_variant_new_parsed ("@ay [0, 1, 255]"),
    g_variant_new_parsed ("objectpath '/a/b'"),
    g_variant_new_parsed ("@ad [1.5, -2.0]"),
    g_variant_new_parsed ("()"),
  };
  g_autoptr(MaikoEnvelope) doubles = NULL;

  for (gsize i = 1; i < G_N_ELEMENTS (payloads); i++)
    g_variant_ref_sink (payloads[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (payloads); i++)
    for (guint parent = 0; parent < 2; parent++)
      {
        GVariant *payload = payloads[i];
        g_autoptr(MaikoEnvelope) envelope = make_envelope (payload, parent ? PARENT : "");
        g_autoptr(MaikoEnvelope) json = round_trip (envelope, MAIKO_WIRE_FORMAT_JSON);
        g_autoptr(MaikoEnvelope) binary = round_trip (envelope, MAIKO_WIRE_FORMAT_VARIANT);

        g_assert_true ((maiko_envelope_get_parent_id (envelope) != NULL) == parent);
        assert_same (envelope, json);
        assert_same (envelope, binary);
      }
  for (gsize i = 1; i < G_N_ELEMENTS (payloads); i++)
    g_variant_unref (payloads[i]);

  /* Doubles without a JSON form (an infinity) or that GLib prints but does
   * not parse back (subnormal) cross exactly too. */
  doubles = make_envelope (g_variant_new_parsed ("[<@ad [inf, 1.0]>, %v]",
                                                  g_variant_new_variant (g_variant_new_double (5e-324))),
                           "");
  {
    g_autoptr(MaikoEnvelope) json = round_trip (doubles, MAIKO_WIRE_FORMAT_JSON);

    assert_same (doubles, json);
  }
}

/* An envelope the runtime made crosses whole: the id and timestamp it got
 * when it was sent, its sender and its topic. */
static void
test_runtime_envelope (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MaikoEvent) hi = maiko_event_new ("Hi", g_variant_new_string ("x"));
  MaikoEnvelope *envelope;

  actor->keep_envelopes = TRUE;
  test_add (sup, "keeper", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_send (sup, hi, &error));
  g_assert_true (test_actor_wait_handled (actor, 1));
  envelope = g_ptr_array_index (actor->received, 0);

  for (guint format = MAIKO_WIRE_FORMAT_JSON; format <= MAIKO_WIRE_FORMAT_VARIANT; format++)
    {
      g_autoptr(MaikoEnvelope) back = round_trip (envelope, format);

      assert_same (envelope, back);
      g_assert_cmpstr (maiko_envelope_get_sender (back), ==, "supervisor");
      g_assert_cmpstr (maiko_envelope_get_topic (back), ==, MAIKO_DEFAULT_TOPIC);
    }

  maiko_supervisor_stop (sup, &error);
  g_assert_no_error (error);
}

static void
assert_variant_refused (GVariant   *value,
                        const char *message)
{
  g_autoptr(GVariant) owned = g_variant_take_ref (value);
  g_autoptr(GError) error = NULL;
  char *origin = NULL;
  MaikoEnvelope *envelope = maiko_wire_from_variant (owned, &origin, &error);

  g_assert_null (envelope);
  g_assert_null (origin);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, message));
}

/* Each kind of bad value is refused, and says why. */
static void
test_variant_refused (void)
{
  GVariantBuilder two;

  assert_variant_refused (g_variant_new_string ("no"), "of type “s”");
  assert_variant_refused (wire_value ("", NULL, ID, "", "s", "t", 1, "o"), "“label” is empty");
  assert_variant_refused (wire_value ("L", NULL, "not-a-uuid", "", "s", "t", 1, "o"), "“id” is not a UUID");
  assert_variant_refused (wire_value ("L", NULL, ID "0", "", "s", "t", 1, "o"), "“id” is not a UUID");
  assert_variant_refused (wire_value ("L", NULL, ID, "", "", "t", 1, "o"), "“sender” is empty");
  assert_variant_refused (wire_value ("L", NULL, ID, "", "s", "", 1, "o"), "“topic” is empty");
  assert_variant_refused (wire_value ("L", NULL, ID, "", "s", "t", 1, ""), "“origin” is empty");
  assert_variant_refused (wire_value ("L", NULL, ID, "", "s", "t", -1, "o"), "“timestamp_ns” is before 1970");

  g_variant_builder_init (&two, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&two, "v", g_variant_new_int32 (1));
  g_variant_builder_add (&two, "v", g_variant_new_int32 (2));
  assert_variant_refused (g_variant_new ("(ssavsssxs)", "t", "L", &two, ID, "", "s", (gint64) 1, "o"),
                          "“payload” holds more than one value");
}

static void
assert_bytes_refused (const char      *data,
                      gssize           length,
                      MaikoWireFormat  format,
                      const char      *message)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length >= 0 ? (gsize) length : strlen (data));
  g_autoptr(GError) error = NULL;
  char *origin = NULL;
  MaikoEnvelope *envelope = maiko_wire_decode (bytes, format, &origin, &error);

  g_assert_null (envelope);
  g_assert_null (origin);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

#define GOOD_TAIL "\"id\":\"" ID "\",\"parent_id\":null,\"sender\":\"s\",\"topic\":\"t\"," \
                  "\"timestamp_ns\":1,\"origin\":\"o\"}"
#define NO_PAYLOAD "\"payload\":null,\"payload_type\":null,"

static void
test_json_refused (void)
{
  g_autoptr(GBytes) good = NULL;
  g_autoptr(MaikoEnvelope) envelope = NULL;
  g_autoptr(GError) error = NULL;

  /* The form the refusals below break. */
  good = g_bytes_new_static ("{\"label\":\"L\"," NO_PAYLOAD GOOD_TAIL, strlen ("{\"label\":\"L\"," NO_PAYLOAD GOOD_TAIL));
  envelope = maiko_wire_decode (good, MAIKO_WIRE_FORMAT_JSON, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);

  assert_bytes_refused ("", 0, MAIKO_WIRE_FORMAT_JSON, "not a JSON object");
  assert_bytes_refused ("[1]", -1, MAIKO_WIRE_FORMAT_JSON, "not a JSON object");
  assert_bytes_refused ("{\"label\":", -1, MAIKO_WIRE_FORMAT_JSON, "invalid JSON");
  assert_bytes_refused ("{\"label\":\"\xff\"}", -1, MAIKO_WIRE_FORMAT_JSON, "not valid UTF-8");
  assert_bytes_refused ("{\"a\":1}\0{}", 10, MAIKO_WIRE_FORMAT_JSON, "not valid UTF-8");
  assert_bytes_refused ("{} {}", -1, MAIKO_WIRE_FORMAT_JSON, "text after");
  assert_bytes_refused ("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                        -1, MAIKO_WIRE_FORMAT_JSON, "nested deeper");
  assert_bytes_refused ("{" NO_PAYLOAD GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "“label” is missing");
  assert_bytes_refused ("{\"label\":3," NO_PAYLOAD GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "“label” is not a string");
  assert_bytes_refused ("{\"label\":\"\"," NO_PAYLOAD GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "“label” is empty");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":1,\"payload_type\":\"s\"," GOOD_TAIL, -1,
                        MAIKO_WIRE_FORMAT_JSON, "does not match payload_type");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":70000,\"payload_type\":\"n\"," GOOD_TAIL, -1,
                        MAIKO_WIRE_FORMAT_JSON, "out of range");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":1,\"payload_type\":\"(\"," GOOD_TAIL, -1,
                        MAIKO_WIRE_FORMAT_JSON, "not a GVariant type");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":null,\"payload_type\":\"a{sv}\"," GOOD_TAIL, -1,
                        MAIKO_WIRE_FORMAT_JSON, "needs a “payload_text”");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":null,\"payload_type\":\"*\",\"payload_variant\":\"\","
                        GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "not a definite GVariant type");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":null,\"payload_type\":\"a{sv}\",\"payload_variant\":\"AAAA\","
                        GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "“payload_variant” is not a serialised");
  assert_bytes_refused ("{\"label\":\"L\",\"payload\":null,\"payload_type\":\"v\",\"payload_variant\":3,"
                        GOOD_TAIL, -1, MAIKO_WIRE_FORMAT_JSON, "“payload_variant” is not a string");
  assert_bytes_refused ("{\"label\":\"L\"," NO_PAYLOAD "\"id\":\"x\",\"parent_id\":null,\"sender\":\"s\","
                        "\"topic\":\"t\",\"timestamp_ns\":1,\"origin\":\"o\"}", -1,
                        MAIKO_WIRE_FORMAT_JSON, "“id” is not a UUID");
  assert_bytes_refused ("{\"label\":\"L\"," NO_PAYLOAD "\"id\":\"" ID "\",\"parent_id\":\"\",\"sender\":\"s\","
                        "\"topic\":\"t\",\"timestamp_ns\":1,\"origin\":\"o\"}", -1,
                        MAIKO_WIRE_FORMAT_JSON, "“parent_id” is empty");
  assert_bytes_refused ("{\"label\":\"L\"," NO_PAYLOAD "\"id\":\"" ID "\",\"parent_id\":null,\"sender\":\"s\","
                        "\"topic\":\"t\",\"timestamp_ns\":\"1\",\"origin\":\"o\"}", -1,
                        MAIKO_WIRE_FORMAT_JSON, "“timestamp_ns” is not an integer");
  assert_bytes_refused ("{\"label\":\"L\"," NO_PAYLOAD "\"id\":\"" ID "\",\"parent_id\":null,\"sender\":\"s\","
                        "\"topic\":\"t\",\"timestamp_ns\":9223372036854775808,\"origin\":\"o\"}", -1,
                        MAIKO_WIRE_FORMAT_JSON, "out of range");
  assert_bytes_refused ("{\"label\":\"L\"," NO_PAYLOAD "\"id\":\"" ID "\",\"parent_id\":null,\"sender\":\"s\","
                        "\"topic\":\"t\",\"timestamp_ns\":1}", -1,
                        MAIKO_WIRE_FORMAT_JSON, "“origin” is missing");
}

/* JSON written by others may give the payload as text, as the recorder
 * writes it. */
static void
test_json_payload_text (void)
{
  const char *text = "{\"label\":\"L\",\"payload\":null,\"payload_type\":\"a{sv}\","
                     "\"payload_text\":\"{'k': <3>}\"," GOOD_TAIL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(MaikoEnvelope) envelope = maiko_wire_decode (bytes, MAIKO_WIRE_FORMAT_JSON, NULL, &error);
  g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new_parsed ("{'k': <3>}"));

  g_assert_no_error (error);
  g_assert_true (g_variant_equal (maiko_event_get_payload (maiko_envelope_get_event (envelope)), expected));
}

static void
test_variant_bytes_refused (void)
{
  g_autoptr(MaikoEnvelope) envelope = make_envelope (g_variant_new_string ("x"), PARENT);
  g_autoptr(GBytes) good = maiko_wire_encode (envelope, "o", MAIKO_WIRE_FORMAT_VARIANT);
  gsize size;
  const char *data = g_bytes_get_data (good, &size);
  g_autofree char *cut = g_memdup2 (data, size);

  assert_bytes_refused ("", 0, MAIKO_WIRE_FORMAT_VARIANT, "normal form");
  assert_bytes_refused ("garbage bytes", -1, MAIKO_WIRE_FORMAT_VARIANT, "normal form");
  /* Cut short: the framing offsets point past the end. */
  assert_bytes_refused (data, size - 3, MAIKO_WIRE_FORMAT_VARIANT, "normal form");
  /* A string's terminating NUL overwritten. */
  cut[strlen ("readings")] = 'X';
  assert_bytes_refused (cut, size, MAIKO_WIRE_FORMAT_VARIANT, "normal form");
}

static void
test_too_large (void)
{
  gsize size = MAIKO_WIRE_MAX_SIZE + 1;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr(GError) error = NULL;

  for (guint format = MAIKO_WIRE_FORMAT_JSON; format <= MAIKO_WIRE_FORMAT_VARIANT; format++)
    {
      g_assert_null (maiko_wire_decode (bytes, format, NULL, &error));
      g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
}

/* The binary form is little-endian whatever the host: the timestamp's
 * first byte is its lowest. */
static void
test_variant_little_endian (void)
{
  g_autoptr(GVariant) value = wire_value ("L", NULL, ID, "", "s", "t", 0x0102030405060708, "o");
  g_autoptr(MaikoEnvelope) envelope = maiko_wire_from_variant (value, NULL, NULL);
  g_autoptr(GBytes) bytes = maiko_wire_encode (envelope, "o", MAIKO_WIRE_FORMAT_VARIANT);
  const guint8 pattern[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gboolean found = FALSE;

  for (gsize i = 0; i + sizeof pattern <= size && !found; i++)
    found = memcmp (data + i, pattern, sizeof pattern) == 0;
  g_assert_true (found);
}

/* The enum is registered, for the bindings. */
static void
test_format_type (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MAIKO_TYPE_WIRE_FORMAT);

  g_assert_cmpstr (g_enum_get_value (klass, MAIKO_WIRE_FORMAT_JSON)->value_nick, ==, "json");
  g_assert_cmpstr (g_enum_get_value (klass, MAIKO_WIRE_FORMAT_VARIANT)->value_nick, ==, "variant");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/from-variant-fields", test_from_variant_fields);
  g_test_add_func ("/wire/round-trip", test_round_trip);
  g_test_add_func ("/wire/runtime-envelope", test_runtime_envelope);
  g_test_add_func ("/wire/variant-refused", test_variant_refused);
  g_test_add_func ("/wire/json-refused", test_json_refused);
  g_test_add_func ("/wire/json-payload-text", test_json_payload_text);
  g_test_add_func ("/wire/variant-bytes-refused", test_variant_bytes_refused);
  g_test_add_func ("/wire/too-large", test_too_large);
  g_test_add_func ("/wire/variant-little-endian", test_variant_little_endian);
  g_test_add_func ("/wire/format-type", test_format_type);

  return g_test_run ();
}
