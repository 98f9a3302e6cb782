/* maiko-topic-spy-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-topic-spy.h"

G_BEGIN_DECLS

/* @records: every entry recorded, never changed again. */
MaikoTopicSpy *_maiko_topic_spy_new (GPtrArray  *records,
                                     const char *topic);

G_END_DECLS
