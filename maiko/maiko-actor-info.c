/* maiko-actor-info.c: what the live view tells of one actor
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-info-private.h"
#include "maiko-actor-private.h"
#include "maiko-enum-types.h"

/**
 * MaikoActorInfo:
 *
 * One actor of a supervisor, as the live view from
 * [method@Maiko.Supervisor.get_actors] shows it: its name, state, topics,
 * mailbox, how many events it handled, how often it was restarted and
 * where it runs.
 *
 * The properties are read-only. The list that holds the item updates them
 * on its own thread (the one that called
 * [method@Maiko.Supervisor.get_actors]) at most every
 * [property@Maiko.ActorList:refresh-interval] milliseconds, and notifies
 * those that changed, so a GTK widget can bind to them as they are. The
 * item is the actor's name: it stays the same object across restarts of
 * the actor. Use it on that thread only.
 */

struct _MaikoActorInfo
{
  GObject          parent_instance;

  const char      *name;              /* interned */
  MaikoActorState  state;
  char           **topics;            /* never NULL */
  guint            mailbox_depth;
  guint            mailbox_capacity;
  guint64          handled_count;
  guint            restart_count;
  const char      *placement;         /* static */
};

G_DEFINE_FINAL_TYPE (MaikoActorInfo, maiko_actor_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  PROP_TOPICS,
  PROP_MAILBOX_DEPTH,
  PROP_MAILBOX_CAPACITY,
  PROP_HANDLED_COUNT,
  PROP_RESTART_COUNT,
  PROP_PLACEMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where @actor runs, in a word or two for a column of a view. The one
 * place that tells placements apart: a new kind of placement (a worker
 * pool: "pool worker") gets its case here. */
static const char *
placement_of (MaikoActor *actor)
{
  GMainContext *context = maiko_actor_get_main_context (actor);

  if (context == NULL)
    return "thread";
  if (context == g_main_context_default ())
    return "main context";

  return "context";
}

/* The topics as add_actor() took them; an empty array for none. */
static char **
dup_topics (MaikoActor *actor)
{
  const char * const all[] = { MAIKO_TOPIC_ALL, NULL };
  const char * const none[] = { NULL };
  const char * const *topics = _maiko_actor_get_topics (actor);

  if (_maiko_actor_subscribes_all (actor))
    return g_strdupv ((char **) all);

  return g_strdupv ((char **) (topics != NULL ? topics : none));
}

MaikoActorInfo *
_maiko_actor_info_new (MaikoActor *actor)
{
  MaikoActorInfo *self = g_object_new (MAIKO_TYPE_ACTOR_INFO, NULL);

  self->name = maiko_actor_get_name (actor);
  _maiko_actor_info_update (self, actor);

  return self;
}

/* Stores @value in *@field, notifying @prop if it changed. */
static void
set_uint (MaikoActorInfo *self,
          guint          *field,
          guint           value,
          guint           prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Reads @actor, the current instance of the item's name, and notifies
 * what changed, in one batch. */
void
_maiko_actor_info_update (MaikoActorInfo *self,
                          MaikoActor     *actor)
{
  MaikoMailbox *mailbox = _maiko_actor_get_mailbox (actor);
  g_auto(GStrv) topics = dup_topics (actor);
  guint64 handled = _maiko_actor_get_handled_count (actor);
  const char *placement = placement_of (actor);

  g_object_freeze_notify (G_OBJECT (self));
  set_uint (self, (guint *) &self->state, _maiko_actor_get_state (actor), PROP_STATE);
  if (!g_strv_equal ((const char * const *) self->topics, (const char * const *) topics))
    {
      g_strfreev (self->topics);
      self->topics = g_steal_pointer (&topics);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPICS]);
    }
  set_uint (self, &self->mailbox_depth, _maiko_mailbox_get_depth (mailbox), PROP_MAILBOX_DEPTH);
  set_uint (self, &self->mailbox_capacity, _maiko_mailbox_get_capacity (mailbox),
            PROP_MAILBOX_CAPACITY);
  if (self->handled_count != handled)
    {
      self->handled_count = handled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HANDLED_COUNT]);
    }
  set_uint (self, &self->restart_count, _maiko_actor_get_restart_count (actor),
            PROP_RESTART_COUNT);
  if (g_strcmp0 (self->placement, placement) != 0)
    {
      self->placement = placement;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEMENT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
maiko_actor_info_finalize (GObject *object)
{
  MaikoActorInfo *self = MAIKO_ACTOR_INFO (object);

  g_strfreev (self->topics);

  G_OBJECT_CLASS (maiko_actor_info_parent_class)->finalize (object);
}

static void
maiko_actor_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MaikoActorInfo *self = MAIKO_ACTOR_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TOPICS:
      g_value_set_boxed (value, self->topics);
      break;
    case PROP_MAILBOX_DEPTH:
      g_value_set_uint (value, self->mailbox_depth);
      break;
    case PROP_MAILBOX_CAPACITY:
      g_value_set_uint (value, self->mailbox_capacity);
      break;
    case PROP_HANDLED_COUNT:
      g_value_set_uint64 (value, self->handled_count);
      break;
    case PROP_RESTART_COUNT:
      g_value_set_uint (value, self->restart_count);
      break;
    case PROP_PLACEMENT:
      g_value_set_string (value, self->placement);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_actor_info_class_init (MaikoActorInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = maiko_actor_info_finalize;
  object_class->get_property = maiko_actor_info_get_property;

  /**
   * MaikoActorInfo:name:
   *
   * The actor's name; it never changes.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);

  /**
   * MaikoActorInfo:state:
   *
   * Where the actor is in its life.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MAIKO_TYPE_ACTOR_STATE, MAIKO_ACTOR_STATE_ADDED, flags);

  /**
   * MaikoActorInfo:topics:
   *
   * The topics the actor subscribes to, as it was added with them:
   * [const@Maiko.TOPIC_ALL] alone for all topics, an empty array for none.
   */
  properties[PROP_TOPICS] = g_param_spec_boxed ("topics", NULL, NULL, G_TYPE_STRV, flags);

  /**
   * MaikoActorInfo:mailbox-depth:
   *
   * How many events waited in the actor's mailbox when the list last
   * looked: events routed to it and not taken yet.
   */
  properties[PROP_MAILBOX_DEPTH] =
    g_param_spec_uint ("mailbox-depth", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * MaikoActorInfo:mailbox-capacity:
   *
   * How many events the actor's mailbox holds at most.
   */
  properties[PROP_MAILBOX_CAPACITY] =
    g_param_spec_uint ("mailbox-capacity", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * MaikoActorInfo:handled-count:
   *
   * How many events the actor has handled (successfully or not), counted
   * across its restarts. JavaScript reads it exactly up to 2^53.
   */
  properties[PROP_HANDLED_COUNT] =
    g_param_spec_uint64 ("handled-count", NULL, NULL, 0, G_MAXUINT64, 0, flags);

  /**
   * MaikoActorInfo:restart-count:
   *
   * How many times the actor was restarted (see
   * [method@Maiko.Supervisor.add_restartable_actor]).
   */
  properties[PROP_RESTART_COUNT] =
    g_param_spec_uint ("restart-count", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * MaikoActorInfo:placement:
   *
   * Where the actor runs: `"thread"` (a thread of its own, the default),
   * `"main context"` (bound to the global default main context, the
   * application's main loop) or `"context"` (bound to another context,
   * such as one that many light actors share). Other words may be added
   * as the runtime learns other placements.
   */
  properties[PROP_PLACEMENT] = g_param_spec_string ("placement", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_actor_info_init (MaikoActorInfo *self)
{
  self->topics = g_new0 (char *, 1);
}

/**
 * maiko_actor_info_get_name:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:name].
 *
 * Returns: the actor's name
 */
const char *
maiko_actor_info_get_name (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), NULL);

  return self->name;
}

/**
 * maiko_actor_info_get_state:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:state].
 *
 * Returns: the actor's state when the list last looked
 */
MaikoActorState
maiko_actor_info_get_state (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), MAIKO_ACTOR_STATE_ADDED);

  return self->state;
}

/**
 * maiko_actor_info_get_topics:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:topics].
 *
 * Returns: (transfer none) (array zero-terminated=1): the actor's topics
 */
const char * const *
maiko_actor_info_get_topics (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), NULL);

  return (const char * const *) self->topics;
}

/**
 * maiko_actor_info_get_mailbox_depth:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:mailbox-depth].
 *
 * Returns: the events that waited in the mailbox when the list last looked
 */
guint
maiko_actor_info_get_mailbox_depth (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), 0);

  return self->mailbox_depth;
}

/**
 * maiko_actor_info_get_mailbox_capacity:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:mailbox-capacity].
 *
 * Returns: the mailbox's capacity
 */
guint
maiko_actor_info_get_mailbox_capacity (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), 0);

  return self->mailbox_capacity;
}

/**
 * maiko_actor_info_get_handled_count:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:handled-count].
 *
 * Returns: the events handled when the list last looked
 */
guint64
maiko_actor_info_get_handled_count (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), 0);

  return self->handled_count;
}

/**
 * maiko_actor_info_get_restart_count:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:restart-count].
 *
 * Returns: the restarts when the list last looked
 */
guint
maiko_actor_info_get_restart_count (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), 0);

  return self->restart_count;
}

/**
 * maiko_actor_info_get_placement:
 * @self: an actor info
 *
 * Gets [property@Maiko.ActorInfo:placement].
 *
 * Returns: where the actor runs
 */
const char *
maiko_actor_info_get_placement (MaikoActorInfo *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_INFO (self), NULL);

  return self->placement;
}
