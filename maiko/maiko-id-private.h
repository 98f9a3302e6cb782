/* maiko-id-private.h: envelope ids and timestamps, off every lock
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAIKO_UUID_LEN 36

/* Writes a random (version 4) UUID and a NUL into @out. Uses a per-thread
 * generator seeded once, so no lock and no syscall per id. */
void   _maiko_uuid_v4       (char out[MAIKO_UUID_LEN + 1]);

/* Wall-clock nanoseconds since the epoch, strictly increasing across all
 * threads of the process. */
gint64 _maiko_timestamp_ns  (void);

G_END_DECLS
