/* maiko-tracer.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include "maiko-monitor.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_TRACER (maiko_tracer_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoTracer, maiko_tracer, MAIKO, TRACER, MaikoMonitor)

MAIKO_AVAILABLE_IN_ALL
MaikoTracer *maiko_tracer_new (void);

G_END_DECLS
