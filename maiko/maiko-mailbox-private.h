/* maiko-mailbox-private.h: an actor's bounded inbox
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <gio/gio.h>

#include "maiko-envelope.h"

G_BEGIN_DECLS

typedef struct _MaikoMailbox MaikoMailbox;

/* How long a thread polls a mailbox before it sleeps on it: waking a
 * sleeping thread costs several µs, tens on an idle virtual machine. */
#define MAIKO_SPIN_MAX_US 20

/* How many turns a spin only polls before it yields (see
 * _maiko_spin_pause()): about 1 µs. */
#define MAIKO_SPIN_POLLS 64

gint64           _maiko_spin_max_us            (void);
gboolean         _maiko_poll_tells_nothing     (guint          n_fds,
                                                gint           timeout_ms);
gboolean         _maiko_spin_pause             (guint          i,
                                                gint64         deadline);
gint64           _maiko_spin_budget_after_sleep (gint64        slept_since,
                                                 gint64        woken_at);
gint64           _maiko_mailbox_get_woken_at   (MaikoMailbox  *mailbox);

/* Shared by the mailboxes of one pool worker, whose thread spins on it
 * for all of them (see maiko-worker-pool.c): a pusher sets pending, then
 * skips the wake-up if the worker spins. Both sequentially consistent. */
typedef struct
{
  gint   pending;
  gint   spinning;
  gint64 woken_at;                     /* see _maiko_spin_budget_after_sleep() */
} MaikoSpinHint;

/* Called under the mailbox lock with the envelopes that just went in, so
 * that what it records comes before anything their receiver does. */
typedef void (*MaikoPushedFunc) (MaikoEnvelope **envelopes,
                                 guint           n,
                                 gpointer        user_data);

typedef enum
{
  MAIKO_PUSH_OK,
  MAIKO_PUSH_FULL,
  MAIKO_PUSH_CLOSED,
} MaikoPushResult;

MaikoMailbox    *_maiko_mailbox_new            (guint          capacity,
                                                GMainContext  *context);
void             _maiko_mailbox_free           (MaikoMailbox  *mailbox);
void             _maiko_mailbox_set_spin_hint  (MaikoMailbox  *mailbox,
                                                MaikoSpinHint *hint);
guint            _maiko_mailbox_push_many      (MaikoMailbox    *mailbox,
                                                MaikoEnvelope  **envelopes,
                                                guint            n,
                                                MaikoPushedFunc  pushed,
                                                gpointer         pushed_data,
                                                MaikoPushResult *result);
MaikoPushResult  _maiko_mailbox_try_push       (MaikoMailbox    *mailbox,
                                                MaikoEnvelope   *envelope,
                                                MaikoPushedFunc  pushed,
                                                gpointer         pushed_data);
guint            _maiko_mailbox_pop_batch      (MaikoMailbox  *mailbox,
                                                MaikoEnvelope **out,
                                                guint          max);
gboolean         _maiko_mailbox_is_empty       (MaikoMailbox  *mailbox);
guint            _maiko_mailbox_get_depth      (MaikoMailbox  *mailbox);
guint            _maiko_mailbox_get_capacity   (MaikoMailbox  *mailbox);
gboolean         _maiko_mailbox_spin           (MaikoMailbox  *mailbox,
                                                gint64         budget_us);
gboolean         _maiko_mailbox_wait_for_room  (MaikoMailbox  *mailbox,
                                                GMainContext  *iterate,
                                                const gint    *abort_flag,
                                                GCancellable  *cancellable);
void             _maiko_mailbox_wake_waiters   (MaikoMailbox  *mailbox);
GPtrArray       *_maiko_mailbox_close          (MaikoMailbox  *mailbox);

G_END_DECLS
