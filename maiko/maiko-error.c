/* maiko-error.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-error.h"

G_DEFINE_QUARK (maiko-error-quark, maiko_error)
