/* backpressure.c: the three overflow policies side by side
 *
 * A producer publishes COUNT Data events and then Done to a consumer whose
 * mailbox holds CAPACITY events. What happens to the events that do not fit
 * is the policy of topic "Data": the program runs the same scenario once
 * with each policy and prints what the consumer handled and what the
 * supervisor counted. Done travels on topic "Command", which is always
 * BLOCK, so that the command is never lost.
 *
 * The producer sends the whole burst from one call of its step, so its
 * outbox routes the burst in one go when step returns, before the consumer
 * runs: the mailbox overflows however fast the machine is. Both actors
 * share the main context (the "light actor" mode), so each run happens on
 * this thread in one order and the figures are the same at every run:
 *
 * - FAIL: the 17th Data event closes the consumer's mailbox and the
 *   consumer stops. The 16 events it held, that one, the 47 after it and
 *   Done all count as undelivered; the producer is not told.
 * - DROP: the first 16 fit; the 48 that arrive while the mailbox is full
 *   are dropped for the consumer. Done waits for room (its topic blocks).
 * - BLOCK: routing waits for room; the wait iterates the main context, so
 *   the consumer makes it. Everything arrives.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define COUNT    64
#define CAPACITY 16

/* The producer: publishes COUNT Data events and Done from its first step. */

#define PRODUCER_TYPE (producer_get_type ())
G_DECLARE_FINAL_TYPE (Producer, producer, PRODUCER, ACTOR, MaikoActor)

struct _Producer
{
  MaikoActor parent_instance;
};

G_DEFINE_FINAL_TYPE (Producer, producer, MAIKO_TYPE_ACTOR)

static MaikoStepAction
producer_step (MaikoActor *actor)
{
  MaikoContext *ctx = maiko_actor_get_context (actor);
  g_autoptr(MaikoEvent) done = maiko_event_new ("Done", NULL);

  /* These sends only fill the outbox: it is routed when step returns. */
  for (guint i = 0; i < COUNT; i++)
    {
      g_autoptr(MaikoEvent) data = maiko_event_new ("Data", NULL);

      maiko_context_send (ctx, data, NULL);
    }
  maiko_context_send (ctx, done, NULL);

  /* Its work is done: the producer stops once this step returns. */
  maiko_context_stop (ctx);
  return MAIKO_STEP_ACTION_NEVER;
}

static void
producer_class_init (ProducerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->step = producer_step;
}

static void
producer_init (Producer *self)
{
}

/* The consumer: counts the Data events it handles, and stops on Done. */

#define CONSUMER_TYPE (consumer_get_type ())
G_DECLARE_FINAL_TYPE (Consumer, consumer, CONSUMER, ACTOR, MaikoActor)

struct _Consumer
{
  MaikoActor parent_instance;
  guint      handled;
  /* Whether it stopped because Done arrived, rather than by overflowing. */
  gboolean   got_done;
};

G_DEFINE_FINAL_TYPE (Consumer, consumer, MAIKO_TYPE_ACTOR)

static gboolean
consumer_handle_event (MaikoActor     *actor,
                       MaikoEnvelope  *envelope,
                       GError        **error)
{
  Consumer *self = CONSUMER_ACTOR (actor);
  const char *label = maiko_event_get_label (maiko_envelope_get_event (envelope));

  if (g_str_equal (label, "Data"))
    self->handled++;
  else if (g_str_equal (label, "Done"))
    {
      self->got_done = TRUE;
      maiko_context_stop (maiko_actor_get_context (actor));
    }
  return TRUE;
}

static void
consumer_class_init (ConsumerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = consumer_handle_event;
}

static void
consumer_init (Consumer *self)
{
}

/* Data events go to topic "Data", everything else to "Command". */
static char *
topic_of (MaikoEvent *event,
          gpointer    user_data)
{
  const char *label = maiko_event_get_label (event);

  return g_strdup (g_str_equal (label, "Data") ? "Data" : "Command");
}

static gboolean
run_with_policy (MaikoOverflowPolicy   policy,
                 const char           *policy_name,
                 GError              **error)
{
  const char *everything[] = { "Data", "Command", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Producer) producer = g_object_new (PRODUCER_TYPE,
                                               "main-context", g_main_context_default (),
                                               NULL);
  g_autoptr(Consumer) consumer = g_object_new (CONSUMER_TYPE,
                                               "main-context", g_main_context_default (),
                                               "mailbox-capacity", CAPACITY,
                                               NULL);

  if (!maiko_supervisor_set_topic_func (sup, topic_of, NULL, NULL, error) ||
      !maiko_supervisor_set_topic_policy (sup, "Data", policy, error) ||
      !maiko_supervisor_set_topic_policy (sup, "Command", MAIKO_OVERFLOW_POLICY_BLOCK, error) ||
      !maiko_supervisor_add_actor (sup, "producer", MAIKO_ACTOR (producer), NULL, error) ||
      !maiko_supervisor_add_actor (sup, "consumer", MAIKO_ACTOR (consumer), everything, error) ||
      !maiko_supervisor_start (sup, error) ||
      /* Iterates the main context, where the actors run, until both ended. */
      !maiko_supervisor_join (sup, error))
    return FALSE;

  g_print ("%-6s %7u %7" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT "  %s\n",
           policy_name, consumer->handled,
           maiko_supervisor_get_dropped_count (sup),
           maiko_supervisor_get_undelivered_count (sup),
           consumer->got_done ? "stopped on Done"
                              : "stopped when its mailbox overflowed");
  return TRUE;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;

  g_print ("%d Data events, then Done, to a consumer whose mailbox holds %d\n\n",
           COUNT, CAPACITY);
  g_print ("policy handled dropped undelivered  the consumer\n");

  if (!run_with_policy (MAIKO_OVERFLOW_POLICY_FAIL, "FAIL", &error) ||
      !run_with_policy (MAIKO_OVERFLOW_POLICY_DROP, "DROP", &error) ||
      !run_with_policy (MAIKO_OVERFLOW_POLICY_BLOCK, "BLOCK", &error))
    {
      g_printerr ("backpressure: %s\n", error->message);
      return 1;
    }

  return 0;
}
