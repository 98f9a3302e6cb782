/* maiko-supervision.c: actors that come, go and restart
 *
 * SPDX-License-Identifier: MIT
 *
 * Removal: a removed actor leaves the routes and the name table at once
 * (so its name may be taken again), handles what its mailbox holds, runs
 * on_shutdown and ends; until it has, it waits in the supervisor's
 * `leaving` list, still counted as running.
 *
 * Restarts, as OTP's supervisors do them: when a restartable actor ends
 * while the runtime runs, finish() asks the supervisor first whether a
 * fresh instance will replace it (claim_restart). If so, its mailbox stays
 * open, and the strategy's group is stopped to be replaced too. When the
 * actor has ended, restart() makes the fresh instance with the factory,
 * hands it what the old one had not handled and what its mailbox holds,
 * puts it in the old one's place and launches it. A sender that finds the
 * old mailbox closed meanwhile is sent on to the successor (see
 * deliver_to()): nothing sent to a restarting actor is lost or reordered.
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-bindings-private.h"
#include "maiko-error.h"
#include "maiko-supervisor-impl-private.h"

struct _MaikoRestartSpec
{
  MaikoRestartPolicy  policy;
  MaikoActorFactory   factory;
  gpointer            data;
  GDestroyNotify      destroy;
  guint               restarts;
  /* The current instance ends to be replaced, because of @cause. */
  gboolean            claimed;
  GError             *cause;
};

static MaikoRestartSpec *
restart_spec_new (MaikoRestartPolicy  policy,
                  MaikoActorFactory   factory,
                  gpointer            data,
                  GDestroyNotify      destroy)
{
  MaikoRestartSpec *spec = g_new0 (MaikoRestartSpec, 1);

  spec->policy = policy;
  spec->factory = factory;
  spec->data = data;
  spec->destroy = destroy;

  return spec;
}

void
_maiko_restart_spec_free (MaikoRestartSpec *spec)
{
  if (spec->destroy != NULL)
    spec->destroy (spec->data);
  g_clear_error (&spec->cause);
  g_free (spec);
}

/* Restarts */

/* The restart spec of @actor if it is the current instance of its name
 * and may be restarted; the caller holds the lock. */
static MaikoRestartSpec *
current_spec_locked (MaikoSupervisor *self,
                     MaikoActor      *actor)
{
  const char *name = maiko_actor_get_name (actor);

  if (g_hash_table_lookup (self->actors_by_name, name) != actor)
    return NULL;

  return g_hash_table_lookup (self->restart_specs, name);
}

static gboolean
policy_restarts (MaikoRestartPolicy  policy,
                 const GError       *error)
{
  return policy == MAIKO_RESTART_POLICY_ALWAYS ||
         (policy == MAIKO_RESTART_POLICY_ON_FAILURE && error != NULL);
}

/* Counts a restart against the intensity: returns %FALSE, counting
 * nothing, if max-restarts were made in the last restart-period. */
static gboolean
count_restart_locked (MaikoSupervisor *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 since = now - (gint64) self->restart_period_s * G_USEC_PER_SEC;
  gint64 *time;

  while (!g_queue_is_empty (&self->restart_times) &&
         *(gint64 *) g_queue_peek_head (&self->restart_times) <= since)
    g_free (g_queue_pop_head (&self->restart_times));
  if (g_queue_get_length (&self->restart_times) >= self->max_restarts)
    return FALSE;

  time = g_new (gint64, 1);
  *time = now;
  g_queue_push_tail (&self->restart_times, time);
  return TRUE;
}

/* Past the intensity: the runtime stops with this error, whatever an
 * actor that failed before may have left. */
static void
give_up_locked (MaikoSupervisor *self,
                const char      *name,
                const GError    *error)
{
  g_clear_error (&self->first_error);
  self->first_error =
    g_error_new (error != NULL ? error->domain : MAIKO_ERROR,
                 error != NULL ? error->code : MAIKO_ERROR_FAILED,
                 "Actor “%s” ended more than max-restarts (%u) times in %u s, the last time %s%s",
                 name, self->max_restarts, self->restart_period_s,
                 error != NULL ? "with: " : "without an error",
                 error != NULL ? error->message : "");
}

/* The restartable actors that the strategy stops along with @failed;
 * claims their restart. */
static GPtrArray *
claim_group_locked (MaikoSupervisor *self,
                    MaikoActor      *failed,
                    const GError    *cause)
{
  GPtrArray *group = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean after = FALSE;

  if (self->restart_strategy == MAIKO_RESTART_STRATEGY_ONE_FOR_ONE)
    return group;

  for (guint i = 0; i < self->actors->len; i++)
    {
      MaikoActor *actor = g_ptr_array_index (self->actors, i);
      MaikoRestartSpec *spec;

      if (actor == failed)
        {
          after = TRUE;
          continue;
        }
      if (self->restart_strategy == MAIKO_RESTART_STRATEGY_REST_FOR_ONE && !after)
        continue;
      spec = current_spec_locked (self, actor);
      if (spec == NULL || spec->claimed || spec->policy == MAIKO_RESTART_POLICY_NEVER ||
          _maiko_actor_has_ended (actor))
        continue;
      spec->claimed = TRUE;
      spec->cause = cause != NULL ? g_error_copy (cause) : NULL;
      g_ptr_array_add (group, g_object_ref (actor));
    }

  return group;
}

/* Called by @actor as it ends, on its own context, with the error it ends
 * with (nullable): returns whether a fresh instance will replace it, in
 * which case it keeps its mailbox open for it. */
gboolean
_maiko_supervisor_claim_restart (MaikoSupervisor *self,
                                 MaikoActor      *actor,
                                 const GError    *error)
{
  g_autoptr(GPtrArray) group = NULL;
  MaikoRestartSpec *spec;
  gboolean claimed = FALSE;
  gboolean give_up = FALSE;

  g_mutex_lock (&self->mutex);
  spec = current_spec_locked (self, actor);
  if (spec == NULL || get_state (self) != STATE_RUNNING)
    ;
  else if (spec->claimed)
    claimed = TRUE;
  else if (policy_restarts (spec->policy, error) && !count_restart_locked (self))
    {
      give_up_locked (self, maiko_actor_get_name (actor), error);
      give_up = TRUE;
    }
  else if (policy_restarts (spec->policy, error))
    {
      claimed = spec->claimed = TRUE;
      spec->cause = error != NULL ? g_error_copy (error) : NULL;
      group = claim_group_locked (self, actor, error);
    }
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; group != NULL && i < group->len; i++)
    _maiko_actor_request_stop (g_ptr_array_index (group, i), MAIKO_STOP_NOW, NULL);
  if (give_up)
    _maiko_supervisor_request_stop (self);

  return claimed;
}

/* The topics @actor was added with, as add_actor() takes them. */
static GStrv
dup_topics (MaikoActor *actor)
{
  const char * const all[] = { MAIKO_TOPIC_ALL, NULL };

  if (_maiko_actor_subscribes_all (actor))
    return g_strdupv ((char **) all);

  return g_strdupv ((char **) _maiko_actor_get_topics (actor));
}

/* Makes an instance with @factory, checked as add_actor() checks one. */
static MaikoActor *
make_instance (MaikoActorFactory   factory,
               gpointer            data,
               const char         *name,
               GError            **error)
{
  g_autoptr(MaikoActor) actor = factory (name, data);

  if (actor == NULL || !MAIKO_IS_ACTOR (actor))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_FAILED,
                   "The factory of actor “%s” made no actor", name);
      return NULL;
    }
  if (!_maiko_supervisor_check_actor (name, actor, error))
    return NULL;

  return g_steal_pointer (&actor);
}

/* Puts @fresh, attached, where @old was, with what @old had not handled;
 * the caller holds the lock. */
static void
replace_locked (MaikoSupervisor  *self,
                MaikoRestartSpec *spec,
                MaikoActor       *old,
                MaikoActor       *fresh)
{
  const char *name = maiko_actor_get_name (old);
  g_autoptr(GError) cause = g_steal_pointer (&spec->cause);
  GThread *thread;
  guint index;

  _maiko_actor_hand_over (old, fresh);
  g_assert (g_ptr_array_find (self->actors, old, &index));
  g_ptr_array_index (self->actors, index) = g_object_ref (fresh);
  g_object_unref (old);
  g_hash_table_insert (self->actors_by_name, (char *) name, fresh);
  g_hash_table_remove (self->ready_actors, name);
  spec->claimed = FALSE;
  spec->restarts++;
  _maiko_actor_set_restart_count (fresh, spec->restarts);
  /* Called on the old instance's thread, which is about to return. */
  thread = _maiko_actor_steal_thread (old);
  if (thread != NULL)
    g_ptr_array_add (self->ended_threads, thread);
  _maiko_supervisor_publish_routes_locked (self);
  _maiko_supervisor_record_locked (self, MAIKO_RECORD_HOOK_ACTOR_STOPPED, name);
  if (monitoring_is_active (self))
    _maiko_monitors_push_restart (self->monitors, name, spec->restarts, cause);
  self->n_launching++;
  g_cond_broadcast (&self->cond);
}

/* A claimed restart that will not be made: nobody takes @old's mailbox. */
static void
drop_claim_locked (MaikoSupervisor  *self,
                   MaikoRestartSpec *spec)
{
  if (spec == NULL)
    return;
  spec->claimed = FALSE;
  g_clear_error (&spec->cause);
}

/* Called as @old ends, on its own context: replaces it with a fresh
 * instance if its end claimed a restart, and returns whether it did. */
gboolean
_maiko_supervisor_restart (MaikoSupervisor *self,
                           MaikoActor      *old)
{
  const char *name = maiko_actor_get_name (old);
  g_autoptr(MaikoActor) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = NULL;
  MaikoRestartSpec *spec;
  MaikoActorFactory factory;
  gpointer data;
  GThread *thread;

  g_mutex_lock (&self->mutex);
  spec = current_spec_locked (self, old);
  if (spec == NULL || !spec->claimed)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  factory = spec->factory;
  data = spec->data;
  g_mutex_unlock (&self->mutex);

  /* Outside the lock: the factory is the application's code. */
  fresh = make_instance (factory, data, name, &error);
  topics = dup_topics (old);

  g_mutex_lock (&self->mutex);
  /* Removed meanwhile, or the runtime is stopping: no restart. */
  spec = current_spec_locked (self, old);
  if (spec == NULL || get_state (self) != STATE_RUNNING ||
      fresh == NULL ||
      !_maiko_actor_attach (fresh, self, name, (const char * const *) topics,
                            self->mailbox_capacity, self->max_events_per_tick, &error))
    {
      gboolean failed = error != NULL && spec != NULL && get_state (self) == STATE_RUNNING;

      if (failed)
        g_prefix_error (&error, "Actor “%s” could not be restarted: ", name);
      if (failed && self->first_error == NULL)
        self->first_error = g_steal_pointer (&error);
      drop_claim_locked (self, spec);
      g_mutex_unlock (&self->mutex);
      _maiko_actor_close_mailbox (old);
      if (failed)
        _maiko_supervisor_request_stop (self);
      return FALSE;
    }
  replace_locked (self, spec, old, fresh);
  g_mutex_unlock (&self->mutex);

  /* Nothing reaches the old instance's supervisor through it any more. */
  _maiko_actor_detach (old);

  if (!_maiko_actor_launch (fresh, &thread, &error))
    {
      _maiko_supervisor_end_launch (self, fresh, thread);
      _maiko_supervisor_actor_finished (self, fresh, g_steal_pointer (&error));
      return TRUE;
    }
  _maiko_supervisor_end_launch (self, fresh, thread);
  _maiko_supervisor_wake_driven_contexts (self);

  return TRUE;
}

MaikoActor *
_maiko_supervisor_dup_successor (MaikoSupervisor *self,
                                 MaikoActor      *actor)
{
  MaikoActor *successor;

  /* The lock orders this after the hand-over (see _maiko_actor_hand_over()). */
  g_mutex_lock (&self->mutex);
  successor = _maiko_actor_get_successor (actor);
  if (successor != NULL)
    g_object_ref (successor);
  g_mutex_unlock (&self->mutex);

  return successor;
}

/**
 * maiko_supervisor_add_restartable_actor:
 * @self: a supervisor, not stopped
 * @name: the actor's name, unique in the supervisor
 * @topics: (array zero-terminated=1) (nullable): the topics it subscribes
 *   to, as for [method@Maiko.Supervisor.add_actor]
 * @policy: when it is restarted
 * @factory: (scope notified) (closure user_data) (destroy destroy): makes
 *   each instance of the actor
 * @user_data: data for @factory
 * @destroy: (nullable): frees @user_data once the actor is removed or the
 *   supervisor finalized
 * @error: return location for a #GError
 *
 * Adds an actor that a fresh instance replaces when it ends, as @policy
 * and the supervisor's [property@Maiko.Supervisor:restart-strategy] say,
 * within the bound of [property@Maiko.Supervisor:max-restarts] in
 * [property@Maiko.Supervisor:restart-period] seconds. @factory makes the
 * first instance now, and each fresh one at a restart.
 *
 * A restart keeps the events: the fresh instance gets, in order, the
 * events the old one had taken from its mailbox without handling them,
 * then what the mailbox held, then what is sent after. It runs
 * [vfunc@Maiko.Actor.on_start] before them. Nothing else is carried over:
 * an instance's own state starts afresh, as in OTP. Monitors see the old
 * instance's [signal@Maiko.Monitor::actor-stopped], then
 * [signal@Maiko.Monitor::actor-restarted].
 *
 * Returns: %TRUE if the actor was added; %FALSE with the errors of
 *   [method@Maiko.Supervisor.add_actor], or %MAIKO_ERROR_FAILED if
 *   @factory made no actor
 */
gboolean
maiko_supervisor_add_restartable_actor (MaikoSupervisor     *self,
                                        const char          *name,
                                        const char * const  *topics,
                                        MaikoRestartPolicy   policy,
                                        MaikoActorFactory    factory,
                                        gpointer             user_data,
                                        GDestroyNotify       destroy,
                                        GError             **error)
{
  g_autoptr(MaikoActor) actor = NULL;
  MaikoRestartSpec *spec;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (policy <= MAIKO_RESTART_POLICY_ALWAYS, FALSE);
  g_return_val_if_fail (factory != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  spec = restart_spec_new (policy, factory, user_data, destroy);
  actor = make_instance (factory, user_data, name, error);
  if (actor == NULL)
    {
      _maiko_restart_spec_free (spec);
      return FALSE;
    }

  return _maiko_supervisor_add (self, name, actor, topics, spec, error);
}

/* A factory of actors of a type, with construct properties. */
typedef struct
{
  GType   type;
  guint   n_properties;
  char  **names;
  GValue *values;
} TypeFactory;

static void
type_factory_free (gpointer data)
{
  TypeFactory *factory = data;

  for (guint i = 0; i < factory->n_properties; i++)
    g_value_unset (&factory->values[i]);
  g_free (factory->values);
  g_strfreev (factory->names);
  g_free (factory);
}

static MaikoActor *
make_of_type (const char *name,
              gpointer    data)
{
  TypeFactory *factory = data;

  return MAIKO_ACTOR (g_object_new_with_properties (factory->type, factory->n_properties,
                                                    (const char **) factory->names,
                                                    factory->values));
}

/* Refuses what g_object_new_with_properties() would only warn about. */
static gboolean
check_properties (GType          type,
                  guint          n_properties,
                  const char    *names[],
                  const GValue   values[],
                  GError       **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);

  for (guint i = 0; i < n_properties; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), names[i]);

      if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
        {
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                       "%s has no writable property “%s”", g_type_name (type), names[i]);
          return FALSE;
        }
      if (!g_value_type_transformable (G_VALUE_TYPE (&values[i]), pspec->value_type))
        {
          g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                       "Property “%s” of %s is a %s, not a %s", names[i], g_type_name (type),
                       g_type_name (pspec->value_type), G_VALUE_TYPE_NAME (&values[i]));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * maiko_supervisor_add_actor_of_type:
 * @self: a supervisor, not stopped
 * @name: the actor's name, unique in the supervisor
 * @topics: (array zero-terminated=1) (nullable): the topics it subscribes
 *   to, as for [method@Maiko.Supervisor.add_actor]
 * @policy: when it is restarted
 * @actor_type: a subtype of [class@Maiko.Actor], not abstract
 * @n_properties: the number of construct properties
 * @names: (array length=n_properties): the names of the properties
 * @values: (array length=n_properties): their values
 * @error: return location for a #GError
 *
 * Adds a restartable actor as
 * [method@Maiko.Supervisor.add_restartable_actor] does, each instance made
 * with g_object_new_with_properties() from @actor_type and the properties
 * (which are copied).
 *
 * Returns: %TRUE if the actor was added; %FALSE with the errors of
 *   [method@Maiko.Supervisor.add_actor], or with
 *   %MAIKO_ERROR_INVALID_ARGUMENT if @actor_type is not an actor type or a
 *   property is not one of its writable ones, of a compatible type
 */
gboolean
maiko_supervisor_add_actor_of_type (MaikoSupervisor     *self,
                                    const char          *name,
                                    const char * const  *topics,
                                    MaikoRestartPolicy   policy,
                                    GType                actor_type,
                                    guint                n_properties,
                                    const char          *names[],
                                    const GValue         values[],
                                    GError             **error)
{
  TypeFactory *factory;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (n_properties == 0 || (names != NULL && values != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_type_is_a (actor_type, MAIKO_TYPE_ACTOR) || G_TYPE_IS_ABSTRACT (actor_type))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "%s is not a type of actor that can be made",
                   actor_type != G_TYPE_INVALID ? g_type_name (actor_type) : "G_TYPE_INVALID");
      return FALSE;
    }
  if (!check_properties (actor_type, n_properties, names, values, error))
    return FALSE;

  factory = g_new0 (TypeFactory, 1);
  factory->type = actor_type;
  factory->n_properties = n_properties;
  factory->names = g_new0 (char *, n_properties + 1);
  factory->values = g_new0 (GValue, n_properties);
  for (guint i = 0; i < n_properties; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (g_type_class_peek (actor_type), names[i]);

      factory->names[i] = g_strdup (names[i]);
      g_value_init (&factory->values[i], pspec->value_type);
      g_value_transform (&values[i], &factory->values[i]);
    }

  return maiko_supervisor_add_restartable_actor (self, name, topics, policy, make_of_type,
                                                 factory, type_factory_free, error);
}

/**
 * maiko_supervisor_get_restart_count:
 * @self: a supervisor
 * @name: an actor name
 *
 * Tells how many times the actor named @name was restarted.
 *
 * Returns: the number of restarts, 0 for an actor that is not
 *   restartable or that there is no actor named @name
 */
guint
maiko_supervisor_get_restart_count (MaikoSupervisor *self,
                                    const char      *name)
{
  MaikoActor *actor;
  guint count = 0;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  g_mutex_lock (&self->mutex);
  actor = g_hash_table_lookup (self->actors_by_name, name);
  if (actor != NULL)
    count = _maiko_actor_get_restart_count (actor);
  g_mutex_unlock (&self->mutex);

  return count;
}

/* Removal */

static gboolean
has_left (MaikoSupervisor *self,
          gconstpointer    actor)
{
  return !g_ptr_array_find (self->leaving, actor, NULL);
}

/* Takes @actor out of the routes and the name table; an actor still
 * running goes to the leaving list. The caller holds the lock. */
static void
take_out_locked (MaikoSupervisor *self,
                 MaikoActor      *actor)
{
  const char *name = maiko_actor_get_name (actor);

  if (!_maiko_actor_has_ended (actor))
    g_ptr_array_add (self->leaving, g_object_ref (actor));
  g_hash_table_remove (self->actors_by_name, name);
  g_hash_table_remove (self->ready_actors, name);
  g_hash_table_remove (self->ended_actors, name);
  g_hash_table_remove (self->restart_specs, name);
  g_ptr_array_remove (self->actors, actor);
  _maiko_supervisor_publish_routes_locked (self);
}

/* Starts the removal of the actor @name; *@removed (nullable) gets it. */
gboolean
_maiko_supervisor_begin_removal (MaikoSupervisor  *self,
                                 const char       *name,
                                 MaikoActor      **removed,
                                 GError          **error)
{
  g_autoptr(MaikoActor) actor = NULL;
  MaikoActor *current = _maiko_actor_get_current ();

  if (current != NULL && g_strcmp0 (maiko_actor_get_name (current), name) == 0 &&
      _maiko_actor_get_supervisor (current) == self)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                   "Actor “%s” cannot remove itself: maiko_context_stop() ends it", name);
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  if (get_state (self) != STATE_RUNNING)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_WRONG_STATE,
                           "Actors can only be removed while the supervisor runs");
      return FALSE;
    }
  actor = g_hash_table_lookup (self->actors_by_name, name);
  if (actor == NULL)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   g_str_equal (name, MAIKO_SUPERVISOR_NAME)
                   ? "“%s” is the supervisor's name, not an actor's"
                   : "The supervisor has no actor named “%s”", name);
      return FALSE;
    }
  g_object_ref (actor);
  take_out_locked (self, actor);
  g_mutex_unlock (&self->mutex);

  _maiko_actor_request_stop (actor, MAIKO_STOP_LEAVE, NULL);
  if (removed != NULL)
    *removed = g_steal_pointer (&actor);
  return TRUE;
}

/**
 * maiko_supervisor_remove_actor:
 * @self: a running supervisor
 * @name: the name of the actor to remove
 * @error: return location for a #GError
 *
 * Removes an actor from a running supervisor and waits until it has
 * ended: no event is routed to it from the moment of the call; it handles
 * what its mailbox holds, as on a stop, runs
 * [vfunc@Maiko.Actor.on_shutdown] and ends. The other actors go on, and
 * no event of theirs is lost or reordered. An event sent to it while it
 * ends is counted as undelivered; one sent to its topics after it has
 * gone reaches the other subscribers, or is counted as unrouted if there
 * are none. A removed actor is not restarted, and its name may be used
 * again as soon as this returns.
 *
 * If this thread must iterate the context the actor is bound to, `remove`
 * iterates it while it waits, as [method@Maiko.Supervisor.stop] does.
 * From inside an actor use [method@Maiko.Context.remove_actor], which
 * does not wait.
 *
 * Returns: %TRUE once the actor has ended; %FALSE with
 *   %MAIKO_ERROR_INVALID_ARGUMENT if there is no actor @name (or @name is
 *   the supervisor's), or with %MAIKO_ERROR_WRONG_STATE if the supervisor
 *   is not running or the call comes from one of its actors
 */
gboolean
maiko_supervisor_remove_actor (MaikoSupervisor  *self,
                               const char       *name,
                               GError          **error)
{
  g_autoptr(MaikoActor) actor = NULL;
  MaikoActor *current = _maiko_actor_get_current ();

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An actor removing itself is told of maiko_context_stop() instead. */
  if ((current == NULL || g_strcmp0 (maiko_actor_get_name (current), name) != 0) &&
      _maiko_supervisor_called_from_own_actor (self, "maiko_supervisor_remove_actor()",
                                               "use maiko_context_remove_actor() instead",
                                               error))
    return FALSE;
  if (!_maiko_supervisor_begin_removal (self, name, &actor, error))
    return FALSE;

  _maiko_supervisor_wait_until (self, has_left, actor, NULL, NULL);
  _maiko_supervisor_join_ended_threads (self);
  return TRUE;
}
