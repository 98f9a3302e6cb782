/* test-errors.c: bad input gets a GError and leaves the runtime usable
 *
 * SPDX-License-Identifier: MIT
 */

#include <string.h>

#include "test-util.h"

static void
assert_add_fails (MaikoSupervisor    *sup,
                  const char         *name,
                  MaikoActor         *actor,
                  const char * const *topics,
                  gint                code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (maiko_supervisor_add_actor (sup, name, actor, topics, &error));
  g_assert_error (error, MAIKO_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_bad_actors (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(TestActor) other = test_actor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);
  const char *good[] = { MAIKO_DEFAULT_TOPIC, NULL };
  const char *empty_topic[] = { "a", "", NULL };
  const char *bad_utf8_topic[] = { "\xc3\x28", NULL };
  const char *star_and_more[] = { MAIKO_TOPIC_ALL, "a", NULL };
  const char *more_and_star[] = { "a", MAIKO_TOPIC_ALL, NULL };
  const char *twice[] = { "a", "b", "a", NULL };

  assert_add_fails (sup, "", MAIKO_ACTOR (actor), good, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "\xff", MAIKO_ACTOR (actor), good, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, MAIKO_SUPERVISOR_NAME, MAIKO_ACTOR (actor), good, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "a", MAIKO_ACTOR (actor), empty_topic, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "a", MAIKO_ACTOR (actor), bad_utf8_topic, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "a", MAIKO_ACTOR (actor), star_and_more, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "a", MAIKO_ACTOR (actor), more_and_star, MAIKO_ERROR_INVALID_ARGUMENT);
  assert_add_fails (sup, "a", MAIKO_ACTOR (actor), twice, MAIKO_ERROR_INVALID_ARGUMENT);

  /* None of that left a trace: the name and the actor are still free. */
  g_assert_null (maiko_supervisor_get_actor (sup, "a"));
  g_assert_true (maiko_supervisor_add_actor (sup, "a", MAIKO_ACTOR (actor), good, NULL));
  g_assert_true (maiko_supervisor_get_actor (sup, "a") == MAIKO_ACTOR (actor));
  g_assert_cmpstr (maiko_actor_get_name (MAIKO_ACTOR (actor)), ==, "a");

  assert_add_fails (sup, "a", MAIKO_ACTOR (other), good, MAIKO_ERROR_DUPLICATE_ACTOR);
  assert_add_fails (sup, "b", MAIKO_ACTOR (actor), good, MAIKO_ERROR_DUPLICATE_ACTOR);
  g_assert_null (maiko_actor_get_name (MAIKO_ACTOR (other)));

  /* Still usable. */
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_cmpuint (actor->n_handled, ==, 1);
}

static void
test_bad_policies (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (maiko_supervisor_set_topic_policy (sup, "", MAIKO_OVERFLOW_POLICY_DROP, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_topic_policy (sup, MAIKO_TOPIC_ALL, MAIKO_OVERFLOW_POLICY_DROP, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_topic_policy (sup, "t", (MaikoOverflowPolicy) 42, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_topic_policy (sup, "t", (MaikoOverflowPolicy) -1, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpint (maiko_supervisor_get_topic_policy (sup, "t"), ==, MAIKO_OVERFLOW_POLICY_FAIL);
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "t", MAIKO_OVERFLOW_POLICY_DROP, &error));
  g_assert_cmpint (maiko_supervisor_get_topic_policy (sup, "t"), ==, MAIKO_OVERFLOW_POLICY_DROP);
}

static char *
no_topic (MaikoEvent *event,
          gpointer    user_data)
{
  return g_str_equal (maiko_event_get_label (event), "Lost") ? NULL : g_strdup ("");
}

static void
test_bad_topic_func (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(MaikoEvent) lost = maiko_event_new ("Lost", NULL);
  g_autoptr(MaikoEvent) empty = maiko_event_new ("Empty", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_set_topic_func (sup, no_topic, NULL, NULL, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_false (maiko_supervisor_send (sup, lost, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_send (sup, empty, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

static void
destroy_counter (gpointer data)
{
  (*(guint *) data)++;
}

/* Starting twice, routing changes once started, using a stopped
 * supervisor, sending before start and after stop. */
static void
test_wrong_states (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(TestActor) late = test_actor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);
  g_autoptr(GError) error = NULL;
  MaikoContext *context;
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  guint destroyed = 0;

  g_assert_true (maiko_supervisor_add_actor (sup, "actor", MAIKO_ACTOR (actor), topics, NULL));
  context = maiko_actor_get_context (MAIKO_ACTOR (actor));

  g_assert_false (maiko_supervisor_send (sup, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_context_send (context, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_stop (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_join (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_false (maiko_supervisor_start (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_route_by_label (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_topic_func (sup, no_topic, &destroyed, destroy_counter, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (destroyed, ==, 1);

  /* Still running fine. */
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_false (maiko_supervisor_send (sup, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
  g_clear_error (&error);
  g_assert_false (maiko_context_send (context, event, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_start (sup, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_add_actor (sup, "late", MAIKO_ACTOR (late), NULL, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (maiko_supervisor_set_topic_policy (sup, "t", MAIKO_OVERFLOW_POLICY_DROP, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_true (maiko_supervisor_join (sup, NULL));
  g_assert_cmpuint (actor->n_handled, ==, 1);
}

static void
test_context_of_lone_actor (void)
{
  g_autoptr(TestActor) actor = test_actor_new ();

  g_assert_null (maiko_actor_get_context (MAIKO_ACTOR (actor)));
  g_assert_null (maiko_actor_get_name (MAIKO_ACTOR (actor)));
  g_assert_false (maiko_actor_is_running (MAIKO_ACTOR (actor)));
}

typedef struct
{
  MaikoSupervisor *sup;
  gint             stop_code;
  gint             join_code;
} InsideCalls;

static gboolean
call_blocking_inside (TestActor      *self,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  InsideCalls *calls = self->data;
  g_autoptr(GError) stop_error = NULL;
  g_autoptr(GError) join_error = NULL;

  g_assert_false (maiko_supervisor_stop (calls->sup, &stop_error));
  g_assert_false (maiko_supervisor_join (calls->sup, &join_error));
  g_assert_true (g_error_matches (stop_error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE));
  g_assert_true (strstr (stop_error->message, "maiko_context_stop_runtime") != NULL);
  calls->stop_code = stop_error->code;
  calls->join_code = join_error->code;

  return TRUE;
}

/* stop and join from inside an actor would wait for themselves: refused. */
static void
test_blocking_calls_inside_actor (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Go", NULL);
  const char *topics[] = { MAIKO_DEFAULT_TOPIC, NULL };
  InsideCalls calls = { sup, -1, -1 };

  actor->handle = call_blocking_inside;
  actor->data = &calls;
  g_assert_true (maiko_supervisor_add_actor (sup, "actor", MAIKO_ACTOR (actor), topics, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (test_actor_wait_handled (actor, 1));
  g_assert_true (maiko_supervisor_is_running (sup));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  g_assert_cmpint (calls.stop_code, ==, MAIKO_ERROR_WRONG_STATE);
  g_assert_cmpint (calls.join_code, ==, MAIKO_ERROR_WRONG_STATE);
}

/* NULL where not allowed is a programming error: a critical, as in GLib. */
/* A handler reports errors with maiko_context_fail() and returns TRUE: the
 * call failed, with the first error it reported. */
static gboolean
fail_twice (TestActor      *self,
            MaikoEnvelope  *envelope,
            GError        **error)
{
  MaikoContext *context = maiko_actor_get_context (MAIKO_ACTOR (self));
  g_autoptr(GError) first = g_error_new (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "first %" G_GINT64_FORMAT,
                                         test_envelope_int (envelope));
  g_autoptr(GError) second = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "second");

  maiko_context_fail (context, first);
  maiko_context_fail (context, second);
  return TRUE;
}

static guint n_step_calls;

/* A step fails its first three calls, with an error it reports, and asks
 * never to be called again: a swallowed failure steps again anyway. */
static MaikoStepAction
fail_step (TestActor *self)
{
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "step %u",
                                         ++n_step_calls);

  if (n_step_calls <= 3)
    maiko_context_fail (maiko_actor_get_context (MAIKO_ACTOR (self)), error);
  return MAIKO_STEP_ACTION_NEVER;
}

static gboolean
has_four_steps (TestActor *self,
                gpointer   data)
{
  return self->n_steps >= 4;
}

static gboolean
has_three_errors (TestActor *self,
                  gpointer   data)
{
  return self->n_errors >= 3;
}

static void
test_context_fail (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) handler = test_actor_new ();
  g_autoptr(TestActor) stepper = test_actor_new ();

  handler->handle = fail_twice;
  handler->swallow_errors = TRUE;
  stepper->step = fail_step;
  stepper->swallow_errors = TRUE;
  test_add (sup, "handler", handler, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "stepper", stepper, NULL);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "N", 3);
  g_assert_true (test_actor_wait (handler, has_three_errors, NULL));
  g_assert_true (test_actor_wait (stepper, has_four_steps, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));

  /* Each event failed once, with the first of its two errors. */
  g_assert_cmpuint (handler->n_errors, ==, 3);
  g_assert_cmpstr (handler->last_error, ==, "first 2");
  /* Three failures, each swallowed and stepped again; then NEVER held. */
  g_assert_cmpuint (stepper->n_errors, ==, 3);
  g_assert_cmpuint (stepper->n_steps, ==, 4);
  g_assert_cmpstr (stepper->last_error, ==, "step 3");
}

static void
test_null_arguments (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(MaikoEvent) event = maiko_event_new ("Hello", NULL);

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_false (maiko_supervisor_add_actor (sup, NULL, MAIKO_ACTOR (actor), NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_IS_ACTOR*");
  g_assert_false (maiko_supervisor_add_actor (sup, "a", NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*event != NULL*");
  g_assert_false (maiko_supervisor_send (sup, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*MAIKO_IS_SUPERVISOR*");
  g_assert_false (maiko_supervisor_start (NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*topic != NULL*");
  g_assert_false (maiko_supervisor_set_topic_policy (sup, NULL, MAIKO_OVERFLOW_POLICY_DROP, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*envelope != NULL*");
  g_assert_null (maiko_envelope_get_id (NULL));
  g_test_assert_expected_messages ();

  /* The supervisor is unharmed. */
  g_assert_true (maiko_supervisor_add_actor (sup, "a", MAIKO_ACTOR (actor), NULL, NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  g_assert_true (maiko_supervisor_send (sup, event, NULL));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/errors/bad-actors", test_bad_actors);
  g_test_add_func ("/errors/bad-policies", test_bad_policies);
  g_test_add_func ("/errors/bad-topic-func", test_bad_topic_func);
  g_test_add_func ("/errors/wrong-states", test_wrong_states);
  g_test_add_func ("/errors/context-of-lone-actor", test_context_of_lone_actor);
  g_test_add_func ("/errors/blocking-calls-inside-actor", test_blocking_calls_inside_actor);
  g_test_add_func ("/errors/null-arguments", test_null_arguments);
  g_test_add_func ("/errors/context-fail", test_context_fail);

  return g_test_run ();
}
