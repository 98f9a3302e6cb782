/* maiko-recorder.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "maiko-record-private.h"
#include "maiko-recorder.h"

/**
 * MaikoRecorder:
 *
 * A [class@Maiko.Monitor] that writes every record to a file (or any
 * output stream) as JSON Lines: one compact JSON object per line, written
 * with json-glib. The format, and how payloads are kept exactly, is
 * described in the [Recorder format](recorder-format.html) guide;
 * [func@Maiko.Recorder.read_file] reads a file back as
 * [struct@Maiko.Record]s.
 *
 * ```c
 * g_autoptr(GError) error = NULL;
 * g_autoptr(MaikoRecorder) recorder = maiko_recorder_new ("run.jsonl", &error);
 *
 * if (recorder == NULL)
 *   g_error ("%s", error->message);
 * maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL);
 * maiko_supervisor_run (sup, NULL);
 * maiko_recorder_close (recorder, &error);
 * ```
 *
 * Like every monitor, the recorder writes in the main context that was
 * the thread-default one when it was added, after the fact: the runtime
 * never waits for the disk. Lines are buffered, and the buffer is flushed
 * whenever that main context has nothing more urgent to do, by
 * [method@Maiko.Recorder.flush] and by [method@Maiko.Recorder.close]. An
 * application that stops should close the recorder, or at least flush it.
 *
 * A recorder that cannot write (a full disk, a closed pipe) does not stop
 * the runtime. It keeps the first error ([method@Maiko.Recorder.get_error]),
 * writes nothing more, counts the records it could not write
 * ([property@Maiko.Recorder:lost-count]), and emits its own
 * [signal@Maiko.Monitor::error] signal once, with
 * %MAIKO_RECORDER_ACTOR_NAME as the actor, so that listeners hear of it.
 * The signal is emitted when the failure happens while recording, in the
 * recorder's main context; when it happens in an explicit
 * [method@Maiko.Recorder.flush] or [method@Maiko.Recorder.close], that
 * call returns it instead.
 */

/* Large enough that a burst of records costs few writes. */
#define BUFFER_SIZE (64 * 1024)

struct _MaikoRecorder
{
  MaikoMonitor     parent_instance;

  /* Guards the fields below: the handlers write on the monitor's context,
   * while flush() and close() may come from any thread. */
  GMutex           mutex;
  /* A buffer over the stream given at construction; NULL once closed. */
  GOutputStream   *stream;
  JsonGenerator   *generator;
  /* The first failure to write: nothing is written after it. */
  GError          *error;
  /* A low-priority idle on the monitor's context that flushes the buffer
   * once a burst of records is written; NULL when none is pending. */
  GSource         *flush_source;
  guint64          n_written;
  guint64          n_lost;
};

G_DEFINE_FINAL_TYPE (MaikoRecorder, maiko_recorder, MAIKO_TYPE_MONITOR)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_WRITTEN_COUNT,
  PROP_LOST_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_writing_locked (MaikoRecorder *self)
{
  return self->stream != NULL && self->error == NULL;
}

/* Emits the recorder's own error signal, on the monitor's context. The
 * error is never replaced or freed before the recorder is. */
static void
emit_failure (MaikoRecorder *self)
{
  g_signal_emit_by_name (self, "error", MAIKO_RECORDER_ACTOR_NAME, self->error);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Returns whether this flush failed the recorder. */
static gboolean
flush_stream_locked (MaikoRecorder *self)
{
  GError *error = NULL;

  if (!is_writing_locked (self) || g_output_stream_flush (self->stream, NULL, &error))
    return FALSE;

  self->error = error;
  return TRUE;
}

static gboolean
flush_in_idle (gpointer data)
{
  g_autoptr(MaikoRecorder) self = g_weak_ref_get (data);
  gboolean failed;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&self->mutex);
  /* close() may have dropped it already. */
  if (self->flush_source == g_main_current_source ())
    g_clear_pointer (&self->flush_source, g_source_unref);
  failed = flush_stream_locked (self);
  g_mutex_unlock (&self->mutex);

  if (failed)
    emit_failure (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_flush_locked (MaikoRecorder *self)
{
  GMainContext *context = maiko_monitor_get_main_context (MAIKO_MONITOR (self));

  /* No context when the signals were emitted by hand on a recorder that
   * was never added: flush() and close() are then the only flushes. */
  if (self->flush_source != NULL || context == NULL)
    return;

  self->flush_source = g_idle_source_new ();
  g_source_set_priority (self->flush_source, G_PRIORITY_LOW);
  g_source_set_static_name (self->flush_source, "[maiko] recorder flush");
  /* A weak reference: a context nobody runs must not keep us alive. */
  g_source_set_callback (self->flush_source, flush_in_idle, weak_ref_new (self), weak_ref_free);
  g_source_attach (self->flush_source, context);
}

/* Returns whether this write failed the recorder. */
static gboolean
write_locked (MaikoRecorder *self,
              JsonNode      *root)
{
  g_autofree char *text = NULL;
  GError *error = NULL;
  gsize length;

  if (!is_writing_locked (self))
    {
      self->n_lost++;
      return FALSE;
    }

  json_generator_set_root (self->generator, root);
  text = json_generator_to_data (self->generator, &length);
  if (!g_output_stream_write_all (self->stream, text, length, NULL, NULL, &error) ||
      !g_output_stream_write_all (self->stream, "\n", 1, NULL, NULL, &error))
    {
      self->n_lost++;
      self->error = error;
      return TRUE;
    }

  self->n_written++;
  schedule_flush_locked (self);
  return FALSE;
}

/* Takes @root. */
static void
write_record (MaikoRecorder *self,
              JsonNode      *root)
{
  gboolean failed;

  g_mutex_lock (&self->mutex);
  failed = write_locked (self, root);
  g_mutex_unlock (&self->mutex);
  json_node_unref (root);

  if (failed)
    emit_failure (self);
}

static void
close_locked (MaikoRecorder *self)
{
  g_autoptr(GError) error = NULL;

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }

  if (self->stream == NULL)
    return;

  /* Closing flushes the buffer; after a failure it fails again, which
   * tells nothing new. */
  if (!g_output_stream_close (self->stream, NULL, &error) && self->error == NULL)
    self->error = g_steal_pointer (&error);
  g_clear_object (&self->stream);
}

/* Returns FALSE with a copy of the recorder's error, if it has one. */
static gboolean
propagate_failure_locked (MaikoRecorder  *self,
                          GError        **error)
{
  if (self->error == NULL)
    return TRUE;

  g_propagate_error (error, g_error_copy (self->error));
  return FALSE;
}

/* Class handlers */

static void
record_event (MaikoMonitor        *monitor,
              MaikoRecordHook      hook,
              MaikoEnvelope       *envelope,
              const char          *topic,
              const char          *receiver,
              MaikoOverflowPolicy  policy)
{
  write_record (MAIKO_RECORDER (monitor),
                _maiko_record_build_event (hook, envelope, topic, receiver, policy));
}

static void
maiko_recorder_event_dispatched (MaikoMonitor  *monitor,
                                 MaikoEnvelope *envelope,
                                 const char    *topic,
                                 const char    *receiver)
{
  record_event (monitor, MAIKO_RECORD_HOOK_EVENT_DISPATCHED, envelope, topic, receiver,
                MAIKO_OVERFLOW_POLICY_FAIL);
}

static void
maiko_recorder_event_delivered (MaikoMonitor  *monitor,
                                MaikoEnvelope *envelope,
                                const char    *topic,
                                const char    *receiver)
{
  record_event (monitor, MAIKO_RECORD_HOOK_EVENT_DELIVERED, envelope, topic, receiver,
                MAIKO_OVERFLOW_POLICY_FAIL);
}

static void
maiko_recorder_event_handled (MaikoMonitor  *monitor,
                              MaikoEnvelope *envelope,
                              const char    *topic,
                              const char    *receiver)
{
  record_event (monitor, MAIKO_RECORD_HOOK_EVENT_HANDLED, envelope, topic, receiver,
                MAIKO_OVERFLOW_POLICY_FAIL);
}

static void
maiko_recorder_event_unrouted (MaikoMonitor  *monitor,
                               MaikoEnvelope *envelope,
                               const char    *topic)
{
  record_event (monitor, MAIKO_RECORD_HOOK_EVENT_UNROUTED, envelope, topic, NULL,
                MAIKO_OVERFLOW_POLICY_FAIL);
}

static void
maiko_recorder_actor_restarted (MaikoMonitor *monitor,
                                const char   *actor,
                                guint         count,
                                const GError *error)
{
  write_record (MAIKO_RECORDER (monitor), _maiko_record_build_restart (actor, count, error));
}

static void
maiko_recorder_overflow (MaikoMonitor        *monitor,
                         MaikoEnvelope       *envelope,
                         const char          *topic,
                         const char          *receiver,
                         MaikoOverflowPolicy  policy)
{
  record_event (monitor, MAIKO_RECORD_HOOK_OVERFLOW, envelope, topic, receiver, policy);
}

static void
maiko_recorder_error (MaikoMonitor *monitor,
                      const char   *actor,
                      const GError *error)
{
  write_record (MAIKO_RECORDER (monitor), _maiko_record_build_error (actor, error));
}

static void
maiko_recorder_actor_registered (MaikoMonitor *monitor,
                                 const char   *actor)
{
  write_record (MAIKO_RECORDER (monitor),
                _maiko_record_build_actor (MAIKO_RECORD_HOOK_ACTOR_REGISTERED, actor));
}

static void
maiko_recorder_actor_stopped (MaikoMonitor *monitor,
                              const char   *actor)
{
  write_record (MAIKO_RECORDER (monitor),
                _maiko_record_build_actor (MAIKO_RECORD_HOOK_ACTOR_STOPPED, actor));
}

/* GObject */

static void
maiko_recorder_constructed (GObject *object)
{
  MaikoRecorder *self = MAIKO_RECORDER (object);

  G_OBJECT_CLASS (maiko_recorder_parent_class)->constructed (object);

  /* Without one, every record is counted as lost. */
  g_return_if_fail (self->stream != NULL);
}

static void
maiko_recorder_dispose (GObject *object)
{
  MaikoRecorder *self = MAIKO_RECORDER (object);

  g_mutex_lock (&self->mutex);
  close_locked (self);
  g_mutex_unlock (&self->mutex);

  G_OBJECT_CLASS (maiko_recorder_parent_class)->dispose (object);
}

static void
maiko_recorder_finalize (GObject *object)
{
  MaikoRecorder *self = MAIKO_RECORDER (object);

  g_clear_object (&self->generator);
  g_clear_error (&self->error);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (maiko_recorder_parent_class)->finalize (object);
}

static void
maiko_recorder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MaikoRecorder *self = MAIKO_RECORDER (object);

  switch (prop_id)
    {
    case PROP_WRITTEN_COUNT:
      g_value_set_uint64 (value, maiko_recorder_get_written_count (self));
      break;
    case PROP_LOST_COUNT:
      g_value_set_uint64 (value, maiko_recorder_get_lost_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_recorder_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MaikoRecorder *self = MAIKO_RECORDER (object);
  GOutputStream *stream;

  switch (prop_id)
    {
    case PROP_STREAM:
      stream = g_value_get_object (value);
      if (stream != NULL)
        self->stream = g_buffered_output_stream_new_sized (stream, BUFFER_SIZE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_recorder_class_init (MaikoRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoMonitorClass *monitor_class = MAIKO_MONITOR_CLASS (klass);

  object_class->constructed = maiko_recorder_constructed;
  object_class->dispose = maiko_recorder_dispose;
  object_class->finalize = maiko_recorder_finalize;
  object_class->get_property = maiko_recorder_get_property;
  object_class->set_property = maiko_recorder_set_property;

  monitor_class->event_dispatched = maiko_recorder_event_dispatched;
  monitor_class->event_delivered = maiko_recorder_event_delivered;
  monitor_class->event_handled = maiko_recorder_event_handled;
  monitor_class->overflow = maiko_recorder_overflow;
  monitor_class->event_unrouted = maiko_recorder_event_unrouted;
  monitor_class->error = maiko_recorder_error;
  monitor_class->actor_registered = maiko_recorder_actor_registered;
  monitor_class->actor_stopped = maiko_recorder_actor_stopped;
  monitor_class->actor_restarted = maiko_recorder_actor_restarted;

  /**
   * MaikoRecorder:stream:
   *
   * The stream the records are written to. The recorder owns it from
   * then on: closing the recorder closes it.
   */
  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_OUTPUT_STREAM,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoRecorder:written-count:
   *
   * How many records were written. Written means handed to the stream's
   * buffer: if the recorder then failed, the last of them may not have
   * reached the file.
   */
  properties[PROP_WRITTEN_COUNT] =
    g_param_spec_uint64 ("written-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoRecorder:lost-count:
   *
   * How many records were not written because the recorder had failed or
   * was closed. Records the monitor's queue dropped are counted apart, in
   * [property@Maiko.Monitor:dropped-count].
   */
  properties[PROP_LOST_COUNT] =
    g_param_spec_uint64 ("lost-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_recorder_init (MaikoRecorder *self)
{
  g_mutex_init (&self->mutex);
  self->generator = json_generator_new ();
}

/* Public API */

/**
 * maiko_recorder_new:
 * @path: (type filename): the file to write; it is created, or replaced
 *   if it exists
 * @error: return location for a #GError
 *
 * Creates a recorder that writes to the file at @path, to add to a
 * supervisor with [method@Maiko.Supervisor.add_monitor].
 *
 * The file is opened now, so a path that cannot be written is an error
 * here, in the %G_IO_ERROR domain (for instance %G_IO_ERROR_NOT_FOUND for
 * a missing directory, %G_IO_ERROR_PERMISSION_DENIED, or
 * %G_IO_ERROR_NOT_REGULAR_FILE: to write to a pipe or a device, open it
 * yourself and use [ctor@Maiko.Recorder.new_for_stream]).
 *
 * Returns: (transfer full) (nullable): a new recorder, or %NULL with
 *   @error set
 */
MaikoRecorder *
maiko_recorder_new (const char  *path,
                    GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return NULL;

  return maiko_recorder_new_for_stream (G_OUTPUT_STREAM (stream));
}

/**
 * maiko_recorder_new_for_stream:
 * @stream: the stream to write to; the recorder closes it when it is
 *   closed or finalized
 *
 * Creates a recorder that writes to @stream: a pipe, a socket, a memory
 * stream.
 *
 * Returns: (transfer full): a new recorder
 */
MaikoRecorder *
maiko_recorder_new_for_stream (GOutputStream *stream)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  return g_object_new (MAIKO_TYPE_RECORDER, "stream", stream, NULL);
}

/**
 * maiko_recorder_flush:
 * @self: a recorder
 * @error: return location for a #GError
 *
 * Writes out every record queued for the recorder before the call (see
 * [method@Maiko.Monitor.flush]), then flushes the stream.
 *
 * Returns: %TRUE if everything recorded so far was written, or %FALSE
 *   with @error set to the recorder's error (see
 *   [method@Maiko.Recorder.get_error])
 */
gboolean
maiko_recorder_flush (MaikoRecorder  *self,
                      GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (MAIKO_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Not under the mutex: the handlers it may wait for need it. */
  maiko_monitor_flush (MAIKO_MONITOR (self));

  g_mutex_lock (&self->mutex);
  flush_stream_locked (self);
  ok = propagate_failure_locked (self, error);
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * maiko_recorder_close:
 * @self: a recorder
 * @error: return location for a #GError
 *
 * Writes out every record queued for the recorder before the call, then
 * closes the stream. Records that come after are not written; they are
 * counted in [property@Maiko.Recorder:lost-count]. So stop the supervisor
 * (or remove the recorder from it) first. Closing a closed recorder does
 * nothing more; finalizing a recorder closes it, but can report nothing.
 *
 * Returns: %TRUE if every record was written and the stream closed, or
 *   %FALSE with @error set to the recorder's error (see
 *   [method@Maiko.Recorder.get_error])
 */
gboolean
maiko_recorder_close (MaikoRecorder  *self,
                      GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (MAIKO_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  maiko_monitor_flush (MAIKO_MONITOR (self));

  g_mutex_lock (&self->mutex);
  close_locked (self);
  ok = propagate_failure_locked (self, error);
  g_mutex_unlock (&self->mutex);

  return ok;
}

/**
 * maiko_recorder_get_error:
 * @self: a recorder
 *
 * Gets the first error the recorder met while writing, flushing or
 * closing. Once it has one, the recorder writes nothing more.
 *
 * Returns: (transfer none) (nullable): the recorder's error, valid as long
 *   as the recorder, or %NULL if it has met none
 */
const GError *
maiko_recorder_get_error (MaikoRecorder *self)
{
  const GError *error;

  g_return_val_if_fail (MAIKO_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  error = self->error;
  g_mutex_unlock (&self->mutex);

  return error;
}

/**
 * maiko_recorder_get_written_count:
 * @self: a recorder
 *
 * Gets how many records the recorder wrote
 * ([property@Maiko.Recorder:written-count]).
 *
 * Returns: the value of [property@Maiko.Recorder:written-count]
 */
guint64
maiko_recorder_get_written_count (MaikoRecorder *self)
{
  guint64 n;

  g_return_val_if_fail (MAIKO_IS_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_written;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * maiko_recorder_get_lost_count:
 * @self: a recorder
 *
 * Gets how many records the recorder could not write because it had failed
 * or was closed ([property@Maiko.Recorder:lost-count]).
 *
 * Returns: the value of [property@Maiko.Recorder:lost-count]
 */
guint64
maiko_recorder_get_lost_count (MaikoRecorder *self)
{
  guint64 n;

  g_return_val_if_fail (MAIKO_IS_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_lost;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * maiko_recorder_read_bytes:
 * @bytes: the contents of a recorder file
 * @error: return location for a #GError
 *
 * Reads every record of a recorder file, one per line, with
 * [func@Maiko.Record.parse_line]. Blank lines are skipped; the last line
 * may lack its newline. The bytes need not be trusted.
 *
 * One bad line makes the whole file fail. To read a recording that was
 * cut short, use [func@Maiko.Recorder.read_bytes_prefix].
 *
 * The array owns its records: unreffing it releases them. (It is
 * annotated `transfer container` so that bindings take references of
 * their own instead of releasing the records twice.)
 *
 * Returns: (transfer container) (element-type Maiko.Record): the records
 *   in file order, or %NULL with @error set (%MAIKO_ERROR_INVALID_ARGUMENT,
 *   with the number of the first bad line in the message)
 */
GPtrArray *
maiko_recorder_read_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  GError *line_error = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  records = maiko_recorder_read_bytes_prefix (bytes, &line_error, NULL);
  if (line_error != NULL)
    {
      g_propagate_error (error, line_error);
      return NULL;
    }

  return g_steal_pointer (&records);
}

/**
 * maiko_recorder_read_bytes_prefix:
 * @bytes: the contents of a recorder file
 * @line_error: (out) (optional) (nullable) (transfer full): return
 *   location for the error of the first bad line, or %NULL
 * @prefix_length: (out) (optional): return location for the length in
 *   bytes of what was read: where the first bad line starts, or the size
 *   of @bytes if there is none
 *
 * Reads the records of a recorder file up to its first bad line, and
 * says what is wrong with that line. A recording cut short, by a full
 * disk or by a process killed before it closed its recorder, ends with a
 * partial line: this gives every record before it, where
 * [func@Maiko.Recorder.read_bytes] would give none.
 *
 * Lines are read as [func@Maiko.Recorder.read_bytes] reads them, and
 * @line_error is the error it would give: %MAIKO_ERROR_INVALID_ARGUMENT,
 * with the number of the bad line in the message. A file whose lines are
 * all good leaves it %NULL. Nothing after the first bad line is read,
 * even if later lines are good. The first @prefix_length bytes are a
 * file that [func@Maiko.Recorder.read_bytes] reads whole: truncating a
 * cut recording there makes it one again.
 *
 * ```python
 * records, line_error, length = Maiko.Recorder.read_bytes_prefix(GLib.Bytes(data))
 * ```
 *
 * Returns: (transfer container) (element-type Maiko.Record): the records
 *   before the first bad line, in file order, in an array that owns them
 */
GPtrArray *
maiko_recorder_read_bytes_prefix (GBytes  *bytes,
                                  GError **line_error,
                                  gsize   *prefix_length)
{
  gconstpointer data;
  gsize length;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (line_error == NULL || *line_error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  return _maiko_record_parse_lines (data, size, prefix_length != NULL ? prefix_length : &length,
                                    line_error);
}

static void
set_io_error (GError     **error,
              int          saved_errno,
              const char  *format,
              const char  *display_name)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), format, display_name,
               g_strerror (saved_errno));
}

/* Reads what is left of @fd, in one buffer. A file too large for the
 * memory is an error, not an abort. */
static GBytes *
read_all (int          fd,
          gsize        size_hint,
          const char  *display_name,
          GError     **error)
{
  gsize allocated = size_hint + 1;
  g_autofree char *data = g_try_malloc (allocated);
  gsize size = 0;

  for (;;)
    {
      gssize n;

      if (data != NULL && size == allocated)
        {
          char *larger = allocated <= G_MAXSIZE / 2 ? g_try_realloc (data, allocated * 2) : NULL;

          if (larger == NULL)
            g_clear_pointer (&data, g_free);
          data = larger;
          allocated *= 2;
        }
      if (data == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "Not enough memory to read “%s”", display_name);
          return NULL;
        }

      n = read (fd, data + size, allocated - size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_io_error (error, errno, "Error reading “%s”: %s", display_name);
          return NULL;
        }
      if (n == 0)
        break;
      size += n;
    }

  return g_bytes_new_take (g_steal_pointer (&data), size);
}

/* Reads the file at @path, which must be a regular file: reading a device
 * such as /dev/zero would never end, and opening a FIFO would wait for a
 * writer. So the file is opened without waiting, and its type checked on
 * what was opened, before anything is read. */
static GBytes *
load_regular_file (const char  *path,
                   GError     **error)
{
  g_autofree char *display_name = g_filename_display_name (path);
  GBytes *bytes = NULL;
  struct stat info;
  int flags;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_io_error (error, errno, "Error opening “%s”: %s", display_name);
      return NULL;
    }

  if (fstat (fd, &info) != 0)
    set_io_error (error, errno, "Error reading “%s”: %s", display_name);
  else if (S_ISDIR (info.st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "“%s” is a directory", display_name);
  else if (!S_ISREG (info.st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 "“%s” is not a regular file", display_name);
  /* A regular file never blocks; the flag goes all the same. */
  else if ((flags = fcntl (fd, F_GETFL)) < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    set_io_error (error, errno, "Error reading “%s”: %s", display_name);
  else
    bytes = read_all (fd, info.st_size, display_name, error);

  g_close (fd, NULL);
  return bytes;
}

/**
 * maiko_recorder_read_file:
 * @path: (type filename): a file written by a recorder
 * @error: return location for a #GError
 *
 * Reads every record of the file at @path, as
 * [func@Maiko.Recorder.read_bytes] does. The whole file is read into
 * memory first. It must be a regular file: a directory fails with
 * %G_IO_ERROR_IS_DIRECTORY, anything else that is not a regular file (a
 * FIFO, a device such as `/dev/zero`, a socket) with
 * %G_IO_ERROR_NOT_REGULAR_FILE, without waiting for a writer or reading
 * anything. (To read a pipe, read it into a #GBytes and use
 * [func@Maiko.Recorder.read_bytes].)
 *
 * One bad line makes the whole file fail. To read a recording that was
 * cut short, use [func@Maiko.Recorder.read_file_prefix].
 *
 * Returns: (transfer container) (element-type Maiko.Record): the records
 *   in file order, in an array that owns them, or %NULL with @error set:
 *   in the %G_IO_ERROR domain if the file cannot be read,
 *   %MAIKO_ERROR_INVALID_ARGUMENT (the message names the file and the
 *   first bad line) if it is not a recorder file
 */
GPtrArray *
maiko_recorder_read_file (const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  GError *line_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  records = maiko_recorder_read_file_prefix (path, &line_error, NULL, error);
  if (line_error != NULL)
    {
      g_propagate_error (error, line_error);
      return NULL;
    }

  return g_steal_pointer (&records);
}

/**
 * maiko_recorder_read_file_prefix:
 * @path: (type filename): a file written by a recorder
 * @line_error: (out) (optional) (nullable) (transfer full): return
 *   location for the error of the first bad line, or %NULL
 * @prefix_length: (out) (optional): return location for the length in
 *   bytes of what was read: where the first bad line starts, or the size
 *   of the file if there is none
 * @error: return location for a #GError
 *
 * Reads the records of the file at @path up to its first bad line, as
 * [func@Maiko.Recorder.read_bytes_prefix] does: for a recording cut
 * short by a full disk or a killed process, every record but the partial
 * last line.
 *
 * The two errors say different things. @error is set when the file cannot
 * be read at all, as for [func@Maiko.Recorder.read_file] (it must be a
 * regular file); the function then returns %NULL. @line_error is set,
 * with %MAIKO_ERROR_INVALID_ARGUMENT and a message that names the file
 * and the line, when a line is bad; the records before it are returned.
 *
 * ```python
 * records, line_error, length = Maiko.Recorder.read_file_prefix("run.jsonl")
 * if line_error is not None:
 *     print(f"{len(records)} records, then {line_error.message}")
 *     os.truncate("run.jsonl", length)  # a whole recording again
 * ```
 *
 * Returns: (transfer container) (element-type Maiko.Record) (nullable):
 *   the records before the first bad line, in file order, in an array
 *   that owns them, or %NULL with @error set
 */
GPtrArray *
maiko_recorder_read_file_prefix (const char  *path,
                                 GError     **line_error,
                                 gsize       *prefix_length,
                                 GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  GPtrArray *records;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (line_error == NULL || *line_error == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = load_regular_file (path, error);
  if (bytes == NULL)
    return NULL;

  records = maiko_recorder_read_bytes_prefix (bytes, &local_error, prefix_length);
  if (local_error != NULL)
    {
      display_name = g_filename_display_name (path);
      g_propagate_prefixed_error (line_error, g_steal_pointer (&local_error), "%s: ",
                                  display_name);
    }

  return records;
}
