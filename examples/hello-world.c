/* hello-world.c: the reference's first example
 *
 * A Greeter subscribed to the default topic receives Hello("World") sent by
 * the supervisor, and prints it.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define GREETER_TYPE (greeter_get_type ())
G_DECLARE_FINAL_TYPE (Greeter, greeter, GREETER, ACTOR, MaikoActor)

struct _Greeter
{
  MaikoActor parent_instance;
};

G_DEFINE_FINAL_TYPE (Greeter, greeter, MAIKO_TYPE_ACTOR)

static gboolean
greeter_handle_event (MaikoActor     *actor,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  /* The envelope is lent for the call: read it, do not release it. */
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  GVariant *payload = maiko_event_get_payload (event);

  g_print ("%s, %s! (from %s)\n",
           maiko_event_get_label (event),
           payload != NULL ? g_variant_get_string (payload, NULL) : "nobody",
           maiko_envelope_get_sender (envelope));

  return TRUE;
}

static void
greeter_class_init (GreeterClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = greeter_handle_event;
}

static void
greeter_init (Greeter *self)
{
}

int
main (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoActor) greeter = g_object_new (GREETER_TYPE, NULL);
  g_autoptr(MaikoEvent) hello = maiko_event_new ("Hello", g_variant_new_string ("World"));
  g_autoptr(GError) error = NULL;
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };

  if (!maiko_supervisor_add_actor (sup, "greeter", greeter, topics, &error) ||
      !maiko_supervisor_start (sup, &error) ||
      !maiko_supervisor_send (sup, hello, &error) ||
      /* A graceful stop: the greeter handles what it received first. */
      !maiko_supervisor_stop (sup, &error))
    {
      g_printerr ("hello-world: %s\n", error->message);
      return 1;
    }

  return 0;
}
