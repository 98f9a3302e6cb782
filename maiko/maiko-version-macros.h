/* maiko-version-macros.h: symbol visibility
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#ifndef _MAIKO_EXTERN
# define _MAIKO_EXTERN __attribute__((visibility ("default"))) extern
#endif

/* Every public symbol is declared with this macro; the library is built
 * with hidden visibility, so nothing else is exported. */
#define MAIKO_AVAILABLE_IN_ALL _MAIKO_EXTERN
