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
G_DEFINE_QUARK (maiko-error-quark, maiko_error)
