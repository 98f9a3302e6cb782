/* test-mqtt-peer.c: the second process of the MQTT bridge tests
 *
 * Runs a supervisor whose MQTT bridge imports one topic and exports
 * another. It sends --send events numbered from 0 on the exported topic
 * and counts what arrives on the imported one. It prints "ready" once its
 * bridge is connected, and when it has received --expect distinct events
 * and the broker took all it sent, a line of counts, then exits.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>
#include <stdio.h>

#include "test-util.h"

static guint port;
static char *client_id;
static char *import_topic;
static char *export_topic;
static guint n_send;
static guint n_expect;
static guint qos = 1;

static GOptionEntry entries[] = {
  { "port", 0, 0, G_OPTION_ARG_INT, &port, "broker port", NULL },
  { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, "MQTT client id", NULL },
  { "import", 0, 0, G_OPTION_ARG_STRING, &import_topic, "topic to receive", NULL },
  { "export", 0, 0, G_OPTION_ARG_STRING, &export_topic, "topic to send", NULL },
  { "send", 0, 0, G_OPTION_ARG_INT, &n_send, "events to send", NULL },
  { "expect", 0, 0, G_OPTION_ARG_INT, &n_expect, "events to receive", NULL },
  { "qos", 0, 0, G_OPTION_ARG_INT, &qos, "MQTT QoS", NULL },
  { NULL }
};

typedef struct
{
  TestActor       *counter;
  MaikoMqttBridge *bridge;
} Peer;

static gboolean
is_connected (gpointer data)
{
  Peer *peer = data;

  return maiko_mqtt_bridge_is_connected (peer->bridge);
}

static gboolean
is_done (gpointer data)
{
  Peer *peer = data;
  TestSeqCounts *counts = peer->counter->data;
  gboolean received;

  g_mutex_lock (&peer->counter->mutex);
  received = counts->distinct == n_expect;
  g_mutex_unlock (&peer->counter->mutex);
  return received && maiko_mqtt_bridge_get_exported_count (peer->bridge) == n_send &&
         maiko_mqtt_bridge_get_pending_count (peer->bridge) == 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- MQTT bridge test peer");
  g_autoptr(GError) error = NULL;
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) counter = NULL;
  g_autoptr(TestActor) producer = NULL;
  g_autoptr(MaikoMqttBridge) bridge = NULL;
  const char *exported[] = { export_topic, NULL };
  const char *imported[] = { import_topic, NULL };
  TestSeqCounts counts = { 0 };
  Peer peer = { NULL, NULL };
  gboolean done;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  exported[0] = export_topic;
  imported[0] = import_topic;

  bridge = g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                         "host", "127.0.0.1",
                         "port", port,
                         "client-id", client_id,
                         "qos", qos,
                         "exported-topics", export_topic != NULL ? exported : NULL,
                         "imported-topics", import_topic != NULL ? imported : NULL,
                         NULL);
  peer.bridge = bridge;

  maiko_supervisor_set_route_by_label (sup, &error);
  g_assert_no_error (error);
  if (export_topic != NULL)
    {
      maiko_supervisor_set_topic_policy (sup, export_topic, MAIKO_OVERFLOW_POLICY_BLOCK, &error);
      g_assert_no_error (error);
    }
  if (import_topic != NULL)
    {
      maiko_supervisor_set_topic_policy (sup, import_topic, MAIKO_OVERFLOW_POLICY_BLOCK, &error);
      g_assert_no_error (error);
    }
  maiko_supervisor_add_actor (sup, "mqtt", MAIKO_ACTOR (bridge),
                              maiko_mqtt_bridge_get_exported_topics (bridge), &error);
  g_assert_no_error (error);

  counter = test_seq_counter_new (&counts, n_expect);
  peer.counter = counter;
  test_add (sup, "counter", counter, import_topic != NULL ? import_topic : "unused");
  if (n_send > 0)
    {
      producer = test_producer_new (g_intern_string (export_topic), n_send, 64);
      test_add (sup, "producer", producer, NULL);
    }

  maiko_supervisor_start (sup, &error);
  g_assert_no_error (error);
  if (!test_poll_until (is_connected, &peer))
    g_error ("the peer's bridge did not connect");
  printf ("ready\n");
  fflush (stdout);

  /* Several bounds: 100,000 events each way on a loaded machine. */
  for (guint i = 0; i < 4 && !(done = is_done (&peer)); i++)
    test_poll_until (is_done, &peer);

  maiko_supervisor_stop (sup, &error);
  g_assert_no_error (error);
  printf ("received=%u distinct=%u doubled=%u out-of-range=%u ids=%u exported=%u duplicates=%u\n",
          test_actor_get_handled (counter), counts.distinct, counts.doubled, counts.out_of_range,
          g_hash_table_size (counts.ids), maiko_mqtt_bridge_get_exported_count (bridge),
          maiko_mqtt_bridge_get_duplicate_count (bridge));
  fflush (stdout);
  test_seq_counts_clear (&counts);
  return done ? 0 : 1;
}
