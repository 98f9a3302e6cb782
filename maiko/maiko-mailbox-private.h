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

gint64           _maiko_spin_max_us            (void);

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
