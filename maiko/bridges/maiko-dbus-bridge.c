/* maiko-dbus-bridge.c: topics carried over D-Bus
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-actor-private.h"
#include "maiko-bridge-private.h"
#include "maiko-dbus-bridge.h"
#include "maiko-error.h"
#include "maiko-supervisor.h"
#include "maiko-wire.h"

/**
 * MaikoDBusBridge:
 *
 * An actor that carries topics between processes over D-Bus.
 *
 * Each event on one of its exported topics becomes a D-Bus signal,
 * %MAIKO_DBUS_BRIDGE_SIGNAL of the interface %MAIKO_DBUS_BRIDGE_INTERFACE
 * on its object path, broadcast on its connection; its arguments are the
 * fields of the envelope in the wire form (see [func@Maiko.wire_to_variant]
 * and `docs/bridges.md`). Each such signal on one of its imported topics,
 * from any peer of the bus on the same object path, becomes a local event
 * again, with the id, parent id, sender, topic and timestamp it was sent
 * with: an event chain crosses processes.
 *
 * Add the bridge to a supervisor subscribed to its exported topics:
 *
 * ```c
 * const char *exported[] = { "notes", NULL };
 * const char *imported[] = { "commands", NULL };
 * g_autoptr(MaikoDBusBridge) bridge = maiko_dbus_bridge_new (NULL, NULL, exported, imported);
 *
 * maiko_supervisor_add_actor (sup, "dbus", MAIKO_ACTOR (bridge),
 *                             maiko_dbus_bridge_get_exported_topics (bridge), &error);
 * ```
 *
 * (It exports only its exported topics whatever it is subscribed to.)
 *
 * Events do not loop: a bridge exports only events made in its own
 * runtime, never one that came in through a bridge, and drops the signals
 * that it or another bridge of its runtime sent when the bus hands them
 * back. A signal that is not a wire
 * envelope, and an error of the bus, is counted in
 * [property@Maiko.DBusBridge:n-errors] and reported through
 * [signal@Maiko.Monitor::error]; the bridge goes on.
 *
 * The bridge receives signals on a thread of its own (and emits on its
 * actor's context): an imported event that waits for room in a full
 * mailbox (%MAIKO_OVERFLOW_POLICY_BLOCK) does not stop the exports, so an
 * actor that answers each import through the bridge cannot deadlock with
 * it.
 *
 * Once [method@Maiko.Supervisor.wait_ready] returns, the bus knows the
 * bridge's subscriptions: it receives every signal emitted afterwards.
 * On shutdown the bridge flushes its connection, so the signals of the
 * events it handled have left the process.
 */
struct _MaikoDBusBridge
{
  MaikoActor        parent_instance;

  /* Given, or the session bus once started; used on the actor's context. */
  GDBusConnection  *connection;
  char             *object_path;
  GStrv             exported_topics;
  GStrv             imported_topics;
  /* The exported topics as a set, or NULL when one of them is "*". */
  GHashTable       *exported_set;
  /* Put on every signal sent, to recognise ours when the bus hands them
   * back; see _maiko_bridge_new_origin(). */
  char             *origin;
  /* The signal subscriptions, made in on_start and dropped in
   * on_shutdown. */
  GArray           *subscriptions;
  /* Where GDBus calls on_signal(): a thread of the bridge's own, so that
   * publishing an import that waits for room (BLOCK) never stops the
   * bridge from draining its mailbox. On the actor's context, an actor
   * that answers each import with an export would deadlock with it once
   * both mailboxes are full. */
  GMainContext     *import_context;
  GThread          *import_thread;
  gint              import_quit;        /* atomic */
  /* The supervisor, compared only: see _maiko_bridge_register_origin().
   * Set while the bridge runs. */
  gconstpointer     runtime;

  /* Atomic: read from any thread. */
  guint             n_exported;
  guint             n_imported;
  guint             n_errors;
};

G_DEFINE_FINAL_TYPE (MaikoDBusBridge, maiko_dbus_bridge, MAIKO_TYPE_ACTOR)

enum
{
  PROP_0,
  PROP_CONNECTION,
  PROP_OBJECT_PATH,
  PROP_EXPORTED_TOPICS,
  PROP_IMPORTED_TOPICS,
  PROP_ORIGIN,
  PROP_N_EXPORTED,
  PROP_N_IMPORTED,
  PROP_N_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
contains_all (const char * const *topics)
{
  return topics != NULL && g_strv_contains (topics, MAIKO_TOPIC_ALL);
}

static void
report (MaikoDBusBridge *self,
        const GError    *error)
{
  g_atomic_int_inc (&self->n_errors);
  _maiko_bridge_report_error (MAIKO_ACTOR (self), error);
}

static void
on_signal (GDBusConnection *connection,
           const char      *sender_name,
           const char      *object_path,
           const char      *interface_name,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         user_data)
{
  MaikoDBusBridge *self = user_data;
  g_autoptr(MaikoEnvelope) envelope = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;

  envelope = maiko_wire_from_variant (parameters, &origin, &error);
  if (envelope == NULL)
    {
      g_prefix_error (&error, "D-Bus signal from %s: ", sender_name != NULL ? sender_name : "(no sender)");
      report (self, error);
      return;
    }
  /* The bus hands our own broadcasts back to us when we import what we
   * export, and those of the other bridges of this runtime to us. */
  if (_maiko_bridge_origin_is_local (self->runtime, origin))
    return;

  if (!_maiko_bridge_publish (maiko_actor_get_context (MAIKO_ACTOR (self)), envelope, &error))
    {
      /* Signals keep coming while the runtime stops: not a fault. */
      if (g_error_matches (error, MAIKO_ERROR, MAIKO_ERROR_STOPPED))
        g_debug ("D-Bus bridge: dropped an event while stopping: %s", error->message);
      else
        report (self, error);
      return;
    }
  g_atomic_int_inc (&self->n_imported);
}

static gpointer
run_imports (gpointer data)
{
  MaikoDBusBridge *self = data;

  g_main_context_push_thread_default (self->import_context);
  while (!g_atomic_int_get (&self->import_quit))
    g_main_context_iteration (self->import_context, TRUE);
  g_main_context_pop_thread_default (self->import_context);

  return NULL;
}

static void
subscribe (MaikoDBusBridge *self,
           const char      *topic)
{
  guint id = g_dbus_connection_signal_subscribe (self->connection, NULL,
                                                 MAIKO_DBUS_BRIDGE_INTERFACE,
                                                 MAIKO_DBUS_BRIDGE_SIGNAL,
                                                 self->object_path,
                                                 topic, G_DBUS_SIGNAL_FLAGS_NONE,
                                                 on_signal, self, NULL);

  g_array_append_val (self->subscriptions, id);
}

/* The bus adds match rules in the order it reads a connection's messages:
 * once a call made after them returns, they are in place. */
static gboolean
sync_with_bus (MaikoDBusBridge  *self,
               GError          **error)
{
  g_autoptr(GVariant) reply = NULL;

  if (g_dbus_connection_get_unique_name (self->connection) == NULL)
    return TRUE;  /* a peer-to-peer connection: no bus in between */

  reply = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "GetId", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  return reply != NULL;
}

static gboolean
maiko_dbus_bridge_on_start (MaikoActor  *actor,
                            GError     **error)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (actor);

  if (!g_variant_is_object_path (self->object_path))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a D-Bus object path", self->object_path);
      return FALSE;
    }

  /* Here, on the actor's context: the session bus is the process's
   * shared connection, made on first use. */
  if (self->connection == NULL)
    {
      self->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
      if (self->connection == NULL)
        return FALSE;
    }

  self->runtime = _maiko_actor_get_supervisor (actor);
  _maiko_bridge_register_origin (self->runtime, self->origin);

  if (self->imported_topics == NULL || self->imported_topics[0] == NULL)
    return TRUE;

  /* GDBus calls back on the context that is thread-default when one
   * subscribes. One subscription per topic lets the bus filter (match
   * rules on arg0). */
  self->import_context = g_main_context_new ();
  g_main_context_push_thread_default (self->import_context);
  if (contains_all ((const char * const *) self->imported_topics))
    subscribe (self, NULL);
  else
    for (guint i = 0; self->imported_topics[i] != NULL; i++)
      subscribe (self, self->imported_topics[i]);
  g_main_context_pop_thread_default (self->import_context);
  self->import_thread = g_thread_new ("maiko-dbus-import", run_imports, self);

  return sync_with_bus (self, error);
}

static gboolean
is_exported (MaikoDBusBridge *self,
             const char      *topic)
{
  return self->exported_set == NULL || g_hash_table_contains (self->exported_set, topic);
}

static gboolean
maiko_dbus_bridge_handle_event (MaikoActor     *actor,
                                MaikoEnvelope  *envelope,
                                GError        **error)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (actor);
  g_autoptr(GVariant) wire = NULL;
  g_autoptr(GError) local_error = NULL;

  /* One hop: an event that came in through a bridge (this one or another)
   * is not sent out again, or two bridges would echo it for ever. */
  if (_maiko_bridge_get_origin (envelope) != NULL ||
      !is_exported (self, maiko_envelope_get_topic (envelope)))
    return TRUE;

  wire = maiko_wire_to_variant (envelope, self->origin);
  if (!g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                      MAIKO_DBUS_BRIDGE_INTERFACE, MAIKO_DBUS_BRIDGE_SIGNAL,
                                      wire, &local_error))
    {
      g_prefix_error (&local_error, "D-Bus bridge could not export event %s: ",
                      maiko_envelope_get_id (envelope));
      report (self, local_error);
      return TRUE;
    }
  g_atomic_int_inc (&self->n_exported);

  return TRUE;
}

static void
maiko_dbus_bridge_on_shutdown (MaikoActor *actor)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (actor);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->subscriptions->len; i++)
    g_dbus_connection_signal_unsubscribe (self->connection,
                                          g_array_index (self->subscriptions, guint, i));
  g_array_set_size (self->subscriptions, 0);
  /* GDBus calls no callback of a subscription once it is dropped; the
   * one that runs, if any, ends before the join. */
  if (self->import_thread != NULL)
    {
      g_atomic_int_set (&self->import_quit, TRUE);
      g_main_context_wakeup (self->import_context);
      g_thread_join (g_steal_pointer (&self->import_thread));
    }
  g_clear_pointer (&self->import_context, g_main_context_unref);
  if (self->runtime != NULL)
    _maiko_bridge_unregister_origin (self->origin);

  /* GDBus writes on a thread of its own: the signals of the events we
   * handled leave before the runtime says it has stopped. */
  if (self->connection != NULL && !g_dbus_connection_is_closed (self->connection) &&
      !g_dbus_connection_flush_sync (self->connection, NULL, &error))
    report (self, error);
}

static void
maiko_dbus_bridge_constructed (GObject *object)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (object);

  G_OBJECT_CLASS (maiko_dbus_bridge_parent_class)->constructed (object);

  if (self->object_path == NULL)
    self->object_path = g_strdup (MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH);
  if (!contains_all ((const char * const *) self->exported_topics))
    {
      self->exported_set = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; self->exported_topics != NULL && self->exported_topics[i] != NULL; i++)
        g_hash_table_add (self->exported_set, self->exported_topics[i]);
    }
  /* What it publishes locally, for the topology (to_json, to_mermaid). */
  if (self->imported_topics != NULL && !contains_all ((const char * const *) self->imported_topics))
    maiko_actor_set_publishes (MAIKO_ACTOR (self), (const char * const *) self->imported_topics);
}

static void
maiko_dbus_bridge_finalize (GObject *object)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (object);

  g_clear_object (&self->connection);
  g_free (self->object_path);
  g_strfreev (self->exported_topics);
  g_strfreev (self->imported_topics);
  g_clear_pointer (&self->exported_set, g_hash_table_unref);
  g_free (self->origin);
  g_array_unref (self->subscriptions);

  G_OBJECT_CLASS (maiko_dbus_bridge_parent_class)->finalize (object);
}

static void
maiko_dbus_bridge_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_OBJECT_PATH:
      g_value_set_string (value, self->object_path);
      break;
    case PROP_EXPORTED_TOPICS:
      g_value_set_boxed (value, self->exported_topics);
      break;
    case PROP_IMPORTED_TOPICS:
      g_value_set_boxed (value, self->imported_topics);
      break;
    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case PROP_N_EXPORTED:
      g_value_set_uint (value, maiko_dbus_bridge_get_n_exported (self));
      break;
    case PROP_N_IMPORTED:
      g_value_set_uint (value, maiko_dbus_bridge_get_n_imported (self));
      break;
    case PROP_N_ERRORS:
      g_value_set_uint (value, maiko_dbus_bridge_get_n_errors (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_dbus_bridge_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MaikoDBusBridge *self = MAIKO_DBUS_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_OBJECT_PATH:
      self->object_path = g_value_dup_string (value);
      break;
    case PROP_EXPORTED_TOPICS:
      self->exported_topics = g_value_dup_boxed (value);
      break;
    case PROP_IMPORTED_TOPICS:
      self->imported_topics = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_dbus_bridge_class_init (MaikoDBusBridgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags counter = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = maiko_dbus_bridge_constructed;
  object_class->finalize = maiko_dbus_bridge_finalize;
  object_class->get_property = maiko_dbus_bridge_get_property;
  object_class->set_property = maiko_dbus_bridge_set_property;

  actor_class->on_start = maiko_dbus_bridge_on_start;
  actor_class->handle_event = maiko_dbus_bridge_handle_event;
  actor_class->on_shutdown = maiko_dbus_bridge_on_shutdown;

  /**
   * MaikoDBusBridge:connection: (getter get_connection)
   *
   * The connection the bridge emits and receives signals on; %NULL until
   * the bridge starts means the session bus, which the bridge then gets
   * on its own context.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION, construct);

  /**
   * MaikoDBusBridge:object-path: (getter get_object_path)
   *
   * The object path of the signals, %MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH
   * unless given: bridges that talk to each other use the same one. A
   * string that is not an object path makes the bridge fail to start.
   */
  properties[PROP_OBJECT_PATH] =
    g_param_spec_string ("object-path", NULL, NULL, NULL, construct);

  /**
   * MaikoDBusBridge:exported-topics: (getter get_exported_topics)
   *
   * The local topics whose events the bridge emits as signals;
   * %MAIKO_TOPIC_ALL among them means every topic it receives.
   */
  properties[PROP_EXPORTED_TOPICS] =
    g_param_spec_boxed ("exported-topics", NULL, NULL, G_TYPE_STRV, construct);

  /**
   * MaikoDBusBridge:imported-topics: (getter get_imported_topics)
   *
   * The topics whose signals the bridge publishes locally;
   * %MAIKO_TOPIC_ALL among them means every topic.
   */
  properties[PROP_IMPORTED_TOPICS] =
    g_param_spec_boxed ("imported-topics", NULL, NULL, G_TYPE_STRV, construct);

  /**
   * MaikoDBusBridge:origin: (getter get_origin)
   *
   * The origin the bridge puts on the signals it emits: a random UUID,
   * unique to this bridge.
   */
  properties[PROP_ORIGIN] =
    g_param_spec_string ("origin", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MaikoDBusBridge:n-exported: (getter get_n_exported)
   *
   * How many events the bridge has emitted as signals. It changes on the
   * bridge's thread, without notification: read it when needed.
   */
  properties[PROP_N_EXPORTED] =
    g_param_spec_uint ("n-exported", NULL, NULL, 0, G_MAXUINT, 0, counter);

  /**
   * MaikoDBusBridge:n-imported: (getter get_n_imported)
   *
   * How many signals the bridge has published as local events, without
   * notification.
   */
  properties[PROP_N_IMPORTED] =
    g_param_spec_uint ("n-imported", NULL, NULL, 0, G_MAXUINT, 0, counter);

  /**
   * MaikoDBusBridge:n-errors: (getter get_n_errors)
   *
   * How many failures the bridge went on after: signals that were not wire
   * envelopes, signals it could not publish, events it could not emit.
   * Each was also reported through [signal@Maiko.Monitor::error]. Without
   * notification.
   */
  properties[PROP_N_ERRORS] =
    g_param_spec_uint ("n-errors", NULL, NULL, 0, G_MAXUINT, 0, counter);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_dbus_bridge_init (MaikoDBusBridge *self)
{
  self->origin = _maiko_bridge_new_origin ();
  self->subscriptions = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * maiko_dbus_bridge_new:
 * @connection: (nullable): the connection to use, or %NULL for the session
 *   bus
 * @object_path: (nullable): the object path of the signals, or %NULL for
 *   %MAIKO_DBUS_BRIDGE_DEFAULT_OBJECT_PATH
 * @exported_topics: (nullable) (array zero-terminated=1): the local topics
 *   to emit as signals
 * @imported_topics: (nullable) (array zero-terminated=1): the topics whose
 *   signals to publish locally
 *
 * Creates a D-Bus bridge. Add it to a supervisor subscribed to
 * @exported_topics.
 *
 * Returns: (transfer full): a new bridge
 */
MaikoDBusBridge *
maiko_dbus_bridge_new (GDBusConnection    *connection,
                       const char         *object_path,
                       const char * const *exported_topics,
                       const char * const *imported_topics)
{
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (MAIKO_TYPE_DBUS_BRIDGE,
                       "connection", connection,
                       "object-path", object_path,
                       "exported-topics", exported_topics,
                       "imported-topics", imported_topics,
                       NULL);
}

/**
 * maiko_dbus_bridge_get_connection:
 * @self: a bridge
 *
 * Gets the bridge's connection.
 *
 * Returns: (transfer none) (nullable): the connection, or %NULL for the
 *   session bus before the bridge has started
 */
GDBusConnection *
maiko_dbus_bridge_get_connection (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), NULL);

  return self->connection;
}

/**
 * maiko_dbus_bridge_get_object_path:
 * @self: a bridge
 *
 * Gets the object path of the bridge's signals.
 *
 * Returns: the object path
 */
const char *
maiko_dbus_bridge_get_object_path (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), NULL);

  return self->object_path;
}

/**
 * maiko_dbus_bridge_get_exported_topics:
 * @self: a bridge
 *
 * Gets the topics the bridge exports, to subscribe it to them.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   exported topics
 */
const char * const *
maiko_dbus_bridge_get_exported_topics (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), NULL);

  return (const char * const *) self->exported_topics;
}

/**
 * maiko_dbus_bridge_get_imported_topics:
 * @self: a bridge
 *
 * Gets the topics the bridge imports.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   imported topics
 */
const char * const *
maiko_dbus_bridge_get_imported_topics (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), NULL);

  return (const char * const *) self->imported_topics;
}

/**
 * maiko_dbus_bridge_get_origin:
 * @self: a bridge
 *
 * Gets the origin the bridge puts on its signals.
 *
 * Returns: the origin, a UUID
 */
const char *
maiko_dbus_bridge_get_origin (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), NULL);

  return self->origin;
}

/**
 * maiko_dbus_bridge_get_n_exported:
 * @self: a bridge
 *
 * Gets how many events the bridge has emitted as signals.
 *
 * Returns: the number of events exported
 */
guint
maiko_dbus_bridge_get_n_exported (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), 0);

  return g_atomic_int_get (&self->n_exported);
}

/**
 * maiko_dbus_bridge_get_n_imported:
 * @self: a bridge
 *
 * Gets how many signals the bridge has published as local events.
 *
 * Returns: the number of events imported
 */
guint
maiko_dbus_bridge_get_n_imported (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), 0);

  return g_atomic_int_get (&self->n_imported);
}

/**
 * maiko_dbus_bridge_get_n_errors:
 * @self: a bridge
 *
 * Gets how many failures the bridge went on after.
 *
 * Returns: the number of errors counted
 */
guint
maiko_dbus_bridge_get_n_errors (MaikoDBusBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_DBUS_BRIDGE (self), 0);

  return g_atomic_int_get (&self->n_errors);
}
