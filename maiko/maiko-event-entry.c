/* maiko-event-entry.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-entry-private.h"

/**
 * MaikoEventEntry:
 *
 * One delivery recorded by a [class@Maiko.Harness]: an envelope that one
 * receiver handled. An event sent to three actors gives three entries,
 * which share the envelope. A handling that failed is recorded too, with
 * its error ([method@Maiko.EventEntry.get_error]), as in maiko.
 *
 * Entries are immutable and reference counted.
 */
struct _MaikoEventEntry
{
  gatomicrefcount  ref_count;
  MaikoEnvelope   *envelope;
  /* Interned, as actor names are. */
  const char      *receiver;
  GError          *error;               /* the handler's failure, or NULL */
};

G_DEFINE_BOXED_TYPE (MaikoEventEntry, maiko_event_entry, maiko_event_entry_ref,
                     maiko_event_entry_unref)

MaikoEventEntry *
_maiko_event_entry_new (MaikoEnvelope *envelope,
                        const char    *receiver,
                        const GError  *error)
{
  MaikoEventEntry *entry = g_new (MaikoEventEntry, 1);

  g_atomic_ref_count_init (&entry->ref_count);
  entry->envelope = maiko_envelope_ref (envelope);
  entry->receiver = receiver;
  entry->error = error != NULL ? g_error_copy (error) : NULL;

  return entry;
}

gpointer
_maiko_event_entry_copy (gconstpointer entry,
                         gpointer      unused)
{
  return maiko_event_entry_ref ((MaikoEventEntry *) entry);
}

/**
 * maiko_event_entry_ref:
 * @entry: an entry
 *
 * Acquires a reference on @entry.
 *
 * Returns: (transfer full): @entry
 */
MaikoEventEntry *
maiko_event_entry_ref (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

/**
 * maiko_event_entry_unref:
 * @entry: (transfer full): an entry
 *
 * Releases a reference on @entry.
 */
void
maiko_event_entry_unref (MaikoEventEntry *entry)
{
  g_return_if_fail (entry != NULL);

  if (g_atomic_ref_count_dec (&entry->ref_count))
    {
      maiko_envelope_unref (entry->envelope);
      g_clear_error (&entry->error);
      g_free (entry);
    }
}

/**
 * maiko_event_entry_get_envelope:
 * @entry: an entry
 *
 * Gets the envelope that was delivered, shared by every entry of the event.
 *
 * Returns: (transfer none): the envelope
 */
MaikoEnvelope *
maiko_event_entry_get_envelope (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return entry->envelope;
}

/**
 * maiko_event_entry_get_event:
 * @entry: an entry
 *
 * Gets the event that was delivered.
 *
 * Returns: (transfer none): the event
 */
MaikoEvent *
maiko_event_entry_get_event (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_envelope_get_event (entry->envelope);
}

/**
 * maiko_event_entry_get_id:
 * @entry: an entry
 *
 * Gets the id of the event (its envelope's).
 *
 * Returns: the event's id
 */
const char *
maiko_event_entry_get_id (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_envelope_get_id (entry->envelope);
}

/**
 * maiko_event_entry_get_label:
 * @entry: an entry
 *
 * Gets the label of the event.
 *
 * Returns: the event's label
 */
const char *
maiko_event_entry_get_label (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_event_get_label (maiko_envelope_get_event (entry->envelope));
}

/**
 * maiko_event_entry_get_sender:
 * @entry: an entry
 *
 * Gets the name of the actor that sent the event, or `"supervisor"`.
 *
 * Returns: the sender's name
 */
const char *
maiko_event_entry_get_sender (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_envelope_get_sender (entry->envelope);
}

/**
 * maiko_event_entry_get_receiver:
 * @entry: an entry
 *
 * Gets the name of the actor that handled the event.
 *
 * Returns: the receiver's name
 */
const char *
maiko_event_entry_get_receiver (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return entry->receiver;
}

/**
 * maiko_event_entry_get_error:
 * @entry: an entry
 *
 * Gets the error of the receiver's [vfunc@Maiko.Actor.handle_event] if it
 * failed: the event was handled, and the handling failed.
 *
 * Returns: (nullable): the handler's error, or %NULL if it succeeded
 */
const GError *
maiko_event_entry_get_error (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return entry->error;
}

/**
 * maiko_event_entry_get_topic:
 * @entry: an entry
 *
 * Gets the topic the event was routed on.
 *
 * Returns: the event's topic
 */
const char *
maiko_event_entry_get_topic (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_envelope_get_topic (entry->envelope);
}

/**
 * maiko_event_entry_get_parent_id:
 * @entry: an entry
 *
 * Gets the id of the event this one answers.
 *
 * Returns: (nullable): the parent's id, or %NULL
 */
const char *
maiko_event_entry_get_parent_id (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return maiko_envelope_get_parent_id (entry->envelope);
}

/**
 * maiko_event_entry_get_timestamp_ns:
 * @entry: an entry
 *
 * Gets when the event was sent, as
 * [method@Maiko.Envelope.get_timestamp_ns] does: no two events share a
 * timestamp, and a later event has a larger one.
 *
 * Returns: the send time, in nanoseconds since the Unix epoch
 */
gint64
maiko_event_entry_get_timestamp_ns (MaikoEventEntry *entry)
{
  g_return_val_if_fail (entry != NULL, 0);

  return maiko_envelope_get_timestamp_ns (entry->envelope);
}
