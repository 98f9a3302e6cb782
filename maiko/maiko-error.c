/* maiko-error.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-error.h"

/**
 * maiko_error_quark:
 *
 * Gets the quark of the %MAIKO_ERROR error domain.
 *
 * Returns: the error domain of Maiko
 */
GQuark
maiko_error_quark (void)
{
  /* Not G_DEFINE_QUARK: its plain static is written by the first caller
   * while other threads may read it, a data race (harmless on x86, but
   * undefined in C11, and ThreadSanitizer reports it when several actors
   * fail at once). */
  static gint quark;  /* a GQuark; 0 until the first call */
  GQuark q = (GQuark) g_atomic_int_get (&quark);

  if (G_UNLIKELY (q == 0))
    {
      q = g_quark_from_static_string ("maiko-error-quark");
      g_atomic_int_set (&quark, (gint) q);
    }

  return q;
}
