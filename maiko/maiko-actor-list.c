/* maiko-actor-list.c: the live view of a supervisor's actors
 *
 * SPDX-License-Identifier: MIT
 *
 * The list polls. On a timeout in the context of the thread that made it,
 * it takes the supervisor's actors (one lock), matches them to its items
 * by name, emits items-changed for the actors that came and went, and
 * reads each actor's counters (atomic loads) into its item, which
 * notifies what changed. The runtime does nothing for the list: no hook
 * per event or per actor, so a runtime that nobody watches pays nothing,
 * and one that is watched pays one pass every refresh-interval.
 */

#include "config.h"

#include "maiko-actor-info-private.h"
#include "maiko-actor-list.h"
#include "maiko-supervisor-private.h"

/**
 * MaikoActorList:
 *
 * A live view of the actors of a [class@Maiko.Supervisor]: a
 * [iface@Gio.ListModel] of [class@Maiko.ActorInfo], one item per actor,
 * in the order they were added. Get one with
 * [method@Maiko.Supervisor.get_actors].
 *
 * The list belongs to the thread that made it, and to the thread-default
 * main context that was current there (the main loop, for a GUI): it
 * emits [signal@Gio.ListModel::items-changed] and its items' `notify`
 * signals only there, while that context runs, at most every
 * [property@Maiko.ActorList:refresh-interval] milliseconds. An actor that
 * is added gets an item; one that is removed loses it; a restart keeps
 * the item (its [property@Maiko.ActorInfo:restart-count] grows). An actor
 * removed and added again under the same name between two looks keeps
 * its item too. Actors that end stay in the list, as the supervisor
 * keeps them, until they are removed.
 *
 * The list does not keep its supervisor alive. Once the supervisor is
 * finalized, the list empties itself at its next look and stops looking.
 * A [`Gtk.ListView`](https://docs.gtk.org/gtk4/class.ListView.html) can
 * show the list as it is: see the [live view guide](live-view.html).
 */

struct _MaikoActorList
{
  GObject        parent_instance;

  /* Weak: a view must not keep the runtime alive. */
  GWeakRef       supervisor;
  GPtrArray     *items;              /* MaikoActorInfo*, owned, in the supervisor's order */
  /* The thread-default context of the thread that made the list, where
   * it looks and signals. */
  GMainContext  *context;
  GSource       *timer;              /* NULL once the supervisor is gone */
  guint          refresh_interval;   /* ms */
  /* A look is under way: a signal handler that asks for another one
   * while the items are being changed gets none. */
  gboolean       looking;
};

static void maiko_actor_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MaikoActorList, maiko_actor_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      maiko_actor_list_model_init))

enum {
  PROP_0,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel */

static GType
maiko_actor_list_get_item_type (GListModel *model)
{
  return MAIKO_TYPE_ACTOR_INFO;
}

static guint
maiko_actor_list_get_n_items (GListModel *model)
{
  return MAIKO_ACTOR_LIST (model)->items->len;
}

static gpointer
maiko_actor_list_get_item (GListModel *model,
                           guint       position)
{
  MaikoActorList *self = MAIKO_ACTOR_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
maiko_actor_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = maiko_actor_list_get_item_type;
  iface->get_n_items = maiko_actor_list_get_n_items;
  iface->get_item = maiko_actor_list_get_item;
}

/* Following the supervisor */

static const char *
item_name (MaikoActorList *self,
           guint           position)
{
  return maiko_actor_info_get_name (g_ptr_array_index (self->items, position));
}

/* Removes the items whose actor is not in @names, one signal per run. */
static void
remove_gone (MaikoActorList *self,
             GHashTable     *names)
{
  guint i = 0;

  while (i < self->items->len)
    {
      guint n = 0;

      while (i + n < self->items->len && !g_hash_table_contains (names, item_name (self, i + n)))
        n++;
      if (n == 0)
        {
          i++;
          continue;
        }
      g_ptr_array_remove_range (self->items, i, n);
      g_list_model_items_changed (G_LIST_MODEL (self), i, n, 0);
    }
}

/* Empties the list, in one signal. */
static void
remove_all (MaikoActorList *self)
{
  guint n = self->items->len;

  if (n == 0)
    return;
  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/* Whether the items that remain are in the order of @actors: the
 * supervisor only appends, removes and replaces in place, so they are,
 * but a list that finds otherwise starts afresh rather than lie. */
static gboolean
follows_order (MaikoActorList *self,
               GPtrArray      *actors)
{
  guint k = 0;

  for (guint j = 0; j < actors->len && k < self->items->len; j++)
    if (maiko_actor_get_name (g_ptr_array_index (actors, j)) == item_name (self, k))
      k++;

  return k == self->items->len;
}

/* Walks @actors and the items together: updates the items of known
 * actors, inserts items for new ones, one signal per run. */
static void
add_new_and_update (MaikoActorList *self,
                    GPtrArray      *actors)
{
  guint k = 0;
  guint j = 0;

  while (j < actors->len)
    {
      guint n = 0;

      if (k < self->items->len &&
          maiko_actor_get_name (g_ptr_array_index (actors, j)) == item_name (self, k))
        {
          _maiko_actor_info_update (g_ptr_array_index (self->items, k++),
                                    g_ptr_array_index (actors, j++));
          continue;
        }
      /* New ones until the next known one. */
      while (j + n < actors->len &&
             (k + n >= self->items->len ||
              maiko_actor_get_name (g_ptr_array_index (actors, j + n)) != item_name (self, k + n)))
        {
          g_ptr_array_insert (self->items, k + n,
                              _maiko_actor_info_new (g_ptr_array_index (actors, j + n)));
          n++;
        }
      g_list_model_items_changed (G_LIST_MODEL (self), k, 0, n);
      k += n;
      j += n;
    }
}

/* Brings the items in line with @actors, the supervisor's now. */
static void
follow (MaikoActorList *self,
        GPtrArray      *actors)
{
  g_autoptr(GHashTable) names = g_hash_table_new (NULL, NULL);

  /* Names are interned: pointers compare them. */
  for (guint i = 0; i < actors->len; i++)
    g_hash_table_add (names, (gpointer) maiko_actor_get_name (g_ptr_array_index (actors, i)));

  remove_gone (self, names);
  if (!follows_order (self, actors))
    remove_all (self);
  add_new_and_update (self, actors);
}

static void
stop_timer (MaikoActorList *self)
{
  if (self->timer == NULL)
    return;
  g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

/* One look at the supervisor; returns %FALSE once it is gone. */
static gboolean
look (MaikoActorList *self)
{
  g_autoptr(MaikoSupervisor) supervisor = g_weak_ref_get (&self->supervisor);
  g_autoptr(GPtrArray) actors = NULL;

  if (self->looking)
    return TRUE;
  /* A handler may drop the last reference to the list. */
  g_object_ref (self);
  self->looking = TRUE;
  if (supervisor != NULL)
    {
      actors = _maiko_supervisor_dup_actors (supervisor);
      follow (self, actors);
    }
  else
    remove_all (self);
  self->looking = FALSE;
  g_object_unref (self);

  return supervisor != NULL;
}

static gboolean
on_timer (gpointer data)
{
  g_autoptr(MaikoActorList) self = g_object_ref (data);

  if (look (self))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
start_timer (MaikoActorList *self)
{
  self->timer = g_timeout_source_new (self->refresh_interval);
  g_source_set_name (self->timer, "Maiko actor list");
  /* The list owns the source and destroys it as it goes: no reference. */
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_attach (self->timer, self->context);
}

/* GObject */

static void
maiko_actor_list_finalize (GObject *object)
{
  MaikoActorList *self = MAIKO_ACTOR_LIST (object);

  stop_timer (self);
  g_weak_ref_clear (&self->supervisor);
  g_ptr_array_unref (self->items);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (maiko_actor_list_parent_class)->finalize (object);
}

static void
maiko_actor_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MaikoActorList *self = MAIKO_ACTOR_LIST (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_actor_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MaikoActorList *self = MAIKO_ACTOR_LIST (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      maiko_actor_list_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_actor_list_class_init (MaikoActorListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = maiko_actor_list_finalize;
  object_class->get_property = maiko_actor_list_get_property;
  object_class->set_property = maiko_actor_list_set_property;

  /**
   * MaikoActorList:refresh-interval:
   *
   * How often the list looks at the runtime, in milliseconds: the items
   * and their properties change, and signal, at most this often. At
   * least [const@Maiko.ACTOR_LIST_MIN_REFRESH_INTERVAL].
   */
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL,
                       MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL, G_MAXINT,
                       MAIKO_ACTOR_LIST_DEFAULT_REFRESH_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_actor_list_init (MaikoActorList *self)
{
  g_weak_ref_init (&self->supervisor, NULL);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
  self->refresh_interval = MAIKO_ACTOR_LIST_DEFAULT_REFRESH_INTERVAL;
}

/**
 * maiko_supervisor_get_actors:
 * @self: a supervisor
 *
 * Makes a live view of the supervisor's actors: a list model of
 * [class@Maiko.ActorInfo] that follows the actors as they come, go,
 * restart and work (see [class@Maiko.ActorList]). It is filled at once;
 * it then looks at the runtime every
 * [property@Maiko.ActorList:refresh-interval] milliseconds in the
 * thread-default main context of the calling thread, and signals there.
 *
 * Each call makes a new list, with its own items and interval, bound to
 * the calling thread. A list costs the runtime nothing between its looks;
 * drop it when nobody looks at it any more, which stops its timer.
 *
 * Returns: (transfer full) (type Maiko.ActorList): a new list of
 *   [class@Maiko.ActorInfo]
 */
GListModel *
maiko_supervisor_get_actors (MaikoSupervisor *self)
{
  MaikoActorList *list;

  g_return_val_if_fail (MAIKO_IS_SUPERVISOR (self), NULL);

  list = g_object_new (MAIKO_TYPE_ACTOR_LIST, NULL);
  g_weak_ref_set (&list->supervisor, self);
  look (list);
  start_timer (list);

  return G_LIST_MODEL (list);
}

/**
 * maiko_actor_list_get_refresh_interval:
 * @self: an actor list
 *
 * Gets [property@Maiko.ActorList:refresh-interval].
 *
 * Returns: how often the list looks at the runtime, in milliseconds
 */
guint
maiko_actor_list_get_refresh_interval (MaikoActorList *self)
{
  g_return_val_if_fail (MAIKO_IS_ACTOR_LIST (self), 0);

  return self->refresh_interval;
}

/**
 * maiko_actor_list_set_refresh_interval:
 * @self: an actor list
 * @milliseconds: how often the list looks at the runtime, at least
 *   [const@Maiko.ACTOR_LIST_MIN_REFRESH_INTERVAL]
 *
 * Sets [property@Maiko.ActorList:refresh-interval]: the next look comes
 * @milliseconds from now.
 */
void
maiko_actor_list_set_refresh_interval (MaikoActorList *self,
                                       guint           milliseconds)
{
  g_return_if_fail (MAIKO_IS_ACTOR_LIST (self));
  g_return_if_fail (milliseconds >= MAIKO_ACTOR_LIST_MIN_REFRESH_INTERVAL);
  g_return_if_fail (milliseconds <= G_MAXINT);

  if (self->refresh_interval == milliseconds)
    return;
  self->refresh_interval = milliseconds;
  /* A list whose supervisor is gone has nothing to look at. */
  if (self->timer != NULL)
    {
      stop_timer (self);
      start_timer (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

/**
 * maiko_actor_list_refresh:
 * @self: an actor list
 *
 * Looks at the runtime now, without waiting for the next look: a
 * program that has just added or removed actors sees the list follow at
 * once. Call it on the list's own thread.
 */
void
maiko_actor_list_refresh (MaikoActorList *self)
{
  g_return_if_fail (MAIKO_IS_ACTOR_LIST (self));

  if (!look (self))
    stop_timer (self);
}
