/* maiko-event.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <string.h>

#include "maiko-event.h"

/**
 * MaikoEvent:
 *
 * An immutable event: a label (the variant's name, such as `"Hello"`) and an
 * optional [struct@GLib.Variant] payload.
 *
 * Events are reference counted and never change once made, so one event can
 * be shared by any number of envelopes and threads without copying.
 */
struct _MaikoEvent
{
  gatomicrefcount  ref_count;
  /* Sunk at construction, so the event owns a full reference. */
  GVariant        *payload;
  /* Stored inline: one allocation per event. */
  char             label[];
};

G_DEFINE_BOXED_TYPE (MaikoEvent, maiko_event, maiko_event_ref, maiko_event_unref)

/**
 * maiko_event_new:
 * @label: the event's label, a non-empty UTF-8 string
 * @payload: (nullable): the payload; a floating reference is sunk
 *
 * Creates an event.
 *
 * Returns: (transfer full): a new event
 */
MaikoEvent *
maiko_event_new (const char *label,
                 GVariant   *payload)
{
  MaikoEvent *event;
  gsize len;

  g_return_val_if_fail (label != NULL && *label != '\0', NULL);
  g_return_val_if_fail (g_utf8_validate (label, -1, NULL), NULL);

  len = strlen (label);
  event = g_malloc (sizeof *event + len + 1);
  g_atomic_ref_count_init (&event->ref_count);
  event->payload = payload != NULL ? g_variant_ref_sink (payload) : NULL;
  memcpy (event->label, label, len + 1);

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
      g_clear_pointer (&event->payload, g_variant_unref);
      g_free (event);
    }
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
  g_return_val_if_fail (event != NULL, NULL);

  return event->payload;
}
