/* maiko-mailbox.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-mailbox-private.h"

/*
 * A bounded ring of envelopes behind one mutex.
 *
 * DESIGN.md sketches the mailbox as a GAsyncQueue. A BLOCK sender has to wait
 * for room, and GAsyncQueue only offers a condition for "not empty" under its
 * private lock, so the mailbox keeps its own lock, a "not full" condition and
 * a fixed ring (no allocation per event, unlike a GQueue link).
 *
 * The consumer is woken with g_main_context_wakeup() only when the mailbox
 * goes from empty to non-empty: while it has work it is not sleeping, and a
 * wake-up per event would be a syscall per event.
 */
struct _MaikoMailbox
{
  GMutex          mutex;
  /* Signalled when room appears or the mailbox closes, if anyone waits. */
  GCond           not_full;
  MaikoEnvelope **ring;
  /* The ring grows up to the capacity as events pile up: most mailboxes
   * never hold more than a few, and an application may have thousands. */
  guint           ring_size;
  guint           capacity;
  guint           head;
  /* Written under the mutex, read without it by the consumer's GSource. */
  guint           count;
  /* BLOCK senders waiting for room: the consumer signals only if non-zero,
   * and only once there is room for a batch (see room_is_enough()). */
  guint           n_waiting;
  /* The contexts that some of them iterate while they wait (one entry per
   * such sender), woken as the condition is signalled. */
  GPtrArray      *waiting_contexts;
  gboolean        closed;
  /* Atomic: the consumer polls the count instead of sleeping, so a
   * pusher need not wake its context. */
  gint            spinning;
  /* Nullable, borrowed: the pool worker's hint, whose thread spins for
   * all its mailboxes; it outlives the mailbox (the actor keeps the pool). */
  MaikoSpinHint  *hint;
  /* When a pusher last woke the consumer (monotonic µs, relaxed atomic):
   * see _maiko_spin_budget_after_sleep(). */
  gint64          woken_at;
  /* The consumer's context, woken on empty to non-empty. */
  GMainContext   *context;
};

#define INITIAL_RING_SIZE 8

MaikoMailbox *
_maiko_mailbox_new (guint         capacity,
                    GMainContext *context)
{
  MaikoMailbox *mailbox = g_new0 (MaikoMailbox, 1);

  g_assert (capacity > 0);

  g_mutex_init (&mailbox->mutex);
  g_cond_init (&mailbox->not_full);
  mailbox->ring_size = MIN (capacity, INITIAL_RING_SIZE);
  mailbox->ring = g_new0 (MaikoEnvelope *, mailbox->ring_size);
  mailbox->capacity = capacity;
  mailbox->context = g_main_context_ref (context);
  mailbox->waiting_contexts = g_ptr_array_new ();

  return mailbox;
}

void
_maiko_mailbox_set_spin_hint (MaikoMailbox  *mailbox,
                              MaikoSpinHint *hint)
{
  mailbox->hint = hint;
}

/* Whether the consumer spins and will see the events just pushed without
 * a wake-up: on the mailbox itself, or as the pool worker it is on. */
static gboolean
consumer_spins (MaikoMailbox *mailbox)
{
  if (g_atomic_int_get (&mailbox->spinning))
    return TRUE;
  if (mailbox->hint == NULL)
    return FALSE;
  g_atomic_int_set (&mailbox->hint->pending, TRUE);
  return g_atomic_int_get (&mailbox->hint->spinning);
}

void
_maiko_mailbox_free (MaikoMailbox *mailbox)
{
  /* What it still held goes with it. */
  g_ptr_array_unref (_maiko_mailbox_close (mailbox));
  g_mutex_clear (&mailbox->mutex);
  g_cond_clear (&mailbox->not_full);
  g_main_context_unref (mailbox->context);
  g_ptr_array_unref (mailbox->waiting_contexts);
  g_free (mailbox->ring);
  g_free (mailbox);
}

/* Makes room for at least @needed envelopes, unwrapping the ring. */
static void
grow_ring_locked (MaikoMailbox *mailbox,
                  guint         needed)
{
  guint size = mailbox->ring_size;
  MaikoEnvelope **ring;

  while (size < needed)
    size *= 2;
  size = MIN (size, mailbox->capacity);
  ring = g_new (MaikoEnvelope *, size);
  for (guint i = 0; i < mailbox->count; i++)
    ring[i] = mailbox->ring[(mailbox->head + i) % mailbox->ring_size];
  g_free (mailbox->ring);
  mailbox->ring = ring;
  mailbox->ring_size = size;
  mailbox->head = 0;
}

/* Pushes as many of @envelopes as fit, in order, under one lock, taking
 * the caller's reference to each one pushed, and tells why it stopped
 * short (FULL or CLOSED) if it did: the rest stay the caller's. */
guint
_maiko_mailbox_push_many (MaikoMailbox     *mailbox,
                          MaikoEnvelope   **envelopes,
                          guint             n,
                          MaikoPushedFunc   pushed_func,
                          gpointer          pushed_data,
                          MaikoPushResult  *result)
{
  gboolean was_empty;
  guint pushed;

  g_mutex_lock (&mailbox->mutex);
  if (mailbox->closed)
    {
      g_mutex_unlock (&mailbox->mutex);
      *result = MAIKO_PUSH_CLOSED;
      return 0;
    }
  pushed = MIN (n, mailbox->capacity - mailbox->count);
  if (mailbox->count + pushed > mailbox->ring_size)
    grow_ring_locked (mailbox, mailbox->count + pushed);
  for (guint i = 0; i < pushed; i++)
    mailbox->ring[(mailbox->head + mailbox->count + i) % mailbox->ring_size] = envelopes[i];
  was_empty = mailbox->count == 0;
  g_atomic_int_set (&mailbox->count, mailbox->count + pushed);
  if (pushed_func != NULL && pushed > 0)
    pushed_func (envelopes, pushed, pushed_data);
  g_mutex_unlock (&mailbox->mutex);

  /* A consumer that spins sees the count (see _maiko_mailbox_spin()). The
   * thread that owns the context is running it, not asleep in poll: it
   * will look at the mailbox before it sleeps. Skipping the wake-up saves
   * a write and a read of the context's eventfd per hop. */
  if (was_empty && pushed > 0 && !g_main_context_is_owner (mailbox->context) &&
      !consumer_spins (mailbox))
    {
      /* A clock read is nothing next to the wake-up's system call. */
      gint64 now = g_get_monotonic_time ();

      __atomic_store_n (&mailbox->woken_at, now, __ATOMIC_RELAXED);
      if (mailbox->hint != NULL)
        __atomic_store_n (&mailbox->hint->woken_at, now, __ATOMIC_RELAXED);
      g_main_context_wakeup (mailbox->context);
    }

  *result = pushed == n ? MAIKO_PUSH_OK : MAIKO_PUSH_FULL;
  return pushed;
}

MaikoPushResult
_maiko_mailbox_try_push (MaikoMailbox    *mailbox,
                         MaikoEnvelope   *envelope,
                         MaikoPushedFunc  pushed_func,
                         gpointer         pushed_data)
{
  MaikoPushResult result;

  _maiko_mailbox_push_many (mailbox, &envelope, 1, pushed_func, pushed_data, &result);
  return result;
}

/* A BLOCK sender waits for room for half the mailbox, not for one event:
 * it then pushes a batch under one lock, instead of sleeping and being
 * woken once per tick of the receiver. The receiver keeps draining, so
 * the room comes. */
static gboolean
room_is_enough (MaikoMailbox *mailbox)
{
  /* Atomic: spin_for_room() asks without the lock. */
  return mailbox->capacity - g_atomic_int_get (&mailbox->count) >=
         MAX (1, mailbox->capacity / 2);
}

/* Wakes the senders waiting for room, on the condition or in the context
 * they iterate. */
static void
signal_waiters_locked (MaikoMailbox *mailbox)
{
  g_cond_broadcast (&mailbox->not_full);
  for (guint i = 0; i < mailbox->waiting_contexts->len; i++)
    g_main_context_wakeup (g_ptr_array_index (mailbox->waiting_contexts, i));
}

/* Moves up to @max envelopes (owned) into @out under one lock. */
guint
_maiko_mailbox_pop_batch (MaikoMailbox   *mailbox,
                          MaikoEnvelope **out,
                          guint           max)
{
  guint n;

  g_mutex_lock (&mailbox->mutex);
  n = MIN (mailbox->count, max);
  for (guint i = 0; i < n; i++)
    {
      out[i] = g_steal_pointer (&mailbox->ring[mailbox->head]);
      mailbox->head = (mailbox->head + 1) % mailbox->ring_size;
    }
  g_atomic_int_set (&mailbox->count, mailbox->count - n);
  if (n > 0 && mailbox->n_waiting > 0 && room_is_enough (mailbox))
    signal_waiters_locked (mailbox);
  g_mutex_unlock (&mailbox->mutex);

  return n;
}

gboolean
_maiko_mailbox_is_empty (MaikoMailbox *mailbox)
{
  return g_atomic_int_get (&mailbox->count) == 0;
}

/* How many events wait in the mailbox, from any thread: a hint, as the
 * count may change as soon as it is read. */
guint
_maiko_mailbox_get_depth (MaikoMailbox *mailbox)
{
  return (guint) g_atomic_int_get (&mailbox->count);
}

guint
_maiko_mailbox_get_capacity (MaikoMailbox *mailbox)
{
  return mailbox->capacity;
}

/* Polls the count for up to @budget_us instead of sleeping, while pushers
 * skip the wake-up; returns %TRUE if an event came. A pusher stores the
 * count before it reads the flag and we clear the flag before the last
 * look at the count (both sequentially consistent), so either the pusher
 * sees the flag cleared and wakes the context, or we see its event. */
gboolean
_maiko_mailbox_spin (MaikoMailbox *mailbox,
                     gint64        budget_us)
{
  gint64 deadline = g_get_monotonic_time () + budget_us;
  gboolean arrived = FALSE;

  g_atomic_int_set (&mailbox->spinning, TRUE);
  for (guint i = 1; !arrived; i++)
    {
      arrived = !_maiko_mailbox_is_empty (mailbox);
      if (!arrived && _maiko_spin_pause (i, deadline))
        break;
    }
  g_atomic_int_set (&mailbox->spinning, FALSE);

  return arrived || !_maiko_mailbox_is_empty (mailbox);
}

static void
wake_on_cancel (GCancellable *cancellable,
                MaikoMailbox *mailbox)
{
  _maiko_mailbox_wake_waiters (mailbox);
}

/* One turn of a spin loop that waits for another thread, at turn @i (from
 * 1): returns whether the spin should end, @deadline (monotonic µs)
 * being past. The first turns only poll; later ones yield the CPU. The
 * thread we wait for may be runnable on this very CPU, when the machine
 * is busier than its CPUs (other processes, more threads than CPUs): a
 * pure spin would then burn the time it needs, for the whole budget, and
 * a run of S1 or S2 that lands its two threads on one CPU was several
 * times slower than one that did not. sched_yield() gives that thread the
 * CPU, and returns at once when nothing else waits for it. */
gboolean
_maiko_spin_pause (guint  i,
                   gint64 deadline)
{
  /* The CPU's spin-wait hint. Two vCPUs may be the two hyperthreads of
   * one core (maiko-core-pair tells: a cache line's round trip of about
   * 150 ns there, 350 and more across cores): a tight loop then takes
   * the core's execution units from the thread it waits for. */
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#elif defined(__aarch64__)
  __asm__ __volatile__ ("yield");
#endif
  /* Reading the clock costs more than a look at the count, less than a
   * yield. */
  if (i < MAIKO_SPIN_POLLS)
    return FALSE;
  if (g_get_monotonic_time () >= deadline)
    return TRUE;
  g_thread_yield ();
  return FALSE;
}

gint64
_maiko_mailbox_get_woken_at (MaikoMailbox *mailbox)
{
  return __atomic_load_n (&mailbox->woken_at, __ATOMIC_RELAXED);
}

/* The spin budget of a thread that had none and slept from @slept_since
 * (monotonic µs) until now; @woken_at is when a pusher last woke it. The
 * budget comes back only if a spin would have caught the event: if a
 * pusher woke us, when it pushed, not when we woke, since the wake-up's
 * own latency is not the event's. It is a few µs on a busy CPU but tens
 * on an idle virtual one (the host must run the vCPU again): with the
 * total sleep as the measure, a machine whose wake-ups take more than the
 * allowance never spun again once it had stopped, and S1 threaded paid a
 * wake-up per hop (p99 58 µs, 2026-12-04). Without a pusher's time (a
 * timer, a stop) the total sleep counts, with room for the wake-up. */
gint64
_maiko_spin_budget_after_sleep (gint64 slept_since,
                                gint64 woken_at)
{
  gint64 waited;

  if (woken_at >= slept_since)
    waited = woken_at - slept_since;
  else
    waited = (g_get_monotonic_time () - slept_since) / 2;

  return waited <= MAIKO_SPIN_MAX_US ? _maiko_spin_max_us () : 0;
}

/* For the poll functions of the contexts the runtime owns (an actor's own
 * thread, a pool worker): whether a poll of @n_fds that must not wait
 * (@timeout_ms 0: a source is ready) can be skipped. A context always
 * polls its own wake-up fd; when it is the only one, the poll can only
 * say that someone woke the context, which the iteration about to
 * dispatch makes moot (a wake-up left unread returns the next poll at
 * once, which reads it). A busy actor's context polls so after every
 * batch: S2 threaded made 100,000 poll() calls per 1,000,000 events,
 * now none. With other fds (a socket's source) the poll runs. */
gboolean
_maiko_poll_tells_nothing (guint n_fds,
                           gint  timeout_ms)
{
  return timeout_ms == 0 && n_fds == 1;
}

/* MAIKO_SPIN_MAX_US, or 0 on a single CPU: there the thread we would wait
 * for cannot run while we spin. */
gint64
_maiko_spin_max_us (void)
{
  static gsize max_us;

  if (g_once_init_enter (&max_us))
    g_once_init_leave (&max_us, g_get_num_processors () > 1 ? MAIKO_SPIN_MAX_US + 1 : 1);

  return (gint64) max_us - 1;
}

/* Polls for room, before sleeping on the condition: a receiver that keeps
 * up makes it within µs. Unlocked reads, so only a hint; the caller checks
 * again under the lock. */
static void
spin_for_room (MaikoMailbox *mailbox,
               const gint   *abort_flag)
{
  gint64 budget = _maiko_spin_max_us ();
  gint64 deadline = g_get_monotonic_time () + budget;

  for (guint i = 1; budget > 0 && !g_atomic_int_get (abort_flag); i++)
    if (room_is_enough (mailbox) || _maiko_spin_pause (i, deadline))
      return;
}

/* Waits until the mailbox has room for a batch (see room_is_enough()) or
 * is closed, or until *@abort_flag is set (whoever sets it calls
 * _maiko_mailbox_wake_waiters() afterwards) or @cancellable is cancelled.
 * With @iterate (acquired by the caller) it iterates that context instead
 * of sleeping on the condition. Returns %TRUE if there may be room now. */
gboolean
_maiko_mailbox_wait_for_room (MaikoMailbox *mailbox,
                              GMainContext *iterate,
                              const gint   *abort_flag,
                              GCancellable *cancellable)
{
  gulong handler = 0;
  gboolean room;

  spin_for_room (mailbox, abort_flag);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_on_cancel), mailbox, NULL);

  g_mutex_lock (&mailbox->mutex);
  mailbox->n_waiting++;
  if (iterate != NULL)
    g_ptr_array_add (mailbox->waiting_contexts, iterate);
  while (!room_is_enough (mailbox) &&
         !mailbox->closed &&
         !g_atomic_int_get (abort_flag) &&
         !g_cancellable_is_cancelled (cancellable))
    {
      if (iterate == NULL)
        {
          g_cond_wait (&mailbox->not_full, &mailbox->mutex);
          continue;
        }
      /* A wake-up sent between the unlock and the iteration is not lost:
       * the context's next poll returns at once. */
      g_mutex_unlock (&mailbox->mutex);
      g_main_context_iteration (iterate, TRUE);
      g_mutex_lock (&mailbox->mutex);
    }
  mailbox->n_waiting--;
  if (iterate != NULL)
    g_ptr_array_remove_fast (mailbox->waiting_contexts, iterate);
  room = mailbox->count < mailbox->capacity || mailbox->closed;
  g_mutex_unlock (&mailbox->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  return room;
}

void
_maiko_mailbox_wake_waiters (MaikoMailbox *mailbox)
{
  /* Only if someone waits: g_cond_broadcast() is a system call even
   * then. A waiter counts itself and looks at its abort flag under this
   * lock, which whoever calls this set before. */
  g_mutex_lock (&mailbox->mutex);
  if (mailbox->n_waiting > 0)
    signal_waiters_locked (mailbox);
  g_mutex_unlock (&mailbox->mutex);
}

/* Closes the mailbox (idempotent) and returns what it still held. */
GPtrArray *
_maiko_mailbox_close (MaikoMailbox *mailbox)
{
  GPtrArray *rest = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);

  g_mutex_lock (&mailbox->mutex);
  mailbox->closed = TRUE;
  while (mailbox->count > 0)
    {
      g_ptr_array_add (rest, g_steal_pointer (&mailbox->ring[mailbox->head]));
      mailbox->head = (mailbox->head + 1) % mailbox->ring_size;
      g_atomic_int_set (&mailbox->count, mailbox->count - 1);
    }
  signal_waiters_locked (mailbox);
  g_mutex_unlock (&mailbox->mutex);

  return rest;
}
