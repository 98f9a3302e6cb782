/* maiko-bench-dbus.c: events/s through MaikoDBusBridge, process to
 * process, beside plain GDBus signals in the same run
 *
 * The program starts a private dbus-daemon (GTestDBus), and for each
 * figure spawns itself as the receiving process. Three ways to carry N
 * events from this process to the other, each run R times, alternating:
 *
 * - raw-minimal: g_dbus_connection_emit_signal() of a body "(x)", the
 *   event's number; the receiver subscribes with GDBus and counts.
 * - raw-wire: the same, with a body of the wire form's type and size
 *   (topic, label, payload, id, parent id, sender, timestamp, origin),
 *   built by hand: the bytes the bridge sends, without Maiko.
 * - bridge: maiko_supervisor_send() of int64 events on a topic that a
 *   MaikoDBusBridge exports (BLOCK); in the receiver, a bridge imports
 *   it and a counting actor handles it.
 *
 * A figure is N divided by the time from just before the first send to
 * the receiver's handling of the last event (CLOCK_MONOTONIC is one clock
 * for both processes). The receiver checks that the numbers arrive whole
 * and in order; the exit status is 1 if any run lost, doubled or
 * reordered an event. Never part of meson test; see bench/README.md.
 *
 * SPDX-License-Identifier: MIT
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maiko.h>

#define OBJECT_PATH "/org/maiko/Bench"
#define TOPIC "bench"
#define ID "6f1d2c9e-8a4b-4c3d-9e2f-0123456789ab"

typedef enum
{
  MODE_RAW_MINIMAL,
  MODE_RAW_WIRE,
  MODE_BRIDGE,
  N_MODES
} Mode;

static const char *mode_names[N_MODES] = { "raw-minimal", "raw-wire", "bridge" };

static GDBusConnection *
connect_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  if (connection == NULL)
    g_error ("cannot connect: %s", error->message);
  return connection;
}

static void
sync_with_bus (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "GetId", NULL, NULL,
                                 G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert (reply != NULL);
}

/* The receiving process */

typedef struct
{
  GMutex  mutex;
  GCond   cond;
  guint64 expected;   /* the next number */
  guint64 n;          /* how many to receive */
  gint64  end_us;
  gboolean bad;
} Count;

static void
count_one (Count  *count,
           gint64  value)
{
  g_mutex_lock (&count->mutex);
  if ((guint64) value != count->expected)
    count->bad = TRUE;
  count->expected++;
  if (count->expected == count->n)
    {
      count->end_us = g_get_monotonic_time ();
      g_cond_broadcast (&count->cond);
    }
  g_mutex_unlock (&count->mutex);
}

static void
on_raw_signal (GDBusConnection *connection,
               const char      *sender_name,
               const char      *object_path,
               const char      *interface_name,
               const char      *signal_name,
               GVariant        *parameters,
               gpointer         data)
{
  gint64 value = 0;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(x)")))
    g_variant_get (parameters, "(x)", &value);
  else
    {
      g_autoptr(GVariant) payloads = g_variant_get_child_value (parameters, 2);
      g_autoptr(GVariant) boxed = g_variant_get_child_value (payloads, 0);
      g_autoptr(GVariant) payload = g_variant_get_variant (boxed);

      value = g_variant_get_int64 (payload);
    }
  count_one (data, value);
}

#define COUNTER_TYPE (counter_get_type ())
G_DECLARE_FINAL_TYPE (Counter, counter, BENCH, COUNTER, MaikoActor)

struct _Counter
{
  MaikoActor  parent_instance;
  Count      *count;
};

G_DEFINE_FINAL_TYPE (Counter, counter, MAIKO_TYPE_ACTOR)

static gboolean
counter_handle_event (MaikoActor     *actor,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  gint64 value = 0;

  maiko_event_get_int64 (maiko_envelope_get_event (envelope), &value);
  count_one (BENCH_COUNTER (actor)->count, value);
  return TRUE;
}

static void
counter_class_init (CounterClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = counter_handle_event;
}

static void
counter_init (Counter *self)
{
}

static int
receive (Mode    mode,
         guint64 n)
{
  g_autoptr(GDBusConnection) connection = connect_bus ();
  g_autoptr(MaikoSupervisor) sup = NULL;
  g_autoptr(MaikoDBusBridge) bridge = NULL;
  g_autoptr(GError) error = NULL;
  Count count = { .n = n };
  guint subscription = 0;

  g_mutex_init (&count.mutex);
  g_cond_init (&count.cond);

  if (mode == MODE_BRIDGE)
    {
      const char *topics[] = { TOPIC, NULL };
      Counter *counter = g_object_new (COUNTER_TYPE, NULL);

      counter->count = &count;
      sup = maiko_supervisor_new ();
      maiko_supervisor_set_topic_policy (sup, TOPIC, MAIKO_OVERFLOW_POLICY_BLOCK, NULL);
      bridge = maiko_dbus_bridge_new (connection, OBJECT_PATH, NULL, topics);
      if (!maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge), NULL, &error) ||
          !maiko_supervisor_add_actor (sup, "counter", MAIKO_ACTOR (counter), topics, &error) ||
          !maiko_supervisor_start (sup, &error) ||
          !maiko_supervisor_wait_ready (sup, NULL, NULL, &error))
        g_error ("receiver: %s", error->message);
      g_object_unref (counter);
    }
  else
    {
      /* On the main context, which this thread iterates below: one hop
       * from GDBus's worker thread, as to the bridge's import thread. */
      subscription = g_dbus_connection_signal_subscribe (connection, NULL, MAIKO_DBUS_BRIDGE_INTERFACE,
                                                         MAIKO_DBUS_BRIDGE_SIGNAL, OBJECT_PATH,
                                                         NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                         on_raw_signal, &count, NULL);
      sync_with_bus (connection);
    }

  printf ("ready\n");
  fflush (stdout);

  if (mode == MODE_BRIDGE)
    {
      g_mutex_lock (&count.mutex);
      while (count.expected < count.n)
        g_cond_wait (&count.cond, &count.mutex);
      g_mutex_unlock (&count.mutex);
    }
  else
    {
      /* Only this thread counts. */
      while (count.expected < count.n)
        g_main_context_iteration (NULL, TRUE);
    }

  printf ("done %" G_GINT64_FORMAT " %s\n", count.end_us, count.bad ? "bad" : "ok");
  fflush (stdout);

  if (sup != NULL)
    maiko_supervisor_stop (sup, NULL);
  if (subscription != 0)
    g_dbus_connection_signal_unsubscribe (connection, subscription);
  return 0;
}

/* The sending process */

static gint64
send_raw (Mode    mode,
          guint64 n)
{
  g_autoptr(GDBusConnection) connection = connect_bus ();
  g_autofree char *origin = g_uuid_string_random ();
  gint64 start = g_get_monotonic_time ();

  for (guint64 i = 0; i < n; i++)
    {
      GVariant *body;

      if (mode == MODE_RAW_MINIMAL)
        body = g_variant_new ("(x)", (gint64) i);
      else
        {
          GVariant *payload = g_variant_new_variant (g_variant_new_int64 (i));

          body = g_variant_new ("(ss@avsssxs)", TOPIC, TOPIC,
                                g_variant_new_array (G_VARIANT_TYPE_VARIANT, &payload, 1),
                                ID, "", "supervisor", g_get_real_time () * 1000, origin);
        }
      g_dbus_connection_emit_signal (connection, NULL, OBJECT_PATH, MAIKO_DBUS_BRIDGE_INTERFACE,
                                     MAIKO_DBUS_BRIDGE_SIGNAL, body, NULL);
    }
  g_dbus_connection_flush_sync (connection, NULL, NULL);

  return start;
}

static gint64
send_bridge (guint64 n)
{
  const char *topics[] = { TOPIC, NULL };
  g_autoptr(GDBusConnection) connection = connect_bus ();
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (connection, OBJECT_PATH, topics, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start;

  maiko_supervisor_set_route_by_label (sup, NULL);
  maiko_supervisor_set_topic_policy (sup, TOPIC, MAIKO_OVERFLOW_POLICY_BLOCK, NULL);
  if (!maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge), topics, &error) ||
      !maiko_supervisor_start (sup, &error) ||
      !maiko_supervisor_wait_ready (sup, NULL, NULL, &error))
    g_error ("sender: %s", error->message);

  start = g_get_monotonic_time ();
  for (guint64 i = 0; i < n; i++)
    {
      g_autoptr(MaikoEvent) event = maiko_event_new_int64 (TOPIC, i);

      if (!maiko_supervisor_send (sup, event, &error))
        g_error ("send: %s", error->message);
    }
  /* The bridge flushes its connection when it stops. */
  maiko_supervisor_stop (sup, NULL);
  if (maiko_dbus_bridge_get_n_exported (bridge) != n)
    g_error ("sender: %u events exported of %" G_GUINT64_FORMAT,
             maiko_dbus_bridge_get_n_exported (bridge), n);

  return start;
}

static char *
read_line (GDataInputStream *out)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  if (line == NULL)
    g_error ("receiver: %s", error != NULL ? error->message : "no output");
  return line;
}

/* One figure: events/s, or a negative number when the run failed. */
static double
run_once (const char *self,
          Mode        mode,
          guint64     n)
{
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  g_autoptr(GSubprocess) receiver = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *done = NULL;
  gint64 start, end;
  char verdict[8] = "";

  receiver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--receive",
                               mode_names[mode], count, NULL);
  if (receiver == NULL)
    g_error ("spawn: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  ready = read_line (out);
  g_assert (g_str_equal (ready, "ready"));

  start = mode == MODE_BRIDGE ? send_bridge (n) : send_raw (mode, n);

  done = read_line (out);
  if (sscanf (done, "done %" G_GINT64_FORMAT " %7s", &end, verdict) != 2 ||
      !g_str_equal (verdict, "ok") || !g_subprocess_wait_check (receiver, NULL, NULL))
    return -1;

  return n / ((end - start) / (double) G_USEC_PER_SEC);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  double rates[N_MODES][64];
  double medians[N_MODES];
  guint64 n = 100000;
  guint runs = 5;
  gboolean failed = FALSE;

  if (argc == 4 && g_str_equal (argv[1], "--receive"))
    {
      for (int mode = 0; mode < N_MODES; mode++)
        if (g_str_equal (argv[2], mode_names[mode]))
          return receive (mode, g_ascii_strtoull (argv[3], NULL, 10));
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--quick"))
        n = 10000, runs = 1;
      else if (g_str_equal (argv[i], "--events") && i + 1 < argc)
        n = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        {
          guint64 value = g_ascii_strtoull (argv[++i], NULL, 10);

          runs = CLAMP (value, 1, 64);
        }
      else
        {
          fprintf (stderr, "usage: %s [--events N] [--runs R] [--quick]\n", argv[0]);
          return 2;
        }
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  printf ("%" G_GUINT64_FORMAT " events process to process over a private dbus-daemon, "
          "median of %u runs\n", n, runs);
  fflush (stdout);
  for (guint run = 0; run < runs; run++)
    for (int mode = 0; mode < N_MODES; mode++)
      {
        rates[mode][run] = run_once (argv[0], mode, n);
        failed |= rates[mode][run] < 0;
      }

  for (int mode = 0; mode < N_MODES; mode++)
    {
      qsort (rates[mode], runs, sizeof (double), compare_doubles);
      medians[mode] = rates[mode][runs / 2];
      printf ("%-12s %10.0f events/s  (min %.0f, max %.0f)\n", mode_names[mode], medians[mode],
              rates[mode][0], rates[mode][runs - 1]);
    }
  printf ("bridge / raw-wire    %.2f\n", medians[MODE_BRIDGE] / medians[MODE_RAW_WIRE]);
  printf ("bridge / raw-minimal %.2f\n", medians[MODE_BRIDGE] / medians[MODE_RAW_MINIMAL]);

  g_test_dbus_down (bus);
  if (failed)
    fprintf (stderr, "some run lost, doubled or reordered events\n");
  return failed ? 1 : 0;
}
