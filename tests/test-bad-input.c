/* test-bad-input.c: every public entry point, called with each kind of bad
 * argument it can get, fails cleanly and leaves the runtime working
 *
 * A programming error (NULL where an object is needed, a wrong type, a
 * setter called too late, a GError already set) is a critical from
 * g_return_if_fail(), as in GLib. Bad data (an empty or non-UTF-8 name, an
 * unknown policy, a state the call cannot be made in) is a GError. After
 * each bad call, the teardown checks that the same supervisors, actors and
 * monitors still work: an event sent is handled, a supervisor not started
 * yet starts and delivers, and the recording reads back.
 *
 * SPDX-License-Identifier: MIT
 */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-util.h"

#define BAD_UTF8 "\xc3\x28"

/* Fixture: one runtime in each state */

typedef struct
{
  /* Started, with "a" on the default topic and three monitors. */
  MaikoSupervisor      *running;
  TestActor            *actor;
  MaikoContext         *context;
  MaikoEnvelope        *envelope;        /* one that "a" handled */
  guint                 sent;            /* events sent to "a" so far */
  MaikoActorMonitor    *actor_monitor;
  MaikoTracer          *tracer;
  MaikoRecorder        *recorder;
  GMemoryOutputStream  *recording;

  /* Not started, with "b" on the default topic. */
  MaikoSupervisor      *fresh;
  TestActor            *fresh_actor;

  /* Started and stopped, with "c". */
  MaikoSupervisor      *stopped;
  TestActor            *stopped_actor;
  MaikoContext         *stopped_context;

  /* Added nowhere. */
  TestActor            *spare;
  MaikoMonitor         *spare_monitor;

  /* Read from a valid line. */
  MaikoRecord          *record;
} Fixture;

static const char valid_line[] =
  "{\"hook\":\"event-handled\",\"time\":1,\"id\":\"f100109f-70f8-46c0-b726-6a9e4ce2ed0a\","
  "\"parent_id\":null,\"label\":\"work\",\"topic\":\"work\",\"sender\":\"supervisor\","
  "\"receiver\":\"left\",\"timestamp\":1,\"payload\":[7,\"seven\"],\"payload_type\":\"(xs)\"}";

static void
send_one (Fixture *f)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Ping", g_variant_new_uint32 (f->sent));

  g_assert_true (maiko_supervisor_send (f->running, event, NULL));
  g_assert_true (test_actor_wait_handled (f->actor, ++f->sent));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GOutputStream *stream = g_memory_output_stream_new_resizable ();

  f->running = maiko_supervisor_new ();
  f->actor = test_actor_new ();
  f->actor->keep_envelopes = TRUE;
  test_add (f->running, "a", f->actor, MAIKO_DEFAULT_TOPIC);
  f->context = maiko_actor_get_context (MAIKO_ACTOR (f->actor));
  f->actor_monitor = maiko_actor_monitor_new ();
  f->tracer = maiko_tracer_new ();
  f->recording = G_MEMORY_OUTPUT_STREAM (stream);
  f->recorder = maiko_recorder_new_for_stream (stream);
  g_assert_true (maiko_supervisor_add_monitor (f->running, MAIKO_MONITOR (f->actor_monitor), NULL));
  g_assert_true (maiko_supervisor_add_monitor (f->running, MAIKO_MONITOR (f->tracer), NULL));
  g_assert_true (maiko_supervisor_add_monitor (f->running, MAIKO_MONITOR (f->recorder), NULL));
  g_assert_true (maiko_supervisor_start (f->running, NULL));
  send_one (f);
  f->envelope = maiko_envelope_ref (g_ptr_array_index (f->actor->received, 0));

  f->fresh = maiko_supervisor_new ();
  f->fresh_actor = test_actor_new ();
  test_add (f->fresh, "b", f->fresh_actor, MAIKO_DEFAULT_TOPIC);

  f->stopped = maiko_supervisor_new ();
  f->stopped_actor = test_actor_new ();
  test_add (f->stopped, "c", f->stopped_actor, MAIKO_DEFAULT_TOPIC);
  f->stopped_context = g_object_ref (maiko_actor_get_context (MAIKO_ACTOR (f->stopped_actor)));
  g_assert_true (maiko_supervisor_start (f->stopped, NULL));
  g_assert_true (maiko_supervisor_stop (f->stopped, NULL));

  f->spare = test_actor_new ();
  f->spare_monitor = maiko_monitor_new ();

  f->record = maiko_record_parse_line (valid_line, -1, NULL);
  g_assert_nonnull (f->record);
}

/* The check that gives every test its point: whatever the bad call was,
 * nothing it touched is broken. */
static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("StillThere", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  /* The running supervisor delivers, and its monitors watch. */
  send_one (f);
  g_assert_true (maiko_actor_is_running (MAIKO_ACTOR (f->actor)));
  maiko_monitor_flush (MAIKO_MONITOR (f->actor_monitor));
  g_assert_true (maiko_actor_monitor_is_alive (f->actor_monitor, "a"));
  g_assert_cmpuint (maiko_supervisor_get_undelivered_count (f->running), ==, 0);
  g_assert_cmpuint (maiko_supervisor_get_dropped_count (f->running), ==, 0);
  g_assert_true (maiko_supervisor_stop (f->running, NULL));
  g_assert_cmpuint (f->actor->n_errors, ==, 0);
  g_assert_cmpuint (f->actor->n_shutdowns, ==, 1);

  /* The recording is complete and reads back. */
  g_assert_true (maiko_recorder_close (f->recorder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_recorder_get_lost_count (f->recorder), ==, 0);
  bytes = g_memory_output_stream_steal_as_bytes (f->recording);
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, maiko_recorder_get_written_count (f->recorder));
  /* Registered, three hooks per event, stopped; and one for each event
   * "a" sent itself, which nobody else receives. */
  g_assert_cmpuint (records->len, ==,
                    2 + 3 * f->sent + maiko_supervisor_get_unrouted_count (f->running));

  /* The supervisor not started yet starts and delivers. */
  g_assert_true (maiko_supervisor_start (f->fresh, NULL));
  g_assert_true (maiko_supervisor_send (f->fresh, event, NULL));
  g_assert_true (test_actor_wait_handled (f->fresh_actor, 1));
  g_assert_true (maiko_supervisor_stop (f->fresh, NULL));
  g_assert_cmpuint (f->fresh_actor->n_errors, ==, 0);

  g_clear_pointer (&f->record, maiko_record_unref);
  g_clear_object (&f->spare_monitor);
  g_clear_object (&f->spare);
  g_clear_object (&f->stopped_context);
  g_clear_object (&f->stopped_actor);
  g_clear_object (&f->stopped);
  g_clear_object (&f->fresh_actor);
  g_clear_object (&f->fresh);
  g_clear_object (&f->recorder);
  g_clear_object (&f->recording);
  g_clear_object (&f->tracer);
  g_clear_object (&f->actor_monitor);
  g_clear_pointer (&f->envelope, maiko_envelope_unref);
  g_clear_object (&f->actor);
  g_clear_object (&f->running);
}

/* Calls that are a programming error: a critical, and the "failed" value.
 *
 * Each X (name, statement) below becomes a test /bad-input/critical/name
 * (with dashes for underscores) that runs the statement expecting one
 * critical from Maiko; the statement checks what the call returned. The
 * fixture's teardown then checks that nothing is broken. */

static GError *set_error = NULL;   /* a GError already set, as a bad error argument */

static gboolean topic_func_destroyed;

static char *
unused_topic_func (MaikoEvent *event,
                   gpointer    user_data)
{
  g_assert_not_reached ();
}

static void
count_destroy (gpointer data)
{
  topic_func_destroyed = TRUE;
}

static void
ready_unused (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_assert_not_reached ();
}

static const char * const empty_topic[] = { "", NULL };
static const char * const bad_utf8_topic[] = { BAD_UTF8, NULL };
static const char * const all_topics[] = { MAIKO_TOPIC_ALL, NULL };

#define CRITICAL_CALLS(X) \
  /* MaikoEvent */ \
  X (event_new_null_label,        g_assert_null (maiko_event_new (NULL, NULL))) \
  X (event_new_empty_label,       g_assert_null (maiko_event_new ("", NULL))) \
  X (event_new_bad_utf8_label,    g_assert_null (maiko_event_new (BAD_UTF8, NULL))) \
  X (event_ref_null,              g_assert_null (maiko_event_ref (NULL))) \
  X (event_unref_null,            maiko_event_unref (NULL)) \
  X (event_get_label_null,        g_assert_null (maiko_event_get_label (NULL))) \
  X (event_get_payload_null,      g_assert_null (maiko_event_get_payload (NULL))) \
  X (event_try_new_error_set,     g_assert_null (maiko_event_try_new ("x", NULL, &set_error))) \
  X (event_new_int64_null_label,  g_assert_null (maiko_event_new_int64 (NULL, 1))) \
  X (event_new_int64_empty_label, g_assert_null (maiko_event_new_int64 ("", 1))) \
  X (event_new_int64_bad_utf8,    g_assert_null (maiko_event_new_int64 (BAD_UTF8, 1))) \
  X (event_get_int64_null,        g_assert_false (maiko_event_get_int64 (NULL, NULL))) \
  /* MaikoEnvelope */ \
  X (envelope_ref_null,           g_assert_null (maiko_envelope_ref (NULL))) \
  X (envelope_unref_null,         maiko_envelope_unref (NULL)) \
  X (envelope_get_event_null,     g_assert_null (maiko_envelope_get_event (NULL))) \
  X (envelope_get_id_null,        g_assert_null (maiko_envelope_get_id (NULL))) \
  X (envelope_get_sender_null,    g_assert_null (maiko_envelope_get_sender (NULL))) \
  X (envelope_get_parent_id_null, g_assert_null (maiko_envelope_get_parent_id (NULL))) \
  X (envelope_get_topic_null,     g_assert_null (maiko_envelope_get_topic (NULL))) \
  X (envelope_get_timestamp_null, g_assert_cmpint (maiko_envelope_get_timestamp (NULL), ==, 0)) \
  X (envelope_get_timestamp_ns_null, g_assert_cmpint (maiko_envelope_get_timestamp_ns (NULL), ==, 0)) \
  /* MaikoActor: NULL, not an actor, out of range, too late */ \
  X (actor_get_name_null,         g_assert_null (maiko_actor_get_name (NULL))) \
  X (actor_get_name_not_actor,    g_assert_null (maiko_actor_get_name ((MaikoActor *) f->running))) \
  X (actor_get_context_null,      g_assert_null (maiko_actor_get_context (NULL))) \
  X (actor_get_mailbox_capacity_null, g_assert_cmpuint (maiko_actor_get_mailbox_capacity (NULL), ==, 0)) \
  X (actor_set_mailbox_capacity_null, maiko_actor_set_mailbox_capacity (NULL, 4)) \
  X (actor_set_mailbox_capacity_negative, maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (f->spare), (guint) -1)) \
  X (actor_set_mailbox_capacity_too_large, maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (f->spare), (guint) G_MAXINT32 + 1)) \
  X (actor_set_mailbox_capacity_added, maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (f->actor), 1)) \
  X (actor_set_mailbox_capacity_fresh, maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (f->fresh_actor), 1)) \
  X (actor_get_max_events_per_tick_null, g_assert_cmpuint (maiko_actor_get_max_events_per_tick (NULL), ==, 0)) \
  X (actor_set_max_events_per_tick_null, maiko_actor_set_max_events_per_tick (NULL, 4)) \
  X (actor_set_max_events_per_tick_negative, maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (f->spare), (guint) -1)) \
  X (actor_set_max_events_per_tick_added, maiko_actor_set_max_events_per_tick (MAIKO_ACTOR (f->actor), 1)) \
  X (actor_get_main_context_null, g_assert_null (maiko_actor_get_main_context (NULL))) \
  X (actor_set_main_context_null, maiko_actor_set_main_context (NULL, NULL)) \
  X (actor_set_main_context_added, maiko_actor_set_main_context (MAIKO_ACTOR (f->actor), g_main_context_default ())) \
  X (actor_get_publishes_null,    g_assert_null (maiko_actor_get_publishes (NULL))) \
  X (actor_set_publishes_null,    maiko_actor_set_publishes (NULL, NULL)) \
  X (actor_set_publishes_empty_topic, maiko_actor_set_publishes (MAIKO_ACTOR (f->spare), empty_topic)) \
  X (actor_set_publishes_bad_utf8, maiko_actor_set_publishes (MAIKO_ACTOR (f->spare), bad_utf8_topic)) \
  X (actor_set_publishes_all,     maiko_actor_set_publishes (MAIKO_ACTOR (f->spare), all_topics)) \
  X (actor_set_publishes_added,   maiko_actor_set_publishes (MAIKO_ACTOR (f->actor), NULL)) \
  X (actor_is_running_null,       g_assert_false (maiko_actor_is_running (NULL))) \
  /* MaikoContext */ \
  X (context_get_name_null,       g_assert_null (maiko_context_get_name (NULL))) \
  X (context_get_actor_null,      g_assert_null (maiko_context_get_actor (NULL))) \
  X (context_send_null,           g_assert_false (maiko_context_send (NULL, NULL, NULL))) \
  X (context_send_null_event,     g_assert_false (maiko_context_send (f->context, NULL, NULL))) \
  X (context_send_error_set,      g_assert_false (maiko_context_send (f->context, maiko_envelope_get_event (f->envelope), &set_error))) \
  X (context_send_child_null,     g_assert_false (maiko_context_send_child_event (NULL, NULL, NULL, NULL))) \
  X (context_send_child_null_event, g_assert_false (maiko_context_send_child_event (f->context, NULL, NULL, NULL))) \
  X (context_send_child_empty_parent, g_assert_false (maiko_context_send_child_event (f->context, maiko_envelope_get_event (f->envelope), "", NULL))) \
  X (context_stop_null,           maiko_context_stop (NULL)) \
  X (context_stop_runtime_null,   maiko_context_stop_runtime (NULL)) \
  X (context_is_sender_full_null, g_assert_false (maiko_context_is_sender_full (NULL))) \
  X (context_set_backoff_null,    maiko_context_set_backoff (NULL, 10)) \
  X (context_fail_null,           maiko_context_fail (NULL, set_error)) \
  X (context_fail_null_error,     maiko_context_fail (f->context, NULL)) \
  X (context_fail_outside_callback, maiko_context_fail (f->context, set_error)) \
  /* MaikoSupervisor */ \
  X (supervisor_add_actor_null,   g_assert_false (maiko_supervisor_add_actor (NULL, "x", MAIKO_ACTOR (f->spare), NULL, NULL))) \
  X (supervisor_add_actor_null_name, g_assert_false (maiko_supervisor_add_actor (f->running, NULL, MAIKO_ACTOR (f->spare), NULL, NULL))) \
  X (supervisor_add_actor_null_actor, g_assert_false (maiko_supervisor_add_actor (f->running, "x", NULL, NULL, NULL))) \
  X (supervisor_add_actor_not_actor, g_assert_false (maiko_supervisor_add_actor (f->running, "x", (MaikoActor *) f->spare_monitor, NULL, NULL))) \
  X (supervisor_add_actor_error_set, g_assert_false (maiko_supervisor_add_actor (f->fresh, "x", MAIKO_ACTOR (f->spare), NULL, &set_error))) \
  X (supervisor_get_actor_null,   g_assert_null (maiko_supervisor_get_actor (NULL, "a"))) \
  X (supervisor_get_actor_null_name, g_assert_null (maiko_supervisor_get_actor (f->running, NULL))) \
  X (supervisor_set_topic_func_null, g_assert_false (maiko_supervisor_set_topic_func (NULL, unused_topic_func, NULL, count_destroy, NULL))) \
  X (supervisor_set_route_by_label_null, g_assert_false (maiko_supervisor_set_route_by_label (NULL, NULL))) \
  X (supervisor_set_topic_policy_null, g_assert_false (maiko_supervisor_set_topic_policy (NULL, "t", MAIKO_OVERFLOW_POLICY_DROP, NULL))) \
  X (supervisor_set_topic_policy_null_topic, g_assert_false (maiko_supervisor_set_topic_policy (f->running, NULL, MAIKO_OVERFLOW_POLICY_DROP, NULL))) \
  X (supervisor_get_topic_policy_null, g_assert_cmpint (maiko_supervisor_get_topic_policy (NULL, "t"), ==, MAIKO_OVERFLOW_POLICY_FAIL)) \
  X (supervisor_get_topic_policy_null_topic, g_assert_cmpint (maiko_supervisor_get_topic_policy (f->running, NULL), ==, MAIKO_OVERFLOW_POLICY_FAIL)) \
  X (supervisor_to_json_null,     g_assert_null (maiko_supervisor_to_json (NULL))) \
  X (supervisor_to_mermaid_null,  g_assert_null (maiko_supervisor_to_mermaid (NULL))) \
  X (supervisor_start_null,       g_assert_false (maiko_supervisor_start (NULL, NULL))) \
  X (supervisor_start_error_set,  g_assert_false (maiko_supervisor_start (f->fresh, &set_error))) \
  X (supervisor_join_null,        g_assert_false (maiko_supervisor_join (NULL, NULL))) \
  X (supervisor_run_null,         g_assert_false (maiko_supervisor_run (NULL, NULL))) \
  X (supervisor_stop_null,        g_assert_false (maiko_supervisor_stop (NULL, NULL))) \
  X (supervisor_stop_error_set,   g_assert_false (maiko_supervisor_stop (f->running, &set_error))) \
  X (supervisor_send_null,        g_assert_false (maiko_supervisor_send (NULL, NULL, NULL))) \
  X (supervisor_send_null_event,  g_assert_false (maiko_supervisor_send (f->running, NULL, NULL))) \
  X (supervisor_send_async_null,  maiko_supervisor_send_async (NULL, maiko_envelope_get_event (f->envelope), NULL, ready_unused, NULL)) \
  X (supervisor_send_async_null_event, maiko_supervisor_send_async (f->running, NULL, NULL, ready_unused, NULL)) \
  X (supervisor_send_async_not_cancellable, maiko_supervisor_send_async (f->running, maiko_envelope_get_event (f->envelope), (GCancellable *) f->running, ready_unused, NULL)) \
  X (supervisor_send_finish_null_result, g_assert_false (maiko_supervisor_send_finish (f->running, NULL, NULL))) \
  X (supervisor_join_async_null,  maiko_supervisor_join_async (NULL, NULL, ready_unused, NULL)) \
  X (supervisor_join_async_not_cancellable, maiko_supervisor_join_async (f->running, (GCancellable *) f->running, ready_unused, NULL)) \
  X (supervisor_join_finish_null_result, g_assert_false (maiko_supervisor_join_finish (f->running, NULL, NULL))) \
  X (supervisor_stop_async_null,  maiko_supervisor_stop_async (NULL, NULL, ready_unused, NULL)) \
  X (supervisor_stop_async_not_cancellable, maiko_supervisor_stop_async (f->running, (GCancellable *) f->running, ready_unused, NULL)) \
  X (supervisor_stop_finish_null_result, g_assert_false (maiko_supervisor_stop_finish (f->running, NULL, NULL))) \
  X (supervisor_is_running_null,  g_assert_false (maiko_supervisor_is_running (NULL))) \
  X (supervisor_get_undelivered_count_null, g_assert_cmpuint (maiko_supervisor_get_undelivered_count (NULL), ==, 0)) \
  X (supervisor_get_dropped_count_null, g_assert_cmpuint (maiko_supervisor_get_dropped_count (NULL), ==, 0)) \
  X (supervisor_add_monitor_null, g_assert_false (maiko_supervisor_add_monitor (NULL, f->spare_monitor, NULL))) \
  X (supervisor_add_monitor_null_monitor, g_assert_false (maiko_supervisor_add_monitor (f->running, NULL, NULL))) \
  X (supervisor_add_monitor_not_monitor, g_assert_false (maiko_supervisor_add_monitor (f->running, (MaikoMonitor *) f->spare, NULL))) \
  X (supervisor_remove_monitor_null, g_assert_false (maiko_supervisor_remove_monitor (NULL, f->spare_monitor, NULL))) \
  X (supervisor_remove_monitor_null_monitor, g_assert_false (maiko_supervisor_remove_monitor (f->running, NULL, NULL))) \
  X (supervisor_pause_monitoring_null, maiko_supervisor_pause_monitoring (NULL)) \
  X (supervisor_resume_monitoring_null, maiko_supervisor_resume_monitoring (NULL)) \
  /* MaikoMonitor and the built-in monitors */ \
  X (monitor_pause_null,          maiko_monitor_pause (NULL)) \
  X (monitor_resume_null,         maiko_monitor_resume (NULL)) \
  X (monitor_is_paused_null,      g_assert_false (maiko_monitor_is_paused (NULL))) \
  X (monitor_flush_null,          maiko_monitor_flush (NULL)) \
  X (monitor_flush_not_monitor,   maiko_monitor_flush ((MaikoMonitor *) f->spare)) \
  X (monitor_get_dropped_count_null, g_assert_cmpuint (maiko_monitor_get_dropped_count (NULL), ==, 0)) \
  X (monitor_dup_supervisor_null, g_assert_null (maiko_monitor_dup_supervisor (NULL))) \
  X (monitor_get_main_context_null, g_assert_null (maiko_monitor_get_main_context (NULL))) \
  X (monitor_get_lossless_null,   g_assert_false (maiko_monitor_get_lossless (NULL))) \
  X (monitor_set_lossless_null,   maiko_monitor_set_lossless (NULL, TRUE)) \
  X (monitor_get_capacity_null,   g_assert_cmpuint (maiko_monitor_get_capacity (NULL), ==, 0)) \
  X (monitor_set_capacity_null,   maiko_monitor_set_capacity (NULL, 8)) \
  X (monitor_set_capacity_too_big, maiko_monitor_set_capacity (f->spare_monitor, G_MAXUINT)) \
  X (actor_monitor_dup_actors_null, g_assert_null (maiko_actor_monitor_dup_actors (NULL))) \
  X (actor_monitor_dup_stopped_actors_null, g_assert_null (maiko_actor_monitor_dup_stopped_actors (NULL))) \
  X (actor_monitor_is_alive_null, g_assert_false (maiko_actor_monitor_is_alive (NULL, "a"))) \
  X (actor_monitor_is_alive_null_name, g_assert_false (maiko_actor_monitor_is_alive (f->actor_monitor, NULL))) \
  X (actor_monitor_is_stopped_null, g_assert_false (maiko_actor_monitor_is_stopped (NULL, "a"))) \
  X (actor_monitor_is_stopped_null_name, g_assert_false (maiko_actor_monitor_is_stopped (f->actor_monitor, NULL))) \
  X (actor_monitor_get_overflow_count_null, g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (NULL, "a"), ==, 0)) \
  X (actor_monitor_get_overflow_count_null_name, g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (f->actor_monitor, NULL), ==, 0)) \
  X (actor_monitor_wrong_type,    g_assert_null (maiko_actor_monitor_dup_actors ((MaikoActorMonitor *) f->tracer))) \
  /* MaikoRecorder */ \
  X (recorder_new_null_path,      g_assert_null (maiko_recorder_new (NULL, NULL))) \
  X (recorder_new_error_set,      g_assert_null (maiko_recorder_new ("/dev/null", &set_error))) \
  X (recorder_new_for_stream_null, g_assert_null (maiko_recorder_new_for_stream (NULL))) \
  X (recorder_new_for_stream_not_stream, g_assert_null (maiko_recorder_new_for_stream ((GOutputStream *) f->spare))) \
  X (recorder_flush_null,         g_assert_false (maiko_recorder_flush (NULL, NULL))) \
  X (recorder_flush_wrong_type,   g_assert_false (maiko_recorder_flush ((MaikoRecorder *) f->tracer, NULL))) \
  X (recorder_close_null,         g_assert_false (maiko_recorder_close (NULL, NULL))) \
  X (recorder_get_error_null,     g_assert_null (maiko_recorder_get_error (NULL))) \
  X (recorder_get_written_count_null, g_assert_cmpuint (maiko_recorder_get_written_count (NULL), ==, 0)) \
  X (recorder_get_lost_count_null, g_assert_cmpuint (maiko_recorder_get_lost_count (NULL), ==, 0)) \
  X (recorder_read_bytes_null,    g_assert_null (maiko_recorder_read_bytes (NULL, NULL))) \
  X (recorder_read_file_null,     g_assert_null (maiko_recorder_read_file (NULL, NULL))) \
  X (recorder_read_file_error_set, g_assert_null (maiko_recorder_read_file ("/dev/null", &set_error))) \
  X (recorder_read_bytes_prefix_null, g_assert_null (maiko_recorder_read_bytes_prefix (NULL, NULL, NULL))) \
  X (recorder_read_file_prefix_null, g_assert_null (maiko_recorder_read_file_prefix (NULL, NULL, NULL, NULL))) \
  X (recorder_read_file_prefix_line_error_set, g_assert_null (maiko_recorder_read_file_prefix ("/dev/null", &set_error, NULL, NULL))) \
  X (recorder_read_file_prefix_error_set, g_assert_null (maiko_recorder_read_file_prefix ("/dev/null", NULL, NULL, &set_error))) \
  /* MaikoRecord */ \
  X (record_parse_line_null,      g_assert_null (maiko_record_parse_line (NULL, -1, NULL))) \
  X (record_parse_line_error_set, g_assert_null (maiko_record_parse_line (valid_line, -1, &set_error))) \
  X (record_ref_null,             g_assert_null (maiko_record_ref (NULL))) \
  X (record_unref_null,           maiko_record_unref (NULL)) \
  X (record_get_hook_null,        g_assert_cmpint (maiko_record_get_hook (NULL), ==, 0)) \
  X (record_get_time_null,        g_assert_cmpint (maiko_record_get_time (NULL), ==, 0)) \
  X (record_get_id_null,          g_assert_null (maiko_record_get_id (NULL))) \
  X (record_get_parent_id_null,   g_assert_null (maiko_record_get_parent_id (NULL))) \
  X (record_get_label_null,       g_assert_null (maiko_record_get_label (NULL))) \
  X (record_get_payload_null,     g_assert_null (maiko_record_get_payload (NULL))) \
  X (record_get_sender_null,      g_assert_null (maiko_record_get_sender (NULL))) \
  X (record_get_receiver_null,    g_assert_null (maiko_record_get_receiver (NULL))) \
  X (record_get_topic_null,       g_assert_null (maiko_record_get_topic (NULL))) \
  X (record_get_timestamp_null,   g_assert_cmpint (maiko_record_get_timestamp (NULL), ==, 0)) \
  X (record_get_policy_null,      g_assert_cmpint (maiko_record_get_policy (NULL), ==, MAIKO_OVERFLOW_POLICY_FAIL)) \
  X (record_get_actor_null,       g_assert_null (maiko_record_get_actor (NULL))) \
  X (record_get_error_domain_null, g_assert_null (maiko_record_get_error_domain (NULL))) \
  X (record_get_error_code_null,  g_assert_cmpint (maiko_record_get_error_code (NULL), ==, 0)) \
  X (record_get_error_message_null, g_assert_null (maiko_record_get_error_message (NULL)))

typedef struct
{
  const char *name;
  void      (*call) (Fixture *f);
} CriticalCall;

#define DEFINE_CRITICAL_CALL(name, statement) \
  static void critical_call_##name (Fixture *f) { statement; }
#define CRITICAL_CALL_ENTRY(name, statement) { #name, critical_call_##name },

CRITICAL_CALLS (DEFINE_CRITICAL_CALL)

static const CriticalCall critical_calls[] = {
  CRITICAL_CALLS (CRITICAL_CALL_ENTRY)
};

static void
test_critical (Fixture       *f,
               gconstpointer  data)
{
  const CriticalCall *call = data;

  topic_func_destroyed = FALSE;
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*assertion*");
  call->call (f);
  g_test_assert_expected_messages ();
  /* A failed precondition takes no ownership of what it was given. */
  g_assert_false (topic_func_destroyed);
}

/* Calls given bad data or made in the wrong state: a GError.
 *
 * Each X (name, expression, domain, code) becomes a test
 * /bad-input/error/name that evaluates the expression (FALSE for a
 * failure, with @error set) and checks the error. */

#define EVENT (maiko_envelope_get_event (f->envelope))
#define FRESH_CONTEXT (maiko_actor_get_context (MAIKO_ACTOR (f->fresh_actor)))

static const char * const default_topic[] = { MAIKO_DEFAULT_TOPIC, NULL };
static const char * const all_and_more[] = { MAIKO_TOPIC_ALL, "a", NULL };
static const char * const more_and_all[] = { "a", MAIKO_TOPIC_ALL, NULL };
static const char * const topic_twice[] = { "a", "b", "a", NULL };

static const char line_with_nul[] = "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":\"a\0b\"}";

/* Before start, sends wait for it, at most broker-capacity of them: the
 * third of a supervisor of two is refused. */
static gboolean
send_beyond_capacity_before_start (GError **error)
{
  g_autoptr(MaikoSupervisor) sup = g_object_new (MAIKO_TYPE_SUPERVISOR, "broker-capacity", 2, NULL);
  g_autoptr(MaikoEvent) event = maiko_event_new ("Early", NULL);

  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  return maiko_supervisor_send (sup, event, error);
}

/* maiko_event_try_new() with a bad label: the payload is taken anyway. */
static gboolean
try_new_event (const char  *label,
               GError     **error)
{
  g_autoptr(MaikoEvent) event = maiko_event_try_new (label, g_variant_new_string ("kept?"), error);

  return event != NULL;
}

#define ERROR_CALLS(X) \
  /* MaikoEvent */ \
  X (event_try_new_null_label,    try_new_event (NULL, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (event_try_new_empty_label,   try_new_event ("", error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (event_try_new_bad_utf8_label, try_new_event (BAD_UTF8, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  /* MaikoContext */ \
  X (context_send_fresh,          maiko_context_send (FRESH_CONTEXT, EVENT, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (context_send_stopped,        maiko_context_send (f->stopped_context, EVENT, error), MAIKO_ERROR, MAIKO_ERROR_STOPPED) \
  X (context_send_child_bad_utf8_parent, maiko_context_send_child_event (f->context, EVENT, BAD_UTF8, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (context_send_child_bad_utf8_parent_late, maiko_context_send_child_event (f->context, EVENT, "ok" BAD_UTF8, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (context_send_child_bad_utf8_parent_stopped, maiko_context_send_child_event (f->stopped_context, EVENT, BAD_UTF8, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (context_send_child_stopped,  maiko_context_send_child_event (f->stopped_context, EVENT, maiko_envelope_get_id (f->envelope), error), MAIKO_ERROR, MAIKO_ERROR_STOPPED) \
  /* MaikoSupervisor: add_actor, on a running and on a fresh supervisor */ \
  X (add_actor_empty_name,        maiko_supervisor_add_actor (f->running, "", MAIKO_ACTOR (f->spare), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_bad_utf8_name,     maiko_supervisor_add_actor (f->running, BAD_UTF8, MAIKO_ACTOR (f->spare), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_reserved_name,     maiko_supervisor_add_actor (f->running, MAIKO_SUPERVISOR_NAME, MAIKO_ACTOR (f->spare), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_empty_topic,       maiko_supervisor_add_actor (f->running, "x", MAIKO_ACTOR (f->spare), empty_topic, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_bad_utf8_topic,    maiko_supervisor_add_actor (f->fresh, "x", MAIKO_ACTOR (f->spare), bad_utf8_topic, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_all_and_more,      maiko_supervisor_add_actor (f->fresh, "x", MAIKO_ACTOR (f->spare), all_and_more, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_more_and_all,      maiko_supervisor_add_actor (f->running, "x", MAIKO_ACTOR (f->spare), more_and_all, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_topic_twice,       maiko_supervisor_add_actor (f->running, "x", MAIKO_ACTOR (f->spare), topic_twice, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_actor_name_taken,        maiko_supervisor_add_actor (f->running, "a", MAIKO_ACTOR (f->spare), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR) \
  X (add_actor_added_here,        maiko_supervisor_add_actor (f->running, "x", MAIKO_ACTOR (f->actor), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR) \
  X (add_actor_added_elsewhere,   maiko_supervisor_add_actor (f->fresh, "x", MAIKO_ACTOR (f->actor), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_DUPLICATE_ACTOR) \
  X (add_actor_stopped,           maiko_supervisor_add_actor (f->stopped, "x", MAIKO_ACTOR (f->spare), default_topic, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  /* routing and policies */ \
  X (set_topic_func_running,      maiko_supervisor_set_topic_func (f->running, unused_topic_func, NULL, count_destroy, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (set_topic_func_stopped,      maiko_supervisor_set_topic_func (f->stopped, unused_topic_func, NULL, count_destroy, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (set_route_by_label_running,  maiko_supervisor_set_route_by_label (f->running, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (set_route_by_label_stopped,  maiko_supervisor_set_route_by_label (f->stopped, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (set_topic_policy_empty_topic, maiko_supervisor_set_topic_policy (f->running, "", MAIKO_OVERFLOW_POLICY_DROP, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_bad_utf8_topic, maiko_supervisor_set_topic_policy (f->fresh, BAD_UTF8, MAIKO_OVERFLOW_POLICY_DROP, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_all,        maiko_supervisor_set_topic_policy (f->running, MAIKO_TOPIC_ALL, MAIKO_OVERFLOW_POLICY_DROP, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_next_value, maiko_supervisor_set_topic_policy (f->running, MAIKO_DEFAULT_TOPIC, (MaikoOverflowPolicy) (MAIKO_OVERFLOW_POLICY_BLOCK + 1), error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_42,         maiko_supervisor_set_topic_policy (f->fresh, MAIKO_DEFAULT_TOPIC, (MaikoOverflowPolicy) 42, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_negative,   maiko_supervisor_set_topic_policy (f->running, MAIKO_DEFAULT_TOPIC, (MaikoOverflowPolicy) -1, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_int_max,    maiko_supervisor_set_topic_policy (f->running, MAIKO_DEFAULT_TOPIC, (MaikoOverflowPolicy) G_MAXINT, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_int_min,    maiko_supervisor_set_topic_policy (f->running, MAIKO_DEFAULT_TOPIC, (MaikoOverflowPolicy) G_MININT, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (set_topic_policy_stopped,    maiko_supervisor_set_topic_policy (f->stopped, "t", MAIKO_OVERFLOW_POLICY_DROP, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  /* lifecycle */ \
  X (start_running,               maiko_supervisor_start (f->running, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (start_stopped,               maiko_supervisor_start (f->stopped, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (run_running,                 maiko_supervisor_run (f->running, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (run_stopped,                 maiko_supervisor_run (f->stopped, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (join_fresh,                  maiko_supervisor_join (f->fresh, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (stop_fresh,                  maiko_supervisor_stop (f->fresh, error), MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE) \
  X (send_fresh_beyond_capacity,  send_beyond_capacity_before_start (error), MAIKO_ERROR, MAIKO_ERROR_MAILBOX_FULL) \
  X (send_stopped,                maiko_supervisor_send (f->stopped, EVENT, error), MAIKO_ERROR, MAIKO_ERROR_STOPPED) \
  /* monitors */ \
  X (add_monitor_twice,           maiko_supervisor_add_monitor (f->running, MAIKO_MONITOR (f->recorder), error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (add_monitor_added_elsewhere, maiko_supervisor_add_monitor (f->fresh, MAIKO_MONITOR (f->tracer), error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (remove_monitor_never_added,  maiko_supervisor_remove_monitor (f->running, f->spare_monitor, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (remove_monitor_added_elsewhere, maiko_supervisor_remove_monitor (f->stopped, MAIKO_MONITOR (f->actor_monitor), error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  /* MaikoRecorder: paths */ \
  X (recorder_new_empty_path,     maiko_recorder_new ("", error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) \
  X (recorder_new_missing_dir,    maiko_recorder_new ("/nonexistent-maiko-dir/run.jsonl", error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) \
  X (recorder_new_directory,      maiko_recorder_new ("/", error) != NULL, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) \
  X (recorder_read_file_empty_path, maiko_recorder_read_file ("", error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) \
  X (recorder_read_file_missing,  maiko_recorder_read_file ("/nonexistent-maiko-dir/run.jsonl", error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) \
  X (recorder_read_file_bad_utf8_path, maiko_recorder_read_file ("/nonexistent-maiko-" BAD_UTF8, error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) \
  X (recorder_read_file_directory, maiko_recorder_read_file ("/", error) != NULL, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) \
  X (recorder_read_file_device,   maiko_recorder_read_file ("/dev/null", error) != NULL, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE) \
  /* MaikoRecord and MaikoRecorder: lines */ \
  X (record_parse_empty,          maiko_record_parse_line ("", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_empty_length,   maiko_record_parse_line (valid_line, 0, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_cut,            maiko_record_parse_line (valid_line, 40, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_bad_utf8,       maiko_record_parse_line ("{\"hook\":\"" BAD_UTF8 "\"}", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_nul,            maiko_record_parse_line (line_with_nul, sizeof line_with_nul - 1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_empty_object,   maiko_record_parse_line ("{}", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_array,          maiko_record_parse_line ("[]", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_null,           maiko_record_parse_line ("null", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_deep,           parse_deep_line (error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  /* JsonParser quotes the decoded string in its message: still UTF-8 (found by fuzz-record) */ \
  X (record_parse_bad_json_lone_surrogate, maiko_record_parse_line ("{\"a\":\"\\ud800\" \"b\"}", -1, error) != NULL, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (recorder_read_bytes_bad_json_lone_surrogate, read_bytes_of ("\n{\"hook\":\"x\\ud800y\":1}\n", error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (record_parse_too_long,       parse_too_long_line (error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (recorder_read_bytes_bad_line, read_bytes_with_bad_line (error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT)

/* 10,000 nested arrays, in the payload of an otherwise valid line. */
static gboolean
parse_deep_line (GError **error)
{
  g_autoptr(GString) line = g_string_new (valid_line);
  g_autoptr(MaikoRecord) record = NULL;
  gsize at = strstr (line->str, "[7,") - line->str;

  for (guint i = 0; i < 10000; i++)
    g_string_insert_c (line, at, '[');
  record = maiko_record_parse_line (line->str, line->len, error);

  return record != NULL;
}

/* A line one byte longer than allowed: refused before it is parsed. */
static gboolean
parse_too_long_line (GError **error)
{
  gsize length = MAIKO_RECORD_MAX_LINE_LENGTH + 1;
  g_autofree char *line = g_malloc (length);
  g_autoptr(MaikoRecord) record = NULL;

  memset (line, ' ', length);
  memcpy (line, valid_line, strlen (valid_line));
  record = maiko_record_parse_line (line, length, error);

  return record != NULL;
}

static gboolean
read_bytes_of (const char  *text,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) records = maiko_recorder_read_bytes (bytes, error);

  return records != NULL;
}

static gboolean
read_bytes_with_bad_line (GError **error)
{
  char *text = g_strdup_printf ("%s\n\n%s\n{\"hook\":\"nope\"}\n", valid_line, valid_line);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GPtrArray) records = maiko_recorder_read_bytes (bytes, error);

  if (records == NULL)
    g_assert_true (g_str_has_prefix ((*error)->message, "line 4: "));
  return records != NULL;
}

typedef struct
{
  const char *name;
  gboolean  (*call) (Fixture *f, GError **error);
  GQuark    (*domain) (void);
  gint        code;
} ErrorCall;

#define DEFINE_ERROR_CALL(name, expression, domain, code) \
  static gboolean error_call_##name (Fixture *f, GError **error) { return expression; }
#define ERROR_CALL_ENTRY(name, expression, domain_, code_) \
  { #name, error_call_##name, domain_##_quark_func, code_ },

/* The domains, as functions a static table can hold: ERROR_CALL_ENTRY
 * pastes _quark_func to the domain's name, before MAIKO_ERROR or
 * G_IO_ERROR would expand to a call. */
#define MAIKO_ERROR_quark_func maiko_error_quark
#define G_IO_ERROR_quark_func g_io_error_quark

ERROR_CALLS (DEFINE_ERROR_CALL)

static const ErrorCall error_calls[] = {
  ERROR_CALLS (ERROR_CALL_ENTRY)
};

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  const ErrorCall *call = data;
  g_autoptr(GError) error = NULL;

  topic_func_destroyed = FALSE;
  g_assert_false (call->call (f, &error));
  g_assert_error (error, call->domain (), call->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* A routing function given too late is freed at once. */
  if (g_str_has_prefix (call->name, "set_topic_func"))
    g_assert_true (topic_func_destroyed);
}

/* Out-of-range property values: GObject warns and keeps the default. */

typedef struct
{
  const char *name;
  GType     (*get_type) (void);
  const char *property;
  guint       value;
  guint       default_value;
} BadProperty;

static const BadProperty bad_properties[] = {
  { "supervisor-mailbox-capacity-zero", maiko_supervisor_get_type, "mailbox-capacity", 0, 128 },
  { "supervisor-mailbox-capacity-negative", maiko_supervisor_get_type, "mailbox-capacity", (guint) -1, 128 },
  { "supervisor-mailbox-capacity-too-large", maiko_supervisor_get_type, "mailbox-capacity", (guint) G_MAXINT32 + 1, 128 },
  { "supervisor-broker-capacity-zero", maiko_supervisor_get_type, "broker-capacity", 0, 256 },
  { "supervisor-broker-capacity-negative", maiko_supervisor_get_type, "broker-capacity", (guint) -1, 256 },
  { "supervisor-max-events-per-tick-zero", maiko_supervisor_get_type, "max-events-per-tick", 0, 10 },
  { "supervisor-max-events-per-tick-negative", maiko_supervisor_get_type, "max-events-per-tick", (guint) -1, 10 },
  { "supervisor-monitoring-capacity-zero", maiko_supervisor_get_type, "monitoring-capacity", 0, 1024 },
  { "supervisor-monitoring-capacity-negative", maiko_supervisor_get_type, "monitoring-capacity", (guint) -1, 1024 },
  { "actor-mailbox-capacity-negative", test_actor_get_type, "mailbox-capacity", (guint) -1, 0 },
  { "actor-mailbox-capacity-too-large", test_actor_get_type, "mailbox-capacity", (guint) G_MAXINT32 + 1, 0 },
  { "actor-max-events-per-tick-negative", test_actor_get_type, "max-events-per-tick", (guint) -1, 0 },
};

/* Runs @sup with @actor: an event sent is handled. */
static void
assert_runs (MaikoSupervisor *sup,
             TestActor       *actor)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);

  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (test_actor_wait_handled (actor, 1));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (actor->n_errors, ==, 0);
}

static void
test_bad_property (gconstpointer data)
{
  const BadProperty *bad = data;
  g_autoptr(GObject) object = NULL;
  g_autoptr(MaikoSupervisor) sup = NULL;
  g_autoptr(TestActor) actor = NULL;
  guint value = 0;

  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*out of range*");
  object = g_object_new (bad->get_type (), bad->property, bad->value, NULL);
  g_test_assert_expected_messages ();
  g_object_get (object, bad->property, &value, NULL);
  g_assert_cmpuint (value, ==, bad->default_value);

  if (MAIKO_IS_SUPERVISOR (object))
    {
      /* Construct-only: it cannot be set later either. */
      g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*construct*");
      g_object_set (object, bad->property, 4, NULL);
      g_test_assert_expected_messages ();

      sup = MAIKO_SUPERVISOR (g_steal_pointer (&object));
      actor = test_actor_new ();
    }
  else
    {
      actor = TEST_ACTOR (g_steal_pointer (&object));
      g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*out of range*");
      g_object_set (actor, bad->property, bad->value, NULL);
      g_test_assert_expected_messages ();
      g_object_get (actor, bad->property, &value, NULL);
      g_assert_cmpuint (value, ==, bad->default_value);

      sup = maiko_supervisor_new ();
    }

  assert_runs (sup, actor);
}

/* The _async forms report a wrong state through their callback. */

typedef struct
{
  GAsyncResult *result;
} Pending;

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;

  pending->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Pending *) data)->result != NULL;
}

typedef enum
{
  ASYNC_SEND,
  ASYNC_JOIN,
  ASYNC_STOP,
} AsyncCall;

static void
assert_async_fails (MaikoSupervisor *sup,
                    AsyncCall        call,
                    MaikoEvent      *event,
                    gint             code)
{
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };
  gboolean ok = TRUE;

  switch (call)
    {
    case ASYNC_SEND:
      maiko_supervisor_send_async (sup, event, NULL, keep_result, &pending);
      break;
    case ASYNC_JOIN:
      maiko_supervisor_join_async (sup, NULL, keep_result, &pending);
      break;
    case ASYNC_STOP:
      maiko_supervisor_stop_async (sup, NULL, keep_result, &pending);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_true (test_iterate_until (NULL, has_result, &pending));

  switch (call)
    {
    case ASYNC_SEND:
      ok = maiko_supervisor_send_finish (sup, pending.result, &error);
      break;
    case ASYNC_JOIN:
      ok = maiko_supervisor_join_finish (sup, pending.result, &error);
      break;
    case ASYNC_STOP:
      ok = maiko_supervisor_stop_finish (sup, pending.result, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_false (ok);
  g_assert_error (error, MAIKO_ERROR, code);
  g_object_unref (pending.result);
}

static void
test_async_wrong_state (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };

  assert_async_fails (f->stopped, ASYNC_SEND, EVENT, MAIKO_ERROR_STOPPED);
  assert_async_fails (f->fresh, ASYNC_JOIN, NULL, MAIKO_ERROR_WRONG_STATE);
  assert_async_fails (f->fresh, ASYNC_STOP, NULL, MAIKO_ERROR_WRONG_STATE);

  /* A result finished on the wrong supervisor is a critical; the right
   * one still finishes it. */
  maiko_supervisor_send_async (f->stopped, EVENT, NULL, keep_result, &pending);
  g_assert_true (test_iterate_until (NULL, has_result, &pending));
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (maiko_supervisor_send_finish (f->running, pending.result, NULL));
  g_test_assert_expected_messages ();
  g_assert_false (maiko_supervisor_send_finish (f->stopped, pending.result, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
  g_object_unref (pending.result);
}

/* A context kept after its actor is gone. */
static void
test_context_without_actor (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);
  g_autoptr(MaikoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  TestActor *actor = test_actor_new ();

  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  context = g_object_ref (maiko_actor_get_context (MAIKO_ACTOR (actor)));
  g_object_unref (actor);
  g_clear_object (&sup);

  g_assert_null (maiko_context_get_name (context));
  g_assert_null (maiko_context_get_actor (context));
  g_assert_false (maiko_context_is_sender_full (context));
  maiko_context_stop (context);
  maiko_context_stop_runtime (context);
  maiko_context_set_backoff (context, 5);
  g_assert_false (maiko_context_send (context, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_context_send_child_event (context, event, "parent", &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
}

/* Odd but valid input: accepted quietly (a message would be fatal here). */
static void
test_accepted (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_path = NULL;
  int fd;

  /* Lookups of names nobody could have. */
  g_assert_null (maiko_supervisor_get_actor (f->running, ""));
  g_assert_null (maiko_supervisor_get_actor (f->running, BAD_UTF8));
  g_assert_cmpint (maiko_supervisor_get_topic_policy (f->running, BAD_UTF8), ==, MAIKO_OVERFLOW_POLICY_FAIL);
  g_assert_cmpint (maiko_supervisor_get_topic_policy (f->running, ""), ==, MAIKO_OVERFLOW_POLICY_FAIL);
  g_assert_false (maiko_actor_monitor_is_alive (f->actor_monitor, BAD_UTF8));
  g_assert_false (maiko_actor_monitor_is_stopped (f->actor_monitor, ""));
  g_assert_cmpuint (maiko_actor_monitor_get_overflow_count (f->actor_monitor, "nobody"), ==, 0);

  /* Stopping what is stopped, and contexts of stopped actors. */
  g_assert_true (maiko_supervisor_stop (f->stopped, NULL));
  maiko_context_stop (f->stopped_context);
  maiko_context_stop_runtime (f->stopped_context);
  maiko_context_set_backoff (f->stopped_context, 0);
  g_assert_false (maiko_context_is_sender_full (f->stopped_context));

  /* Extreme backoffs on a running actor whose step never runs. */
  maiko_context_set_backoff (f->context, 0);
  maiko_context_set_backoff (f->context, G_MAXUINT);

  /* A parent id need not be an envelope's; "a" does not get its own. */
  g_assert_true (maiko_context_send_child_event (f->context, EVENT, "not a UUID, \"quoted\"\n", NULL));

  /* Default routing, set explicitly. */
  g_assert_true (maiko_supervisor_set_topic_func (f->fresh, NULL, NULL, NULL, NULL));

  /* Pausing twice, resuming twice. */
  maiko_supervisor_pause_monitoring (f->running);
  maiko_supervisor_pause_monitoring (f->running);
  maiko_supervisor_resume_monitoring (f->running);
  maiko_supervisor_resume_monitoring (f->running);
  maiko_monitor_pause (f->spare_monitor);
  maiko_monitor_resume (f->spare_monitor);
  maiko_monitor_resume (f->spare_monitor);
  maiko_monitor_flush (f->spare_monitor);
  g_assert_null (maiko_monitor_dup_supervisor (f->spare_monitor));
  g_assert_null (maiko_monitor_get_main_context (f->spare_monitor));

  /* A recorder never added, flushed and closed twice. */
  g_assert_true (maiko_recorder_flush (recorder, NULL));
  g_assert_true (maiko_recorder_close (recorder, NULL));
  g_assert_true (maiko_recorder_close (recorder, NULL));
  g_assert_true (maiko_recorder_flush (recorder, NULL));
  g_assert_null (maiko_recorder_get_error (recorder));

  /* Nothing to read is no record. */
  records = maiko_recorder_read_bytes (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);
  fd = g_file_open_tmp ("maiko-empty-XXXXXX.jsonl", &empty_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_close (fd, NULL));
  records = maiko_recorder_read_file (empty_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_assert_cmpint (g_remove (empty_path), ==, 0);
}

/* A recorder without a stream is a critical at construction, and then
 * counts every record as lost. */
static void
test_recorder_without_stream (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autoptr(TestActor) actor = test_actor_new ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*assertion*");
  recorder = g_object_new (MAIKO_TYPE_RECORDER, NULL);
  g_test_assert_expected_messages ();

  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  assert_runs (sup, actor);
  g_assert_true (maiko_recorder_flush (recorder, NULL));
  g_assert_cmpuint (maiko_recorder_get_written_count (recorder), ==, 0);
  g_assert_cmpuint (maiko_recorder_get_lost_count (recorder), >, 0);
  g_assert_true (maiko_recorder_close (recorder, NULL));
}

/* Names, topics and labels that are valid UTF-8 but full of what a
 * JSON, Mermaid or log writer must escape. */
static void
test_odd_names (void)
{
  static const char * const names[] = {
    "quote\"back\\slash", "new\nline", "tab\tcontrol\x01", "x]-->y;%%", "<b>&amp;", "é😀", NULL,
  };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) topology = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *mermaid = NULL;
  g_autofree char *long_name = g_strnfill (64 * 1024, 'n');
  JsonArray *listed;
  guint n_handled = 0;

  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  for (guint i = 0; names[i] != NULL; i++)
    {
      TestActor *actor = test_actor_new ();
      const char *topics[] = { names[i], NULL };

      maiko_actor_set_publishes (MAIKO_ACTOR (actor), topics);
      g_assert_true (maiko_supervisor_set_topic_policy (sup, names[i], MAIKO_OVERFLOW_POLICY_DROP, NULL));
      g_assert_true (maiko_supervisor_add_actor (sup, names[i], MAIKO_ACTOR (actor), topics, NULL));
      g_ptr_array_add (actors, actor);
    }
  g_ptr_array_add (actors, test_actor_new ());
  test_add (sup, long_name, g_ptr_array_index (actors, actors->len - 1), long_name);

  json = maiko_supervisor_to_json (sup);
  topology = json_from_string (json, &error);
  g_assert_no_error (error);
  listed = json_object_get_array_member (json_node_get_object (topology), "actors");
  g_assert_cmpuint (json_array_get_length (listed), ==, actors->len);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, i), "name"),
                     ==, names[i]);

  /* Escaped: no name breaks a line or a label. */
  mermaid = maiko_supervisor_to_mermaid (sup);
  g_assert_true (g_utf8_validate (mermaid, -1, NULL));
  for (const char *p = mermaid; *p != '\0'; p++)
    g_assert_true (*p == '\n' || !g_ascii_iscntrl (*p));
  g_assert_null (strstr (mermaid, "quote\""));
  g_assert_null (strstr (mermaid, "<b>"));

  g_assert_true (maiko_supervisor_start (sup, NULL));
  for (guint i = 0; i < actors->len; i++)
    {
      TestActor *actor = g_ptr_array_index (actors, i);
      const char *name = maiko_actor_get_name (MAIKO_ACTOR (actor));
      g_autoptr(MaikoEvent) event = maiko_event_new (name, g_variant_new_string (name));

      g_assert_true (maiko_supervisor_send (sup, event, NULL));
      g_assert_true (test_actor_wait_handled (actor, 1));
    }
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_true (maiko_recorder_close (recorder, NULL));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      MaikoRecord *record = g_ptr_array_index (records, i);

      if (maiko_record_get_hook (record) != MAIKO_RECORD_HOOK_EVENT_HANDLED)
        continue;
      n_handled++;
      g_assert_cmpstr (maiko_record_get_label (record), ==, maiko_record_get_receiver (record));
      g_assert_cmpstr (maiko_record_get_topic (record), ==, maiko_record_get_receiver (record));
      g_assert_cmpstr (g_variant_get_string (maiko_record_get_payload (record), NULL),
                       ==, maiko_record_get_receiver (record));
      g_assert_nonnull (maiko_supervisor_get_actor (sup, maiko_record_get_receiver (record)));
    }
  g_assert_cmpuint (n_handled, ==, actors->len);
}

/* Payloads of every type, deep and huge: delivered whole (the receivers
 * share the sender's value), and recorded so that the file reads back. */

typedef enum
{
  RECORDED_EQUAL,       /* read back equal */
  RECORDED_OMITTED,     /* too large or too deep: recorded without it */
} Recorded;

typedef struct
{
  const char *name;
  GVariant  *(*make) (void);
  Recorded    recorded;
} BadPayload;

static GVariant *
nest_variants (guint depth)
{
  GVariant *value = g_variant_new_int32 (depth);

  for (guint i = 0; i < depth; i++)
    value = g_variant_new_variant (value);
  return value;
}

static GVariant *
nest_arrays (guint depth)
{
  GVariant *value = g_variant_new_int32 (depth);

  for (guint i = 0; i < depth; i++)
    value = g_variant_new_array (NULL, &value, 1);
  return value;
}

static GVariant *
nest_tuples (guint depth)
{
  GVariant *value = g_variant_new_boolean (TRUE);

  for (guint i = 0; i < depth; i++)
    value = g_variant_new_tuple (&value, 1);
  return value;
}

static GVariant *
bytes_of_size (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i * 7;
  return g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, data, size, TRUE, g_free, data);
}

/* Bytes that are not the normal form of their type, as read from a
 * file or the network without checking. */
static GVariant *
not_normal (const char *type)
{
  static const guint8 garbage[] = { 0xff, 0x00, 0x7f, 0x80, 's', 0, 'v', 0x03, 0xfe, 0x01, 0x00, 0x2a };

  return g_variant_new_from_data (G_VARIANT_TYPE (type), garbage, sizeof garbage, FALSE, NULL, NULL);
}

static GVariant *make_boolean (void) { return g_variant_new_boolean (TRUE); }
static GVariant *make_byte (void) { return g_variant_new_byte (0xff); }
static GVariant *make_int16 (void) { return g_variant_new_int16 (G_MININT16); }
static GVariant *make_uint16 (void) { return g_variant_new_uint16 (G_MAXUINT16); }
static GVariant *make_int32 (void) { return g_variant_new_int32 (G_MININT32); }
static GVariant *make_uint32 (void) { return g_variant_new_uint32 (G_MAXUINT32); }
static GVariant *make_int64 (void) { return g_variant_new_int64 (G_MININT64); }
static GVariant *make_uint64 (void) { return g_variant_new_uint64 (G_MAXUINT64); }
static GVariant *make_handle (void) { return g_variant_new_handle (-1); }
static GVariant *make_double (void) { return g_variant_new_double (G_PI); }
static GVariant *make_double_nan (void) { return g_variant_new_double (NAN); }
static GVariant *make_double_infinity (void) { return g_variant_new_double (-INFINITY); }
static GVariant *make_double_subnormal (void) { return g_variant_new_double (5e-324); }
static GVariant *make_double_exponent (void) { return g_variant_new_double (1e22); }
static GVariant *make_string_empty (void) { return g_variant_new_string (""); }
static GVariant *make_string_odd (void) { return g_variant_new_string ("quote\" back\\ nl\n tab\t ctl\x01 é 😀 \xef\xbf\xbf"); }
static GVariant *make_object_path (void) { return g_variant_new_object_path ("/org/example/Maiko"); }
static GVariant *make_signature (void) { return g_variant_new_signature ("a{sv}(ii)"); }
static GVariant *make_variant (void) { return nest_variants (3); }
static GVariant *make_maybe_nothing (void) { return g_variant_new_maybe (G_VARIANT_TYPE_INT32, NULL); }
static GVariant *make_maybe_just (void) { return g_variant_new_maybe (NULL, g_variant_new_string ("x")); }
static GVariant *make_maybe_maybe (void) { return g_variant_new_parsed ("@mmi just nothing"); }
static GVariant *make_unit (void) { return g_variant_new_tuple (NULL, 0); }
static GVariant *make_empty_array (void) { return g_variant_new_parsed ("@aas []"); }
static GVariant *make_empty_dict (void) { return g_variant_new_parsed ("@a{sv} {}"); }
static GVariant *make_dict (void) { return g_variant_new_parsed ("{'n': <int32 1>, 'd': <3.5>, 'v': <<'deep'>>, '': <@ay []>}"); }
static GVariant *make_dict_int_keys (void) { return g_variant_new_parsed ("{1: 'one', -1: 'minus one'}"); }
static GVariant *make_tuples (void) { return g_variant_new_parsed ("(1, ('s', (true, (2.5, @mi nothing))), [(byte 1, int16 -2)])"); }
static GVariant *make_bytestring (void) { return g_variant_new_bytestring ("bytes\x01\xff"); }
static GVariant *make_bytes_64k (void) { return bytes_of_size (64 * 1024); }
static GVariant *make_not_normal_tuple (void) { return not_normal ("(sa{sv}as)"); }
static GVariant *make_not_normal_variant (void) { return not_normal ("v"); }
static GVariant *make_not_normal_arrays (void) { return not_normal ("aa(ys)"); }
static GVariant *make_variants_127 (void) { return nest_variants (126); }
static GVariant *make_arrays_127 (void) { return nest_arrays (127); }
static GVariant *make_variants_10000 (void) { return nest_variants (10000); }
static GVariant *make_arrays_10000 (void) { return nest_arrays (10000); }
static GVariant *make_tuples_1000 (void) { return nest_tuples (1000); }
static GVariant *make_bytes_64m (void) { return bytes_of_size (64 * 1024 * 1024); }

static const BadPayload bad_payloads[] = {
  { "boolean", make_boolean, RECORDED_EQUAL },
  { "byte", make_byte, RECORDED_EQUAL },
  { "int16", make_int16, RECORDED_EQUAL },
  { "uint16", make_uint16, RECORDED_EQUAL },
  { "int32", make_int32, RECORDED_EQUAL },
  { "uint32", make_uint32, RECORDED_EQUAL },
  { "int64", make_int64, RECORDED_EQUAL },
  { "uint64", make_uint64, RECORDED_EQUAL },
  { "handle", make_handle, RECORDED_EQUAL },
  { "double", make_double, RECORDED_EQUAL },
  { "double-nan", make_double_nan, RECORDED_EQUAL },
  { "double-infinity", make_double_infinity, RECORDED_EQUAL },
  { "double-subnormal", make_double_subnormal, RECORDED_EQUAL },
  { "double-exponent", make_double_exponent, RECORDED_EQUAL },
  { "string-empty", make_string_empty, RECORDED_EQUAL },
  { "string-odd", make_string_odd, RECORDED_EQUAL },
  { "object-path", make_object_path, RECORDED_EQUAL },
  { "signature", make_signature, RECORDED_EQUAL },
  { "variant", make_variant, RECORDED_EQUAL },
  { "maybe-nothing", make_maybe_nothing, RECORDED_EQUAL },
  { "maybe-just", make_maybe_just, RECORDED_EQUAL },
  { "maybe-maybe", make_maybe_maybe, RECORDED_EQUAL },
  { "unit", make_unit, RECORDED_EQUAL },
  { "empty-array", make_empty_array, RECORDED_EQUAL },
  { "empty-dict", make_empty_dict, RECORDED_EQUAL },
  { "dict", make_dict, RECORDED_EQUAL },
  { "dict-int-keys", make_dict_int_keys, RECORDED_EQUAL },
  { "tuples", make_tuples, RECORDED_EQUAL },
  { "bytestring", make_bytestring, RECORDED_EQUAL },
  { "bytes-64k", make_bytes_64k, RECORDED_EQUAL },
  { "not-normal-tuple", make_not_normal_tuple, RECORDED_EQUAL },
  { "not-normal-variant", make_not_normal_variant, RECORDED_EQUAL },
  { "not-normal-arrays", make_not_normal_arrays, RECORDED_EQUAL },
  { "variants-127-deep", make_variants_127, RECORDED_EQUAL },
  { "arrays-127-deep", make_arrays_127, RECORDED_EQUAL },
  { "variants-10000-deep", make_variants_10000, RECORDED_OMITTED },
  { "arrays-10000-deep", make_arrays_10000, RECORDED_OMITTED },
  { "tuples-1000-deep", make_tuples_1000, RECORDED_OMITTED },
  { "bytes-64m", make_bytes_64m, RECORDED_OMITTED },
};

/* The line of the event-handled record of the event labelled @label. */
static JsonObject *
find_handled_line (GBytes     *bytes,
                   const char *label,
                   JsonNode  **root)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;
      *root = json_from_string (lines[i], NULL);
      g_assert_nonnull (*root);
      object = json_node_get_object (*root);
      if (g_str_equal (json_object_get_string_member (object, "hook"), "event-handled") &&
          g_str_equal (json_object_get_string_member (object, "label"), label))
        return object;
      g_clear_pointer (root, json_node_unref);
    }

  g_assert_not_reached ();
}

static void
test_payload (gconstpointer data)
{
  const BadPayload *bad = data;
  g_autoptr(GVariant) payload = g_variant_ref_sink (bad->make ());
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
  g_autoptr(MaikoActorMonitor) actor_monitor = maiko_actor_monitor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Payload", payload);
  g_autoptr(MaikoEvent) after = maiko_event_new ("After", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  MaikoEnvelope *envelope;
  JsonObject *line;
  guint n_recorded = 0;

  actor->keep_envelopes = TRUE;
  test_add (sup, "a", actor, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL));
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (actor_monitor), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (test_actor_wait_handled (actor, 1));

  /* Shared, never copied. */
  envelope = g_ptr_array_index (actor->received, 0);
  g_assert_true (maiko_event_get_payload (maiko_envelope_get_event (envelope)) == payload);

  /* The runtime goes on. */
  g_assert_true (maiko_supervisor_send (sup, after, NULL));
  g_assert_true (test_actor_wait_handled (actor, 2));
  g_assert_true (maiko_actor_monitor_is_alive (actor_monitor, "a") ||
                 maiko_supervisor_is_running (sup));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (actor->n_errors, ==, 0);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_monitor_get_dropped_count (MAIKO_MONITOR (recorder)), ==, 0);

  /* The whole recording reads back. */
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2 + 3 * 2);
  for (guint i = 0; i < records->len; i++)
    {
      MaikoRecord *record = g_ptr_array_index (records, i);
      GVariant *recorded;

      if (g_strcmp0 (maiko_record_get_label (record), "Payload") != 0)
        continue;
      n_recorded++;
      recorded = maiko_record_get_payload (record);
      if (bad->recorded == RECORDED_EQUAL)
        {
          g_assert_nonnull (recorded);
          g_assert_cmpstr (g_variant_get_type_string (recorded), ==, g_variant_get_type_string (payload));
          g_assert_true (g_variant_equal (recorded, payload));
        }
      else
        {
          g_assert_null (recorded);
        }
    }
  g_assert_cmpuint (n_recorded, ==, 3);

  /* What was left out is said. */
  line = find_handled_line (bytes, "Payload", &root);
  if (bad->recorded == RECORDED_OMITTED)
    {
      g_assert_cmpstr (json_object_get_string_member (line, "omitted_payload_type"),
                       ==, g_variant_get_type_string (payload));
      g_assert_cmpint (json_object_get_int_member (line, "omitted_payload_size"),
                       ==, g_variant_get_size (payload));
    }
  else
    {
      g_assert_false (json_object_has_member (line, "omitted_payload_type"));
    }
}

/* The reader takes time linear in a payload's length (json-glib alone is
 * quadratic: this line took minutes). */
static void
test_record_long_array (void)
{
  const guint n = 1000 * 1000;
  g_autoptr(GString) line = g_string_new (valid_line);
  g_autoptr(MaikoRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *payload = strstr (line->str, "[7,\"seven\"],\"payload_type\":\"(xs)\"");
  g_autoptr(GString) tail = g_string_new ("],\"payload_type\":\"ay\"}");
  GVariant *value;

  g_string_truncate (line, payload - line->str + 1);
  for (guint i = 0; i < n; i++)
    g_string_append (line, i == 0 ? "7" : ",7");
  g_string_append (line, tail->str);

  record = maiko_record_parse_line (line->str, line->len, &error);
  g_assert_no_error (error);
  value = maiko_record_get_payload (record);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "ay");
  g_assert_cmpuint (g_variant_n_children (value), ==, n);
}

/* The test harness and its spies, queries, matchers and chains */

typedef struct
{
  MaikoSupervisor   *sup;             /* started, with "a" on the default topic */
  TestActor         *actor;
  MaikoHarness      *harness;
  guint              sent;            /* events sent with send_as */
  char              *id;              /* the first one's id */
  MaikoEventQuery   *events;
  MaikoEventEntry   *entry;           /* borrowed from events */
  MaikoEventSpy     *event_spy;
  MaikoActorSpy     *actor_spy;
  MaikoTopicSpy     *topic_spy;
  MaikoEventChain   *chain;
  MaikoActorTrace   *actor_trace;
  MaikoEventTrace   *event_trace;
  MaikoEventMatcher *matcher;
  MaikoSupervisor   *stopped;         /* started and stopped, with its own harness */
  MaikoHarness      *stopped_harness;
} HarnessFixture;

static gboolean
has_sent (MaikoEventQuery *events,
          gpointer         user_data)
{
  HarnessFixture *h = user_data;

  return maiko_event_query_count (events) >= h->sent;
}

static void
harness_send_one (HarnessFixture *h)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Ping", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* The last settle stopped recording. */
  maiko_harness_record (h->harness);
  id = maiko_harness_send_as (h->harness, MAIKO_SUPERVISOR_NAME, event, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (id));
  h->sent++;
  if (h->id == NULL)
    h->id = g_steal_pointer (&id);
  g_assert_true (test_actor_wait_handled (h->actor, h->sent));
  g_assert_true (maiko_harness_settle_on (h->harness, TEST_TIMEOUT_S * 1000, has_sent, h, &error));
  g_assert_no_error (error);
}

static void
harness_fixture_set_up (HarnessFixture *h,
                        gconstpointer   data)
{
  h->sup = maiko_supervisor_new ();
  h->actor = test_actor_new ();
  test_add (h->sup, "a", h->actor, MAIKO_DEFAULT_TOPIC);
  h->harness = maiko_harness_new (h->sup);
  g_assert_true (maiko_supervisor_start (h->sup, NULL));
  harness_send_one (h);

  h->events = maiko_harness_events (h->harness);
  h->entry = maiko_event_query_first (h->events);
  g_assert_nonnull (h->entry);
  h->event_spy = maiko_harness_event (h->harness, h->id);
  h->actor_spy = maiko_harness_actor (h->harness, "a");
  h->topic_spy = maiko_harness_topic (h->harness, MAIKO_DEFAULT_TOPIC);
  h->chain = maiko_harness_chain (h->harness, h->id);
  h->actor_trace = maiko_event_chain_actors (h->chain);
  h->event_trace = maiko_event_chain_events (h->chain);
  h->matcher = maiko_event_matcher_by_label ("Ping");

  h->stopped = maiko_supervisor_new ();
  h->stopped_harness = maiko_harness_new (h->stopped);
  g_assert_true (maiko_supervisor_start (h->stopped, NULL));
  g_assert_true (maiko_supervisor_stop (h->stopped, NULL));
}

static void
harness_fixture_tear_down (HarnessFixture *h,
                           gconstpointer   data)
{
  g_autoptr(MaikoEventQuery) events = NULL;

  /* The harness still sends, records and answers. */
  harness_send_one (h);
  g_assert_cmpuint (maiko_harness_delivery_count (h->harness), ==, h->sent);
  events = maiko_harness_events (h->harness);
  g_assert_cmpuint (maiko_event_query_count (events), ==, h->sent);
  g_assert_true (maiko_event_query_has_receiver (events, "a"));
  g_assert_true (maiko_event_spy_was_delivered_to (h->event_spy, "a"));
  g_assert_true (maiko_supervisor_stop (h->sup, NULL));
  g_assert_cmpuint (h->actor->n_errors, ==, 0);

  g_clear_object (&h->stopped_harness);
  g_clear_object (&h->stopped);
  g_clear_object (&h->matcher);
  g_clear_object (&h->event_trace);
  g_clear_object (&h->actor_trace);
  g_clear_object (&h->chain);
  g_clear_object (&h->topic_spy);
  g_clear_object (&h->actor_spy);
  g_clear_object (&h->event_spy);
  g_clear_object (&h->events);
  g_clear_pointer (&h->id, g_free);
  g_clear_object (&h->harness);
  g_clear_object (&h->actor);
  g_clear_object (&h->sup);
}

static gboolean
never_query (MaikoEventQuery *events,
             gpointer         user_data)
{
  return FALSE;
}

static const char * const some_actors[] = { "a", NULL };

#define HARNESS_CRITICAL_CALLS(X) \
  /* MaikoHarness */ \
  X (harness_new_null,            g_assert_null (maiko_harness_new (NULL))) \
  X (harness_new_not_supervisor,  g_assert_null (maiko_harness_new ((MaikoSupervisor *) h->actor))) \
  X (harness_record_null,         maiko_harness_record (NULL)) \
  X (harness_stop_recording_null, maiko_harness_stop_recording (NULL)) \
  X (harness_is_recording_null,   g_assert_false (maiko_harness_is_recording (NULL))) \
  X (harness_reset_null,          maiko_harness_reset (NULL)) \
  X (harness_send_as_null,        g_assert_null (maiko_harness_send_as (NULL, "a", maiko_event_entry_get_event (h->entry), NULL))) \
  X (harness_send_as_null_actor,  g_assert_null (maiko_harness_send_as (h->harness, NULL, maiko_event_entry_get_event (h->entry), NULL))) \
  X (harness_send_as_null_event,  g_assert_null (maiko_harness_send_as (h->harness, "a", NULL, NULL))) \
  X (harness_send_as_error_set,   g_assert_null (maiko_harness_send_as (h->harness, "a", maiko_event_entry_get_event (h->entry), &set_error))) \
  X (harness_settle_null,         maiko_harness_settle (NULL)) \
  X (harness_settle_on_null,      g_assert_false (maiko_harness_settle_on (NULL, 0, never_query, NULL, NULL))) \
  X (harness_settle_on_null_predicate, g_assert_false (maiko_harness_settle_on (h->harness, 0, NULL, NULL, NULL))) \
  X (harness_settle_on_error_set, g_assert_false (maiko_harness_settle_on (h->harness, 0, never_query, NULL, &set_error))) \
  X (harness_settle_on_event_null, g_assert_false (maiko_harness_settle_on_event (NULL, "Ping", 0, NULL))) \
  X (harness_settle_on_event_null_label, g_assert_false (maiko_harness_settle_on_event (h->harness, NULL, 0, NULL))) \
  X (harness_settle_on_event_matching_null, g_assert_false (maiko_harness_settle_on_event_matching (NULL, h->matcher, 0, NULL))) \
  X (harness_settle_on_event_matching_null_matcher, g_assert_false (maiko_harness_settle_on_event_matching (h->harness, NULL, 0, NULL))) \
  X (harness_events_null,         g_assert_null (maiko_harness_events (NULL))) \
  X (harness_event_null,          g_assert_null (maiko_harness_event (NULL, h->id))) \
  X (harness_event_null_id,       g_assert_null (maiko_harness_event (h->harness, NULL))) \
  X (harness_actor_null,          g_assert_null (maiko_harness_actor (NULL, "a"))) \
  X (harness_actor_null_name,     g_assert_null (maiko_harness_actor (h->harness, NULL))) \
  X (harness_topic_null,          g_assert_null (maiko_harness_topic (NULL, "t"))) \
  X (harness_topic_null_topic,    g_assert_null (maiko_harness_topic (h->harness, NULL))) \
  X (harness_chain_null,          g_assert_null (maiko_harness_chain (NULL, h->id))) \
  X (harness_chain_null_id,       g_assert_null (maiko_harness_chain (h->harness, NULL))) \
  X (harness_dump_null,           maiko_harness_dump (NULL)) \
  X (harness_delivery_count_null, g_assert_cmpuint (maiko_harness_delivery_count (NULL), ==, 0)) \
  X (harness_wrong_type,          g_assert_cmpuint (maiko_harness_delivery_count ((MaikoHarness *) h->sup), ==, 0)) \
  /* MaikoEventEntry */ \
  X (event_entry_ref_null,        g_assert_null (maiko_event_entry_ref (NULL))) \
  X (event_entry_unref_null,      maiko_event_entry_unref (NULL)) \
  X (event_entry_get_envelope_null, g_assert_null (maiko_event_entry_get_envelope (NULL))) \
  X (event_entry_get_event_null,  g_assert_null (maiko_event_entry_get_event (NULL))) \
  X (event_entry_get_id_null,     g_assert_null (maiko_event_entry_get_id (NULL))) \
  X (event_entry_get_label_null,  g_assert_null (maiko_event_entry_get_label (NULL))) \
  X (event_entry_get_sender_null, g_assert_null (maiko_event_entry_get_sender (NULL))) \
  X (event_entry_get_receiver_null, g_assert_null (maiko_event_entry_get_receiver (NULL))) \
  X (event_entry_get_topic_null,  g_assert_null (maiko_event_entry_get_topic (NULL))) \
  X (event_entry_get_parent_id_null, g_assert_null (maiko_event_entry_get_parent_id (NULL))) \
  X (event_entry_get_timestamp_ns_null, g_assert_cmpint (maiko_event_entry_get_timestamp_ns (NULL), ==, 0)) \
  /* MaikoEventMatcher */ \
  X (event_matcher_by_label_null, g_assert_null (maiko_event_matcher_by_label (NULL))) \
  X (event_matcher_by_id_null,    g_assert_null (maiko_event_matcher_by_id (NULL))) \
  X (event_matcher_by_event_null, g_assert_null (maiko_event_matcher_by_event (NULL, NULL, count_destroy))) \
  X (event_matcher_by_entry_null, g_assert_null (maiko_event_matcher_by_entry (NULL, NULL, count_destroy))) \
  X (event_matcher_matches_null,  g_assert_false (maiko_event_matcher_matches (NULL, h->entry))) \
  X (event_matcher_matches_null_entry, g_assert_false (maiko_event_matcher_matches (h->matcher, NULL))) \
  /* MaikoEventQuery: filters */ \
  X (event_query_sent_by_null,    g_assert_null (maiko_event_query_sent_by (NULL, "a"))) \
  X (event_query_sent_by_null_actor, g_assert_null (maiko_event_query_sent_by (h->events, NULL))) \
  X (event_query_received_by_null, g_assert_null (maiko_event_query_received_by (NULL, "a"))) \
  X (event_query_received_by_null_actor, g_assert_null (maiko_event_query_received_by (h->events, NULL))) \
  X (event_query_with_topic_null, g_assert_null (maiko_event_query_with_topic (NULL, "t"))) \
  X (event_query_with_topic_null_topic, g_assert_null (maiko_event_query_with_topic (h->events, NULL))) \
  X (event_query_with_id_null,    g_assert_null (maiko_event_query_with_id (NULL, h->id))) \
  X (event_query_with_id_null_id, g_assert_null (maiko_event_query_with_id (h->events, NULL))) \
  X (event_query_children_of_null, g_assert_null (maiko_event_query_children_of (NULL, h->id))) \
  X (event_query_children_of_null_id, g_assert_null (maiko_event_query_children_of (h->events, NULL))) \
  X (event_query_with_label_null, g_assert_null (maiko_event_query_with_label (NULL, "Ping"))) \
  X (event_query_with_label_null_label, g_assert_null (maiko_event_query_with_label (h->events, NULL))) \
  X (event_query_matching_event_null, g_assert_null (maiko_event_query_matching_event (NULL, NULL, NULL))) \
  X (event_query_matching_event_null_predicate, g_assert_null (maiko_event_query_matching_event (h->events, NULL, NULL))) \
  X (event_query_matching_null,   g_assert_null (maiko_event_query_matching (NULL, NULL, NULL))) \
  X (event_query_matching_null_predicate, g_assert_null (maiko_event_query_matching (h->events, NULL, NULL))) \
  X (event_query_after_null,      g_assert_null (maiko_event_query_after (NULL, h->entry))) \
  X (event_query_after_null_entry, g_assert_null (maiko_event_query_after (h->events, NULL))) \
  X (event_query_before_null,     g_assert_null (maiko_event_query_before (NULL, h->entry))) \
  X (event_query_before_null_entry, g_assert_null (maiko_event_query_before (h->events, NULL))) \
  /* MaikoEventQuery: terminal operations */ \
  X (event_query_count_null,      g_assert_cmpuint (maiko_event_query_count (NULL), ==, 0)) \
  X (event_query_is_empty_null,   g_assert_true (maiko_event_query_is_empty (NULL))) \
  X (event_query_exists_null,     g_assert_false (maiko_event_query_exists (NULL))) \
  X (event_query_first_null,      g_assert_null (maiko_event_query_first (NULL))) \
  X (event_query_last_null,       g_assert_null (maiko_event_query_last (NULL))) \
  X (event_query_nth_null,        g_assert_null (maiko_event_query_nth (NULL, 0))) \
  X (event_query_collect_null,    g_assert_null (maiko_event_query_collect (NULL))) \
  X (event_query_all_deliveries_null, g_assert_null (maiko_event_query_all_deliveries (NULL))) \
  X (event_query_senders_null,    g_assert_null (maiko_event_query_senders (NULL))) \
  X (event_query_receivers_null,  g_assert_null (maiko_event_query_receivers (NULL))) \
  X (event_query_count_by_label_null, g_assert_null (maiko_event_query_count_by_label (NULL))) \
  X (event_query_all_null,        g_assert_false (maiko_event_query_all (NULL, NULL, NULL))) \
  X (event_query_all_null_predicate, g_assert_false (maiko_event_query_all (h->events, NULL, NULL))) \
  X (event_query_any_null,        g_assert_false (maiko_event_query_any (NULL, NULL, NULL))) \
  X (event_query_any_null_predicate, g_assert_false (maiko_event_query_any (h->events, NULL, NULL))) \
  X (event_query_has_event_null,  g_assert_false (maiko_event_query_has_event (NULL, "Ping"))) \
  X (event_query_has_event_null_label, g_assert_false (maiko_event_query_has_event (h->events, NULL))) \
  X (event_query_has_event_matching_null, g_assert_false (maiko_event_query_has_event_matching (NULL, h->matcher))) \
  X (event_query_has_event_matching_null_matcher, g_assert_false (maiko_event_query_has_event_matching (h->events, NULL))) \
  X (event_query_has_sender_null, g_assert_false (maiko_event_query_has_sender (NULL, "a"))) \
  X (event_query_has_sender_null_actor, g_assert_false (maiko_event_query_has_sender (h->events, NULL))) \
  X (event_query_has_receiver_null, g_assert_false (maiko_event_query_has_receiver (NULL, "a"))) \
  X (event_query_has_receiver_null_actor, g_assert_false (maiko_event_query_has_receiver (h->events, NULL))) \
  X (event_query_wrong_type,      g_assert_cmpuint (maiko_event_query_count ((MaikoEventQuery *) h->chain), ==, 0)) \
  /* MaikoEventSpy */ \
  X (event_spy_was_delivered_null, g_assert_false (maiko_event_spy_was_delivered (NULL))) \
  X (event_spy_was_delivered_to_null, g_assert_false (maiko_event_spy_was_delivered_to (NULL, "a"))) \
  X (event_spy_was_delivered_to_null_actor, g_assert_false (maiko_event_spy_was_delivered_to (h->event_spy, NULL))) \
  X (event_spy_not_delivered_to_null, g_assert_false (maiko_event_spy_not_delivered_to (NULL, "a"))) \
  X (event_spy_not_delivered_to_null_actor, g_assert_false (maiko_event_spy_not_delivered_to (h->event_spy, NULL))) \
  X (event_spy_was_delivered_to_all_null, g_assert_false (maiko_event_spy_was_delivered_to_all (NULL, some_actors))) \
  X (event_spy_was_delivered_to_all_null_actors, g_assert_false (maiko_event_spy_was_delivered_to_all (h->event_spy, NULL))) \
  X (event_spy_delivery_ratio_null, g_assert_cmpfloat (maiko_event_spy_delivery_ratio (NULL, some_actors), ==, 0.0)) \
  X (event_spy_delivery_ratio_null_actors, g_assert_cmpfloat (maiko_event_spy_delivery_ratio (h->event_spy, NULL), ==, 0.0)) \
  X (event_spy_sender_null,       g_assert_null (maiko_event_spy_sender (NULL))) \
  X (event_spy_receivers_null,    g_assert_null (maiko_event_spy_receivers (NULL))) \
  X (event_spy_receiver_count_null, g_assert_cmpuint (maiko_event_spy_receiver_count (NULL), ==, 0)) \
  X (event_spy_children_null,     g_assert_null (maiko_event_spy_children (NULL))) \
  /* MaikoActorSpy */ \
  X (actor_spy_inbound_null,      g_assert_null (maiko_actor_spy_inbound (NULL))) \
  X (actor_spy_events_received_null, g_assert_cmpuint (maiko_actor_spy_events_received (NULL), ==, 0)) \
  X (actor_spy_last_received_null, g_assert_null (maiko_actor_spy_last_received (NULL))) \
  X (actor_spy_received_from_null, g_assert_null (maiko_actor_spy_received_from (NULL))) \
  X (actor_spy_sender_count_null, g_assert_cmpuint (maiko_actor_spy_sender_count (NULL), ==, 0)) \
  X (actor_spy_outbound_null,     g_assert_null (maiko_actor_spy_outbound (NULL))) \
  X (actor_spy_events_sent_null,  g_assert_cmpuint (maiko_actor_spy_events_sent (NULL), ==, 0)) \
  X (actor_spy_last_sent_null,    g_assert_null (maiko_actor_spy_last_sent (NULL))) \
  X (actor_spy_sent_to_null,      g_assert_null (maiko_actor_spy_sent_to (NULL))) \
  X (actor_spy_receiver_count_null, g_assert_cmpuint (maiko_actor_spy_receiver_count (NULL), ==, 0)) \
  X (actor_spy_is_running_null,   g_assert_false (maiko_actor_spy_is_running (NULL))) \
  X (actor_spy_is_stopped_null,   g_assert_false (maiko_actor_spy_is_stopped (NULL))) \
  X (actor_spy_wrong_type,        g_assert_false (maiko_actor_spy_is_running ((MaikoActorSpy *) h->topic_spy))) \
  /* MaikoTopicSpy */ \
  X (topic_spy_was_published_null, g_assert_false (maiko_topic_spy_was_published (NULL))) \
  X (topic_spy_events_published_null, g_assert_cmpuint (maiko_topic_spy_events_published (NULL), ==, 0)) \
  X (topic_spy_delivery_count_null, g_assert_cmpuint (maiko_topic_spy_delivery_count (NULL), ==, 0)) \
  X (topic_spy_receivers_null,    g_assert_null (maiko_topic_spy_receivers (NULL))) \
  X (topic_spy_receiver_count_null, g_assert_cmpuint (maiko_topic_spy_receiver_count (NULL), ==, 0)) \
  X (topic_spy_events_null,       g_assert_null (maiko_topic_spy_events (NULL))) \
  /* MaikoActorTrace */ \
  X (actor_trace_all_null,        g_assert_null (maiko_actor_trace_all (NULL))) \
  X (actor_trace_contains_null,   g_assert_false (maiko_actor_trace_contains (NULL, "a"))) \
  X (actor_trace_contains_null_actor, g_assert_false (maiko_actor_trace_contains (h->actor_trace, NULL))) \
  X (actor_trace_visited_null,    g_assert_false (maiko_actor_trace_visited (NULL, some_actors))) \
  X (actor_trace_visited_null_actors, g_assert_false (maiko_actor_trace_visited (h->actor_trace, NULL))) \
  X (actor_trace_exact_null,      g_assert_false (maiko_actor_trace_exact (NULL, some_actors))) \
  X (actor_trace_exact_null_actors, g_assert_false (maiko_actor_trace_exact (h->actor_trace, NULL))) \
  X (actor_trace_segment_null,    g_assert_false (maiko_actor_trace_segment (NULL, some_actors))) \
  X (actor_trace_segment_null_actors, g_assert_false (maiko_actor_trace_segment (h->actor_trace, NULL))) \
  X (actor_trace_passes_through_null, g_assert_false (maiko_actor_trace_passes_through (NULL, some_actors))) \
  X (actor_trace_passes_through_null_actors, g_assert_false (maiko_actor_trace_passes_through (h->actor_trace, NULL))) \
  X (actor_trace_path_count_null, g_assert_cmpuint (maiko_actor_trace_path_count (NULL), ==, 0)) \
  /* MaikoEventTrace */ \
  X (event_trace_all_null,        g_assert_null (maiko_event_trace_all (NULL))) \
  X (event_trace_contains_null,   g_assert_false (maiko_event_trace_contains (NULL, "Ping"))) \
  X (event_trace_contains_null_label, g_assert_false (maiko_event_trace_contains (h->event_trace, NULL))) \
  X (event_trace_contains_matching_null, g_assert_false (maiko_event_trace_contains_matching (NULL, h->matcher))) \
  X (event_trace_contains_matching_null_matcher, g_assert_false (maiko_event_trace_contains_matching (h->event_trace, NULL))) \
  X (event_trace_exact_null,      g_assert_false (maiko_event_trace_exact (NULL, some_actors))) \
  X (event_trace_exact_null_labels, g_assert_false (maiko_event_trace_exact (h->event_trace, NULL))) \
  X (event_trace_exact_matching_null, g_assert_false (maiko_event_trace_exact_matching (NULL, &h->matcher, 1))) \
  X (event_trace_exact_matching_null_matchers, g_assert_false (maiko_event_trace_exact_matching (h->event_trace, NULL, 1))) \
  X (event_trace_segment_null,    g_assert_false (maiko_event_trace_segment (NULL, some_actors))) \
  X (event_trace_segment_null_labels, g_assert_false (maiko_event_trace_segment (h->event_trace, NULL))) \
  X (event_trace_segment_matching_null, g_assert_false (maiko_event_trace_segment_matching (NULL, &h->matcher, 1))) \
  X (event_trace_segment_matching_null_matchers, g_assert_false (maiko_event_trace_segment_matching (h->event_trace, NULL, 2))) \
  X (event_trace_passes_through_null, g_assert_false (maiko_event_trace_passes_through (NULL, some_actors))) \
  X (event_trace_passes_through_null_labels, g_assert_false (maiko_event_trace_passes_through (h->event_trace, NULL))) \
  X (event_trace_passes_through_matching_null, g_assert_false (maiko_event_trace_passes_through_matching (NULL, &h->matcher, 1))) \
  X (event_trace_passes_through_matching_null_matchers, g_assert_false (maiko_event_trace_passes_through_matching (h->event_trace, NULL, 1))) \
  X (event_trace_path_count_null, g_assert_cmpuint (maiko_event_trace_path_count (NULL), ==, 0)) \
  /* MaikoEventChain */ \
  X (event_chain_get_root_id_null, g_assert_null (maiko_event_chain_get_root_id (NULL))) \
  X (event_chain_actors_null,     g_assert_null (maiko_event_chain_actors (NULL))) \
  X (event_chain_events_null,     g_assert_null (maiko_event_chain_events (NULL))) \
  X (event_chain_diverges_after_null, g_assert_false (maiko_event_chain_diverges_after (NULL, "Ping"))) \
  X (event_chain_diverges_after_null_label, g_assert_false (maiko_event_chain_diverges_after (h->chain, NULL))) \
  X (event_chain_diverges_after_matching_null, g_assert_false (maiko_event_chain_diverges_after_matching (NULL, h->matcher))) \
  X (event_chain_diverges_after_matching_null_matcher, g_assert_false (maiko_event_chain_diverges_after_matching (h->chain, NULL))) \
  X (event_chain_branches_after_null, g_assert_cmpuint (maiko_event_chain_branches_after (NULL, "Ping"), ==, 0)) \
  X (event_chain_branches_after_null_label, g_assert_cmpuint (maiko_event_chain_branches_after (h->chain, NULL), ==, 0)) \
  X (event_chain_branches_after_matching_null, g_assert_cmpuint (maiko_event_chain_branches_after_matching (NULL, h->matcher), ==, 0)) \
  X (event_chain_branches_after_matching_null_matcher, g_assert_cmpuint (maiko_event_chain_branches_after_matching (h->chain, NULL), ==, 0)) \
  X (event_chain_path_to_null,    g_assert_null (maiko_event_chain_path_to (NULL, "a"))) \
  X (event_chain_path_to_null_actor, g_assert_null (maiko_event_chain_path_to (h->chain, NULL))) \
  X (event_chain_to_string_null,  g_assert_null (maiko_event_chain_to_string (NULL))) \
  X (event_chain_to_mermaid_null, g_assert_null (maiko_event_chain_to_mermaid (NULL)))

typedef struct
{
  const char *name;
  void      (*call) (HarnessFixture *h);
} HarnessCriticalCall;

#define DEFINE_HARNESS_CRITICAL_CALL(name, statement) \
  static void harness_critical_call_##name (HarnessFixture *h) { statement; }
#define HARNESS_CRITICAL_CALL_ENTRY(name, statement) { #name, harness_critical_call_##name },

HARNESS_CRITICAL_CALLS (DEFINE_HARNESS_CRITICAL_CALL)

static const HarnessCriticalCall harness_critical_calls[] = {
  HARNESS_CRITICAL_CALLS (HARNESS_CRITICAL_CALL_ENTRY)
};

static void
test_harness_critical (HarnessFixture *h,
                       gconstpointer   data)
{
  const HarnessCriticalCall *call = data;

  topic_func_destroyed = FALSE;
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*assertion*");
  call->call (h);
  g_test_assert_expected_messages ();
  g_assert_false (topic_func_destroyed);
}

#define HARNESS_ERROR_CALLS(X) \
  X (harness_send_as_empty_actor, harness_send_as_ok (h->harness, "", error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (harness_send_as_bad_utf8_actor, harness_send_as_ok (h->harness, BAD_UTF8, error), MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT) \
  X (harness_send_as_stopped,     harness_send_as_ok (h->stopped_harness, MAIKO_SUPERVISOR_NAME, error), MAIKO_ERROR, MAIKO_ERROR_STOPPED) \
  X (harness_settle_on_timeout,   maiko_harness_settle_on (h->harness, 0, never_query, NULL, error), MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT) \
  X (harness_settle_on_event_unknown, maiko_harness_settle_on_event (h->harness, "Nothing", 0, error), MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT) \
  X (harness_settle_on_event_bad_utf8, maiko_harness_settle_on_event (h->harness, BAD_UTF8, 1, error), MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT)

static gboolean
harness_send_as_ok (MaikoHarness  *harness,
                    const char    *actor,
                    GError       **error)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Ping", NULL);
  g_autofree char *id = maiko_harness_send_as (harness, actor, event, error);

  return id != NULL;
}

typedef struct
{
  const char *name;
  gboolean  (*call) (HarnessFixture *h, GError **error);
  GQuark    (*domain) (void);
  gint        code;
} HarnessErrorCall;

#define DEFINE_HARNESS_ERROR_CALL(name, expression, domain, code) \
  static gboolean harness_error_call_##name (HarnessFixture *h, GError **error) { return expression; }
#define HARNESS_ERROR_CALL_ENTRY(name, expression, domain_, code_) \
  { #name, harness_error_call_##name, domain_##_quark_func, code_ },

HARNESS_ERROR_CALLS (DEFINE_HARNESS_ERROR_CALL)

static const HarnessErrorCall harness_error_calls[] = {
  HARNESS_ERROR_CALLS (HARNESS_ERROR_CALL_ENTRY)
};

static void
test_harness_error (HarnessFixture *h,
                    gconstpointer   data)
{
  const HarnessErrorCall *call = data;
  g_autoptr(GError) error = NULL;

  g_assert_false (call->call (h, &error));
  g_assert_error (error, call->domain (), call->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Lookups of what was never recorded give empty answers, quietly. */
static void
test_harness_accepted (HarnessFixture *h,
                       gconstpointer   data)
{
  g_autoptr(MaikoEventSpy) no_event = maiko_harness_event (h->harness, BAD_UTF8);
  g_autoptr(MaikoActorSpy) no_actor = maiko_harness_actor (h->harness, "");
  g_autoptr(MaikoTopicSpy) no_topic = maiko_harness_topic (h->harness, BAD_UTF8);
  g_autoptr(MaikoEventChain) no_chain = maiko_harness_chain (h->harness, "not an id");
  g_autoptr(MaikoEventQuery) none = maiko_event_query_with_label (h->events, BAD_UTF8);
  g_autoptr(MaikoEventChain) no_path = maiko_event_chain_path_to (h->chain, "nobody");
  g_autoptr(MaikoEventMatcher) by_id = maiko_event_matcher_by_id ("");
  g_autoptr(MaikoEventTrace) no_trace = maiko_event_chain_events (no_chain);
  g_autofree char *tree = NULL;
  static const char * const no_actors[] = { NULL };

  g_assert_false (maiko_event_spy_was_delivered (no_event));
  g_assert_cmpuint (maiko_actor_spy_events_received (no_actor), ==, 0);
  g_assert_false (maiko_topic_spy_was_published (no_topic));
  g_assert_cmpuint (maiko_event_trace_path_count (no_trace), ==, 0);
  g_assert_true (maiko_event_query_is_empty (none));
  g_assert_null (maiko_event_query_nth (h->events, G_MAXUINT));
  g_assert_null (maiko_event_query_first (none));
  g_assert_false (maiko_event_query_has_event_matching (h->events, by_id));
  g_assert_false (maiko_actor_trace_contains (h->actor_trace, BAD_UTF8));
  g_assert_true (maiko_event_spy_was_delivered_to_all (h->event_spy, no_actors));
  tree = maiko_event_chain_to_string (no_path);
  g_assert_true (g_utf8_validate (tree, -1, NULL));
  g_assert_false (maiko_event_trace_exact_matching (h->event_trace, NULL, 0) &&
                  maiko_event_trace_path_count (h->event_trace) == 0);

  /* Recording switched off and on, and reset, leave it working. */
  maiko_harness_stop_recording (h->harness);
  maiko_harness_stop_recording (h->harness);
  maiko_harness_record (h->harness);
  maiko_harness_record (h->harness);
  maiko_harness_reset (h->harness);
  g_assert_cmpuint (maiko_harness_delivery_count (h->harness), ==, 0);
  h->sent = 0;
  g_clear_pointer (&h->id, g_free);
}

/* A harness constructed without a supervisor: a critical, then every call
 * returns at once. */
static void
test_harness_without_supervisor (void)
{
  g_autoptr(MaikoHarness) harness = NULL;
  g_autoptr(MaikoEvent) event = maiko_event_new ("Ping", NULL);
  g_autoptr(MaikoEventQuery) events = NULL;
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*needs a supervisor*");
  harness = g_object_new (MAIKO_TYPE_HARNESS, NULL);
  g_test_assert_expected_messages ();

  g_assert_null (maiko_harness_send_as (harness, MAIKO_SUPERVISOR_NAME, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  maiko_harness_settle (harness);
  g_assert_false (maiko_harness_settle_on_event (harness, "Ping", 0, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_SETTLE_TIMEOUT);
  events = maiko_harness_events (harness);
  g_assert_cmpuint (maiko_event_query_count (events), ==, 0);
  g_assert_cmpuint (maiko_harness_delivery_count (harness), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  set_error = g_error_new_literal (MAIKO_ERROR, MAIKO_ERROR_FAILED, "an error already set");

  for (gsize i = 0; i < G_N_ELEMENTS (critical_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/critical/%s", critical_calls[i].name);

      g_strdelimit (path, "_", '-');
      g_test_add (path, Fixture, &critical_calls[i], fixture_set_up, test_critical, fixture_tear_down);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (error_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/error/%s", error_calls[i].name);

      g_strdelimit (path, "_", '-');
      g_test_add (path, Fixture, &error_calls[i], fixture_set_up, test_error, fixture_tear_down);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_properties); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/property/%s", bad_properties[i].name);

      g_test_add_data_func (path, &bad_properties[i], test_bad_property);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_payloads); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/payload/%s", bad_payloads[i].name);

      g_test_add_data_func (path, &bad_payloads[i], test_payload);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (harness_critical_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/harness/critical/%s", harness_critical_calls[i].name);

      g_strdelimit (path, "_", '-');
      g_test_add (path, HarnessFixture, &harness_critical_calls[i],
                  harness_fixture_set_up, test_harness_critical, harness_fixture_tear_down);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (harness_error_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/harness/error/%s", harness_error_calls[i].name);

      g_strdelimit (path, "_", '-');
      g_test_add (path, HarnessFixture, &harness_error_calls[i],
                  harness_fixture_set_up, test_harness_error, harness_fixture_tear_down);
    }
  g_test_add ("/bad-input/harness/accepted", HarnessFixture, NULL,
              harness_fixture_set_up, test_harness_accepted, harness_fixture_tear_down);
  g_test_add_func ("/bad-input/harness/without-supervisor", test_harness_without_supervisor);
  g_test_add ("/bad-input/async/wrong-state", Fixture, NULL,
              fixture_set_up, test_async_wrong_state, fixture_tear_down);
  g_test_add ("/bad-input/accepted", Fixture, NULL,
              fixture_set_up, test_accepted, fixture_tear_down);
  g_test_add_func ("/bad-input/context/without-actor", test_context_without_actor);
  g_test_add_func ("/bad-input/recorder/without-stream", test_recorder_without_stream);
  g_test_add_func ("/bad-input/names/odd", test_odd_names);
  g_test_add_func ("/bad-input/record/long-array", test_record_long_array);

  return g_test_run ();
}
