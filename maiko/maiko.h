/* maiko.h: the single public include of Maiko
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#define MAIKO_INSIDE
# include "maiko-version-macros.h"
# include "maiko-error.h"
# include "maiko-event.h"
# include "maiko-envelope.h"
# include "maiko-actor.h"
# include "maiko-context.h"
# include "maiko-supervisor.h"
# include "maiko-monitor.h"
# include "maiko-record.h"
# include "maiko-recorder.h"
# include "maiko-actor-monitor.h"
# include "maiko-tracer.h"
# include "maiko-enum-types.h"
#undef MAIKO_INSIDE
