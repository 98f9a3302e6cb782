/* test-monitor.c: monitoring hooks as signals
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

/* What a monitor saw, one entry per signal, in emission order. */
typedef struct
{
  const char          *kind;        /* the signal name, static */
  char                *id;          /* event id, or NULL */
  gint64               value;       /* event payload, or -1 */
  char                *label;
  char                *topic;
  char                *actor;       /* receiver, or the actor of error/actor-* */
  MaikoOverflowPolicy  policy;
  char                *message;     /* of an error */
} Entry;

typedef struct
{
  MaikoMonitor *monitor;
  GMutex        mutex;
  GPtrArray    *entries;            /* Entry*, under mutex */
  GThread      *thread;             /* the thread of the last emission */
} Log;

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_free (entry->label);
  g_free (entry->topic);
  g_free (entry->actor);
  g_free (entry->message);
  g_free (entry);
}

static void
log_add (Log   *log,
         Entry *entry)
{
  g_mutex_lock (&log->mutex);
  g_ptr_array_add (log->entries, entry);
  log->thread = g_thread_self ();
  g_mutex_unlock (&log->mutex);
}

static Entry *
event_entry (const char    *kind,
             MaikoEnvelope *envelope,
             const char    *topic,
             const char    *receiver)
{
  Entry *entry = g_new0 (Entry, 1);
  MaikoEvent *event = maiko_envelope_get_event (envelope);

  entry->kind = kind;
  entry->id = g_strdup (maiko_envelope_get_id (envelope));
  entry->value = maiko_event_get_payload (event) != NULL ? test_envelope_int (envelope) : -1;
  entry->label = g_strdup (maiko_event_get_label (event));
  entry->topic = g_strdup (topic);
  entry->actor = g_strdup (receiver);
  return entry;
}

static void
on_dispatched (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
               const char *receiver, Log *log)
{
  log_add (log, event_entry ("dispatched", envelope, topic, receiver));
}

static void
on_delivered (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
              const char *receiver, Log *log)
{
  log_add (log, event_entry ("delivered", envelope, topic, receiver));
}

static void
on_handled (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
            const char *receiver, Log *log)
{
  log_add (log, event_entry ("handled", envelope, topic, receiver));
}

static void
on_overflow (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
             const char *receiver, MaikoOverflowPolicy policy, Log *log)
{
  Entry *entry = event_entry ("overflow", envelope, topic, receiver);

  entry->policy = policy;
  log_add (log, entry);
}

static void
on_error (MaikoMonitor *monitor, const char *actor, const GError *error, Log *log)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->kind = "error";
  entry->actor = g_strdup (actor);
  entry->message = g_strdup (error->message);
  entry->value = -1;
  log_add (log, entry);
}

static void
on_actor (MaikoMonitor *monitor, const char *actor, gpointer data, const char *kind)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->kind = kind;
  entry->actor = g_strdup (actor);
  entry->value = -1;
  log_add (data, entry);
}

static void
on_registered (MaikoMonitor *monitor, const char *actor, Log *log)
{
  on_actor (monitor, actor, log, "registered");
}

static void
on_stopped (MaikoMonitor *monitor, const char *actor, Log *log)
{
  on_actor (monitor, actor, log, "stopped");
}

static Log *
log_new (void)
{
  Log *log = g_new0 (Log, 1);

  g_mutex_init (&log->mutex);
  log->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  log->monitor = maiko_monitor_new ();
  g_signal_connect (log->monitor, "event-dispatched", G_CALLBACK (on_dispatched), log);
  g_signal_connect (log->monitor, "event-delivered", G_CALLBACK (on_delivered), log);
  g_signal_connect (log->monitor, "event-handled", G_CALLBACK (on_handled), log);
  g_signal_connect (log->monitor, "overflow", G_CALLBACK (on_overflow), log);
  g_signal_connect (log->monitor, "error", G_CALLBACK (on_error), log);
  g_signal_connect (log->monitor, "actor-registered", G_CALLBACK (on_registered), log);
  g_signal_connect (log->monitor, "actor-stopped", G_CALLBACK (on_stopped), log);
  return log;
}

static void
log_free (Log *log)
{
  g_object_unref (log->monitor);
  g_ptr_array_unref (log->entries);
  g_mutex_clear (&log->mutex);
  g_free (log);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Log, log_free)

static Log *
log_new_added (MaikoSupervisor *sup)
{
  Log *log = log_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_monitor (sup, log->monitor, &error));
  g_assert_no_error (error);
  return log;
}

/* A lossless log of @capacity records, added to @sup in this thread's
 * default context. */
static Log *
log_new_lossless_added (MaikoSupervisor *sup,
                        guint            capacity)
{
  Log *log = log_new ();
  g_autoptr(GError) error = NULL;

  g_object_set (log->monitor, "lossless", TRUE, "capacity", capacity, NULL);
  g_assert_true (maiko_supervisor_add_monitor (sup, log->monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_monitor_get_capacity (log->monitor), ==, capacity);
  return log;
}

static guint
log_count (Log        *log,
           const char *kind,
           const char *actor)
{
  guint n = 0;

  g_mutex_lock (&log->mutex);
  for (guint i = 0; i < log->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (log->entries, i);

      if (g_str_equal (entry->kind, kind) && (actor == NULL || g_strcmp0 (entry->actor, actor) == 0))
        n++;
    }
  g_mutex_unlock (&log->mutex);

  return n;
}

typedef struct
{
  Log        *log;
  const char *kind;
  guint       n;
} LogWait;

static gboolean
log_reached (gpointer data)
{
  LogWait *wait = data;

  return log_count (wait->log, wait->kind, NULL) >= wait->n;
}

/* Runs the default context, where @log's monitor emits, until it has
 * seen @n signals of @kind. */
static gboolean
log_wait (Log        *log,
          const char *kind,
          guint       n)
{
  LogWait wait = { log, kind, n };

  return test_iterate_until (NULL, log_reached, &wait);
}

/* The index of the first entry of @kind for event @value and @actor, or -1. */
static gint
log_find (Log        *log,
          const char *kind,
          gint64      value,
          const char *actor)
{
  for (guint i = 0; i < log->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (log->entries, i);

      if (g_str_equal (entry->kind, kind) && entry->value == value &&
          g_strcmp0 (entry->actor, actor) == 0)
        return i;
    }

  return -1;
}

/* N events to M subscribers: exactly N×M of each event hook, and for each
 * event and receiver, dispatched before delivered before handled. */
static void
test_counts_and_order (void)
{
  const char *names[] = { "a", "b", "c" };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Log) log = log_new_added (sup);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TestActor *actor = test_actor_new ();

      g_ptr_array_add (actors, actor);
      test_add (sup, names[i], actor, MAIKO_DEFAULT_TOPIC);
    }
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 50);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (log_count (log, "dispatched", NULL), ==, 150);
  g_assert_cmpuint (log_count (log, "delivered", NULL), ==, 150);
  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 150);
  g_assert_cmpuint (log_count (log, "registered", NULL), ==, 3);
  g_assert_cmpuint (log_count (log, "stopped", NULL), ==, 3);
  g_assert_cmpuint (log_count (log, "overflow", NULL), ==, 0);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (log->monitor), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (gint64 value = 0; value < 50; value++)
      {
        gint dispatched = log_find (log, "dispatched", value, names[i]);
        gint delivered = log_find (log, "delivered", value, names[i]);
        gint handled = log_find (log, "handled", value, names[i]);

        g_assert_cmpint (dispatched, >=, 0);
        g_assert_cmpint (dispatched, <, delivered);
        g_assert_cmpint (delivered, <, handled);
      }
}

/* Several events on different topics drained in one tick each report
 * their own topic. */
static void
test_topic_per_event (void)
{
  const char *topics[] = { "A", "B", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Log) log = log_new_added (sup);
  g_autoptr(TestActor) consumer = test_actor_new ();

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "consumer", MAIKO_ACTOR (consumer), topics, NULL));
  test_actor_close_gate (consumer);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "A", 1);
  g_assert_true (test_actor_wait_at_gate (consumer));
  /* These wait in the mailbox and are taken ten at a time. */
  for (guint i = 0; i < 20; i++)
    test_send_n (sup, i % 2 ? "B" : "A", 1);
  test_actor_open_gate (consumer);
  g_assert_true (test_actor_wait_handled (consumer, 21));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 21);
  for (guint i = 0; i < log->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (log->entries, i);

      if (entry->label != NULL)
        g_assert_cmpstr (entry->topic, ==, entry->label);
    }
}

static MaikoSupervisor *
new_overflowing_pipe (MaikoOverflowPolicy policy,
                      TestActor          *stuck)
{
  MaikoSupervisor *sup = maiko_supervisor_new ();

  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC, policy, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 1);
  test_actor_close_gate (stuck);
  test_add (sup, "stuck", stuck, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  /* One in hand at the gate, one in the mailbox: the mailbox is full. */
  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_at_gate (stuck));
  test_send_n (sup, "N", 1);

  return sup;
}

static void
test_overflow_drop (void)
{
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(MaikoSupervisor) sup = new_overflowing_pipe (MAIKO_OVERFLOW_POLICY_DROP, stuck);
  g_autoptr(Log) log = log_new_added (sup);

  test_send_n (sup, "N", 3);
  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (log_count (log, "overflow", "stuck"), ==, 3);
  g_assert_cmpuint (log_count (log, "dispatched", NULL), ==, 0);
  for (guint i = 0; i < log->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (log->entries, i);

      if (g_str_equal (entry->kind, "overflow"))
        {
          g_assert_cmpint (entry->policy, ==, MAIKO_OVERFLOW_POLICY_DROP);
          g_assert_cmpstr (entry->topic, ==, MAIKO_DEFAULT_TOPIC);
        }
    }
}

static void
test_overflow_fail (void)
{
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(MaikoSupervisor) sup = new_overflowing_pipe (MAIKO_OVERFLOW_POLICY_FAIL, stuck);
  g_autoptr(Log) log = log_new_added (sup);
  gint overflow, stopped;

  test_send_n (sup, "N", 1);
  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_join (sup, NULL));

  g_assert_cmpuint (log_count (log, "overflow", "stuck"), ==, 1);
  g_assert_cmpuint (log_count (log, "stopped", "stuck"), ==, 1);
  overflow = log_find (log, "overflow", 0, "stuck");
  stopped = log_find (log, "stopped", -1, "stuck");
  g_assert_cmpint (overflow, >=, 0);
  g_assert_cmpint (overflow, <, stopped);
  g_assert_cmpint (((Entry *) g_ptr_array_index (log->entries, overflow))->policy, ==,
                   MAIKO_OVERFLOW_POLICY_FAIL);
}

typedef struct
{
  MaikoSupervisor *sup;
  gint64           value;
} SendData;

static gpointer
send_one_thread (gpointer data)
{
  SendData *send = data;
  g_autoptr(MaikoEvent) event = test_event_int ("N", send->value);

  g_assert_true (maiko_supervisor_send (send->sup, event, NULL));
  return NULL;
}

static gboolean
overflow_seen (gpointer data)
{
  return log_count (data, "overflow", NULL) == 1;
}

/* An event that waits under BLOCK fires overflow, then event-dispatched
 * once it went in. */
static void
test_overflow_block (void)
{
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(MaikoSupervisor) sup = new_overflowing_pipe (MAIKO_OVERFLOW_POLICY_BLOCK, stuck);
  g_autoptr(Log) log = log_new_added (sup);
  SendData send = { sup, 7 };
  GThread *sender = g_thread_new ("sender", send_one_thread, &send);
  gint overflow, dispatched, handled;

  g_assert_true (test_iterate_until (NULL, overflow_seen, log));
  test_actor_open_gate (stuck);
  g_thread_join (sender);
  g_assert_true (test_actor_wait_handled (stuck, 3));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  overflow = log_find (log, "overflow", 7, "stuck");
  dispatched = log_find (log, "dispatched", 7, "stuck");
  handled = log_find (log, "handled", 7, "stuck");
  g_assert_cmpint (overflow, >=, 0);
  g_assert_cmpint (overflow, <, dispatched);
  g_assert_cmpint (dispatched, <, handled);
  g_assert_cmpint (((Entry *) g_ptr_array_index (log->entries, overflow))->policy, ==,
                   MAIKO_OVERFLOW_POLICY_BLOCK);
  g_assert_cmpuint (log_count (log, "overflow", NULL), ==, 1);
}

static gboolean
fail_on_event (TestActor      *self,
               MaikoEnvelope  *envelope,
               GError        **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad data");
  return FALSE;
}

static gboolean
stop_self_on_event (TestActor      *self,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

/* error fires for a failed handler; actor-stopped fires once for every
 * way an actor ends. */
static void
test_error_and_stops (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Log) log = log_new_added (sup);
  g_autoptr(TestActor) swallowing = test_actor_new ();
  g_autoptr(TestActor) failing = test_actor_new ();
  g_autoptr(TestActor) quitting = test_actor_new ();
  g_autoptr(TestActor) plain = test_actor_new ();
  gint error_at;

  swallowing->handle = fail_on_event;
  swallowing->swallow_errors = TRUE;
  failing->handle = fail_on_event;
  quitting->handle = stop_self_on_event;
  test_add (sup, "swallowing", swallowing, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "failing", failing, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "quitting", quitting, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "plain", plain, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_shutdown (failing));
  g_assert_true (test_actor_wait_shutdown (quitting));
  g_assert_true (test_actor_wait_handled (swallowing, 1));
  g_assert_true (test_actor_wait_handled (plain, 1));
  test_stop_failed (sup, "bad data");

  g_assert_cmpuint (log_count (log, "error", "swallowing"), ==, 1);
  g_assert_cmpuint (log_count (log, "error", "failing"), ==, 1);
  g_assert_cmpuint (log_count (log, "error", NULL), ==, 2);
  /* A failed handling is handled too, then an error, as in maiko. */
  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 4);
  g_assert_cmpint (log_find (log, "handled", 0, "failing"), <, log_find (log, "error", -1, "failing"));
  error_at = log_find (log, "error", -1, "failing");
  g_assert_cmpstr (((Entry *) g_ptr_array_index (log->entries, error_at))->message, ==, "bad data");
  g_assert_cmpint (error_at, <, log_find (log, "stopped", -1, "failing"));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (log_count (log, "stopped",
                                 (const char *[]) { "swallowing", "failing", "quitting", "plain" }[i]),
                      ==, 1);
}

static gboolean
fail_on_three (TestActor      *self,
               MaikoEnvelope  *envelope,
               GError        **error)
{
  if (test_envelope_int (envelope) != 3)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "three");
  return FALSE;
}

/* The records of one actor, as "D1 H1 E ...": delivered, handled, error. */
static char *
log_actor_sequence (Log        *log,
                    const char *actor)
{
  GString *sequence = g_string_new (NULL);

  for (guint i = 0; i < log->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (log->entries, i);

      if (g_strcmp0 (entry->actor, actor) != 0)
        continue;
      if (g_str_equal (entry->kind, "delivered"))
        g_string_append_printf (sequence, "D%" G_GINT64_FORMAT " ", entry->value);
      else if (g_str_equal (entry->kind, "handled"))
        g_string_append_printf (sequence, "H%" G_GINT64_FORMAT " ", entry->value);
      else if (g_str_equal (entry->kind, "error"))
        g_string_append (sequence, "E ");
    }

  return g_strchomp (g_string_free (sequence, FALSE));
}

/* Nine events handled in one tick, the fourth failing: the records an
 * actor hands over per tick keep their order, the error in its place. */
static void
test_tick_order (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Log) log = log_new_added (sup);
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autofree char *sequence = NULL;

  consumer->handle = fail_on_three;
  consumer->swallow_errors = TRUE;
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  test_actor_close_gate (consumer);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 10);
  g_assert_true (test_actor_wait_at_gate (consumer));
  test_actor_open_gate (consumer);
  g_assert_true (test_actor_wait_handled (consumer, 10));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  sequence = log_actor_sequence (log, "consumer");
  g_assert_cmpstr (sequence, ==, "D0 H0 D1 H1 D2 H2 D3 H3 E D4 H4 D5 H5 D6 H6 D7 H7 D8 H8 D9 H9");
}

/* Once its supervisor is gone, nothing keeps a monitor (and the envelopes
 * its records hold) alive: not even the routing snapshot this thread
 * cached when it sent. */
static void
test_released_with_supervisor (void)
{
  MaikoSupervisor *sup = maiko_supervisor_new ();
  MaikoMonitor *monitor = maiko_monitor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  gpointer weak_monitor = monitor;

  g_object_add_weak_pointer (G_OBJECT (monitor), &weak_monitor);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 3);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_object_unref (sup);
  g_object_unref (monitor);

  g_assert_null (weak_monitor);
}

/* A monitor added late is told about the actors added before it, and
 * about those that ended. */
static void
test_registered_replay (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) early = test_actor_new ();
  g_autoptr(TestActor) late = test_actor_new ();
  g_autoptr(Log) before = NULL;
  g_autoptr(Log) after = NULL;

  test_add (sup, "early", early, NULL);
  before = log_new_added (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_add (sup, "late", late, NULL);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  after = log_new_added (sup);
  maiko_monitor_flush (after->monitor);

  g_assert_cmpuint (log_count (before, "registered", "early"), ==, 1);
  g_assert_cmpuint (log_count (before, "registered", "late"), ==, 1);
  g_assert_cmpuint (log_count (before, "stopped", NULL), ==, 2);
  g_assert_cmpuint (after->entries->len, ==, 4);
  g_assert_cmpuint (log_count (after, "registered", "early"), ==, 1);
  g_assert_cmpuint (log_count (after, "registered", "late"), ==, 1);
  g_assert_cmpuint (log_count (after, "stopped", "early"), ==, 1);
  g_assert_cmpuint (log_count (after, "stopped", "late"), ==, 1);
  g_assert_cmpint (log_find (after, "registered", -1, "early"), <,
                   log_find (after, "stopped", -1, "early"));
}

/* The replay for a late monitor is never dropped, whatever the capacity. */
static void
test_replay_beyond_capacity (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 4, NULL);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(Log) log = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("actor-%u", i);

      g_ptr_array_add (actors, test_actor_new ());
      test_add (sup, name, g_ptr_array_index (actors, i), NULL);
    }
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  log = log_new ();
  maiko_monitor_pause (log->monitor);
  g_assert_true (maiko_supervisor_add_monitor (sup, log->monitor, NULL));
  maiko_monitor_flush (log->monitor);

  g_assert_cmpuint (log_count (log, "registered", NULL), ==, 10);
  g_assert_cmpuint (log_count (log, "stopped", NULL), ==, 10);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (log->monitor), ==, 0);
}

/* A paused monitor, or all of them paused at once, records nothing. The
 * test counts event-delivered, which is recorded before the handler runs:
 * once the handler has run, the record is made (or skipped). */
static void
test_pause_resume (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(Log) one = NULL;
  g_autoptr(Log) other = NULL;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  one = log_new_added (sup);
  other = log_new_added (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  maiko_monitor_pause (one->monitor);
  g_assert_true (maiko_monitor_is_paused (one->monitor));
  test_send_n (sup, "N", 10);
  g_assert_true (test_actor_wait_handled (consumer, 10));
  maiko_monitor_resume (one->monitor);

  maiko_supervisor_pause_monitoring (sup);
  test_send_n (sup, "N", 5);
  g_assert_true (test_actor_wait_handled (consumer, 15));
  maiko_supervisor_resume_monitoring (sup);

  test_send_n (sup, "N", 2);
  g_assert_true (test_actor_wait_handled (consumer, 17));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (log_count (one, "delivered", NULL), ==, 2);
  g_assert_cmpuint (log_count (other, "delivered", NULL), ==, 12);
  g_assert_false (maiko_monitor_is_paused (one->monitor));
}

static void
test_add_remove (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoSupervisor) other = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(Log) log = NULL;
  g_autoptr(MaikoSupervisor) watched = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  log = log_new_added (sup);
  watched = maiko_monitor_dup_supervisor (log->monitor);
  g_assert_true (watched == sup);

  g_assert_false (maiko_supervisor_add_monitor (sup, log->monitor, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_add_monitor (other, log->monitor, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_remove_monitor (other, log->monitor, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 3);
  g_assert_true (log_wait (log, "handled", 3));
  g_assert_true (maiko_supervisor_remove_monitor (sup, log->monitor, &error));
  g_assert_no_error (error);
  g_assert_null (maiko_monitor_dup_supervisor (log->monitor));
  g_assert_false (maiko_supervisor_remove_monitor (sup, log->monitor, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);

  test_send_n (sup, "N", 3);
  g_assert_true (test_actor_wait_handled (consumer, 6));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (log->monitor);
  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 3);
  g_assert_cmpuint (log_count (log, "stopped", NULL), ==, 0);
}

/* A monitor added on a thread that runs its own main context: the signals
 * are emitted there, and flush() from another thread waits for them. */
typedef struct
{
  MaikoSupervisor *sup;
  Log             *log;
  GMainLoop       *loop;
  GMutex           mutex;
  GCond            cond;
  gboolean         running;
} LoopThread;

static gboolean
announce_running (gpointer data)
{
  LoopThread *lt = data;

  g_mutex_lock (&lt->mutex);
  lt->running = TRUE;
  g_cond_broadcast (&lt->cond);
  g_mutex_unlock (&lt->mutex);
  return G_SOURCE_REMOVE;
}

static gpointer
loop_thread_main (gpointer data)
{
  LoopThread *lt = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  lt->loop = g_main_loop_new (context, FALSE);
  lt->log = log_new_added (lt->sup);
  g_main_context_invoke (context, announce_running, lt);
  g_main_loop_run (lt->loop);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_emitted_in_adding_context (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  LoopThread lt = { sup, };
  GThread *thread;

  g_mutex_init (&lt.mutex);
  g_cond_init (&lt.cond);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  thread = g_thread_new ("monitor-loop", loop_thread_main, &lt);
  g_mutex_lock (&lt.mutex);
  while (!lt.running)
    g_cond_wait (&lt.cond, &lt.mutex);
  g_mutex_unlock (&lt.mutex);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 20);
  /* Once stop returns every record is queued; flush waits for the loop
   * thread to emit them. */
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (lt.log->monitor);

  g_assert_cmpuint (log_count (lt.log, "handled", NULL), ==, 20);
  g_assert_cmpuint (log_count (lt.log, "stopped", "consumer"), ==, 1);
  g_assert_true (lt.log->thread == thread);
  g_assert_true (maiko_monitor_get_main_context (lt.log->monitor) ==
                 g_main_loop_get_context (lt.loop));

  g_main_context_invoke (g_main_loop_get_context (lt.loop), quit_loop, lt.loop);
  g_thread_join (thread);
  g_main_loop_unref (lt.loop);
  g_object_run_dispose (G_OBJECT (sup));
  log_free (lt.log);
  g_mutex_clear (&lt.mutex);
  g_cond_clear (&lt.cond);
}

/* A monitor whose context nobody runs keeps monitoring-capacity records
 * and counts the rest as dropped; the runtime does not wait for it. */
static void
test_dropped_when_full (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 8, NULL);
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(GMainContext) idle = g_main_context_new ();
  g_autoptr(Log) log = NULL;
  guint64 dropped;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_main_context_push_thread_default (idle);
  log = log_new_added (sup);
  g_main_context_pop_thread_default (idle);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 100);
  g_assert_true (test_actor_wait_handled (consumer, 100));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (log->entries->len, ==, 0);

  /* registered + 100 × (dispatched, delivered, handled) + stopped. */
  dropped = maiko_monitor_get_dropped_count (log->monitor);
  g_assert_cmpuint (dropped, ==, 302 - 8);
  while (g_main_context_iteration (idle, FALSE))
    ;
  g_assert_cmpuint (log->entries->len, ==, 8);
  g_assert_cmpstr (((Entry *) g_ptr_array_index (log->entries, 0))->kind, ==, "registered");
}

/* Adds @monitor to @sup, its signals emitted in @context: a context that
 * nobody iterates keeps the records queued until the test does. */
static void
add_monitor_emitting_in (MaikoSupervisor *sup,
                         MaikoMonitor    *monitor,
                         GMainContext    *context)
{
  g_main_context_push_thread_default (context);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_main_context_pop_thread_default (context);
}

static void
count_hook (MaikoMonitor  *monitor,
            MaikoEnvelope *envelope,
            const char    *topic,
            const char    *receiver,
            guint         *count)
{
  (*count)++;
}

/* A monitor records only the event hooks that something watches (a
 * handler, or a class handler): one watching event-handled alone takes
 * one record per event into its queue, not three, so a queue of 100
 * records holds 100 events without a drop. A handler connected later
 * sees the events sent after it was connected. */
static void
test_unwatched_hooks_not_recorded (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 102, NULL);
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
  g_autoptr(GMainContext) idle = g_main_context_new ();
  guint handled = 0;
  guint dispatched = 0;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_signal_connect (monitor, "event-handled", G_CALLBACK (count_hook), &handled);
  add_monitor_emitting_in (sup, monitor, idle);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 100);
  g_assert_true (test_actor_wait_handled (consumer, 100));
  /* Not emitted yet: nobody ran the idle context. */
  g_assert_cmpuint (maiko_monitor_get_dropped_count (monitor), ==, 0);
  while (g_main_context_iteration (idle, FALSE))
    ;
  g_assert_cmpuint (handled, ==, 100);

  g_signal_connect (monitor, "event-dispatched", G_CALLBACK (count_hook), &dispatched);
  test_send_n (sup, "N", 10);
  g_assert_true (test_actor_wait_handled (consumer, 110));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  while (g_main_context_iteration (idle, FALSE))
    ;
  g_assert_cmpuint (handled, ==, 110);
  g_assert_cmpuint (dispatched, ==, 10);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (monitor), ==, 0);
}

static void
count_freed (gpointer count)
{
  g_atomic_int_inc ((gint *) count);
}

static gboolean
three_counted (gpointer count)
{
  return *(guint *) count >= 3;
}

/* A monitor keeps the envelopes of the records it emitted for the runtime's
 * next push to drop (on the runtime's thread): with no next push, it drops
 * them itself when it goes to sleep. The events' payloads say when the
 * last reference went. */
static void
test_emitted_envelopes_released (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
  g_autoptr(GMainContext) idle = g_main_context_new ();
  static const guint8 data[4] = { 1, 2, 3, 4 };
  guint handled = 0;
  gint freed = 0;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_signal_connect (monitor, "event-handled", G_CALLBACK (count_hook), &handled);
  add_monitor_emitting_in (sup, monitor, idle);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (data, sizeof data, count_freed, &freed);
      g_autoptr(MaikoEvent) event = maiko_event_new ("N", g_variant_new_from_bytes (
                                                       G_VARIANT_TYPE_BYTESTRING, bytes, TRUE));

      g_assert_true (maiko_supervisor_send (sup, event, NULL));
    }
  g_assert_true (test_actor_wait_handled (consumer, 3));
  /* The records hold them: nobody ran the monitor's context yet. */
  g_assert_cmpint (g_atomic_int_get (&freed), ==, 0);

  g_assert_true (test_iterate_until (idle, three_counted, &handled));
  /* Emitted. The next iteration lingers (looks again in a moment), the
   * one after goes to sleep, and drops what is left. */
  for (guint i = 0; i < 3 && g_atomic_int_get (&freed) < 3; i++)
    g_main_context_iteration (idle, FALSE);
  g_assert_cmpint (g_atomic_int_get (&freed), ==, 3);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

/* A hook whose last handler went away stops being recorded within a few
 * batches (a look asks again about a watched hook only now and then). One
 * event per batch: were event-delivered still recorded for all 100, the
 * queue (130 records) would overflow. */
static void
test_disconnected_hook_not_recorded (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 130, NULL);
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
  g_autoptr(GMainContext) idle = g_main_context_new ();
  guint handled = 0;
  guint delivered = 0;
  gulong delivered_id;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_signal_connect (monitor, "event-handled", G_CALLBACK (count_hook), &handled);
  delivered_id = g_signal_connect (monitor, "event-delivered", G_CALLBACK (count_hook), &delivered);
  add_monitor_emitting_in (sup, monitor, idle);
  g_assert_true (maiko_supervisor_start (sup, NULL));

  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_handled (consumer, 1));
  g_signal_handler_disconnect (monitor, delivered_id);
  for (guint i = 2; i <= 101; i++)
    {
      test_send_n (sup, "N", 1);
      g_assert_true (test_actor_wait_handled (consumer, i));
    }
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  while (g_main_context_iteration (idle, FALSE))
    ;

  g_assert_cmpuint (maiko_monitor_get_dropped_count (monitor), ==, 0);
  g_assert_cmpuint (handled, ==, 101);
  g_assert_cmpuint (delivered, ==, 0);
}

/* The thread that owns a monitor sends, under BLOCK, to three receivers
 * and the monitor's queue (128 records) is much smaller than the run: the
 * thread emits the records as it sends (once the queue is half full) and
 * while it waits for room, so none is dropped. Between two of its sends
 * the receivers record at most 30 (5 events in hand each, mailbox of 4
 * included, two hooks per event), however the threads are scheduled: the
 * queue never holds more than 63 + 30 + 3. */
static void
check_busy_sender_keeps_up (guint  mailbox_capacity,
                            guint  n,
                            gint64 handle_delay_us)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "mailbox-capacity", mailbox_capacity,
                                                 "monitoring-capacity", 128, NULL);
  TestActor *receivers[3];
  g_autoptr(Log) log = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    {
      g_autofree char *name = g_strdup_printf ("r%u", i);

      receivers[i] = test_actor_new ();
      receivers[i]->handle_delay_us = handle_delay_us;
      test_add (sup, name, receivers[i], MAIKO_DEFAULT_TOPIC);
    }
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, &error));
  log = log_new_added (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", n);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (maiko_monitor_get_dropped_count (log->monitor), ==, 0);
  g_assert_cmpuint (log_count (log, "dispatched", NULL), ==, 3 * n);
  g_assert_cmpuint (log_count (log, "delivered", NULL), ==, 3 * n);
  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 3 * n);
  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    g_object_unref (receivers[i]);
}

/* Fast receivers: the sender seldom waits, and emits as it sends. */
static void
test_busy_sender_keeps_up (void)
{
  check_busy_sender_keeps_up (4, 2000, 0);
}

/* Slow receivers (1 ms an event, mailboxes of 64): while the sender waits
 * for room for half a mailbox, 32 ms, they record 192 delivered and
 * handled, more than the queue holds: the sender emits them as it waits,
 * woken when the queue is half full. */
static void
test_waiting_sender_keeps_up (void)
{
  check_busy_sender_keeps_up (64, 200, 1000);
}

/* A lossless monitor of 8 records, whose context the sending thread runs:
 * the actors wait for it (the sender emits as it sends and waits), and
 * not one of the 9,000 records is dropped. */
static void
test_lossless_owner (void)
{
  const guint n = 1000;
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "mailbox-capacity", 16, NULL);
  TestActor *receivers[3];
  g_autoptr(Log) log = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    {
      g_autofree char *name = g_strdup_printf ("r%u", i);

      receivers[i] = test_actor_new ();
      test_add (sup, name, receivers[i], MAIKO_DEFAULT_TOPIC);
    }
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  log = log_new_lossless_added (sup, 8);
  g_assert_true (maiko_monitor_get_lossless (log->monitor));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", n);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (maiko_monitor_get_dropped_count (log->monitor), ==, 0);
  g_assert_cmpuint (log_count (log, "dispatched", NULL), ==, 3 * n);
  g_assert_cmpuint (log_count (log, "delivered", NULL), ==, 3 * n);
  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 3 * n);
  g_assert_cmpuint (log_count (log, "stopped", NULL), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (receivers); i++)
    g_object_unref (receivers[i]);
}

/* A lossless monitor of 4 records whose context another thread runs: a
 * threaded producer and two receivers wait for that thread, and every
 * record arrives. */
static gpointer
lossless_loop_main (gpointer data)
{
  LoopThread *lt = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  lt->loop = g_main_loop_new (context, FALSE);
  lt->log = log_new_lossless_added (lt->sup, 4);
  g_main_context_invoke (context, announce_running, lt);
  g_main_loop_run (lt->loop);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
test_lossless_other_thread (void)
{
  const guint n = 1000;
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) producer = test_producer_new ("N", n, 8);
  g_autoptr(TestActor) a = test_actor_new ();
  g_autoptr(TestActor) b = test_actor_new ();
  LoopThread lt = { sup, };
  GThread *thread;

  g_mutex_init (&lt.mutex);
  g_cond_init (&lt.cond);
  test_add (sup, "producer", producer, NULL);
  test_add (sup, "a", a, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "b", b, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  thread = g_thread_new ("monitor-loop", lossless_loop_main, &lt);
  g_mutex_lock (&lt.mutex);
  while (!lt.running)
    g_cond_wait (&lt.cond, &lt.mutex);
  g_mutex_unlock (&lt.mutex);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (a, n));
  g_assert_true (test_actor_wait_handled (b, n));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  maiko_monitor_flush (lt.log->monitor);

  g_assert_cmpuint (maiko_monitor_get_dropped_count (lt.log->monitor), ==, 0);
  g_assert_cmpuint (log_count (lt.log, "dispatched", NULL), ==, 2 * n);
  g_assert_cmpuint (log_count (lt.log, "delivered", NULL), ==, 2 * n);
  g_assert_cmpuint (log_count (lt.log, "handled", NULL), ==, 2 * n);
  g_assert_cmpuint (log_count (lt.log, "stopped", NULL), ==, 3);

  g_main_context_invoke (g_main_loop_get_context (lt.loop), quit_loop, lt.loop);
  g_thread_join (thread);
  g_main_loop_unref (lt.loop);
  g_object_run_dispose (G_OBJECT (sup));
  log_free (lt.log);
  g_mutex_clear (&lt.mutex);
  g_cond_clear (&lt.cond);
}

/* Settings are frozen once the monitor is added. */
static void
test_lossless_settings (void)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR,
                                                 "monitoring-capacity", 32, NULL);
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();

  g_assert_false (maiko_monitor_get_lossless (monitor));
  g_assert_cmpuint (maiko_monitor_get_capacity (monitor), ==, 0);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  /* 0 stood for the supervisor's. */
  g_assert_cmpuint (maiko_monitor_get_capacity (monitor), ==, 32);

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*settings_can_change*");
  maiko_monitor_set_lossless (monitor, TRUE);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*settings_can_change*");
  maiko_monitor_set_capacity (monitor, 8);
  g_test_assert_expected_messages ();
  g_assert_false (maiko_monitor_get_lossless (monitor));
  g_assert_cmpuint (maiko_monitor_get_capacity (monitor), ==, 32);
}

/* A monitor whose event-handled class handler fails at its third call. */
typedef struct
{
  MaikoMonitor parent_instance;
  guint        n_handled;
} FailingMonitor;

typedef MaikoMonitorClass FailingMonitorClass;

G_DEFINE_TYPE (FailingMonitor, failing_monitor, MAIKO_TYPE_MONITOR)

static void
failing_monitor_event_handled (MaikoMonitor  *monitor,
                               MaikoEnvelope *envelope,
                               const char    *topic,
                               const char    *receiver)
{
  FailingMonitor *self = (FailingMonitor *) monitor;
  g_autoptr(GError) error = NULL;

  if (++self->n_handled < 3)
    return;
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "audit sink gone");
  maiko_monitor_fail (monitor, error);
}

static void
failing_monitor_class_init (FailingMonitorClass *klass)
{
  klass->event_handled = failing_monitor_event_handled;
}

static void
failing_monitor_init (FailingMonitor *self)
{
}

/* A monitor whose handler fails ends, as in maiko: it is removed and gets
 * nothing more; the other monitors go on. */
static void
test_failing_monitor (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) failing = g_object_new (failing_monitor_get_type (), NULL);
  g_autoptr(Log) log = NULL;
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) error = NULL;

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, failing, NULL));
  log = log_new_added (sup);
  g_assert_null (maiko_monitor_dup_failure (failing));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 10);
  g_assert_true (test_actor_wait_handled (consumer, 10));
  g_test_expect_message ("Maiko", G_LOG_LEVEL_WARNING, "*failed and was removed: audit sink gone");
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_test_assert_expected_messages ();

  g_assert_cmpuint (((FailingMonitor *) failing)->n_handled, ==, 3);
  failure = maiko_monitor_dup_failure (failing);
  g_assert_error (failure, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_null (maiko_monitor_dup_supervisor (failing));
  g_assert_false (maiko_supervisor_remove_monitor (sup, failing, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (log_count (log, "handled", "consumer"), ==, 10);
}

/* A subclass overrides the class handlers instead of connecting. */
typedef struct
{
  MaikoMonitor parent_instance;
  guint        n_handled;
  guint        n_stopped;
} CountingMonitor;

typedef MaikoMonitorClass CountingMonitorClass;

G_DEFINE_TYPE (CountingMonitor, counting_monitor, MAIKO_TYPE_MONITOR)

static void
counting_monitor_event_handled (MaikoMonitor  *monitor,
                                MaikoEnvelope *envelope,
                                const char    *topic,
                                const char    *receiver)
{
  ((CountingMonitor *) monitor)->n_handled++;
}

static void
counting_monitor_actor_stopped (MaikoMonitor *monitor,
                                const char   *actor)
{
  ((CountingMonitor *) monitor)->n_stopped++;
}

static void
counting_monitor_class_init (CountingMonitorClass *klass)
{
  klass->event_handled = counting_monitor_event_handled;
  klass->actor_stopped = counting_monitor_actor_stopped;
}

static void
counting_monitor_init (CountingMonitor *self)
{
}

static void
test_class_handlers (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = g_object_new (counting_monitor_get_type (), NULL);

  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 25);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (((CountingMonitor *) monitor)->n_handled, ==, 25);
  g_assert_cmpuint (((CountingMonitor *) monitor)->n_stopped, ==, 1);
}

/* A handler may keep the envelope it was given. */
static MaikoEnvelope *kept_envelope;

static void
keep_envelope (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
               const char *receiver, gpointer data)
{
  g_clear_pointer (&kept_envelope, maiko_envelope_unref);
  kept_envelope = maiko_envelope_ref (envelope);
}

static void
test_envelope_kept (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();

  g_signal_connect (monitor, "event-handled", G_CALLBACK (keep_envelope), NULL);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, monitor, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "Kept", 3);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_clear_object (&sup);

  g_assert_nonnull (kept_envelope);
  g_assert_cmpstr (maiko_event_get_label (maiko_envelope_get_event (kept_envelope)), ==, "Kept");
  g_assert_cmpint (test_envelope_int (kept_envelope), ==, 2);
  g_clear_pointer (&kept_envelope, maiko_envelope_unref);
}

/* Flush from inside a handler emits the records after its own, in order. */
static void
flush_from_handler (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
                    const char *receiver, Log *log)
{
  maiko_monitor_flush (monitor);
}

static void
test_flush_reentrant (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(Log) log = log_new ();

  g_signal_connect (log->monitor, "event-dispatched", G_CALLBACK (flush_from_handler), log);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, log->monitor, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 30);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (log_count (log, "handled", NULL), ==, 30);
  for (gint64 value = 0; value < 30; value++)
    {
      g_assert_cmpint (log_find (log, "dispatched", value, "consumer"), <,
                       log_find (log, "delivered", value, "consumer"));
      g_assert_cmpint (log_find (log, "delivered", value, "consumer"), <,
                       log_find (log, "handled", value, "consumer"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/monitor/counts-and-order", test_counts_and_order);
  g_test_add_func ("/monitor/topic-per-event", test_topic_per_event);
  g_test_add_func ("/monitor/overflow-drop", test_overflow_drop);
  g_test_add_func ("/monitor/overflow-fail", test_overflow_fail);
  g_test_add_func ("/monitor/overflow-block", test_overflow_block);
  g_test_add_func ("/monitor/error-and-stops", test_error_and_stops);
  g_test_add_func ("/monitor/tick-order", test_tick_order);
  g_test_add_func ("/monitor/released-with-supervisor", test_released_with_supervisor);
  g_test_add_func ("/monitor/registered-replay", test_registered_replay);
  g_test_add_func ("/monitor/replay-beyond-capacity", test_replay_beyond_capacity);
  g_test_add_func ("/monitor/pause-resume", test_pause_resume);
  g_test_add_func ("/monitor/busy-sender-keeps-up", test_busy_sender_keeps_up);
  g_test_add_func ("/monitor/waiting-sender-keeps-up", test_waiting_sender_keeps_up);
  g_test_add_func ("/monitor/lossless-owner", test_lossless_owner);
  g_test_add_func ("/monitor/lossless-other-thread", test_lossless_other_thread);
  g_test_add_func ("/monitor/lossless-settings", test_lossless_settings);
  g_test_add_func ("/monitor/failing-monitor", test_failing_monitor);
  g_test_add_func ("/monitor/add-remove", test_add_remove);
  g_test_add_func ("/monitor/emitted-in-adding-context", test_emitted_in_adding_context);
  g_test_add_func ("/monitor/dropped-when-full", test_dropped_when_full);
  g_test_add_func ("/monitor/unwatched-hooks-not-recorded", test_unwatched_hooks_not_recorded);
  g_test_add_func ("/monitor/emitted-envelopes-released", test_emitted_envelopes_released);
  g_test_add_func ("/monitor/disconnected-hook-not-recorded", test_disconnected_hook_not_recorded);
  g_test_add_func ("/monitor/class-handlers", test_class_handlers);
  g_test_add_func ("/monitor/envelope-kept", test_envelope_kept);
  g_test_add_func ("/monitor/flush-reentrant", test_flush_reentrant);

  return g_test_run ();
}
