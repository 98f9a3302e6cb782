/* monitoring.c: a live trace of a small pipeline, then its topology
 *
 * Numbers go to a doubler, which publishes their doubles to a printer. A
 * MaikoMonitor prints every hook as it is emitted; at the end the program
 * prints the topology as a Mermaid flowchart.
 *
 * The actors share the application's main context (the "light actor"
 * mode), so the whole run happens on this thread, in one order: the trace
 * is the same at every run.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define COUNT 3

#define STAGE_TYPE (stage_get_type ())
G_DECLARE_FINAL_TYPE (Stage, stage, STAGE, ACTOR, MaikoActor)

struct _Stage
{
  MaikoActor  parent_instance;
  /* The label of what the stage publishes, or NULL for the last stage. */
  const char *output;
  guint       handled;
};

G_DEFINE_FINAL_TYPE (Stage, stage, MAIKO_TYPE_ACTOR)

static gboolean
stage_handle_event (MaikoActor     *actor,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  Stage *self = STAGE_ACTOR (actor);
  gint64 n = g_variant_get_int64 (maiko_event_get_payload (maiko_envelope_get_event (envelope)));
  g_autoptr(MaikoEvent) doubled = NULL;

  self->handled++;
  if (self->output == NULL)
    return TRUE;

  doubled = maiko_event_new (self->output, g_variant_new_int64 (2 * n));
  return maiko_context_send_child_event (maiko_actor_get_context (actor), doubled,
                                         maiko_envelope_get_id (envelope), error);
}

static void
stage_class_init (StageClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = stage_handle_event;
}

static void
stage_init (Stage *self)
{
}

static Stage *
stage_new (const char *output)
{
  Stage *stage = g_object_new (STAGE_TYPE, "main-context", g_main_context_default (), NULL);
  const char *publishes[] = { output, NULL };

  stage->output = output;
  maiko_actor_set_publishes (MAIKO_ACTOR (stage), publishes);
  return stage;
}

/* The trace: one line per signal. */

static void
print_event (MaikoMonitor  *monitor,
             MaikoEnvelope *envelope,
             const char    *topic,
             const char    *receiver,
             const char    *hook)
{
  MaikoEvent *event = maiko_envelope_get_event (envelope);

  g_print ("%-10s %s(%" G_GINT64_FORMAT ") from %s to %s on %s\n", hook,
           maiko_event_get_label (event), g_variant_get_int64 (maiko_event_get_payload (event)),
           maiko_envelope_get_sender (envelope), receiver, topic);
}

static void
print_actor (MaikoMonitor *monitor,
             const char   *actor,
             const char   *hook)
{
  g_print ("%-10s %s\n", hook, actor);
}

static MaikoMonitor *
trace_monitor_new (void)
{
  MaikoMonitor *monitor = maiko_monitor_new ();

  g_signal_connect (monitor, "event-dispatched", G_CALLBACK (print_event), "dispatched");
  g_signal_connect (monitor, "event-delivered", G_CALLBACK (print_event), "delivered");
  g_signal_connect (monitor, "event-handled", G_CALLBACK (print_event), "handled");
  g_signal_connect (monitor, "actor-registered", G_CALLBACK (print_actor), "registered");
  g_signal_connect (monitor, "actor-stopped", G_CALLBACK (print_actor), "stopped");
  return monitor;
}

int
main (void)
{
  const char *numbers[] = { "Number", NULL };
  const char *doubles[] = { "Doubled", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Stage) doubler = stage_new ("Doubled");
  g_autoptr(Stage) printer = stage_new (NULL);
  g_autoptr(MaikoMonitor) monitor = trace_monitor_new ();
  g_autofree char *mermaid = NULL;
  g_autoptr(GError) error = NULL;

  if (!maiko_supervisor_set_route_by_label (sup, &error) ||
      !maiko_supervisor_add_actor (sup, "doubler", MAIKO_ACTOR (doubler), numbers, &error) ||
      !maiko_supervisor_add_actor (sup, "printer", MAIKO_ACTOR (printer), doubles, &error) ||
      !maiko_supervisor_add_monitor (sup, monitor, &error) ||
      !maiko_supervisor_start (sup, &error))
    goto failed;

  for (gint64 n = 1; n <= COUNT; n++)
    {
      g_autoptr(MaikoEvent) number = maiko_event_new ("Number", g_variant_new_int64 (n));

      if (!maiko_supervisor_send (sup, number, &error))
        goto failed;
    }

  /* The actors and the monitor run here, on the default main context. */
  while (printer->handled < COUNT)
    g_main_context_iteration (NULL, TRUE);
  if (!maiko_supervisor_stop (sup, &error))
    goto failed;

  mermaid = maiko_supervisor_to_mermaid (sup);
  g_print ("\n%s", mermaid);
  return 0;

failed:
  g_printerr ("monitoring: %s\n", error->message);
  return 1;
}
