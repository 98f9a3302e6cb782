/* test-tracer.c: MaikoTracer's structured log records
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

/* One record the tracer wrote: its level and a copy of its fields. */
typedef struct
{
  GLogLevelFlags  level;
  GHashTable     *fields;           /* key → value, both owned */
} Record;

/* The tracer's records, in the order written; the writer is installed once
 * per process and each test starts with an empty list. */
static GMutex records_mutex;
static GPtrArray *records;          /* Record*, under records_mutex */

static void
record_free (Record *record)
{
  g_hash_table_unref (record->fields);
  g_free (record);
}

static const char *
record_get (Record     *record,
            const char *key)
{
  return g_hash_table_lookup (record->fields, key);
}

/* Keeps the tracer's records (they carry MAIKO_HOOK) and lets the default
 * writer handle the rest, criticals included. */
static GLogWriterOutput
recording_writer (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  Record *record;
  gboolean traced = FALSE;

  for (gsize i = 0; i < n_fields; i++)
    traced |= g_str_equal (fields[i].key, "MAIKO_HOOK");
  if (!traced)
    return g_log_writer_default (level, fields, n_fields, user_data);

  record = g_new0 (Record, 1);
  record->level = level;
  record->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize i = 0; i < n_fields; i++)
    {
      g_assert_cmpint (fields[i].length, ==, -1);
      g_assert_false (g_hash_table_contains (record->fields, fields[i].key));
      g_hash_table_insert (record->fields, g_strdup (fields[i].key), g_strdup (fields[i].value));
    }

  g_mutex_lock (&records_mutex);
  g_ptr_array_add (records, record);
  g_mutex_unlock (&records_mutex);

  return G_LOG_WRITER_HANDLED;
}

static void
start_recording (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
      g_log_set_writer_func (recording_writer, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
  g_mutex_lock (&records_mutex);
  g_ptr_array_set_size (records, 0);
  g_mutex_unlock (&records_mutex);
}

/* The records of @hook (all if %NULL) for @actor (any if %NULL), in order. */
static GPtrArray *
find_records (const char *hook,
              const char *actor)
{
  GPtrArray *found = g_ptr_array_new ();

  g_mutex_lock (&records_mutex);
  for (guint i = 0; i < records->len; i++)
    {
      Record *record = g_ptr_array_index (records, i);

      if ((hook == NULL || g_strcmp0 (record_get (record, "MAIKO_HOOK"), hook) == 0) &&
          (actor == NULL || g_strcmp0 (record_get (record, "MAIKO_ACTOR"), actor) == 0))
        g_ptr_array_add (found, record);
    }
  g_mutex_unlock (&records_mutex);

  return found;
}

static guint
count_records (const char *hook,
               const char *actor)
{
  g_autoptr(GPtrArray) found = find_records (hook, actor);

  return found->len;
}

static void
assert_common_fields (Record         *record,
                      GLogLevelFlags  level,
                      const char     *priority)
{
  g_assert_cmpint (record->level, ==, level);
  g_assert_cmpstr (record_get (record, "PRIORITY"), ==, priority);
  g_assert_cmpstr (record_get (record, "GLIB_DOMAIN"), ==, "Maiko");
  g_assert_nonnull (record_get (record, "MESSAGE"));
}

/* Checks every field of an event record and returns its event id. */
static const char *
assert_event_record (Record     *record,
                     const char *hook,
                     const char *receiver,
                     const char *label,
                     const char *topic,
                     const char *sender)
{
  const char *id = record_get (record, "MAIKO_EVENT_ID");
  g_autofree char *message = NULL;

  assert_common_fields (record, G_LOG_LEVEL_DEBUG, "7");
  g_assert_cmpstr (record_get (record, "MAIKO_HOOK"), ==, hook);
  g_assert_cmpstr (record_get (record, "MAIKO_ACTOR"), ==, receiver);
  g_assert_cmpstr (record_get (record, "MAIKO_EVENT_LABEL"), ==, label);
  g_assert_cmpstr (record_get (record, "MAIKO_TOPIC"), ==, topic);
  g_assert_cmpstr (record_get (record, "MAIKO_SENDER"), ==, sender);
  g_assert_true (g_uuid_string_is_valid (id));
  message = g_strdup_printf ("%s: “%s” from “%s” to “%s” on topic “%s”, id %s",
                             hook, label, sender, receiver, topic, id);
  if (!g_str_equal (hook, "overflow"))
    g_assert_cmpstr (record_get (record, "MESSAGE"), ==, message);
  else
    g_assert_true (g_str_has_prefix (record_get (record, "MESSAGE"), message));

  return id;
}

static gboolean
fail_first_event (TestActor      *self,
                  MaikoEnvelope  *envelope,
                  GError        **error)
{
  if (test_envelope_int (envelope) != 0)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad data");
  return FALSE;
}

/* N events to two subscribers, one of which fails once: exactly one record
 * per hook, receiver and event, at the documented levels, with every field. */
static void
test_records (void)
{
  const guint n = 5;
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(TestActor) steady = test_actor_new ();
  g_autoptr(TestActor) flaky = test_actor_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *code = g_strdup_printf ("%d", G_IO_ERROR_INVALID_DATA);
  const char *hooks[] = { "event-dispatched", "event-delivered", "event-handled" };
  Record *error;

  start_recording ();
  flaky->handle = fail_first_event;
  flaky->swallow_errors = TRUE;
  test_add (sup, "steady", steady, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "flaky", flaky, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", n);
  g_assert_true (test_actor_wait_handled (steady, n));
  g_assert_true (test_actor_wait_handled (flaky, n));
  /* Stop emits what the monitors this thread runs still hold. */
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  /* Registered, three hooks per event and receiver (the failed handling
   * is handled too), its error, stopped. */
  g_assert_cmpuint (count_records (NULL, NULL), ==, 2 + 3 * 2 * n + 1 + 2);
  g_assert_cmpuint (count_records ("overflow", NULL), ==, 0);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (MAIKO_MONITOR (tracer)), ==, 0);

  for (guint h = 0; h < G_N_ELEMENTS (hooks); h++)
    for (guint a = 0; a < 2; a++)
      {
        const char *actor = a == 0 ? "steady" : "flaky";

        g_clear_pointer (&found, g_ptr_array_unref);
        found = find_records (hooks[h], actor);
        g_assert_cmpuint (found->len, ==, n);
        for (guint i = 0; i < found->len; i++)
          {
            Record *record = g_ptr_array_index (found, i);

            g_hash_table_add (ids, g_strdup (assert_event_record (record, hooks[h], actor, "N",
                                                                  MAIKO_DEFAULT_TOPIC,
                                                                  MAIKO_SUPERVISOR_NAME)));
            g_assert_null (record_get (record, "MAIKO_PARENT_ID"));
            g_assert_cmpuint (g_hash_table_size (record->fields), ==, 9);
          }
      }
  /* One envelope per event, shared by its receivers and hooks. */
  g_assert_cmpuint (g_hash_table_size (ids), ==, n);

  g_clear_pointer (&found, g_ptr_array_unref);
  found = find_records ("error", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  error = g_ptr_array_index (found, 0);
  assert_common_fields (error, G_LOG_LEVEL_WARNING, "4");
  g_assert_cmpstr (record_get (error, "MAIKO_ACTOR"), ==, "flaky");
  g_assert_cmpstr (record_get (error, "MAIKO_ERROR_DOMAIN"), ==, g_quark_to_string (G_IO_ERROR));
  g_assert_cmpstr (record_get (error, "MAIKO_ERROR_CODE"), ==, code);
  g_assert_cmpstr (record_get (error, "MAIKO_ERROR_MESSAGE"), ==, "bad data");
  g_assert_cmpstr (record_get (error, "MESSAGE"), ==, "error: actor “flaky” failed: bad data");
  g_assert_cmpuint (g_hash_table_size (error->fields), ==, 8);

  for (guint a = 0; a < 2; a++)
    {
      const char *actor = a == 0 ? "steady" : "flaky";
      const char *actor_hooks[] = { "actor-registered", "actor-stopped" };

      for (guint h = 0; h < G_N_ELEMENTS (actor_hooks); h++)
        {
          g_autofree char *message = g_strdup_printf ("%s: “%s”", actor_hooks[h], actor);
          Record *record;

          g_clear_pointer (&found, g_ptr_array_unref);
          found = find_records (actor_hooks[h], actor);
          g_assert_cmpuint (found->len, ==, 1);
          record = g_ptr_array_index (found, 0);
          assert_common_fields (record, G_LOG_LEVEL_INFO, "6");
          g_assert_cmpstr (record_get (record, "MESSAGE"), ==, message);
          g_assert_cmpuint (g_hash_table_size (record->fields), ==, 5);
        }
    }
}

/* Overflow records are debug records with the policy. */
static void
test_overflow (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(TestActor) stuck = test_actor_new ();
  g_autoptr(GPtrArray) found = NULL;

  start_recording ();
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_DROP, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (stuck), 1);
  test_actor_close_gate (stuck);
  test_add (sup, "stuck", stuck, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  /* One in hand at the gate, one in the mailbox, then three dropped. */
  test_send_n (sup, "N", 1);
  g_assert_true (test_actor_wait_at_gate (stuck));
  test_send_n (sup, "N", 4);
  test_actor_open_gate (stuck);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  found = find_records ("overflow", NULL);
  g_assert_cmpuint (found->len, ==, 3);
  for (guint i = 0; i < found->len; i++)
    {
      Record *record = g_ptr_array_index (found, i);

      assert_event_record (record, "overflow", "stuck", "N", MAIKO_DEFAULT_TOPIC,
                           MAIKO_SUPERVISOR_NAME);
      g_assert_cmpstr (record_get (record, "MAIKO_POLICY"), ==, "drop");
      g_assert_true (g_str_has_suffix (record_get (record, "MESSAGE"),
                                       ": mailbox full, policy drop"));
      g_assert_cmpuint (g_hash_table_size (record->fields), ==, 10);
    }
  g_assert_cmpuint (count_records ("event-handled", "stuck"), ==, 2);
}

/* An event that nobody receives is traced, with no receiver. */
static void
test_unrouted (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(GPtrArray) found = NULL;
  Record *record;

  start_recording ();
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "reader", actor, "Lines");
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "Line", 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  found = find_records ("event-unrouted", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  record = g_ptr_array_index (found, 0);
  assert_common_fields (record, G_LOG_LEVEL_DEBUG, "7");
  g_assert_null (record_get (record, "MAIKO_ACTOR"));
  g_assert_cmpstr (record_get (record, "MAIKO_TOPIC"), ==, "Line");
  g_assert_cmpstr (record_get (record, "MAIKO_SENDER"), ==, MAIKO_SUPERVISOR_NAME);
  g_assert_true (g_str_has_prefix (record_get (record, "MESSAGE"),
                                   "event-unrouted: “Line” from “supervisor” on topic “Line”"));
  g_assert_true (g_str_has_suffix (record_get (record, "MESSAGE"), ": nobody subscribes to its topic"));
}

static gboolean
answer_ping (TestActor      *self,
             MaikoEnvelope  *envelope,
             GError        **error)
{
  g_autoptr(MaikoEvent) pong = maiko_event_new ("Pong", NULL);

  return maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), pong,
                                         maiko_envelope_get_id (envelope), error);
}

/* An event sent as an answer carries its parent's id and its sender. */
static void
test_parent_id (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(TestActor) relay = test_actor_new ();
  g_autoptr(TestActor) sink = test_actor_new ();
  g_autoptr(MaikoEvent) ping = maiko_event_new ("Ping", NULL);
  g_autoptr(GPtrArray) pings = NULL;
  g_autoptr(GPtrArray) pongs = NULL;
  const char *ping_id;

  start_recording ();
  relay->handle = answer_ping;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "relay", relay, "Ping");
  test_add (sup, "sink", sink, "Pong");
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, ping, NULL));
  g_assert_true (test_actor_wait_handled (sink, 1));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  pings = find_records ("event-handled", "relay");
  pongs = find_records ("event-handled", "sink");
  g_assert_cmpuint (pings->len, ==, 1);
  g_assert_cmpuint (pongs->len, ==, 1);
  ping_id = assert_event_record (g_ptr_array_index (pings, 0), "event-handled", "relay",
                                 "Ping", "Ping", MAIKO_SUPERVISOR_NAME);
  assert_event_record (g_ptr_array_index (pongs, 0), "event-handled", "sink",
                       "Pong", "Pong", "relay");
  g_assert_cmpstr (record_get (g_ptr_array_index (pongs, 0), "MAIKO_PARENT_ID"), ==, ping_id);
}

/* Run in a subprocess with GLib's default writer: a steady and a flaky
 * actor, one event. */
static void
trace_with_default_writer (const char *messages_debug)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(TestActor) steady = test_actor_new ();
  g_autoptr(TestActor) flaky = test_actor_new ();

  /* Before any thread of ours: setenv is not thread-safe. */
  if (messages_debug != NULL)
    g_setenv ("G_MESSAGES_DEBUG", messages_debug, TRUE);
  else
    g_unsetenv ("G_MESSAGES_DEBUG");
  /* GTest makes warnings fatal; the tracer's error record is one. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  flaky->handle = fail_first_event;
  flaky->swallow_errors = TRUE;
  test_add (sup, "steady", steady, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "flaky", flaky, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

/* With G_MESSAGES_DEBUG=Maiko the default writer prints every record.
 * It converts them to the locale's charset, where the quotes may become
 * question marks: the patterns match either with '?'. */
static void
test_messages_debug_shown (void)
{
  if (g_test_subprocess ())
    {
      trace_with_default_writer ("Maiko");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Maiko-INFO*actor-registered: ?steady?*");
  g_test_trap_assert_stdout ("*Maiko-DEBUG*event-dispatched: ?N? from ?supervisor? to ?steady?*");
  g_test_trap_assert_stdout ("*Maiko-DEBUG*event-handled: ?N? from ?supervisor? to ?steady?*");
  g_test_trap_assert_stdout ("*Maiko-INFO*actor-stopped: ?flaky?*");
  g_test_trap_assert_stderr ("*Maiko-WARNING*error: actor ?flaky? failed: bad data*");
}

/* Without G_MESSAGES_DEBUG, only the warning is printed. */
static void
test_messages_debug_hidden (void)
{
  if (g_test_subprocess ())
    {
      trace_with_default_writer (NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout_unmatched ("*Maiko-*");
  g_test_trap_assert_stderr ("*Maiko-WARNING*error: actor ?flaky? failed: bad data*");
  g_test_trap_assert_stderr_unmatched ("*Maiko-DEBUG*");
  g_test_trap_assert_stderr_unmatched ("*Maiko-INFO*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tracer/records", test_records);
  g_test_add_func ("/tracer/overflow", test_overflow);
  g_test_add_func ("/tracer/unrouted", test_unrouted);
  g_test_add_func ("/tracer/parent-id", test_parent_id);
  g_test_add_func ("/tracer/messages-debug/shown", test_messages_debug_shown);
  g_test_add_func ("/tracer/messages-debug/hidden", test_messages_debug_hidden);

  return g_test_run ();
}
