/* maiko-broker.c: the broker's work, on the sending thread
 *
 * SPDX-License-Identifier: MIT
 *
 * An event sent is wrapped in an envelope, its topic found, and the
 * envelope put into the mailbox of every actor subscribed to that topic,
 * under the topic's overflow policy. There is no broker thread: the
 * sending thread does this, from a snapshot of the routes that it caches
 * (the routes change only when actors or monitors come and go).
 */

#include "config.h"

#include <string.h>

#include "maiko-actor-private.h"
#include "maiko-envelope-private.h"
#include "maiko-error.h"
#include "maiko-mailbox-private.h"
#include "maiko-monitor-private.h"
#include "maiko-supervisor-impl-private.h"
#include "maiko-worker-pool-private.h"

/* Generations are unique across supervisors, so a per-thread cache keyed by
 * generation alone can never return another supervisor's routes. */
static guint routes_generation_counter;

typedef struct
{
  guint            generation;
  MaikoRoutes     *routes;
  /* Scratch for _maiko_supervisor_deliver(), kept between outboxes. */
  MaikoDeliveries *spare_deliveries;
} RoutesCache;

static void
routes_cache_free (gpointer data)
{
  RoutesCache *cache = data;

  g_clear_pointer (&cache->routes, _maiko_routes_unref);
  g_clear_pointer (&cache->spare_deliveries, _maiko_deliveries_free);
  g_free (cache);
}

static GPrivate routes_cache = G_PRIVATE_INIT (routes_cache_free);

/* Routing */

void
_maiko_supervisor_publish_routes_locked (MaikoSupervisor *self)
{
  /* Nothing routes before start: build the table once then, rather than
   * once per actor added, which made adding many actors quadratic. */
  if (get_state (self) == STATE_CREATED)
    {
      self->routes_stale = TRUE;
      return;
    }

  g_clear_pointer (&self->routes, _maiko_routes_unref);
  self->routes = _maiko_routes_new (self->routes_registry, self->actors, self->policies,
                                    self->monitors);
  g_atomic_int_set (&self->routes_generation,
                    g_atomic_int_add (&routes_generation_counter, 1) + 1);
}

/* This thread's cache, holding the current snapshot. */
static RoutesCache *
get_routes_cache (MaikoSupervisor *self)
{
  RoutesCache *cache = g_private_get (&routes_cache);

  if (G_UNLIKELY (cache == NULL))
    {
      cache = g_new0 (RoutesCache, 1);
      g_private_set (&routes_cache, cache);
    }

  if (G_UNLIKELY (cache->routes == NULL ||
                  cache->generation != (guint) g_atomic_int_get (&self->routes_generation)))
    {
      g_clear_pointer (&cache->routes, _maiko_routes_unref);
      g_mutex_lock (&self->mutex);
      cache->routes = _maiko_routes_ref (self->routes);
      cache->generation = self->routes_generation;
      g_mutex_unlock (&self->mutex);
    }

  return cache;
}

static MaikoRoutes *
get_routes (MaikoSupervisor *self)
{
  return get_routes_cache (self)->routes;
}

/* Called where a thread that may have recorded holds no lock of the
 * runtime: waits for the lossless monitors whose queue is full. (Before
 * start there are no routes yet, and only a record per actor added.) */
void
_maiko_supervisor_catch_up_monitors (MaikoSupervisor *self)
{
  if (G_UNLIKELY (g_atomic_int_get (&self->n_lossless) > 0) && monitoring_is_active (self) &&
      get_state (self) != STATE_CREATED)
    _maiko_monitors_catch_up (_maiko_routes_get_monitors (get_routes (self)));
}

void
_maiko_supervisor_record (MaikoSupervisor     *self,
                          MaikoRecordHook      kind,
                          MaikoEnvelope       *envelope,
                          const char          *actor,
                          const GError        *error)
{
  if (monitoring_is_active (self))
    _maiko_monitors_push (_maiko_routes_get_monitors (get_routes (self)), kind, envelope, actor,
                          MAIKO_OVERFLOW_POLICY_FAIL, error);
}

/* An overflow outside the broker's own delivery: a bridge's queue that
 * holds events while its transport is down. */
void
_maiko_supervisor_record_overflow (MaikoSupervisor     *self,
                                   MaikoEnvelope       *envelope,
                                   const char          *actor,
                                   MaikoOverflowPolicy  policy)
{
  if (monitoring_is_active (self))
    _maiko_monitors_push (_maiko_routes_get_monitors (get_routes (self)), MAIKO_RECORD_HOOK_OVERFLOW,
                          envelope, actor, policy, NULL);
}

/* See _maiko_monitors_note_watchers(): returns a bit (1 << kind) per event
 * hook that a monitor watches. */
guint
_maiko_supervisor_note_watchers (MaikoSupervisor *self)
{
  if (!monitoring_is_active (self))
    return 0;
  return _maiko_monitors_note_watchers (_maiko_routes_get_monitors (get_routes (self)));
}

/* Takes the records' references. */
void
_maiko_supervisor_record_staged (MaikoSupervisor   *self,
                                 MaikoStagedRecord *records,
                                 guint              n,
                                 const char        *actor)
{
  _maiko_monitors_push_staged (monitoring_is_active (self)
                               ? _maiko_routes_get_monitors (get_routes (self)) : NULL,
                               records, n, actor);
}

static MaikoEnvelope *
make_envelope (MaikoSupervisor  *self,
               MaikoEvent       *event,
               const char       *sender,
               const char       *parent_id,
               GError          **error)
{
  g_autofree char *owned = NULL;
  const char *topic;

  if (self->route_by_label)
    return _maiko_envelope_new (event, sender, parent_id, maiko_event_get_label (event), TRUE);
  if (self->static_topic_func != NULL)
    topic = self->static_topic_func (event, self->topic_data);
  else if (self->topic_func != NULL)
    topic = owned = self->topic_func (event, self->topic_data);
  else
    return _maiko_envelope_new (event, sender, parent_id, _maiko_default_topic, TRUE);

  if (!_maiko_topic_is_valid (topic))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "The topic function gave no valid topic for event “%s”",
                   maiko_event_get_label (event));
      return NULL;
    }

  return _maiko_envelope_new (event, sender, parent_id, topic, owned == NULL);
}

MaikoEnvelope *
_maiko_supervisor_make_envelope (MaikoSupervisor  *self,
                                 MaikoEvent       *event,
                                 const char       *sender,
                                 const char       *parent_id,
                                 GError          **error)
{
  if (!_maiko_supervisor_check_accepting (self, error))
    return NULL;

  return make_envelope (self, event, sender, parent_id, error);
}

/* @envelope, made elsewhere (see _maiko_bridge_publish()), with a new
 * reference if the runtime accepts sends, as
 * _maiko_supervisor_make_envelope() would make one. */
MaikoEnvelope *
_maiko_supervisor_accept_envelope (MaikoSupervisor  *self,
                                   MaikoEnvelope    *envelope,
                                   GError          **error)
{
  if (!_maiko_supervisor_check_accepting (self, error))
    return NULL;

  return maiko_envelope_ref (envelope);
}

void
_maiko_supervisor_report_undelivered (MaikoSupervisor *self,
                                      MaikoEnvelope   *envelope,
                                      const char      *receiver,
                                      const char      *reason)
{
  g_atomic_pointer_add (&self->undelivered, 1);
  g_debug ("Event %s (%s) not delivered to “%s”: %s",
           maiko_envelope_get_id (envelope),
           maiko_event_get_label (maiko_envelope_get_event (envelope)),
           receiver, reason);
}

/* Acquires, with a reference, the context that one of @monitors (nullable)
 * emits in, if this thread may emit their signals (see
 * _maiko_monitor_acquire_context()); or returns %NULL. */
static GMainContext *
acquire_monitor_context (GPtrArray *monitors)
{
  for (guint i = 0; monitors != NULL && i < monitors->len; i++)
    {
      MaikoMonitor *monitor = g_ptr_array_index (monitors, i);

      if (_maiko_monitor_acquire_context (monitor))
        return g_main_context_ref (maiko_monitor_get_main_context (monitor));
    }

  return NULL;
}

static void
wait_for_room (MaikoSupervisor *self,
               MaikoActor      *receiver,
               GPtrArray       *monitors,
               GCancellable    *cancellable)
{
  MaikoMailbox *mailbox = _maiko_actor_get_mailbox (receiver);
  GMainContext *bound = _maiko_actor_get_bound_context (receiver);
  gulong handler;

  if (!_maiko_context_acquire_for_waiting (bound))
    {
      /* On a pool worker, its own context (see
       * _maiko_worker_pool_acquire_own_context()). Elsewhere, iterating
       * the context of a monitor while we wait emits its records: it
       * keeps up with a thread that is busy sending. */
      g_autoptr(GMainContext) iterate = _maiko_worker_pool_acquire_own_context ();

      if (iterate == NULL)
        iterate = acquire_monitor_context (monitors);
      _maiko_mailbox_wait_for_room (mailbox, iterate, &self->stopping, cancellable);
      if (iterate != NULL)
        g_main_context_release (iterate);
      return;
    }

  /* The receiver runs on a context this thread must iterate itself. */
  handler = connect_cancellable (cancellable, G_CALLBACK (wake_on_cancel), bound);
  g_main_context_iteration (bound, TRUE);
  g_cancellable_disconnect (cancellable, handler);
  g_main_context_release (bound);
}

static void
close_overflowing (MaikoSupervisor *self,
                   MaikoActor      *receiver,
                   MaikoEnvelope   *envelope)
{
  const char *name = maiko_actor_get_name (receiver);
  g_autoptr(GPtrArray) rest = _maiko_mailbox_close (_maiko_actor_get_mailbox (receiver));

  for (guint i = 0; i < rest->len; i++)
    _maiko_supervisor_report_undelivered (self, g_ptr_array_index (rest, i), name,
                                          "its mailbox overflowed under FAIL");
  _maiko_supervisor_report_undelivered (self, envelope, name,
                                        "its mailbox overflowed under FAIL");
  _maiko_actor_request_stop (receiver, MAIKO_STOP_NOW, NULL);
}

/* What the mailbox's push hook needs to record event-dispatched. */
typedef struct
{
  GPtrArray  *monitors;
  const char *receiver;
} DispatchRecord;

static void
record_dispatched (MaikoEnvelope **envelopes,
                   guint           n,
                   gpointer        data)
{
  DispatchRecord *record = data;

  _maiko_monitors_push_events (record->monitors, MAIKO_RECORD_HOOK_EVENT_DISPATCHED, envelopes, n,
                               record->receiver);
}

static MaikoPushedFunc
dispatch_hook (DispatchRecord *record)
{
  return record->monitors != NULL ? record_dispatched : NULL;
}

/* Misspelt topics */

/* The number of one-character edits from @a to @b (Levenshtein). */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize n = strlen (b);
  g_autofree guint *row = g_new (guint, n + 1);

  for (gsize j = 0; j <= n; j++)
    row[j] = j;
  for (gsize i = 1; a[i - 1] != '\0'; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= n; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }

  return row[n];
}

/* The subscribed topic closest to @topic, or %NULL if nobody subscribes to
 * a topic by its name. */
static const char *
closest_topic_locked (MaikoSupervisor *self,
                      const char      *topic)
{
  const char *closest = NULL;
  guint best = G_MAXUINT;

  for (guint i = 0; i < self->actors->len; i++)
    {
      const char * const *topics = _maiko_actor_get_topics (g_ptr_array_index (self->actors, i));

      for (guint j = 0; topics != NULL && topics[j] != NULL; j++)
        {
          guint distance = edit_distance (topic, topics[j]);

          if (distance < best)
            {
              best = distance;
              closest = topics[j];
            }
        }
    }

  return closest;
}

static gboolean
is_subscribed_locked (MaikoSupervisor *self,
                      const char      *topic)
{
  for (guint i = 0; i < self->actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (self->actors, i);
      const char * const *topics = _maiko_actor_get_topics (actor);

      if (_maiko_actor_subscribes_all (actor) || (topics != NULL && g_strv_contains (topics, topic)))
        return TRUE;
    }

  return FALSE;
}

/* Tells once, at debug level, of a topic that looks misspelt: @what says
 * how it came up. */
static void
tell_topic_locked (MaikoSupervisor *self,
                   const char      *topic,
                   const char      *what)
{
  const char *closest;

  if (!g_hash_table_add (self->told_topics, g_strdup (topic)))
    return;
  if (is_subscribed_locked (self, topic))
    {
      g_debug ("%s topic “%s”, which only the sender subscribes to", what, topic);
      return;
    }
  closest = closest_topic_locked (self, topic);
  /* The usual cause: subscribing to labels without routing by them. */
  if (g_str_equal (topic, MAIKO_DEFAULT_TOPIC))
    g_debug ("%s topic “%s”, which nobody subscribes to: without a topic function every event "
             "goes there (maiko_supervisor_set_route_by_label() makes the label the topic)",
             what, topic);
  else if (closest != NULL)
    g_debug ("%s topic “%s”, which nobody subscribes to; the closest subscribed topic is “%s”",
             what, topic, closest);
  else
    g_debug ("%s topic “%s”, which nobody subscribes to", what, topic);
}

/* Counts, records and tells of the events of @unrouted, which nobody
 * receives, taking their references. */
static void
report_unrouted (MaikoSupervisor *self,
                 GPtrArray       *monitors,
                 GPtrArray       *unrouted)
{
  for (guint i = 0; i < unrouted->len; i++)
    {
      MaikoEnvelope *envelope = g_ptr_array_index (unrouted, i);

      g_atomic_pointer_add (&self->unrouted, 1);
      if (monitors != NULL)
        _maiko_monitors_push (monitors, MAIKO_RECORD_HOOK_EVENT_UNROUTED, envelope, NULL,
                              MAIKO_OVERFLOW_POLICY_FAIL, NULL);
      g_mutex_lock (&self->mutex);
      tell_topic_locked (self, maiko_envelope_get_topic (envelope), "Sent to");
      g_mutex_unlock (&self->mutex);
      maiko_envelope_unref (envelope);
    }
  g_ptr_array_set_size (unrouted, 0);
}

/* Tells of a policy given to @topic if nobody subscribes to it. */
void
_maiko_supervisor_tell_unused_policy_locked (MaikoSupervisor *self,
                                             const char      *topic)
{
  if (!is_subscribed_locked (self, topic))
    tell_topic_locked (self, topic, "A policy was set for");
}

/* Tells of the policies given to topics that nobody subscribes to. */
void
_maiko_supervisor_tell_unused_policies_locked (MaikoSupervisor *self)
{
  GHashTableIter iter;
  gpointer topic;

  g_hash_table_iter_init (&iter, self->policies);
  while (g_hash_table_iter_next (&iter, &topic, NULL))
    _maiko_supervisor_tell_unused_policy_locked (self, topic);
}

/* Puts @envelope into @receiver's mailbox under @policy, taking the
 * caller's reference. Fails only if a BLOCK wait was cut short by a stop
 * or @cancellable. */
/* A BLOCK send that waited for room gives up as the runtime stops. */
static gboolean
give_up_stopped (MaikoSupervisor  *self,
                 MaikoEnvelope    *envelope,
                 MaikoActor       *receiver,
                 GError          **error)
{
  _maiko_supervisor_report_undelivered (self, envelope, maiko_actor_get_name (receiver),
                                        "the runtime stopped while the sender waited");
  g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED,
                       "The runtime stopped while the event waited for room");
  return FALSE;
}

static gboolean
deliver_to (MaikoSupervisor      *self,
            MaikoActor           *receiver,
            MaikoOverflowPolicy   policy,
            MaikoEnvelope        *envelope,
            DispatchRecord       *record,
            GCancellable         *cancellable,
            GError              **error)
{
  MaikoMailbox *mailbox = _maiko_actor_get_mailbox (receiver);
  g_autoptr(MaikoEnvelope) owned = envelope;
  g_autoptr(MaikoActor) forwarded = NULL;
  MaikoActor *successor;
  gboolean overflow_recorded = FALSE;
  gboolean waited = FALSE;

  for (;;)
    {
      /* A stop releases the senders that wait for room, and they give up:
       * one woken by it must not race the receiver's drain for room, and
       * deliver after all, late and only sometimes. */
      if (waited && g_atomic_int_get (&self->stopping))
        return give_up_stopped (self, envelope, receiver, error);
      switch (_maiko_mailbox_try_push (mailbox, envelope, dispatch_hook (record), record))
        {
        case MAIKO_PUSH_OK:
          g_steal_pointer (&owned);
          return TRUE;
        case MAIKO_PUSH_CLOSED:
          /* A restarted actor's instance: its successor has what the old
           * mailbox held, and gets the rest. */
          successor = _maiko_supervisor_dup_successor (self, receiver);
          if (successor != NULL)
            {
              g_set_object (&forwarded, successor);
              g_object_unref (successor);
              receiver = successor;
              mailbox = _maiko_actor_get_mailbox (receiver);
              continue;
            }
          _maiko_supervisor_report_undelivered (self, envelope, maiko_actor_get_name (receiver),
                                                "its mailbox is closed");
          return TRUE;
        case MAIKO_PUSH_FULL:
        default:
          break;
        }

      /* Once per event and receiver, however long a BLOCK send waits. */
      if (record->monitors != NULL && !overflow_recorded)
        _maiko_monitors_push (record->monitors, MAIKO_RECORD_HOOK_OVERFLOW, envelope,
                              record->receiver, policy, NULL);
      overflow_recorded = TRUE;

      switch (policy)
        {
        case MAIKO_OVERFLOW_POLICY_DROP:
          g_atomic_pointer_add (&self->dropped, 1);
          return TRUE;
        case MAIKO_OVERFLOW_POLICY_FAIL:
          close_overflowing (self, receiver, envelope);
          return TRUE;
        case MAIKO_OVERFLOW_POLICY_BLOCK:
        default:
          break;
        }

      if (g_atomic_int_get (&self->stopping))
        return give_up_stopped (self, envelope, receiver, error);
      if (receiver == _maiko_actor_get_current ())
        {
          /* Only the receiver itself could make the room it would wait for. */
          _maiko_supervisor_report_undelivered (self, envelope, maiko_actor_get_name (receiver),
                                                "the receiver is the caller and its mailbox is full");
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_MAILBOX_FULL,
                       "Actor “%s” sent to its own full mailbox under BLOCK: that would wait forever",
                       maiko_actor_get_name (receiver));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          _maiko_supervisor_report_undelivered (self, envelope, maiko_actor_get_name (receiver),
                                                "the send was cancelled");
          return FALSE;
        }

      wait_for_room (self, receiver, record->monitors, cancellable);
      waited = TRUE;
    }
}

/* Puts @envelopes into @receiver's mailbox, taking a reference to each:
 * as many as fit under one lock; the first that does not fit goes under its
 * topic's policy (a BLOCK send waits for room there), and the rest again
 * under one lock. After a failed BLOCK wait (*@ok cleared) the rest count
 * as undelivered. */
static void
deliver_group (MaikoSupervisor           *self,
               MaikoActor                *receiver,
               MaikoEnvelope            **envelopes,
               const MaikoOverflowPolicy *policies,
               guint                      n,
               GPtrArray                 *monitors,
               gboolean                  *ok,
               GCancellable              *cancellable,
               GError                   **error)
{
  MaikoMailbox *mailbox = _maiko_actor_get_mailbox (receiver);
  DispatchRecord record = { monitors, maiko_actor_get_name (receiver) };
  MaikoPushResult result;
  guint done = 0;

  while (done < n && *ok)
    {
      done += _maiko_mailbox_push_many (mailbox, envelopes + done, n - done,
                                        dispatch_hook (&record), &record, &result);
      if (done < n)
        {
          *ok = deliver_to (self, receiver, policies[done], envelopes[done], &record,
                            cancellable, error);
          done++;
        }
    }

  for (; done < n; done++)
    {
      _maiko_supervisor_report_undelivered (self, envelopes[done], record.receiver,
                                            "the send was interrupted");
      maiko_envelope_unref (envelopes[done]);
    }
}

/* Routes @envelopes, in order, to the subscribers of their topics: one
 * receiver at a time, so that each mailbox is locked once per outbox.
 * Takes the caller's reference to each envelope: it goes to one of the
 * mailboxes, so a single receiver frees what it handled without the
 * sender touching the envelope again. */
gboolean
_maiko_supervisor_deliver (MaikoSupervisor  *self,
                           MaikoActor       *sender,
                           MaikoEnvelope   **envelopes,
                           guint             n,
                           GCancellable     *cancellable,
                           GError          **error)
{
  RoutesCache *cache = get_routes_cache (self);
  /* Our own reference: a BLOCK wait may iterate a context whose actors
   * send, which replaces this thread's cached snapshot, and deliver, which
   * is why the grouping is taken from the cache while we use it. */
  g_autoptr(MaikoRoutes) routes = _maiko_routes_ref (cache->routes);
  MaikoDeliveries *deliveries = g_steal_pointer (&cache->spare_deliveries);
  GPtrArray *monitors = monitoring_is_active (self) ? _maiko_routes_get_monitors (routes) : NULL;
  gboolean ok = TRUE;

  if (deliveries == NULL)
    deliveries = _maiko_deliveries_new ();
  _maiko_deliveries_group (deliveries, routes, sender, envelopes, n);
  if (G_UNLIKELY (_maiko_deliveries_get_unrouted (deliveries)->len > 0))
    report_unrouted (self, monitors, _maiko_deliveries_get_unrouted (deliveries));

  for (guint i = 0; i < _maiko_deliveries_get_n_receivers (deliveries); i++)
    {
      MaikoEnvelope **group;
      const MaikoOverflowPolicy *policies;
      guint group_n;
      MaikoActor *receiver = _maiko_deliveries_get_receiver (deliveries, i, &group, &policies,
                                                             &group_n);

      deliver_group (self, receiver, group, policies, group_n, monitors, &ok, cancellable,
                     error);
    }

  if (cache->spare_deliveries == NULL)
    cache->spare_deliveries = deliveries;
  else
    _maiko_deliveries_free (deliveries);

  /* A thread that sends from outside the actors may be the one that runs
   * a monitor's context, too busy sending to let it emit. */
  if (monitors != NULL && _maiko_actor_get_current () == NULL)
    _maiko_monitors_keep_up (monitors);
  if (G_UNLIKELY (g_atomic_int_get (&self->n_lossless) > 0) && monitors != NULL)
    _maiko_monitors_catch_up (monitors);

  return ok;
}

typedef enum
{
  KEPT,
  KEPT_TOO_MANY,
  ALREADY_STARTED,
} Kept;

/* Keeps *@envelope (taking it) for start, if the supervisor is not started
 * yet; fails once broker-capacity events wait. */
static Kept
keep_for_start (MaikoSupervisor  *self,
                MaikoActor       *sender,
                MaikoEnvelope   **envelope,
                GError          **error)
{
  Kept kept = KEPT;

  g_mutex_lock (&self->mutex);
  if (get_state (self) != STATE_CREATED)
    kept = ALREADY_STARTED;
  else if (self->early_envelopes->len >= self->broker_capacity)
    kept = KEPT_TOO_MANY;
  else
    {
      g_ptr_array_add (self->early_envelopes, g_steal_pointer (envelope));
      g_ptr_array_add (self->early_senders, sender);
    }
  g_mutex_unlock (&self->mutex);

  if (kept == KEPT_TOO_MANY)
    g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_MAILBOX_FULL,
                 "%u events already wait for the supervisor to start, as many as its "
                 "broker-capacity", self->broker_capacity);
  return kept;
}

/* Routes @event now, if the runtime accepts it. */
static gboolean
route_now (MaikoSupervisor  *self,
           MaikoActor       *sender,
           const char       *name,
           MaikoEvent       *event,
           char            **id,
           GCancellable     *cancellable,
           GError          **error)
{
  MaikoEnvelope *envelope;
  gboolean routed = FALSE;

  /* Before the acceptance check, so that a stop waits for the delivery. */
  _maiko_supervisor_begin_external_send (self);
  envelope = _maiko_supervisor_make_envelope (self, event, name, NULL, error);
  if (envelope != NULL)
    {
      if (id != NULL)
        *id = g_strdup (maiko_envelope_get_id (envelope));
      routed = _maiko_supervisor_deliver (self, sender, &envelope, 1, cancellable, error);
    }
  _maiko_supervisor_end_external_send (self);

  return routed;
}

/* Publishes @event as @name (interned), of which @sender (nullable) is the
 * actor: it does not receive it. Before start, the envelope waits for it.
 * *@id (nullable) gets the envelope's id. */
gboolean
_maiko_supervisor_publish (MaikoSupervisor  *self,
                           MaikoActor       *sender,
                           const char       *name,
                           MaikoEvent       *event,
                           char            **id,
                           GCancellable     *cancellable,
                           GError          **error)
{
  if (G_UNLIKELY (get_state (self) == STATE_CREATED))
    {
      g_autoptr(MaikoEnvelope) envelope = make_envelope (self, event, name, NULL, error);
      g_autofree char *envelope_id = NULL;

      if (envelope == NULL)
        return FALSE;
      envelope_id = g_strdup (maiko_envelope_get_id (envelope));
      switch (keep_for_start (self, sender, &envelope, error))
        {
        case KEPT:
          if (id != NULL)
            *id = g_steal_pointer (&envelope_id);
          return TRUE;
        case KEPT_TOO_MANY:
          return FALSE;
        case ALREADY_STARTED:
        default:
          /* Started meanwhile: routed as any other send. */
          break;
        }
    }

  return route_now (self, sender, name, event, id, cancellable, error);
}

/* Routes what was sent before start, in order, a run of the same sender
 * at a time; takes the references. */
void
_maiko_supervisor_deliver_early (MaikoSupervisor *self,
               GPtrArray       *envelopes,
               GPtrArray       *senders)
{
  MaikoEnvelope **pending = (MaikoEnvelope **) envelopes->pdata;
  guint start = 0;

  g_ptr_array_set_free_func (envelopes, NULL);
  for (guint i = 1; i <= envelopes->len; i++)
    {
      if (i < envelopes->len && senders->pdata[i] == senders->pdata[start])
        continue;
      /* What it cannot deliver is counted as undelivered. */
      _maiko_supervisor_deliver (self, senders->pdata[start], pending + start, i - start,
                                 NULL, NULL);
      start = i;
    }
}
