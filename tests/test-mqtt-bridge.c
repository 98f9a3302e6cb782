/* test-mqtt-bridge.c: MaikoMqttBridge against a real mosquitto
 *
 * Each test starts its own mosquitto (test-mqtt-broker.c) on 127.0.0.1 and
 * a free port. The exchanges run between this process and test-mqtt-peer,
 * a second process with a bridge of its own.
 *
 * SPDX-License-Identifier: MIT
 */

#include <gio/gio.h>
#include <maiko.h>
#include <mosquitto.h>
#include <string.h>

#include "test-mqtt-broker.h"
#include "test-util.h"

/* Helpers */

/* Polls @done while running the default context, where the monitors of
 * the tests emit their signals. */
static gboolean
wait_main (gboolean (*done) (gpointer data),
           gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 2 * TEST_TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  return done (data);
}

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
} Peer;

static Peer *
peer_spawn (TestBroker *broker,
            const char *first_arg,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Peer *peer = g_new0 (Peer, 1);
  va_list args;

  g_ptr_array_add (argv, g_test_build_filename (G_TEST_BUILT, "test-mqtt-peer", NULL));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%u", test_broker_get_port (broker)));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  peer->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  peer->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  line = g_data_input_stream_read_line_utf8 (peer->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  return peer;
}

/* The peer's closing line of counts; it must then exit cleanly. */
static char *
peer_finish (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (peer->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_subprocess_wait_check (peer->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (peer->out);
  g_object_unref (peer->process);
  g_free (peer);
  return line;
}

static MaikoMqttBridge *
bridge_new (TestBroker *broker,
            const char *client_id,
            const char *exported,
            const char *imported)
{
  const char *out[] = { exported, NULL };
  const char *in[] = { imported, NULL };

  return g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                       "host", "127.0.0.1",
                       "port", test_broker_get_port (broker),
                       "client-id", client_id,
                       "exported-topics", exported != NULL ? out : NULL,
                       "imported-topics", imported != NULL ? in : NULL,
                       NULL);
}

static MaikoSupervisor *
supervisor_new (void)
{
  MaikoSupervisor *sup = maiko_supervisor_new ();
  g_autoptr(GError) error = NULL;

  maiko_supervisor_set_route_by_label (sup, &error);
  g_assert_no_error (error);
  return sup;
}

static void
add_bridge (MaikoSupervisor *sup,
            MaikoMqttBridge *bridge)
{
  g_autoptr(GError) error = NULL;

  maiko_supervisor_add_actor (sup, "mqtt", MAIKO_ACTOR (bridge),
                              maiko_mqtt_bridge_get_exported_topics (bridge), &error);
  g_assert_no_error (error);
}

static void
set_policy (MaikoSupervisor     *sup,
            const char          *topic,
            MaikoOverflowPolicy  policy)
{
  g_autoptr(GError) error = NULL;

  maiko_supervisor_set_topic_policy (sup, topic, policy, &error);
  g_assert_no_error (error);
}

static void
start (MaikoSupervisor *sup)
{
  g_autoptr(GError) error = NULL;

  maiko_supervisor_start (sup, &error);
  g_assert_no_error (error);
}

static void
stop (MaikoSupervisor *sup)
{
  g_autoptr(GError) error = NULL;

  maiko_supervisor_stop (sup, &error);
  g_assert_no_error (error);
}

static gboolean
is_connected (gpointer data)
{
  return maiko_mqtt_bridge_is_connected (data);
}

static gboolean
is_disconnected (gpointer data)
{
  return !maiko_mqtt_bridge_is_connected (data);
}

typedef struct
{
  TestActor *counter;
  guint      n;
} Expect;

static gboolean
all_counted (gpointer data)
{
  Expect *expect = data;
  TestSeqCounts *counts = expect->counter->data;
  gboolean done;

  g_mutex_lock (&expect->counter->mutex);
  done = counts->distinct >= expect->n;
  g_mutex_unlock (&expect->counter->mutex);
  return done;
}

static gboolean
nothing_pending (gpointer data)
{
  return maiko_mqtt_bridge_get_pending_count (data) == 0;
}

/* A plain libmosquitto client: publishes raw payloads at QoS 1 and waits
 * for the broker's acknowledgements. */
static void
on_raw_publish (struct mosquitto *mosq,
                void             *data,
                int               mid)
{
  (*(guint *) data)++;
}

static void
raw_publish (TestBroker    *broker,
             const char    *topic,
             GBytes * const *payloads,
             guint          n)
{
  guint acked = 0;
  struct mosquitto *mosq = mosquitto_new (NULL, true, &acked);
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_USEC_PER_SEC;

  mosquitto_publish_callback_set (mosq, on_raw_publish);
  g_assert_cmpint (mosquitto_connect (mosq, "127.0.0.1", test_broker_get_port (broker), 60), ==,
                   MOSQ_ERR_SUCCESS);
  for (guint i = 0; i < n; i++)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (payloads[i], &size);

      g_assert_cmpint (mosquitto_publish (mosq, NULL, topic, (int) size, data, 1, false), ==,
                       MOSQ_ERR_SUCCESS);
    }
  while (acked < n && g_get_monotonic_time () < deadline)
    mosquitto_loop (mosq, 100, 1);
  g_assert_cmpuint (acked, ==, n);
  mosquitto_disconnect (mosq);
  mosquitto_destroy (mosq);
}

/* Two processes, both ways */

static void
exchange (guint n)
{
  g_autoptr(TestBroker) broker = test_broker_new (NULL);
  g_autoptr(MaikoSupervisor) sup = supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = bridge_new (broker, "exchange-a", "a2b", "b2a");
  g_autoptr(TestActor) producer = test_producer_new (g_intern_static_string ("a2b"), n, 64);
  TestSeqCounts counts = { 0 };
  g_autoptr(TestActor) counter = test_seq_counter_new (&counts, n);
  Expect expect = { counter, n };
  g_autofree char *n_arg = g_strdup_printf ("%u", n);
  g_autofree char *expected = NULL;
  g_autofree char *result = NULL;
  Peer *peer;

  set_policy (sup, "a2b", MAIKO_OVERFLOW_POLICY_BLOCK);
  set_policy (sup, "b2a", MAIKO_OVERFLOW_POLICY_BLOCK);
  add_bridge (sup, bridge);
  test_add (sup, "counter", counter, "b2a");
  /* The producer waits until the peer is subscribed. */
  producer->gate_in_start = TRUE;
  test_actor_close_gate (producer);
  test_add (sup, "producer", producer, NULL);
  start (sup);
  g_assert_true (test_poll_until (is_connected, bridge));

  peer = peer_spawn (broker, "--client-id=exchange-b", "--import=a2b", "--export=b2a",
                     "--send", n_arg, "--expect", n_arg, NULL);
  test_actor_open_gate (producer);

  g_assert_true (wait_main (all_counted, &expect));
  g_assert_true (wait_main (nothing_pending, bridge));
  result = peer_finish (peer);
  expected = g_strdup_printf ("received=%u distinct=%u doubled=0 out-of-range=0 ids=%u exported=%u",
                              n, n, n, n);
  g_assert_true (g_str_has_prefix (result, expected));

  stop (sup);
  g_assert_cmpuint (counts.distinct, ==, n);
  g_assert_cmpuint (counts.doubled, ==, 0);
  g_assert_cmpuint (g_hash_table_size (counts.ids), ==, n);
  g_assert_cmpuint (counts.out_of_range, ==, 0);
  g_assert_cmpuint (maiko_mqtt_bridge_get_exported_count (bridge), ==, n);
  g_assert_cmpuint (maiko_mqtt_bridge_get_imported_count (bridge), ==, n);
  g_assert_cmpuint (maiko_mqtt_bridge_get_dropped_count (bridge), ==, 0);
  g_assert_cmpuint (maiko_mqtt_bridge_get_rejected_count (bridge), ==, 0);
  test_seq_counts_clear (&counts);
}

static void
test_exchange_both_ways (void)
{
  exchange (100000);
}

/* The broker goes away and comes back */

static gboolean
exported_a_third (gpointer data)
{
  Expect *expect = data;
  MaikoMqttBridge *bridge = (MaikoMqttBridge *) expect->counter;

  return maiko_mqtt_bridge_get_exported_count (bridge) >= expect->n / 3;
}

static void
test_broker_restart (void)
{
  const guint n = 20000;
  g_autoptr(TestBroker) broker = test_broker_new (NULL);
  g_autoptr(MaikoSupervisor) sup = supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = bridge_new (broker, "restart-a", "a2b", NULL);
  g_autoptr(TestActor) producer = test_producer_new (g_intern_static_string ("a2b"), n, 16);
  g_autofree char *n_arg = g_strdup_printf ("%u", n);
  g_autofree char *expected = NULL;
  g_autofree char *result = NULL;
  Expect third = { (TestActor *) bridge, n };
  Peer *peer;

  set_policy (sup, "a2b", MAIKO_OVERFLOW_POLICY_BLOCK);
  add_bridge (sup, bridge);
  producer->gate_in_start = TRUE;
  test_actor_close_gate (producer);
  test_add (sup, "producer", producer, NULL);
  start (sup);
  g_assert_true (test_poll_until (is_connected, bridge));
  peer = peer_spawn (broker, "--client-id=restart-b", "--import=a2b", "--expect", n_arg, NULL);
  test_actor_open_gate (producer);

  g_assert_true (test_poll_until (exported_a_third, &third));
  test_broker_stop (broker);
  /* Mid-run: the broker had not acknowledged everything (the bridge hands
   * events to libmosquitto faster than the broker takes them, so the
   * exported count may be n already), and the bridge saw the broker go. */
  g_assert_cmpuint (maiko_mqtt_bridge_get_pending_count (bridge), >, 0);
  g_assert_true (test_poll_until (is_disconnected, bridge));
  test_broker_start (broker);

  g_assert_true (wait_main (nothing_pending, bridge));
  result = peer_finish (peer);
  expected = g_strdup_printf ("received=%u distinct=%u doubled=0 out-of-range=0 ids=%u", n, n, n);
  g_test_message ("peer: %s", result);
  g_assert_true (g_str_has_prefix (result, expected));
  stop (sup);
  g_assert_cmpuint (maiko_mqtt_bridge_get_dropped_count (bridge), ==, 0);
}

/* Bad payloads on a bridged topic */

typedef struct
{
  const char *actor;      /* whose errors count; "mqtt" unless set */
  guint       errors;
  guint       overflows;
  GPtrArray  *messages;
} Seen;

static void
on_error (MaikoMonitor *monitor,
          const char   *actor,
          const GError *error,
          Seen         *seen)
{
  if (g_strcmp0 (actor, seen->actor != NULL ? seen->actor : "mqtt") != 0)
    return;
  seen->errors++;
  g_ptr_array_add (seen->messages, g_strdup (error->message));
}

static void
on_overflow (MaikoMonitor        *monitor,
             MaikoEnvelope       *envelope,
             const char          *topic,
             const char          *receiver,
             MaikoOverflowPolicy  policy,
             Seen                *seen)
{
  /* Only the tests that watch "mqtt" count overflows. */
  if (seen->actor != NULL)
    return;
  g_assert_cmpstr (receiver, ==, "mqtt");
  g_assert_cmpstr (topic, ==, "out");
  g_assert_cmpint (policy, ==, MAIKO_OVERFLOW_POLICY_DROP);
  seen->overflows++;
}

static MaikoMonitor *
watch (MaikoSupervisor *sup,
       Seen            *seen)
{
  MaikoMonitor *monitor = maiko_monitor_new ();
  g_autoptr(GError) error = NULL;

  seen->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (monitor, "error", G_CALLBACK (on_error), seen);
  g_signal_connect (monitor, "overflow", G_CALLBACK (on_overflow), seen);
  maiko_supervisor_add_monitor (sup, monitor, &error);
  g_assert_no_error (error);
  return monitor;
}

typedef struct
{
  Seen  *seen;
  guint  errors;
} ExpectErrors;

static gboolean
errors_seen (gpointer data)
{
  ExpectErrors *expect = data;

  return expect->seen->errors >= expect->errors;
}

/* Envelopes of the wire form, made by a supervisor of their own. */
static GBytes *
encode_event (const char *label,
              gint64      value)
{
  g_autoptr(MaikoSupervisor) sup = supervisor_new ();
  g_autoptr(TestActor) keeper = test_actor_new ();
  g_autoptr(MaikoEvent) event = test_event_int (label, value);
  g_autoptr(GError) error = NULL;
  MaikoEnvelope *envelope;
  GBytes *bytes;

  keeper->keep_envelopes = TRUE;
  test_add (sup, "keeper", keeper, label);
  start (sup);
  maiko_supervisor_send (sup, event, &error);
  g_assert_no_error (error);
  g_assert_true (test_actor_wait_handled (keeper, 1));
  envelope = g_ptr_array_index (keeper->received, 0);
  bytes = maiko_wire_encode (envelope, "elsewhere", MAIKO_WIRE_FORMAT_JSON);
  stop (sup);
  return bytes;
}

static void
test_rejects_malformed (void)
{
  g_autoptr(TestBroker) broker = test_broker_new (NULL);
  g_autoptr(MaikoSupervisor) sup = supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = bridge_new (broker, NULL, NULL, "in");
  TestSeqCounts counts = { 0 };
  g_autoptr(TestActor) counter = test_seq_counter_new (&counts, 10);
  Expect one = { counter, 1 };
  Seen seen = { 0 };
  g_autoptr(MaikoMonitor) monitor = watch (sup, &seen);
  ExpectErrors four = { &seen, 4 };
  g_autoptr(GBytes) not_json = g_bytes_new_static ("not an envelope", 15);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) foreign = g_bytes_new_static ("{\"temperature\": 21.5}", 21);
  g_autoptr(GBytes) other_topic = encode_event ("other", 1);
  g_autoptr(GBytes) good = encode_event ("in", 7);
  GBytes *payloads[] = { not_json, empty, foreign, other_topic, good };

  add_bridge (sup, bridge);
  test_add (sup, "counter", counter, "in");
  start (sup);
  g_assert_true (test_poll_until (is_connected, bridge));

  raw_publish (broker, "maiko/in", payloads, G_N_ELEMENTS (payloads));
  g_assert_true (wait_main (all_counted, &one));
  g_assert_true (wait_main (errors_seen, &four));

  /* The bridge went on: the good event came after the bad ones. */
  g_assert_cmpuint (counts.distinct, ==, 1);
  g_assert_true (counts.seen[7] == 1);
  g_assert_cmpuint (counts.out_of_range, ==, 0);
  g_assert_cmpuint (maiko_mqtt_bridge_get_rejected_count (bridge), ==, 4);
  g_assert_cmpuint (maiko_mqtt_bridge_get_imported_count (bridge), ==, 1);
  g_assert_cmpuint (seen.errors, ==, 4);
  for (guint i = 0; i < seen.messages->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (seen.messages, i), "maiko/in"));
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (bridge)));
  stop (sup);
  g_ptr_array_unref (seen.messages);
  test_seq_counts_clear (&counts);
}

/* The queue while disconnected */

typedef struct
{
  MaikoMqttBridge *bridge;
  Seen            *seen;
  guint            n;
} ExpectDropped;

static gboolean
dropped_seen (gpointer data)
{
  ExpectDropped *expect = data;

  return maiko_mqtt_bridge_get_dropped_count (expect->bridge) >= expect->n &&
         expect->seen->overflows >= expect->n;
}

static gboolean
exported_ten (gpointer data)
{
  return maiko_mqtt_bridge_get_exported_count (data) == 10 &&
         maiko_mqtt_bridge_get_pending_count (data) == 0;
}

static void
test_offline_overflow (void)
{
  g_autoptr(TestBroker) broker = test_broker_new_stopped (NULL);
  g_autoptr(MaikoSupervisor) sup = supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = NULL;
  const char *out[] = { "out", NULL };
  Seen seen = { 0 };
  g_autoptr(MaikoMonitor) monitor = watch (sup, &seen);
  ExpectDropped fifteen = { NULL, &seen, 15 };

  bridge = g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                         "host", "127.0.0.1",
                         "port", test_broker_get_port (broker),
                         "exported-topics", out,
                         "queue-capacity", 10,
                         NULL);
  fifteen.bridge = bridge;
  set_policy (sup, "out", MAIKO_OVERFLOW_POLICY_DROP);
  add_bridge (sup, bridge);
  start (sup);
  test_send_n (sup, "out", 25);

  g_assert_true (wait_main (dropped_seen, &fifteen));
  g_assert_false (maiko_mqtt_bridge_is_connected (bridge));
  g_assert_cmpuint (maiko_mqtt_bridge_get_pending_count (bridge), ==, 10);
  /* Not connecting is reported (once), and not counted as a rejection. */
  g_assert_cmpuint (seen.errors, ==, 1);
  g_assert_cmpuint (maiko_mqtt_bridge_get_rejected_count (bridge), ==, 0);

  /* The broker comes up: the bridge reconnects and sends the ten. */
  test_broker_start (broker);
  g_assert_true (test_poll_until (exported_ten, bridge));
  g_assert_cmpuint (maiko_mqtt_bridge_get_dropped_count (bridge), ==, 15);
  g_assert_cmpuint (seen.overflows, ==, 15);
  stop (sup);
  g_ptr_array_unref (seen.messages);
}

/* Credentials stay with the broker */

#define USERNAME "bridge-user-7f3a"
#define PASSWORD "pw-9c1e-never-logged"
#define WRONG_PASSWORD "pw-0d2b-also-secret"

/* Everything logged while it is set, whatever the level. */
static GString *log_text;
static GMutex log_mutex;

static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         data)
{
  g_mutex_lock (&log_mutex);
  if (log_text != NULL)
    {
      g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

      g_string_append (log_text, line);
      g_string_append_c (log_text, '\n');
    }
  g_mutex_unlock (&log_mutex);
  /* Debug lines would flood the TAP output. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static MaikoMqttBridge *
bridge_with_password (TestBroker *broker,
                      const char *exported,
                      const char *imported,
                      const char *password)
{
  const char *out[] = { exported, NULL };
  const char *in[] = { imported, NULL };

  return g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                       "host", "127.0.0.1",
                       "port", test_broker_get_port (broker),
                       "username", USERNAME,
                       "password", password,
                       "exported-topics", exported != NULL ? out : NULL,
                       "imported-topics", imported != NULL ? in : NULL,
                       NULL);
}

static void
assert_secret_free (const char *text)
{
  g_assert_null (strstr (text, USERNAME));
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, WRONG_PASSWORD));
}

static void
test_credentials_stay_secret (void)
{
  g_autoptr(TestBroker) broker = test_broker_new_stopped ("allow_anonymous false\n"
                                                          "password_file @DIR@/passwd");
  g_autofree char *passwd = g_build_filename (test_broker_get_dir (broker), "passwd", NULL);
  g_autofree char *record_path = g_build_filename (test_broker_get_dir (broker), "record.jsonl", NULL);
  g_autofree char *record = NULL;
  g_autofree char *topology = NULL;
  g_autofree char *logged = NULL;
  g_autoptr(MaikoSupervisor) sender = supervisor_new ();
  g_autoptr(MaikoSupervisor) receiver = supervisor_new ();
  g_autoptr(MaikoMqttBridge) out = NULL;
  g_autoptr(MaikoMqttBridge) in = NULL;
  g_autoptr(MaikoMqttBridge) impostor = NULL;
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(MaikoTracer) receiver_tracer = maiko_tracer_new ();
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  TestSeqCounts counts = { 0 };
  g_autoptr(TestActor) counter = test_seq_counter_new (&counts, 10);
  Expect three = { counter, 3 };
  Seen seen = { 0 };
  g_autoptr(MaikoMonitor) monitor = watch (sender, &seen);
  ExpectErrors one_error = { &seen, 1 };
  char *mosquitto_passwd[] = { "/usr/bin/mosquitto_passwd", "-c", "-b", passwd, USERNAME, PASSWORD, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, mosquitto_passwd, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  test_broker_start (broker);
  seen.actor = "impostor";

  g_mutex_lock (&log_mutex);
  log_text = g_string_new (NULL);
  g_mutex_unlock (&log_mutex);

  recorder = maiko_recorder_new (record_path, &error);
  g_assert_no_error (error);
  maiko_supervisor_add_monitor (sender, MAIKO_MONITOR (tracer), &error);
  g_assert_no_error (error);
  maiko_supervisor_add_monitor (sender, MAIKO_MONITOR (recorder), &error);
  g_assert_no_error (error);
  maiko_supervisor_add_monitor (receiver, MAIKO_MONITOR (receiver_tracer), &error);
  g_assert_no_error (error);

  out = bridge_with_password (broker, "secret", NULL, PASSWORD);
  in = bridge_with_password (broker, NULL, "secret", PASSWORD);
  impostor = bridge_with_password (broker, "secret", NULL, WRONG_PASSWORD);
  add_bridge (sender, out);
  maiko_supervisor_add_actor (sender, "impostor", MAIKO_ACTOR (impostor),
                              maiko_mqtt_bridge_get_exported_topics (impostor), &error);
  g_assert_no_error (error);
  add_bridge (receiver, in);
  test_add (receiver, "counter", counter, "secret");
  start (receiver);
  g_assert_true (test_poll_until (is_connected, in));
  start (sender);
  g_assert_true (test_poll_until (is_connected, out));
  test_send_n (sender, "secret", 3);

  g_assert_true (wait_main (all_counted, &three));
  /* The impostor's refusal is reported, without its password. */
  g_assert_true (wait_main (errors_seen, &one_error));
  g_assert_nonnull (strstr (g_ptr_array_index (seen.messages, 0), "refused"));
  g_assert_false (maiko_mqtt_bridge_is_connected (impostor));

  topology = maiko_supervisor_to_json (sender);
  stop (sender);
  stop (receiver);
  maiko_recorder_close (recorder, &error);
  g_assert_no_error (error);
  g_file_get_contents (record_path, &record, NULL, &error);
  g_assert_no_error (error);

  g_mutex_lock (&log_mutex);
  logged = g_string_free (g_steal_pointer (&log_text), FALSE);
  g_mutex_unlock (&log_mutex);

  /* The runs were logged and recorded; the credentials were not. */
  g_assert_nonnull (strstr (logged, "secret"));
  g_assert_nonnull (strstr (record, "secret"));
  assert_secret_free (logged);
  assert_secret_free (record);
  assert_secret_free (topology);
  for (guint i = 0; i < seen.messages->len; i++)
    assert_secret_free (g_ptr_array_index (seen.messages, i));
  g_ptr_array_unref (seen.messages);
  g_assert_cmpuint (counts.out_of_range, ==, 0);
  test_seq_counts_clear (&counts);
}

/* TLS: a throwaway CA and server certificate, made by openssl */

#define OPENSSL "/usr/bin/openssl"

static gboolean
has_exited (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

/* Runs openssl in @dir, bounded by the tests' timeout. */
static void
run_openssl (const char *dir,
             const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) OPENSSL);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  /* No user or system openssl.cnf changes what is made. */
  g_subprocess_launcher_setenv (launcher, "OPENSSL_CONF", "/dev/null", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  if (!test_poll_until (has_exited, process))
    {
      g_subprocess_force_exit (process);
      g_error ("openssl %s did not finish in time", first_arg);
    }
  g_assert_true (g_subprocess_get_successful (process));
}

/* A self-signed CA: @name.crt and @name.key. */
static void
make_ca (const char *dir,
         const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *crt = g_strdup_printf ("%s.crt", name);
  g_autofree char *subject = g_strdup_printf ("/CN=Maiko test %s", name);

  run_openssl (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
               "-nodes", "-keyout", key, "-out", crt, "-days", "1", "-subj", subject,
               "-addext", "basicConstraints=critical,CA:TRUE",
               "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
}

/* ca.crt, other-ca.crt (trusted by nobody here) and server.crt/server.key,
 * the broker's, for 127.0.0.1 and localhost, signed by ca. */
static void
make_certificates (const char *dir)
{
  g_autofree char *extensions = g_build_filename (dir, "server.ext", NULL);
  g_autoptr(GError) error = NULL;

  make_ca (dir, "ca");
  make_ca (dir, "other-ca");
  g_file_set_contents (extensions,
                       "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                       "extendedKeyUsage=serverAuth\n", -1, &error);
  g_assert_no_error (error);
  run_openssl (dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL);
  run_openssl (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
               "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "server.ext", NULL);
}

static MaikoMqttBridge *
tls_bridge_new (TestBroker *broker,
                const char *exported,
                const char *imported,
                const char *ca_name)
{
  g_autofree char *ca_file = NULL;
  const char *out[] = { exported, NULL };
  const char *in[] = { imported, NULL };

  if (ca_name != NULL)
    ca_file = g_strdup_printf ("%s/%s.crt", test_broker_get_dir (broker), ca_name);
  return g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                       "host", "127.0.0.1",
                       "port", test_broker_get_port (broker),
                       "tls-ca-file", ca_file,
                       "exported-topics", exported != NULL ? out : NULL,
                       "imported-topics", imported != NULL ? in : NULL,
                       NULL);
}

/* The broker's log of failed TLS handshakes: each one is a connection
 * attempt of a bridge that could not or would not speak TLS with it. */
typedef struct
{
  TestBroker *broker;
  guint       n;
} ExpectHandshakes;

static guint
failed_handshakes (TestBroker *broker)
{
  g_autofree char *log = g_build_filename (test_broker_get_dir (broker), "mosquitto.out", NULL);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return 0;
  for (const char *at = text; (at = strstr (at, "OpenSSL Error")) != NULL; at++)
    n++;
  return n;
}

static gboolean
handshakes_failed (gpointer data)
{
  ExpectHandshakes *expect = data;

  return failed_handshakes (expect->broker) >= expect->n;
}

static void
test_tls (void)
{
  const guint n = 1000;
  g_autoptr(TestBroker) broker = NULL;
  g_autoptr(MaikoSupervisor) sender = NULL;
  g_autoptr(MaikoSupervisor) receiver = NULL;
  g_autoptr(MaikoMqttBridge) out = NULL;
  g_autoptr(MaikoMqttBridge) in = NULL;
  g_autoptr(MaikoMqttBridge) plain = NULL;
  g_autoptr(MaikoMqttBridge) wrong_ca = NULL;
  g_autoptr(MaikoMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  TestSeqCounts counts = { 0 };
  g_autoptr(TestActor) counter = NULL;
  Expect all = { NULL, n };
  Seen plain_seen = { "plain" };
  Seen wrong_seen = { "wrong-ca" };
  g_autoptr(MaikoMonitor) wrong_monitor = NULL;
  ExpectErrors plain_once = { &plain_seen, 1 };
  ExpectErrors wrong_once = { &wrong_seen, 1 };
  ExpectHandshakes retried = { NULL, 6 };

  if (!g_file_test (OPENSSL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  /* log_type notice: the failed handshakes are counted in the log. */
  broker = test_broker_new_stopped ("allow_anonymous true\n"
                                    "cafile @DIR@/ca.crt\n"
                                    "certfile @DIR@/server.crt\n"
                                    "keyfile @DIR@/server.key\n"
                                    "log_type notice");
  retried.broker = broker;
  make_certificates (test_broker_get_dir (broker));
  test_broker_start (broker);

  sender = supervisor_new ();
  receiver = supervisor_new ();
  counter = test_seq_counter_new (&counts, n);
  all.counter = counter;
  out = tls_bridge_new (broker, "secure", NULL, "ca");
  in = tls_bridge_new (broker, NULL, "secure", "ca");
  plain = tls_bridge_new (broker, "secure", NULL, NULL);
  wrong_ca = tls_bridge_new (broker, "secure", NULL, "other-ca");
  monitor = watch (sender, &plain_seen);
  wrong_monitor = watch (sender, &wrong_seen);
  set_policy (sender, "secure", MAIKO_OVERFLOW_POLICY_BLOCK);
  set_policy (receiver, "secure", MAIKO_OVERFLOW_POLICY_BLOCK);
  add_bridge (sender, out);
  maiko_supervisor_add_actor (sender, "plain", MAIKO_ACTOR (plain),
                              maiko_mqtt_bridge_get_exported_topics (plain), &error);
  g_assert_no_error (error);
  maiko_supervisor_add_actor (sender, "wrong-ca", MAIKO_ACTOR (wrong_ca),
                              maiko_mqtt_bridge_get_exported_topics (wrong_ca), &error);
  g_assert_no_error (error);
  add_bridge (receiver, in);
  test_add (receiver, "counter", counter, "secure");
  start (receiver);
  g_assert_true (test_poll_until (is_connected, in));
  start (sender);
  g_assert_true (test_poll_until (is_connected, out));
  test_send_n (sender, "secure", n);

  /* The bridges with the CA exchange every event, once. */
  g_assert_true (wait_main (all_counted, &all));
  g_assert_true (wait_main (nothing_pending, out));
  /* The others tried again and again (the broker saw each handshake fail),
   * and each reported its outage once. */
  g_assert_true (wait_main (handshakes_failed, &retried));
  g_assert_true (wait_main (errors_seen, &plain_once));
  g_assert_true (wait_main (errors_seen, &wrong_once));
  g_assert_false (maiko_mqtt_bridge_is_connected (plain));
  g_assert_false (maiko_mqtt_bridge_is_connected (wrong_ca));
  /* They hold the events, for when the outage ends. */
  g_assert_cmpuint (maiko_mqtt_bridge_get_pending_count (plain), ==, n);
  g_assert_cmpuint (maiko_mqtt_bridge_get_pending_count (wrong_ca), ==, n);
  stop (sender);
  stop (receiver);

  g_assert_cmpuint (plain_seen.errors, ==, 1);
  g_assert_cmpuint (wrong_seen.errors, ==, 1);
  g_test_message ("plain: %s", (char *) g_ptr_array_index (plain_seen.messages, 0));
  g_test_message ("wrong CA: %s", (char *) g_ptr_array_index (wrong_seen.messages, 0));
  g_assert_cmpuint (counts.distinct, ==, n);
  g_assert_cmpuint (counts.doubled, ==, 0);
  g_assert_cmpuint (counts.out_of_range, ==, 0);
  g_assert_cmpuint (maiko_mqtt_bridge_get_exported_count (out), ==, n);
  g_assert_cmpuint (maiko_mqtt_bridge_get_imported_count (in), ==, n);
  /* Nothing went out through the bridges that never connected. */
  g_assert_cmpuint (maiko_mqtt_bridge_get_exported_count (plain), ==, 0);
  g_assert_cmpuint (maiko_mqtt_bridge_get_exported_count (wrong_ca), ==, 0);
  g_ptr_array_unref (plain_seen.messages);
  g_ptr_array_unref (wrong_seen.messages);
  test_seq_counts_clear (&counts);
}

/* The convenience constructor sets what it is given; the topics read
 * back as given, for add_actor(). No broker needed: nothing connects
 * before the bridge is started. */
static void
test_new (void)
{
  const char *out[] = { "a", "b", NULL };
  const char *in[] = { "c", NULL };
  g_autoptr(MaikoMqttBridge) bridge = maiko_mqtt_bridge_new ("127.0.0.1", 1883, out, in);
  g_autofree char *host = NULL;
  guint port;

  g_object_get (bridge, "host", &host, "port", &port, NULL);
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 1883);
  g_assert_true (g_strv_equal (maiko_mqtt_bridge_get_exported_topics (bridge), out));
  g_assert_true (g_strv_equal (maiko_mqtt_bridge_get_imported_topics (bridge), in));
  g_assert_false (maiko_mqtt_bridge_is_connected (bridge));
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* The tracer logs a bridge's errors (the impostor's refusal) as warnings. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/mqtt-bridge/new", test_new);
  g_test_add_func ("/mqtt-bridge/exchange-both-ways", test_exchange_both_ways);
  g_test_add_func ("/mqtt-bridge/broker-restart", test_broker_restart);
  g_test_add_func ("/mqtt-bridge/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/mqtt-bridge/offline-overflow", test_offline_overflow);
  g_test_add_func ("/mqtt-bridge/credentials-stay-secret", test_credentials_stay_secret);
  g_test_add_func ("/mqtt-bridge/tls", test_tls);

  return g_test_run ();
}
