/* test-util.c
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

G_DEFINE_FINAL_TYPE (TestActor, test_actor, MAIKO_TYPE_ACTOR)

guint
test_timeout_s (void)
{
  const char *multiplier = g_getenv ("MAIKO_TEST_TIMEOUT_MULTIPLIER");
  guint64 factor = multiplier != NULL ? g_ascii_strtoull (multiplier, NULL, 10) : 1;

  return 30 * (guint) CLAMP (factor, 1, 100);
}

static void
log_locked (TestActor *self,
            char       what)
{
  g_string_append_c (self->log, what);
  g_cond_broadcast (&self->cond);
}

static void
wait_gate_locked (TestActor *self)
{
  self->n_at_gate++;
  g_cond_broadcast (&self->cond);
  while (self->gate_closed)
    g_cond_wait (&self->cond, &self->mutex);
  self->n_at_gate--;
}

static gboolean
test_actor_on_start (MaikoActor  *actor,
                     GError     **error)
{
  TestActor *self = TEST_ACTOR (actor);

  g_mutex_lock (&self->mutex);
  if (self->gate_in_start)
    wait_gate_locked (self);
  self->n_started++;
  log_locked (self, 'S');
  g_mutex_unlock (&self->mutex);

  if (self->start_hook != NULL)
    self->start_hook (self);

  return TRUE;
}

static gboolean
test_actor_handle_event (MaikoActor     *actor,
                         MaikoEnvelope  *envelope,
                         GError        **error)
{
  TestActor *self = TEST_ACTOR (actor);
  gboolean ok = TRUE;

  g_mutex_lock (&self->mutex);
  if (!self->gate_in_start)
    wait_gate_locked (self);
  g_mutex_unlock (&self->mutex);

  if (self->handle_delay_us > 0)
    g_usleep (self->handle_delay_us);
  if (self->handle != NULL)
    ok = self->handle (self, envelope, error);

  g_mutex_lock (&self->mutex);
  if (self->keep_envelopes)
    g_ptr_array_add (self->received, maiko_envelope_ref (envelope));
  self->n_handled++;
  log_locked (self, 'E');
  g_mutex_unlock (&self->mutex);

  return ok;
}

static MaikoStepAction
test_actor_step (MaikoActor *actor)
{
  TestActor *self = TEST_ACTOR (actor);
  MaikoStepAction action;

  /* Actors without a step function do not log one. */
  if (self->step == NULL)
    return MAIKO_STEP_ACTION_NEVER;
  action = self->step (self);

  g_mutex_lock (&self->mutex);
  self->n_steps++;
  log_locked (self, 'T');
  g_mutex_unlock (&self->mutex);

  return action;
}

static void
test_actor_on_shutdown (MaikoActor *actor)
{
  TestActor *self = TEST_ACTOR (actor);

  if (self->shutdown_hook != NULL)
    self->shutdown_hook (self);

  g_mutex_lock (&self->mutex);
  self->n_shutdowns++;
  log_locked (self, 'D');
  g_mutex_unlock (&self->mutex);
}

static gboolean
test_actor_on_error (MaikoActor   *actor,
                     const GError *error)
{
  TestActor *self = TEST_ACTOR (actor);

  g_mutex_lock (&self->mutex);
  self->n_errors++;
  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  log_locked (self, 'X');
  g_mutex_unlock (&self->mutex);

  return self->swallow_errors;
}

static void
test_actor_finalize (GObject *object)
{
  TestActor *self = TEST_ACTOR (object);

  g_ptr_array_unref (self->received);
  g_string_free (self->log, TRUE);
  g_free (self->last_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (test_actor_parent_class)->finalize (object);
}

static void
test_actor_class_init (TestActorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  object_class->finalize = test_actor_finalize;
  actor_class->on_start = test_actor_on_start;
  actor_class->handle_event = test_actor_handle_event;
  actor_class->step = test_actor_step;
  actor_class->on_shutdown = test_actor_on_shutdown;
  actor_class->on_error = test_actor_on_error;
}

static void
test_actor_init (TestActor *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->received = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_envelope_unref);
  self->log = g_string_new (NULL);
}

TestActor *
test_actor_new (void)
{
  return g_object_new (TEST_TYPE_ACTOR, NULL);
}

static MaikoStepAction
produce_step (TestActor *self)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));

  for (guint i = 0; i < self->produce_per_step && self->produced < self->produce_total; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int (self->produce_label, self->produced);
      g_autoptr(GError) error = NULL;

      if (!maiko_context_send (context, event, &error))
        {
          g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
          return MAIKO_STEP_ACTION_NEVER;
        }
      self->produced++;
    }

  return self->produced < self->produce_total ? MAIKO_STEP_ACTION_CONTINUE : MAIKO_STEP_ACTION_NEVER;
}

TestActor *
test_producer_new (const char *label,
                   guint       total,
                   guint       per_step)
{
  TestActor *self = test_actor_new ();

  self->produce_label = label;
  self->produce_total = total;
  self->produce_per_step = per_step;
  self->step = produce_step;

  return self;
}

TestActor *
test_actor_new_bound (GMainContext *context)
{
  return g_object_new (TEST_TYPE_ACTOR, "main-context", context, NULL);
}

void
test_actor_close_gate (TestActor *self)
{
  g_mutex_lock (&self->mutex);
  self->gate_closed = TRUE;
  g_mutex_unlock (&self->mutex);
}

void
test_actor_open_gate (TestActor *self)
{
  g_mutex_lock (&self->mutex);
  self->gate_closed = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/* Waits on the actor's condition until @done holds, for at most
 * TEST_TIMEOUT_S seconds. */
gboolean
test_actor_wait (TestActor  *self,
                 gboolean  (*done) (TestActor *self, gpointer data),
                 gpointer    data)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_TIME_SPAN_SECOND;
  gboolean result;

  g_mutex_lock (&self->mutex);
  while (!(result = done (self, data)))
    if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
      {
        result = done (self, data);
        break;
      }
  g_mutex_unlock (&self->mutex);

  return result;
}

static gboolean
handled_at_least (TestActor *self,
                  gpointer   data)
{
  return self->n_handled >= GPOINTER_TO_UINT (data);
}

gboolean
test_actor_wait_handled (TestActor *self,
                         guint      n)
{
  return test_actor_wait (self, handled_at_least, GUINT_TO_POINTER (n));
}

static gboolean
someone_at_gate (TestActor *self,
                 gpointer   data)
{
  return self->n_at_gate > 0;
}

gboolean
test_actor_wait_at_gate (TestActor *self)
{
  return test_actor_wait (self, someone_at_gate, NULL);
}

static gboolean
has_shut_down (TestActor *self,
               gpointer   data)
{
  return self->n_shutdowns > 0;
}

gboolean
test_actor_wait_shutdown (TestActor *self)
{
  return test_actor_wait (self, has_shut_down, NULL);
}

guint
test_actor_get_handled (TestActor *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_handled;
  g_mutex_unlock (&self->mutex);

  return n;
}

guint
test_actor_get_started (TestActor *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_started;
  g_mutex_unlock (&self->mutex);

  return n;
}

char *
test_actor_dup_log (TestActor *self)
{
  char *log;

  g_mutex_lock (&self->mutex);
  log = g_strdup (self->log->str);
  g_mutex_unlock (&self->mutex);

  return log;
}

/* Adds @actor subscribed to @topic alone (or to nothing if %NULL). */
void
test_add (MaikoSupervisor *sup,
          const char      *name,
          TestActor       *actor,
          const char      *topic)
{
  const char *topics[] = { topic, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_actor (sup, name, MAIKO_ACTOR (actor), topics, &error));
  g_assert_no_error (error);
}

/* A step function: sends the labels in self->data (a NULL-terminated
 * array), numbered from 0, all from one step (so in one outbox). */
MaikoStepAction
test_send_labels_step (TestActor *self)
{
  const char * const *labels = self->data;

  for (guint i = 0; labels[i] != NULL; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int (labels[i], i);

      g_assert_true (maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), event, NULL));
    }

  return MAIKO_STEP_ACTION_NEVER;
}

/* Sends one event labelled @label with an int64 payload, as the
 * supervisor; it must be accepted. */
void
test_send_int (MaikoSupervisor *sup,
               const char      *label,
               gint64           value)
{
  g_autoptr(MaikoEvent) event = test_event_int (label, value);
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_send (sup, event, &error));
  g_assert_no_error (error);
}

/* Sends @n events labelled @label, numbered from 0, as the supervisor. */
void
test_send_n (MaikoSupervisor *sup,
             const char      *label,
             guint            n)
{
  for (guint i = 0; i < n; i++)
    test_send_int (sup, label, i);
}

/* A supervisor that routes each event to the topic named by its label. */
MaikoSupervisor *
test_supervisor_new_by_label (void)
{
  MaikoSupervisor *sup = maiko_supervisor_new ();

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  return sup;
}

/* A handle function that stops the runtime. */
gboolean
test_stop_runtime_on_event (TestActor      *self,
                            MaikoEnvelope  *envelope,
                            GError        **error)
{
  maiko_context_stop_runtime (maiko_actor_get_context (MAIKO_ACTOR (self)));
  return TRUE;
}

MaikoEvent *
test_event_int (const char *label,
                gint64      value)
{
  return maiko_event_new (label, g_variant_new_int64 (value));
}

gint64
test_envelope_int (MaikoEnvelope *envelope)
{
  return g_variant_get_int64 (maiko_event_get_payload (maiko_envelope_get_event (envelope)));
}

static gboolean
count_in_sequence (TestActor      *actor,
                   MaikoEnvelope  *envelope,
                   GError        **error)
{
  TestSeqCounts *counts = actor->data;
  gint64 n = test_envelope_int (envelope);

  g_mutex_lock (&actor->mutex);
  g_hash_table_add (counts->ids, g_strdup (maiko_envelope_get_id (envelope)));
  if (n < 0 || n >= counts->n)
    counts->out_of_range++;
  else if (counts->seen[n]++ == 0)
    counts->distinct++;
  else
    counts->doubled++;
  g_mutex_unlock (&actor->mutex);
  return TRUE;
}

/* An actor that counts the sequence numbers 0 to @n - 1 it receives into
 * @counts: how many distinct, doubled and out of range, and the ids. */
TestActor *
test_seq_counter_new (TestSeqCounts *counts,
                      guint          n)
{
  TestActor *counter = test_actor_new ();

  *counts = (TestSeqCounts) { g_new0 (guint8, MAX (n, 1)), n, 0, 0, 0,
                              g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  counter->data = counts;
  counter->handle = count_in_sequence;
  return counter;
}

void
test_seq_counts_clear (TestSeqCounts *counts)
{
  g_clear_pointer (&counts->seen, g_free);
  g_clear_pointer (&counts->ids, g_hash_table_unref);
}

static gboolean
deadline_passed (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates @context until @done holds or TEST_TIMEOUT_S seconds pass. */
gboolean
test_iterate_until (GMainContext *context,
                    gboolean    (*done) (gpointer data),
                    gpointer      data)
{
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new_seconds (TEST_TIMEOUT_S);

  g_source_set_callback (timeout, deadline_passed, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done (data) && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);

  return done (data);
}

guint
test_count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

MaikoEvent *
test_event_to (const char *label,
               const char *topic)
{
  return maiko_event_new (label, g_variant_new_string (topic));
}

static char *
topic_of_payload (MaikoEvent *event,
                  gpointer    user_data)
{
  return g_variant_dup_string (maiko_event_get_payload (event), NULL);
}

/* Routes each event made with test_event_to() to its topic. */
void
test_route_by_payload (MaikoSupervisor *sup)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_set_topic_func (sup, topic_of_payload, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
reply_to_event (TestActor      *self,
                MaikoEnvelope  *envelope,
                GError        **error)
{
  const char *label = maiko_event_get_label (maiko_envelope_get_event (envelope));

  for (const TestReply *reply = self->data; reply->on != NULL; reply++)
    {
      g_autoptr(MaikoEvent) child = NULL;

      if (!g_str_equal (reply->on, label))
        continue;
      child = test_event_to (reply->label, reply->to);
      if (!maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), child,
                                           maiko_envelope_get_id (envelope), error))
        return FALSE;
    }

  return TRUE;
}

/* An actor that answers each event whose label is some @replies[i].on
 * with a child event: one per matching reply, in order. It runs on
 * @context, or on a thread of its own if %NULL. @replies ends with an
 * element whose on is %NULL, and must outlive the actor. */
TestActor *
test_replier_new (GMainContext    *context,
                  const TestReply *replies)
{
  TestActor *self = test_actor_new_bound (context);

  self->handle = reply_to_event;
  self->data = (gpointer) replies;

  return self;
}

/* A thread that was joined may stay listed in /proc/self/task a moment
 * longer: waits, within the test's bound, for the count to be @expected,
 * and returns the last count seen. */
guint
test_wait_thread_count (guint expected)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_USEC_PER_SEC;
  guint n;

  while ((n = test_count_threads ()) != expected && g_get_monotonic_time () < deadline)
    g_usleep (1000);

  return n;
}

/* Waits until @done holds, looking every millisecond, for at most the
 * tests' bound: for what another thread changes without telling. */
gboolean
test_poll_until (gboolean (*done) (gpointer data),
                 gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_usleep (1000);

  return done (data);
}

/* Whether the process's RSS tells about our memory: AddressSanitizer
 * keeps freed memory in quarantine, ThreadSanitizer and memcheck shadow
 * every byte (tests/meson.build's valgrind setup says when it runs). */
gboolean
test_rss_is_meaningful (void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return FALSE;
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return FALSE;
# endif
#endif
  return g_getenv ("MAIKO_TEST_UNDER_VALGRIND") == NULL;
}

/* A field of /proc/self/status in KiB, such as "VmRSS:" or "VmSize:". */
guint64
test_read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);

  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

/* Stops @sup, one of whose actors failed with @message (as the first
 * failure): stop reports it. */
void
test_stop_failed (MaikoSupervisor *sup,
                  const char      *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (maiko_supervisor_stop (sup, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (maiko_supervisor_is_running (sup));
}
