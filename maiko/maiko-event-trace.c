/* maiko-event-trace.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-event-chain-private.h"
#include "maiko-event-trace-private.h"

/**
 * MaikoEventTrace:
 *
 * The paths of a [class@Maiko.EventChain] through the events, from
 * [method@Maiko.EventChain.events]. A path goes from the root event to an
 * event that caused nothing, one step per event however many actors
 * handled it. For the chain
 *
 * ```
 * Start [alice -> bob]
 * ├─ Process [bob -> charlie]
 * └─ Branch [bob -> alice]
 * ```
 *
 * the paths are `Start`, `Process` and `Start`, `Branch`.
 *
 * Steps are given as labels, or as [class@Maiko.EventMatcher]s with the
 * methods whose names end in `_matching`. Each question holds if it holds
 * for one of the paths; an empty list always matches.
 */

struct _MaikoEventTrace
{
  GObject          parent_instance;

  MaikoEventChain *chain;
  /* GPtrArray of GPtrArray of MaikoEventEntry (one per event). */
  GPtrArray       *paths;
};

G_DEFINE_FINAL_TYPE (MaikoEventTrace, maiko_event_trace, G_TYPE_OBJECT)

static void
maiko_event_trace_finalize (GObject *object)
{
  MaikoEventTrace *self = MAIKO_EVENT_TRACE (object);

  g_ptr_array_unref (self->paths);
  g_object_unref (self->chain);

  G_OBJECT_CLASS (maiko_event_trace_parent_class)->finalize (object);
}

static void
maiko_event_trace_class_init (MaikoEventTraceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_event_trace_finalize;
}

static void
maiko_event_trace_init (MaikoEventTrace *self)
{
}

MaikoEventTrace *
_maiko_event_trace_new (MaikoEventChain *chain)
{
  MaikoEventTrace *self = g_object_new (MAIKO_TYPE_EVENT_TRACE, NULL);

  self->chain = g_object_ref (chain);
  self->paths = _maiko_event_chain_event_paths (chain);

  return self;
}

static gboolean
match_labels (MaikoEventTrace    *self,
              MaikoPathMode       mode,
              const char * const *labels)
{
  return _maiko_paths_match (self->paths, mode, (gconstpointer *) labels,
                             g_strv_length ((char **) labels), _maiko_entry_has_label);
}

static gboolean
match_matchers (MaikoEventTrace    *self,
                MaikoPathMode       mode,
                MaikoEventMatcher **matchers,
                guint               n_matchers)
{
  return _maiko_paths_match (self->paths, mode, (gconstpointer *) matchers, n_matchers,
                             _maiko_entry_is_matched);
}

/**
 * maiko_event_trace_all:
 * @self: a trace
 *
 * Gives one entry per event of the chain, in an array that owns them, as
 * [method@Maiko.EventQuery.collect] does.
 *
 * Returns: (transfer container) (element-type MaikoEventEntry): the first
 *   delivery of each event, event by event from the root
 */
GPtrArray *
maiko_event_trace_all (MaikoEventTrace *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ordered = NULL;
  GPtrArray *events;

  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), NULL);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_event_entry_unref);
  ordered = _maiko_event_chain_ordered (self->chain);
  for (guint i = 0; i < ordered->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (ordered, i);

      if (g_hash_table_add (seen, (gpointer) maiko_event_entry_get_id (entry)))
        g_ptr_array_add (events, maiko_event_entry_ref (entry));
    }

  return events;
}

static gboolean
contains (MaikoEventTrace *self,
          MaikoStepMatch   match,
          gconstpointer    pattern)
{
  GPtrArray *records = _maiko_event_chain_get_records (self->chain);

  for (guint i = 0; i < records->len; i++)
    if (match (g_ptr_array_index (records, i), pattern))
      return TRUE;

  return FALSE;
}

/**
 * maiko_event_trace_contains:
 * @self: a trace
 * @label: an event label
 *
 * Tells whether an event labelled @label is part of the chain, on any path.
 *
 * Returns: %TRUE if an event of the chain is labelled @label
 */
gboolean
maiko_event_trace_contains (MaikoEventTrace *self,
                            const char      *label)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  return contains (self, _maiko_entry_has_label, label);
}

/**
 * maiko_event_trace_contains_matching:
 * @self: a trace
 * @matcher: a matcher
 *
 * Tells whether @matcher matches an event of the chain, on any path.
 *
 * Returns: %TRUE if @matcher matches an entry of the chain
 */
gboolean
maiko_event_trace_contains_matching (MaikoEventTrace   *self,
                                     MaikoEventMatcher *matcher)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (matcher), FALSE);

  return contains (self, _maiko_entry_is_matched, matcher);
}

/**
 * maiko_event_trace_exact:
 * @self: a trace
 * @labels: (array zero-terminated=1): event labels
 *
 * Tells whether some path of the chain is exactly the events labelled
 * @labels, in that order.
 *
 * Returns: %TRUE if a path is @labels, from the root to its end
 */
gboolean
maiko_event_trace_exact (MaikoEventTrace    *self,
                         const char * const *labels)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (labels != NULL, FALSE);

  return match_labels (self, MAIKO_PATH_EXACT, labels);
}

/**
 * maiko_event_trace_exact_matching:
 * @self: a trace
 * @matchers: (array length=n_matchers): one matcher per step
 * @n_matchers: the length of @matchers
 *
 * Tells whether some path of the chain is exactly the events that @matchers
 * match, one matcher per event, in that order.
 *
 * Returns: %TRUE if a path matches @matchers step by step, from the root
 *   to its end
 */
gboolean
maiko_event_trace_exact_matching (MaikoEventTrace    *self,
                                  MaikoEventMatcher **matchers,
                                  guint               n_matchers)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (matchers != NULL || n_matchers == 0, FALSE);

  return match_matchers (self, MAIKO_PATH_EXACT, matchers, n_matchers);
}

/**
 * maiko_event_trace_segment:
 * @self: a trace
 * @labels: (array zero-terminated=1): event labels
 *
 * Tells whether some path of the chain has events labelled @labels
 * consecutively.
 *
 * Returns: %TRUE if a path holds @labels one right after the other
 */
gboolean
maiko_event_trace_segment (MaikoEventTrace    *self,
                           const char * const *labels)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (labels != NULL, FALSE);

  return match_labels (self, MAIKO_PATH_SEGMENT, labels);
}

/**
 * maiko_event_trace_segment_matching:
 * @self: a trace
 * @matchers: (array length=n_matchers): one matcher per step
 * @n_matchers: the length of @matchers
 *
 * Tells whether some path of the chain has consecutive events that
 * @matchers match, one matcher per event.
 *
 * Returns: %TRUE if consecutive events of a path match @matchers
 */
gboolean
maiko_event_trace_segment_matching (MaikoEventTrace    *self,
                                    MaikoEventMatcher **matchers,
                                    guint               n_matchers)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (matchers != NULL || n_matchers == 0, FALSE);

  return match_matchers (self, MAIKO_PATH_SEGMENT, matchers, n_matchers);
}

/**
 * maiko_event_trace_passes_through:
 * @self: a trace
 * @labels: (array zero-terminated=1): event labels
 *
 * Tells whether some path of the chain has events labelled @labels in that
 * order.
 *
 * Returns: %TRUE if a path holds @labels in that order, other events in
 *   between allowed
 */
gboolean
maiko_event_trace_passes_through (MaikoEventTrace    *self,
                                  const char * const *labels)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (labels != NULL, FALSE);

  return match_labels (self, MAIKO_PATH_PASSES_THROUGH, labels);
}

/**
 * maiko_event_trace_passes_through_matching:
 * @self: a trace
 * @matchers: (array length=n_matchers): one matcher per step
 * @n_matchers: the length of @matchers
 *
 * Tells whether some path of the chain has events that @matchers match, in
 * that order.
 *
 * Returns: %TRUE if events of a path match @matchers in that order, other
 *   events in between allowed
 */
gboolean
maiko_event_trace_passes_through_matching (MaikoEventTrace    *self,
                                           MaikoEventMatcher **matchers,
                                           guint               n_matchers)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), FALSE);
  g_return_val_if_fail (matchers != NULL || n_matchers == 0, FALSE);

  return match_matchers (self, MAIKO_PATH_PASSES_THROUGH, matchers, n_matchers);
}

/**
 * maiko_event_trace_path_count:
 * @self: a trace
 *
 * Counts the chain's paths through the events: one per event that caused
 * nothing more.
 *
 * Returns: the number of paths through the events
 */
guint
maiko_event_trace_path_count (MaikoEventTrace *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_TRACE (self), 0);

  return self->paths->len;
}
