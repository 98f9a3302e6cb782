/* maiko-actor-trace.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-trace-private.h"
#include "maiko-event-chain-private.h"

/**
 * MaikoActorTrace:
 *
 * The paths of a [class@Maiko.EventChain] through the actors, from
 * [method@Maiko.EventChain.actors]. A path starts with the sender of the
 * root event and follows each event to the receiver that sent the next
 * one, ending with a receiver that sent nothing more; an actor that sends
 * on what it received appears once. For the chain
 *
 * ```
 * KeyPress [scanner -> pipeline]
 * └─ HidReport [pipeline -> writer]
 * ```
 *
 * the one path is `scanner`, `pipeline`, `writer`.
 *
 * Each question holds if it holds for one of the paths; an empty list of
 * actors always matches.
 */

struct _MaikoActorTrace
{
  GObject          parent_instance;

  MaikoEventChain *chain;
  /* GPtrArray of GPtrArray of interned actor names. */
  GPtrArray       *paths;
};

G_DEFINE_FINAL_TYPE (MaikoActorTrace, maiko_actor_trace, G_TYPE_OBJECT)

static void
maiko_actor_trace_finalize (GObject *object)
{
  MaikoActorTrace *self = MAIKO_ACTOR_TRACE (object);

  g_ptr_array_unref (self->paths);
  g_object_unref (self->chain);

  G_OBJECT_CLASS (maiko_actor_trace_parent_class)->finalize (object);
}

static void
maiko_actor_trace_class_init (MaikoActorTraceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = maiko_actor_trace_finalize;
}

static void
maiko_actor_trace_init (MaikoActorTrace *self)
{
}

MaikoActorTrace *
_maiko_actor_trace_new (MaikoEventChain *chain)
{
  MaikoActorTrace *self = g_object_new (MAIKO_TYPE_ACTOR_TRACE, NULL);

  self->chain = g_object_ref (chain);
  self->paths = _maiko_event_chain_actor_paths (chain);

  return self;
}

static gboolean
same_actor (gconstpointer actor,
            gconstpointer name)
{
  return g_str_equal (actor, name);
}

static gboolean
match (MaikoActorTrace    *self,
       MaikoPathMode       mode,
       const char * const *actors)
{
  return _maiko_paths_match (self->paths, mode, (gconstpointer *) actors,
                             g_strv_length ((char **) actors), same_actor);
}

/**
 * maiko_actor_trace_all:
 * @self: a trace
 *
 * Lists every actor that took part in the chain, on any path.
 *
 * Returns: (transfer full): every actor of the chain: the root's sender,
 *   then each receiver, each once, event by event from the root
 */
char **
maiko_actor_trace_all (MaikoActorTrace *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) ordered = NULL;
  const char *root_sender;

  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), NULL);

  root_sender = _maiko_event_chain_root_sender (self->chain);
  if (root_sender != NULL)
    {
      g_hash_table_add (seen, (gpointer) root_sender);
      g_strv_builder_add (builder, root_sender);
    }

  ordered = _maiko_event_chain_ordered (self->chain);
  for (guint i = 0; i < ordered->len; i++)
    {
      const char *receiver = maiko_event_entry_get_receiver (g_ptr_array_index (ordered, i));

      if (g_hash_table_add (seen, (gpointer) receiver))
        g_strv_builder_add (builder, receiver);
    }

  return g_strv_builder_end (builder);
}

/**
 * maiko_actor_trace_contains:
 * @self: a trace
 * @actor: an actor name
 *
 * Tells whether @actor took part in the chain, on any path.
 *
 * Returns: %TRUE if @actor sent the root or handled an event of the chain
 */
gboolean
maiko_actor_trace_contains (MaikoActorTrace *self,
                            const char      *actor)
{
  g_auto(GStrv) all = NULL;

  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  all = maiko_actor_trace_all (self);
  return g_strv_contains ((const char * const *) all, actor);
}

/**
 * maiko_actor_trace_visited:
 * @self: a trace
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells whether every actor of @actors took part in the chain, in any order
 * and on any paths.
 *
 * Returns: %TRUE if the chain involved every actor of @actors, on any
 *   branch
 */
gboolean
maiko_actor_trace_visited (MaikoActorTrace    *self,
                           const char * const *actors)
{
  g_auto(GStrv) all = NULL;

  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), FALSE);
  g_return_val_if_fail (actors != NULL, FALSE);

  all = maiko_actor_trace_all (self);
  for (guint i = 0; actors[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) all, actors[i]))
      return FALSE;

  return TRUE;
}

/**
 * maiko_actor_trace_exact:
 * @self: a trace
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells whether some path of the chain goes through exactly @actors, in
 * that order.
 *
 * Returns: %TRUE if a path is @actors, from the root's sender to its end
 */
gboolean
maiko_actor_trace_exact (MaikoActorTrace    *self,
                         const char * const *actors)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), FALSE);
  g_return_val_if_fail (actors != NULL, FALSE);

  return match (self, MAIKO_PATH_EXACT, actors);
}

/**
 * maiko_actor_trace_segment:
 * @self: a trace
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells whether some path of the chain goes through @actors consecutively.
 *
 * Returns: %TRUE if a path goes through @actors one right after the other
 */
gboolean
maiko_actor_trace_segment (MaikoActorTrace    *self,
                           const char * const *actors)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), FALSE);
  g_return_val_if_fail (actors != NULL, FALSE);

  return match (self, MAIKO_PATH_SEGMENT, actors);
}

/**
 * maiko_actor_trace_passes_through:
 * @self: a trace
 * @actors: (array zero-terminated=1): actor names
 *
 * Tells whether some path of the chain goes through @actors in order.
 *
 * Returns: %TRUE if a path goes through @actors in that order, other
 *   actors in between allowed
 */
gboolean
maiko_actor_trace_passes_through (MaikoActorTrace    *self,
                                  const char * const *actors)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), FALSE);
  g_return_val_if_fail (actors != NULL, FALSE);

  return match (self, MAIKO_PATH_PASSES_THROUGH, actors);
}

/**
 * maiko_actor_trace_path_count:
 * @self: a trace
 *
 * Counts the chain's paths through the actors: one per receiver that sent
 * nothing more.
 *
 * Returns: the number of paths through the actors
 */
guint
maiko_actor_trace_path_count (MaikoActorTrace *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_TRACE (self), 0);

  return self->paths->len;
}
