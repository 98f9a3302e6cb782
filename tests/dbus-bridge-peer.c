/* dbus-bridge-peer.c: the second process of test-dbus-bridge's
 * two-process test
 *
 * On the session bus (the test's private dbus-daemon, which the test's
 * environment names), a MaikoDBusBridge imports Ping and Quit and exports
 * Pong and Ready. Once it is ready it sends Ready; it answers each Ping
 * with a Pong child of it, with the same payload; on Quit it stops and
 * prints the bridge's counts.
 *
 * SPDX-License-Identifier: MIT
 */

#include <stdio.h>

#include "test-util.h"

static gboolean
answer (TestActor      *self,
        MaikoEnvelope  *envelope,
        GError        **error)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  g_autoptr(MaikoEvent) pong = NULL;

  if (g_str_equal (maiko_event_get_label (event), "Quit"))
    {
      maiko_context_stop_runtime (context);
      return TRUE;
    }

  pong = maiko_event_new ("Pong", maiko_event_get_payload (event));
  return maiko_context_send_child_event (context, pong, maiko_envelope_get_id (envelope), error);
}

int
main (int   argc,
      char *argv[])
{
  const char *exported[] = { "Pong", "Ready", NULL };
  const char *imported[] = { "Ping", "Quit", NULL };
  const char *answered[] = { "Ping", "Quit", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (NULL, NULL, exported, imported);
  g_autoptr(TestActor) echo = test_actor_new ();
  g_autoptr(MaikoEvent) ready = maiko_event_new ("Ready", NULL);
  g_autoptr(GError) error = NULL;

  maiko_supervisor_set_route_by_label (sup, NULL);
  /* Nothing is lost: senders wait for room. */
  for (guint i = 0; exported[i] != NULL; i++)
    maiko_supervisor_set_topic_policy (sup, exported[i], MAIKO_OVERFLOW_POLICY_BLOCK, NULL);
  for (guint i = 0; imported[i] != NULL; i++)
    maiko_supervisor_set_topic_policy (sup, imported[i], MAIKO_OVERFLOW_POLICY_BLOCK, NULL);
  echo->handle = answer;
  if (!maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge),
                                   maiko_dbus_bridge_get_exported_topics (bridge), &error) ||
      !maiko_supervisor_add_actor (sup, "echo", MAIKO_ACTOR (echo), answered, &error) ||
      !maiko_supervisor_start (sup, &error) ||
      !maiko_supervisor_wait_ready (sup, NULL, NULL, &error) ||
      !maiko_supervisor_send (sup, ready, &error) ||
      !maiko_supervisor_join (sup, &error))
    {
      g_printerr ("dbus-bridge-peer: %s\n", error->message);
      return 1;
    }

  printf ("exported %u imported %u errors %u\n",
          maiko_dbus_bridge_get_n_exported (bridge),
          maiko_dbus_bridge_get_n_imported (bridge),
          maiko_dbus_bridge_get_n_errors (bridge));
  return 0;
}
