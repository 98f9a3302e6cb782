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
_maiko_mailbox_free (MaikoMailbox *mailbox)
{
  g_autoptr(GPtrArray) rest = _maiko_mailbox_close (mailbox);

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
  if (was_empty && pushed > 0 && !g_atomic_int_get (&mailbox->spinning) &&
      !g_main_context_is_owner (mailbox->context))
    g_main_context_wakeup (mailbox->context);

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
      /* Reading the clock costs more than a look at the count. */
      if (i % 64 == 0 && g_get_monotonic_time () >= deadline)
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
    {
      if (room_is_enough (mailbox))
        return;
      if (i % 64 == 0 && g_get_monotonic_time () >= deadline)
        return;
    }
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
  g_mutex_lock (&mailbox->mutex);
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
