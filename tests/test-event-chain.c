/* test-event-chain.c: event chains, their actor and event traces
 *
 * SPDX-License-Identifier: MIT
 */

#include "test-util.h"

/* Every actor runs on the test's main context, which the harness's waits
 * run: the runtime is deterministic, and every chain below is recorded in
 * full before it is asked about. */
typedef struct
{
  MaikoSupervisor *sup;
  MaikoHarness    *harness;
  char            *root_id;
} Fixture;

/* Linear: Start (alice → bob) → Process (bob → charlie) → Complete
 * (charlie → alice). */
static const TestReply linear_bob[] = { { "Start", "Process", "charlie" }, { NULL } };
static const TestReply linear_charlie[] = { { "Process", "Complete", "alice" }, { NULL } };

/* Branching: Start (alice → bob), then bob sends Process (→ charlie) and
 * Branch (→ alice). */
static const TestReply branching_bob[] = {
  { "Start", "Process", "charlie" },
  { "Start", "Branch", "alice" },
  { NULL }
};

/* Deeper: Root (alice → bob); bob sends A (→ charlie) and B (→ dave);
 * charlie answers A with A2 (→ alice). */
static const TestReply deep_bob[] = {
  { "Root", "A", "charlie" },
  { "Root", "B", "dave" },
  { NULL }
};
static const TestReply deep_charlie[] = { { "A", "A2", "alice" }, { NULL } };

static const TestReply no_reply[] = { { NULL } };

static void
add_actor (Fixture         *fixture,
           const char      *name,
           const TestReply *replies)
{
  const char *topics[] = { name, "team", NULL };
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

/* Sends @label to @to as alice and waits for @n deliveries in all. */
static void
run_chain (Fixture    *fixture,
           const char *label,
           const char *to,
           guint       n)
{
  g_autoptr(MaikoEvent) root = test_event_to (label, to);
  g_autoptr(GError) error = NULL;

  fixture->harness = maiko_harness_new (fixture->sup);
  g_assert_true (maiko_supervisor_start (fixture->sup, &error));
  g_assert_no_error (error);

  fixture->root_id = maiko_harness_send_as (fixture->harness, "alice", root, &error);
  g_assert_no_error (error);
  g_assert_true (maiko_harness_settle_on (fixture->harness, TEST_TIMEOUT_S * 1000, count_reached,
                                          GUINT_TO_POINTER (n), &error));
  g_assert_no_error (error);
  maiko_harness_settle (fixture->harness);
  g_assert_cmpuint (maiko_harness_delivery_count (fixture->harness), ==, n);
}

static void
setup_linear (Fixture       *fixture,
              gconstpointer  data)
{
  fixture->sup = maiko_supervisor_new ();
  test_route_by_payload (fixture->sup);
  add_actor (fixture, "alice", no_reply);
  add_actor (fixture, "bob", linear_bob);
  add_actor (fixture, "charlie", linear_charlie);
  run_chain (fixture, "Start", "bob", 3);
}

static void
setup_branching (Fixture       *fixture,
                 gconstpointer  data)
{
  fixture->sup = maiko_supervisor_new ();
  test_route_by_payload (fixture->sup);
  add_actor (fixture, "alice", no_reply);
  add_actor (fixture, "bob", branching_bob);
  add_actor (fixture, "charlie", no_reply);
  run_chain (fixture, "Start", "bob", 3);
}

static void
setup_deep (Fixture       *fixture,
            gconstpointer  data)
{
  fixture->sup = maiko_supervisor_new ();
  test_route_by_payload (fixture->sup);
  add_actor (fixture, "alice", no_reply);
  add_actor (fixture, "bob", deep_bob);
  add_actor (fixture, "charlie", deep_charlie);
  add_actor (fixture, "dave", no_reply);
  run_chain (fixture, "Root", "bob", 4);
}

/* Start goes to the "team" topic: bob and charlie both handle it. */
static void
setup_fan_out (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->sup = maiko_supervisor_new ();
  test_route_by_payload (fixture->sup);
  add_actor (fixture, "alice", no_reply);
  add_actor (fixture, "charlie", no_reply);
  add_actor (fixture, "bob", no_reply);
  run_chain (fixture, "Start", "team", 2);
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
  g_free (fixture->root_id);
}

static MaikoEventChain *
chain (Fixture *fixture)
{
  return maiko_harness_chain (fixture->harness, fixture->root_id);
}

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })
#define NONE ((const char * const []) { NULL })

static void
test_actor_trace_linear (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MaikoEventChain) linear = chain (fixture);
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (linear);
  g_auto(GStrv) all = maiko_actor_trace_all (actors);

  g_assert_cmpstr (maiko_event_chain_get_root_id (linear), ==, fixture->root_id);
  g_assert_cmpstrv (all, STRV ("alice", "bob", "charlie"));
  g_assert_true (maiko_actor_trace_contains (actors, "charlie"));
  g_assert_false (maiko_actor_trace_contains (actors, "dave"));
  g_assert_true (maiko_actor_trace_visited (actors, STRV ("alice", "bob", "charlie")));
  g_assert_false (maiko_actor_trace_visited (actors, STRV ("bob", "dave")));
  g_assert_true (maiko_actor_trace_visited (actors, NONE));

  g_assert_cmpuint (maiko_actor_trace_path_count (actors), ==, 1);
  /* Complete goes back to alice. */
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "charlie", "alice")));
  g_assert_false (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "charlie")));
  g_assert_false (maiko_actor_trace_exact (actors, STRV ("dave", "bob")));
  g_assert_true (maiko_actor_trace_exact (actors, NONE));
  g_assert_true (maiko_actor_trace_segment (actors, STRV ("bob", "charlie")));
  g_assert_true (maiko_actor_trace_segment (actors, STRV ("charlie", "alice")));
  g_assert_false (maiko_actor_trace_segment (actors, STRV ("alice", "charlie")));
  g_assert_true (maiko_actor_trace_passes_through (actors, STRV ("alice", "charlie")));
  g_assert_false (maiko_actor_trace_passes_through (actors, STRV ("charlie", "bob")));
}

static void
test_event_trace_linear (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MaikoEventChain) linear = chain (fixture);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (linear);
  g_autoptr(GPtrArray) all = maiko_event_trace_all (events);

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (maiko_event_entry_get_id (g_ptr_array_index (all, 0)), ==, fixture->root_id);
  g_assert_cmpstr (maiko_event_entry_get_label (g_ptr_array_index (all, 1)), ==, "Process");
  g_assert_cmpstr (maiko_event_entry_get_label (g_ptr_array_index (all, 2)), ==, "Complete");

  g_assert_true (maiko_event_trace_contains (events, "Start"));
  g_assert_true (maiko_event_trace_contains (events, "Process"));
  g_assert_true (maiko_event_trace_contains (events, "Complete"));
  g_assert_false (maiko_event_trace_contains (events, "Branch"));

  g_assert_cmpuint (maiko_event_trace_path_count (events), ==, 1);
  g_assert_true (maiko_event_trace_exact (events, STRV ("Start", "Process", "Complete")));
  g_assert_false (maiko_event_trace_exact (events, STRV ("Start", "Process")));
  g_assert_false (maiko_event_trace_exact (events, STRV ("Process", "Start", "Complete")));
  g_assert_true (maiko_event_trace_segment (events, STRV ("Start", "Process", "Complete")));
  g_assert_true (maiko_event_trace_segment (events, STRV ("Start", "Process")));
  g_assert_true (maiko_event_trace_segment (events, STRV ("Process", "Complete")));
  g_assert_false (maiko_event_trace_segment (events, STRV ("Start", "Complete")));
  g_assert_true (maiko_event_trace_segment (events, NONE));
  g_assert_true (maiko_event_trace_passes_through (events, STRV ("Start", "Complete")));
  g_assert_false (maiko_event_trace_passes_through (events, STRV ("Complete", "Start")));

  g_assert_false (maiko_event_chain_diverges_after (linear, "Start"));
  g_assert_false (maiko_event_chain_diverges_after (linear, "Process"));
  g_assert_cmpuint (maiko_event_chain_branches_after (linear, "Start"), ==, 1);
  g_assert_cmpuint (maiko_event_chain_branches_after (linear, "Complete"), ==, 0);
}

static gboolean
is_process (MaikoEvent *event,
            gpointer    user_data)
{
  return g_str_equal (maiko_event_get_label (event), "Process");
}

static gboolean
sent_by_charlie (MaikoEventEntry *entry,
                 gpointer         user_data)
{
  return g_str_equal (maiko_event_entry_get_sender (entry), "charlie");
}

static void
test_event_trace_matchers (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MaikoEventChain) linear = chain (fixture);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (linear);
  g_autoptr(MaikoEventMatcher) root = maiko_event_matcher_by_id (fixture->root_id);
  g_autoptr(MaikoEventMatcher) process = maiko_event_matcher_by_event (is_process, NULL, NULL);
  g_autoptr(MaikoEventMatcher) from_charlie =
    maiko_event_matcher_by_entry (sent_by_charlie, NULL, NULL);
  g_autoptr(MaikoEventMatcher) branch = maiko_event_matcher_by_label ("Branch");
  MaikoEventMatcher *path[] = { root, process, from_charlie };
  MaikoEventMatcher *wrong_order[] = { process, root };
  MaikoEventMatcher *ends[] = { root, from_charlie };

  g_assert_true (maiko_event_trace_contains_matching (events, from_charlie));
  g_assert_false (maiko_event_trace_contains_matching (events, branch));
  g_assert_true (maiko_event_trace_exact_matching (events, path, 3));
  g_assert_false (maiko_event_trace_exact_matching (events, path, 2));
  g_assert_true (maiko_event_trace_exact_matching (events, NULL, 0));
  g_assert_true (maiko_event_trace_segment_matching (events, path + 1, 2));
  g_assert_false (maiko_event_trace_segment_matching (events, ends, 2));
  g_assert_false (maiko_event_trace_segment_matching (events, wrong_order, 2));
  g_assert_true (maiko_event_trace_passes_through_matching (events, ends, 2));
  g_assert_false (maiko_event_trace_passes_through_matching (events, wrong_order, 2));

  g_assert_false (maiko_event_chain_diverges_after_matching (linear, root));
  g_assert_cmpuint (maiko_event_chain_branches_after_matching (linear, root), ==, 1);
  g_assert_cmpuint (maiko_event_chain_branches_after_matching (linear, branch), ==, 0);
}

static void
test_path_to (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MaikoEventChain) linear = chain (fixture);
  g_autoptr(MaikoEventChain) to_charlie = maiko_event_chain_path_to (linear, "charlie");
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (to_charlie);
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (to_charlie);
  g_autoptr(MaikoEventChain) to_dave = maiko_event_chain_path_to (linear, "dave");
  g_autoptr(MaikoEventTrace) no_events = maiko_event_chain_events (to_dave);
  g_autoptr(MaikoActorTrace) no_actors = maiko_event_chain_actors (to_dave);
  g_auto(GStrv) none = maiko_actor_trace_all (no_actors);
  g_autofree char *empty = maiko_event_chain_to_string (to_dave);
  g_autofree char *expected = NULL;
  g_autofree char *mermaid = maiko_event_chain_to_mermaid (to_dave);

  expected = g_strdup_printf ("EventChain (root: %s)\n  (empty)\n", fixture->root_id);

  /* Complete is what charlie sent, not what it received. */
  g_assert_true (maiko_event_trace_exact (events, STRV ("Start", "Process")));
  g_assert_false (maiko_event_trace_contains (events, "Complete"));
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "charlie")));
  g_assert_cmpstr (maiko_event_chain_get_root_id (to_charlie), ==, fixture->root_id);

  g_assert_false (maiko_event_trace_contains (no_events, "Start"));
  g_assert_cmpuint (maiko_event_trace_path_count (no_events), ==, 0);
  g_assert_cmpuint (maiko_actor_trace_path_count (no_actors), ==, 0);
  g_assert_cmpstrv (none, NONE);
  g_assert_true (maiko_actor_trace_visited (no_actors, NONE));
  g_assert_false (maiko_event_chain_diverges_after (to_dave, "Start"));
  g_assert_cmpuint (maiko_event_chain_branches_after (to_dave, "Start"), ==, 0);
  g_assert_cmpstr (empty, ==, expected);
  g_assert_cmpstr (mermaid, ==, "sequenceDiagram\n");
}

static void
test_text_linear (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MaikoEventChain) linear = chain (fixture);
  g_autofree char *tree = maiko_event_chain_to_string (linear);
  g_autofree char *mermaid = maiko_event_chain_to_mermaid (linear);
  g_autofree char *expected = g_strdup_printf ("EventChain (root: %s)\n"
                                               "Start [alice -> bob]\n"
                                               "└─ Process [bob -> charlie]\n"
                                               "   └─ Complete [charlie -> alice]\n",
                                               fixture->root_id);

  g_assert_cmpstr (tree, ==, expected);
  g_assert_cmpstr (mermaid, ==,
                   "sequenceDiagram\n"
                   "    alice->>bob:Start\n"
                   "    bob->>charlie:Process\n"
                   "    charlie->>alice:Complete\n");
}

static void
test_branching (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MaikoEventChain) branching = chain (fixture);
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (branching);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (branching);
  g_autoptr(MaikoEventMatcher) start = maiko_event_matcher_by_label ("Start");
  g_autoptr(GPtrArray) all = maiko_event_trace_all (events);
  g_autofree char *tree = maiko_event_chain_to_string (branching);
  g_autofree char *mermaid = maiko_event_chain_to_mermaid (branching);
  g_autofree char *expected = g_strdup_printf ("EventChain (root: %s)\n"
                                               "Start [alice -> bob]\n"
                                               "├─ Process [bob -> charlie]\n"
                                               "└─ Branch [bob -> alice]\n",
                                               fixture->root_id);

  /* Both branches, in the order bob sent them. */
  g_assert_cmpuint (maiko_actor_trace_path_count (actors), ==, 2);
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "charlie")));
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "alice")));
  g_assert_false (maiko_actor_trace_segment (actors, STRV ("charlie", "alice")));

  g_assert_cmpuint (maiko_event_trace_path_count (events), ==, 2);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (maiko_event_entry_get_label (g_ptr_array_index (all, 1)), ==, "Process");
  g_assert_cmpstr (maiko_event_entry_get_label (g_ptr_array_index (all, 2)), ==, "Branch");
  g_assert_true (maiko_event_trace_exact (events, STRV ("Start", "Process")));
  g_assert_true (maiko_event_trace_exact (events, STRV ("Start", "Branch")));
  g_assert_false (maiko_event_trace_exact (events, STRV ("Start", "Process", "Branch")));
  g_assert_true (maiko_event_trace_segment (events, STRV ("Start", "Branch")));
  g_assert_false (maiko_event_trace_segment (events, STRV ("Process", "Branch")));
  g_assert_false (maiko_event_trace_passes_through (events, STRV ("Process", "Branch")));

  g_assert_true (maiko_event_chain_diverges_after (branching, "Start"));
  g_assert_true (maiko_event_chain_diverges_after_matching (branching, start));
  g_assert_false (maiko_event_chain_diverges_after (branching, "Process"));
  g_assert_false (maiko_event_chain_diverges_after (branching, "Branch"));
  g_assert_cmpuint (maiko_event_chain_branches_after (branching, "Start"), ==, 2);
  g_assert_cmpuint (maiko_event_chain_branches_after (branching, "Process"), ==, 0);
  g_assert_cmpuint (maiko_event_chain_branches_after (branching, "NonExistent"), ==, 0);

  g_assert_cmpstr (tree, ==, expected);
  g_assert_cmpstr (mermaid, ==,
                   "sequenceDiagram\n"
                   "    alice->>bob:Start\n"
                   "    bob->>charlie:Process\n"
                   "    bob->>alice:Branch\n");
}

static void
test_deep (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(MaikoEventChain) deep = chain (fixture);
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (deep);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (deep);
  g_autoptr(MaikoEventChain) to_alice = maiko_event_chain_path_to (deep, "alice");
  g_autoptr(MaikoEventTrace) to_alice_events = maiko_event_chain_events (to_alice);
  g_auto(GStrv) all = maiko_actor_trace_all (actors);
  g_autofree char *tree = maiko_event_chain_to_string (deep);
  g_autofree char *expected = g_strdup_printf ("EventChain (root: %s)\n"
                                               "Root [alice -> bob]\n"
                                               "├─ A [bob -> charlie]\n"
                                               "│  └─ A2 [charlie -> alice]\n"
                                               "└─ B [bob -> dave]\n",
                                               fixture->root_id);
  g_autofree char *path_tree = maiko_event_chain_to_string (to_alice);
  g_autofree char *expected_path = g_strdup_printf ("EventChain (root: %s)\n"
                                                    "Root [alice -> bob]\n"
                                                    "└─ A [bob -> charlie]\n"
                                                    "   └─ A2 [charlie -> alice]\n",
                                                    fixture->root_id);

  g_assert_cmpstrv (all, STRV ("alice", "bob", "charlie", "dave"));
  g_assert_cmpuint (maiko_actor_trace_path_count (actors), ==, 2);
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "charlie", "alice")));
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob", "dave")));
  g_assert_true (maiko_actor_trace_passes_through (actors, STRV ("alice", "dave")));
  g_assert_false (maiko_actor_trace_passes_through (actors, STRV ("charlie", "dave")));

  g_assert_cmpuint (maiko_event_trace_path_count (events), ==, 2);
  g_assert_true (maiko_event_trace_exact (events, STRV ("Root", "A", "A2")));
  g_assert_true (maiko_event_trace_exact (events, STRV ("Root", "B")));
  g_assert_false (maiko_event_trace_passes_through (events, STRV ("A", "B")));
  g_assert_true (maiko_event_chain_diverges_after (deep, "Root"));
  g_assert_false (maiko_event_chain_diverges_after (deep, "A"));
  g_assert_cmpuint (maiko_event_chain_branches_after (deep, "A"), ==, 1);

  g_assert_cmpstr (tree, ==, expected);
  g_assert_cmpuint (maiko_event_trace_path_count (to_alice_events), ==, 1);
  g_assert_cmpstr (path_tree, ==, expected_path);
}

static void
test_fan_out (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MaikoEventChain) fan_out = chain (fixture);
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (fan_out);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (fan_out);
  g_autofree char *tree = maiko_event_chain_to_string (fan_out);
  g_autofree char *expected = g_strdup_printf ("EventChain (root: %s)\n"
                                               "Start [alice -> bob, charlie]\n",
                                               fixture->root_id);

  /* One event, two receivers: two actor paths, one event path. */
  g_assert_cmpuint (maiko_actor_trace_path_count (actors), ==, 2);
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "bob")));
  g_assert_true (maiko_actor_trace_exact (actors, STRV ("alice", "charlie")));
  g_assert_cmpuint (maiko_event_trace_path_count (events), ==, 1);
  g_assert_true (maiko_event_trace_exact (events, STRV ("Start")));
  g_assert_false (maiko_event_chain_diverges_after (fan_out, "Start"));
  /* Receivers sorted by name, whatever the order they handled it in. */
  g_assert_cmpstr (tree, ==, expected);
}

static void
test_unknown_root (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MaikoEventChain) unknown = maiko_harness_chain (fixture->harness, "no-such-id");
  g_autoptr(MaikoActorTrace) actors = maiko_event_chain_actors (unknown);
  g_autoptr(MaikoEventTrace) events = maiko_event_chain_events (unknown);
  g_autofree char *tree = maiko_event_chain_to_string (unknown);

  g_assert_cmpuint (maiko_actor_trace_path_count (actors), ==, 0);
  g_assert_cmpuint (maiko_event_trace_path_count (events), ==, 0);
  g_assert_false (maiko_event_trace_exact (events, STRV ("Start")));
  g_assert_true (maiko_event_trace_passes_through (events, NONE));
  g_assert_cmpstr (tree, ==, "EventChain (root: no-such-id)\n  (empty)\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/event-chain/actor-trace/linear", Fixture, NULL, setup_linear,
              test_actor_trace_linear, teardown);
  g_test_add ("/event-chain/event-trace/linear", Fixture, NULL, setup_linear,
              test_event_trace_linear, teardown);
  g_test_add ("/event-chain/event-trace/matchers", Fixture, NULL, setup_linear,
              test_event_trace_matchers, teardown);
  g_test_add ("/event-chain/path-to", Fixture, NULL, setup_linear, test_path_to, teardown);
  g_test_add ("/event-chain/text/linear", Fixture, NULL, setup_linear, test_text_linear, teardown);
  g_test_add ("/event-chain/branching", Fixture, NULL, setup_branching, test_branching, teardown);
  g_test_add ("/event-chain/deep", Fixture, NULL, setup_deep, test_deep, teardown);
  g_test_add ("/event-chain/fan-out", Fixture, NULL, setup_fan_out, test_fan_out, teardown);
  g_test_add ("/event-chain/unknown-root", Fixture, NULL, setup_linear, test_unknown_root,
              teardown);

  return g_test_run ();
}
