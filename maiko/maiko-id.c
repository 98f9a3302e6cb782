/* maiko-id.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <time.h>

#include "maiko-id-private.h"

/* xoshiro256** (Blackman and Vigna): fast, and good enough for unique ids
 * once seeded from the system's random source. */
typedef struct
{
  guint64 s[4];
  gboolean seeded;
} IdRng;

static _Thread_local IdRng id_rng;

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
id_rng_next (IdRng *rng)
{
  guint64 result = rotl (rng->s[1] * 5, 7) * 9;
  guint64 t = rng->s[1] << 17;

  rng->s[2] ^= rng->s[0];
  rng->s[3] ^= rng->s[1];
  rng->s[1] ^= rng->s[2];
  rng->s[0] ^= rng->s[3];
  rng->s[2] ^= t;
  rng->s[3] = rotl (rng->s[3], 45);

  return result;
}

static void
id_rng_seed (IdRng *rng)
{
  /* g_random_* is seeded from /dev/urandom; it takes a global lock, which
   * is fine once per thread. */
  for (guint i = 0; i < G_N_ELEMENTS (rng->s); i++)
    rng->s[i] = ((guint64) g_random_int () << 32) | g_random_int ();
  rng->seeded = TRUE;
}

void
_maiko_uuid_v4 (MaikoUuid *uuid)
{
  guint64 hi, lo;

  if (G_UNLIKELY (!id_rng.seeded))
    id_rng_seed (&id_rng);

  hi = id_rng_next (&id_rng);
  lo = id_rng_next (&id_rng);
  for (guint i = 0; i < 8; i++)
    {
      uuid->bytes[i] = hi >> (8 * i);
      uuid->bytes[8 + i] = lo >> (8 * i);
    }
  uuid->bytes[6] = (uuid->bytes[6] & 0x0f) | 0x40;  /* version 4 */
  uuid->bytes[8] = (uuid->bytes[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
}

void
_maiko_uuid_format (const MaikoUuid *uuid,
                    char             out[MAIKO_UUID_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint pos = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[pos++] = '-';
      out[pos++] = hex[uuid->bytes[i] >> 4];
      out[pos++] = hex[uuid->bytes[i] & 0xf];
    }
  out[pos] = '\0';
}

gint64
_maiko_timestamp_ns (void)
{
  /* Alone in its cache line: written for every envelope, it must not
   * share one with data other threads read per event (it shared one with
   * the monitor's signal ids, which cost an active monitor 15 % of S2). */
  static struct
  {
    _Alignas (64) gint64 ns;
    char padding[64 - sizeof (gint64)];
  } last;
  struct timespec ts;
  gint64 now, prev;

  /* A vDSO call: no syscall. */
  clock_gettime (CLOCK_REALTIME, &ts);
  now = (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;

  prev = __atomic_load_n (&last.ns, __ATOMIC_RELAXED);
  do
    {
      if (now <= prev)
        now = prev + 1;
    }
  while (!__atomic_compare_exchange_n (&last.ns, &prev, now, TRUE,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED));

  return now;
}
