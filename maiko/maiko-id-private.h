/* maiko-id-private.h: envelope ids and timestamps, off every lock
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAIKO_UUID_LEN 36

/* A random (version 4) UUID, as bits: formatting it as text costs more
 * than drawing it, and most ids are never read. */
typedef struct
{
  guint8 bytes[16];
} MaikoUuid;

/* Draws a UUID from a per-thread generator seeded once: no lock and no
 * syscall per id. */
void   _maiko_uuid_v4       (MaikoUuid  *uuid);
/* Writes @uuid as text and a NUL into @out. */
void   _maiko_uuid_format   (const MaikoUuid *uuid,
                             char        out[MAIKO_UUID_LEN + 1]);

/* Wall-clock nanoseconds since the epoch, strictly increasing across all
 * threads of the process. */
gint64 _maiko_timestamp_ns  (void);

G_END_DECLS
