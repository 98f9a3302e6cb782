/* maiko-topology.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "maiko-actor-private.h"
#include "maiko-topology-private.h"

/*
 * A topology is a model built once from a snapshot of the supervisor and
 * then rendered: every list in it is in its final order, so that the same
 * actors and policies always give the same text, byte for byte (the golden
 * files of tests/topology rely on it). Actors keep the order they were
 * added in; topics, and each actor's topics, are sorted by name.
 */

typedef struct
{
  const char          *name;          /* interned by the supervisor */
  guint                index;         /* position in the order added */
  gboolean             all_topics;
  GPtrArray           *subscribes;    /* TopicInfo*, sorted; empty if all_topics */
  GPtrArray           *publishes;     /* TopicInfo*, sorted */
} ActorInfo;

typedef struct
{
  char                *name;
  MaikoOverflowPolicy  policy;
  GPtrArray           *publishers;    /* ActorInfo*, in the order added */
  GPtrArray           *subscribers;   /* ActorInfo*, in the order added, "*" ones too */
} TopicInfo;

struct _MaikoTopology
{
  GPtrArray *actors;                  /* ActorInfo*, owned, in the order added */
  GPtrArray *topics;                  /* TopicInfo*, owned, sorted by name */
};

typedef struct
{
  ActorInfo *from;
  ActorInfo *to;
  TopicInfo *topic;
} Edge;

static void
actor_info_free (ActorInfo *actor)
{
  g_ptr_array_unref (actor->subscribes);
  g_ptr_array_unref (actor->publishes);
  g_free (actor);
}

static void
topic_info_free (TopicInfo *topic)
{
  g_free (topic->name);
  g_ptr_array_unref (topic->publishers);
  g_ptr_array_unref (topic->subscribers);
  g_free (topic);
}

/* The topic called @name, added to the topology the first time. */
static TopicInfo *
ensure_topic (MaikoTopology *self,
              GHashTable    *by_name,
              const char    *name)
{
  TopicInfo *topic = g_hash_table_lookup (by_name, name);

  if (topic == NULL)
    {
      topic = g_new0 (TopicInfo, 1);
      topic->name = g_strdup (name);
      topic->policy = MAIKO_OVERFLOW_POLICY_FAIL;
      topic->publishers = g_ptr_array_new ();
      topic->subscribers = g_ptr_array_new ();
      g_ptr_array_add (self->topics, topic);
      g_hash_table_insert (by_name, topic->name, topic);
    }

  return topic;
}

static gint
compare_topics (gconstpointer a,
                gconstpointer b)
{
  const TopicInfo *ta = *(TopicInfo * const *) a;
  const TopicInfo *tb = *(TopicInfo * const *) b;

  return strcmp (ta->name, tb->name);
}

/* Sorted, each topic once: an actor may name a topic twice. */
static GPtrArray *
collect_topics (MaikoTopology      *self,
                GHashTable         *by_name,
                const char * const *names)
{
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      TopicInfo *topic = ensure_topic (self, by_name, names[i]);

      if (!g_ptr_array_find (result, topic, NULL))
        g_ptr_array_add (result, topic);
    }
  g_ptr_array_sort (result, compare_topics);

  return result;
}

static ActorInfo *
actor_info_new (MaikoTopology *self,
                GHashTable    *by_name,
                MaikoActor    *actor,
                guint          index)
{
  ActorInfo *info = g_new0 (ActorInfo, 1);

  info->name = maiko_actor_get_name (actor);
  info->index = index;
  info->all_topics = _maiko_actor_subscribes_all (actor);
  info->subscribes = collect_topics (self, by_name, _maiko_actor_get_topics (actor));
  info->publishes = collect_topics (self, by_name, maiko_actor_get_publishes (actor));

  return info;
}

/* Fills each topic's publishers and subscribers, walking the actors in the
 * order added so that those lists keep it. */
static void
link_actors (MaikoTopology *self)
{
  for (guint i = 0; i < self->actors->len; i++)
    {
      ActorInfo *actor = g_ptr_array_index (self->actors, i);
      GPtrArray *subscribes = actor->all_topics ? self->topics : actor->subscribes;

      for (guint j = 0; j < actor->publishes->len; j++)
        g_ptr_array_add (((TopicInfo *) g_ptr_array_index (actor->publishes, j))->publishers, actor);
      for (guint j = 0; j < subscribes->len; j++)
        g_ptr_array_add (((TopicInfo *) g_ptr_array_index (subscribes, j))->subscribers, actor);
    }
}

MaikoTopology *
_maiko_topology_new (GPtrArray  *actors,
                     GHashTable *policies)
{
  MaikoTopology *self = g_new0 (MaikoTopology, 1);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  self->actors = g_ptr_array_new_full (actors->len, (GDestroyNotify) actor_info_free);
  self->topics = g_ptr_array_new_with_free_func ((GDestroyNotify) topic_info_free);

  g_hash_table_iter_init (&iter, policies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    ensure_topic (self, by_name, key)->policy = GPOINTER_TO_INT (value);
  for (guint i = 0; i < actors->len; i++)
    g_ptr_array_add (self->actors, actor_info_new (self, by_name, g_ptr_array_index (actors, i), i));
  g_ptr_array_sort (self->topics, compare_topics);

  link_actors (self);

  return self;
}

void
_maiko_topology_free (MaikoTopology *self)
{
  g_ptr_array_unref (self->actors);
  g_ptr_array_unref (self->topics);
  g_free (self);
}

/* Edges are ordered by publisher, then subscriber (both in the order
 * added), then topic name. */
static gint
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const Edge *ea = a;
  const Edge *eb = b;

  if (ea->from->index != eb->from->index)
    return ea->from->index < eb->from->index ? -1 : 1;
  if (ea->to->index != eb->to->index)
    return ea->to->index < eb->to->index ? -1 : 1;
  return strcmp (ea->topic->name, eb->topic->name);
}

/* One edge per publisher, subscriber and topic; an actor never receives
 * its own events, so it has no edge to itself. */
static GArray *
collect_edges (MaikoTopology *self)
{
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (Edge));

  for (guint i = 0; i < self->topics->len; i++)
    {
      TopicInfo *topic = g_ptr_array_index (self->topics, i);

      for (guint p = 0; p < topic->publishers->len; p++)
        for (guint s = 0; s < topic->subscribers->len; s++)
          {
            Edge edge = { g_ptr_array_index (topic->publishers, p),
                          g_ptr_array_index (topic->subscribers, s),
                          topic };

            if (edge.from != edge.to)
              g_array_append_val (edges, edge);
          }
    }
  g_array_sort (edges, compare_edges);

  return edges;
}

/* JSON */

/* The words of the JSON format; they stay even if the enum is renamed. */
static const char *
policy_name (MaikoOverflowPolicy policy)
{
  switch (policy)
    {
    case MAIKO_OVERFLOW_POLICY_DROP:
      return "drop";
    case MAIKO_OVERFLOW_POLICY_BLOCK:
      return "block";
    case MAIKO_OVERFLOW_POLICY_FAIL:
    default:
      return "fail";
    }
}

static void
add_topic_names (JsonBuilder *builder,
                 const char  *member,
                 GPtrArray   *topics)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < topics->len; i++)
    json_builder_add_string_value (builder, ((TopicInfo *) g_ptr_array_index (topics, i))->name);
  json_builder_end_array (builder);
}

static void
add_actor_names (JsonBuilder *builder,
                 const char  *member,
                 GPtrArray   *actors)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < actors->len; i++)
    json_builder_add_string_value (builder, ((ActorInfo *) g_ptr_array_index (actors, i))->name);
  json_builder_end_array (builder);
}

static void
add_actors (JsonBuilder   *builder,
            MaikoTopology *self)
{
  json_builder_set_member_name (builder, "actors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->actors->len; i++)
    {
      ActorInfo *actor = g_ptr_array_index (self->actors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, actor->name);
      if (actor->all_topics)
        {
          json_builder_set_member_name (builder, "subscribes");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, MAIKO_TOPIC_ALL);
          json_builder_end_array (builder);
        }
      else
        add_topic_names (builder, "subscribes", actor->subscribes);
      add_topic_names (builder, "publishes", actor->publishes);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_topics (JsonBuilder   *builder,
            MaikoTopology *self)
{
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->topics->len; i++)
    {
      TopicInfo *topic = g_ptr_array_index (self->topics, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, topic->name);
      json_builder_set_member_name (builder, "policy");
      json_builder_add_string_value (builder, policy_name (topic->policy));
      add_actor_names (builder, "publishers", topic->publishers);
      add_actor_names (builder, "subscribers", topic->subscribers);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_edges (JsonBuilder   *builder,
           MaikoTopology *self)
{
  g_autoptr(GArray) edges = collect_edges (self);

  json_builder_set_member_name (builder, "edges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < edges->len; i++)
    {
      Edge *edge = &g_array_index (edges, Edge, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, edge->from->name);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, edge->to->name);
      json_builder_set_member_name (builder, "topic");
      json_builder_add_string_value (builder, edge->topic->name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

char *
_maiko_topology_to_json (MaikoTopology *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_actors (builder, self);
  add_topics (builder, self);
  add_edges (builder, self);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  /* A text file ends with a newline: the result can be saved as it is. */
  return g_strconcat (text, "\n", NULL);
}

/* Mermaid */

/* A node id made of the name's ASCII letters and digits, every other
 * character an underscore, behind a prefix that keeps it off Mermaid's
 * keywords ("end", "graph"); a number is appended if another node already
 * took it. */
static char *
node_id (const char *prefix,
         const char *name,
         GHashTable *taken)
{
  GString *id = g_string_new (prefix);
  gsize base_len;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_c (id, g_ascii_isalnum (*p) ? *p : '_');

  base_len = id->len;
  for (guint n = 2; g_hash_table_contains (taken, id->str); n++)
    {
      g_string_truncate (id, base_len);
      g_string_append_printf (id, "_%u", n);
    }
  g_hash_table_add (taken, g_strdup (id->str));

  return g_string_free (id, FALSE);
}

/* A quoted label shows any text: numeric entity codes (`#34;`) stand for
 * the characters that would end the quotes, start an entity or be read as
 * HTML or Markdown, and for control characters, which would break the
 * line. */
static void
append_label (GString    *out,
              const char *name)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f || strchr ("\"#&<>`", *p) != NULL)
        g_string_append_printf (out, "#%u;", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
_maiko_topology_to_mermaid (MaikoTopology *self)
{
  GString *out = g_string_new ("flowchart LR\n");
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 0; i < self->actors->len; i++)
    {
      ActorInfo *actor = g_ptr_array_index (self->actors, i);
      char *id = node_id ("actor_", actor->name, taken);

      g_hash_table_insert (ids, actor, id);
      g_string_append_printf (out, "  %s[", id);
      append_label (out, actor->name);
      g_string_append (out, "]\n");
    }

  for (guint i = 0; i < self->topics->len; i++)
    {
      TopicInfo *topic = g_ptr_array_index (self->topics, i);
      char *id = node_id ("topic_", topic->name, taken);

      g_hash_table_insert (ids, topic, id);
      g_string_append_printf (out, "  %s([", id);
      append_label (out, topic->name);
      g_string_append (out, "])\n");
    }

  /* Per topic: who publishes on it, then who receives it, labelled with
   * the policy of the delivery unless it is the default. */
  for (guint i = 0; i < self->topics->len; i++)
    {
      TopicInfo *topic = g_ptr_array_index (self->topics, i);
      const char *id = g_hash_table_lookup (ids, topic);
      g_autofree char *arrow = topic->policy == MAIKO_OVERFLOW_POLICY_FAIL
                               ? g_strdup ("-->")
                               : g_strdup_printf ("-->|%s|", policy_name (topic->policy));

      for (guint j = 0; j < topic->publishers->len; j++)
        g_string_append_printf (out, "  %s --> %s\n",
                                (char *) g_hash_table_lookup (ids, g_ptr_array_index (topic->publishers, j)),
                                id);
      for (guint j = 0; j < topic->subscribers->len; j++)
        g_string_append_printf (out, "  %s %s %s\n", id, arrow,
                                (char *) g_hash_table_lookup (ids, g_ptr_array_index (topic->subscribers, j)));
    }

  return g_string_free (out, FALSE);
}
