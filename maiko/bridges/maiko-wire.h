/* maiko-wire.h: the wire form of an envelope, shared by the bridges
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-envelope.h"
#include "maiko-version-macros.h"

G_BEGIN_DECLS

/**
 * MAIKO_WIRE_VARIANT_TYPE_STRING:
 *
 * The type of the wire form as a [struct@GLib.Variant]: a tuple of the
 * topic (first, so that D-Bus match rules can select it as `arg0`), the
 * label, the payload (an array of zero or one variant: D-Bus has no maybe
 * types), the id, the parent id (`""` for none), the sender, the timestamp
 * in nanoseconds since the Unix epoch, and the origin. See
 * `docs/bridges.md`.
 */
#define MAIKO_WIRE_VARIANT_TYPE_STRING "(ssavsssxs)"

/**
 * MAIKO_WIRE_MAX_SIZE:
 *
 * The largest encoded envelope [func@Maiko.wire_decode] reads, in bytes:
 * 64 MiB, as a D-Bus message may hold at most 128 MiB.
 */
#define MAIKO_WIRE_MAX_SIZE 67108864

/**
 * MaikoWireFormat:
 * @MAIKO_WIRE_FORMAT_JSON: a JSON object, UTF-8, written by json-glib:
 *   readable by any language
 * @MAIKO_WIRE_FORMAT_VARIANT: the serialised [struct@GLib.Variant] of type
 *   %MAIKO_WIRE_VARIANT_TYPE_STRING, little-endian: smaller and faster
 *
 * How [func@Maiko.wire_encode] writes an envelope as bytes.
 */
typedef enum
{
  MAIKO_WIRE_FORMAT_JSON,
  MAIKO_WIRE_FORMAT_VARIANT,
} MaikoWireFormat;

MAIKO_AVAILABLE_IN_ALL
GVariant      *maiko_wire_to_variant   (MaikoEnvelope    *envelope,
                                        const char       *origin);
MAIKO_AVAILABLE_IN_ALL
MaikoEnvelope *maiko_wire_from_variant (GVariant         *variant,
                                        char            **origin,
                                        GError          **error);
MAIKO_AVAILABLE_IN_ALL
GBytes        *maiko_wire_encode       (MaikoEnvelope    *envelope,
                                        const char       *origin,
                                        MaikoWireFormat   format);
MAIKO_AVAILABLE_IN_ALL
MaikoEnvelope *maiko_wire_decode       (GBytes           *bytes,
                                        MaikoWireFormat   format,
                                        char            **origin,
                                        GError          **error);

G_END_DECLS
