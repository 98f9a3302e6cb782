/* test-event-query.c: queries and matchers over recorded deliveries
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

/* Every actor runs on the test's main context, which the harness's waits
 * run, so the deliveries are recorded in a known order:
 *
 *   0  e1   Ping  alice   → bob       topic bob
 *   1  ack  Ack   bob     → alice     topic alice, child of e1 (bob's answer)
 *   2  e2   Pong  bob     → alice     topic alice
 *   3  e3   Data  alice   → bob       topic team
 *   4  e3   Data  alice   → charlie   topic team
 *   5  e4   Ping  charlie → alice     topic alice
 *
 * The two deliveries of e3 are one event: they share an id and a send
 * time. */
typedef struct
{
  MaikoSupervisor *sup;
  MaikoHarness    *harness;
  char            *e1, *e2, *e3, *e4;
} Fixture;

static const TestReply bob_replies[] = { { "Ping", "Ack", "alice" }, { NULL } };
static const TestReply no_reply[] = { { NULL } };

static void
add_actor (Fixture         *fixture,
           const char      *name,
           const char      *team,
           const TestReply *replies)
{
  const char *topics[] = { name, team, NULL };
  g_autoptr(TestActor) actor = test_replier_new (g_main_context_default (), replies);
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_add_actor (fixture->sup, name, MAIKO_ACTOR (actor), topics,
                                             &error));
  g_assert_no_error (error);
}

static gboolean
count_reached (MaikoEventQuery *events,
               gpointer         n)
{
  return maiko_event_query_count (events) >= GPOINTER_TO_UINT (n);
}

/* Records again (the last settle stopped it), sends as @sender and waits
 * until @total deliveries are recorded. */
static char *
send_as (Fixture    *fixture,
         const char *sender,
         const char *label,
         const char *to,
         guint       total)
{
  g_autoptr(MaikoEvent) event = test_event_to (label, to);
  g_autoptr(GError) error = NULL;
  char *id;

  maiko_harness_record (fixture->harness);
  id = maiko_harness_send_as (fixture->harness, sender, event, &error);

  g_assert_no_error (error);
  g_assert_true (maiko_harness_settle_on (fixture->harness, TEST_TIMEOUT_S * 1000, count_reached,
                                          GUINT_TO_POINTER (total), &error));
  g_assert_no_error (error);

  return id;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sup = maiko_supervisor_new ();
  test_route_by_payload (fixture->sup);
  add_actor (fixture, "alice", NULL, no_reply);
  add_actor (fixture, "bob", "team", bob_replies);
  add_actor (fixture, "charlie", "team", no_reply);
  fixture->harness = maiko_harness_new (fixture->sup);
  g_assert_true (maiko_supervisor_start (fixture->sup, &error));
  g_assert_no_error (error);

  fixture->e1 = send_as (fixture, "alice", "Ping", "bob", 2);
  fixture->e2 = send_as (fixture, "bob", "Pong", "alice", 3);
  fixture->e3 = send_as (fixture, "alice", "Data", "team", 5);
  fixture->e4 = send_as (fixture, "charlie", "Ping", "alice", 6);
  maiko_harness_settle (fixture->harness);
  g_assert_cmpuint (maiko_harness_delivery_count (fixture->harness), ==, 6);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_stop (fixture->sup, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->harness);
  g_clear_object (&fixture->sup);
  g_free (fixture->e1);
  g_free (fixture->e2);
  g_free (fixture->e3);
  g_free (fixture->e4);
}

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })

static void
assert_entry (MaikoEventEntry *entry,
              const char      *id,
              const char      *label,
              const char      *sender,
              const char      *receiver)
{
  g_assert_nonnull (entry);
  if (id != NULL)
    g_assert_cmpstr (maiko_event_entry_get_id (entry), ==, id);
  g_assert_cmpstr (maiko_event_entry_get_label (entry), ==, label);
  g_assert_cmpstr (maiko_event_entry_get_sender (entry), ==, sender);
  g_assert_cmpstr (maiko_event_entry_get_receiver (entry), ==, receiver);
}

static void
test_entries (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  MaikoEventEntry *ack = maiko_event_query_nth (all, 1);
  MaikoEventEntry *data_to_bob = maiko_event_query_nth (all, 3);
  MaikoEventEntry *data_to_charlie = maiko_event_query_nth (all, 4);
  GVariant *payload;

  assert_entry (ack, NULL, "Ack", "bob", "alice");
  g_assert_cmpstr (maiko_event_entry_get_parent_id (ack), ==, fixture->e1);
  g_assert_cmpstr (maiko_event_entry_get_topic (ack), ==, "alice");
  payload = maiko_event_get_payload (maiko_event_entry_get_event (ack));
  g_assert_cmpstr (g_variant_get_string (payload, NULL), ==, "alice");
  g_assert_true (maiko_envelope_get_event (maiko_event_entry_get_envelope (ack)) ==
                 maiko_event_entry_get_event (ack));

  /* One event, two deliveries: the envelope is shared. */
  g_assert_true (maiko_event_entry_get_envelope (data_to_bob) ==
                 maiko_event_entry_get_envelope (data_to_charlie));
  g_assert_null (maiko_event_entry_get_parent_id (data_to_bob));
  g_assert_cmpint (maiko_event_entry_get_timestamp_ns (data_to_bob), ==,
                   maiko_event_entry_get_timestamp_ns (data_to_charlie));
  g_assert_cmpint (maiko_event_entry_get_timestamp_ns (ack), <,
                   maiko_event_entry_get_timestamp_ns (data_to_bob));
}

static void
test_terminals (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(MaikoEventQuery) nothing = maiko_event_query_with_label (all, "Nope");
  g_autoptr(GPtrArray) unique = maiko_event_query_collect (all);
  g_autoptr(GPtrArray) deliveries = maiko_event_query_all_deliveries (all);
  g_auto(GStrv) senders = maiko_event_query_senders (all);
  g_auto(GStrv) receivers = maiko_event_query_receivers (all);
  g_auto(GStrv) no_senders = maiko_event_query_senders (nothing);

  g_assert_cmpuint (maiko_event_query_count (all), ==, 6);
  g_assert_false (maiko_event_query_is_empty (all));
  g_assert_true (maiko_event_query_exists (all));
  g_assert_cmpuint (maiko_event_query_count (nothing), ==, 0);
  g_assert_true (maiko_event_query_is_empty (nothing));
  g_assert_false (maiko_event_query_exists (nothing));
  g_assert_null (maiko_event_query_first (nothing));
  g_assert_null (maiko_event_query_last (nothing));

  assert_entry (maiko_event_query_first (all), fixture->e1, "Ping", "alice", "bob");
  assert_entry (maiko_event_query_last (all), fixture->e4, "Ping", "charlie", "alice");
  assert_entry (maiko_event_query_nth (all, 2), fixture->e2, "Pong", "bob", "alice");
  g_assert_null (maiko_event_query_nth (all, 6));
  g_assert_null (maiko_event_query_nth (all, 100));

  /* collect: one entry per event, the first delivery of each. */
  g_assert_cmpuint (unique->len, ==, 5);
  assert_entry (g_ptr_array_index (unique, 3), fixture->e3, "Data", "alice", "bob");
  assert_entry (g_ptr_array_index (unique, 4), fixture->e4, "Ping", "charlie", "alice");
  g_assert_cmpuint (deliveries->len, ==, 6);
  assert_entry (g_ptr_array_index (deliveries, 4), fixture->e3, "Data", "alice", "charlie");

  g_assert_cmpstrv (senders, STRV ("alice", "bob", "charlie"));
  g_assert_cmpstrv (receivers, STRV ("bob", "alice", "charlie"));
  g_assert_cmpuint (g_strv_length (no_senders), ==, 0);
}

static void
test_count_by_label (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(GHashTable) counts = maiko_event_query_count_by_label (all);

  g_assert_cmpuint (g_hash_table_size (counts), ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "Ping")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "Ack")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "Pong")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "Data")), ==, 2);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(MaikoEventQuery) by_alice = maiko_event_query_sent_by (all, "alice");
  g_autoptr(MaikoEventQuery) alice_to_bob = maiko_event_query_received_by (by_alice, "bob");
  g_autoptr(MaikoEventQuery) to_bob = maiko_event_query_received_by (all, "bob");
  g_autoptr(MaikoEventQuery) team = maiko_event_query_with_topic (all, "team");
  g_autoptr(MaikoEventQuery) default_topic = maiko_event_query_with_topic (all, "default");
  g_autoptr(MaikoEventQuery) e3 = maiko_event_query_with_id (all, fixture->e3);
  g_autoptr(MaikoEventQuery) pings = maiko_event_query_with_label (all, "Ping");
  g_autoptr(MaikoEventQuery) from_supervisor = maiko_event_query_sent_by (all, "supervisor");

  g_assert_cmpuint (maiko_event_query_count (by_alice), ==, 3);
  g_assert_cmpuint (maiko_event_query_count (alice_to_bob), ==, 2);
  assert_entry (maiko_event_query_last (alice_to_bob), fixture->e3, "Data", "alice", "bob");
  g_assert_cmpuint (maiko_event_query_count (to_bob), ==, 2);
  g_assert_cmpuint (maiko_event_query_count (team), ==, 2);
  g_assert_cmpuint (maiko_event_query_count (default_topic), ==, 0);
  g_assert_cmpuint (maiko_event_query_count (e3), ==, 2);
  g_assert_cmpuint (maiko_event_query_count (pings), ==, 2);
  assert_entry (maiko_event_query_nth (pings, 1), fixture->e4, "Ping", "charlie", "alice");
  g_assert_cmpuint (maiko_event_query_count (from_supervisor), ==, 0);

  /* A filter makes a new query: the others are unchanged. */
  g_assert_cmpuint (maiko_event_query_count (all), ==, 6);
}

static void
test_children_of (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(MaikoEventQuery) of_e1 = maiko_event_query_children_of (all, fixture->e1);
  g_autoptr(MaikoEventQuery) of_e4 = maiko_event_query_children_of (all, fixture->e4);

  g_assert_cmpuint (maiko_event_query_count (of_e1), ==, 1);
  assert_entry (maiko_event_query_first (of_e1), NULL, "Ack", "bob", "alice");
  /* alice does not answer pings. */
  g_assert_cmpuint (maiko_event_query_count (of_e4), ==, 0);
}

static gboolean
is_data (MaikoEvent *event,
         gpointer    user_data)
{
  return g_str_equal (maiko_event_get_label (event), "Data");
}

static gboolean
sender_is (MaikoEventEntry *entry,
           gpointer         sender)
{
  return g_str_equal (maiko_event_entry_get_sender (entry), sender);
}

static gboolean
label_is (MaikoEventEntry *entry,
          gpointer         label)
{
  return g_str_equal (maiko_event_entry_get_label (entry), label);
}

static void
test_predicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(MaikoEventQuery) data_events = maiko_event_query_matching_event (all, is_data, NULL);
  g_autoptr(MaikoEventQuery) by_bob = maiko_event_query_matching (all, sender_is, "bob");
  g_autoptr(MaikoEventQuery) nothing = maiko_event_query_with_label (all, "Nope");

  g_assert_cmpuint (maiko_event_query_count (data_events), ==, 2);
  g_assert_cmpuint (maiko_event_query_count (by_bob), ==, 2);
  g_assert_true (maiko_event_query_all (data_events, sender_is, "alice"));
  g_assert_false (maiko_event_query_all (all, sender_is, "alice"));
  g_assert_true (maiko_event_query_all (nothing, sender_is, "alice"));
  g_assert_true (maiko_event_query_any (all, label_is, "Pong"));
  g_assert_false (maiko_event_query_any (all, label_is, "Nope"));
  g_assert_false (maiko_event_query_any (nothing, label_is, "Nope"));
}

static void
test_has (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  g_autoptr(MaikoEventMatcher) e4 = maiko_event_matcher_by_id (fixture->e4);
  g_autoptr(MaikoEventMatcher) unknown = maiko_event_matcher_by_id ("no-such-id");

  g_assert_true (maiko_event_query_has_event (all, "Ack"));
  g_assert_false (maiko_event_query_has_event (all, "Nope"));
  g_assert_true (maiko_event_query_has_event_matching (all, e4));
  g_assert_false (maiko_event_query_has_event_matching (all, unknown));
  g_assert_true (maiko_event_query_has_sender (all, "charlie"));
  g_assert_false (maiko_event_query_has_sender (all, "dave"));
  g_assert_true (maiko_event_query_has_receiver (all, "charlie"));
  g_assert_false (maiko_event_query_has_receiver (all, MAIKO_SUPERVISOR_NAME));
}

static void
test_before_after (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  MaikoEventEntry *e2 = maiko_event_query_nth (all, 2);
  MaikoEventEntry *e3_to_charlie = maiko_event_query_nth (all, 4);
  MaikoEventEntry *first = maiko_event_query_first (all);
  MaikoEventEntry *last = maiko_event_query_last (all);
  g_autoptr(MaikoEventQuery) after_e2 = maiko_event_query_after (all, e2);
  g_autoptr(MaikoEventQuery) before_e3 = maiko_event_query_before (all, e3_to_charlie);
  g_autoptr(MaikoEventQuery) after_e3 = maiko_event_query_after (all, e3_to_charlie);
  g_autoptr(MaikoEventQuery) between = maiko_event_query_before (after_e2, last);
  g_autoptr(MaikoEventQuery) before_first = maiko_event_query_before (all, first);

  /* Both deliveries of e3, then e4. */
  g_assert_cmpuint (maiko_event_query_count (after_e2), ==, 3);
  assert_entry (maiko_event_query_first (after_e2), fixture->e3, "Data", "alice", "bob");
  /* e1, its answer and e2: the other delivery of e3 shares its send time. */
  g_assert_cmpuint (maiko_event_query_count (before_e3), ==, 3);
  assert_entry (maiko_event_query_last (before_e3), fixture->e2, "Pong", "bob", "alice");
  g_assert_cmpuint (maiko_event_query_count (after_e3), ==, 1);
  assert_entry (maiko_event_query_first (after_e3), fixture->e4, "Ping", "charlie", "alice");
  g_assert_cmpuint (maiko_event_query_count (between), ==, 2);
  g_assert_cmpuint (maiko_event_query_count (before_first), ==, 0);
}

static gboolean
payload_is (MaikoEvent *event,
            gpointer    topic)
{
  return g_str_equal (g_variant_get_string (maiko_event_get_payload (event), NULL), topic);
}

static void
count_destroy (gpointer data)
{
  (*(guint *) data)++;
}

static gboolean
received_by_charlie (MaikoEventEntry *entry,
                     gpointer         data)
{
  return g_str_equal (maiko_event_entry_get_receiver (entry), "charlie");
}

static void
test_matchers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(MaikoEventQuery) all = maiko_harness_events (fixture->harness);
  MaikoEventEntry *ping = maiko_event_query_first (all);
  MaikoEventEntry *to_charlie = maiko_event_query_nth (all, 4);
  g_autoptr(MaikoEventMatcher) by_label = maiko_event_matcher_by_label ("Ping");
  g_autoptr(MaikoEventMatcher) by_id = maiko_event_matcher_by_id (fixture->e3);
  g_autoptr(MaikoEventMatcher) to_team = maiko_event_matcher_by_event (payload_is, "team", NULL);
  guint destroyed = 0;
  MaikoEventMatcher *by_entry = maiko_event_matcher_by_entry (received_by_charlie, &destroyed,
                                                              count_destroy);

  g_assert_true (maiko_event_matcher_matches (by_label, ping));
  g_assert_false (maiko_event_matcher_matches (by_label, to_charlie));
  g_assert_false (maiko_event_matcher_matches (by_id, ping));
  g_assert_true (maiko_event_matcher_matches (by_id, to_charlie));
  g_assert_false (maiko_event_matcher_matches (to_team, ping));
  g_assert_true (maiko_event_matcher_matches (to_team, to_charlie));
  g_assert_false (maiko_event_matcher_matches (by_entry, ping));
  g_assert_true (maiko_event_matcher_matches (by_entry, to_charlie));

  /* The matcher owns its data. */
  g_assert_cmpuint (destroyed, ==, 0);
  g_object_unref (by_entry);
  g_assert_cmpuint (destroyed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/event-query/entries", Fixture, NULL, setup, test_entries, teardown);
  g_test_add ("/event-query/terminals", Fixture, NULL, setup, test_terminals, teardown);
  g_test_add ("/event-query/count-by-label", Fixture, NULL, setup, test_count_by_label, teardown);
  g_test_add ("/event-query/filters", Fixture, NULL, setup, test_filters, teardown);
  g_test_add ("/event-query/children-of", Fixture, NULL, setup, test_children_of, teardown);
  g_test_add ("/event-query/predicates", Fixture, NULL, setup, test_predicates, teardown);
  g_test_add ("/event-query/has", Fixture, NULL, setup, test_has, teardown);
  g_test_add ("/event-query/before-after", Fixture, NULL, setup, test_before_after, teardown);
  g_test_add ("/event-query/matchers", Fixture, NULL, setup, test_matchers, teardown);

  return g_test_run ();
}
