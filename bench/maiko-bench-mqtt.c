/* maiko-bench-mqtt.c: events/s through MaikoMqttBridge, process to
 * process, beside plain libmosquitto publish/subscribe in the same run
 *
 * Starts its own mosquitto on 127.0.0.1 and a free port, then, for each
 * round, runs itself again as the receiving process: once with a plain
 * libmosquitto subscriber against a plain publisher (raw), once with a
 * bridge importing into a counting actor against a bridge exporting a
 * producer's events (bridge). Both sides of both runs use the same QoS,
 * in-flight window and payload size (the raw payload is the JSON wire form
 * of one such event). Time runs from the sender's first publish to the
 * receiver's last event, on CLOCK_MONOTONIC, which both processes share.
 *
 *   maiko-bench-mqtt [--events N] [--rounds R] [--qos Q]
 *
 * SPDX-License-Identifier: MIT
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <maiko.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define MOSQUITTO "/usr/sbin/mosquitto"
#define INFLIGHT 100

static gint n_events = 100000;
static gint n_rounds = 5;
static gint qos = 1;
static gint port;
static char *receive_mode;
static gboolean variant;

static GOptionEntry entries[] = {
  { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "events per run (100000)", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "runs of each kind; the median is printed (5)", "R" },
  { "qos", 0, 0, G_OPTION_ARG_INT, &qos, "MQTT QoS of both kinds (1)", "Q" },
  { "variant", 0, 0, G_OPTION_ARG_NONE, &variant, "the bridges send the GVariant wire form, not JSON", NULL },
  { "port", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &port, NULL, NULL },
  { "receive", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &receive_mode, NULL, NULL },
  { NULL }
};

/* The receiving side */

static void
on_raw_message (struct mosquitto               *mosq,
                void                           *data,
                const struct mosquitto_message *message)
{
  (*(gint *) data)++;
}

static void
on_raw_subscribe (struct mosquitto *mosq,
                  void             *data,
                  int               mid,
                  int               n,
                  const int        *granted)
{
  printf ("ready\n");
  fflush (stdout);
}

static gint64
receive_raw (void)
{
  gint count = 0;
  struct mosquitto *mosq = mosquitto_new ("bench-raw-in", true, &count);

  mosquitto_message_callback_set (mosq, on_raw_message);
  mosquitto_subscribe_callback_set (mosq, on_raw_subscribe);
  if (mosquitto_connect (mosq, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS)
    g_error ("cannot connect");
  mosquitto_subscribe (mosq, NULL, "bench/raw", qos);
  while (count < n_events)
    if (mosquitto_loop (mosq, 1000, 1) != MOSQ_ERR_SUCCESS)
      g_error ("connection lost");
  return g_get_monotonic_time ();
}

typedef struct
{
  MaikoActor parent_instance;
  gint       count;
  gint64     done_at;
} Counter;

typedef MaikoActorClass CounterClass;
G_DEFINE_TYPE (Counter, counter, MAIKO_TYPE_ACTOR)

static gboolean
counter_handle_event (MaikoActor     *actor,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  Counter *self = (Counter *) actor;

  if (++self->count == n_events)
    {
      /* Read after join, which waits for this thread. */
      self->done_at = g_get_monotonic_time ();
      maiko_context_stop_runtime (maiko_actor_get_context (actor));
    }
  return TRUE;
}

static void
counter_class_init (CounterClass *klass)
{
  klass->handle_event = counter_handle_event;
}

static void
counter_init (Counter *self)
{
}

static MaikoMqttBridge *
bench_bridge (const char *client_id,
              const char *exported,
              const char *imported)
{
  const char *out[] = { exported, NULL };
  const char *in[] = { imported, NULL };

  return g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                       "host", "127.0.0.1",
                       "port", port,
                       "client-id", client_id,
                       "clean-session", 1,
                       "qos", qos,
                       "max-inflight", INFLIGHT,
                       "wire-format", variant ? MAIKO_WIRE_FORMAT_VARIANT : MAIKO_WIRE_FORMAT_JSON,
                       "exported-topics", exported != NULL ? out : NULL,
                       "imported-topics", imported != NULL ? in : NULL,
                       NULL);
}

static gint64
receive_bridge (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = bench_bridge ("bench-bridge-in", NULL, "bench");
  g_autoptr(GError) error = NULL;
  Counter *counter = g_object_new (counter_get_type (), NULL);
  const char *topics[] = { "bench", NULL };

  maiko_supervisor_set_route_by_label (sup, &error);
  maiko_supervisor_set_topic_policy (sup, "bench", MAIKO_OVERFLOW_POLICY_BLOCK, &error);
  maiko_supervisor_add_actor (sup, "mqtt", MAIKO_ACTOR (bridge), NULL, &error);
  maiko_supervisor_add_actor (sup, "counter", MAIKO_ACTOR (counter), topics, &error);
  g_assert_no_error (error);
  maiko_supervisor_start (sup, &error);
  g_assert_no_error (error);
  while (!maiko_mqtt_bridge_is_connected (bridge))
    g_usleep (1000);
  printf ("ready\n");
  fflush (stdout);
  maiko_supervisor_join (sup, &error);
  g_assert_no_error (error);
  {
    gint64 done_at = counter->done_at;

    g_object_unref (counter);
    return done_at;
  }
}

/* The sending side */

static void
on_raw_publish (struct mosquitto *mosq,
                void             *data,
                int               mid)
{
  (*(gint *) data)++;
}

static GBytes *
sample_payload (void)
{
  /* One event of the bridge run, in the wire form the bridge sends. */
  g_autoptr(GString) json = g_string_new (NULL);

  /* The id, sender and origin of a real envelope have these lengths. */
  g_string_printf (json,
                   "{\"label\":\"bench\",\"payload\":%d,\"payload_type\":\"x\","
                   "\"id\":\"00000000-0000-4000-8000-000000000000\",\"parent_id\":null,"
                   "\"sender\":\"producer\",\"topic\":\"bench\",\"timestamp_ns\":%" G_GINT64_FORMAT ","
                   "\"origin\":\"00000000-0000-4000-8000-000000000000\"}",
                   n_events, g_get_real_time () * 1000);
  return g_string_free_to_bytes (g_steal_pointer (&json));
}

static gint64
send_raw (void)
{
  gint acked = 0;
  struct mosquitto *mosq = mosquitto_new ("bench-raw-out", true, &acked);
  g_autoptr(GBytes) payload = sample_payload ();
  gsize size;
  gconstpointer data = g_bytes_get_data (payload, &size);
  gint64 start;

  mosquitto_publish_callback_set (mosq, on_raw_publish);
  mosquitto_max_inflight_messages_set (mosq, INFLIGHT);
  if (mosquitto_connect (mosq, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS)
    g_error ("cannot connect");
  start = g_get_monotonic_time ();
  for (gint i = 0; i < n_events; i++)
    {
      mosquitto_publish (mosq, NULL, "bench/raw", (int) size, data, qos, false);
      /* Acknowledgements in, queued messages out, as the bridge's socket
       * source does between its events. */
      if (i % 64 == 63)
        mosquitto_loop (mosq, 0, 1);
    }
  while (acked < n_events)
    mosquitto_loop (mosq, 100, 1);
  mosquitto_disconnect (mosq);
  mosquitto_destroy (mosq);
  return start;
}

typedef struct
{
  MaikoActor parent_instance;
  gint       sent;
  gint64     started_at;
} Producer;

typedef MaikoActorClass ProducerClass;
G_DEFINE_TYPE (Producer, producer, MAIKO_TYPE_ACTOR)

static MaikoStepAction
producer_step (MaikoActor *actor)
{
  Producer *self = (Producer *) actor;
  MaikoContext *context = maiko_actor_get_context (actor);

  if (self->sent == 0)
    self->started_at = g_get_monotonic_time ();
  for (gint i = 0; i < 64 && self->sent < n_events; i++, self->sent++)
    {
      g_autoptr(MaikoEvent) event = maiko_event_new ("bench", g_variant_new_int64 (self->sent));

      if (!maiko_context_send (context, event, NULL))
        return MAIKO_STEP_ACTION_NEVER;
    }
  return self->sent < n_events ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_NEVER;
}

static void
producer_class_init (ProducerClass *klass)
{
  klass->step = producer_step;
}

static void
producer_init (Producer *self)
{
}

static gint64
send_bridge (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoMqttBridge) bridge = bench_bridge ("bench-bridge-out", "bench", NULL);
  g_autoptr(GError) error = NULL;
  Producer *producer = g_object_new (producer_get_type (), NULL);
  gint64 started_at;

  maiko_supervisor_set_route_by_label (sup, &error);
  maiko_supervisor_set_topic_policy (sup, "bench", MAIKO_OVERFLOW_POLICY_BLOCK, &error);
  maiko_supervisor_add_actor (sup, "mqtt", MAIKO_ACTOR (bridge),
                              maiko_mqtt_bridge_get_exported_topics (bridge), &error);
  maiko_supervisor_add_actor (sup, "producer", MAIKO_ACTOR (producer), NULL, &error);
  g_assert_no_error (error);
  maiko_supervisor_start (sup, &error);
  g_assert_no_error (error);
  while (maiko_mqtt_bridge_get_exported_count (bridge) < (guint) n_events ||
         maiko_mqtt_bridge_get_pending_count (bridge) > 0)
    g_usleep (1000);
  maiko_supervisor_stop (sup, &error);
  g_assert_no_error (error);
  started_at = producer->started_at;
  g_object_unref (producer);
  return started_at;
}

/* One run: the receiver in a process of its own, the sender here. */
static double
run_once (const char *self_path,
          const char *kind)
{
  g_autofree char *port_arg = g_strdup_printf ("--port=%d", port);
  g_autofree char *events_arg = g_strdup_printf ("--events=%d", n_events);
  g_autofree char *qos_arg = g_strdup_printf ("--qos=%d", qos);
  g_autofree char *kind_arg = g_strdup_printf ("--receive=%s%s", kind, variant ? "-variant" : "");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) receiver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                      self_path, port_arg, events_arg, qos_arg,
                                                      kind_arg, NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *done = NULL;
  gint64 start;

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  ready = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_cmpstr (ready, ==, "ready");
  start = g_str_equal (kind, "raw") ? send_raw () : send_bridge ();
  done = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (receiver, NULL, &error);
  g_assert_no_error (error);
  return n_events / ((g_ascii_strtoll (done, NULL, 10) - start) / 1e6);
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
accepts (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                              NULL, NULL);
  return connection != NULL;
}

static GSubprocess *
start_broker (char **dir)
{
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *text = NULL;
  GSubprocess *broker;

  g_socket_bind (probe, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (probe, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);

  *dir = g_dir_make_tmp ("maiko-bench-mqtt-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (*dir, "mosquitto.conf", NULL);
  text = g_strdup_printf ("listener %d 127.0.0.1\nallow_anonymous true\nuser %s\nlog_type none\n"
                          "max_queued_messages 0\nmax_inflight_messages %d\nlog_dest none\n",
                          port, g_get_user_name (), INFLIGHT);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  broker = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, MOSQUITTO, "-c", config, NULL);
  g_assert_no_error (error);
  for (gint i = 0; i < 5000 && !accepts (); i++)
    g_usleep (1000);
  g_assert_true (accepts ());
  g_unlink (config);
  return broker;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- MQTT bridge throughput");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autofree char *dir = NULL;
  g_autofree double *raw = NULL;
  g_autofree double *bridged = NULL;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  mosquitto_lib_init ();

  if (receive_mode != NULL)
    {
      gint64 done;

      variant = g_str_has_suffix (receive_mode, "-variant");
      done = g_str_has_prefix (receive_mode, "raw") ? receive_raw () : receive_bridge ();

      printf ("%" G_GINT64_FORMAT "\n", done);
      return 0;
    }

  broker = start_broker (&dir);
  raw = g_new0 (double, n_rounds);
  bridged = g_new0 (double, n_rounds);
  printf ("MQTT, %d events per run, QoS %d, in-flight window %d, %s wire form, process to process through mosquitto\n",
          n_events, qos, INFLIGHT, variant ? "GVariant" : "JSON");
  for (gint i = 0; i < n_rounds; i++)
    {
      raw[i] = run_once (argv[0], "raw");
      bridged[i] = run_once (argv[0], "bridge");
      printf ("  round %d: raw %.0f events/s, bridge %.0f events/s\n", i + 1, raw[i], bridged[i]);
    }
  qsort (raw, n_rounds, sizeof (double), compare);
  qsort (bridged, n_rounds, sizeof (double), compare);
  printf ("median: raw libmosquitto %.0f events/s, MaikoMqttBridge %.0f events/s, ratio %.2f\n",
          raw[n_rounds / 2], bridged[n_rounds / 2], bridged[n_rounds / 2] / raw[n_rounds / 2]);

  g_subprocess_send_signal (broker, SIGTERM);
  g_subprocess_wait (broker, NULL, NULL);
  g_rmdir (dir);
  mosquitto_lib_cleanup ();
  return 0;
}
