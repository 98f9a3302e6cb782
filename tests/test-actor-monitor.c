/* test-actor-monitor.c: MaikoActorMonitor's view of the actors
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

static void
assert_strv (char       **actual,
             const char  *expected[])
{
  g_autofree char *actual_text = g_strjoinv (",", actual);
  g_autofree char *expected_text = g_strjoinv (",", (char **) expected);

  g_assert_cmpstr (actual_text, ==, expected_text);
}

static void
assert_actors (MaikoActorMonitor *monitor,
               const char        *alive[],
               const char        *stopped[])
{
  g_auto(GStrv) actors = maiko_actor_monitor_dup_actors (monitor);
  g_auto(GStrv) stopped_actors = maiko_actor_monitor_dup_stopped_actors (monitor);

  assert_strv (actors, alive);
  assert_strv (stopped_actors, stopped);
  for (guint i = 0; alive[i] != NULL; i++)
    {
      g_assert_true (maiko_actor_monitor_is_alive (monitor, alive[i]));
      g_assert_false (maiko_actor_monitor_is_stopped (monitor, alive[i]));
    }
  for (guint i = 0; stopped[i] != NULL; i++)
    {
      g_assert_false (maiko_actor_monitor_is_alive (monitor, stopped[i]));
      g_assert_true (maiko_actor_monitor_is_stopped (monitor, stopped[i]));
    }
}

static void
assert_overflows (MaikoActorMonitor *monitor,
                  guint64            dropping,
                  guint64            failing)
{
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "dropping"), ==, dropping);
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "failing"), ==, failing);
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "early"), ==, 0);
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "quitting"), ==, 0);
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "late"), ==, 0);
}

static gboolean
stop_self_on_event (TestActor      *self,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  maiko_context_stop (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

/* Gates @actor in its first event on @label with a full mailbox behind it:
 * one in hand, one in the mailbox of capacity 1. */
static void
fill_gated (MaikoSupervisor *sup,
            TestActor       *actor,
            const char      *label)
{
  test_send_n (sup, label, 1);
  g_assert_true (test_actor_wait_at_gate (actor));
  test_send_n (sup, label, 1);
}

static gboolean
both_stopped (gpointer data)
{
  return maiko_actor_monitor_is_stopped (data, "failing") &&
         maiko_actor_monitor_is_stopped (data, "quitting");
}

static gpointer
dup_actors_thread (gpointer data)
{
  return maiko_actor_monitor_dup_actors (data);
}

/* Actors added before and after the monitor, one that stops itself, one
 * that overflows under DROP and one under FAIL. */
static void
test_states (void)
{
  const char *registered[] = { "early", "dropping", "failing", "quitting", "late", NULL };
  const char *none[] = { NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoActorMonitor) monitor = maiko_actor_monitor_new ();
  g_autoptr(MaikoActorMonitor) after_stop = maiko_actor_monitor_new ();
  g_autoptr(TestActor) early = test_actor_new ();
  g_autoptr(TestActor) dropping = test_actor_new ();
  g_autoptr(TestActor) failing = test_actor_new ();
  g_autoptr(TestActor) quitting = test_actor_new ();
  g_autoptr(TestActor) late = test_actor_new ();
  g_auto(GStrv) from_thread = NULL;

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Drop", MAIKO_OVERFLOW_POLICY_DROP, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Fail", MAIKO_OVERFLOW_POLICY_FAIL, NULL));
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (dropping), 1);
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (failing), 1);
  test_actor_close_gate (dropping);
  test_actor_close_gate (failing);
  quitting->handle = stop_self_on_event;

  test_add (sup, "early", early, "Plain");
  test_add (sup, "dropping", dropping, "Drop");
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (monitor), NULL));
  test_add (sup, "failing", failing, "Fail");
  test_add (sup, "quitting", quitting, "Quit");
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_add (sup, "late", late, "Plain");

  test_send_n (sup, "Quit", 1);
  g_assert_true (test_actor_wait_shutdown (quitting));

  fill_gated (sup, dropping, "Drop");
  test_send_n (sup, "Drop", 3);

  /* The overflow closes the failing actor's mailbox: it stops once the
   * event in hand is handled. */
  fill_gated (sup, failing, "Fail");
  test_send_n (sup, "Fail", 1);
  test_actor_open_gate (failing);
  g_assert_true (test_actor_wait_shutdown (failing));

  test_actor_open_gate (dropping);
  g_assert_true (test_actor_wait_handled (dropping, 2));

  /* An actor's end is recorded after its on_shutdown returned, so the
   * waits above do not order it: wait for the monitor to see it, while
   * the default context, where it emits, runs. Then flush the rest. */
  g_assert_true (test_iterate_until (NULL, both_stopped, monitor));
  maiko_monitor_flush (MAIKO_MONITOR (monitor));
  assert_actors (monitor, (const char *[]) { "early", "dropping", "late", NULL },
                 (const char *[]) { "failing", "quitting", NULL });
  assert_overflows (monitor, 3, 1);

  /* Stop emits what the monitors this thread runs still hold. */
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  assert_actors (monitor, none, registered);
  assert_overflows (monitor, 3, 1);

  /* Another thread reads the same. */
  from_thread = g_thread_join (g_thread_new ("reader", dup_actors_thread, monitor));
  assert_strv (from_thread, none);

  /* A monitor added after the stop is told every actor ended; it saw no
   * overflow. */
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (after_stop), NULL));
  maiko_monitor_flush (MAIKO_MONITOR (after_stop));
  assert_actors (after_stop, none, registered);
  assert_overflows (after_stop, 0, 0);
}

/* Before the monitor's records are emitted it knows nothing: it answers
 * as of the last record emitted in its main context. */
static void
test_as_of_emission (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoActorMonitor) monitor = maiko_actor_monitor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  const char *none[] = { NULL };

  test_add (sup, "actor", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (monitor), NULL));
  assert_actors (monitor, none, none);

  maiko_monitor_flush (MAIKO_MONITOR (monitor));
  assert_actors (monitor, (const char *[]) { "actor", NULL }, none);
}

static void
test_unknown_names (void)
{
  g_autoptr(MaikoActorMonitor) monitor = maiko_actor_monitor_new ();
  g_auto(GStrv) actors = maiko_actor_monitor_dup_actors (monitor);
  g_auto(GStrv) stopped = maiko_actor_monitor_dup_stopped_actors (monitor);

  g_assert_nonnull (actors);
  g_assert_null (actors[0]);
  g_assert_nonnull (stopped);
  g_assert_null (stopped[0]);
  g_assert_false (maiko_actor_monitor_is_alive (monitor, "nobody"));
  g_assert_false (maiko_actor_monitor_is_stopped (monitor, "nobody"));
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (monitor, "nobody"), ==, 0);

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_false (maiko_actor_monitor_is_alive (monitor, NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/actor-monitor/states", test_states);
  g_test_add_func ("/actor-monitor/as-of-emission", test_as_of_emission);
  g_test_add_func ("/actor-monitor/unknown-names", test_unknown_names);

  return g_test_run ();
}
