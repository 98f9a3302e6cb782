/* maiko-envelope-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-envelope.h"
#include "maiko-id-private.h"

G_BEGIN_DECLS

/* Here, not in maiko-envelope.c, because an event keeps room for its
 * first envelope (see _maiko_event_claim_envelope()). */
struct _MaikoEnvelope
{
  gatomicrefcount  ref_count;           /* unused when in_event */
  MaikoEvent      *event;
  /* The envelope lives in its event's allocation: the event's reference
   * count counts the envelope's references too, and the one block goes
   * when both are gone. */
  gboolean         in_event;
  /* Interned: actor names are compared by pointer. */
  const char      *sender;
  /* Either a constant, the event's own label, or owned_topic. */
  const char      *topic;
  char            *owned_topic;
  char            *parent_id;
  /* The bridge it came in through (see maiko/bridges/maiko-wire.c), or
   * NULL for an envelope made here: bridges do not send it out again. */
  char            *origin;
  gint64           timestamp_ns;
  MaikoUuid        uuid;
  /* The id as text, written by the first get_id() call (see there). */
  gint             id_state;            /* atomic: an IdState */
  char             id[MAIKO_UUID_LEN + 1];
};

/* @sender must be an interned string; @topic is copied unless
 * @topic_is_static says it outlives the envelope (a constant, or the label
 * of @event, which the envelope keeps alive). */
MaikoEnvelope *_maiko_envelope_new (MaikoEvent *event,
                                    const char *sender,
                                    const char *parent_id,
                                    const char *topic,
                                    gboolean    topic_is_static);
/* An envelope made elsewhere, as a bridge receives it: @id is a UUID in its
 * text form (g_uuid_string_is_valid()), kept as given, and @timestamp_ns
 * is the sender's. @sender is interned here. @origin names the bridge that
 * sent it. */
MaikoEnvelope *_maiko_envelope_new_received (MaikoEvent *event,
                                             const char *origin,
                                             const char *id,
                                             const char *sender,
                                             const char *parent_id,
                                             const char *topic,
                                             gint64      timestamp_ns);
/* Frees what the envelope owns, not the envelope nor its event. */
void           _maiko_envelope_clear (MaikoEnvelope *envelope);

G_END_DECLS
