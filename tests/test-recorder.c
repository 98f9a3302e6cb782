/* test-recorder.c: MaikoRecorder's JSON Lines, written and read back
 *
 * SPDX-License-Identifier: MIT
 */

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-util.h"

/* A temporary directory that the test removes with what it holds. */
typedef struct
{
  char *dir;
} TmpDir;

static TmpDir *
tmp_dir_new (void)
{
  TmpDir *tmp = g_new0 (TmpDir, 1);
  g_autoptr(GError) error = NULL;

  tmp->dir = g_dir_make_tmp ("maiko-recorder-XXXXXX", &error);
  g_assert_no_error (error);
  return tmp;
}

static char *
tmp_dir_path (TmpDir     *tmp,
              const char *name)
{
  return g_build_filename (tmp->dir, name, NULL);
}

static void
tmp_dir_free (TmpDir *tmp)
{
  g_autoptr(GDir) dir = g_dir_open (tmp->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (tmp->dir), ==, 0);
  g_free (tmp->dir);
  g_free (tmp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TmpDir, tmp_dir_free)

/* What a plain monitor beside the recorder saw, one entry per signal. */
typedef struct
{
  MaikoRecordHook      hook;
  MaikoEnvelope       *envelope;    /* event hooks */
  char                *topic;
  char                *actor;       /* the receiver, or the actor */
  MaikoOverflowPolicy  policy;
  GError              *error;
} Seen;

static void
seen_free (Seen *seen)
{
  g_clear_pointer (&seen->envelope, maiko_envelope_unref);
  g_free (seen->topic);
  g_free (seen->actor);
  g_clear_error (&seen->error);
  g_free (seen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Seen, seen_free)

static Seen *
seen_new (GPtrArray       *log,
          MaikoRecordHook  hook,
          const char      *actor)
{
  Seen *seen = g_new0 (Seen, 1);

  seen->hook = hook;
  seen->actor = g_strdup (actor);
  g_ptr_array_add (log, seen);
  return seen;
}

static void
seen_event (GPtrArray       *log,
            MaikoRecordHook  hook,
            MaikoEnvelope   *envelope,
            const char      *topic,
            const char      *receiver)
{
  Seen *seen = seen_new (log, hook, receiver);

  seen->envelope = maiko_envelope_ref (envelope);
  seen->topic = g_strdup (topic);
}

static void
on_dispatched (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
               const char *receiver, GPtrArray *log)
{
  seen_event (log, MAIKO_RECORD_HOOK_EVENT_DISPATCHED, envelope, topic, receiver);
}

static void
on_delivered (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
              const char *receiver, GPtrArray *log)
{
  seen_event (log, MAIKO_RECORD_HOOK_EVENT_DELIVERED, envelope, topic, receiver);
}

static void
on_handled (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
            const char *receiver, GPtrArray *log)
{
  seen_event (log, MAIKO_RECORD_HOOK_EVENT_HANDLED, envelope, topic, receiver);
}

static void
on_overflow (MaikoMonitor *monitor, MaikoEnvelope *envelope, const char *topic,
             const char *receiver, MaikoOverflowPolicy policy, GPtrArray *log)
{
  seen_event (log, MAIKO_RECORD_HOOK_OVERFLOW, envelope, topic, receiver);
  ((Seen *) g_ptr_array_index (log, log->len - 1))->policy = policy;
}

static void
on_error (MaikoMonitor *monitor, const char *actor, const GError *error, GPtrArray *log)
{
  seen_new (log, MAIKO_RECORD_HOOK_ERROR, actor)->error = g_error_copy (error);
}

static void
on_registered (MaikoMonitor *monitor, const char *actor, GPtrArray *log)
{
  seen_new (log, MAIKO_RECORD_HOOK_ACTOR_REGISTERED, actor);
}

static void
on_stopped (MaikoMonitor *monitor, const char *actor, GPtrArray *log)
{
  seen_new (log, MAIKO_RECORD_HOOK_ACTOR_STOPPED, actor);
}

static MaikoMonitor *
witness_new (GPtrArray *log)
{
  MaikoMonitor *monitor = maiko_monitor_new ();

  g_signal_connect (monitor, "event-dispatched", G_CALLBACK (on_dispatched), log);
  g_signal_connect (monitor, "event-delivered", G_CALLBACK (on_delivered), log);
  g_signal_connect (monitor, "event-handled", G_CALLBACK (on_handled), log);
  g_signal_connect (monitor, "overflow", G_CALLBACK (on_overflow), log);
  g_signal_connect (monitor, "error", G_CALLBACK (on_error), log);
  g_signal_connect (monitor, "actor-registered", G_CALLBACK (on_registered), log);
  g_signal_connect (monitor, "actor-stopped", G_CALLBACK (on_stopped), log);
  return monitor;
}

/* The payloads of the "work" events, in GVariant text format; one more
 * work event has no payload. The first one is answered with a child. */
static const char *work_payloads[] = {
  "int64 42",
  "2.5",
  "true",
  "'h\\u00e9llo \"world\"\\n'",
  "(int64 -7, 'seven', false)",
  "@ax [1, 2, 3]",
  "@(ai(sd)) ([1, 2], ('pi', 3.25))",
  "@a{sa{sx}} {'outer': {'inner': 9, 'other': -9}}",
  "{'name': <'box'>, 'size': <int32 3>, 'tags': <['a', 'b']>, 'nested': <{'ok': <true>}>}",
  "@(sd) ('not a number', nan)",
  "@(sd) ('huge', 1e22)",
  "@(sd) ('large', 1.5e300)",
  "@ms nothing",
  "uint64 18446744073709551615",
  "@ay [0, 255]",
  "objectpath '/org/example/Box'",
};

#define N_WORK (G_N_ELEMENTS (work_payloads) + 1)

static MaikoEvent *
work_event (guint i)
{
  /* Parsed values are not floating: the event takes a reference more. */
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GError) error = NULL;

  if (i < G_N_ELEMENTS (work_payloads))
    {
      payload = g_variant_parse (NULL, work_payloads[i], NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return maiko_event_new ("work", payload);
}

static void
send_event (MaikoSupervisor *sup,
            MaikoEvent      *event)
{
  g_autoptr(MaikoEvent) owned = event;
  g_autoptr(GError) error = NULL;

  g_assert_true (maiko_supervisor_send (sup, event, &error));
  g_assert_no_error (error);
}

static gboolean
reply_to_first (TestActor      *self,
                MaikoEnvelope  *envelope,
                GError        **error)
{
  g_autoptr(MaikoEvent) reply = NULL;

  if (test_actor_get_handled (self) > 0)
    return TRUE;
  reply = maiko_event_new ("reply", g_variant_new_string ("ack"));
  return maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), reply,
                                         maiko_envelope_get_id (envelope), error);
}

static gboolean
fail_on_event (TestActor      *self,
               MaikoEnvelope  *envelope,
               GError        **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad data");
  return FALSE;
}

static TestActor *
keeping_actor_new (void)
{
  TestActor *actor = test_actor_new ();

  actor->keep_envelopes = TRUE;
  return actor;
}

/* The actors of the recorded run, and what they received. */
typedef struct
{
  TestActor *left;      /* "work"; answers the first with a child "reply" */
  TestActor *right;     /* "work" and "reply" */
  TestActor *stuck;     /* "jam" (DROP), mailbox of one, held at its gate */
  TestActor *failing;   /* "bad", whose handler fails */
} Run;

static void
run_clear (Run *run)
{
  g_clear_object (&run->left);
  g_clear_object (&run->right);
  g_clear_object (&run->stuck);
  g_clear_object (&run->failing);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Records a run: N_WORK events to two receivers, a child event, two DROP
 * overflows, a failing handler; every actor then stops. */
static void
record_run (Run          *run,
            MaikoMonitor *recorder,
            MaikoMonitor *witness)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  const char *right_topics[] = { "work", "reply", NULL };

  run->left = keeping_actor_new ();
  run->right = keeping_actor_new ();
  run->stuck = keeping_actor_new ();
  run->failing = keeping_actor_new ();
  run->left->handle = reply_to_first;
  run->failing->handle = fail_on_event;
  maiko_actor_set_mailbox_capacity (MAIKO_ACTOR (run->stuck), 1);
  test_actor_close_gate (run->stuck);

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  g_assert_true (maiko_supervisor_set_topic_policy (sup, "jam", MAIKO_OVERFLOW_POLICY_DROP, NULL));
  g_assert_true (maiko_supervisor_add_monitor (sup, recorder, NULL));
  g_assert_true (maiko_supervisor_add_monitor (sup, witness, NULL));
  test_add (sup, "left", run->left, "work");
  g_assert_true (maiko_supervisor_add_actor (sup, "right", MAIKO_ACTOR (run->right), right_topics,
                                             NULL));
  test_add (sup, "stuck", run->stuck, "jam");
  test_add (sup, "failing", run->failing, "bad");
  g_assert_true (maiko_supervisor_start (sup, NULL));

  for (guint i = 0; i < N_WORK; i++)
    send_event (sup, work_event (i));

  /* One jam in hand at the gate, one in the mailbox, two dropped. */
  test_send_n (sup, "jam", 1);
  g_assert_true (test_actor_wait_at_gate (run->stuck));
  test_send_n (sup, "jam", 3);
  test_actor_open_gate (run->stuck);

  test_send_n (sup, "bad", 1);

  g_assert_true (test_actor_wait_handled (run->left, N_WORK));
  g_assert_true (test_actor_wait_handled (run->right, N_WORK + 1));
  g_assert_true (test_actor_wait_handled (run->stuck, 2));
  g_assert_true (test_actor_wait_shutdown (run->failing));
  /* Emits what this thread's monitors hold, and the actor-stopped; reports
   * the failing actor's error. */
  test_stop_failed (sup, "bad data");
}

static guint
count_hook (GPtrArray       *records,
            MaikoRecordHook  hook)
{
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    if (maiko_record_get_hook (g_ptr_array_index (records, i)) == hook)
      n++;
  return n;
}

static gboolean
payloads_equal (GVariant *a,
                GVariant *b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && g_variant_equal (a, b));
}

static void
assert_record_is_seen (MaikoRecord *record,
                       Seen        *seen)
{
  MaikoEnvelope *envelope = seen->envelope;

  g_assert_cmpint (maiko_record_get_time (record), >, 0);
  if (envelope == NULL)
    {
      g_assert_cmpstr (maiko_record_get_actor (record), ==, seen->actor);
      g_assert_null (maiko_record_get_id (record));
      g_assert_null (maiko_record_get_label (record));
      g_assert_null (maiko_record_get_payload (record));
      if (seen->error != NULL)
        {
          g_assert_cmpstr (maiko_record_get_error_domain (record), ==,
                           g_quark_to_string (seen->error->domain));
          g_assert_cmpint (maiko_record_get_error_code (record), ==, seen->error->code);
          g_assert_cmpstr (maiko_record_get_error_message (record), ==, seen->error->message);
        }
      else
        {
          g_assert_null (maiko_record_get_error_domain (record));
        }
      return;
    }

  g_assert_cmpstr (maiko_record_get_id (record), ==, maiko_envelope_get_id (envelope));
  g_assert_cmpstr (maiko_record_get_parent_id (record), ==,
                   maiko_envelope_get_parent_id (envelope));
  g_assert_cmpstr (maiko_record_get_label (record), ==,
                   maiko_event_get_label (maiko_envelope_get_event (envelope)));
  g_assert_true (payloads_equal (maiko_record_get_payload (record),
                                 maiko_event_get_payload (maiko_envelope_get_event (envelope))));
  g_assert_cmpstr (maiko_record_get_sender (record), ==, maiko_envelope_get_sender (envelope));
  g_assert_cmpstr (maiko_record_get_receiver (record), ==, seen->actor);
  g_assert_cmpstr (maiko_record_get_topic (record), ==, seen->topic);
  g_assert_cmpstr (maiko_record_get_topic (record), ==, maiko_envelope_get_topic (envelope));
  g_assert_cmpint (maiko_record_get_timestamp (record), ==,
                   maiko_envelope_get_timestamp (envelope));
  g_assert_cmpint (maiko_record_get_policy (record), ==, seen->policy);
  g_assert_null (maiko_record_get_actor (record));
  g_assert_null (maiko_record_get_error_message (record));
}

/* Finds, and takes out of @seen, what the witness saw of @record. The
 * monitors may order records of different threads differently. */
static Seen *
take_seen (GPtrArray   *seen,
           MaikoRecord *record)
{
  MaikoRecordHook hook = maiko_record_get_hook (record);
  const char *actor = maiko_record_get_receiver (record);
  const char *id = maiko_record_get_id (record);

  if (actor == NULL)
    actor = maiko_record_get_actor (record);
  for (guint i = 0; i < seen->len; i++)
    {
      Seen *candidate = g_ptr_array_index (seen, i);

      if (candidate->hook == hook && g_strcmp0 (candidate->actor, actor) == 0 &&
          (candidate->envelope == NULL ||
           g_str_equal (maiko_envelope_get_id (candidate->envelope), id)))
        return g_ptr_array_steal_index (seen, i);
    }

  return NULL;
}

static MaikoEnvelope *
find_received (TestActor  *actor,
               const char *id)
{
  for (guint i = 0; i < actor->received->len; i++)
    {
      MaikoEnvelope *envelope = g_ptr_array_index (actor->received, i);

      if (g_str_equal (maiko_envelope_get_id (envelope), id))
        return envelope;
    }

  return NULL;
}

static TestActor *
run_actor (Run        *run,
           const char *name)
{
  if (g_str_equal (name, "left"))
    return run->left;
  if (g_str_equal (name, "right"))
    return run->right;
  if (g_str_equal (name, "stuck"))
    return run->stuck;
  g_assert_cmpstr (name, ==, "failing");
  return run->failing;
}

/* The members a line of @hook holds: the common ones, the hook's own. */
static const char * const *
expected_members (MaikoRecordHook hook)
{
  static const char * const event[] = {
    "hook", "time", "id", "parent_id", "label", "topic", "sender", "receiver", "timestamp",
    "payload", "payload_type", NULL
  };
  static const char * const overflow[] = {
    "hook", "time", "id", "parent_id", "label", "topic", "sender", "receiver", "timestamp",
    "payload", "payload_type", "policy", NULL
  };
  static const char * const error[] = {
    "hook", "time", "actor", "domain", "code", "message", NULL
  };
  static const char * const actor[] = { "hook", "time", "actor", NULL };

  switch (hook)
    {
    case MAIKO_RECORD_HOOK_OVERFLOW:
      return overflow;
    case MAIKO_RECORD_HOOK_ERROR:
      return error;
    case MAIKO_RECORD_HOOK_ACTOR_REGISTERED:
    case MAIKO_RECORD_HOOK_ACTOR_STOPPED:
      return actor;
    default:
      return event;
    }
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

/* NaN, the infinities and doubles printed with an exponent and no dot
 * (1e+22) have no JSON form that json-glib writes correctly. */
static gboolean
lacks_json_form (GVariant *payload)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  double value;

  if (!g_variant_is_of_type (payload, G_VARIANT_TYPE ("(sd)")))
    return FALSE;
  g_variant_get (payload, "(&sd)", NULL, &value);
  g_ascii_dtostr (text, sizeof text, value);
  return !isfinite (value) || (strchr (text, '.') == NULL && strchr (text, 'e') != NULL);
}

/* The payload as JsonParser and json-glib's GVariant support read it:
 * "payload_text" holds it exactly when the JSON form would not. */
static void
assert_json_payload (JsonObject *object,
                     GVariant   *expected)
{
  const char *type = member_string (object, "payload_type");
  JsonNode *node = json_object_get_member (object, "payload");
  gboolean needs_text;
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GError) error = NULL;

  if (expected == NULL)
    {
      g_assert_null (type);
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
      g_assert_false (json_object_has_member (object, "payload_text"));
      return;
    }

  g_assert_cmpstr (type, ==, g_variant_get_type_string (expected));
  needs_text = strpbrk (type, "v{og") != NULL || strstr (type, "mm") != NULL ||
               lacks_json_form (expected);
  g_assert_cmpint (json_object_has_member (object, "payload_text"), ==, needs_text);

  if (lacks_json_form (expected))
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
    }
  else
    {
      g_autoptr(JsonNode) serialized = json_gvariant_serialize (expected);

      g_assert_true (json_node_equal (node, serialized));
    }

  if (needs_text)
    payload = g_variant_parse (G_VARIANT_TYPE (type), member_string (object, "payload_text"),
                               NULL, NULL, &error);
  else
    payload = g_variant_ref_sink (json_gvariant_deserialize (node, type, &error));
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (payload, expected));
}

/* Reads the file again, without Maiko: every line is one JSON object with
 * exactly the members of its hook, holding what the record holds. */
static void
assert_json_lines (const char *path,
                   GPtrArray  *records)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GEnumClass) hooks = g_type_class_ref (MAIKO_TYPE_RECORD_HOOK);
  g_autoptr(GEnumClass) policies = g_type_class_ref (MAIKO_TYPE_OVERFLOW_POLICY);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "}\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, records->len + 1);

  for (guint i = 0; i < records->len; i++)
    {
      MaikoRecord *record = g_ptr_array_index (records, i);
      MaikoRecordHook hook = maiko_record_get_hook (record);
      const char * const *members = expected_members (hook);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      guint n_members;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));

      n_members = json_object_get_size (object) - json_object_has_member (object, "payload_text");
      g_assert_cmpuint (n_members, ==, g_strv_length ((GStrv) members));
      for (guint m = 0; members[m] != NULL; m++)
        g_assert_true (json_object_has_member (object, members[m]));

      g_assert_cmpstr (member_string (object, "hook"), ==,
                       g_enum_get_value (hooks, hook)->value_nick);
      g_assert_cmpint (member_int (object, "time"), ==, maiko_record_get_time (record));

      if (hook == MAIKO_RECORD_HOOK_ERROR)
        {
          g_assert_cmpstr (member_string (object, "domain"), ==,
                           maiko_record_get_error_domain (record));
          g_assert_cmpint (member_int (object, "code"), ==, maiko_record_get_error_code (record));
          g_assert_cmpstr (member_string (object, "message"), ==,
                           maiko_record_get_error_message (record));
        }
      if (maiko_record_get_actor (record) != NULL)
        {
          g_assert_cmpstr (member_string (object, "actor"), ==, maiko_record_get_actor (record));
          continue;
        }

      g_assert_cmpstr (member_string (object, "id"), ==, maiko_record_get_id (record));
      g_assert_cmpstr (member_string (object, "parent_id"), ==,
                       maiko_record_get_parent_id (record));
      g_assert_cmpstr (member_string (object, "label"), ==, maiko_record_get_label (record));
      g_assert_cmpstr (member_string (object, "topic"), ==, maiko_record_get_topic (record));
      g_assert_cmpstr (member_string (object, "sender"), ==, maiko_record_get_sender (record));
      g_assert_cmpstr (member_string (object, "receiver"), ==, maiko_record_get_receiver (record));
      g_assert_cmpint (member_int (object, "timestamp"), ==, maiko_record_get_timestamp (record));
      if (hook == MAIKO_RECORD_HOOK_OVERFLOW)
        g_assert_cmpstr (member_string (object, "policy"), ==,
                         g_enum_get_value (policies, maiko_record_get_policy (record))->value_nick);
      assert_json_payload (object, maiko_record_get_payload (record));
    }
  g_assert_cmpstr (lines[records->len], ==, "");
}

static void
test_round_trip (void)
{
  g_autoptr(TmpDir) tmp = tmp_dir_new ();
  g_autofree char *path = tmp_dir_path (tmp, "run.jsonl");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);
  g_autoptr(MaikoMonitor) witness = witness_new (seen);
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { NULL, };
  MaikoEnvelope *first_work;
  guint n_replies = 0;

  recorder = maiko_recorder_new (path, &error);
  g_assert_no_error (error);
  record_run (&run, MAIKO_MONITOR (recorder), witness);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);
  g_assert_null (maiko_recorder_get_error (recorder));
  g_assert_cmpuint (maiko_monitor_get_dropped_count (MAIKO_MONITOR (recorder)), ==, 0);
  g_assert_cmpuint (maiko_recorder_get_lost_count (recorder), ==, 0);

  records = maiko_recorder_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, maiko_recorder_get_written_count (recorder));
  g_assert_cmpuint (records->len, ==, seen->len);

  /* N_WORK to two receivers, the reply, two jams, one bad. */
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_EVENT_DISPATCHED), ==, 2 * N_WORK + 4);
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_EVENT_DELIVERED), ==, 2 * N_WORK + 4);
  /* The bad one is handled too, and then an error. */
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_EVENT_HANDLED), ==, 2 * N_WORK + 4);
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_OVERFLOW), ==, 2);
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_ERROR), ==, 1);
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_ACTOR_REGISTERED), ==, 4);
  g_assert_cmpuint (count_hook (records, MAIKO_RECORD_HOOK_ACTOR_STOPPED), ==, 4);

  first_work = g_ptr_array_index (run.left->received, 0);
  for (guint i = 0; i < records->len; i++)
    {
      MaikoRecord *record = g_ptr_array_index (records, i);
      g_autoptr(Seen) witnessed = take_seen (seen, record);
      MaikoRecordHook hook = maiko_record_get_hook (record);

      g_assert_nonnull (witnessed);
      assert_record_is_seen (record, witnessed);

      /* The envelopes the actors were given are those recorded. */
      if (hook != MAIKO_RECORD_HOOK_OVERFLOW && maiko_record_get_receiver (record) != NULL)
        g_assert_true (find_received (run_actor (&run, maiko_record_get_receiver (record)),
                                      maiko_record_get_id (record)) == witnessed->envelope);

      if (hook == MAIKO_RECORD_HOOK_OVERFLOW)
        {
          g_assert_cmpstr (maiko_record_get_receiver (record), ==, "stuck");
          g_assert_cmpint (maiko_record_get_policy (record), ==, MAIKO_OVERFLOW_POLICY_DROP);
        }
      if (hook == MAIKO_RECORD_HOOK_ERROR)
        {
          g_assert_cmpstr (maiko_record_get_actor (record), ==, "failing");
          g_assert_cmpstr (maiko_record_get_error_domain (record), ==, "g-io-error-quark");
          g_assert_cmpint (maiko_record_get_error_code (record), ==, G_IO_ERROR_INVALID_DATA);
          g_assert_cmpstr (maiko_record_get_error_message (record), ==, "bad data");
        }
      if (g_strcmp0 (maiko_record_get_label (record), "reply") == 0)
        {
          n_replies++;
          g_assert_cmpstr (maiko_record_get_sender (record), ==, "left");
          g_assert_cmpstr (maiko_record_get_parent_id (record), ==,
                           maiko_envelope_get_id (first_work));
        }
      else if (maiko_record_get_label (record) != NULL)
        {
          g_assert_null (maiko_record_get_parent_id (record));
          g_assert_cmpstr (maiko_record_get_sender (record), ==, MAIKO_SUPERVISOR_NAME);
        }
    }
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_cmpuint (n_replies, ==, 3);

  assert_json_lines (path, records);
}

static void
test_unwritable_path (void)
{
  g_autoptr(TmpDir) tmp = tmp_dir_new ();
  g_autofree char *missing = tmp_dir_path (tmp, "missing/run.jsonl");
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  recorder = maiko_recorder_new (missing, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (recorder);
  g_clear_error (&error);

  recorder = maiko_recorder_new (tmp->dir, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_null (recorder);
}

typedef struct
{
  guint   n_errors;
  char   *actor;
  GError *error;
} Failures;

static void
on_recorder_error (MaikoMonitor *monitor,
                   const char   *actor,
                   const GError *error,
                   Failures     *failures)
{
  failures->n_errors++;
  g_free (failures->actor);
  failures->actor = g_strdup (actor);
  g_clear_error (&failures->error);
  failures->error = g_error_copy (error);
}

static void
failures_clear (Failures *failures)
{
  g_free (failures->actor);
  g_clear_error (&failures->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Failures, failures_clear)

static gboolean
has_failed (gpointer data)
{
  return ((Failures *) data)->n_errors > 0;
}

typedef struct
{
  MaikoRecorder *recorder;
  guint64        n;
} LostWait;

static gboolean
lost_reached (gpointer data)
{
  LostWait *wait = data;

  return maiko_recorder_get_lost_count (wait->recorder) >= wait->n;
}

static MaikoRecorder *
recorder_new_for_dev_full (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/full");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  return maiko_recorder_new_for_stream (G_OUTPUT_STREAM (stream));
}

/* A full disk: the recorder emits its error signal once, in its main
 * context, keeps the error, counts what it cannot write, and the runtime
 * goes on. @payload_size picks where the write fails: small records fail
 * when the idle flush writes the buffer out, a record larger than the
 * buffer fails in the handler that writes it. */
static void
check_disk_full (gsize payload_size)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autofree char *text = g_strnfill (payload_size, 'x');
  g_auto(Failures) failures = { 0, };
  g_autoptr(GError) error = NULL;
  LostWait wait;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  recorder = recorder_new_for_dev_full ();
  g_signal_connect (recorder, "error", G_CALLBACK (on_recorder_error), &failures);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));

  send_event (sup, maiko_event_new ("big", g_variant_new_string (text)));
  g_assert_true (test_actor_wait_handled (consumer, 1));
  g_assert_true (test_iterate_until (NULL, has_failed, &failures));
  g_assert_cmpuint (failures.n_errors, ==, 1);
  g_assert_cmpstr (failures.actor, ==, MAIKO_RECORDER_ACTOR_NAME);
  g_assert_error (failures.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_error ((GError *) maiko_recorder_get_error (recorder), G_IO_ERROR, G_IO_ERROR_NO_SPACE);

  /* Ten more events, three records each, are counted as lost. */
  wait.recorder = recorder;
  wait.n = maiko_recorder_get_lost_count (recorder) + 30;
  test_send_n (sup, "more", 10);
  g_assert_true (test_actor_wait_handled (consumer, 11));
  g_assert_true (test_iterate_until (NULL, lost_reached, &wait));
  g_assert_cmpuint (failures.n_errors, ==, 1);

  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_false (maiko_recorder_flush (recorder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_false (maiko_recorder_close (recorder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (failures.n_errors, ==, 1);
}

static void
test_disk_full_on_flush (void)
{
  check_disk_full (8);
}

static void
test_disk_full_on_write (void)
{
  check_disk_full (256 * 1024);
}

/* Records after close are lost, closing twice is harmless, and what was
 * closed can be read. The signals are emitted by hand: the recorder needs
 * no supervisor to write. */
static void
test_close (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = g_error_new_literal (MAIKO_ERROR, MAIKO_ERROR_MAILBOX_FULL,
                                                    "not valid UTF-8: \xff\xfe");
  MaikoRecord *record;

  g_signal_emit_by_name (recorder, "actor-registered", "solo");
  g_signal_emit_by_name (recorder, "error", "solo", failure);
  g_assert_true (maiko_recorder_flush (recorder, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_true (maiko_recorder_flush (recorder, &error));
  g_assert_no_error (error);

  g_signal_emit_by_name (recorder, "actor-stopped", "solo");
  g_assert_cmpuint (maiko_recorder_get_written_count (recorder), ==, 2);
  g_assert_cmpuint (maiko_recorder_get_lost_count (recorder), ==, 1);
  g_assert_null (maiko_recorder_get_error (recorder));
  g_assert_true (g_output_stream_is_closed (stream));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  record = g_ptr_array_index (records, 0);
  g_assert_cmpint (maiko_record_get_hook (record), ==, MAIKO_RECORD_HOOK_ACTOR_REGISTERED);
  g_assert_cmpstr (maiko_record_get_actor (record), ==, "solo");
  record = g_ptr_array_index (records, 1);
  g_assert_cmpint (maiko_record_get_hook (record), ==, MAIKO_RECORD_HOOK_ERROR);
  g_assert_cmpstr (maiko_record_get_error_domain (record), ==, "maiko-error-quark");
  g_assert_cmpint (maiko_record_get_error_code (record), ==, MAIKO_ERROR_MAILBOX_FULL);
  /* Made valid UTF-8 rather than written as it was. */
  g_assert_true (g_str_has_prefix (maiko_record_get_error_message (record), "not valid UTF-8: "));
  g_assert_true (g_utf8_validate (maiko_record_get_error_message (record), -1, NULL));
}

/* An event nobody received is recorded with no receiver, and reads back. */
static void
test_unrouted (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) actor = test_actor_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  MaikoRecord *record = NULL;

  g_assert_true (maiko_supervisor_set_route_by_label (sup, NULL));
  test_add (sup, "reader", actor, "Lines");
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "Line", 1);
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    if (maiko_record_get_hook (g_ptr_array_index (records, i)) == MAIKO_RECORD_HOOK_EVENT_UNROUTED)
      {
        g_assert_null (record);
        record = g_ptr_array_index (records, i);
      }
  g_assert_nonnull (record);
  g_assert_null (maiko_record_get_receiver (record));
  g_assert_cmpstr (maiko_record_get_topic (record), ==, "Line");
  g_assert_cmpstr (maiko_record_get_label (record), ==, "Line");
  g_assert_cmpstr (maiko_record_get_sender (record), ==, MAIKO_SUPERVISOR_NAME);
}

/* A restart is recorded with its count and the error that caused it, or
 * null fields without one; a line that breaks those rules is refused. */
static void
test_restarted (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autoptr(GError) cause = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "boom");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    "{\"hook\":\"actor-restarted\",\"time\":1,\"actor\":\"w\",\"restarts\":0,"
    "\"domain\":null,\"code\":0,\"message\":null}",
    "{\"hook\":\"actor-restarted\",\"time\":1,\"actor\":\"w\",\"restarts\":1,"
    "\"domain\":null,\"code\":0,\"message\":\"half an error\"}",
    "{\"hook\":\"actor-restarted\",\"time\":1,\"actor\":\"w\",\"restarts\":1}",
  };
  MaikoRecord *record;

  g_signal_emit_by_name (recorder, "actor-restarted", "w", 2, cause);
  g_signal_emit_by_name (recorder, "actor-restarted", "w", 3, NULL);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  record = g_ptr_array_index (records, 0);
  g_assert_cmpint (maiko_record_get_hook (record), ==, MAIKO_RECORD_HOOK_ACTOR_RESTARTED);
  g_assert_cmpstr (maiko_record_get_actor (record), ==, "w");
  g_assert_cmpuint (maiko_record_get_restart_count (record), ==, 2);
  g_assert_cmpstr (maiko_record_get_error_domain (record), ==, "g-io-error-quark");
  g_assert_cmpint (maiko_record_get_error_code (record), ==, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpstr (maiko_record_get_error_message (record), ==, "boom");
  record = g_ptr_array_index (records, 1);
  g_assert_cmpuint (maiko_record_get_restart_count (record), ==, 3);
  g_assert_null (maiko_record_get_error_domain (record));
  g_assert_null (maiko_record_get_error_message (record));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(MaikoRecord) parsed = maiko_record_parse_line (bad[i], -1, &error);

      g_assert_null (parsed);
      g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
}

#define UUID_A "0d7f2c4e-9a51-4c3b-8e2d-1f6a5b4c3d2e"
#define EVENT_FIELDS(hook) \
  "{\"hook\":\"" hook "\",\"time\":1,\"id\":\"" UUID_A "\",\"parent_id\":null,\"label\":\"L\"," \
  "\"topic\":\"t\",\"sender\":\"s\",\"receiver\":\"r\",\"timestamp\":2"

static void
test_parse_valid (void)
{
  static const struct
  {
    const char      *line;
    MaikoRecordHook  hook;
    const char      *payload;     /* GVariant text, or NULL */
  } cases[] = {
    { EVENT_FIELDS ("event-dispatched") ",\"payload\":null,\"payload_type\":null}",
      MAIKO_RECORD_HOOK_EVENT_DISPATCHED, NULL },
    { EVENT_FIELDS ("event-delivered") ",\"payload\":[1,\"a\"],\"payload_type\":\"(is)\"}\n",
      MAIKO_RECORD_HOOK_EVENT_DELIVERED, "(1, 'a')" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null,\"payload_type\":\"a{sv}\","
      "\"payload_text\":\"{'n': <int32 1>}\"}",
      MAIKO_RECORD_HOOK_EVENT_HANDLED, "{'n': <int32 1>}" },
    { EVENT_FIELDS ("overflow") ",\"payload\":1,\"payload_type\":\"d\",\"policy\":\"block\"}",
      MAIKO_RECORD_HOOK_OVERFLOW, "1.0" },
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"d\",\"code\":-3,\"message\":\"\"}",
      MAIKO_RECORD_HOOK_ERROR, NULL },
    { "  {\"hook\":\"actor-registered\",\"time\":1,\"actor\":\"a\",\"extra\":[{}]}  \r\n",
      MAIKO_RECORD_HOOK_ACTOR_REGISTERED, NULL },
    { "{\"time\":1,\"actor\":\"\\u00e9\",\"hook\":\"actor-stopped\"}",
      MAIKO_RECORD_HOOK_ACTOR_STOPPED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MaikoRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].line);
      record = maiko_record_parse_line (cases[i].line, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (maiko_record_get_hook (record), ==, cases[i].hook);
      g_assert_cmpint (maiko_record_get_time (record), ==, 1);
      if (cases[i].payload != NULL)
        {
          g_autoptr(GVariant) expected = g_variant_parse (NULL, cases[i].payload, NULL, NULL, NULL);

          g_assert_true (g_variant_equal (maiko_record_get_payload (record), expected));
        }
      else
        {
          g_assert_null (maiko_record_get_payload (record));
        }
    }
}

static void
test_parse_malformed (void)
{
  static const struct
  {
    const char *line;
    gssize      length;
    const char *reason;
  } cases[] = {
    { "", -1, "not a JSON object" },
    { "   ", -1, "not a JSON object" },
    { "[]", -1, "not a JSON object" },
    { "42", -1, "not a JSON object" },
    { "\"hook\"", -1, "not a JSON object" },
    { "{", -1, "invalid JSON" },
    { "{\"hook\":}", -1, "invalid JSON" },
    { "{\"hook\":\"error\",}", -1, "invalid JSON" },
    { "{} {}", -1, "text after the record's object" },
    { "{}\n{}", -1, "text after the record's object" },
    { "{} x", -1, "text after the record's object" },
    { "{\"hook\":\"a\xff\"}", -1, "not valid UTF-8" },
    { "{\"hook\":\"\xc3\x28\"}", -1, "not valid UTF-8" },
    { "{\"hook\":\"a\0b\"}", 14, "not valid UTF-8" },
    { "{\"hook\":\"a\\u0000b\"}", -1, "a string holds a NUL character" },
    { "{\"hook\":\"\\ud800x\"}", -1, "a string escapes a lone surrogate" },
    { "{\"\\ud800x\":1}", -1, "a string escapes a lone surrogate" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":[\"\\ud800x\"],\"payload_type\":\"as\"}",
      -1, "a string escapes a lone surrogate" },
    { "{}", -1, "missing field “hook”" },
    { "{\"hook\":1}", -1, "field “hook” is not a string" },
    { "{\"hook\":null}", -1, "field “hook” is not a string" },
    { "{\"hook\":\"explode\"}", -1, "field “hook” has an unknown value" },
    { "{\"hook\":\"EVENT-HANDLED\",\"time\":1}", -1, "field “hook” has an unknown value" },
    { "{\"hook\":\"actor-stopped\"}", -1, "missing field “time”" },
    { "{\"hook\":\"actor-stopped\",\"time\":1.5,\"actor\":\"a\"}", -1, "field “time” is not an integer" },
    { "{\"hook\":\"actor-stopped\",\"time\":\"1\",\"actor\":\"a\"}", -1, "field “time” is not an integer" },
    { "{\"hook\":\"actor-stopped\",\"time\":1}", -1, "missing field “actor”" },
    { "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":\"\"}", -1, "field “actor” is empty" },
    { "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":[]}", -1, "field “actor” is not a string" },
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"d\",\"code\":4294967296,\"message\":\"m\"}",
      -1, "field “code” is out of range" },
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"d\",\"code\":true,\"message\":\"m\"}",
      -1, "field “code” is not an integer" },
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"\",\"code\":1,\"message\":\"m\"}",
      -1, "field “domain” is empty" },
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"d\",\"code\":1}",
      -1, "missing field “message”" },
    { "{\"hook\":\"event-handled\",\"time\":1}", -1, "missing field “id”" },
    { "{\"hook\":\"event-handled\",\"time\":1,\"id\":\"42\"}", -1, "field “id” is not a UUID" },
    { "{\"hook\":\"event-handled\",\"time\":1,\"id\":\"" UUID_A "\",\"parent_id\":7}",
      -1, "field “parent_id” is not a string" },
    { "{\"hook\":\"event-handled\",\"time\":1,\"id\":\"" UUID_A "\",\"parent_id\":null,\"label\":\"\"}",
      -1, "field “label” is empty" },
    { EVENT_FIELDS ("event-handled") "}", -1, "missing field “payload”" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null}", -1, "missing field “payload_type”" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":1,\"payload_type\":null}",
      -1, "a payload without a payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null,\"payload_type\":null,\"payload_text\":\"1\"}",
      -1, "a payload without a payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":1,\"payload_type\":\"z\"}",
      -1, "field “payload_type” is not a GVariant type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":1,\"payload_type\":3}",
      -1, "field “payload_type” is not a string" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":\"x\",\"payload_type\":\"i\"}",
      -1, "field “payload” does not match payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":[1],\"payload_type\":\"(is)\"}",
      -1, "field “payload” does not match payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":\"nope\",\"payload_type\":\"o\"}",
      -1, "needs a “payload_text” field" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":{\"a\":1},\"payload_type\":\"a{sv}\"}",
      -1, "needs a “payload_text” field" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null,\"payload_type\":\"o\",\"payload_text\":\"'nope'\"}",
      -1, "field “payload_text” is not a value of payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null,\"payload_type\":\"i\",\"payload_text\":\"1 2\"}",
      -1, "field “payload_text” is not a value of payload_type" },
    { EVENT_FIELDS ("event-handled") ",\"payload\":null,\"payload_type\":\"i\",\"payload_text\":5}",
      -1, "field “payload_text” is not a string" },
    { EVENT_FIELDS ("overflow") ",\"payload\":null,\"payload_type\":null}", -1, "missing field “policy”" },
    { EVENT_FIELDS ("overflow") ",\"payload\":null,\"payload_type\":null,\"policy\":\"explode\"}",
      -1, "field “policy” has an unknown value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MaikoRecord) record = NULL;
      g_autoptr(GError) error = NULL;
      /* Escaped: TAP output must stay valid UTF-8. */
      g_autofree char *escaped = g_strescape (cases[i].line, NULL);

      g_test_message ("case %u: %s", i, escaped);
      record = maiko_record_parse_line (cases[i].line, cases[i].length, &error);
      g_assert_null (record);
      g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].reason));
    }
}

/* Input sized to hurt: too deep for the stack, too long to hold. */
static void
test_parse_hostile (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"hook\":");
  g_autofree char *huge = NULL;
  g_autoptr(MaikoRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  record = maiko_record_parse_line (deep->str, deep->len, &error);
  g_assert_null (record);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "nested deeper than"));
  g_clear_error (&error);

  /* Deep, but within the limit: an ordinary error. */
  g_string_truncate (deep, strlen ("{\"hook\":"));
  for (guint i = 0; i < MAIKO_RECORD_MAX_DEPTH - 1; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < MAIKO_RECORD_MAX_DEPTH - 1; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  record = maiko_record_parse_line (deep->str, deep->len, &error);
  g_assert_null (record);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "field “hook” is not a string"));
  g_clear_error (&error);

  huge = g_strnfill (MAIKO_RECORD_MAX_LINE_LENGTH + 1, ' ');
  record = maiko_record_parse_line (huge, MAIKO_RECORD_MAX_LINE_LENGTH + 1, &error);
  g_assert_null (record);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "line longer than"));
}

static void
test_read_bytes (void)
{
  static const char text[] =
    "{\"hook\":\"actor-registered\",\"time\":1,\"actor\":\"a\"}\r\n"
    "\n"
    "   \n"
    "{\"hook\":\"actor-stopped\",\"time\":2,\"actor\":\"a\"}";
  static const char bad[] =
    "{\"hook\":\"actor-registered\",\"time\":1,\"actor\":\"a\"}\n"
    "\n"
    "{\"hook\":\"actor-stopped\",\"time\":2,\"actor\":\"a\"";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(GBytes) bad_bytes = g_bytes_new_static (bad, sizeof bad - 1);
  g_autoptr(GBytes) empty = g_bytes_new_static (NULL, 0);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpint (maiko_record_get_time (g_ptr_array_index (records, 1)), ==, 2);
  g_clear_pointer (&records, g_ptr_array_unref);

  records = maiko_recorder_read_bytes (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);

  records = maiko_recorder_read_bytes (bad_bytes, &error);
  g_assert_null (records);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "line 3: invalid JSON"));
}

/* The sample files under tests/recorder/, which also seed the fuzzer's
 * corpus. Each is listed, with the error an invalid one gives. */
static const struct
{
  const char *name;
  guint       n_records;   /* of a valid file; of an invalid one, before its bad line */
  const char *message;     /* what the error of an invalid one starts with */
} samples[] = {
  { "valid-run.jsonl", 19, NULL },
  { "valid-payloads.jsonl", 12, NULL },
  { "valid-hooks.jsonl", 7, NULL },
  { "invalid-truncated.jsonl", 3, "line 4: invalid JSON" },
  { "invalid-not-utf8.jsonl", 1, "line 2: not valid UTF-8" },
  { "invalid-unknown-hook.jsonl", 0, "line 1: field “hook” has an unknown value" },
  { "invalid-payload-type.jsonl", 1, "line 2: field “payload” does not match payload_type" },
  { "invalid-missing-field.jsonl", 2, "line 3: missing field “receiver”" },
  { "invalid-two-objects.jsonl", 0, "line 1: text after the record's object" },
  { "invalid-deep.jsonl", 0, "line 1: nested deeper than" },
  { "invalid-nul-escape.jsonl", 0, "line 1: a string holds a NUL character" },
  { "invalid-lone-surrogate.jsonl", 1, "line 2: a string escapes a lone surrogate" },
  { "invalid-out-of-range.jsonl", 2,
    "line 3: field “payload” does not match payload_type: 70000 is out of range for type “n”" },
};

static void
test_samples (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "recorder", samples[i].name,
                                                     NULL);
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GPtrArray) prefix_records = NULL;
      g_autoptr(GError) line_error = NULL;
      g_autofree char *prefix = g_strdup_printf ("%s: %s", path, samples[i].message);

      g_test_message ("%s", path);
      records = maiko_recorder_read_file (path, &error);
      prefix_records = maiko_recorder_read_file_prefix (path, &line_error, NULL, NULL);
      g_assert_cmpuint (prefix_records->len, ==, samples[i].n_records);
      if (samples[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_no_error (line_error);
          g_assert_cmpuint (records->len, ==, samples[i].n_records);
        }
      else
        {
          g_assert_null (records);
          g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
          g_assert_true (g_str_has_prefix (error->message, prefix));
          g_assert_error (line_error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
          g_assert_cmpstr (line_error->message, ==, error->message);
          g_clear_error (&error);
        }
    }

  /* No sample goes unchecked. */
  dir = g_dir_open (g_test_get_filename (G_TEST_DIST, "recorder", NULL), 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        listed |= g_str_equal (name, samples[i].name);
      g_assert_true (listed);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, G_N_ELEMENTS (samples));
}

static void
test_read_missing_file (void)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = maiko_recorder_read_file ("/nonexistent/run.jsonl", &error);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Records a small run to @path: a consumer registered, three events, each
 * dispatched, delivered and handled, and the consumer stopped: 11 lines. */
static void
record_small_run (const char *path)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(MaikoRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  recorder = maiko_recorder_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (recorder), NULL));
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  test_send_n (sup, "work", 3);
  g_assert_true (test_actor_wait_handled (consumer, 3));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_recorder_get_written_count (recorder), ==, 11);
}

static void
assert_same_records (GPtrArray *records,
                     GPtrArray *expected,
                     guint      n)
{
  g_assert_cmpuint (records->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      MaikoRecord *record = g_ptr_array_index (records, i);
      MaikoRecord *other = g_ptr_array_index (expected, i);

      g_assert_cmpint (maiko_record_get_hook (record), ==, maiko_record_get_hook (other));
      g_assert_cmpint (maiko_record_get_time (record), ==, maiko_record_get_time (other));
      g_assert_cmpstr (maiko_record_get_id (record), ==, maiko_record_get_id (other));
      g_assert_cmpstr (maiko_record_get_receiver (record), ==, maiko_record_get_receiver (other));
      g_assert_cmpstr (maiko_record_get_actor (record), ==, maiko_record_get_actor (other));
    }
}

static void
write_file (const char *path,
            const char *contents,
            gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

/* A recording cut short, as a full disk or a SIGTERM before close()
 * leaves it: every line is good but the last, which is cut. read_file()
 * refuses it whole; the _prefix() readers give every record before the
 * cut, the error of the cut line, and where that line starts. */
static void
test_read_prefix (void)
{
  g_autoptr(TmpDir) tmp = tmp_dir_new ();
  g_autofree char *path = tmp_dir_path (tmp, "run.jsonl");
  g_autofree char *cut_path = tmp_dir_path (tmp, "cut.jsonl");
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_bad_hook = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) line_error = NULL;
  g_autoptr(GError) error = NULL;
  gsize last_line;
  char *bad_line;
  guint n_good = 0;
  gsize prefix_length = 0;
  gsize length;

  record_small_run (path);
  all = maiko_recorder_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 11);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  /* A whole file: everything, and no line error. */
  records = maiko_recorder_read_file_prefix (path, &line_error, &prefix_length, &error);
  g_assert_no_error (error);
  g_assert_no_error (line_error);
  g_assert_cmpuint (prefix_length, ==, length);
  assert_same_records (records, all, 11);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Cut in the middle of its last line, which loses its newline. */
  last_line = g_strrstr_len (contents, length - 1, "\n") + 1 - contents;
  write_file (cut_path, contents, last_line + (length - last_line) / 2);

  records = maiko_recorder_read_file (cut_path, &error);
  g_assert_null (records);
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  expected = g_strdup_printf ("%s: line 11: invalid JSON", cut_path);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  records = maiko_recorder_read_file_prefix (cut_path, &line_error, &prefix_length, &error);
  g_assert_no_error (error);
  g_assert_error (line_error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (line_error->message, expected));
  g_assert_cmpuint (prefix_length, ==, last_line);
  assert_same_records (records, all, 10);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_error (&line_error);

  /* Without places for the line error and the length, the same records. */
  records = maiko_recorder_read_file_prefix (cut_path, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_records (records, all, 10);
  g_clear_pointer (&records, g_ptr_array_unref);

  /* The bytes of the cut file; the message names no file. */
  bytes = g_bytes_new (contents, last_line + 10);
  records = maiko_recorder_read_bytes_prefix (bytes, &line_error, &prefix_length);
  g_assert_error (line_error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (line_error->message, "line 11: invalid JSON"));
  g_assert_cmpuint (prefix_length, ==, last_line);
  assert_same_records (records, all, 10);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_error (&line_error);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Cut there, the recording is whole again. */
  bytes = g_bytes_new (contents, prefix_length);
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  assert_same_records (records, all, 10);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A bad line in the middle: what follows it is not read, good or not. */
  bad_line = strstr (contents, "{\"hook\":\"event-handled\"");
  memcpy (bad_line, "{\"hook\":\"event-HANDLED\"", 23);
  for (const char *c = contents; c < bad_line; c++)
    n_good += *c == '\n';
  g_assert_cmpuint (n_good, >=, 3);
  g_assert_cmpuint (n_good, <, 10);
  expected_bad_hook = g_strdup_printf ("line %u: field “hook” has an unknown value", n_good + 1);
  bytes = g_bytes_new (contents, length);
  records = maiko_recorder_read_bytes_prefix (bytes, &line_error, &prefix_length);
  g_assert_error (line_error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (line_error->message, expected_bad_hook));
  g_assert_cmpuint (prefix_length, ==, bad_line - contents);
  assert_same_records (records, all, n_good);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_error (&line_error);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Nothing good at all: no record, a length of 0. */
  bytes = g_bytes_new_static ("{\n", 2);
  records = maiko_recorder_read_bytes_prefix (bytes, &line_error, &prefix_length);
  g_assert_error (line_error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (line_error->message, "line 1: invalid JSON"));
  g_assert_cmpuint (records->len, ==, 0);
  g_assert_cmpuint (prefix_length, ==, 0);
}

/* Anything but a regular file is refused before it is read: reading
 * /dev/zero would never end, opening a FIFO would wait for a writer. A
 * symbolic link to a recording reads as the recording. */
static void
test_read_not_regular (void)
{
  g_autoptr(TmpDir) tmp = tmp_dir_new ();
  g_autofree char *fifo = tmp_dir_path (tmp, "fifo.jsonl");
  g_autofree char *path = tmp_dir_path (tmp, "run.jsonl");
  g_autofree char *link = tmp_dir_path (tmp, "link.jsonl");
  const char *devices[] = { "/dev/zero", "/dev/null", "/dev/urandom", fifo };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) line_error = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      g_autofree char *message = NULL;

      if (!g_file_test (devices[i], G_FILE_TEST_EXISTS))
        continue;
      g_test_message ("%s", devices[i]);
      message = g_strdup_printf ("“%s” is not a regular file", devices[i]);

      records = maiko_recorder_read_file (devices[i], &error);
      g_assert_null (records);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_cmpstr (error->message, ==, message);
      g_clear_error (&error);

      records = maiko_recorder_read_file_prefix (devices[i], &line_error, NULL, &error);
      g_assert_null (records);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_no_error (line_error);
      g_clear_error (&error);
    }

  records = maiko_recorder_read_file (tmp->dir, &error);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);

  write_file (path, "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":\"a\"}\n", -1);
  g_assert_cmpint (symlink (path, link), ==, 0);
  records = maiko_recorder_read_file (link, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
}

/* Numbers that json-glib would wrap, or read in a form JSON does not
 * have, are errors; the limits themselves read exactly. */
static void
test_parse_numbers (void)
{
  static const struct
  {
    const char *type;
    const char *json;
    const char *reason;    /* or NULL: read as the GVariant text below */
    const char *value;
  } payloads[] = {
    { "n", "70000", "70000 is out of range for type “n”", NULL },
    { "n", "-32769", "-32769 is out of range for type “n”", NULL },
    { "y", "300", "300 is out of range for type “y”", NULL },
    { "y", "-1", "-1 is out of range for type “y”", NULL },
    { "q", "65536", "65536 is out of range for type “q”", NULL },
    { "i", "2147483648", "2147483648 is out of range for type “i”", NULL },
    { "h", "-2147483649", "-2147483649 is out of range for type “h”", NULL },
    { "u", "-1", "-1 is out of range for type “u”", NULL },
    { "u", "4294967296", "4294967296 is out of range for type “u”", NULL },
    { "(iu)", "[1,4294967296]", "4294967296 is out of range for type “u”", NULL },
    { "an", "[1,2,70000]", "70000 is out of range for type “n”", NULL },
    { "mn", "70000", "70000 is out of range for type “n”", NULL },
    { "x", "9223372036854775808", "number out of range: 9223372036854775808", NULL },
    { "x", "-9223372036854775809", "number out of range: -9223372036854775809", NULL },
    { "t", "18446744073709551615", "number out of range: 18446744073709551615", NULL },
    { "x", "99999999999999999999999999", "number out of range: 9999999999", NULL },
    { "d", "1e999", "number out of range: 1e999", NULL },
    { "d", "-1e999", "number out of range: -1e999", NULL },
    { "ad", "[1.5,2e308]", "number out of range: 2e308", NULL },
    /* json-glib's extensions */
    { "i", "010", "not a JSON number: “010”", NULL },
    { "i", "0x10", "not a JSON number: “0x10”", NULL },
    { "i", "0b101", "not a JSON number: “0b101”", NULL },
    { "i", "- 1", "not a JSON number: “-”", NULL },
    { "d", ".5", "not a JSON number: “.5”", NULL },
    { "d", "1.", "not a JSON number: “1.”", NULL },
    { "d", "1e", "not a JSON number: “1e”", NULL },
    { "d", "+1", "not a JSON number: “+1”", NULL },
    /* The limits */
    { "n", "-32768", NULL, "int16 -32768" },
    { "n", "32767", NULL, "int16 32767" },
    { "y", "255", NULL, "byte 255" },
    { "q", "65535", NULL, "uint16 65535" },
    { "i", "-2147483648", NULL, "-2147483648" },
    { "u", "4294967295", NULL, "uint32 4294967295" },
    { "x", "-9223372036854775808", NULL, "int64 -9223372036854775808" },
    { "x", "9223372036854775807", NULL, "int64 9223372036854775807" },
    /* json-glib writes a guint64 above G_MAXINT64 as a negative number. */
    { "t", "-1", NULL, "uint64 18446744073709551615" },
    { "d", "1.7976931348623157e+308", NULL, "1.7976931348623157e+308" },
    { "d", "-0.0", NULL, "-0.0" },
    { "d", "1E2", NULL, "100.0" },
    { "d", "1e-400", NULL, "0.0" },
    { "d", "1.0000000000000000000000000000000000000000000000000", NULL, "1.0" },
    /* Integers are read as gint64 first, even for a double. */
    { "d", "12345678901234567890123456789012345678901234567890", "number out of range: 1234567890", NULL },
  };
  static const struct
  {
    const char *line;
    const char *reason;
  } lines[] = {
    { "{\"hook\":\"actor-stopped\",\"time\":9223372036854775808,\"actor\":\"a\"}",
      "number out of range: 9223372036854775808" },
    { "{\"hook\":\"actor-stopped\",\"time\":-9223372036854775809,\"actor\":\"a\"}",
      "number out of range: -9223372036854775809" },
    { "{\"hook\":\"actor-stopped\",\"time\":010,\"actor\":\"a\"}", "not a JSON number: “010”" },
    { "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":\"a\",\"future\":[1e999]}",
      "number out of range: 1e999" },
    /* 2^64 would wrap to -1, a valid code. */
    { "{\"hook\":\"error\",\"time\":1,\"actor\":\"a\",\"domain\":\"d\",\"code\":18446744073709551615,"
      "\"message\":\"m\"}", "number out of range: 18446744073709551615" },
    { "{\"hook\":\"event-handled\",\"time\":1,\"id\":\"" UUID_A "\",\"parent_id\":null,"
      "\"label\":\"L\",\"topic\":\"t\",\"sender\":\"s\",\"receiver\":\"r\","
      "\"timestamp\":9223372036854775808,\"payload\":null,\"payload_type\":null}",
      "number out of range: 9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *line = g_strdup_printf (EVENT_FIELDS ("event-handled")
                                               ",\"payload\":%s,\"payload_type\":\"%s\"}",
                                               payloads[i].json, payloads[i].type);
      g_autoptr(MaikoRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("payload %u: %s", i, line);
      record = maiko_record_parse_line (line, -1, &error);
      if (payloads[i].reason != NULL)
        {
          g_assert_null (record);
          g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, payloads[i].reason));
        }
      else
        {
          g_autoptr(GVariant) expected = g_variant_parse (G_VARIANT_TYPE (payloads[i].type),
                                                          payloads[i].value, NULL, NULL, NULL);

          g_assert_no_error (error);
          g_assert_true (g_variant_equal (maiko_record_get_payload (record), expected));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(MaikoRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("line %u: %s", i, lines[i].line);
      record = maiko_record_parse_line (lines[i].line, -1, &error);
      g_assert_null (record);
      g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, lines[i].reason));
    }
}

/* Longer than a line may hold one text: cut to MAX_TEXT_LENGTH. */
#define LONG_TEXT (100 * 1024)
#define MAX_TEXT_LENGTH (64 * 1024)

static char *long_parent_id;

static gboolean
reply_with_long_parent (TestActor      *self,
                        MaikoEnvelope  *envelope,
                        GError        **error)
{
  g_autoptr(MaikoEvent) reply = NULL;

  if (!g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), "typed"))
    return TRUE;
  reply = maiko_event_new ("reply", NULL);
  return maiko_context_send_child_event (maiko_actor_get_context (MAIKO_ACTOR (self)), reply,
                                         long_parent_id, error);
}

static MaikoEnvelope *
find_label (TestActor  *actor,
            const char *label)
{
  for (guint i = 0; i < actor->received->len; i++)
    {
      MaikoEnvelope *envelope = g_ptr_array_index (actor->received, i);

      if (g_str_equal (maiko_event_get_label (maiko_envelope_get_event (envelope)), label))
        return envelope;
    }
  g_assert_not_reached ();
}

/* The "truncated" member of each line, its names joined by commas. */
static GStrv
truncated_members (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GString) names = g_string_new (NULL);
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (object, "truncated"))
        {
          JsonArray *array = json_object_get_array_member (object, "truncated");

          for (guint j = 0; j < json_array_get_length (array); j++)
            g_string_append_printf (names, "%s%s", j > 0 ? "," : "",
                                    json_array_get_string_element (array, j));
        }
      g_strv_builder_add (builder, names->str);
    }

  return g_strv_builder_end (builder);
}

static void
assert_text (const char *text,
             char        c,
             gsize       length)
{
  g_assert_cmpuint (strlen (text), ==, length);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpint (text[i], ==, c);
}

/* The recorder never writes a line its reader refuses. The runtime checks
 * names, labels and topics for all but their length; monitor signals
 * emitted by hand, and GErrors, may hold anything. A label of 11 MiB of
 * control characters, each escaped to 6 bytes, made a line longer than the
 * reader takes; empty and missing names, invalid UTF-8 and an error whose
 * domain is "" made lines it refuses (and a NULL error, a crash). */
static void
test_write_unreadable (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(TestActor) consumer = test_actor_new ();
  g_autoptr(TestActor) listener = keeping_actor_new ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(MaikoRecorder) recorder = maiko_recorder_new_for_stream (stream);
  g_autofree char *huge_label = g_strnfill (11 * 1024 * 1024, '\x01');
  g_autofree char *long_topic = g_strnfill (LONG_TEXT, 't');
  g_autofree char *long_name = g_strnfill (LONG_TEXT, 'n');
  g_autofree char *invalid_name = g_strnfill (LONG_TEXT, '\xff');
  g_autofree char *long_type = NULL;
  g_autofree char *replaced = g_utf8_make_valid ("r\xfe\xfe", -1);
  g_autoptr(GError) long_error = NULL;
  g_autoptr(GError) error = NULL;
  GError empty_domain = { g_quark_from_static_string (""), 8, (char *) "" };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_auto(GStrv) truncated = NULL;
  g_autofree char *message = g_strnfill (LONG_TEXT, 'm');
  MaikoEnvelope *huge;
  MaikoEnvelope *typed;
  MaikoEnvelope *reply;
  MaikoRecord *record;
  GString *type;

  /* The envelopes: one with the huge label, one with a payload whose type
   * is too long (an empty array takes no bytes whatever its type), and a
   * child event of the consumer's, whose parent id is too long. */
  long_parent_id = g_strnfill (LONG_TEXT, 'p');
  consumer->handle = reply_with_long_parent;
  type = g_string_new ("(");
  for (guint i = 0; i < LONG_TEXT; i++)
    g_string_append_c (type, 'v');
  g_string_append_c (type, ')');
  long_type = g_string_free (type, FALSE);
  test_add (sup, "consumer", consumer, MAIKO_DEFAULT_TOPIC);
  test_add (sup, "listener", listener, MAIKO_DEFAULT_TOPIC);
  g_assert_true (maiko_supervisor_start (sup, NULL));
  send_event (sup, maiko_event_new (huge_label, NULL));
  send_event (sup, maiko_event_new ("typed", g_variant_new_array (G_VARIANT_TYPE (long_type),
                                                                  NULL, 0)));
  g_assert_true (test_actor_wait_handled (listener, 3));
  g_assert_true (maiko_supervisor_stop (sup, NULL));
  huge = find_label (listener, huge_label);
  typed = find_label (listener, "typed");
  reply = find_label (listener, "reply");

  long_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
  g_signal_emit_by_name (recorder, "event-dispatched", huge, long_topic, long_name);
  g_signal_emit_by_name (recorder, "event-delivered", reply, "", NULL);
  g_signal_emit_by_name (recorder, "event-handled", reply, "t\xff", "r\xfe\xfe");
  g_signal_emit_by_name (recorder, "overflow", typed, NULL, "", MAIKO_OVERFLOW_POLICY_DROP);
  g_signal_emit_by_name (recorder, "actor-registered", "");
  g_signal_emit_by_name (recorder, "actor-stopped", NULL);
  g_signal_emit_by_name (recorder, "actor-registered", invalid_name);
  g_signal_emit_by_name (recorder, "error", long_name, long_error);
  g_signal_emit_by_name (recorder, "error", "a", NULL);
  g_signal_emit_by_name (recorder, "error", "a", &empty_domain);
  g_assert_true (maiko_recorder_close (recorder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maiko_recorder_get_written_count (recorder), ==, 10);

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  records = maiko_recorder_read_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 10);
  truncated = truncated_members (bytes);
  g_assert_cmpuint (g_strv_length (truncated), ==, 10);

  record = g_ptr_array_index (records, 0);
  assert_text (maiko_record_get_label (record), '\x01', MAX_TEXT_LENGTH);
  assert_text (maiko_record_get_topic (record), 't', MAX_TEXT_LENGTH);
  assert_text (maiko_record_get_receiver (record), 'n', MAX_TEXT_LENGTH);
  g_assert_cmpstr (maiko_record_get_id (record), ==, maiko_envelope_get_id (huge));
  g_assert_cmpstr (truncated[0], ==, "label,topic,receiver");

  record = g_ptr_array_index (records, 1);
  assert_text (maiko_record_get_parent_id (record), 'p', MAX_TEXT_LENGTH);
  g_assert_cmpstr (maiko_record_get_topic (record), ==, "\xef\xbf\xbd");
  g_assert_cmpstr (maiko_record_get_receiver (record), ==, "\xef\xbf\xbd");
  g_assert_cmpstr (truncated[1], ==, "parent_id");

  record = g_ptr_array_index (records, 2);
  g_assert_cmpstr (maiko_record_get_topic (record), ==, "t\xef\xbf\xbd");
  g_assert_cmpstr (maiko_record_get_receiver (record), ==, replaced);
  g_assert_cmpstr (truncated[2], ==, "parent_id");

  /* The payload is left out, and so is the end of its type. */
  record = g_ptr_array_index (records, 3);
  g_assert_cmpint (maiko_record_get_hook (record), ==, MAIKO_RECORD_HOOK_OVERFLOW);
  g_assert_null (maiko_record_get_payload (record));
  g_assert_cmpstr (maiko_record_get_topic (record), ==, "\xef\xbf\xbd");
  g_assert_cmpstr (maiko_record_get_receiver (record), ==, "\xef\xbf\xbd");
  g_assert_cmpint (maiko_record_get_policy (record), ==, MAIKO_OVERFLOW_POLICY_DROP);
  g_assert_cmpstr (truncated[3], ==, "omitted_payload_type");

  for (guint i = 4; i < 6; i++)
    {
      record = g_ptr_array_index (records, i);
      g_assert_cmpstr (maiko_record_get_actor (record), ==, "\xef\xbf\xbd");
      g_assert_cmpstr (truncated[i], ==, "");
    }

  /* Cut at a character's start: 21845 U+FFFD of 3 bytes each. */
  record = g_ptr_array_index (records, 6);
  g_assert_cmpuint (strlen (maiko_record_get_actor (record)), ==, MAX_TEXT_LENGTH - 1);
  g_assert_cmpuint (g_utf8_strlen (maiko_record_get_actor (record), -1), ==,
                    MAX_TEXT_LENGTH / 3);
  g_assert_cmpstr (truncated[6], ==, "actor");

  record = g_ptr_array_index (records, 7);
  assert_text (maiko_record_get_actor (record), 'n', MAX_TEXT_LENGTH);
  assert_text (maiko_record_get_error_message (record), 'm', MAX_TEXT_LENGTH);
  g_assert_cmpstr (maiko_record_get_error_domain (record), ==, "g-io-error-quark");
  g_assert_cmpstr (truncated[7], ==, "actor,message");

  for (guint i = 8; i < 10; i++)
    {
      record = g_ptr_array_index (records, i);
      g_assert_cmpstr (maiko_record_get_actor (record), ==, "a");
      g_assert_cmpstr (maiko_record_get_error_domain (record), ==, "\xef\xbf\xbd");
      g_assert_cmpstr (truncated[i], ==, "");
    }
  g_assert_cmpint (maiko_record_get_error_code (g_ptr_array_index (records, 8)), ==, 0);
  g_assert_cmpstr (maiko_record_get_error_message (g_ptr_array_index (records, 8)), ==, "");
  g_assert_cmpint (maiko_record_get_error_code (g_ptr_array_index (records, 9)), ==, 8);
  g_assert_cmpstr (maiko_record_get_error_message (g_ptr_array_index (records, 9)), ==, "");

  g_clear_pointer (&long_parent_id, g_free);
}

/* Every hook's name is its nick, the name of its monitor signal and the
 * "hook" field of a line, and reads back to the hook. */
static void
test_hook_names (void)
{
  g_autoptr(GEnumClass) hooks = g_type_class_ref (MAIKO_TYPE_RECORD_HOOK);
  g_autoptr(MaikoRecord) record = NULL;
  MaikoRecordHook hook = MAIKO_RECORD_HOOK_ACTOR_STOPPED;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (maiko_record_hook_to_string (MAIKO_RECORD_HOOK_EVENT_DISPATCHED), ==,
                   "event-dispatched");
  g_assert_cmpstr (maiko_record_hook_to_string (MAIKO_RECORD_HOOK_OVERFLOW), ==, "overflow");

  for (guint i = 0; i < hooks->n_values; i++)
    {
      GEnumValue *value = &hooks->values[i];
      const char *name = maiko_record_hook_to_string (value->value);

      g_assert_cmpstr (name, ==, value->value_nick);
      g_assert_cmpuint (g_signal_lookup (name, MAIKO_TYPE_MONITOR), !=, 0);
      g_assert_true (maiko_record_hook_from_string (name, &hook, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hook, ==, value->value);
    }

  record = maiko_record_parse_line ("{\"hook\":\"actor-registered\",\"time\":1,\"actor\":\"a\"}",
                                    -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (maiko_record_hook_to_string (maiko_record_get_hook (record)), ==,
                   "actor-registered");

  hook = MAIKO_RECORD_HOOK_ACTOR_STOPPED;
  g_assert_false (maiko_record_hook_from_string ("event_dispatched", &hook, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (hook, ==, MAIKO_RECORD_HOOK_ACTOR_STOPPED);
  g_clear_error (&error);
  g_assert_false (maiko_record_hook_from_string ("", &hook, &error));
  g_assert_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_test_expect_message ("Maiko", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_null (maiko_record_hook_to_string ((MaikoRecordHook) 1000));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recorder/round-trip", test_round_trip);
  g_test_add_func ("/recorder/unwritable-path", test_unwritable_path);
  g_test_add_func ("/recorder/disk-full-on-flush", test_disk_full_on_flush);
  g_test_add_func ("/recorder/disk-full-on-write", test_disk_full_on_write);
  g_test_add_func ("/recorder/close", test_close);
  g_test_add_func ("/recorder/unrouted", test_unrouted);
  g_test_add_func ("/recorder/restarted", test_restarted);
  g_test_add_func ("/recorder/parse-valid", test_parse_valid);
  g_test_add_func ("/recorder/parse-malformed", test_parse_malformed);
  g_test_add_func ("/recorder/parse-hostile", test_parse_hostile);
  g_test_add_func ("/recorder/read-bytes", test_read_bytes);
  g_test_add_func ("/recorder/samples", test_samples);
  g_test_add_func ("/recorder/read-missing-file", test_read_missing_file);
  g_test_add_func ("/recorder/read-prefix", test_read_prefix);
  g_test_add_func ("/recorder/read-not-regular", test_read_not_regular);
  g_test_add_func ("/recorder/parse-numbers", test_parse_numbers);
  g_test_add_func ("/recorder/write-unreadable", test_write_unreadable);
  g_test_add_func ("/recorder/hook-names", test_hook_names);

  return g_test_run ();
}
