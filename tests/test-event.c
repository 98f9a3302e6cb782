/* test-event.c: events and envelopes
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

static void
test_event_basics (void)
{
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", g_variant_new_string ("World"));
  g_autoptr(MaikoEvent) empty = maiko_event_new ("Tick", NULL);
  GVariant *payload = maiko_event_get_payload (event);

  g_assert_cmpstr (maiko_event_get_label (event), ==, "Hello");
  g_assert_false (g_variant_is_floating (payload));
  g_assert_cmpstr (g_variant_get_string (payload, NULL), ==, "World");
  g_assert_null (maiko_event_get_payload (empty));
  g_assert_true (maiko_event_ref (event) == event);
  maiko_event_unref (event);
}

/* An inline int64 reads as one, and as the same variant a GVariant payload
 * would be; other payloads are no int64. */
static void
test_event_int64 (void)
{
  g_autoptr(MaikoEvent) inline_event = maiko_event_new_int64 ("N", G_MININT64);
  g_autoptr(MaikoEvent) variant_event = maiko_event_new ("N", g_variant_new_int64 (42));
  g_autoptr(MaikoEvent) string_event = maiko_event_new ("S", g_variant_new_string ("42"));
  g_autoptr(MaikoEvent) empty = maiko_event_new ("E", NULL);
  GVariant *payload;
  gint64 value = 7;

  g_assert_true (maiko_event_get_int64 (inline_event, &value));
  g_assert_cmpint (value, ==, G_MININT64);
  g_assert_true (maiko_event_get_int64 (inline_event, NULL));
  g_assert_cmpstr (maiko_event_get_label (inline_event), ==, "N");

  payload = maiko_event_get_payload (inline_event);
  g_assert_nonnull (payload);
  g_assert_false (g_variant_is_floating (payload));
  g_assert_cmpstr (g_variant_get_type_string (payload), ==, "x");
  g_assert_cmpint (g_variant_get_int64 (payload), ==, G_MININT64);
  /* Made once: the same variant every time after. */
  g_assert_true (maiko_event_get_payload (inline_event) == payload);
  g_assert_true (maiko_event_get_int64 (inline_event, &value));
  g_assert_cmpint (value, ==, G_MININT64);

  g_assert_true (maiko_event_get_int64 (variant_event, &value));
  g_assert_cmpint (value, ==, 42);

  value = 7;
  g_assert_false (maiko_event_get_int64 (string_event, &value));
  g_assert_false (maiko_event_get_int64 (empty, &value));
  g_assert_cmpint (value, ==, 7);
}

#define N_PAYLOAD_THREADS 4

typedef struct
{
  MaikoEvent *event;
  GVariant   *seen[N_PAYLOAD_THREADS];
  guint       n_ready;
  GMutex      mutex;
  GCond       cond;
} PayloadRace;

static gpointer
get_payload_thread (gpointer data)
{
  PayloadRace *race = data;
  guint i;

  /* Start together, to make the first get_payload() calls overlap. */
  g_mutex_lock (&race->mutex);
  i = race->n_ready++;
  g_cond_broadcast (&race->cond);
  while (race->n_ready < N_PAYLOAD_THREADS)
    g_cond_wait (&race->cond, &race->mutex);
  g_mutex_unlock (&race->mutex);

  race->seen[i] = maiko_event_get_payload (race->event);
  return NULL;
}

/* Threads that ask an inline event for its payload at once all get the
 * same variant, and none leaks (the ASan and valgrind runs check that). */
static void
test_event_int64_payload_race (void)
{
  for (guint round = 0; round < 200; round++)
    {
      PayloadRace race = { maiko_event_new_int64 ("N", round), { NULL }, 0 };
      GThread *threads[N_PAYLOAD_THREADS];

      g_mutex_init (&race.mutex);
      g_cond_init (&race.cond);
      for (guint i = 0; i < N_PAYLOAD_THREADS; i++)
        threads[i] = g_thread_new ("payload", get_payload_thread, &race);
      for (guint i = 0; i < N_PAYLOAD_THREADS; i++)
        g_thread_join (threads[i]);

      for (guint i = 0; i < N_PAYLOAD_THREADS; i++)
        g_assert_true (race.seen[i] == race.seen[0]);
      g_assert_cmpint (g_variant_get_int64 (race.seen[0]), ==, round);
      g_assert_true (maiko_event_get_payload (race.event) == race.seen[0]);
      maiko_event_unref (race.event);
      g_mutex_clear (&race.mutex);
      g_cond_clear (&race.cond);
    }
}

static void
test_event_bad_label (void)
{
  MaikoEvent *event;

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*label_is_valid*");
  event = maiko_event_new ("", NULL);
  g_test_assert_expected_messages ();
  g_assert_null (event);

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*label_is_valid*");
  event = maiko_event_new ("\xff\xfe", NULL);
  g_test_assert_expected_messages ();
  g_assert_null (event);
}

static gboolean
reply_as_child (TestActor      *self,
                MaikoEnvelope  *envelope,
                GError        **error)
{
  g_autoptr(MaikoEvent) reply = maiko_event_new ("Reply", NULL);

  return maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), reply,
                                         maiko_envelope_get_id (envelope), error);
}

static gboolean
is_uuid_v4 (const char *id)
{
  static const char pattern[] = "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx";

  if (strlen (id) != strlen (pattern))
    return FALSE;
  for (guint i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'x' && !g_ascii_isxdigit (id[i]))
        return FALSE;
      if (pattern[i] == 'V' && strchr ("89ab", id[i]) == NULL)
        return FALSE;
      if (pattern[i] != 'x' && pattern[i] != 'V' && id[i] != pattern[i])
        return FALSE;
    }
  return TRUE;
}

#define N_EVENTS 5000

/* Ids are unique UUID v4s; senders are right; a child names its parent;
 * nanosecond timestamps strictly increase. */
static void
test_envelope_metadata (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) echo = test_actor_new ();
  g_autoptr(TestActor) sink = test_actor_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *requests[] = { "Request", NULL };
  const char *replies[] = { "Reply", NULL };
  gint64 previous_ns = 0;

  echo->handle = reply_as_child;
  sink->keep_envelopes = TRUE;
  echo->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Request", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "Reply", MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "echo", MAIKO_ACTOR (echo), requests, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "sink", MAIKO_ACTOR (sink), replies, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint i = 0; i < N_EVENTS; i++)
    {
      g_autoptr(MaikoEvent) event = test_event_int ("Request", i);
      g_assert_true (maiko_supervisor_send (sup, event, NULL));
    }
  g_assert_true (test_actor_wait_handled (sink, N_EVENTS));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (echo->received->len, ==, N_EVENTS);
  g_assert_cmpuint (sink->received->len, ==, N_EVENTS);
  for (guint i = 0; i < N_EVENTS; i++)
    {
      MaikoEnvelope *request = g_ptr_array_index (echo->received, i);
      MaikoEnvelope *reply = g_ptr_array_index (sink->received, i);

      g_assert_cmpstr (maiko_envelope_get_sender (request), ==, "supervisor");
      g_assert_cmpstr (maiko_envelope_get_sender (reply), ==, "echo");
      g_assert_true (maiko_envelope_get_sender (reply) == g_intern_string ("echo"));
      g_assert_cmpstr (maiko_envelope_get_topic (request), ==, "Request");
      g_assert_null (maiko_envelope_get_parent_id (request));
      g_assert_cmpstr (maiko_envelope_get_parent_id (reply), ==, maiko_envelope_get_id (request));
      g_assert_cmpint (test_envelope_int (request), ==, i);

      g_assert_true (is_uuid_v4 (maiko_envelope_get_id (request)));
      g_assert_true (is_uuid_v4 (maiko_envelope_get_id (reply)));
      g_assert_true (g_hash_table_add (ids, (char *) maiko_envelope_get_id (request)));
      g_assert_true (g_hash_table_add (ids, (char *) maiko_envelope_get_id (reply)));

      /* One sender's envelopes, in the order sent. */
      g_assert_cmpint (maiko_envelope_get_timestamp_ns (request), >, previous_ns);
      previous_ns = maiko_envelope_get_timestamp_ns (request);
      g_assert_cmpint (maiko_envelope_get_timestamp_ns (reply), >,
                       maiko_envelope_get_timestamp_ns (request));
      g_assert_cmpint (maiko_envelope_get_timestamp (request), ==,
                       maiko_envelope_get_timestamp_ns (request) / 1000);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2 * N_EVENTS);
  /* Wall clock, not monotonic time: within a minute of now. */
  g_assert_cmpint (ABS (previous_ns / 1000 - g_get_real_time ()), <, 60 * G_TIME_SPAN_SECOND);
}

static gint
compare_ns (gconstpointer a,
            gconstpointer b)
{
  gint64 x = maiko_envelope_get_timestamp_ns (*(MaikoEnvelope **) a);
  gint64 y = maiko_envelope_get_timestamp_ns (*(MaikoEnvelope **) b);

  return (x > y) - (x < y);
}

/* Four threads send at once: no two envelopes share a timestamp. */
static void
test_timestamps_across_threads (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) sink = test_actor_new ();
  const char *all[] = { MAIKO_TOPIC_ALL, NULL };
  TestActor *producers[4];

  sink->keep_envelopes = TRUE;
  g_assert_true (maiko_supervisor_set_topic_policy (sup, MAIKO_DEFAULT_TOPIC,
                                                    MAIKO_OVERFLOW_POLICY_BLOCK, NULL));
  g_assert_true (maiko_supervisor_add_actor (sup, "sink", MAIKO_ACTOR (sink), all, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (producers); i++)
    {
      g_autofree char *name = g_strdup_printf ("producer-%u", i);

      producers[i] = test_producer_new ("N", N_EVENTS, 50);
      g_assert_true (maiko_supervisor_add_actor (sup, name, MAIKO_ACTOR (producers[i]), NULL, NULL));
    }
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (test_actor_wait_handled (sink, 4 * N_EVENTS));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpuint (sink->received->len, ==, 4 * N_EVENTS);
  g_ptr_array_sort (sink->received, compare_ns);
  for (guint i = 1; i < sink->received->len; i++)
    g_assert_cmpint (maiko_envelope_get_timestamp_ns (g_ptr_array_index (sink->received, i - 1)), <,
                     maiko_envelope_get_timestamp_ns (g_ptr_array_index (sink->received, i)));

  for (guint i = 0; i < G_N_ELEMENTS (producers); i++)
    g_object_unref (producers[i]);
}

/* A floating int64 payload is kept inline (its variant freed at once); a
 * variant the caller holds is kept as it is. */
static void
test_floating_int64_inline (void)
{
  g_autoptr(GVariant) held = g_variant_ref_sink (g_variant_new_int64 (5));
  g_autoptr(MaikoEvent) floating = maiko_event_new ("N", g_variant_new_int64 (-3));
  g_autoptr(MaikoEvent) kept = maiko_event_new ("N", held);
  gint64 value = 0;

  g_assert_true (maiko_event_get_int64 (floating, &value));
  g_assert_cmpint (value, ==, -3);
  g_assert_cmpint (g_variant_get_int64 (maiko_event_get_payload (floating)), ==, -3);
  g_assert_true (maiko_event_get_payload (floating) == maiko_event_get_payload (floating));
  g_assert_true (maiko_event_get_payload (kept) == held);
  g_assert_true (maiko_event_get_int64 (kept, &value));
  g_assert_cmpint (value, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event/floating-int64-inline", test_floating_int64_inline);
  g_test_add_func ("/event/basics", test_event_basics);
  g_test_add_func ("/event/int64", test_event_int64);
  g_test_add_func ("/event/int64-payload-race", test_event_int64_payload_race);
  g_test_add_func ("/event/bad-label", test_event_bad_label);
  g_test_add_func ("/envelope/metadata", test_envelope_metadata);
  g_test_add_func ("/envelope/timestamps-across-threads", test_timestamps_across_threads);

  return g_test_run ();
}
