/* maiko-actor.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib-object.h>

#include "maiko-envelope.h"

G_BEGIN_DECLS

/**
 * MaikoStepAction:
 * @MAIKO_STEP_ACTION_NEVER: never call `step` again. It is value 0 on
 *   purpose: a binding whose `step` failed returns 0, and stopping the step
 *   loop is the safe reading of that.
 * @MAIKO_STEP_ACTION_CONTINUE: call `step` again in the next iteration of the
 *   actor's context; pending events are handled in between
 * @MAIKO_STEP_ACTION_YIELD: call `step` again once the context has also run
 *   its idle-priority sources
 * @MAIKO_STEP_ACTION_AWAIT_EVENT: call `step` again once, after the next
 *   batch of events has been handled
 * @MAIKO_STEP_ACTION_BACKOFF: call `step` again after the duration set with
 *   [method@Maiko.Context.set_backoff] (10 ms unless set)
 *
 * What an actor's `step` asks the runtime to do next.
 */
typedef enum
{
  MAIKO_STEP_ACTION_NEVER = 0,
  MAIKO_STEP_ACTION_CONTINUE,
  MAIKO_STEP_ACTION_YIELD,
  MAIKO_STEP_ACTION_AWAIT_EVENT,
  MAIKO_STEP_ACTION_BACKOFF,
} MaikoStepAction;

#define MAIKO_TYPE_ACTOR (maiko_actor_get_type ())

MAIKO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (MaikoActor, maiko_actor, MAIKO, ACTOR, GObject)

typedef struct _MaikoContext MaikoContext;

/**
 * MaikoActorClass:
 * @parent_class: the parent class
 * @on_start: called once on the actor's own context before any event is
 *   handled; returning %FALSE is an error handled like a failing handler
 * @handle_event: handles one event. The envelope is borrowed for the call:
 *   take a reference with maiko_envelope_ref() to keep it. Return %FALSE
 *   and set @error on failure.
 * @step: called between events to do work of the actor's own; the return
 *   value schedules the next call. The default returns
 *   %MAIKO_STEP_ACTION_NEVER.
 * @on_shutdown: called exactly once when the actor ends, however it ends
 * @on_error: called with the error of a failing `on_start` or
 *   `handle_event`; return %TRUE to swallow it and go on, %FALSE to stop the
 *   actor with that error. The default returns %FALSE.
 *
 * The virtual methods of [class@Maiko.Actor]. They all run on the actor's
 * own context: a thread of its own, or the context set as
 * [property@Maiko.Actor:main-context].
 */
struct _MaikoActorClass
{
  GObjectClass parent_class;

  gboolean        (*on_start)     (MaikoActor    *self,
                                   GError       **error);
  gboolean        (*handle_event) (MaikoActor    *self,
                                   MaikoEnvelope *envelope,
                                   GError       **error);
  MaikoStepAction (*step)         (MaikoActor    *self);
  void            (*on_shutdown)  (MaikoActor    *self);
  gboolean        (*on_error)     (MaikoActor    *self,
                                   const GError  *error);

  /*< private >*/
  gpointer _reserved[8];
};

MAIKO_AVAILABLE_IN_ALL
const char   *maiko_actor_get_name                (MaikoActor   *self);
MAIKO_AVAILABLE_IN_ALL
MaikoContext *maiko_actor_get_context             (MaikoActor   *self);
MAIKO_AVAILABLE_IN_ALL
guint         maiko_actor_get_mailbox_capacity    (MaikoActor   *self);
MAIKO_AVAILABLE_IN_ALL
void          maiko_actor_set_mailbox_capacity    (MaikoActor   *self,
                                                   guint         capacity);
MAIKO_AVAILABLE_IN_ALL
guint         maiko_actor_get_max_events_per_tick (MaikoActor   *self);
MAIKO_AVAILABLE_IN_ALL
void          maiko_actor_set_max_events_per_tick (MaikoActor   *self,
                                                   guint         max_events);
MAIKO_AVAILABLE_IN_ALL
GMainContext *maiko_actor_get_main_context        (MaikoActor   *self);
MAIKO_AVAILABLE_IN_ALL
void          maiko_actor_set_main_context        (MaikoActor   *self,
                                                   GMainContext *context);
MAIKO_AVAILABLE_IN_ALL
const char * const *maiko_actor_get_publishes     (MaikoActor         *self);
MAIKO_AVAILABLE_IN_ALL
void          maiko_actor_set_publishes           (MaikoActor         *self,
                                                   const char * const *topics);
MAIKO_AVAILABLE_IN_ALL
gboolean      maiko_actor_is_running              (MaikoActor   *self);

G_END_DECLS
