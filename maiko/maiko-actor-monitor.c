/* maiko-actor-monitor.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-monitor.h"

/**
 * MaikoActorMonitor:
 *
 * A monitor that keeps, for each actor of the supervisor it watches,
 * whether it is alive or stopped, and how often its mailbox overflowed.
 * Its getters may be called from any thread.
 *
 * ```c
 * g_autoptr(MaikoActorMonitor) actors = maiko_actor_monitor_new ();
 *
 * maiko_supervisor_add_monitor (sup, MAIKO_MONITOR (actors), NULL);
 * ...
 * if (!maiko_actor_monitor_is_alive (actors, "parser"))
 *   g_print ("the parser is gone\n");
 * ```
 *
 * It learns what it knows from the signals of [class@Maiko.Monitor]:
 * [signal@Maiko.Monitor::actor-registered],
 * [signal@Maiko.Monitor::actor-stopped] and
 * [signal@Maiko.Monitor::overflow]. So it answers as of the last record
 * emitted in its main context: run that context, or call
 * [method@Maiko.Monitor.flush], for it to catch up. Actors added before
 * the monitor are known from the start, since a supervisor tells a new
 * monitor about them; overflows are counted from when the monitor was
 * added. While the monitor is paused, or when its queue is full (see
 * [property@Maiko.Monitor:dropped-count]), it misses what happens.
 *
 * An actor is alive from when it was added until it ends, however it
 * ends; it may not have started yet.
 */

/* What is known of one actor. */
typedef struct
{
  const char *name;             /* interned */
  gboolean    stopped;
  guint64     overflow_count;
} ActorState;

struct _MaikoActorMonitor
{
  MaikoMonitor  parent_instance;

  /* The class handlers write in the monitor's main context; the getters
   * read from any thread. */
  GMutex        mutex;
  /* ActorState*, owned, in the order the actors were first named, so
   * that the lists the getters return follow the order of registration. */
  GPtrArray    *actors;
  /* name → ActorState*, borrowed from @actors. */
  GHashTable   *by_name;
};

G_DEFINE_FINAL_TYPE (MaikoActorMonitor, maiko_actor_monitor, MAIKO_TYPE_MONITOR)

/* An actor is known from the first record that names it: usually its
 * registration, but that record may have been dropped from a full queue. */
static ActorState *
lookup_or_add_locked (MaikoActorMonitor *self,
                      const char        *name)
{
  ActorState *state = g_hash_table_lookup (self->by_name, name);

  if (state == NULL)
    {
      state = g_new0 (ActorState, 1);
      /* Actor names are interned already: this only looks them up. */
      state->name = g_intern_string (name);
      g_ptr_array_add (self->actors, state);
      g_hash_table_insert (self->by_name, (char *) state->name, state);
    }

  return state;
}

static void
maiko_actor_monitor_actor_registered (MaikoMonitor *monitor,
                                      const char   *actor)
{
  MaikoActorMonitor *self = MAIKO_ACTOR_MONITOR (monitor);

  g_mutex_lock (&self->mutex);
  lookup_or_add_locked (self, actor);
  g_mutex_unlock (&self->mutex);
}

static void
maiko_actor_monitor_actor_stopped (MaikoMonitor *monitor,
                                   const char   *actor)
{
  MaikoActorMonitor *self = MAIKO_ACTOR_MONITOR (monitor);

  g_mutex_lock (&self->mutex);
  lookup_or_add_locked (self, actor)->stopped = TRUE;
  g_mutex_unlock (&self->mutex);
}

static void
maiko_actor_monitor_overflow (MaikoMonitor        *monitor,
                              MaikoEnvelope       *envelope,
                              const char          *topic,
                              const char          *receiver,
                              MaikoOverflowPolicy  policy)
{
  MaikoActorMonitor *self = MAIKO_ACTOR_MONITOR (monitor);

  g_mutex_lock (&self->mutex);
  lookup_or_add_locked (self, receiver)->overflow_count++;
  g_mutex_unlock (&self->mutex);
}

static void
maiko_actor_monitor_finalize (GObject *object)
{
  MaikoActorMonitor *self = MAIKO_ACTOR_MONITOR (object);

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->actors, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (maiko_actor_monitor_parent_class)->finalize (object);
}

static void
maiko_actor_monitor_class_init (MaikoActorMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoMonitorClass *monitor_class = MAIKO_MONITOR_CLASS (klass);

  object_class->finalize = maiko_actor_monitor_finalize;

  monitor_class->actor_registered = maiko_actor_monitor_actor_registered;
  monitor_class->actor_stopped = maiko_actor_monitor_actor_stopped;
  monitor_class->overflow = maiko_actor_monitor_overflow;
}

static void
maiko_actor_monitor_init (MaikoActorMonitor *self)
{
  g_mutex_init (&self->mutex);
  self->actors = g_ptr_array_new_with_free_func (g_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * maiko_actor_monitor_new:
 *
 * Creates an actor monitor, to add to a supervisor with
 * [method@Maiko.Supervisor.add_monitor].
 *
 * Returns: (transfer full): a new actor monitor
 */
MaikoActorMonitor *
maiko_actor_monitor_new (void)
{
  return g_object_new (MAIKO_TYPE_ACTOR_MONITOR, NULL);
}

static char **
dup_names (MaikoActorMonitor *self,
           gboolean           stopped)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->actors->len; i++)
    {
      ActorState *state = g_ptr_array_index (self->actors, i);

      if (state->stopped == stopped)
        g_strv_builder_add (builder, state->name);
    }
  g_mutex_unlock (&self->mutex);

  return g_strv_builder_end (builder);
}

/**
 * maiko_actor_monitor_dup_actors:
 * @self: an actor monitor
 *
 * Lists the actors that are alive: added and not ended.
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   actors that are alive, in the order they were added
 */
char **
maiko_actor_monitor_dup_actors (MaikoActorMonitor *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_MONITOR (self), NULL);

  return dup_names (self, FALSE);
}

/**
 * maiko_actor_monitor_dup_stopped_actors:
 * @self: an actor monitor
 *
 * Lists the actors that ended.
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   actors that ended, in the order they were added
 */
char **
maiko_actor_monitor_dup_stopped_actors (MaikoActorMonitor *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_MONITOR (self), NULL);

  return dup_names (self, TRUE);
}

/* Whether @name is known and its stopped flag is @stopped. */
static gboolean
has_state (MaikoActorMonitor *self,
           const char        *name,
           gboolean           stopped)
{
  ActorState *state;
  gboolean result;

  g_mutex_lock (&self->mutex);
  state = g_hash_table_lookup (self->by_name, name);
  result = state != NULL && state->stopped == stopped;
  g_mutex_unlock (&self->mutex);

  return result;
}

/**
 * maiko_actor_monitor_is_alive:
 * @self: an actor monitor
 * @name: an actor's name
 *
 * Tells whether the actor named @name was added and has not ended.
 *
 * Returns: %TRUE if the actor is alive, %FALSE if it ended or is unknown
 */
gboolean
maiko_actor_monitor_is_alive (MaikoActorMonitor *self,
                              const char        *name)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_MONITOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return has_state (self, name, FALSE);
}

/**
 * maiko_actor_monitor_is_stopped:
 * @self: an actor monitor
 * @name: an actor's name
 *
 * Tells whether the actor named @name ended.
 *
 * Returns: %TRUE if the actor ended, %FALSE if it is alive or unknown
 */
gboolean
maiko_actor_monitor_is_stopped (MaikoActorMonitor *self,
                                const char        *name)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_MONITOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return has_state (self, name, TRUE);
}

/**
 * maiko_actor_monitor_get_overflow_count:
 * @self: an actor monitor
 * @name: an actor's name
 *
 * Gets how many times an event found the mailbox of the actor named @name
 * full, whatever the topic's policy, since the monitor was added. An event
 * that waits for room under %MAIKO_OVERFLOW_POLICY_BLOCK counts once.
 *
 * Returns: the actor's overflow count, 0 for an unknown actor
 */
guint64
maiko_actor_monitor_get_overflow_count (MaikoActorMonitor *self,
                                        const char        *name)
{
  ActorState *state;
  guint64 count;

  g_return_val_if_fail (MAIKO_IS_ACTOR_MONITOR (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&self->mutex);
  state = g_hash_table_lookup (self->by_name, name);
  count = state != NULL ? state->overflow_count : 0;
  g_mutex_unlock (&self->mutex);

  return count;
}
