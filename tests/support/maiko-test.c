/* maiko-test.c: C actors on threads of their own, for the binding tests
 *
 * SPDX-License-Identifier: MIT
 */

#include "maiko-test.h"

/* The thread that loaded this library: the binding's main thread. */
static GThread *main_thread;

__attribute__((constructor))
static void
record_main_thread (void)
{
  main_thread = g_thread_self ();
}

/**
 * maiko_test_on_main_thread:
 *
 * Returns: whether the caller runs on the thread that loaded the library
 */
gboolean
maiko_test_on_main_thread (void)
{
  return g_thread_self () == main_thread;
}

/* Tracked payloads: counts the int64 payloads still alive, so a test can
 * tell that envelopes (which hold events, which hold payloads) are freed. */

static gint live_payloads;

static void
tracked_free (gpointer data)
{
  g_free (data);
  g_atomic_int_dec_and_test (&live_payloads);
}

/**
 * maiko_test_tracked_int64:
 * @value: the value
 *
 * Makes an int64 variant (type `x`) whose release is counted by
 * maiko_test_live_payloads().
 *
 * Returns: (transfer full): the new variant (not floating)
 */
GVariant *
maiko_test_tracked_int64 (gint64 value)
{
  /* g_malloc aligns for any type: GVariant keeps the buffer, no copy. */
  gint64 *data = g_new (gint64, 1);

  *data = value;
  g_atomic_int_inc (&live_payloads);
  return g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_INT64,
                                                      data, sizeof *data, TRUE,
                                                      tracked_free, data));
}

/**
 * maiko_test_live_payloads:
 *
 * Returns: how many variants made by maiko_test_tracked_int64() are alive
 */
guint
maiko_test_live_payloads (void)
{
  return (guint) g_atomic_int_get (&live_payloads);
}

/* MaikoTestProducer: sends Label(i) for i in 0 .. count-1, one per step. */

struct _MaikoTestProducer
{
  MaikoActor  parent_instance;
  /* Construct-only settings. */
  char       *label;
  guint       count;
  /* Written on the actor's thread, read anywhere: atomic. */
  guint       sent;
  gint        main_thread_calls;
};

G_DEFINE_FINAL_TYPE (MaikoTestProducer, maiko_test_producer, MAIKO_TYPE_ACTOR)

enum {
  PRODUCER_PROP_0,
  PRODUCER_PROP_LABEL,
  PRODUCER_PROP_COUNT,
  PRODUCER_PROP_SENT,
  PRODUCER_PROP_MAIN_THREAD_CALLS,
  PRODUCER_N_PROPS
};

static GParamSpec *producer_props[PRODUCER_N_PROPS];

static void
note_thread (gint *main_thread_calls)
{
  if (maiko_test_on_main_thread ())
    g_atomic_int_inc (main_thread_calls);
}

static MaikoStepAction
maiko_test_producer_step (MaikoActor *actor)
{
  MaikoTestProducer *self = MAIKO_TEST_PRODUCER (actor);
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(MaikoEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  guint sent = g_atomic_int_get (&self->sent);

  note_thread (&self->main_thread_calls);
  if (sent >= self->count)
    return MAIKO_STEP_ACTION_NEVER;

  payload = maiko_test_tracked_int64 (sent);
  event = maiko_event_new (self->label, payload);
  if (!maiko_context_send (maiko_actor_get_context (actor), event, &error))
    {
      /* The runtime stopping while the producer runs is expected. */
      if (!g_error_matches (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED))
        g_warning ("Producer “%s” could not send: %s",
                   maiko_actor_get_name (actor), error->message);
      return MAIKO_STEP_ACTION_NEVER;
    }
  g_atomic_int_set (&self->sent, sent + 1);

  return sent + 1 < self->count ? MAIKO_STEP_ACTION_CONTINUE
                                : MAIKO_STEP_ACTION_NEVER;
}

static gboolean
maiko_test_producer_on_start (MaikoActor  *actor,
                              GError     **error)
{
  note_thread (&MAIKO_TEST_PRODUCER (actor)->main_thread_calls);
  return TRUE;
}

static void
maiko_test_producer_finalize (GObject *object)
{
  MaikoTestProducer *self = MAIKO_TEST_PRODUCER (object);

  g_free (self->label);

  G_OBJECT_CLASS (maiko_test_producer_parent_class)->finalize (object);
}

static void
maiko_test_producer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MaikoTestProducer *self = MAIKO_TEST_PRODUCER (object);

  switch (prop_id)
    {
    case PRODUCER_PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PRODUCER_PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PRODUCER_PROP_SENT:
      g_value_set_uint (value, g_atomic_int_get (&self->sent));
      break;
    case PRODUCER_PROP_MAIN_THREAD_CALLS:
      g_value_set_uint (value, (guint) g_atomic_int_get (&self->main_thread_calls));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_test_producer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MaikoTestProducer *self = MAIKO_TEST_PRODUCER (object);

  switch (prop_id)
    {
    case PRODUCER_PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      break;
    case PRODUCER_PROP_COUNT:
      self->count = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_test_producer_class_init (MaikoTestProducerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  object_class->finalize = maiko_test_producer_finalize;
  object_class->get_property = maiko_test_producer_get_property;
  object_class->set_property = maiko_test_producer_set_property;
  actor_class->on_start = maiko_test_producer_on_start;
  actor_class->step = maiko_test_producer_step;

  /**
   * MaikoTestProducer:label:
   *
   * The label of the events sent.
   */
  producer_props[PRODUCER_PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "Num",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  /**
   * MaikoTestProducer:count:
   *
   * How many events to send.
   */
  producer_props[PRODUCER_PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_STATIC_STRINGS);
  /**
   * MaikoTestProducer:sent:
   *
   * How many events were sent so far.
   */
  producer_props[PRODUCER_PROP_SENT] =
    g_param_spec_uint ("sent", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MaikoTestProducer:main-thread-calls:
   *
   * How many of the actor's callbacks ran on the main thread (0 for an
   * actor on a thread of its own).
   */
  producer_props[PRODUCER_PROP_MAIN_THREAD_CALLS] =
    g_param_spec_uint ("main-thread-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, PRODUCER_N_PROPS, producer_props);
}

static void
maiko_test_producer_init (MaikoTestProducer *self)
{
}

/**
 * maiko_test_producer_new:
 * @label: the label of the events to send
 * @count: how many events to send
 *
 * Returns: (transfer full): a producer that sends @label(i) for i from 0 to
 *   @count - 1 (payload: a tracked int64), one event per step
 */
MaikoTestProducer *
maiko_test_producer_new (const char *label,
                         guint       count)
{
  return g_object_new (MAIKO_TEST_TYPE_PRODUCER, "label", label, "count", count, NULL);
}

/**
 * maiko_test_producer_get_sent:
 * @self: a producer
 *
 * Returns: how many events were sent so far
 */
guint
maiko_test_producer_get_sent (MaikoTestProducer *self)
{
  g_return_val_if_fail (MAIKO_TEST_IS_PRODUCER (self), 0);

  return g_atomic_int_get (&self->sent);
}

/* MaikoTestEcho: answers every event with reply-label(same payload), a child
 * of the event answered. */

struct _MaikoTestEcho
{
  MaikoActor  parent_instance;
  /* Construct-only. */
  char       *reply_label;
  /* Written on the actor's thread, read anywhere: atomic. */
  guint       handled;
  gint        main_thread_calls;
};

G_DEFINE_FINAL_TYPE (MaikoTestEcho, maiko_test_echo, MAIKO_TYPE_ACTOR)

enum {
  ECHO_PROP_0,
  ECHO_PROP_REPLY_LABEL,
  ECHO_PROP_HANDLED,
  ECHO_PROP_MAIN_THREAD_CALLS,
  ECHO_N_PROPS
};

static GParamSpec *echo_props[ECHO_N_PROPS];

static gboolean
maiko_test_echo_handle_event (MaikoActor     *actor,
                              MaikoEnvelope  *envelope,
                              GError        **error)
{
  MaikoTestEcho *self = MAIKO_TEST_ECHO (actor);
  g_autoptr(MaikoEvent) reply = NULL;
  MaikoEvent *event = maiko_envelope_get_event (envelope);

  note_thread (&self->main_thread_calls);
  reply = maiko_event_new (self->reply_label, maiko_event_get_payload (event));
  if (!maiko_context_send_child_event (maiko_actor_get_context (actor), reply,
                                       maiko_envelope_get_id (envelope), error))
    return FALSE;
  g_atomic_int_inc (&self->handled);

  return TRUE;
}

static gboolean
maiko_test_echo_on_start (MaikoActor  *actor,
                          GError     **error)
{
  note_thread (&MAIKO_TEST_ECHO (actor)->main_thread_calls);
  return TRUE;
}

static void
maiko_test_echo_finalize (GObject *object)
{
  MaikoTestEcho *self = MAIKO_TEST_ECHO (object);

  g_free (self->reply_label);

  G_OBJECT_CLASS (maiko_test_echo_parent_class)->finalize (object);
}

static void
maiko_test_echo_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MaikoTestEcho *self = MAIKO_TEST_ECHO (object);

  switch (prop_id)
    {
    case ECHO_PROP_REPLY_LABEL:
      g_value_set_string (value, self->reply_label);
      break;
    case ECHO_PROP_HANDLED:
      g_value_set_uint (value, g_atomic_int_get (&self->handled));
      break;
    case ECHO_PROP_MAIN_THREAD_CALLS:
      g_value_set_uint (value, (guint) g_atomic_int_get (&self->main_thread_calls));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_test_echo_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MaikoTestEcho *self = MAIKO_TEST_ECHO (object);

  switch (prop_id)
    {
    case ECHO_PROP_REPLY_LABEL:
      g_free (self->reply_label);
      self->reply_label = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_test_echo_class_init (MaikoTestEchoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  object_class->finalize = maiko_test_echo_finalize;
  object_class->get_property = maiko_test_echo_get_property;
  object_class->set_property = maiko_test_echo_set_property;
  actor_class->on_start = maiko_test_echo_on_start;
  actor_class->handle_event = maiko_test_echo_handle_event;

  /**
   * MaikoTestEcho:reply-label:
   *
   * The label of the answers.
   */
  echo_props[ECHO_PROP_REPLY_LABEL] =
    g_param_spec_string ("reply-label", NULL, NULL, "Echo",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  /**
   * MaikoTestEcho:handled:
   *
   * How many events were answered so far.
   */
  echo_props[ECHO_PROP_HANDLED] =
    g_param_spec_uint ("handled", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MaikoTestEcho:main-thread-calls:
   *
   * How many of the actor's callbacks ran on the main thread (0 for an
   * actor on a thread of its own).
   */
  echo_props[ECHO_PROP_MAIN_THREAD_CALLS] =
    g_param_spec_uint ("main-thread-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ECHO_N_PROPS, echo_props);
}

static void
maiko_test_echo_init (MaikoTestEcho *self)
{
}

/**
 * maiko_test_echo_new:
 * @reply_label: the label of the answers
 *
 * Returns: (transfer full): an actor that answers every event with
 *   @reply_label(the same payload), sent as a child of the event answered
 */
MaikoTestEcho *
maiko_test_echo_new (const char *reply_label)
{
  return g_object_new (MAIKO_TEST_TYPE_ECHO, "reply-label", reply_label, NULL);
}

/**
 * maiko_test_echo_get_handled:
 * @self: an echo actor
 *
 * Returns: how many events were answered so far
 */
guint
maiko_test_echo_get_handled (MaikoTestEcho *self)
{
  g_return_val_if_fail (MAIKO_TEST_IS_ECHO (self), 0);

  return g_atomic_int_get (&self->handled);
}
