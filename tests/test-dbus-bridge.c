/* test-dbus-bridge.c: MaikoDBusBridge on a real, private dbus-daemon
 * (GTestDBus), in one process and in two
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

static GTestDBus *bus;

static GDBusConnection *
new_connection (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

/* One runtime with a bridge on a connection of its own: a process, as the
 * bus sees it. Topics are labels. */
typedef struct
{
  MaikoSupervisor *sup;
  MaikoDBusBridge *bridge;
  GDBusConnection *connection;
} Side;

static void
side_init (Side               *side,
           const char * const *exported,
           const char * const *imported)
{
  g_autoptr(GError) error = NULL;

  side->sup = maiko_supervisor_new ();
  g_assert_true (maiko_supervisor_set_route_by_label (side->sup, NULL));
  /* Senders wait for the bridge and the actors rather than overflow. */
  for (guint i = 0; exported != NULL && exported[i] != NULL; i++)
    g_assert_true (maiko_supervisor_set_topic_policy (side->sup, exported[i],
                                                      MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  for (guint i = 0; imported != NULL && imported[i] != NULL; i++)
    g_assert_true (maiko_supervisor_set_topic_policy (side->sup, imported[i],
                                                      MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  side->connection = new_connection ();
  side->bridge = maiko_dbus_bridge_new (side->connection, NULL, exported, imported);
  g_assert_true (maiko_supervisor_add_actor (side->sup, "dbus", MAIKO_ACTOR (side->bridge),
                                             maiko_dbus_bridge_get_exported_topics (side->bridge),
                                             &error));
  g_assert_no_error (error);
}

static TestActor *
side_add (Side               *side,
          const char         *name,
          const char * const *topics)
{
  TestActor *actor = test_actor_new ();
  g_autoptr(GError) error = NULL;

  actor->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_add_actor (side->sup, name, MAIKO_ACTOR (actor), topics, &error));
  g_assert_no_error (error);
  return actor;
}

static void
side_start (Side *side)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_start (side->sup, &error));
  g_assert_no_error (error);
  /* Ready: the bus has the bridge's match rules. */
  g_assert_true (maiko_supervisor_wait_ready (side->sup, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
side_clear (Side *side)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_stop (side->sup, &error));
  g_assert_no_error (error);
  g_clear_object (&side->sup);
  g_clear_object (&side->bridge);
  g_clear_object (&side->connection);
}

typedef struct
{
  MaikoDBusBridge *bridge;
  guint          (*count) (MaikoDBusBridge *bridge);
  guint            n;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return wait->count (wait->bridge) >= wait->n;
}

/* The bridge counts an import once it has published it, on its import
 * thread, and an export once the signal is sent: maybe after the receiver
 * has handled it. Waits (bounded) for the count to reach @n, returns it. */
static guint
wait_count (MaikoDBusBridge  *bridge,
            guint           (*count) (MaikoDBusBridge *bridge),
            guint             n)
{
  CountWait wait = { bridge, count, n };

  test_poll_until (count_reached, &wait);
  return count (bridge);
}

static guint
wait_imported (MaikoDBusBridge *bridge,
               guint            n)
{
  return wait_count (bridge, maiko_dbus_bridge_get_n_imported, n);
}

static guint
wait_exported (MaikoDBusBridge *bridge,
               guint            n)
{
  return wait_count (bridge, maiko_dbus_bridge_get_n_exported, n);
}

static MaikoEnvelope *
received (TestActor *actor,
          guint      i)
{
  MaikoEnvelope *envelope;

  g_mutex_lock (&actor->mutex);
  g_assert_cmpuint (i, <, actor->received->len);
  envelope = g_ptr_array_index (actor->received, i);
  g_mutex_unlock (&actor->mutex);

  return envelope;
}

/* Bob answers each Ping with a Pong child of it, of the same payload. */
static gboolean
answer_ping (TestActor      *self,
             MaikoEnvelope  *envelope,
             GError        **error)
{
  g_autoptr(MaikoEvent) pong =
    maiko_event_new ("Pong", maiko_event_get_payload (maiko_envelope_get_event (envelope)));

  return maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), pong,
                                         maiko_envelope_get_id (envelope), error);
}

/* A chain crosses the bus and comes back: the Ping that bob receives has
 * the id, sender, topic, timestamp and payload it was sent with, and the
 * Pong that alice receives is its child. */
static void
test_chain (void)
{
  const char *ping[] = { "Ping", NULL };
  const char *pong[] = { "Pong", NULL };
  Side a = { 0 }, b = { 0 };
  g_autoptr(TestActor) alice = NULL;
  g_autoptr(TestActor) carol = NULL;
  g_autoptr(TestActor) bob = NULL;
  const guint n = 20;

  side_init (&a, ping, pong);
  alice = side_add (&a, "alice", pong);
  carol = side_add (&a, "carol", ping);   /* sees the Pings as sent */
  side_init (&b, pong, ping);
  bob = side_add (&b, "bob", ping);
  bob->handle = answer_ping;
  side_start (&a);
  side_start (&b);

  for (guint i = 0; i < n; i++)
    test_send_int (a.sup, "Ping", i);
  g_assert_true (test_actor_wait_handled (alice, n));
  g_assert_true (test_actor_wait_handled (carol, n));
  g_assert_true (test_actor_wait_handled (bob, n));

  for (guint i = 0; i < n; i++)
    {
      MaikoEnvelope *sent = received (carol, i);
      MaikoEnvelope *there = received (bob, i);
      MaikoEnvelope *back = received (alice, i);

      g_assert_cmpstr (maiko_envelope_get_id (there), ==, maiko_envelope_get_id (sent));
      g_assert_cmpstr (maiko_envelope_get_sender (there), ==, "supervisor");
      g_assert_cmpstr (maiko_envelope_get_topic (there), ==, "Ping");
      g_assert_null (maiko_envelope_get_parent_id (there));
      g_assert_cmpint (maiko_envelope_get_timestamp_ns (there), ==, maiko_envelope_get_timestamp_ns (sent));
      g_assert_cmpint (test_envelope_int (there), ==, i);

      g_assert_cmpstr (maiko_envelope_get_parent_id (back), ==, maiko_envelope_get_id (sent));
      g_assert_cmpstr (maiko_envelope_get_sender (back), ==, "bob");
      g_assert_cmpstr (maiko_envelope_get_topic (back), ==, "Pong");
      g_assert_cmpint (test_envelope_int (back), ==, i);
    }

  g_assert_cmpuint (wait_exported (a.bridge, n), ==, n);
  g_assert_cmpuint (wait_imported (b.bridge, n), ==, n);
  g_assert_cmpuint (wait_exported (b.bridge, n), ==, n);
  g_assert_cmpuint (wait_imported (a.bridge, n), ==, n);
  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (a.bridge), ==, 0);
  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (b.bridge), ==, 0);

  side_clear (&a);
  side_clear (&b);
}

/* Two bridges that both export and import one topic: each event reaches
 * the other side once, and never comes back, though each bridge also
 * receives its own signals from the bus. */
static void
test_no_echo (void)
{
  const char *t[] = { "t", NULL };
  Side a = { 0 }, b = { 0 };
  g_autoptr(TestActor) x = NULL;
  g_autoptr(TestActor) y = NULL;

  side_init (&a, t, t);
  x = side_add (&a, "x", t);
  side_init (&b, t, t);
  y = side_add (&b, "y", t);
  side_start (&a);
  side_start (&b);

  for (guint i = 0; i < 10; i++)
    test_send_int (a.sup, "t", i);
  g_assert_true (test_actor_wait_handled (y, 10));
  for (guint i = 0; i < 5; i++)
    test_send_int (b.sup, "t", 100 + i);
  g_assert_true (test_actor_wait_handled (x, 15));
  g_assert_true (test_actor_wait_handled (y, 15));
  /* A fence each way: what either bridge sent before reached the other
   * side before it. */
  test_send_int (a.sup, "t", 1000);
  g_assert_true (test_actor_wait_handled (y, 16));
  test_send_int (b.sup, "t", 2000);
  g_assert_true (test_actor_wait_handled (x, 17));
  g_assert_true (test_actor_wait_handled (y, 17));

  /* x got its own 11 locally, and y's 6 once each. */
  g_assert_cmpuint (test_actor_get_handled (x), ==, 17);
  g_assert_cmpuint (test_actor_get_handled (y), ==, 17);
  g_assert_cmpint (test_envelope_int (received (x, 16)), ==, 2000);
  g_assert_cmpuint (wait_exported (a.bridge, 11), ==, 11);
  g_assert_cmpuint (wait_imported (a.bridge, 6), ==, 6);
  g_assert_cmpuint (wait_exported (b.bridge, 6), ==, 6);
  g_assert_cmpuint (wait_imported (b.bridge, 11), ==, 11);

  side_clear (&a);
  side_clear (&b);
}

/* Signals on the bus as a plain GDBus program sees them. */
typedef struct
{
  GMutex     mutex;
  GPtrArray *envelopes;
  guint      id;
} Listener;

static void
on_bus_signal (GDBusConnection *connection,
               const char      *sender_name,
               const char      *object_path,
               const char      *interface_name,
               const char      *signal_name,
               GVariant        *parameters,
               gpointer         data)
{
  Listener *listener = data;
  MaikoEnvelope *envelope = maiko_wire_from_variant (parameters, NULL, NULL);

  if (envelope == NULL)
    return;
  g_mutex_lock (&listener->mutex);
  g_ptr_array_add (listener->envelopes, envelope);
  g_mutex_unlock (&listener->mutex);
}

static void
listener_init (Listener        *listener,
               GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;

  g_mutex_init (&listener->mutex);
  listener->envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  /* On the main context, which the test iterates. */
  listener->id = g_dbus_connection_signal_subscribe (connection, NULL, MAIKO_DBUS_BRIDGE_INTERFACE,
                                                     MAIKO_DBUS_BRIDGE_SIGNAL, NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, on_bus_signal,
                                                     listener, NULL);
  /* A round trip: the match rule is in place after it. */
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
}

static guint
listener_count (Listener *listener)
{
  guint n;

  g_mutex_lock (&listener->mutex);
  n = listener->envelopes->len;
  g_mutex_unlock (&listener->mutex);
  return n;
}

static gboolean
listener_has (gpointer data)
{
  Listener *listener = ((gpointer *) data)[0];

  return listener_count (listener) >= GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

static gboolean
wait_listener (Listener *listener,
               guint     n)
{
  gpointer data[] = { listener, GUINT_TO_POINTER (n) };

  return test_iterate_until (NULL, listener_has, data);
}

static void
listener_clear (Listener        *listener,
                GDBusConnection *connection)
{
  g_dbus_connection_signal_unsubscribe (connection, listener->id);
  g_ptr_array_unref (listener->envelopes);
  g_mutex_clear (&listener->mutex);
}

/* Emits, as a foreign program, one envelope in the wire form. */
static void
emit_wire (GDBusConnection *connection,
           GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_dbus_connection_emit_signal (connection, NULL, MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH,
                                                MAIKO_DBUS_BRIDGE_INTERFACE, MAIKO_DBUS_BRIDGE_SIGNAL,
                                                parameters, &error));
  g_assert_no_error (error);
}

#define FOREIGN_ID "6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab"

static GVariant *
foreign_envelope (const char *topic,
                  const char *id,
                  gint64      value)
{
  GVariantBuilder payloads;

  g_variant_builder_init (&payloads, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&payloads, "v", g_variant_new_int64 (value));
  return g_variant_new ("(ssavsssxs)", topic, topic, &payloads, id, "", "elsewhere",
                        (gint64) 1, "foreign-origin");
}

/* An event that came in through one bridge is not sent out by another
 * bridge of the same runtime: events cross one hop. */
static void
test_one_hop (void)
{
  const char *t[] = { "t", NULL };
  g_autoptr(GDBusConnection) foreign = new_connection ();
  g_autoptr(MaikoDBusBridge) out = NULL;
  g_autoptr(GDBusConnection) out_connection = new_connection ();
  g_autoptr(TestActor) x = NULL;
  g_autoptr(GError) error = NULL;
  Side in = { 0 };
  Listener listener;

  side_init (&in, NULL, t);
  out = maiko_dbus_bridge_new (out_connection, NULL, t, NULL);
  g_assert_true (maiko_supervisor_add_actor (in.sup, "out", MAIKO_ACTOR (out), t, &error));
  x = side_add (&in, "x", t);
  listener_init (&listener, foreign);
  side_start (&in);

  emit_wire (foreign, foreign_envelope ("t", FOREIGN_ID, 1));
  g_assert_true (test_actor_wait_handled (x, 1));
  /* The fence: "out" handles its events in order. */
  test_send_int (in.sup, "t", 2);
  g_assert_true (test_actor_wait_handled (x, 2));
  g_assert_true (wait_listener (&listener, 2));

  /* The foreign signal, then only the local event. */
  g_assert_cmpuint (listener_count (&listener), ==, 2);
  g_assert_cmpstr (maiko_envelope_get_id (g_ptr_array_index (listener.envelopes, 0)), ==, FOREIGN_ID);
  g_assert_cmpint (test_envelope_int (g_ptr_array_index (listener.envelopes, 1)), ==, 2);
  g_assert_cmpuint (wait_imported (in.bridge, 1), ==, 1);
  g_assert_cmpuint (wait_exported (out, 1), ==, 1);
  g_assert_cmpstr (maiko_envelope_get_id (received (x, 0)), ==, FOREIGN_ID);
  g_assert_cmpstr (maiko_envelope_get_sender (received (x, 0)), ==, "elsewhere");

  listener_clear (&listener, foreign);
  side_clear (&in);
}

typedef struct
{
  GMutex     mutex;
  GPtrArray *messages;
  guint      n_invalid;
} Errors;

static void
on_monitor_error (MaikoMonitor *monitor,
                  const char   *actor,
                  const GError *error,
                  Errors       *errors)
{
  g_mutex_lock (&errors->mutex);
  g_ptr_array_add (errors->messages, g_strdup_printf ("%s: %s", actor, error->message));
  if (g_error_matches (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT))
    errors->n_invalid++;
  g_mutex_unlock (&errors->mutex);
}

static gboolean
errors_reached (gpointer data)
{
  Errors *errors = ((gpointer *) data)[0];
  gboolean done;

  g_mutex_lock (&errors->mutex);
  done = errors->messages->len >= GPOINTER_TO_UINT (((gpointer *) data)[1]);
  g_mutex_unlock (&errors->mutex);
  return done;
}

static gboolean
wait_errors (Errors *errors,
             guint   n)
{
  gpointer data[] = { errors, GUINT_TO_POINTER (n) };

  return test_iterate_until (NULL, errors_reached, data);
}

/* Signals that are not wire envelopes are counted and reported, and the
 * bridge goes on; so does an event it cannot emit. */
static void
test_malformed (void)
{
  const char *t[] = { "t", NULL };
  g_autoptr(GDBusConnection) foreign = new_connection ();
  g_autoptr(MaikoMonitor) monitor = maiko_monitor_new ();
  g_autoptr(TestActor) x = NULL;
  g_autoptr(GError) error = NULL;
  Errors errors = { 0 };
  Side side = { 0 };

  g_mutex_init (&errors.mutex);
  errors.messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (monitor, "error", G_CALLBACK (on_monitor_error), &errors);

  side_init (&side, t, t);
  x = side_add (&side, "x", t);
  g_assert_true (maiko_supervisor_add_monitor (side.sup, monitor, NULL));
  side_start (&side);

  /* Another body type; a field that is not a UUID; then a good one. */
  emit_wire (foreign, g_variant_new ("(ss)", "t", "junk"));
  emit_wire (foreign, foreign_envelope ("t", "not-a-uuid", 1));
  emit_wire (foreign, foreign_envelope ("t", FOREIGN_ID, 2));
  g_assert_true (test_actor_wait_handled (x, 1));
  g_assert_true (wait_errors (&errors, 2));

  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (side.bridge), ==, 2);
  g_assert_cmpuint (wait_imported (side.bridge, 1), ==, 1);
  g_assert_cmpuint (errors.n_invalid, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (errors.messages, 0), "dbus: D-Bus signal from :"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors.messages, 0), "of type “(ss)”"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors.messages, 1), "“id” is not a UUID"));
  g_assert_cmpint (test_envelope_int (received (x, 0)), ==, 2);

  /* The bus goes away under the bridge: the events it cannot emit are
   * counted too, and it goes on. */
  g_assert_true (g_dbus_connection_close_sync (side.connection, NULL, &error));
  g_assert_no_error (error);
  test_send_int (side.sup, "t", 3);
  test_send_int (side.sup, "t", 4);
  g_assert_true (test_actor_wait_handled (x, 3));
  g_assert_true (wait_errors (&errors, 4));
  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (side.bridge), ==, 4);
  g_assert_cmpuint (maiko_dbus_bridge_get_n_exported (side.bridge), ==, 0);
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (side.bridge)));

  side_clear (&side);
  g_ptr_array_unref (errors.messages);
  g_mutex_clear (&errors.mutex);
}

/* A bridge given no connection uses the session bus, here the test's. */
static void
test_session_bus (void)
{
  const char *t[] = { "t", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (NULL, "/test/session", t, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) session = NULL;

  g_assert_null (maiko_dbus_bridge_get_connection (bridge));
  g_assert_cmpstr (maiko_dbus_bridge_get_object_path (bridge), ==, "/test/session");
  g_assert_true (g_uuid_string_is_valid (maiko_dbus_bridge_get_origin (bridge)));
  g_assert_true (maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge), t, &error));
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_true (maiko_supervisor_wait_ready (sup, NULL, NULL, &error));
  g_assert_no_error (error);

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (maiko_dbus_bridge_get_connection (bridge) == session);

  g_assert_true (maiko_supervisor_stop (sup, &error));
  g_assert_no_error (error);
}

/* The constructor keeps what it is given; the default object path. */
static void
test_new (void)
{
  const char *out[] = { "a", "b", NULL };
  const char *in[] = { "c", NULL };
  g_autoptr(GDBusConnection) connection = new_connection ();
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (connection, NULL, out, in);

  g_assert_true (maiko_dbus_bridge_get_connection (bridge) == connection);
  g_assert_cmpstr (maiko_dbus_bridge_get_object_path (bridge), ==, "/org/maiko/Bridge");
  g_assert_true (g_strv_equal (maiko_dbus_bridge_get_exported_topics (bridge), out));
  g_assert_true (g_strv_equal (maiko_dbus_bridge_get_imported_topics (bridge), in));
  g_assert_cmpuint (maiko_dbus_bridge_get_n_exported (bridge), ==, 0);
}

/* A bad object path fails the start, with a clear error. */
static void
test_bad_object_path (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GDBusConnection) connection = new_connection ();
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (connection, "not/a/path", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge), NULL, &error));
  g_assert_true (maiko_supervisor_start (sup, &error));
  g_assert_false (maiko_supervisor_wait_ready (sup, NULL, NULL, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not a D-Bus object path"));
  g_clear_error (&error);
  maiko_supervisor_stop (sup, NULL);
}

/* Stopping a runtime whose bridge is importing into a full mailbox
 * (BLOCK, a slow receiver): the import thread's wait ends with the stop,
 * and the stop ends. */
static void
test_stop_while_importing (void)
{
  const char *t[] = { "t", NULL };
  Side a = { 0 }, b = { 0 };
  g_autoptr(TestActor) slow = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 2000;

  side_init (&a, t, NULL);
  side_init (&b, NULL, t);
  slow = test_actor_new ();
  slow->handle_delay_us = 200;
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (slow), 4);
  g_assert_true (maiko_supervisor_add_actor (b.sup, "slow", MAIKO_ACTOR (slow), t, &error));
  side_start (&a);
  side_start (&b);

  for (guint i = 0; i < n; i++)
    test_send_int (a.sup, "t", i);
  g_assert_true (test_actor_wait_handled (slow, 20));
  /* The import thread now waits for room in slow's mailbox. */
  g_assert_true (maiko_supervisor_stop (b.sup, &error));
  g_assert_no_error (error);
  g_assert_false (maiko_actor_is_running (MAIKO_ACTOR (b.bridge)));
  g_assert_cmpuint (test_actor_get_handled (slow), <, n);
  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (b.bridge), ==, 0);

  side_clear (&b);
  side_clear (&a);
}

/* Two processes: the peer (dbus-bridge-peer.c) answers each Ping with a
 * Pong child of it, over the session bus. */
static void
test_two_processes (void)
{
  const char *exported[] = { "Ping", "Quit", NULL };
  const char *imported[] = { "Pong", "Ready", NULL };
  const char *pings[] = { "Ping", NULL };
  const guint n = 2000;
  g_autofree char *peer = g_test_build_filename (G_TEST_BUILT, "dbus-bridge-peer", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(TestActor) alice = NULL;
  g_autoptr(TestActor) carol = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *expected = NULL;
  Side side = { 0 };

  side_init (&side, exported, imported);
  alice = side_add (&side, "alice", imported);
  carol = side_add (&side, "carol", pings);
  side_start (&side);

  /* Its session bus is ours: g_test_dbus_up() set the environment. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, peer, NULL);
  g_assert_no_error (error);
  g_assert_true (test_actor_wait_handled (alice, 1));
  g_assert_cmpstr (maiko_event_get_label (maiko_envelope_get_event (received (alice, 0))), ==, "Ready");

  for (guint i = 0; i < n; i++)
    test_send_int (side.sup, "Ping", i);
  g_assert_true (test_actor_wait_handled (alice, 1 + n));
  g_assert_true (test_actor_wait_handled (carol, n));
  {
    g_autoptr(MaikoEvent) quit = maiko_event_new ("Quit", NULL);

    g_assert_true (maiko_supervisor_send (side.sup, quit, &error));
  }

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  expected = g_strdup_printf ("exported %u imported %u errors 0\n", n + 1, n + 1);
  g_assert_cmpstr (output, ==, expected);

  /* In order, each Pong the child of its Ping. */
  for (guint i = 0; i < n; i++)
    {
      MaikoEnvelope *back = received (alice, 1 + i);

      g_assert_cmpstr (maiko_envelope_get_parent_id (back), ==, maiko_envelope_get_id (received (carol, i)));
      g_assert_cmpint (test_envelope_int (back), ==, i);
    }
  g_assert_cmpuint (test_actor_get_handled (alice), ==, 1 + n);
  g_assert_cmpuint (wait_exported (side.bridge, n + 1), ==, n + 1);
  g_assert_cmpuint (wait_imported (side.bridge, n + 1), ==, n + 1);
  g_assert_cmpuint (maiko_dbus_bridge_get_n_errors (side.bridge), ==, 0);

  side_clear (&side);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add_func ("/dbus-bridge/new", test_new);
  g_test_add_func ("/dbus-bridge/chain", test_chain);
  g_test_add_func ("/dbus-bridge/no-echo", test_no_echo);
  g_test_add_func ("/dbus-bridge/one-hop", test_one_hop);
  g_test_add_func ("/dbus-bridge/malformed", test_malformed);
  g_test_add_func ("/dbus-bridge/session-bus", test_session_bus);
  g_test_add_func ("/dbus-bridge/bad-object-path", test_bad_object_path);
  g_test_add_func ("/dbus-bridge/stop-while-importing", test_stop_while_importing);
  g_test_add_func ("/dbus-bridge/two-processes", test_two_processes);

  status = g_test_run ();

  g_test_dbus_down (bus);
  g_object_unref (bus);
  return status;
}
