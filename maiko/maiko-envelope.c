/* maiko-envelope.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <string.h>

#include "maiko-envelope-private.h"
#include "maiko-event-private.h"

/**
 * MaikoEnvelope:
 *
 * An event on its way: the [struct@Maiko.Event] plus the metadata the
 * runtime adds when it is sent — a unique id, the sender's name, the topic,
 * a timestamp and, for a child event, the id of its parent.
 *
 * Envelopes are immutable and reference counted. One envelope is shared by
 * all of its receivers; it is never copied per receiver.
 *
 * Ids are UUID strings (version 4), so they survive every language binding
 * intact: JavaScript numbers could not hold a 64-bit integer id.
 */
typedef enum
{
  ID_NOT_FORMATTED,
  ID_FORMATTING,
  ID_FORMATTED,
} IdState;

G_DEFINE_BOXED_TYPE (MaikoEnvelope, maiko_envelope, maiko_envelope_ref, maiko_envelope_unref)

MaikoEnvelope *
_maiko_envelope_new (MaikoEvent *event,
                     const char *sender,
                     const char *parent_id,
                     const char *topic,
                     gboolean    topic_is_static)
{
  /* Most events are sent once: their envelope is then no allocation of
   * its own, and the receiver frees one block instead of two. */
  MaikoEnvelope *envelope = _maiko_event_claim_envelope (event);

  if (envelope != NULL)
    envelope->in_event = TRUE;
  else
    {
      envelope = g_new (MaikoEnvelope, 1);
      g_atomic_ref_count_init (&envelope->ref_count);
      envelope->in_event = FALSE;
      maiko_event_ref (event);
    }
  envelope->event = event;
  envelope->sender = sender;
  envelope->owned_topic = topic_is_static ? NULL : g_strdup (topic);
  envelope->topic = topic_is_static ? topic : envelope->owned_topic;
  envelope->parent_id = g_strdup (parent_id);
  envelope->origin = NULL;
  envelope->timestamp_ns = _maiko_timestamp_ns ();
  _maiko_uuid_v4 (&envelope->uuid);
  envelope->id_state = ID_NOT_FORMATTED;

  return envelope;
}

/* The bits of the UUID text @id, which g_uuid_string_is_valid() accepts. */
static void
parse_uuid (const char *id,
            MaikoUuid  *uuid)
{
  guint n = 0;

  for (const char *p = id; *p != '\0' && n < 32; p++)
    {
      if (*p == '-')
        continue;
      if (n % 2 == 0)
        uuid->bytes[n / 2] = g_ascii_xdigit_value (*p) << 4;
      else
        uuid->bytes[n / 2] |= g_ascii_xdigit_value (*p);
      n++;
    }
}

MaikoEnvelope *
_maiko_envelope_new_received (MaikoEvent *event,
                              const char *origin,
                              const char *id,
                              const char *sender,
                              const char *parent_id,
                              const char *topic,
                              gint64      timestamp_ns)
{
  MaikoEnvelope *envelope;

  g_assert (g_uuid_string_is_valid (id));

  envelope = _maiko_envelope_new (event, g_intern_string (sender), parent_id, topic, FALSE);
  envelope->origin = g_strdup (origin);
  envelope->timestamp_ns = timestamp_ns;
  parse_uuid (id, &envelope->uuid);
  /* Kept as given (upper-case digits too), so the parent ids that other
   * processes send back match it. */
  memcpy (envelope->id, id, MAIKO_UUID_LEN + 1);
  envelope->id_state = ID_FORMATTED;

  return envelope;
}

/**
 * maiko_envelope_ref:
 * @envelope: an envelope
 *
 * Acquires a reference on @envelope.
 *
 * Returns: (transfer full): @envelope
 */
MaikoEnvelope *
maiko_envelope_ref (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  if (envelope->in_event)
    maiko_event_ref (envelope->event);
  else
    g_atomic_ref_count_inc (&envelope->ref_count);
  return envelope;
}

/**
 * maiko_envelope_unref:
 * @envelope: (transfer full): an envelope
 *
 * Releases a reference on @envelope.
 */
void
maiko_envelope_unref (MaikoEnvelope *envelope)
{
  g_return_if_fail (envelope != NULL);

  if (envelope->in_event)
    maiko_event_unref (envelope->event);
  else if (g_atomic_ref_count_dec (&envelope->ref_count))
    {
      _maiko_envelope_clear (envelope);
      maiko_event_unref (envelope->event);
      g_free (envelope);
    }
}

void
_maiko_envelope_clear (MaikoEnvelope *envelope)
{
  g_free (envelope->owned_topic);
  g_free (envelope->parent_id);
  g_free (envelope->origin);
}

/**
 * maiko_envelope_get_event:
 * @envelope: an envelope
 *
 * Gets the event the envelope carries.
 *
 * Returns: (transfer none): the event carried by @envelope
 */
MaikoEvent *
maiko_envelope_get_event (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return envelope->event;
}

/* The envelope is shared by all its receivers, on their own threads: the
 * first caller formats the text, and any other caller waits the few
 * nanoseconds that takes rather than writing the same bytes at once. */
static void
format_id (MaikoEnvelope *envelope)
{
  if (g_atomic_int_compare_and_exchange (&envelope->id_state, ID_NOT_FORMATTED, ID_FORMATTING))
    {
      _maiko_uuid_format (&envelope->uuid, envelope->id);
      g_atomic_int_set (&envelope->id_state, ID_FORMATTED);
      return;
    }

  while (g_atomic_int_get (&envelope->id_state) != ID_FORMATTED)
    ;
}

/**
 * maiko_envelope_get_id:
 * @envelope: an envelope
 *
 * Gets the envelope's unique id.
 *
 * Returns: the envelope's unique id, a version 4 UUID in its 36-character
 *   text form
 */
const char *
maiko_envelope_get_id (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  if (G_UNLIKELY (g_atomic_int_get (&envelope->id_state) != ID_FORMATTED))
    format_id (envelope);
  return envelope->id;
}

/**
 * maiko_envelope_get_sender:
 * @envelope: an envelope
 *
 * Gets the name of the actor that sent the event.
 *
 * Returns: the name of the actor that sent the event, or `"supervisor"`
 *   for events sent with [method@Maiko.Supervisor.send]
 */
const char *
maiko_envelope_get_sender (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return envelope->sender;
}

/**
 * maiko_envelope_get_parent_id:
 * @envelope: an envelope
 *
 * Gets the id of the envelope this one answers, if any.
 *
 * Returns: (nullable): the id of the event this one answers, as given to
 *   [method@Maiko.Context.send_child_event], or %NULL
 */
const char *
maiko_envelope_get_parent_id (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return envelope->parent_id;
}

/**
 * maiko_envelope_get_topic:
 * @envelope: an envelope
 *
 * Gets the topic the event was routed on.
 *
 * Returns: the topic the event was routed on
 */
const char *
maiko_envelope_get_topic (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);

  return envelope->topic;
}

/**
 * maiko_envelope_get_timestamp:
 * @envelope: an envelope
 *
 * Gets the wall-clock time at which the event was sent, in microseconds
 * since the Unix epoch, as [func@GLib.get_real_time] counts.
 *
 * Two envelopes may share a microsecond; use
 * [method@Maiko.Envelope.get_timestamp_ns] to order them.
 *
 * Returns: the send time in microseconds
 */
gint64
maiko_envelope_get_timestamp (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, 0);

  return envelope->timestamp_ns / 1000;
}

/**
 * maiko_envelope_get_timestamp_ns:
 * @envelope: an envelope
 *
 * Gets the wall-clock time at which the event was sent, in nanoseconds since
 * the Unix epoch. Within one process these timestamps are strictly
 * increasing: no two envelopes share one, and an envelope made later has a
 * larger one. An envelope that came in through a bridge (see
 * `docs/bridges.md`) keeps the timestamp, and the id, that its sending
 * process gave it.
 *
 * Returns: the send time in nanoseconds
 */
gint64
maiko_envelope_get_timestamp_ns (MaikoEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, 0);

  return envelope->timestamp_ns;
}
