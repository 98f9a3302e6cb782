/* maiko-deliveries-private.h: an outbox's deliveries, grouped by receiver
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-routes-private.h"

G_BEGIN_DECLS

typedef struct _MaikoDeliveries MaikoDeliveries;

MaikoDeliveries *_maiko_deliveries_new          (void);
void             _maiko_deliveries_free         (MaikoDeliveries           *deliveries);
void             _maiko_deliveries_group        (MaikoDeliveries           *deliveries,
                                                 MaikoRoutes               *routes,
                                                 MaikoActor                *sender,
                                                 MaikoEnvelope            **envelopes,
                                                 guint                      n);
guint            _maiko_deliveries_get_n_receivers (MaikoDeliveries        *deliveries);
GPtrArray       *_maiko_deliveries_get_unrouted (MaikoDeliveries           *deliveries);
MaikoActor      *_maiko_deliveries_get_receiver (MaikoDeliveries           *deliveries,
                                                 guint                      i,
                                                 MaikoEnvelope           ***envelopes,
                                                 const MaikoOverflowPolicy **policies,
                                                 guint                     *n);

G_END_DECLS
