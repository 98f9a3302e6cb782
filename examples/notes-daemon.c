/* notes-daemon.c: the daemon of a desktop pair, talking over the session
 * bus through a MaikoDBusBridge
 *
 * A "store" actor keeps notes. Its commands (AddNote, ListNotes, Quit)
 * come from other processes over D-Bus; its answers (NoteAdded, Notes)
 * go back the same way, each a child of the command it answers, so that
 * the asking process can match them. Topics are the labels (route by
 * label). Once its bridge is subscribed it takes the bus name
 * org.maiko.NotesDaemon, which its clients wait for. Its partner is
 * examples/python/notes-app.py; run both on one session bus:
 *
 *   ./builddir/examples/notes-daemon &
 *   meson devenv -C builddir --workdir . python3 examples/python/notes-app.py
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define BUS_NAME "org.maiko.NotesDaemon"

#define STORE_TYPE (store_get_type ())
G_DECLARE_FINAL_TYPE (Store, store, NOTES, STORE, MaikoActor)

struct _Store
{
  MaikoActor  parent_instance;
  GPtrArray  *notes;   /* char *, note i + 1 at index i */
};

G_DEFINE_FINAL_TYPE (Store, store, MAIKO_TYPE_ACTOR)

static gboolean
answer (MaikoActor     *actor,
        MaikoEnvelope  *command,
        const char     *label,
        GVariant       *payload,
        GError        **error)
{
  g_autoptr(MaikoEvent) event = maiko_event_new (label, payload);

  return maiko_context_send_child_event (maiko_actor_get_context (actor), event,
                                         maiko_envelope_get_id (command), error);
}

static gboolean
store_handle_event (MaikoActor     *actor,
                    MaikoEnvelope  *envelope,
                    GError        **error)
{
  Store *self = NOTES_STORE (actor);
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  const char *label = maiko_event_get_label (event);
  GVariant *payload = maiko_event_get_payload (event);

  if (g_str_equal (label, "AddNote") && payload != NULL &&
      g_variant_is_of_type (payload, G_VARIANT_TYPE_STRING))
    {
      const char *text = g_variant_get_string (payload, NULL);

      g_ptr_array_add (self->notes, g_strdup (text));
      g_print ("daemon: note %u from %s: %s\n", self->notes->len,
               maiko_envelope_get_sender (envelope), text);
      return answer (actor, envelope, "NoteAdded",
                     g_variant_new ("(us)", self->notes->len, text), error);
    }
  if (g_str_equal (label, "ListNotes"))
    {
      g_print ("daemon: listing %u notes\n", self->notes->len);
      return answer (actor, envelope, "Notes",
                     g_variant_new_strv ((const char * const *) self->notes->pdata, self->notes->len),
                     error);
    }
  if (g_str_equal (label, "Quit"))
    {
      g_print ("daemon: quit\n");
      maiko_context_stop_runtime (maiko_actor_get_context (actor));
      return TRUE;
    }

  g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT, "Unknown command %s", label);
  return FALSE;
}

static gboolean
store_on_error (MaikoActor   *actor,
                const GError *error)
{
  /* A bad command from a client does not end the daemon. */
  g_printerr ("daemon: %s\n", error->message);
  return TRUE;
}

static void
store_finalize (GObject *object)
{
  g_ptr_array_unref (NOTES_STORE (object)->notes);
  G_OBJECT_CLASS (store_parent_class)->finalize (object);
}

static void
store_class_init (StoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = store_finalize;
  MAIKO_ACTOR_CLASS (klass)->handle_event = store_handle_event;
  MAIKO_ACTOR_CLASS (klass)->on_error = store_on_error;
}

static void
store_init (Store *self)
{
  self->notes = g_ptr_array_new_with_free_func (g_free);
}

/* Tells clients that the daemon listens: its bridge is subscribed. */
static gboolean
own_name (GDBusConnection  *connection,
          GError          **error)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "RequestName",
                                 g_variant_new ("(su)", BUS_NAME, 0x4 /* do not queue */),
                                 G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  guint32 result = 0;

  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(u)", &result);
  if (result != 1 /* primary owner */)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s is already running", BUS_NAME);
      return FALSE;
    }
  return TRUE;
}

int
main (void)
{
  const char *commands[] = { "AddNote", "ListNotes", "Quit", NULL };
  const char *answers[] = { "NoteAdded", "Notes", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  /* NULL: the session bus. */
  g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (NULL, NULL, answers, commands);
  g_autoptr(Store) store = g_object_new (STORE_TYPE, NULL);
  g_autoptr(GError) error = NULL;

  maiko_supervisor_set_route_by_label (sup, NULL);
  if (!maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge),
                                   maiko_dbus_bridge_get_exported_topics (bridge), &error) ||
      !maiko_supervisor_add_actor (sup, "store", MAIKO_ACTOR (store), commands, &error) ||
      !maiko_supervisor_start (sup, &error) ||
      !maiko_supervisor_wait_ready (sup, NULL, NULL, &error) ||
      !own_name (maiko_dbus_bridge_get_connection (bridge), &error))
    {
      g_printerr ("notes-daemon: %s\n", error->message);
      return 1;
    }
  g_print ("daemon: ready as %s\n", BUS_NAME);

  /* Until a client sends Quit. */
  if (!maiko_supervisor_join (sup, &error))
    {
      g_printerr ("notes-daemon: %s\n", error->message);
      return 1;
    }
  return 0;
}
