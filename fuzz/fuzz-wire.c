/* fuzz-wire.c: a libFuzzer target for the wire form's decoders
 *
 * Each input goes to maiko_wire_decode() as JSON and as a serialised
 * variant, and to maiko_wire_from_variant() as a variant made of the bytes
 * without the normal-form check (what a transport that hands over
 * GVariants could give). Besides crashes, sanitizer reports and
 * criticals, the target checks what the decoders promise: an envelope or
 * an INVALID_ARGUMENT error with a UTF-8 message, never both; an envelope
 * whose label, sender, topic and origin are non-empty UTF-8 and whose id
 * is a UUID; and that an envelope decoded once encodes and decodes again,
 * in both formats, to the same fields.
 *
 * Built by -Dfuzzing=true with clang; see fuzz/README.md.
 *
 * SPDX-License-Identifier: MIT
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maiko.h>

#define FUZZ_NAME "fuzz-wire"
#include "fuzz-common.h"

/* The JSON form keeps a NaN, but not the bits of its mantissa. */
static gboolean
same_text (GVariant *a,
           GVariant *b)
{
  g_autofree char *ta = g_variant_print (a, TRUE);
  g_autofree char *tb = g_variant_print (b, TRUE);

  return g_str_equal (ta, tb) && strstr (ta, "nan") != NULL;
}

static void
check_same (MaikoEnvelope *a,
            MaikoEnvelope *b)
{
  GVariant *pa = maiko_event_get_payload (maiko_envelope_get_event (a));
  GVariant *pb = maiko_event_get_payload (maiko_envelope_get_event (b));

  CHECK (g_str_equal (maiko_event_get_label (maiko_envelope_get_event (a)),
                      maiko_event_get_label (maiko_envelope_get_event (b))));
  CHECK (g_str_equal (maiko_envelope_get_id (a), maiko_envelope_get_id (b)));
  CHECK (g_strcmp0 (maiko_envelope_get_parent_id (a), maiko_envelope_get_parent_id (b)) == 0);
  CHECK (maiko_envelope_get_sender (a) == maiko_envelope_get_sender (b));
  CHECK (g_str_equal (maiko_envelope_get_topic (a), maiko_envelope_get_topic (b)));
  CHECK (maiko_envelope_get_timestamp_ns (a) == maiko_envelope_get_timestamp_ns (b));
  CHECK ((pa == NULL) == (pb == NULL));
  CHECK (pa == NULL || g_variant_equal (pa, pb) || same_text (pa, pb));
}

static void
check_outcome (MaikoEnvelope *envelope,
               char          *origin,
               GError        *error)
{
  if (envelope == NULL)
    {
      CHECK (origin == NULL);
      CHECK (error != NULL);
      CHECK (error->domain == MAIKO_ERROR);
      CHECK (error->code == MAIKO_ERROR_INVALID_ARGUMENT);
      CHECK (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  CHECK (error == NULL);
  CHECK (is_text (origin));
  CHECK (is_text (maiko_event_get_label (maiko_envelope_get_event (envelope))));
  CHECK (is_text (maiko_envelope_get_sender (envelope)));
  CHECK (is_text (maiko_envelope_get_topic (envelope)));
  CHECK (g_uuid_string_is_valid (maiko_envelope_get_id (envelope)));
  CHECK (maiko_envelope_get_timestamp_ns (envelope) >= 0);

  for (int format = MAIKO_WIRE_FORMAT_JSON; format <= MAIKO_WIRE_FORMAT_VARIANT; format++)
    {
      g_autoptr(GBytes) bytes = maiko_wire_encode (envelope, origin, format);
      g_autoptr(GError) again_error = NULL;
      g_autofree char *again_origin = NULL;
      g_autoptr(MaikoEnvelope) again = maiko_wire_decode (bytes, format, &again_origin,
                                                          &again_error);

      if (again == NULL)
        fprintf (stderr, "fuzz-wire: re-decoding failed: %s\n", again_error->message);
      CHECK (again != NULL);
      CHECK (g_str_equal (origin, again_origin));
      check_same (envelope, again);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GVariant) variant = NULL;

  for (int format = MAIKO_WIRE_FORMAT_JSON; format <= MAIKO_WIRE_FORMAT_VARIANT; format++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *origin = NULL;
      g_autoptr(MaikoEnvelope) envelope = maiko_wire_decode (bytes, format, &origin, &error);

      check_outcome (envelope, origin, error);
    }

  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (MAIKO_WIRE_VARIANT_TYPE_STRING),
                                                          bytes, FALSE));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *origin = NULL;
    g_autoptr(MaikoEnvelope) envelope = maiko_wire_from_variant (variant, &origin, &error);

    check_outcome (envelope, origin, error);
  }

  return 0;
}
