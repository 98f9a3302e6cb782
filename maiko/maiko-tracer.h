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

/**
 * MaikoTracerClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.Tracer]. The type is final: to watch the
 * runtime in a way of your own, subclass [class@Maiko.Monitor].
 */

MAIKO_AVAILABLE_IN_ALL
MaikoTracer *maiko_tracer_new (void);

G_END_DECLS
