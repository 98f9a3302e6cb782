/* folder-writers.c: a writer actor per new file, spawned and removed while
 * the runtime runs
 *
 * A coordinator watches an inbox folder with a GFileMonitor. For each new
 * file it spawns a writer actor (maiko_context_add_actor) subscribed to a
 * topic named after the file, "file:NAME", and publishes the file's lines
 * on that topic, then an empty event that ends it. The writer writes the
 * lines, upper-cased, to the same name in an outbox folder; at the end it
 * reports and says Done, and the coordinator removes it
 * (maiko_context_remove_actor). Topics are the event labels.
 *
 * So that the example runs on its own, a feeder writes the files into the
 * inbox, one after the other, each once the writer of the previous one is
 * gone, and stops the runtime after the last. It writes them as
 * g_file_set_contents() does, so each appears whole (a rename into the
 * folder). The coordinator and the feeder are bound to the main context,
 * where GFileMonitor reports; the writers run on threads of their own.
 *
 * usage: folder-writers [--files=N]
 * The output is the same as that of examples/python/folder_writers.py.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

/* A writer: the lines of one file, to the outbox. */

#define WRITER_TYPE (writer_get_type ())
G_DECLARE_FINAL_TYPE (Writer, writer, WRITER, ACTOR, MaikoActor)

struct _Writer
{
  MaikoActor     parent_instance;
  char          *file_name;
  GFile         *output;
  GString       *text;
  guint          lines;
  guint          words;
};

G_DEFINE_FINAL_TYPE (Writer, writer, MAIKO_TYPE_ACTOR)

static guint
count_words (const char *line)
{
  g_auto(GStrv) words = g_str_tokenize_and_fold (line, NULL, NULL);

  return g_strv_length (words);
}

static gboolean
writer_handle_event (MaikoActor     *actor,
                     MaikoEnvelope  *envelope,
                     GError        **error)
{
  Writer *self = WRITER_ACTOR (actor);
  GVariant *payload = maiko_event_get_payload (maiko_envelope_get_event (envelope));
  g_autoptr(MaikoEvent) done = NULL;
  g_autofree char *upper = NULL;

  /* A line, or the end of the file. */
  if (payload != NULL)
    {
      upper = g_utf8_strup (g_variant_get_string (payload, NULL), -1);
      g_string_append_printf (self->text, "%s\n", upper);
      self->lines++;
      self->words += count_words (upper);
      return TRUE;
    }

  if (!g_file_replace_contents (self->output, self->text->str, self->text->len, NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, error))
    return FALSE;
  g_print ("%s: %u lines, %u words\n", maiko_actor_get_name (actor), self->lines, self->words);
  done = maiko_event_new ("Done", g_variant_new_string (self->file_name));
  return maiko_context_send (maiko_actor_get_context (actor), done, error);
}

static void
writer_finalize (GObject *object)
{
  Writer *self = WRITER_ACTOR (object);

  g_free (self->file_name);
  g_clear_object (&self->output);
  g_string_free (self->text, TRUE);
  G_OBJECT_CLASS (writer_parent_class)->finalize (object);
}

static void
writer_class_init (WriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = writer_finalize;
  MAIKO_ACTOR_CLASS (klass)->handle_event = writer_handle_event;
}

static void
writer_init (Writer *self)
{
  self->text = g_string_new (NULL);
}

static MaikoActor *
writer_new (const char *file_name,
            GFile      *outbox)
{
  Writer *self = g_object_new (WRITER_TYPE, NULL);

  self->file_name = g_strdup (file_name);
  self->output = g_file_get_child (outbox, file_name);
  return MAIKO_ACTOR (self);
}

/* The coordinator: a writer per file that appears in the inbox. */

#define COORDINATOR_TYPE (coordinator_get_type ())
G_DECLARE_FINAL_TYPE (Coordinator, coordinator, COORDINATOR, ACTOR, MaikoActor)

struct _Coordinator
{
  MaikoActor     parent_instance;
  GFile         *inbox;
  GFile         *outbox;
  GFileMonitor  *monitor;
  GHashTable    *seen;            /* file names handed to a writer */
};

G_DEFINE_FINAL_TYPE (Coordinator, coordinator, MAIKO_TYPE_ACTOR)

static gboolean
publish_lines (Coordinator  *self,
               GFile        *file,
               const char   *topic,
               GError      **error)
{
  MaikoContext *ctx = maiko_actor_get_context (MAIKO_ACTOR (self));
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(MaikoEvent) end = maiko_event_new (topic, NULL);

  if (!g_file_load_contents (file, NULL, &contents, NULL, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(MaikoEvent) line = NULL;

      if (*lines[i] == '\0')
        continue;
      line = maiko_event_new (topic, g_variant_new_string (lines[i]));
      if (!maiko_context_send (ctx, line, error))
        return FALSE;
    }
  return maiko_context_send (ctx, end, error);
}

static void
spawn_writer (Coordinator *self,
              GFile       *file)
{
  MaikoContext *ctx = maiko_actor_get_context (MAIKO_ACTOR (self));
  g_autofree char *file_name = g_file_get_basename (file);
  g_autofree char *name = g_strconcat ("writer-", file_name, NULL);
  g_autofree char *topic = g_strconcat ("file:", file_name, NULL);
  const char *topics[] = { topic, NULL };
  g_autoptr(MaikoActor) writer = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_has_suffix (file_name, ".txt") || !g_hash_table_add (self->seen, g_strdup (file_name)))
    return;

  /* Before the writer can print: outside the actor's own callbacks (this
   * is the monitor's), each send is delivered at once. */
  g_print ("coordinator: spawned %s\n", name);
  writer = writer_new (file_name, self->outbox);
  if (!maiko_context_add_actor (ctx, name, writer, topics, &error) ||
      !publish_lines (self, file, topic, &error))
    {
      /* Not in a callback of the actor: there is no handler to fail. */
      g_printerr ("coordinator: %s\n", error->message);
      maiko_context_stop_runtime (ctx);
    }
}

/* A file that was written elsewhere and renamed into the inbox, or moved
 * there, is whole; one written in place is once its writer closed it. */
static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            Coordinator       *self)
{
  if (event == G_FILE_MONITOR_EVENT_RENAMED)
    spawn_writer (self, other);
  else if (event == G_FILE_MONITOR_EVENT_MOVED_IN || event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    spawn_writer (self, file);
}

/* Runs on the coordinator's context (the main context here): the monitor
 * reports in the thread-default context of the thread that makes it. */
static gboolean
coordinator_on_start (MaikoActor  *actor,
                      GError     **error)
{
  Coordinator *self = COORDINATOR_ACTOR (actor);

  self->monitor = g_file_monitor_directory (self->inbox, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->monitor == NULL)
    return FALSE;
  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_changed), self);
  return TRUE;
}

/* Done(file name): that writer is finished with. */
static gboolean
coordinator_handle_event (MaikoActor     *actor,
                          MaikoEnvelope  *envelope,
                          GError        **error)
{
  MaikoContext *ctx = maiko_actor_get_context (actor);
  GVariant *payload = maiko_event_get_payload (maiko_envelope_get_event (envelope));
  g_autofree char *name = g_strconcat ("writer-", g_variant_get_string (payload, NULL), NULL);
  g_autoptr(MaikoEvent) removed = NULL;

  if (!maiko_context_remove_actor (ctx, name, error))
    return FALSE;
  g_print ("coordinator: removed %s\n", name);
  removed = maiko_event_new ("Removed", g_variant_ref (payload));
  return maiko_context_send (ctx, removed, error);
}

static void
coordinator_on_shutdown (MaikoActor *actor)
{
  Coordinator *self = COORDINATOR_ACTOR (actor);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
}

static void
coordinator_finalize (GObject *object)
{
  Coordinator *self = COORDINATOR_ACTOR (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->inbox);
  g_clear_object (&self->outbox);
  g_hash_table_unref (self->seen);
  G_OBJECT_CLASS (coordinator_parent_class)->finalize (object);
}

static void
coordinator_class_init (CoordinatorClass *klass)
{
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = coordinator_finalize;
  actor_class->on_start = coordinator_on_start;
  actor_class->handle_event = coordinator_handle_event;
  actor_class->on_shutdown = coordinator_on_shutdown;
}

static void
coordinator_init (Coordinator *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The feeder: writes the files, one after the other. */

#define FEEDER_TYPE (feeder_get_type ())
G_DECLARE_FINAL_TYPE (Feeder, feeder, FEEDER, ACTOR, MaikoActor)

struct _Feeder
{
  MaikoActor  parent_instance;
  GFile      *inbox;
  guint       n_files;
  guint       written;
};

G_DEFINE_FINAL_TYPE (Feeder, feeder, MAIKO_TYPE_ACTOR)

static gboolean
feeder_write_next (Feeder  *self,
                   GError **error)
{
  g_autofree char *name = g_strdup_printf ("notes-%u.txt", ++self->written);
  g_autofree char *contents = g_strdup_printf ("the first line of %s\nand a second one\n", name);
  g_autoptr(GFile) file = g_file_get_child (self->inbox, name);
  g_autofree char *path = g_file_get_path (file);

  g_print ("feeder: wrote %s\n", name);
  return g_file_set_contents (path, contents, -1, error);
}

static gboolean
feeder_on_start (MaikoActor  *actor,
                 GError     **error)
{
  return feeder_write_next (FEEDER_ACTOR (actor), error);
}

/* Removed(file name): the next file, or the end. */
static gboolean
feeder_handle_event (MaikoActor     *actor,
                     MaikoEnvelope  *envelope,
                     GError        **error)
{
  Feeder *self = FEEDER_ACTOR (actor);

  if (self->written < self->n_files)
    return feeder_write_next (self, error);
  maiko_context_stop_runtime (maiko_actor_get_context (actor));
  return TRUE;
}

static void
feeder_finalize (GObject *object)
{
  g_clear_object (&FEEDER_ACTOR (object)->inbox);
  G_OBJECT_CLASS (feeder_parent_class)->finalize (object);
}

static void
feeder_class_init (FeederClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = feeder_finalize;
  MAIKO_ACTOR_CLASS (klass)->on_start = feeder_on_start;
  MAIKO_ACTOR_CLASS (klass)->handle_event = feeder_handle_event;
}

static void
feeder_init (Feeder *self)
{
}

/* A folder of our own, removed with what it holds at the end. */
static GFile *
make_folder (const char *template)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_dir_make_tmp (template, &error);

  if (path == NULL)
    g_error ("%s", error->message);
  return g_file_new_for_path (path);
}

static void
remove_folder (GFile *folder)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                               NULL, NULL);
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) &&
         child != NULL)
    g_file_delete (child, NULL, NULL);
  g_file_delete (folder, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  gint n_files = 3;
  GOptionEntry entries[] = {
    { "files", 0, 0, G_OPTION_ARG_INT, &n_files, "How many files the feeder writes", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) inbox = make_folder ("maiko-inbox-XXXXXX");
  g_autoptr(GFile) outbox = make_folder ("maiko-outbox-XXXXXX");
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Coordinator) coordinator = g_object_new (COORDINATOR_TYPE, "main-context",
                                                     g_main_context_default (), NULL);
  g_autoptr(Feeder) feeder = g_object_new (FEEDER_TYPE, "main-context",
                                           g_main_context_default (), NULL);
  const char *done[] = { "Done", NULL };
  const char *removed[] = { "Removed", NULL };
  gboolean ok;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || n_files < 1)
    {
      g_printerr ("folder-writers: %s\n", error != NULL ? error->message : "--files must be 1 or more");
      return 2;
    }

  coordinator->inbox = g_object_ref (inbox);
  coordinator->outbox = g_object_ref (outbox);
  feeder->inbox = g_object_ref (inbox);
  feeder->n_files = n_files;
  ok = maiko_supervisor_set_route_by_label (sup, &error) &&
       maiko_supervisor_add_actor (sup, "coordinator", MAIKO_ACTOR (coordinator), done, &error) &&
       maiko_supervisor_add_actor (sup, "feeder", MAIKO_ACTOR (feeder), removed, &error) &&
       maiko_supervisor_run (sup, &error);
  if (ok)
    g_print ("all %d files written\n", n_files);
  else
    g_printerr ("folder-writers: %s\n", error->message);

  remove_folder (inbox);
  remove_folder (outbox);
  return ok ? 0 : 1;
}
