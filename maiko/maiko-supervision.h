/* maiko-supervision.h: actors that come, go and restart
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-supervisor.h"

G_BEGIN_DECLS

/**
 * MaikoRestartPolicy:
 * @MAIKO_RESTART_POLICY_NEVER: the actor is never restarted (an actor added
 *   with [method@Maiko.Supervisor.add_actor])
 * @MAIKO_RESTART_POLICY_ON_FAILURE: the actor is restarted when it ends with
 *   an error, not when it stops itself
 * @MAIKO_RESTART_POLICY_ALWAYS: the actor is restarted whenever it ends
 *   while the runtime runs: with an error, by [method@Maiko.Context.stop],
 *   or because its mailbox overflowed under %MAIKO_OVERFLOW_POLICY_FAIL
 *
 * When a restartable actor is replaced by a fresh instance (see
 * [method@Maiko.Supervisor.add_restartable_actor]): OTP's temporary,
 * transient and permanent children. An actor is never restarted once the
 * runtime stops, nor after [method@Maiko.Supervisor.remove_actor].
 */
typedef enum
{
  MAIKO_RESTART_POLICY_NEVER,
  MAIKO_RESTART_POLICY_ON_FAILURE,
  MAIKO_RESTART_POLICY_ALWAYS,
} MaikoRestartPolicy;

/**
 * MaikoRestartStrategy:
 * @MAIKO_RESTART_STRATEGY_ONE_FOR_ONE: only the actor that ended is
 *   restarted
 * @MAIKO_RESTART_STRATEGY_ONE_FOR_ALL: every restartable actor is stopped
 *   and restarted with it
 * @MAIKO_RESTART_STRATEGY_REST_FOR_ONE: the restartable actors added after
 *   it are stopped and restarted with it
 *
 * Which actors a restart takes along, as OTP's supervisor strategies:
 * the supervisor's [property@Maiko.Supervisor:restart-strategy]. Only
 * actors whose [enum@Maiko.RestartPolicy] is not
 * %MAIKO_RESTART_POLICY_NEVER are ever stopped for another one's restart.
 */
typedef enum
{
  MAIKO_RESTART_STRATEGY_ONE_FOR_ONE,
  MAIKO_RESTART_STRATEGY_ONE_FOR_ALL,
  MAIKO_RESTART_STRATEGY_REST_FOR_ONE,
} MaikoRestartStrategy;

/**
 * MaikoActorFactory:
 * @name: the name the actor is added under
 * @user_data: the data given with the factory
 *
 * Makes a fresh instance of a restartable actor: once when it is added,
 * then at every restart, on the thread where the instance it replaces
 * ended (the actor's own thread, or the thread that runs its main context).
 *
 * Returns: (transfer full) (nullable): a new actor, not added to any
 *   supervisor, or %NULL if none can be made (the restart then fails)
 */
typedef MaikoActor *(*MaikoActorFactory) (const char *name,
                                          gpointer    user_data);

MAIKO_AVAILABLE_IN_ALL
gboolean  maiko_supervisor_add_restartable_actor (MaikoSupervisor     *self,
                                                  const char          *name,
                                                  const char * const  *topics,
                                                  MaikoRestartPolicy   policy,
                                                  MaikoActorFactory    factory,
                                                  gpointer             user_data,
                                                  GDestroyNotify       destroy,
                                                  GError             **error);
MAIKO_AVAILABLE_IN_ALL
gboolean  maiko_supervisor_add_actor_of_type     (MaikoSupervisor     *self,
                                                  const char          *name,
                                                  const char * const  *topics,
                                                  MaikoRestartPolicy   policy,
                                                  GType                actor_type,
                                                  guint                n_properties,
                                                  const char          *names[],
                                                  const GValue         values[],
                                                  GError             **error);
MAIKO_AVAILABLE_IN_ALL
gboolean  maiko_supervisor_remove_actor          (MaikoSupervisor     *self,
                                                  const char          *name,
                                                  GError             **error);
MAIKO_AVAILABLE_IN_ALL
guint     maiko_supervisor_get_restart_count     (MaikoSupervisor     *self,
                                                  const char          *name);

G_END_DECLS
