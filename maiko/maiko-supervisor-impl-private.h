/* maiko-supervisor-impl-private.h: what the supervisor's own files share
 *
 * SPDX-License-Identifier: MIT
 *
 * The supervisor is split by behaviour: maiko-supervisor.c holds its
 * lifecycle and API, maiko-broker.c the broker's work (routing each event
 * to the mailboxes of its topic's subscribers). Only those files include
 * this header; the rest of the library uses maiko-supervisor-private.h.
 */

#pragma once

#include "maiko-deliveries-private.h"
#include "maiko-routes-private.h"
#include "maiko-supervision.h"
#include "maiko-supervisor-private.h"

G_BEGIN_DECLS

typedef enum
{
  STATE_CREATED,
  STATE_RUNNING,
  STATE_STOPPING,
  STATE_STOPPED,
} State;

struct _MaikoSupervisor
{
  GObject          parent_instance;

  /* Construct-only settings. */
  guint            mailbox_capacity;
  guint            broker_capacity;
  guint            max_events_per_tick;
  guint            monitoring_capacity;
  MaikoWorkerPool *worker_pool;         /* nullable: a thread per actor */

  GMutex           mutex;
  /* Broadcast whenever an actor ends or the state changes. */
  GCond            cond;
  gint             state;               /* atomic, changed under mutex */
  /* Set at the first stop request; blocked senders watch it. */
  gint             stopping;            /* atomic */

  GPtrArray       *actors;              /* MaikoActor*, owned, in order added */
  GHashTable      *actors_by_name;      /* interned name → MaikoActor* */
  GHashTable      *policies;            /* topic → MaikoOverflowPolicy */

  /* The published routing snapshot; senders cache it per thread and
   * compare generations, so reading it takes no lock. */
  MaikoRoutes     *routes;
  guint            routes_generation;   /* atomic */
  gboolean         routes_stale;        /* changed before start */
  /* The snapshots still alive, so that finalize can release their monitors
   * (see _maiko_routes_registry_close()). */
  MaikoRoutesRegistry *routes_registry;

  /* At most one of the two is set. */
  MaikoTopicFunc   topic_func;
  MaikoStaticTopicFunc static_topic_func;
  gpointer         topic_data;
  GDestroyNotify   topic_destroy;
  gboolean         route_by_label;

  guint            n_running;
  /* Actors whose launch is under way: their thread is not stored yet, so
   * join_threads() waits for them. */
  guint            n_launching;
  /* Threads inside _maiko_supervisor_actor_finished(): see there. */
  guint            n_finishing;
  /* The threads of actors that ended while the runtime runs, joined by the
   * next add_actor() or the stop: an ended thread must not keep its stack
   * until then. */
  GPtrArray       *ended_threads;       /* GThread*, owned */
  gboolean         stop_requested;
  gboolean         threads_taken;

  /* The barrier of a stop: actors close their mailboxes only once every
   * event accepted before the stop began has reached its mailboxes. These
   * count what may still deliver such events: the actors that were
   * running when the stop began and have not flushed their outbox since,
   * and the sends from outside the actors under way. */
  gint             unflushed;           /* atomic */
  gint             external_sends;      /* atomic */
  gint             all_routed;          /* atomic */
  GError          *first_error;

  gsize            undelivered;         /* atomic */
  gsize            dropped;             /* atomic */
  gsize            unrouted;            /* atomic */
  /* The topics told about at debug level: sent to with nobody subscribed,
   * or given a policy that no subscriber uses. */
  GHashTable      *told_topics;         /* owned strings */

  GPtrArray       *monitors;            /* MaikoMonitor*, owned, in order added */
  /* The contexts that threads waiting in stop or join iterate (one entry
   * per waiting thread): what they wait for must wake them. */
  GPtrArray       *driven;
  GHashTable      *ended_actors;        /* names of the actors that ended */
  /* The actors whose on_start returned: name → the error that ended the
   * actor there, or NULL (see maiko_supervisor_wait_ready()). */
  GHashTable      *ready_actors;
  gboolean         monitoring_paused;
  /* Whether some monitor records: the one load a hook costs when none does. */
  gint             monitoring_active;   /* atomic, changed under mutex */
  /* How many monitors are lossless: threads that recorded then wait for
   * them (see _maiko_supervisor_catch_up_monitors()). */
  gint             n_lossless;          /* atomic, changed under mutex */

  /* Supervision (maiko-supervision.c). Construct-only settings: */
  MaikoRestartStrategy restart_strategy;
  guint            max_restarts;
  guint            restart_period_s;
  /* Under mutex: */
  GHashTable      *restart_specs;       /* interned name → MaikoRestartSpec* */
  GQueue           restart_times;       /* monotonic µs of recent restarts, oldest first */
  /* Removed while running and not ended yet: no longer routed to, nor
   * found by name, but still counted as running. */
  GPtrArray       *leaving;             /* MaikoActor*, owned */

  /* One worker, so that send_async keeps the order of calls. */
  GThreadPool     *send_pool;

  /* What the supervisor and harnesses sent before start, in order, routed
   * at start: the envelopes, and the actor each was sent as (or NULL).
   * At most broker-capacity of them. */
  GPtrArray       *early_envelopes;     /* MaikoEnvelope*, owned */
  GPtrArray       *early_senders;       /* MaikoActor*, borrowed: actors stay */
};

static inline State
get_state (MaikoSupervisor *self)
{
  return g_atomic_int_get (&self->state);
}

static inline gboolean
monitoring_is_active (MaikoSupervisor *self)
{
  return g_atomic_int_get (&self->monitoring_active);
}

/* g_cancellable_connect() without the critical for a %NULL cancellable. */
static inline gulong
connect_cancellable (GCancellable *cancellable,
                     GCallback     callback,
                     gpointer      data)
{
  return cancellable != NULL ? g_cancellable_connect (cancellable, callback, data, NULL) : 0;
}

static inline void
wake_on_cancel (GCancellable *cancellable,
                GMainContext *context)
{
  g_main_context_wakeup (context);
}

static inline gboolean
_maiko_topic_is_valid (const char *topic)
{
  return topic != NULL && *topic != '\0' && g_utf8_validate (topic, -1, NULL);
}


typedef struct _MaikoRestartSpec MaikoRestartSpec;

/* maiko-supervisor.c */
gboolean _maiko_supervisor_check_accepting              (MaikoSupervisor  *self,
                                                         GError          **error);
gboolean _maiko_supervisor_check_actor                  (const char       *name,
                                                         MaikoActor       *actor,
                                                         GError          **error);
gboolean _maiko_supervisor_add                          (MaikoSupervisor     *self,
                                                         const char          *name,
                                                         MaikoActor          *actor,
                                                         const char * const  *topics,
                                                         MaikoRestartSpec    *spec,
                                                         GError             **error);
void     _maiko_supervisor_record_locked                (MaikoSupervisor  *self,
                                                         MaikoRecordHook   kind,
                                                         const char       *actor);
void     _maiko_supervisor_end_launch                   (MaikoSupervisor  *self,
                                                         MaikoActor       *actor,
                                                         GThread          *thread);
void     _maiko_supervisor_wake_driven_contexts         (MaikoSupervisor  *self);
gboolean _maiko_supervisor_called_from_own_actor        (MaikoSupervisor  *self,
                                                         const char       *what,
                                                         const char       *instead,
                                                         GError          **error);
typedef gboolean (*MaikoSupervisorPredicate)            (MaikoSupervisor  *self,
                                                         gconstpointer     data);
gboolean _maiko_supervisor_wait_until                   (MaikoSupervisor          *self,
                                                         MaikoSupervisorPredicate  done,
                                                         gconstpointer             data,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
void     _maiko_supervisor_join_ended_threads           (MaikoSupervisor  *self);

/* maiko-supervision.c */
void     _maiko_restart_spec_free                       (MaikoRestartSpec *spec);
gboolean _maiko_supervisor_restart                      (MaikoSupervisor  *self,
                                                         MaikoActor       *old);

/* maiko-broker.c */
void     _maiko_supervisor_publish_routes_locked        (MaikoSupervisor  *self);
void     _maiko_supervisor_tell_unused_policy_locked    (MaikoSupervisor  *self,
                                                         const char       *topic);
void     _maiko_supervisor_tell_unused_policies_locked  (MaikoSupervisor  *self);
void     _maiko_supervisor_deliver_early                (MaikoSupervisor  *self,
                                                         GPtrArray        *envelopes,
                                                         GPtrArray        *senders);

G_END_DECLS
