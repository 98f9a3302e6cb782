/* maiko-worker-pool.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#if !defined(MAIKO_INSIDE) && !defined(MAIKO_COMPILATION)
# error "Only <maiko.h> can be included directly."
#endif

#include <glib-object.h>

#include "maiko-version-macros.h"

G_BEGIN_DECLS

#define MAIKO_TYPE_WORKER_POOL (maiko_worker_pool_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MaikoWorkerPool, maiko_worker_pool, MAIKO, WORKER_POOL, GObject)

/**
 * MaikoWorkerPoolClass:
 * @parent_class: the parent class
 *
 * The class of [class@Maiko.WorkerPool]. The type is final.
 */

MAIKO_AVAILABLE_IN_ALL
MaikoWorkerPool *maiko_worker_pool_new            (guint            n_workers);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_worker_pool_get_n_workers  (MaikoWorkerPool *self);
MAIKO_AVAILABLE_IN_ALL
GMainContext    *maiko_worker_pool_get_context    (MaikoWorkerPool *self,
                                                   guint            index);
MAIKO_AVAILABLE_IN_ALL
guint            maiko_worker_pool_get_load       (MaikoWorkerPool *self,
                                                   guint            index);
MAIKO_AVAILABLE_IN_ALL
void             maiko_worker_pool_stop           (MaikoWorkerPool *self);
MAIKO_AVAILABLE_IN_ALL
gboolean         maiko_worker_pool_is_running     (MaikoWorkerPool *self);

G_END_DECLS
