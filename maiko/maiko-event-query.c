/* maiko-event-query.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-entry-private.h"
#include "maiko-event-query-private.h"

/**
 * MaikoEventQuery:
 *
 * A selection of the deliveries a [class@Maiko.Harness] recorded, in the
 * order they were recorded: one [struct@Maiko.EventEntry] per event and
 * receiver.
 *
 * A query is immutable. Each filter (`sent_by`, `with_label`, `after`, …)
 * returns a new query holding the entries of this one that pass it, so
 * filters chain:
 *
 * ```c
 * g_autoptr(MaikoEventQuery) all = maiko_harness_events (harness);
 * g_autoptr(MaikoEventQuery) sent = maiko_event_query_sent_by (all, "trader");
 * g_autoptr(MaikoEventQuery) orders = maiko_event_query_with_label (sent, "Order");
 *
 * g_assert_cmpuint (maiko_event_query_count (orders), ==, 3);
 * ```
 *
 * ```python
 * assert harness.events().sent_by("trader").with_label("Order").count() == 3
 * ```
 *
 * The other methods (`count`, `first`, `senders`, …) answer questions
 * about the selection. Predicates given to a query run during the call.
 */

struct _MaikoEventQuery
{
  GObject    parent_instance;

  /* MaikoEventEntry*; never changed, so filters may share it. */
  GPtrArray *entries;
};

G_DEFINE_FINAL_TYPE (MaikoEventQuery, maiko_event_query, G_TYPE_OBJECT)

static void
maiko_event_query_finalize (GObject *object)
{
  MaikoEventQuery *self = MAIKO_EVENT_QUERY (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (maiko_event_query_parent_class)->finalize (object);
}

static void
maiko_event_query_class_init (MaikoEventQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_event_query_finalize;
}

static void
maiko_event_query_init (MaikoEventQuery *self)
{
}

MaikoEventQuery *
_maiko_event_query_new (GPtrArray *entries)
{
  MaikoEventQuery *self = g_object_new (MAIKO_TYPE_EVENT_QUERY, NULL);

  self->entries = g_ptr_array_ref (entries);
  return self;
}

GPtrArray *
_maiko_event_query_get_entries (MaikoEventQuery *self)
{
  return self->entries;
}

/* The distinct values of @field over @entries, in order of first
 * occurrence. */
char **
_maiko_entries_distinct (GPtrArray       *entries,
                         MaikoEntryField  field)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      const char *value = field (g_ptr_array_index (entries, i));

      if (g_hash_table_add (seen, (gpointer) value))
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

/* Filters */

typedef gboolean (*KeepFunc) (MaikoEventEntry *entry,
                              gconstpointer    data);

static MaikoEventQuery *
filter (MaikoEventQuery *self,
        KeepFunc         keep,
        gconstpointer    data)
{
  g_autoptr(GPtrArray) kept = NULL;

  kept = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_event_entry_unref);
  for (guint i = 0; i < self->entries->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->entries, i);

      if (keep (entry, data))
        g_ptr_array_add (kept, maiko_event_entry_ref (entry));
    }

  return _maiko_event_query_new (kept);
}

static gboolean
keep_sent_by (MaikoEventEntry *entry,
              gconstpointer    actor)
{
  return g_str_equal (maiko_event_entry_get_sender (entry), actor);
}

static gboolean
keep_received_by (MaikoEventEntry *entry,
                  gconstpointer    actor)
{
  return g_str_equal (maiko_event_entry_get_receiver (entry), actor);
}

static gboolean
keep_topic (MaikoEventEntry *entry,
            gconstpointer    topic)
{
  return g_str_equal (maiko_event_entry_get_topic (entry), topic);
}

static gboolean
keep_id (MaikoEventEntry *entry,
         gconstpointer    id)
{
  return g_str_equal (maiko_event_entry_get_id (entry), id);
}

static gboolean
keep_child (MaikoEventEntry *entry,
            gconstpointer    parent_id)
{
  return g_strcmp0 (maiko_event_entry_get_parent_id (entry), parent_id) == 0;
}

static gboolean
keep_label (MaikoEventEntry *entry,
            gconstpointer    label)
{
  return g_str_equal (maiko_event_entry_get_label (entry), label);
}

typedef struct
{
  GCallback predicate;
  gpointer  user_data;
} Predicate;

static gboolean
keep_event_predicate (MaikoEventEntry *entry,
                      gconstpointer    data)
{
  const Predicate *p = data;

  return ((MaikoEventPredicate) p->predicate) (maiko_event_entry_get_event (entry), p->user_data);
}

static gboolean
keep_entry_predicate (MaikoEventEntry *entry,
                      gconstpointer    data)
{
  const Predicate *p = data;

  return ((MaikoEntryPredicate) p->predicate) (entry, p->user_data);
}

static gboolean
keep_after (MaikoEventEntry *entry,
            gconstpointer    pivot)
{
  return maiko_event_entry_get_timestamp_ns (entry) > *(const gint64 *) pivot;
}

static gboolean
keep_before (MaikoEventEntry *entry,
             gconstpointer    pivot)
{
  return maiko_event_entry_get_timestamp_ns (entry) < *(const gint64 *) pivot;
}

/**
 * maiko_event_query_sent_by:
 * @self: a query
 * @actor: an actor name, or `"supervisor"`
 *
 * Keeps the deliveries of events that @actor sent.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_sent_by (MaikoEventQuery *self,
                           const char      *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  return filter (self, keep_sent_by, actor);
}

/**
 * maiko_event_query_received_by:
 * @self: a query
 * @actor: an actor name
 *
 * Keeps the deliveries to @actor.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_received_by (MaikoEventQuery *self,
                               const char      *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  return filter (self, keep_received_by, actor);
}

/**
 * maiko_event_query_with_topic:
 * @self: a query
 * @topic: a topic
 *
 * Keeps the deliveries of events routed on @topic.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_with_topic (MaikoEventQuery *self,
                              const char      *topic)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  return filter (self, keep_topic, topic);
}

/**
 * maiko_event_query_with_id:
 * @self: a query
 * @id: an event id
 *
 * Keeps the deliveries of the event whose id is @id: one per receiver.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_with_id (MaikoEventQuery *self,
                           const char      *id)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return filter (self, keep_id, id);
}

/**
 * maiko_event_query_children_of:
 * @self: a query
 * @parent_id: an event id
 *
 * Keeps the deliveries of the events whose parent is @parent_id: those
 * sent with [method@Maiko.Context.send_child_event] in answer to it.
 * Grandchildren are not kept; see [method@Maiko.Harness.chain] for them.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_children_of (MaikoEventQuery *self,
                               const char      *parent_id)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (parent_id != NULL, NULL);

  return filter (self, keep_child, parent_id);
}

/**
 * maiko_event_query_with_label:
 * @self: a query
 * @label: an event label
 *
 * Keeps the deliveries of events labelled @label.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_with_label (MaikoEventQuery *self,
                              const char      *label)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  return filter (self, keep_label, label);
}

/**
 * maiko_event_query_matching_event:
 * @self: a query
 * @predicate: (scope call) (closure user_data): tells whether an event
 *   is kept
 * @user_data: data for @predicate
 *
 * Keeps the deliveries of events for which @predicate returns %TRUE: a
 * test on the label and the payload.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_matching_event (MaikoEventQuery     *self,
                                  MaikoEventPredicate  predicate,
                                  gpointer             user_data)
{
  Predicate p = { G_CALLBACK (predicate), user_data };

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (predicate != NULL, NULL);

  return filter (self, keep_event_predicate, &p);
}

/**
 * maiko_event_query_matching:
 * @self: a query
 * @predicate: (scope call) (closure user_data): tells whether an entry is
 *   kept
 * @user_data: data for @predicate
 *
 * Keeps the entries for which @predicate returns %TRUE.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_matching (MaikoEventQuery     *self,
                            MaikoEntryPredicate  predicate,
                            gpointer             user_data)
{
  Predicate p = { G_CALLBACK (predicate), user_data };

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (predicate != NULL, NULL);

  return filter (self, keep_entry_predicate, &p);
}

/**
 * maiko_event_query_after:
 * @self: a query
 * @entry: a recorded delivery
 *
 * Keeps the deliveries of events sent after @entry's event. Send times
 * are strictly increasing, so the other deliveries of @entry's own event
 * are not kept.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_after (MaikoEventQuery *self,
                         MaikoEventEntry *entry)
{
  gint64 pivot;

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  pivot = maiko_event_entry_get_timestamp_ns (entry);
  return filter (self, keep_after, &pivot);
}

/**
 * maiko_event_query_before:
 * @self: a query
 * @entry: a recorded delivery
 *
 * Keeps the deliveries of events sent before @entry's event.
 *
 * Returns: (transfer full): a new query
 */
MaikoEventQuery *
maiko_event_query_before (MaikoEventQuery *self,
                          MaikoEventEntry *entry)
{
  gint64 pivot;

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  pivot = maiko_event_entry_get_timestamp_ns (entry);
  return filter (self, keep_before, &pivot);
}

/* Terminal operations */

/**
 * maiko_event_query_count:
 * @self: a query
 *
 * Counts the deliveries selected: an event handled by two receivers counts
 * twice.
 *
 * Returns: the number of entries
 */
guint
maiko_event_query_count (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), 0);

  return self->entries->len;
}

/**
 * maiko_event_query_is_empty:
 * @self: a query
 *
 * Tells whether the query selects no entry.
 *
 * Returns: %TRUE if no entry is selected
 */
gboolean
maiko_event_query_is_empty (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), TRUE);

  return self->entries->len == 0;
}

/**
 * maiko_event_query_exists:
 * @self: a query
 *
 * Tells whether the query selects at least one entry: the opposite of
 * [method@Maiko.EventQuery.is_empty].
 *
 * Returns: %TRUE if some entry is selected
 */
gboolean
maiko_event_query_exists (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);

  return self->entries->len > 0;
}

/**
 * maiko_event_query_first:
 * @self: a query
 *
 * Gets the earliest entry the query selects.
 *
 * Returns: (transfer none) (nullable): the first entry recorded, or %NULL
 */
MaikoEventEntry *
maiko_event_query_first (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  return maiko_event_query_nth (self, 0);
}

/**
 * maiko_event_query_last:
 * @self: a query
 *
 * Gets the latest entry the query selects.
 *
 * Returns: (transfer none) (nullable): the last entry recorded, or %NULL
 */
MaikoEventEntry *
maiko_event_query_last (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  if (self->entries->len == 0)
    return NULL;
  return g_ptr_array_index (self->entries, self->entries->len - 1);
}

/**
 * maiko_event_query_nth:
 * @self: a query
 * @n: a position, from 0
 *
 * Gets the entry the query selects at position @n, in the order the entries
 * were recorded.
 *
 * Returns: (transfer none) (nullable): the entry at position @n, or %NULL
 *   if there are not that many
 */
MaikoEventEntry *
maiko_event_query_nth (MaikoEventQuery *self,
                       guint            n)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  if (n >= self->entries->len)
    return NULL;
  return g_ptr_array_index (self->entries, n);
}

/**
 * maiko_event_query_collect:
 * @self: a query
 *
 * Gives one entry per event: the first delivery of each, in order.
 *
 * The array owns its entries: unreffing it releases them. (It is annotated
 * `transfer container` so that bindings take references of their own
 * instead of releasing the entries twice.)
 *
 * Returns: (transfer container) (element-type MaikoEventEntry): the entries
 */
GPtrArray *
maiko_event_query_collect (MaikoEventQuery *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *unique;

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  unique = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_event_entry_unref);
  for (guint i = 0; i < self->entries->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_hash_table_add (seen, (gpointer) maiko_event_entry_get_id (entry)))
        g_ptr_array_add (unique, maiko_event_entry_ref (entry));
    }

  return unique;
}

/**
 * maiko_event_query_all_deliveries:
 * @self: a query
 *
 * Gives every entry selected, one per event and receiver, in order, in an
 * array that owns them, as [method@Maiko.EventQuery.collect] does.
 *
 * Returns: (transfer container) (element-type MaikoEventEntry): the entries
 */
GPtrArray *
maiko_event_query_all_deliveries (MaikoEventQuery *self)
{
  GPtrArray *all;

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  all = g_ptr_array_new_full (self->entries->len, (GDestroyNotify) maiko_event_entry_unref);
  g_ptr_array_extend (all, self->entries, _maiko_event_entry_copy, NULL);
  return all;
}

/**
 * maiko_event_query_senders:
 * @self: a query
 *
 * Lists the actors that sent the events the query selects.
 *
 * Returns: (transfer full): the names of the senders, each once, in order
 *   of first appearance
 */
char **
maiko_event_query_senders (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  return _maiko_entries_distinct (self->entries, maiko_event_entry_get_sender);
}

/**
 * maiko_event_query_receivers:
 * @self: a query
 *
 * Lists the actors that handled the events the query selects.
 *
 * Returns: (transfer full): the names of the receivers, each once, in
 *   order of first appearance
 */
char **
maiko_event_query_receivers (MaikoEventQuery *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  return _maiko_entries_distinct (self->entries, maiko_event_entry_get_receiver);
}

/**
 * maiko_event_query_count_by_label:
 * @self: a query
 *
 * Counts the deliveries selected per event label.
 *
 * The table owns its keys: unreffing it releases them. (It is annotated
 * `transfer container` so that bindings copy the keys instead of releasing
 * them twice.)
 *
 * Returns: (transfer container) (element-type utf8 guint): the number of
 *   entries of each label
 */
GHashTable *
maiko_event_query_count_by_label (MaikoEventQuery *self)
{
  GHashTable *counts;

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), NULL);

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const char *label = maiko_event_entry_get_label (g_ptr_array_index (self->entries, i));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, label));

      g_hash_table_insert (counts, g_strdup (label), GUINT_TO_POINTER (n + 1));
    }

  return counts;
}

static gboolean
find (MaikoEventQuery *self,
      KeepFunc         keep,
      gconstpointer    data,
      gboolean         wanted)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (keep (g_ptr_array_index (self->entries, i), data) == wanted)
      return TRUE;

  return FALSE;
}

/**
 * maiko_event_query_all:
 * @self: a query
 * @predicate: (scope call) (closure user_data): a test on an entry
 * @user_data: data for @predicate
 *
 * Tells whether @predicate holds for every entry the query selects.
 *
 * Returns: %TRUE if @predicate holds for every entry selected (so %TRUE
 *   when none is)
 */
gboolean
maiko_event_query_all (MaikoEventQuery     *self,
                       MaikoEntryPredicate  predicate,
                       gpointer             user_data)
{
  Predicate p = { G_CALLBACK (predicate), user_data };

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (predicate != NULL, FALSE);

  return !find (self, keep_entry_predicate, &p, FALSE);
}

/**
 * maiko_event_query_any:
 * @self: a query
 * @predicate: (scope call) (closure user_data): a test on an entry
 * @user_data: data for @predicate
 *
 * Tells whether @predicate holds for at least one entry the query selects.
 *
 * Returns: %TRUE if @predicate holds for some entry selected
 */
gboolean
maiko_event_query_any (MaikoEventQuery     *self,
                       MaikoEntryPredicate  predicate,
                       gpointer             user_data)
{
  Predicate p = { G_CALLBACK (predicate), user_data };

  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (predicate != NULL, FALSE);

  return find (self, keep_entry_predicate, &p, TRUE);
}

/**
 * maiko_event_query_has_event:
 * @self: a query
 * @label: an event label
 *
 * Tells whether an event labelled @label is among those the query selects.
 *
 * Returns: %TRUE if some entry selected is labelled @label
 */
gboolean
maiko_event_query_has_event (MaikoEventQuery *self,
                             const char      *label)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  return find (self, keep_label, label, TRUE);
}

static gboolean
keep_matched (MaikoEventEntry *entry,
              gconstpointer    matcher)
{
  return maiko_event_matcher_matches ((MaikoEventMatcher *) matcher, entry);
}

/**
 * maiko_event_query_has_event_matching:
 * @self: a query
 * @matcher: a matcher
 *
 * Tells whether @matcher matches an entry the query selects.
 *
 * Returns: %TRUE if @matcher matches some entry selected
 */
gboolean
maiko_event_query_has_event_matching (MaikoEventQuery   *self,
                                      MaikoEventMatcher *matcher)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (matcher), FALSE);

  return find (self, keep_matched, matcher, TRUE);
}

/**
 * maiko_event_query_has_sender:
 * @self: a query
 * @actor: an actor name, or `"supervisor"`
 *
 * Tells whether @actor sent one of the events the query selects.
 *
 * Returns: %TRUE if @actor sent some event selected
 */
gboolean
maiko_event_query_has_sender (MaikoEventQuery *self,
                              const char      *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return find (self, keep_sent_by, actor, TRUE);
}

/**
 * maiko_event_query_has_receiver:
 * @self: a query
 * @actor: an actor name
 *
 * Tells whether @actor handled one of the events the query selects.
 *
 * Returns: %TRUE if @actor received some event selected
 */
gboolean
maiko_event_query_has_receiver (MaikoEventQuery *self,
                                const char      *actor)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_QUERY (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return find (self, keep_received_by, actor, TRUE);
}
