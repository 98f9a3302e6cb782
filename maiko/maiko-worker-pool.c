/* maiko-worker-pool.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-error.h"
#include "maiko-worker-pool-private.h"

/**
 * MaikoWorkerPool:
 *
 * A fixed set of worker threads, each iterating a [struct@GLib.MainContext]
 * of its own pushed as thread-default, that a supervisor places its actors
 * on instead of giving each actor a thread of its own.
 *
 * Give the pool to a supervisor with its
 * [property@Maiko.Supervisor:worker-pool] construct property:
 *
 * ```c
 * g_autoptr(MaikoWorkerPool) pool = maiko_worker_pool_new (0);
 * g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
 *                                                "worker-pool", pool,
 *                                                NULL);
 * ```
 *
 * ```python
 * pool = Maiko.WorkerPool.new(0)
 * sup = Maiko.Supervisor(worker_pool=pool)
 * ```
 *
 * **Placement.** Each actor added to that supervisor goes to the worker
 * that holds the fewest actors at that moment (the lowest index among
 * equals), unless its [property@Maiko.Actor:main-context] is set: a
 * context the user chose always wins, so an actor can still run on the
 * application's main loop, or on one worker that the user picked with
 * [method@Maiko.WorkerPool.get_context]. An actor counts on its worker from
 * the moment it is added until it ends (or, if it never starts, until it
 * is freed); a restarted actor is placed again by the same rule.
 *
 * **Inside a handler** the worker's context is the thread-default one, as
 * on an actor's own thread, so GIO's asynchronous calls complete on the
 * same worker. The actors of one worker take turns: an actor that blocks
 * (a synchronous read, a long computation, `g_usleep()`) blocks every
 * other actor of its worker for that long. Give such an actor a thread of
 * its own (a supervisor without a pool) or a context of its own. An
 * actor that waits for room in a mailbox under
 * %MAIKO_OVERFLOW_POLICY_BLOCK is not blocking its worker: the worker runs
 * its other actors meanwhile.
 *
 * **Lifetime.** The threads start with the pool and end when
 * [method@Maiko.WorkerPool.stop] is called or the pool is freed (a
 * supervisor keeps a reference to its pool). Stop the supervisors first:
 * actors on a stopped pool no longer run, and a supervisor refuses to add
 * actors to it. One pool can serve several supervisors.
 */

/* How many workers a pool may have. */
#define MAX_WORKERS 1024

typedef struct
{
  GMainContext *context;
  GThread      *thread;
  gint          quit;                   /* atomic */
  /* The worker's thread polls this instead of sleeping for a while when
   * it runs out of work (see worker_poll()); only it touches spin_us. */
  MaikoSpinHint hint;
  gint64        spin_us;
  /* While held (see _maiko_worker_pool_hold()) the thread waits between
   * two iterations, owning no context. */
  GMutex        hold_mutex;
  GCond         hold_cond;
  gint          held;                   /* atomic, changed under hold_mutex */
  /* Actors placed on this worker; under the pool's lock. */
  guint         load;
} Worker;

struct _MaikoWorkerPool
{
  GObject   parent_instance;

  guint     n_workers;                  /* construct-only */
  /* Allocated with the pool, each worker's thread holding a reference
   * (g_atomic_rc_box): a pool freed from one of its own workers cannot
   * join that thread, which then ends on its own. */
  Worker  **workers;

  GMutex    mutex;
  gboolean  stopped;                    /* under mutex */
};

G_DEFINE_FINAL_TYPE (MaikoWorkerPool, maiko_worker_pool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_WORKERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
worker_clear (Worker *worker)
{
  g_main_context_unref (worker->context);
  g_mutex_clear (&worker->hold_mutex);
  g_cond_clear (&worker->hold_cond);
}

static void
wait_while_held (Worker *worker)
{
  g_mutex_lock (&worker->hold_mutex);
  while (g_atomic_int_get (&worker->held) > 0 && !g_atomic_int_get (&worker->quit))
    g_cond_wait (&worker->hold_cond, &worker->hold_mutex);
  g_mutex_unlock (&worker->hold_mutex);
}

/* The worker whose thread this is. */
static _Thread_local Worker *thread_worker;

/* Spinning before sleeping, as an actor's own thread does (see
 * spin_then_poll() in maiko-actor.c), but for every mailbox of the
 * worker at once: the pushers to any of them set the shared hint. A spin
 * that found nothing halves the budget, down to none, so an idle worker
 * sleeps at once; a spin that caught an event, or a sleep short enough
 * that a spin would have, restores it. Returns %TRUE if an event came. */
static gboolean
worker_spin (Worker *worker)
{
  gint64 deadline = g_get_monotonic_time () + worker->spin_us;
  gboolean arrived = FALSE;

  g_atomic_int_set (&worker->hint.spinning, TRUE);
  for (guint i = 1; !(arrived = g_atomic_int_get (&worker->hint.pending)); i++)
    if (_maiko_spin_pause (i, deadline))
      break;
  g_atomic_int_set (&worker->hint.spinning, FALSE);

  return g_atomic_int_exchange (&worker->hint.pending, FALSE) || arrived;
}

/* The GPollFunc of a worker's context. */
static gint
worker_poll (GPollFD *fds,
             guint    n_fds,
             gint     timeout_ms)
{
  Worker *worker = thread_worker;
  gint64 slept_since;
  gint ready;

  if (_maiko_poll_tells_nothing (n_fds, timeout_ms))
    return 0;
  if (timeout_ms == 0 || worker == NULL)
    return g_poll (fds, n_fds, timeout_ms);

  /* As on an actor's own thread (see spin_then_poll() in maiko-actor.c),
   * a spin that caught an event restores the whole budget. */
  if (worker->spin_us > 0)
    {
      if (worker_spin (worker))
        {
          worker->spin_us = _maiko_spin_max_us ();
          return 0;
        }
      worker->spin_us /= 2;
    }

  slept_since = g_get_monotonic_time ();
  ready = g_poll (fds, n_fds, timeout_ms);
  if (worker->spin_us == 0)
    worker->spin_us = _maiko_spin_budget_after_sleep (
      slept_since, __atomic_load_n (&worker->hint.woken_at, __ATOMIC_RELAXED));
  g_atomic_int_set (&worker->hint.pending, FALSE);

  return ready;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  thread_worker = worker;
  g_main_context_set_poll_func (worker->context, worker_poll);
  g_main_context_push_thread_default (worker->context);
  /* An atomic flag, not g_main_loop_quit(): a quit that arrives before the
   * loop runs would be lost. */
  while (!g_atomic_int_get (&worker->quit))
    {
      if (g_atomic_int_get (&worker->held) > 0)
        wait_while_held (worker);
      g_main_context_iteration (worker->context, TRUE);
    }
  g_main_context_pop_thread_default (worker->context);
  g_atomic_rc_box_release_full (worker, (GDestroyNotify) worker_clear);

  return NULL;
}

static void
maiko_worker_pool_constructed (GObject *object)
{
  MaikoWorkerPool *self = MAIKO_WORKER_POOL (object);

  G_OBJECT_CLASS (maiko_worker_pool_parent_class)->constructed (object);

  if (self->n_workers == 0)
    self->n_workers = MIN (g_get_num_processors (), MAX_WORKERS);
  self->workers = g_new0 (Worker *, self->n_workers);
  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = g_atomic_rc_box_new0 (Worker);
      g_autofree char *name = g_strdup_printf ("maiko-worker-%u", i);

      worker->context = g_main_context_new ();
      g_mutex_init (&worker->hold_mutex);
      g_cond_init (&worker->hold_cond);
      worker->thread = g_thread_new (name, worker_main, g_atomic_rc_box_acquire (worker));
      self->workers[i] = worker;
    }
}

static void
maiko_worker_pool_finalize (GObject *object)
{
  MaikoWorkerPool *self = MAIKO_WORKER_POOL (object);

  maiko_worker_pool_stop (self);
  for (guint i = 0; i < self->n_workers; i++)
    g_atomic_rc_box_release_full (self->workers[i], (GDestroyNotify) worker_clear);
  g_free (self->workers);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (maiko_worker_pool_parent_class)->finalize (object);
}

static void
maiko_worker_pool_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MaikoWorkerPool *self = MAIKO_WORKER_POOL (object);

  switch (prop_id)
    {
    case PROP_N_WORKERS:
      g_value_set_uint (value, self->n_workers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_worker_pool_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MaikoWorkerPool *self = MAIKO_WORKER_POOL (object);

  switch (prop_id)
    {
    case PROP_N_WORKERS:
      self->n_workers = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_worker_pool_class_init (MaikoWorkerPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = maiko_worker_pool_constructed;
  object_class->finalize = maiko_worker_pool_finalize;
  object_class->get_property = maiko_worker_pool_get_property;
  object_class->set_property = maiko_worker_pool_set_property;

  /**
   * MaikoWorkerPool:n-workers:
   *
   * How many worker threads the pool runs, at most 1024. 0, the default,
   * means one per CPU that the process may use
   * (g_get_num_processors()); reading the property then gives that number.
   */
  properties[PROP_N_WORKERS] =
    g_param_spec_uint ("n-workers", NULL, NULL,
                       0, MAX_WORKERS, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_worker_pool_init (MaikoWorkerPool *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * maiko_worker_pool_new:
 * @n_workers: how many worker threads, at most 1024; 0 for one per CPU
 *
 * Creates a pool and starts its threads.
 *
 * Returns: (transfer full): a new pool
 */
MaikoWorkerPool *
maiko_worker_pool_new (guint n_workers)
{
  g_return_val_if_fail (n_workers <= MAX_WORKERS, NULL);

  return g_object_new (MAIKO_TYPE_WORKER_POOL, "n-workers", n_workers, NULL);
}

/**
 * maiko_worker_pool_get_n_workers:
 * @self: a pool
 *
 * Gets [property@Maiko.WorkerPool:n-workers].
 *
 * Returns: how many worker threads the pool has
 */
guint
maiko_worker_pool_get_n_workers (MaikoWorkerPool *self)
{
  g_return_val_if_fail (MAIKO_IS_WORKER_POOL (self), 0);

  return self->n_workers;
}

/**
 * maiko_worker_pool_get_context:
 * @self: a pool
 * @index: a worker's index, below [property@Maiko.WorkerPool:n-workers]
 *
 * Gets the context that worker @index iterates. Set it as an actor's
 * [property@Maiko.Actor:main-context] to put that actor on that worker
 * yourself (it then does not count in [method@Maiko.WorkerPool.get_load]),
 * or attach sources of your own to it.
 *
 * Returns: (transfer none): the worker's context
 */
GMainContext *
maiko_worker_pool_get_context (MaikoWorkerPool *self,
                               guint            index)
{
  g_return_val_if_fail (MAIKO_IS_WORKER_POOL (self), NULL);
  g_return_val_if_fail (index < self->n_workers, NULL);

  return self->workers[index]->context;
}

/**
 * maiko_worker_pool_get_load:
 * @self: a pool
 * @index: a worker's index, below [property@Maiko.WorkerPool:n-workers]
 *
 * Gets how many actors the runtime placed on worker @index that have not
 * ended yet: the figure its placement rule compares.
 *
 * Returns: the worker's actor count
 */
guint
maiko_worker_pool_get_load (MaikoWorkerPool *self,
                            guint            index)
{
  guint load;

  g_return_val_if_fail (MAIKO_IS_WORKER_POOL (self), 0);
  g_return_val_if_fail (index < self->n_workers, 0);

  g_mutex_lock (&self->mutex);
  load = self->workers[index]->load;
  g_mutex_unlock (&self->mutex);

  return load;
}

/**
 * maiko_worker_pool_is_running:
 * @self: a pool
 *
 * Whether the pool's threads run: from its creation until
 * [method@Maiko.WorkerPool.stop].
 *
 * Returns: %TRUE until the pool is stopped
 */
gboolean
maiko_worker_pool_is_running (MaikoWorkerPool *self)
{
  gboolean running;

  g_return_val_if_fail (MAIKO_IS_WORKER_POOL (self), FALSE);

  g_mutex_lock (&self->mutex);
  running = !self->stopped;
  g_mutex_unlock (&self->mutex);

  return running;
}

/**
 * maiko_worker_pool_stop:
 * @self: a pool
 *
 * Ends the pool's threads and waits for them (except the calling thread,
 * if it is one of them: that worker ends when the current callback
 * returns). Stop the supervisors that use the pool first: the actors
 * still placed on it no longer run. Freeing the pool stops it; stopping
 * it again does nothing.
 */
void
maiko_worker_pool_stop (MaikoWorkerPool *self)
{
  g_return_if_fail (MAIKO_IS_WORKER_POOL (self));

  g_mutex_lock (&self->mutex);
  if (self->stopped)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->stopped = TRUE;
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = self->workers[i];
      GThread *thread = g_steal_pointer (&worker->thread);

      g_atomic_int_set (&worker->quit, TRUE);
      g_mutex_lock (&worker->hold_mutex);
      g_cond_broadcast (&worker->hold_cond);
      g_mutex_unlock (&worker->hold_mutex);
      g_main_context_wakeup (worker->context);
      if (thread == g_thread_self ())
        g_thread_unref (thread);
      else
        g_thread_join (thread);
    }
}

/* Picks the worker for an actor the runtime places (the fewest actors,
 * the lowest index among equals) and counts the actor there. Returns its
 * context, with a reference, and sets *@index for
 * _maiko_worker_pool_release(); or fails if the pool is stopped. */
GMainContext *
_maiko_worker_pool_place (MaikoWorkerPool *self,
                          guint           *index,
                          GError         **error)
{
  guint best = 0;

  g_mutex_lock (&self->mutex);
  if (self->stopped)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "The supervisor's worker pool is stopped: its actors cannot run");
      return NULL;
    }
  for (guint i = 1; i < self->n_workers; i++)
    if (self->workers[i]->load < self->workers[best]->load)
      best = i;
  self->workers[best]->load++;
  g_mutex_unlock (&self->mutex);

  *index = best;
  return g_main_context_ref (self->workers[best]->context);
}

/* If this thread is a pool worker inside its context's dispatch, acquires
 * that context (again) and returns it with a reference: a thread that
 * waits there, for room in a mailbox, runs the worker's other actors
 * meanwhile. Sleeping instead would stop them, and two workers whose
 * actors each wait for room at an actor of the other would then wait for
 * each other for good (/pool/block-across-workers); with a thread per
 * actor there is no such cycle. %NULL on other threads. */
GMainContext *
_maiko_worker_pool_acquire_own_context (void)
{
  Worker *worker = thread_worker;

  if (worker == NULL || !g_main_context_is_owner (worker->context) ||
      !g_main_context_acquire (worker->context))
    return NULL;

  return g_main_context_ref (worker->context);
}

/* Asks the workers to wait between iterations until
 * _maiko_worker_pool_unhold(), for a supervisor's start: a source
 * attached to a context that a worker owns (in poll(), or iterating)
 * wakes it, an eventfd write each, and the worker then contends for the
 * context's lock with the next attach; 1,000 actors started so took
 * several ms. Only an optimization: a worker that is mid-iteration when
 * asked finishes it first, and attaches meanwhile just wake it. Never
 * hold while waiting for an actor of the pool. Holds nest. */
void
_maiko_worker_pool_hold (MaikoWorkerPool *self)
{
  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = self->workers[i];

      g_mutex_lock (&worker->hold_mutex);
      g_atomic_int_inc (&worker->held);
      g_mutex_unlock (&worker->hold_mutex);
      g_main_context_wakeup (worker->context);
    }
}

void
_maiko_worker_pool_unhold (MaikoWorkerPool *self)
{
  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = self->workers[i];

      g_mutex_lock (&worker->hold_mutex);
      g_atomic_int_add (&worker->held, -1);
      g_cond_broadcast (&worker->hold_cond);
      g_mutex_unlock (&worker->hold_mutex);
    }
}

/* What the mailboxes of worker @index's actors tell its spinning thread. */
MaikoSpinHint *
_maiko_worker_pool_get_spin_hint (MaikoWorkerPool *self,
                                  guint            index)
{
  return &self->workers[index]->hint;
}

/* The actor placed on worker @index ended, or was freed unstarted. */
void
_maiko_worker_pool_release (MaikoWorkerPool *self,
                            guint            index)
{
  g_mutex_lock (&self->mutex);
  g_assert (self->workers[index]->load > 0);
  self->workers[index]->load--;
  g_mutex_unlock (&self->mutex);
}
