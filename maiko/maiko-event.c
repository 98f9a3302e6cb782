/* maiko-event.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <string.h>

#include "maiko-envelope-private.h"
#include "maiko-error.h"
#include "maiko-event-private.h"

/**
 * MaikoEvent:
 *
 * An immutable event: a label (the variant's name, such as `"Hello"`) and an
 * optional [struct@GLib.Variant] payload. An `int64` payload can be kept in
 * the event itself, with no variant made unless asked for: see
 * [ctor@Maiko.Event.new_int64].
 *
 * Events are reference counted and never change once made, so one event can
 * be shared by any number of envelopes and threads without copying.
 */
struct _MaikoEvent
{
  gatomicrefcount  ref_count;
  /* Sunk, so the event owns a full reference. Set at construction, or for
   * an inline int64 on the first maiko_event_get_payload() (atomic). */
  GVariant        *payload;
  gboolean         has_int64;
  gint64           int64_value;
  /* Room for the first envelope the event is sent in (atomic claim). */
  gint             envelope_claimed;
  MaikoEnvelope    envelope;
  /* Stored inline: one allocation per event. */
  char             label[];
};

G_DEFINE_BOXED_TYPE (MaikoEvent, maiko_event, maiko_event_ref, maiko_event_unref)

/* Events come from GSlice, not malloc: an event (with its first envelope)
 * is usually made on one thread and freed on another, and GLib 2.74's
 * GSlice hands such blocks back in magazines, a lock per batch, where
 * malloc takes its arena's lock for every free from another thread. S2
 * with one thread per actor: 1.93M -> 2.38M events/s. (From GLib 2.76,
 * GSlice is malloc.) */
static gsize
event_size (gsize label_len)
{
  return sizeof (MaikoEvent) + label_len + 1;
}

static MaikoEvent *
event_new (const char *label)
{
  gsize len = strlen (label);
  MaikoEvent *event = g_slice_alloc (event_size (len));

  g_atomic_ref_count_init (&event->ref_count);
  event->payload = NULL;
  event->has_int64 = FALSE;
  event->int64_value = 0;
  /* Atomic like the claim: the event may reach the claiming thread through
   * GLib's own queues, which ThreadSanitizer does not see. */
  g_atomic_int_set (&event->envelope_claimed, FALSE);
  memcpy (event->label, label, len + 1);

  return event;
}

/* What maiko_event_new() and maiko_event_try_new() accept. */
static gboolean
label_is_valid (const char *label)
{
  return label != NULL && *label != '\0' && g_utf8_validate (label, -1, NULL);
}

/**
 * maiko_event_new:
 * @label: the event's label, a non-empty UTF-8 string
 * @payload: (nullable): the payload; a floating reference is sunk
 *
 * Creates an event. A bad label is a programming error (a critical); for
 * labels that come from outside the program, use
 * [ctor@Maiko.Event.try_new].
 *
 * A floating `int64` payload (`g_variant_new_int64()` passed on as it
 * is) is kept in the event itself, as by [ctor@Maiko.Event.new_int64]:
 * [method@Maiko.Event.get_payload] then returns an equal variant, made on
 * first use, not the same one.
 *
 * Returns: (transfer full): a new event
 */
MaikoEvent *
maiko_event_new (const char *label,
                 GVariant   *payload)
{
  MaikoEvent *event;

  g_return_val_if_fail (label_is_valid (label), NULL);

  event = event_new (label);
  /* A floating int64 is nobody else's: kept inline, as by
   * maiko_event_new_int64(), and freed here, on the thread that made it.
   * Otherwise its three blocks (variant, bytes, data) would be freed by
   * the last receiver, on another thread, against the sender's malloc
   * arena: S2 threaded with such payloads ran at about 1.5M events/s,
   * with inline ones 2.6M. get_payload() makes an equal variant when
   * asked. A variant the caller holds a reference to is kept as it is. */
  if (payload != NULL && g_variant_is_floating (payload) &&
      g_variant_classify (payload) == G_VARIANT_CLASS_INT64)
    {
      event->has_int64 = TRUE;
      event->int64_value = g_variant_get_int64 (payload);
      /* The floating reference is ours: dropped without sinking it first,
       * which would take the variant's lock once more. */
      g_variant_unref (payload);
    }
  else
    event->payload = payload != NULL ? g_variant_ref_sink (payload) : NULL;

  return event;
}

/**
 * maiko_event_try_new:
 * @label: (nullable): the event's label, to be checked: a non-empty UTF-8
 *   string
 * @payload: (nullable): the payload; a floating reference is sunk, also
 *   when the label is refused
 * @error: return location for a #GError
 *
 * Creates an event as [ctor@Maiko.Event.new] does, for a label that comes
 * from outside the program (a file, JSON, D-Bus, MQTT): a bad label is a
 * %MAIKO_ERROR_INVALID_ARGUMENT instead of a programming error.
 *
 * Returns: (transfer full) (nullable): a new event, or %NULL with @error
 *   set if @label is %NULL, empty or not valid UTF-8
 */
MaikoEvent *
maiko_event_try_new (const char  *label,
                     GVariant    *payload,
                     GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!label_is_valid (label))
    {
      /* Taken either way, so that the caller never leaks a floating one. */
      if (payload != NULL)
        g_variant_unref (g_variant_ref_sink (payload));
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "An event label must be a non-empty UTF-8 string");
      return NULL;
    }

  return maiko_event_new (label, payload);
}

/**
 * maiko_event_new_int64:
 * @label: the event's label, a non-empty UTF-8 string
 * @value: the payload
 *
 * Creates an event whose payload is @value, an `int64` (`"x"`), kept in the
 * event itself: one allocation instead of four. The event is the same as
 * one made by `maiko_event_new (label, g_variant_new_int64 (value))`, and
 * [method@Maiko.Event.get_payload] makes the [struct@GLib.Variant] when first
 * asked; [method@Maiko.Event.get_int64] reads the value without it.
 *
 * For events sent at high rates between threads, where every allocation is
 * memory that crosses cores (see `bench/README.md`).
 *
 * Returns: (transfer full): a new event
 */
MaikoEvent *
maiko_event_new_int64 (const char *label,
                       gint64      value)
{
  MaikoEvent *event;

  g_return_val_if_fail (label_is_valid (label), NULL);

  event = event_new (label);
  event->has_int64 = TRUE;
  event->int64_value = value;

  return event;
}

/**
 * maiko_event_ref:
 * @event: an event
 *
 * Acquires a reference on @event.
 *
 * Returns: (transfer full): @event
 */
MaikoEvent *
maiko_event_ref (MaikoEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  g_atomic_ref_count_inc (&event->ref_count);
  return event;
}

/**
 * maiko_event_unref:
 * @event: (transfer full): an event
 *
 * Releases a reference on @event, freeing it when the last one goes.
 */
void
maiko_event_unref (MaikoEvent *event)
{
  g_return_if_fail (event != NULL);

  if (g_atomic_ref_count_dec (&event->ref_count))
    {
      if (g_atomic_int_get (&event->envelope_claimed))
        _maiko_envelope_clear (&event->envelope);
      g_clear_pointer (&event->payload, g_variant_unref);
      g_slice_free1 (event_size (strlen (event->label)), event);
    }
}

/* The room for the event's first envelope, once, with a reference on the
 * event for the envelope's own; %NULL once taken. An event is usually sent
 * once: it and its envelope are then one allocation, freed together when
 * the last reference to either goes. */
MaikoEnvelope *
_maiko_event_claim_envelope (MaikoEvent *event)
{
  if (!g_atomic_int_compare_and_exchange (&event->envelope_claimed, FALSE, TRUE))
    return NULL;

  maiko_event_ref (event);
  return &event->envelope;
}

/**
 * maiko_event_get_label:
 * @event: an event
 *
 * Gets the event's label.
 *
 * Returns: the event's label
 */
const char *
maiko_event_get_label (MaikoEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return event->label;
}

/**
 * maiko_event_get_payload:
 * @event: an event
 *
 * Gets the event's payload, if it has one.
 *
 * Returns: (transfer none) (nullable): the event's payload
 */
GVariant *
maiko_event_get_payload (MaikoEvent *event)
{
  GVariant *payload;

  g_return_val_if_fail (event != NULL, NULL);

  payload = g_atomic_pointer_get (&event->payload);
  if (payload != NULL || !event->has_int64)
    return payload;

  /* Several threads may get here at once: one variant wins, for good. */
  payload = g_variant_ref_sink (g_variant_new_int64 (event->int64_value));
  if (!g_atomic_pointer_compare_and_exchange (&event->payload, NULL, payload))
    {
      g_variant_unref (payload);
      payload = g_atomic_pointer_get (&event->payload);
    }

  return payload;
}

/**
 * maiko_event_get_int64:
 * @event: an event
 * @value: (out) (optional): return location for the payload's value
 *
 * Reads an `int64` payload, made by [ctor@Maiko.Event.new_int64] or given as
 * a [struct@GLib.Variant] of type `"x"`, without making a variant.
 *
 * Returns: %TRUE if the payload is an `int64` (and @value is set);
 *   %FALSE for any other payload or none
 */
gboolean
maiko_event_get_int64 (MaikoEvent *event,
                       gint64     *value)
{
  GVariant *payload;

  g_return_val_if_fail (event != NULL, FALSE);

  if (event->has_int64)
    {
      if (value != NULL)
        *value = event->int64_value;
      return TRUE;
    }

  payload = event->payload;
  if (payload == NULL || !g_variant_is_of_type (payload, G_VARIANT_TYPE_INT64))
    return FALSE;
  if (value != NULL)
    *value = g_variant_get_int64 (payload);

  return TRUE;
}
