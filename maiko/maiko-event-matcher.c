/* maiko-event-matcher.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-matcher.h"

/**
 * MaikoEventMatcher:
 *
 * Picks out recorded events by their label, their id, or a predicate on
 * the event or on the whole [struct@Maiko.EventEntry]. Matchers are given to
 * [method@Maiko.Harness.settle_on_event_matching],
 * [method@Maiko.EventQuery.has_event_matching] and the event chain's
 * methods whose names end in `_matching`; the other forms of those methods
 * take a label.
 *
 * A matcher is immutable. Its predicate runs on the thread that asks the
 * question, during the call.
 */

typedef enum
{
  MATCH_LABEL,
  MATCH_ID,
  MATCH_EVENT,
  MATCH_ENTRY,
} MatchKind;

struct _MaikoEventMatcher
{
  GObject         parent_instance;

  MatchKind       kind;
  char           *text;           /* the label or the id */
  /* A MaikoEventPredicate or a MaikoEntryPredicate, after kind. */
  GCallback       predicate;
  gpointer        user_data;
  GDestroyNotify  destroy;
};

G_DEFINE_FINAL_TYPE (MaikoEventMatcher, maiko_event_matcher, G_TYPE_OBJECT)

static void
maiko_event_matcher_finalize (GObject *object)
{
  MaikoEventMatcher *self = MAIKO_EVENT_MATCHER (object);

  g_free (self->text);
  if (self->destroy != NULL)
    self->destroy (self->user_data);

  G_OBJECT_CLASS (maiko_event_matcher_parent_class)->finalize (object);
}

static void
maiko_event_matcher_class_init (MaikoEventMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_event_matcher_finalize;
}

static void
maiko_event_matcher_init (MaikoEventMatcher *self)
{
}

static MaikoEventMatcher *
matcher_new (MatchKind       kind,
             const char     *text,
             GCallback       predicate,
             gpointer        user_data,
             GDestroyNotify  destroy)
{
  MaikoEventMatcher *self = g_object_new (MAIKO_TYPE_EVENT_MATCHER, NULL);

  self->kind = kind;
  self->text = g_strdup (text);
  self->predicate = predicate;
  self->user_data = user_data;
  self->destroy = destroy;

  return self;
}

/**
 * maiko_event_matcher_by_label: (constructor)
 * @label: an event label
 *
 * Creates a matcher of the events labelled @label.
 *
 * Returns: (transfer full): a new matcher
 */
MaikoEventMatcher *
maiko_event_matcher_by_label (const char *label)
{
  g_return_val_if_fail (label != NULL, NULL);

  return matcher_new (MATCH_LABEL, label, NULL, NULL, NULL);
}

/**
 * maiko_event_matcher_by_id: (constructor)
 * @id: an event id
 *
 * Creates a matcher of the event whose id is @id.
 *
 * Returns: (transfer full): a new matcher
 */
MaikoEventMatcher *
maiko_event_matcher_by_id (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return matcher_new (MATCH_ID, id, NULL, NULL, NULL);
}

/**
 * maiko_event_matcher_by_event: (constructor)
 * @predicate: (scope notified) (closure user_data) (destroy destroy): tells
 *   whether an event matches
 * @user_data: data for @predicate
 * @destroy: (nullable): frees @user_data
 *
 * Creates a matcher of the events for which @predicate returns %TRUE: a
 * test on the label and the payload.
 *
 * Returns: (transfer full): a new matcher
 */
MaikoEventMatcher *
maiko_event_matcher_by_event (MaikoEventPredicate predicate,
                              gpointer            user_data,
                              GDestroyNotify      destroy)
{
  g_return_val_if_fail (predicate != NULL, NULL);

  return matcher_new (MATCH_EVENT, NULL, G_CALLBACK (predicate), user_data, destroy);
}

/**
 * maiko_event_matcher_by_entry: (constructor)
 * @predicate: (scope notified) (closure user_data) (destroy destroy): tells
 *   whether an entry matches
 * @user_data: data for @predicate
 * @destroy: (nullable): frees @user_data
 *
 * Creates a matcher of the entries for which @predicate returns %TRUE: a
 * test that may also look at the sender, the receiver, the topic or the
 * parent.
 *
 * Returns: (transfer full): a new matcher
 */
MaikoEventMatcher *
maiko_event_matcher_by_entry (MaikoEntryPredicate predicate,
                              gpointer            user_data,
                              GDestroyNotify      destroy)
{
  g_return_val_if_fail (predicate != NULL, NULL);

  return matcher_new (MATCH_ENTRY, NULL, G_CALLBACK (predicate), user_data, destroy);
}

/**
 * maiko_event_matcher_matches:
 * @self: a matcher
 * @entry: a recorded delivery
 *
 * Tells whether @entry is one of the events @self picks out.
 *
 * Returns: %TRUE if @entry matches
 */
gboolean
maiko_event_matcher_matches (MaikoEventMatcher *self,
                             MaikoEventEntry   *entry)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  switch (self->kind)
    {
    case MATCH_LABEL:
      return g_str_equal (maiko_event_entry_get_label (entry), self->text);
    case MATCH_ID:
      return g_str_equal (maiko_event_entry_get_id (entry), self->text);
    case MATCH_EVENT:
      return ((MaikoEventPredicate) self->predicate) (maiko_event_entry_get_event (entry),
                                                      self->user_data);
    case MATCH_ENTRY:
      return ((MaikoEntryPredicate) self->predicate) (entry, self->user_data);
    default:
      g_assert_not_reached ();
    }
}
