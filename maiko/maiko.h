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
# include "maiko-supervision.h"
# include "maiko-actor-info.h"
# include "maiko-actor-list.h"
# include "maiko-monitor.h"
# include "maiko-record.h"
# include "maiko-recorder.h"
# include "maiko-actor-monitor.h"
# include "maiko-tracer.h"
# include "maiko-event-entry.h"
# include "maiko-event-matcher.h"
# include "maiko-event-query.h"
# include "maiko-event-spy.h"
# include "maiko-actor-spy.h"
# include "maiko-topic-spy.h"
# include "maiko-actor-trace.h"
# include "maiko-event-trace.h"
# include "maiko-event-chain.h"
# include "maiko-harness.h"
# include "maiko-bridges.h"
# include "maiko-enum-types.h"
#undef MAIKO_INSIDE
