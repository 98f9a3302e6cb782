/* maiko-event-chain.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-trace-private.h"
#include "maiko-event-chain-private.h"
#include "maiko-event-query-private.h"
#include "maiko-event-trace-private.h"

/**
 * MaikoEventChain:
 *
 * The tree of events that one event caused: the root, the events sent in
 * answer to it with [method@Maiko.Context.send_child_event], those sent in
 * answer to them, and so on, as a [class@Maiko.Harness] recorded them.
 * Get one with [method@Maiko.Harness.chain].
 *
 * A path of the chain goes from the root to an event that caused nothing.
 * [method@Maiko.EventChain.actors] follows the paths through the actors
 * (the root's sender, then each event's receiver);
 * [method@Maiko.EventChain.events] follows them through the events. In a
 * branching chain, every question about a path holds if it holds for one
 * of the branches.
 *
 * ```python
 * chain = harness.chain(root_id)
 * assert chain.actors().exact(["scanner", "pipeline", "writer"])
 * assert chain.events().segment(["KeyPress", "HidReport"])
 * print(chain.to_string())
 * ```
 *
 * Children are ordered by their send time.
 */

struct _MaikoEventChain
{
  GObject     parent_instance;

  char       *root_id;
  /* The entries of the chain's events, in the order recorded. */
  GPtrArray  *records;
  /* id → GPtrArray of its entries (borrowed), in the order recorded. Ids
   * are the envelopes' own strings. */
  GHashTable *deliveries;
  /* id → GPtrArray of its children's ids, by send time. */
  GHashTable *children;
};

G_DEFINE_FINAL_TYPE (MaikoEventChain, maiko_event_chain, G_TYPE_OBJECT)

static void
maiko_event_chain_finalize (GObject *object)
{
  MaikoEventChain *self = MAIKO_EVENT_CHAIN (object);

  g_hash_table_unref (self->children);
  g_hash_table_unref (self->deliveries);
  g_ptr_array_unref (self->records);
  g_free (self->root_id);

  G_OBJECT_CLASS (maiko_event_chain_parent_class)->finalize (object);
}

static void
maiko_event_chain_class_init (MaikoEventChainClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_event_chain_finalize;
}

static void
maiko_event_chain_init (MaikoEventChain *self)
{
  self->deliveries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) g_ptr_array_unref);
}

/* Building */

static GPtrArray *
lookup_array (GHashTable *table,
              const char *id)
{
  GPtrArray *array = g_hash_table_lookup (table, id);

  if (array == NULL)
    {
      array = g_ptr_array_new ();
      g_hash_table_insert (table, (gpointer) id, array);
    }
  return array;
}

static MaikoEventEntry *
first_delivery (MaikoEventChain *self,
                const char      *id)
{
  GPtrArray *entries = g_hash_table_lookup (self->deliveries, id);

  return entries != NULL ? g_ptr_array_index (entries, 0) : NULL;
}

static gint
compare_send_time (gconstpointer a,
                   gconstpointer b,
                   gpointer      data)
{
  MaikoEventEntry *ea = first_delivery (data, *(const char * const *) a);
  MaikoEventEntry *eb = first_delivery (data, *(const char * const *) b);
  gint64 ta = maiko_event_entry_get_timestamp_ns (ea);
  gint64 tb = maiko_event_entry_get_timestamp_ns (eb);

  return ta < tb ? -1 : ta > tb;
}

/* Children of every recorded event, each child once. */
static GHashTable *
children_of_all (GPtrArray *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *children = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (records, i);
      const char *id = maiko_event_entry_get_id (entry);
      const char *parent = maiko_event_entry_get_parent_id (entry);

      if (parent != NULL && g_hash_table_add (seen, (gpointer) id))
        g_ptr_array_add (lookup_array (children, parent), (gpointer) id);
    }

  return children;
}

/* The root and its descendants, breadth first. */
static GHashTable *
descendants (GHashTable *children,
             const char *root_id)
{
  GHashTable *chain = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GQueue) queue = g_queue_new ();

  g_hash_table_add (chain, (gpointer) root_id);
  g_queue_push_tail (queue, (gpointer) root_id);
  while (!g_queue_is_empty (queue))
    {
      GPtrArray *kids = g_hash_table_lookup (children, g_queue_pop_head (queue));

      for (guint i = 0; kids != NULL && i < kids->len; i++)
        if (g_hash_table_add (chain, g_ptr_array_index (kids, i)))
          g_queue_push_tail (queue, g_ptr_array_index (kids, i));
    }

  return chain;
}

MaikoEventChain *
_maiko_event_chain_new (GPtrArray  *records,
                        const char *root_id)
{
  MaikoEventChain *self = g_object_new (MAIKO_TYPE_EVENT_CHAIN, NULL);
  g_autoptr(GHashTable) all_children = children_of_all (records);
  g_autoptr(GHashTable) chain_ids = NULL;
  GHashTableIter iter;
  gpointer id, kids;

  self->root_id = g_strdup (root_id);
  chain_ids = descendants (all_children, self->root_id);

  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_event_entry_unref);
  for (guint i = 0; i < records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (records, i);
      const char *entry_id = maiko_event_entry_get_id (entry);

      if (!g_hash_table_contains (chain_ids, entry_id))
        continue;
      g_ptr_array_add (self->records, maiko_event_entry_ref (entry));
      g_ptr_array_add (lookup_array (self->deliveries, entry_id), entry);
    }

  /* Every child of a chain event is in the chain. */
  g_hash_table_iter_init (&iter, all_children);
  while (g_hash_table_iter_next (&iter, &id, &kids))
    if (g_hash_table_contains (self->deliveries, id))
      {
        g_ptr_array_sort_with_data (kids, compare_send_time, self);
        g_hash_table_iter_steal (&iter);
        g_hash_table_insert (self->children, id, kids);
      }

  return self;
}

GPtrArray *
_maiko_event_chain_get_records (MaikoEventChain *self)
{
  return self->records;
}

static GPtrArray *
children_of (MaikoEventChain *self,
             const char      *id)
{
  return g_hash_table_lookup (self->children, id);
}

/* The sender of the root, the first step of every actor path; %NULL if
 * the root was not recorded. */
const char *
_maiko_event_chain_root_sender (MaikoEventChain *self)
{
  MaikoEventEntry *root = first_delivery (self, self->root_id);

  return root != NULL ? maiko_event_entry_get_sender (root) : NULL;
}

/* Every delivery of the chain, event by event, breadth first from the
 * root: the order of the Mermaid diagram. */
GPtrArray *
_maiko_event_chain_ordered (MaikoEventChain *self)
{
  GPtrArray *ordered = g_ptr_array_new ();
  g_autoptr(GQueue) queue = g_queue_new ();

  g_queue_push_tail (queue, self->root_id);
  while (!g_queue_is_empty (queue))
    {
      const char *id = g_queue_pop_head (queue);
      GPtrArray *entries = g_hash_table_lookup (self->deliveries, id);
      GPtrArray *kids = children_of (self, id);

      if (entries != NULL)
        g_ptr_array_extend (ordered, entries, NULL, NULL);
      for (guint i = 0; kids != NULL && i < kids->len; i++)
        g_queue_push_tail (queue, g_ptr_array_index (kids, i));
    }

  return ordered;
}

/* Paths */

static GPtrArray *
path_extend (GPtrArray *path,
             gpointer   step)
{
  GPtrArray *longer = g_ptr_array_copy (path, NULL, NULL);

  g_ptr_array_add (longer, step);
  return longer;
}

/* An actor is not repeated when it sends what it received. */
static GPtrArray *
path_extend_actor (GPtrArray  *path,
                   const char *actor)
{
  if (path->len > 0 && g_str_equal (g_ptr_array_index (path, path->len - 1), actor))
    return g_ptr_array_copy (path, NULL, NULL);
  return path_extend (path, (gpointer) actor);
}

static void
actor_paths_from (MaikoEventChain *self,
                  const char      *id,
                  GPtrArray       *path,
                  GPtrArray       *paths)
{
  /* Actors that the path already went on through. */
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *kids = children_of (self, id);
  GPtrArray *entries = g_hash_table_lookup (self->deliveries, id);

  /* Each child continues the path through its sender. */
  for (guint i = 0; kids != NULL && i < kids->len; i++)
    {
      const char *kid = g_ptr_array_index (kids, i);
      const char *sender = maiko_event_entry_get_sender (first_delivery (self, kid));
      g_autoptr(GPtrArray) longer = path_extend_actor (path, sender);

      g_hash_table_add (done, (gpointer) sender);
      actor_paths_from (self, kid, longer, paths);
    }

  /* A receiver that sent no child ends a path, once. */
  for (guint i = 0; i < entries->len; i++)
    {
      const char *receiver = maiko_event_entry_get_receiver (g_ptr_array_index (entries, i));

      if (g_hash_table_add (done, (gpointer) receiver))
        g_ptr_array_add (paths, path_extend_actor (path, receiver));
    }
}

/* Each path: the actor names (interned) from the root's sender to a
 * receiver that sent nothing more. */
GPtrArray *
_maiko_event_chain_actor_paths (MaikoEventChain *self)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *root_sender = _maiko_event_chain_root_sender (self);
  g_autoptr(GPtrArray) start = g_ptr_array_new ();

  if (root_sender == NULL)
    return paths;
  g_ptr_array_add (start, (gpointer) root_sender);
  actor_paths_from (self, self->root_id, start, paths);

  return paths;
}

static void
event_paths_from (MaikoEventChain *self,
                  const char      *id,
                  GPtrArray       *path,
                  GPtrArray       *paths)
{
  GPtrArray *kids = children_of (self, id);

  if (kids == NULL)
    {
      g_ptr_array_add (paths, g_ptr_array_ref (path));
      return;
    }
  for (guint i = 0; i < kids->len; i++)
    {
      const char *kid = g_ptr_array_index (kids, i);
      g_autoptr(GPtrArray) longer = path_extend (path, first_delivery (self, kid));

      event_paths_from (self, kid, longer, paths);
    }
}

/* Each path: one entry per event, from the root to an event that caused
 * nothing. */
GPtrArray *
_maiko_event_chain_event_paths (MaikoEventChain *self)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  MaikoEventEntry *root = first_delivery (self, self->root_id);
  g_autoptr(GPtrArray) start = g_ptr_array_new ();

  if (root == NULL)
    return paths;
  g_ptr_array_add (start, root);
  event_paths_from (self, self->root_id, start, paths);

  return paths;
}

static gboolean
steps_match (GPtrArray      *path,
             guint           from,
             gconstpointer  *patterns,
             guint           n,
             MaikoStepMatch  match)
{
  for (guint i = 0; i < n; i++)
    if (!match (g_ptr_array_index (path, from + i), patterns[i]))
      return FALSE;
  return TRUE;
}

static gboolean
path_matches (GPtrArray      *path,
              MaikoPathMode   mode,
              gconstpointer  *patterns,
              guint           n,
              MaikoStepMatch  match)
{
  guint next = 0;

  switch (mode)
    {
    case MAIKO_PATH_EXACT:
      return path->len == n && steps_match (path, 0, patterns, n, match);
    case MAIKO_PATH_SEGMENT:
      for (guint from = 0; from + n <= path->len; from++)
        if (steps_match (path, from, patterns, n, match))
          return TRUE;
      return FALSE;
    case MAIKO_PATH_PASSES_THROUGH:
      for (guint i = 0; i < path->len && next < n; i++)
        if (match (g_ptr_array_index (path, i), patterns[next]))
          next++;
      return next == n;
    default:
      g_assert_not_reached ();
    }
}

/* Whether some path of @paths matches @patterns; no pattern always does. */
gboolean
_maiko_paths_match (GPtrArray      *paths,
                    MaikoPathMode   mode,
                    gconstpointer  *patterns,
                    guint           n_patterns,
                    MaikoStepMatch  match)
{
  if (n_patterns == 0)
    return TRUE;
  for (guint i = 0; i < paths->len; i++)
    if (path_matches (g_ptr_array_index (paths, i), mode, patterns, n_patterns, match))
      return TRUE;
  return FALSE;
}

/* Step matchers of event paths: @pattern is a label, or a matcher. */
gboolean
_maiko_entry_has_label (gconstpointer entry,
                        gconstpointer label)
{
  return g_str_equal (maiko_event_entry_get_label ((MaikoEventEntry *) entry), label);
}

gboolean
_maiko_entry_is_matched (gconstpointer entry,
                         gconstpointer matcher)
{
  return maiko_event_matcher_matches ((MaikoEventMatcher *) matcher, (MaikoEventEntry *) entry);
}

/* Public API */

/**
 * maiko_event_chain_get_root_id:
 * @self: a chain
 *
 * Gets the id of the event the chain was made from.
 *
 * Returns: the id of the event the chain starts from
 */
const char *
maiko_event_chain_get_root_id (MaikoEventChain *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);

  return self->root_id;
}

/**
 * maiko_event_chain_actors:
 * @self: a chain
 *
 * Gives the chain's paths as sequences of actors, to assert on who took
 * part and in which order.
 *
 * Returns: (transfer full): the chain's paths through the actors
 */
MaikoActorTrace *
maiko_event_chain_actors (MaikoEventChain *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);

  return _maiko_actor_trace_new (self);
}

/**
 * maiko_event_chain_events:
 * @self: a chain
 *
 * Gives the chain's paths as sequences of events, to assert on what was
 * sent in answer to what.
 *
 * Returns: (transfer full): the chain's paths through the events
 */
MaikoEventTrace *
maiko_event_chain_events (MaikoEventChain *self)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);

  return _maiko_event_trace_new (self);
}

static gboolean
diverges_after (MaikoEventChain *self,
                MaikoStepMatch   match,
                gconstpointer    pattern)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->records, i);
      GPtrArray *kids;

      if (!match (entry, pattern))
        continue;
      /* The first matching event with children decides. */
      kids = children_of (self, maiko_event_entry_get_id (entry));
      if (kids != NULL)
        return kids->len > 1;
    }

  return FALSE;
}

static guint
branches_after (MaikoEventChain *self,
                MaikoStepMatch   match,
                gconstpointer    pattern)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->records, i);

      if (match (entry, pattern))
        {
          GPtrArray *kids = children_of (self, maiko_event_entry_get_id (entry));

          return kids != NULL ? kids->len : 0;
        }
    }

  return 0;
}

/**
 * maiko_event_chain_diverges_after:
 * @self: a chain
 * @label: an event label
 *
 * Tells whether the event labelled @label caused more than one event: the
 * chain branches there. When several events of the chain have that label,
 * the first one recorded that caused anything decides.
 *
 * Returns: %TRUE if the chain branches after @label
 */
gboolean
maiko_event_chain_diverges_after (MaikoEventChain *self,
                                  const char      *label)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  return diverges_after (self, _maiko_entry_has_label, label);
}

/**
 * maiko_event_chain_diverges_after_matching:
 * @self: a chain
 * @matcher: a matcher
 *
 * Tells whether the event @matcher picks out caused more than one event,
 * as [method@Maiko.EventChain.diverges_after] does.
 *
 * Returns: %TRUE if the chain branches after that event
 */
gboolean
maiko_event_chain_diverges_after_matching (MaikoEventChain   *self,
                                           MaikoEventMatcher *matcher)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), FALSE);
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (matcher), FALSE);

  return diverges_after (self, _maiko_entry_is_matched, matcher);
}

/**
 * maiko_event_chain_branches_after:
 * @self: a chain
 * @label: an event label
 *
 * Counts the events that the first event labelled @label caused directly.
 *
 * Returns: the number of its children; 0 if there is no such event
 */
guint
maiko_event_chain_branches_after (MaikoEventChain *self,
                                  const char      *label)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), 0);
  g_return_val_if_fail (label != NULL, 0);

  return branches_after (self, _maiko_entry_has_label, label);
}

/**
 * maiko_event_chain_branches_after_matching:
 * @self: a chain
 * @matcher: a matcher
 *
 * Counts the events that the first event @matcher picks out caused
 * directly.
 *
 * Returns: the number of its children; 0 if there is no such event
 */
guint
maiko_event_chain_branches_after_matching (MaikoEventChain   *self,
                                           MaikoEventMatcher *matcher)
{
  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), 0);
  g_return_val_if_fail (MAIKO_IS_EVENT_MATCHER (matcher), 0);

  return branches_after (self, _maiko_entry_is_matched, matcher);
}

/* Adds to @ids their ancestors in the chain. */
static void
add_ancestors (MaikoEventChain *self,
               GHashTable      *ids)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (pending, id);

  while (pending->len > 0)
    {
      const char *child = g_ptr_array_steal_index_fast (pending, pending->len - 1);
      const char *parent = maiko_event_entry_get_parent_id (first_delivery (self, child));

      if (parent != NULL && g_hash_table_contains (self->deliveries, parent) &&
          g_hash_table_add (ids, (gpointer) parent))
        g_ptr_array_add (pending, (gpointer) parent);
    }
}

/**
 * maiko_event_chain_path_to:
 * @self: a chain
 * @actor: an actor name
 *
 * Narrows the chain to the events that led to @actor: those it handled and
 * their ancestors up to the root.
 *
 * Returns: (transfer full): a new chain, empty if @actor handled no event
 *   of this one
 */
MaikoEventChain *
maiko_event_chain_path_to (MaikoEventChain *self,
                           const char      *actor)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  for (guint i = 0; i < self->records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->records, i);

      if (g_str_equal (maiko_event_entry_get_receiver (entry), actor))
        g_hash_table_add (ids, (gpointer) maiko_event_entry_get_id (entry));
    }
  add_ancestors (self, ids);

  for (guint i = 0; i < self->records->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (self->records, i);

      if (g_hash_table_contains (ids, maiko_event_entry_get_id (entry)))
        g_ptr_array_add (records, entry);
    }

  return _maiko_event_chain_new (records, self->root_id);
}

/* Text */

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
append_node (MaikoEventChain *self,
             GString         *out,
             const char      *id,
             const char      *prefix,
             gboolean         is_last,
             gboolean         is_root)
{
  GPtrArray *entries = g_hash_table_lookup (self->deliveries, id);
  MaikoEventEntry *first = g_ptr_array_index (entries, 0);
  GPtrArray *kids = children_of (self, id);
  g_auto(GStrv) receivers = _maiko_entries_distinct (entries, maiko_event_entry_get_receiver);
  g_autofree char *joined = NULL;
  g_autofree char *child_prefix = NULL;

  qsort (receivers, g_strv_length (receivers), sizeof (char *), compare_strings);
  joined = g_strjoinv (", ", receivers);
  g_string_append_printf (out, "%s%s%s [%s -> %s]\n",
                          prefix, is_root ? "" : is_last ? "└─ " : "├─ ",
                          maiko_event_entry_get_label (first),
                          maiko_event_entry_get_sender (first), joined);

  child_prefix = is_root ? g_strdup ("") : g_strconcat (prefix, is_last ? "   " : "│  ", NULL);
  for (guint i = 0; kids != NULL && i < kids->len; i++)
    append_node (self, out, g_ptr_array_index (kids, i), child_prefix, i == kids->len - 1,
                 FALSE);
}

/**
 * maiko_event_chain_to_string:
 * @self: a chain
 *
 * Draws the chain as a tree, one event per line with its sender and its
 * receivers (sorted by name):
 *
 * ```
 * EventChain (root: 6f1c0e4a-…)
 * KeyPress [scanner -> pipeline, telemetry]
 * └─ HidReport [pipeline -> telemetry, writer]
 *    └─ ReportSent [writer -> telemetry]
 * ```
 *
 * Returns: (transfer full): the tree, ending with a newline
 */
char *
maiko_event_chain_to_string (MaikoEventChain *self)
{
  GString *out;

  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "EventChain (root: %s)\n", self->root_id);
  if (first_delivery (self, self->root_id) == NULL)
    g_string_append (out, "  (empty)\n");
  else
    append_node (self, out, self->root_id, "", TRUE, TRUE);

  return g_string_free (out, FALSE);
}

/* Mermaid participant ids: letters, digits and `_`; the rest becomes `_`. */
static void
append_mermaid_id (GString    *out,
                   const char *name)
{
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_')
        g_string_append_unichar (out, c);
      else
        g_string_append_c (out, '_');
    }
}

/**
 * maiko_event_chain_to_mermaid:
 * @self: a chain
 *
 * Draws the chain as a [Mermaid](https://mermaid.js.org/) sequence
 * diagram: one message per delivery, event by event from the root, each
 * event's deliveries in the order recorded.
 *
 * ```
 * sequenceDiagram
 *     scanner->>pipeline:KeyPress
 *     scanner->>telemetry:KeyPress
 *     pipeline->>writer:HidReport
 * ```
 *
 * Actor names become participant ids, with every character other than a
 * letter, a digit or `_` replaced by `_`.
 *
 * Returns: (transfer full): the diagram, ending with a newline
 */
char *
maiko_event_chain_to_mermaid (MaikoEventChain *self)
{
  g_autoptr(GPtrArray) ordered = NULL;
  GString *out;

  g_return_val_if_fail (MAIKO_IS_EVENT_CHAIN (self), NULL);

  out = g_string_new ("sequenceDiagram\n");
  ordered = _maiko_event_chain_ordered (self);
  for (guint i = 0; i < ordered->len; i++)
    {
      MaikoEventEntry *entry = g_ptr_array_index (ordered, i);

      g_string_append (out, "    ");
      append_mermaid_id (out, maiko_event_entry_get_sender (entry));
      g_string_append (out, "->>");
      append_mermaid_id (out, maiko_event_entry_get_receiver (entry));
      g_string_append_printf (out, ":%s\n", maiko_event_entry_get_label (entry));
    }

  return g_string_free (out, FALSE);
}
