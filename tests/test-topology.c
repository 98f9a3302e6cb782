/* test-topology.c: to_json and to_mermaid against golden files, and the
 * publishes property they rely on
 *
 * SPDX-License-Identifier: MIT
 *
 * The golden files live in tests/topology. After a deliberate change of
 * the formats, rewrite them with
 *   MAIKO_UPDATE_GOLDEN=1 meson test -C <builddir> topology
 * and review the diff.
 */

#include <json-glib/json-glib.h>

#include "test-util.h"

#define TOPICS(...) ((const char * const []) { __VA_ARGS__, NULL })

static void
add_actor (MaikoSupervisor    *sup,
           const char         *name,
           const char * const *subscribes,
           const char * const *publishes)
{
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(GError) error = NULL;

  maiko_actor_set_publishes (MAIKO_ACTOR (actor), publishes);
  g_assert_true (maiko_supervisor_add_actor (sup, name, MAIKO_ACTOR (actor), subscribes, &error));
  g_assert_no_error (error);
}

static void
set_policy (MaikoSupervisor     *sup,
            const char          *topic,
            MaikoOverflowPolicy  policy)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_set_topic_policy (sup, topic, policy, &error));
  g_assert_no_error (error);
}

static void
assert_golden (const char *text,
               const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "topology", name, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("MAIKO_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }

  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
}

/* Both renderings of @sup match @name.json and @name.mmd, and the JSON
 * parses. */
static void
assert_topology (MaikoSupervisor *sup,
                 const char      *name)
{
  g_autofree char *json = maiko_supervisor_to_json (sup);
  g_autofree char *mermaid = maiko_supervisor_to_mermaid (sup);
  g_autofree char *json_name = g_strconcat (name, ".json", NULL);
  g_autofree char *mermaid_name = g_strconcat (name, ".mmd", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  assert_golden (json, json_name);
  assert_golden (mermaid, mermaid_name);
}

/* reader → lines (BLOCK) → parser → records → writer; the reader names
 * "lines" twice and the parser declares its topics out of order. */
static void
add_pipeline (MaikoSupervisor *sup)
{
  add_actor (sup, "reader", NULL, TOPICS ("lines", "lines"));
  add_actor (sup, "parser", TOPICS ("lines"), TOPICS ("records", "errors"));
  add_actor (sup, "writer", TOPICS ("records"), NULL);
  set_policy (sup, "lines", MAIKO_OVERFLOW_POLICY_BLOCK);
}

static void
test_pipeline (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();

  add_pipeline (sup);
  assert_topology (sup, "pipeline");
}

/* The description does not depend on the state. */
static void
test_any_state (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();

  add_pipeline (sup);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  assert_topology (sup, "pipeline");
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  assert_topology (sup, "pipeline");
}

/* A wildcard subscriber receives every topic, but not its own; a topic
 * may exist only through its policy; an actor may name no topic. */
static void
test_wildcard (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();

  set_policy (sup, "audit", MAIKO_OVERFLOW_POLICY_DROP);
  add_actor (sup, "sensor", NULL, TOPICS ("temperature", "pressure"));
  add_actor (sup, "logger", TOPICS (MAIKO_TOPIC_ALL), TOPICS ("log"));
  add_actor (sup, "display", TOPICS ("temperature"), NULL);
  add_actor (sup, "idle", NULL, NULL);
  set_policy (sup, "pressure", MAIKO_OVERFLOW_POLICY_FAIL);

  assert_topology (sup, "wildcard");
}

/* Names with quotes, markup, entity starts, a newline, non-ASCII letters,
 * a Mermaid keyword, and two names that sanitize to the same id. */
static void
test_escaping (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();

  add_actor (sup, "say \"hi\"", NULL, TOPICS ("<b>bold</b> & #1"));
  add_actor (sup, "a-b", TOPICS ("<b>bold</b> & #1"), TOPICS ("two\nlines"));
  add_actor (sup, "a.b", TOPICS ("two\nlines"), TOPICS ("`code`"));
  add_actor (sup, "end", TOPICS ("`code`", "café"), NULL);
  add_actor (sup, "café", NULL, TOPICS ("café"));

  assert_topology (sup, "escaping");
}

static void
test_empty (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();

  assert_topology (sup, "empty");
}

static gpointer
describe_until_stopped (gpointer data)
{
  MaikoSupervisor *sup = data;
  guint last = 0;

  while (maiko_supervisor_is_running (sup))
    {
      g_autofree char *json = maiko_supervisor_to_json (sup);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;
      guint n;

      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      root = json_node_get_object (json_parser_get_root (parser));
      n = json_array_get_length (json_object_get_array_member (root, "actors"));
      /* Each call sees one instant: never fewer actors than before. */
      g_assert_cmpuint (n, >=, last);
      last = n;
    }

  return GUINT_TO_POINTER (last);
}

/* Describing while another thread adds actors sees whole snapshots. */
static void
test_concurrent_adds (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  GThread *thread;

  g_assert_true (maiko_supervisor_start (sup, NULL));
  thread = g_thread_new ("describe", describe_until_stopped, sup);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("actor%u", i);
      g_autofree char *topic = g_strdup_printf ("t%u", i);

      add_actor (sup, name, TOPICS (topic), TOPICS ("shared"));
    }
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_thread_join (thread)), <=, 50);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

static void
test_publishes_property (void)
{
  g_autoptr(TestActor) test_actor = test_actor_new ();
  MaikoActor *actor = MAIKO_ACTOR (test_actor);
  g_auto(GStrv) value = NULL;
  guint notified = 0;

  g_assert_null (maiko_actor_get_publishes (actor));
  g_signal_connect (actor, "notify::publishes", G_CALLBACK (count_notify), &notified);

  maiko_actor_set_publishes (actor, TOPICS ("a", "b"));
  g_assert_cmpstrv (maiko_actor_get_publishes (actor), TOPICS ("a", "b"));
  g_assert_cmpuint (notified, ==, 1);

  /* The same value again changes nothing. */
  maiko_actor_set_publishes (actor, TOPICS ("a", "b"));
  g_assert_cmpuint (notified, ==, 1);

  g_object_set (actor, "publishes", TOPICS ("c"), NULL);
  g_object_get (actor, "publishes", &value, NULL);
  g_assert_cmpstrv (value, TOPICS ("c"));
  g_assert_cmpuint (notified, ==, 2);

  /* An empty array declares none, as NULL does. */
  maiko_actor_set_publishes (actor, (const char * const []) { NULL });
  g_assert_null (maiko_actor_get_publishes (actor));
  g_assert_cmpuint (notified, ==, 3);
  maiko_actor_set_publishes (actor, NULL);
  g_assert_cmpuint (notified, ==, 3);
}

/* Bad topics are programming errors: a critical, and nothing changes. */
static void
test_publishes_validation (void)
{
  g_autoptr(TestActor) test_actor = test_actor_new ();
  MaikoActor *actor = MAIKO_ACTOR (test_actor);

  maiko_actor_set_publishes (actor, TOPICS ("ok"));

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*!= '\\0'*");
  maiko_actor_set_publishes (actor, TOPICS ("a", ""));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*g_utf8_validate*");
  maiko_actor_set_publishes (actor, TOPICS ("\xc3\x28"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_TOPIC_ALL*");
  maiko_actor_set_publishes (actor, TOPICS ("a", MAIKO_TOPIC_ALL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_IS_ACTOR*");
  maiko_actor_set_publishes (NULL, TOPICS ("a"));
  g_test_assert_expected_messages ();

  g_assert_cmpstrv (maiko_actor_get_publishes (actor), TOPICS ("ok"));
}

/* Like the other settings, publishes is frozen once the actor is added. */
static void
test_publishes_frozen_after_add (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) test_actor = test_actor_new ();
  MaikoActor *actor = MAIKO_ACTOR (test_actor);

  maiko_actor_set_publishes (actor, TOPICS ("before"));
  g_assert_true (maiko_supervisor_add_actor (sup, "a", actor, NULL, NULL));

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*was_added*");
  maiko_actor_set_publishes (actor, TOPICS ("after"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*was_added*");
  g_object_set (actor, "publishes", NULL, NULL);
  g_test_assert_expected_messages ();

  g_assert_cmpstrv (maiko_actor_get_publishes (actor), TOPICS ("before"));
}

static void
test_null_supervisor (void)
{
  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_IS_SUPERVISOR*");
  g_assert_null (maiko_supervisor_to_json (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_IS_SUPERVISOR*");
  g_assert_null (maiko_supervisor_to_mermaid (NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/topology/pipeline", test_pipeline);
  g_test_add_func ("/topology/any-state", test_any_state);
  g_test_add_func ("/topology/wildcard", test_wildcard);
  g_test_add_func ("/topology/escaping", test_escaping);
  g_test_add_func ("/topology/empty", test_empty);
  g_test_add_func ("/topology/concurrent-adds", test_concurrent_adds);
  g_test_add_func ("/topology/publishes-property", test_publishes_property);
  g_test_add_func ("/topology/publishes-validation", test_publishes_validation);
  g_test_add_func ("/topology/publishes-frozen-after-add", test_publishes_frozen_after_add);
  g_test_add_func ("/topology/null-supervisor", test_null_supervisor);

  return g_test_run ();
}
