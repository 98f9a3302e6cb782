/* maiko-worker-pool-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-mailbox-private.h"
#include "maiko-worker-pool.h"

G_BEGIN_DECLS

GMainContext *_maiko_worker_pool_place   (MaikoWorkerPool *self,
                                          guint           *index,
                                          GError         **error);
void          _maiko_worker_pool_release (MaikoWorkerPool *self,
                                          guint            index);
GMainContext *_maiko_worker_pool_acquire_own_context (void);
void          _maiko_worker_pool_hold    (MaikoWorkerPool *self);
void          _maiko_worker_pool_unhold  (MaikoWorkerPool *self);
MaikoSpinHint *_maiko_worker_pool_get_spin_hint (MaikoWorkerPool *self,
                                                 guint            index);

G_END_DECLS
