/* maiko-tracer.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-enum-types.h"
#include "maiko-tracer.h"

/**
 * MaikoTracer:
 *
 * A monitor that writes each hook of the runtime to GLib's structured log,
 * under the `Maiko` log domain. Add it to a supervisor and run the program
 * with `G_MESSAGES_DEBUG=Maiko` to see the trace:
 *
 * ```c
 * g_autoptr(MaikoTracer) tracer = maiko_tracer_new ();
 *
 * maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (tracer), NULL);
 * ```
 *
 * The levels keep the per-event traffic apart from the rest, so that a
 * log filtered by priority (`journalctl -p info`) shows the actors'
 * lifecycle and errors without every event:
 *
 * | hook | level |
 * |------|-------|
 * | `event-dispatched`, `event-delivered`, `event-handled`, `overflow` | %G_LOG_LEVEL_DEBUG |
 * | `actor-registered`, `actor-stopped` | %G_LOG_LEVEL_INFO |
 * | `error` | %G_LOG_LEVEL_WARNING |
 *
 * GLib's default writer hides the debug and info levels unless
 * `G_MESSAGES_DEBUG` names the `Maiko` domain (or is `all`); warnings are
 * always shown. Mind that a program run with `G_DEBUG=fatal-warnings`, or
 * a GTest program, which makes warnings fatal, aborts at the first actor
 * error a tracer reports through the default writer.
 *
 * Besides `MESSAGE`, `PRIORITY` and `GLIB_DOMAIN`, each record has these
 * fields, for a log writer or the journal to filter on:
 *
 * | field | value | hooks |
 * |-------|-------|-------|
 * | `MAIKO_HOOK` | the signal's name, such as `event-handled` | all |
 * | `MAIKO_ACTOR` | the receiver, or the actor that failed, was added or stopped | all |
 * | `MAIKO_TOPIC` | the event's topic | event hooks, `overflow` |
 * | `MAIKO_EVENT_ID` | the envelope's id, a UUID | event hooks, `overflow` |
 * | `MAIKO_EVENT_LABEL` | the event's label | event hooks, `overflow` |
 * | `MAIKO_SENDER` | the sender's name | event hooks, `overflow` |
 * | `MAIKO_PARENT_ID` | the parent envelope's id, only when there is one | event hooks, `overflow` |
 * | `MAIKO_POLICY` | `fail`, `drop` or `block` | `overflow` |
 * | `MAIKO_ERROR_DOMAIN`, `MAIKO_ERROR_CODE`, `MAIKO_ERROR_MESSAGE` | the error's | `error` |
 *
 * Like every monitor, the tracer writes in the main context that was the
 * thread-default one when it was added, never on an actor's thread.
 */

struct _MaikoTracer
{
  MaikoMonitor parent_instance;
};

G_DEFINE_FINAL_TYPE (MaikoTracer, maiko_tracer, MAIKO_TYPE_MONITOR)

/* The most fields a record has: those of an overflow with a parent id. */
#define MAX_FIELDS 11

/* A record's fields, gathered before they are written. */
typedef struct
{
  GLogField fields[MAX_FIELDS];
  gsize     n_fields;
} Fields;

static void
fields_add (Fields     *fields,
            const char *key,
            const char *value)
{
  g_assert (fields->n_fields < MAX_FIELDS);
  fields->fields[fields->n_fields++] = (GLogField) { key, value, -1 };
}

/* The syslog priority, which g_log_structured_array() expects in the
 * fields: the levels the tracer uses are all there is to map. */
static const char *
level_to_priority (GLogLevelFlags level)
{
  switch (level)
    {
    case G_LOG_LEVEL_WARNING:
      return "4";
    case G_LOG_LEVEL_INFO:
      return "6";
    case G_LOG_LEVEL_DEBUG:
    default:
      return "7";
    }
}

static void
fields_write (Fields         *fields,
              GLogLevelFlags  level,
              const char     *message)
{
  fields_add (fields, "GLIB_DOMAIN", G_LOG_DOMAIN);
  fields_add (fields, "PRIORITY", level_to_priority (level));
  fields_add (fields, "MESSAGE", message);
  g_log_structured_array (level, fields->fields, fields->n_fields);
}

/* The fields of the event hooks and overflow; returns the start of the
 * message they share. */
static char *
add_event_fields (Fields        *fields,
                  const char    *hook,
                  MaikoEnvelope *envelope,
                  const char    *topic,
                  const char    *receiver)
{
  const char *label = maiko_event_get_label (maiko_envelope_get_event (envelope));
  const char *parent_id = maiko_envelope_get_parent_id (envelope);

  fields_add (fields, "MAIKO_HOOK", hook);
  if (receiver != NULL)
    fields_add (fields, "MAIKO_ACTOR", receiver);
  fields_add (fields, "MAIKO_TOPIC", topic);
  fields_add (fields, "MAIKO_EVENT_ID", maiko_envelope_get_id (envelope));
  fields_add (fields, "MAIKO_EVENT_LABEL", label);
  fields_add (fields, "MAIKO_SENDER", maiko_envelope_get_sender (envelope));
  if (parent_id != NULL)
    fields_add (fields, "MAIKO_PARENT_ID", parent_id);

  if (receiver == NULL)
    return g_strdup_printf ("%s: “%s” from “%s” on topic “%s”, id %s",
                            hook, label, maiko_envelope_get_sender (envelope), topic,
                            maiko_envelope_get_id (envelope));
  return g_strdup_printf ("%s: “%s” from “%s” to “%s” on topic “%s”, id %s",
                          hook, label, maiko_envelope_get_sender (envelope), receiver, topic,
                          maiko_envelope_get_id (envelope));
}

static void
trace_event (const char    *hook,
             MaikoEnvelope *envelope,
             const char    *topic,
             const char    *receiver)
{
  Fields fields = { 0, };
  g_autofree char *message = add_event_fields (&fields, hook, envelope, topic, receiver);

  fields_write (&fields, G_LOG_LEVEL_DEBUG, message);
}

static void
maiko_tracer_event_dispatched (MaikoMonitor  *monitor,
                               MaikoEnvelope *envelope,
                               const char    *topic,
                               const char    *receiver)
{
  trace_event ("event-dispatched", envelope, topic, receiver);
}

static void
maiko_tracer_event_delivered (MaikoMonitor  *monitor,
                              MaikoEnvelope *envelope,
                              const char    *topic,
                              const char    *receiver)
{
  trace_event ("event-delivered", envelope, topic, receiver);
}

static void
maiko_tracer_event_handled (MaikoMonitor  *monitor,
                            MaikoEnvelope *envelope,
                            const char    *topic,
                            const char    *receiver)
{
  trace_event ("event-handled", envelope, topic, receiver);
}

static void
maiko_tracer_event_unrouted (MaikoMonitor  *monitor,
                             MaikoEnvelope *envelope,
                             const char    *topic)
{
  Fields fields = { 0, };
  g_autofree char *start = add_event_fields (&fields, "event-unrouted", envelope, topic, NULL);
  g_autofree char *message = g_strdup_printf ("%s: nobody subscribes to its topic", start);

  fields_write (&fields, G_LOG_LEVEL_DEBUG, message);
}

static void
maiko_tracer_overflow (MaikoMonitor        *monitor,
                       MaikoEnvelope       *envelope,
                       const char          *topic,
                       const char          *receiver,
                       MaikoOverflowPolicy  policy)
{
  g_autoptr(GEnumClass) policies = g_type_class_ref (MAIKO_TYPE_OVERFLOW_POLICY);
  const char *nick = g_enum_get_value (policies, policy)->value_nick;
  Fields fields = { 0, };
  g_autofree char *start = add_event_fields (&fields, "overflow", envelope, topic, receiver);
  g_autofree char *message = g_strdup_printf ("%s: mailbox full, policy %s", start, nick);

  fields_add (&fields, "MAIKO_POLICY", nick);
  fields_write (&fields, G_LOG_LEVEL_DEBUG, message);
}

static void
maiko_tracer_error (MaikoMonitor *monitor,
                    const char   *actor,
                    const GError *error)
{
  Fields fields = { 0, };
  char code[16];
  g_autofree char *message = g_strdup_printf ("error: actor “%s” failed: %s",
                                              actor, error->message);

  g_snprintf (code, sizeof code, "%d", error->code);
  fields_add (&fields, "MAIKO_HOOK", "error");
  fields_add (&fields, "MAIKO_ACTOR", actor);
  fields_add (&fields, "MAIKO_ERROR_DOMAIN", g_quark_to_string (error->domain));
  fields_add (&fields, "MAIKO_ERROR_CODE", code);
  fields_add (&fields, "MAIKO_ERROR_MESSAGE", error->message);
  fields_write (&fields, G_LOG_LEVEL_WARNING, message);
}

static void
trace_actor (const char *hook,
             const char *actor)
{
  Fields fields = { 0, };
  g_autofree char *message = g_strdup_printf ("%s: “%s”", hook, actor);

  fields_add (&fields, "MAIKO_HOOK", hook);
  fields_add (&fields, "MAIKO_ACTOR", actor);
  fields_write (&fields, G_LOG_LEVEL_INFO, message);
}

static void
maiko_tracer_actor_registered (MaikoMonitor *monitor,
                               const char   *actor)
{
  trace_actor ("actor-registered", actor);
}

static void
maiko_tracer_actor_stopped (MaikoMonitor *monitor,
                            const char   *actor)
{
  trace_actor ("actor-stopped", actor);
}

static void
maiko_tracer_actor_restarted (MaikoMonitor *monitor,
                              const char   *actor,
                              guint         count,
                              const GError *error)
{
  Fields fields = { 0, };
  char restarts[16];
  g_autofree char *message = NULL;

  g_snprintf (restarts, sizeof restarts, "%u", count);
  fields_add (&fields, "MAIKO_HOOK", "actor-restarted");
  fields_add (&fields, "MAIKO_ACTOR", actor);
  fields_add (&fields, "MAIKO_RESTARTS", restarts);
  if (error != NULL)
    fields_add (&fields, "MAIKO_ERROR_MESSAGE", error->message);
  message = g_strdup_printf ("actor-restarted: “%s”, restart %u%s%s", actor, count,
                             error != NULL ? ", after: " : "", error != NULL ? error->message : "");
  fields_write (&fields, G_LOG_LEVEL_INFO, message);
}

static void
maiko_tracer_class_init (MaikoTracerClass *klass)
{
  MaikoMonitorClass *monitor_class = MAIKO_MONITOR_CLASS (klass);

  monitor_class->event_dispatched = maiko_tracer_event_dispatched;
  monitor_class->event_delivered = maiko_tracer_event_delivered;
  monitor_class->event_handled = maiko_tracer_event_handled;
  monitor_class->overflow = maiko_tracer_overflow;
  monitor_class->event_unrouted = maiko_tracer_event_unrouted;
  monitor_class->error = maiko_tracer_error;
  monitor_class->actor_registered = maiko_tracer_actor_registered;
  monitor_class->actor_stopped = maiko_tracer_actor_stopped;
  monitor_class->actor_restarted = maiko_tracer_actor_restarted;
}

static void
maiko_tracer_init (MaikoTracer *self)
{
}

/**
 * maiko_tracer_new:
 *
 * Creates a tracer, to add to a supervisor with
 * [method@Maiko.Supervisor.add_monitor].
 *
 * Returns: (transfer full): a new tracer
 */
MaikoTracer *
maiko_tracer_new (void)
{
  return g_object_new (MAIKO_TYPE_TRACER, NULL);
}
