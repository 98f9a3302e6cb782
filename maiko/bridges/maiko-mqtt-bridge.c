/* maiko-mqtt-bridge.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <mosquitto.h>
#include <string.h>
#include <errno.h>

#include "maiko-actor-private.h"
#include "maiko-bridge-private.h"
#include "maiko-enum-types.h"
#include "maiko-error.h"
#include "maiko-mqtt-bridge.h"
#include "maiko-supervisor-private.h"
#include "maiko-wire.h"

/**
 * MaikoMqttBridge:
 *
 * An actor that carries topics between this process and an MQTT broker
 * (mosquitto, or a clustered broker such as EMQX or VerneMQ), through
 * libmosquitto.
 *
 * Each local topic of [property@Maiko.MqttBridge:exported-topics] is
 * published to the MQTT topic `PREFIX/TOPIC`; each topic of
 * [property@Maiko.MqttBridge:imported-topics] is subscribed to on the
 * broker and its messages become local events, with their id, parent id,
 * sender, topic and timestamp kept. Add the bridge with its exported topics
 * as its subscriptions:
 *
 * ```c
 * const char *out[] = { "readings", NULL };
 * const char *in[] = { "commands", NULL };
 * MaikoMqttBridge *bridge = maiko_mqtt_bridge_new ("127.0.0.1", 1883, out, in);
 *
 * maiko_supervisor_add_actor (sup, "mqtt", MAIKO_ACTOR (bridge),
 *                             maiko_mqtt_bridge_get_exported_topics (bridge), &error);
 * ```
 *
 * The libmosquitto socket is driven from the actor's own context (a
 * `GSource` on the socket, and a one-second timer for keep-alives): the
 * bridge adds no thread. Connecting (the first time, and after each loss
 * with a backoff from 50 ms doubling to 5 s) blocks the actor for as long
 * as the TCP connect takes.
 *
 * While it is not connected, the events to export wait in a queue of
 * [property@Maiko.MqttBridge:queue-capacity] events; when it is full, the
 * overflow policy of the event's topic decides, as for a mailbox: `DROP`
 * drops the event, `BLOCK` holds the bridge (and so, through its mailbox,
 * the senders) until it is connected again, `FAIL` stops the bridge.
 * Dropped events are counted ([property@Maiko.MqttBridge:dropped-count])
 * and reported to the monitors' [signal@Maiko.Monitor::overflow].
 *
 * Received events are de-duplicated by id over the last
 * [property@Maiko.MqttBridge:dedupe-capacity] ids, so QoS 1 redeliveries
 * reach the local actors once; events that this bridge published itself
 * are never imported again. A payload that is not an envelope of the wire
 * form, or that carries another topic than the one it came on, is counted
 * ([property@Maiko.MqttBridge:rejected-count]), reported through the
 * monitors' [signal@Maiko.Monitor::error], and the bridge goes on.
 *
 * The user name and password go to the broker only: never to logs, to the
 * tracer or to the recorder. docs/bridges.md has the delivery guarantees
 * of each QoS, TLS and the wire form.
 */

/* The reconnect backoff: doubling from the first to the last. */
#define RECONNECT_FIRST_MS 50
#define RECONNECT_LAST_MS 5000
/* How long on_shutdown waits for the broker to take what is still pending. */
#define SHUTDOWN_DRAIN_MS 5000
/* Packets read per socket dispatch at most, so the mailbox and the timers
 * get their turns under a steady inflow. */
#define READ_BATCH 256

/* The ids of the last imported events, to drop redeliveries. The set's keys
 * are the ring's strings. */
typedef struct
{
  GHashTable *set;
  char      **ring;
  guint       capacity;
  guint       next;
} RecentIds;

/* The source on the broker socket: its condition follows want_write. */
typedef struct
{
  GSource          source;
  MaikoMqttBridge *bridge;   /* unowned: the bridge destroys the source */
  gpointer         tag;
  GIOCondition     events;
} SocketSource;

struct _MaikoMqttBridge
{
  MaikoActor        parent_instance;

  /* Settings: construct properties, read-only afterwards. */
  char             *host;
  guint             port;
  char             *client_id;
  char             *topic_prefix;
  guint             qos;
  guint             keepalive;
  char             *username;
  char             *password;      /* wiped before it is freed */
  char             *tls_ca_file;
  char             *tls_cert_file;
  char             *tls_key_file;
  MaikoWireFormat   wire_format;
  GStrv             exported;
  GStrv             imported;
  guint             queue_capacity;
  guint             dedupe_capacity;
  guint             max_inflight;
  gint              clean_session; /* -1: clean unless a client id is given */

  /* Run state, touched on the actor's context only. */
  struct mosquitto *mosq;
  GMainContext     *context;
  GSource          *socket_source;
  GSource          *misc_source;
  GSource          *reconnect_source;
  guint             backoff_ms;
  gboolean          connect_called;   /* mosquitto_connect once, then reconnect */
  gboolean          failure_reported; /* one monitor error per outage */
  gboolean          shutting_down;
  char             *origin;
  GHashTable       *exported_map;     /* local topic -> MQTT topic */
  GHashTable       *imported_map;     /* MQTT topic -> local topic */
  GQueue            offline;          /* MaikoEnvelope*, owned */
  RecentIds         recent;

  /* Read from any thread. */
  gint              connected;
  guint             exported_count;
  guint             imported_count;
  guint             dropped_count;
  guint             rejected_count;
  guint             duplicate_count;
  guint             in_flight;        /* given to libmosquitto, not yet sent or acknowledged */
  guint             queued;           /* the length of offline */
};

G_DEFINE_FINAL_TYPE (MaikoMqttBridge, maiko_mqtt_bridge, MAIKO_TYPE_ACTOR)

enum
{
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_CLIENT_ID,
  PROP_TOPIC_PREFIX,
  PROP_QOS,
  PROP_KEEPALIVE,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TLS_CA_FILE,
  PROP_TLS_CERT_FILE,
  PROP_TLS_KEY_FILE,
  PROP_WIRE_FORMAT,
  PROP_EXPORTED_TOPICS,
  PROP_IMPORTED_TOPICS,
  PROP_QUEUE_CAPACITY,
  PROP_DEDUPE_CAPACITY,
  PROP_MAX_INFLIGHT,
  PROP_CLEAN_SESSION,
  PROP_CONNECTED,
  PROP_EXPORTED_COUNT,
  PROP_IMPORTED_COUNT,
  PROP_DROPPED_COUNT,
  PROP_REJECTED_COUNT,
  PROP_DUPLICATE_COUNT,
  PROP_PENDING_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void try_connect (MaikoMqttBridge *self);

/* Recent ids */

static void
recent_ids_init (RecentIds *recent,
                 guint      capacity)
{
  recent->set = g_hash_table_new (g_str_hash, g_str_equal);
  recent->ring = g_new0 (char *, capacity);
  recent->capacity = capacity;
  recent->next = 0;
}

static void
recent_ids_clear (RecentIds *recent)
{
  if (recent->ring == NULL)
    return;
  for (guint i = 0; i < recent->capacity; i++)
    g_free (recent->ring[i]);
  g_clear_pointer (&recent->ring, g_free);
  g_clear_pointer (&recent->set, g_hash_table_unref);
}

static gboolean
recent_ids_contains (RecentIds  *recent,
                     const char *id)
{
  return g_hash_table_contains (recent->set, id);
}

/* Returns FALSE if @id is among the recent ones already. */
static gboolean
recent_ids_add (RecentIds  *recent,
                const char *id)
{
  char **slot;

  if (recent_ids_contains (recent, id))
    return FALSE;
  slot = &recent->ring[recent->next];
  if (*slot != NULL)
    {
      g_hash_table_remove (recent->set, *slot);
      g_free (*slot);
    }
  *slot = g_strdup (id);
  g_hash_table_add (recent->set, *slot);
  recent->next = (recent->next + 1) % recent->capacity;
  return TRUE;
}

/* Reporting */

/* Monitors see the error; logs see it at debug level. Neither ever gets the
 * credentials: no message here is built from them. */
static void
report_error (MaikoMqttBridge *self,
              const GError    *error)
{
  MaikoActor *actor = MAIKO_ACTOR (self);
  MaikoSupervisor *supervisor = _maiko_actor_get_supervisor (actor);

  g_debug ("MQTT bridge “%s”: %s", maiko_actor_get_name (actor), error->message);
  if (supervisor != NULL)
    _maiko_supervisor_record (supervisor, MAIKO_RECORD_HOOK_ERROR, NULL,
                              maiko_actor_get_name (actor), error);
}

static void
reject (MaikoMqttBridge *self,
        const char      *mqtt_topic,
        GError          *error)
{
  g_atomic_int_inc (&self->rejected_count);
  g_prefix_error (&error, "Rejected a message on MQTT topic “%s”: ", mqtt_topic);
  report_error (self, error);
  g_error_free (error);
}

/* The socket */

static void
update_write_interest (MaikoMqttBridge *self)
{
  SocketSource *socket_source = (SocketSource *) self->socket_source;
  GIOCondition events;

  if (socket_source == NULL)
    return;
  events = G_IO_IN | (mosquitto_want_write (self->mosq) ? G_IO_OUT : 0);
  /* Only on a change: each modification wakes the context up. */
  if (events != socket_source->events)
    {
      g_source_modify_unix_fd (self->socket_source, socket_source->tag, events);
      socket_source->events = events;
    }
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gboolean
reconnect_cb (gpointer data)
{
  MaikoMqttBridge *self = data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  try_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (MaikoMqttBridge *self)
{
  if (self->shutting_down || self->reconnect_source != NULL)
    return;
  self->reconnect_source = g_timeout_source_new (self->backoff_ms);
  g_source_set_callback (self->reconnect_source, reconnect_cb, self, NULL);
  g_source_attach (self->reconnect_source, self->context);
  self->backoff_ms = MIN (self->backoff_ms * 2, RECONNECT_LAST_MS);
}

/* The connection is gone (libmosquitto closed the socket already). */
static void
connection_lost (MaikoMqttBridge *self,
                 int              rc)
{
  gboolean was_connected = g_atomic_int_exchange (&self->connected, FALSE);

  destroy_source (&self->socket_source);
  /* QoS 0 messages that libmosquitto held are gone with the socket. */
  if (self->qos == 0)
    g_atomic_int_set (&self->in_flight, 0);
  if (self->shutting_down)
    return;
  /* Closed before the broker answered counts as an outage too: a plain
   * client on a TLS listener sees only that. */
  if (!self->failure_reported)
    {
      g_autoptr(GError) error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                                             was_connected ? "Lost the MQTT connection to %s:%u: %s"
                                                           : "The MQTT broker at %s:%u closed the connection before it answered: %s",
                                             self->host, self->port, mosquitto_strerror (rc));
      report_error (self, error);
      self->failure_reported = TRUE;
    }
  schedule_reconnect (self);
}

/* mosquitto_loop_read() reads one packet when nothing waits to be sent
 * (the receiving side at QoS 1): one dispatch per event, and before each
 * the actor's poll function spins on its empty mailbox. Reading until the
 * socket would block costs nothing more per packet. libmosquitto leaves
 * errno at EAGAIN when it had to stop inside a packet, its TLS reads too
 * (where the kernel's count of bytes would miss what OpenSSL holds).
 * Returns FALSE in @drained after READ_BATCH packets with more to come. */
static int
read_packets (MaikoMqttBridge *self,
              GSource         *source,
              gboolean        *drained)
{
  int rc = MOSQ_ERR_SUCCESS;

  *drained = FALSE;
  for (guint i = 0; i < READ_BATCH && rc == MOSQ_ERR_SUCCESS && !*drained; i++)
    {
      errno = 0;
      rc = mosquitto_loop_read (self->mosq, 1);
      *drained = errno == EAGAIN || errno == EWOULDBLOCK ||
                 /* The disconnect callback ran. */
                 self->socket_source != source;
    }
  return rc;
}

static gboolean
socket_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  SocketSource *socket_source = (SocketSource *) source;
  MaikoMqttBridge *self = socket_source->bridge;
  GIOCondition revents = g_source_query_unix_fd (source, socket_source->tag);
  gboolean more = g_source_get_ready_time (source) != -1;
  gboolean drained = TRUE;
  int rc = MOSQ_ERR_SUCCESS;

  g_source_set_ready_time (source, -1);
  if (more || (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
    rc = read_packets (self, source, &drained);
  if (rc == MOSQ_ERR_SUCCESS && self->socket_source == source && (revents & G_IO_OUT))
    rc = mosquitto_loop_write (self->mosq, 1);
  /* libmosquitto's disconnect callback ran: the source is gone already. */
  if (self->socket_source != source)
    return G_SOURCE_REMOVE;
  if (rc != MOSQ_ERR_SUCCESS)
    {
      connection_lost (self, rc);
      return G_SOURCE_REMOVE;
    }
  /* A batch's worth was read: the rest after the other sources' turn. */
  if (!drained)
    g_source_set_ready_time (source, 0);
  update_write_interest (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs socket_source_funcs = {
  .dispatch = socket_source_dispatch,
};

static void
attach_socket_source (MaikoMqttBridge *self)
{
  GSource *source = g_source_new (&socket_source_funcs, sizeof (SocketSource));
  SocketSource *socket_source = (SocketSource *) source;

  socket_source->bridge = self;
  socket_source->events = G_IO_IN;
  socket_source->tag = g_source_add_unix_fd (source, mosquitto_socket (self->mosq), G_IO_IN);
  g_source_set_static_name (source, "[maiko] MQTT socket");
  g_source_attach (source, self->context);
  self->socket_source = source;
  update_write_interest (self);
}

/* Keep-alive pings and their timeouts. */
static gboolean
misc_cb (gpointer data)
{
  MaikoMqttBridge *self = data;

  if (self->socket_source != NULL)
    {
      int rc = mosquitto_loop_misc (self->mosq);

      if (rc != MOSQ_ERR_SUCCESS && self->socket_source != NULL)
        connection_lost (self, rc);
      update_write_interest (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
try_connect (MaikoMqttBridge *self)
{
  int rc;

  if (self->connect_called)
    rc = mosquitto_reconnect (self->mosq);
  else
    rc = mosquitto_connect (self->mosq, self->host, (int) self->port, (int) self->keepalive);
  self->connect_called = TRUE;

  if (rc != MOSQ_ERR_SUCCESS)
    {
      if (!self->failure_reported)
        {
          g_autoptr(GError) error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                                                 "Cannot connect to the MQTT broker at %s:%u: %s",
                                                 self->host, self->port,
                                                 rc == MOSQ_ERR_ERRNO ? g_strerror (errno)
                                                                      : mosquitto_strerror (rc));
          report_error (self, error);
          self->failure_reported = TRUE;
        }
      schedule_reconnect (self);
      return;
    }
  attach_socket_source (self);
}

/* Export */

static void
queue_push (MaikoMqttBridge *self,
            MaikoEnvelope   *envelope)
{
  g_queue_push_tail (&self->offline, maiko_envelope_ref (envelope));
  g_atomic_int_inc (&self->queued);
}

static gboolean
queue_has_room (MaikoMqttBridge *self)
{
  return g_queue_get_length (&self->offline) < self->queue_capacity;
}

/* At QoS 1 and 2 libmosquitto queues a message before it writes to the
 * socket, and sends what it holds again once reconnected: a write that
 * fails as the connection drops has not lost the message. */
static gboolean
kept_for_resend (MaikoMqttBridge *self,
                 int              rc)
{
  return self->qos > 0 && (rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO);
}

static gboolean
publish_envelope (MaikoMqttBridge *self,
                  MaikoEnvelope   *envelope)
{
  const char *mqtt_topic = g_hash_table_lookup (self->exported_map, maiko_envelope_get_topic (envelope));
  g_autoptr(GBytes) bytes = maiko_wire_encode (envelope, self->origin, self->wire_format);
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  int rc;

  g_atomic_int_inc (&self->in_flight);
  rc = mosquitto_publish (self->mosq, NULL, mqtt_topic, (int) size, data, (int) self->qos, false);
  if (rc == MOSQ_ERR_SUCCESS || kept_for_resend (self, rc))
    {
      g_atomic_int_inc (&self->exported_count);
      return TRUE;
    }
  g_atomic_int_add (&self->in_flight, -1);
  if (rc == MOSQ_ERR_NO_CONN)
    return FALSE;

  {
    g_autoptr(GError) error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                                           "Cannot publish event %s to MQTT topic “%s”: %s",
                                           maiko_envelope_get_id (envelope), mqtt_topic,
                                           mosquitto_strerror (rc));
    g_atomic_int_inc (&self->dropped_count);
    report_error (self, error);
  }
  return TRUE;
}

static void
flush_offline (MaikoMqttBridge *self)
{
  MaikoEnvelope *envelope;

  while (g_atomic_int_get (&self->connected) &&
         (envelope = g_queue_peek_head (&self->offline)) != NULL)
    {
      if (!publish_envelope (self, envelope))
        break;
      maiko_envelope_unref (g_queue_pop_head (&self->offline));
      g_atomic_int_add (&self->queued, -1);
    }
  update_write_interest (self);
}

/* Holds the context until the bridge is connected or has room again, or
 * the actor is asked to stop. The mailbox source is the one dispatching, so
 * only the socket, the timers and other sources run meanwhile. */
static void
wait_for_room (MaikoMqttBridge *self)
{
  while (!g_atomic_int_get (&self->connected) && !self->shutting_down &&
         !queue_has_room (self) &&
         !_maiko_actor_is_stop_requested (MAIKO_ACTOR (self)))
    g_main_context_iteration (self->context, TRUE);
}

/* The queue is full: the topic's policy decides. Returns FALSE to stop the
 * bridge (FAIL). */
static gboolean
overflow (MaikoMqttBridge *self,
          MaikoEnvelope   *envelope)
{
  MaikoActor *actor = MAIKO_ACTOR (self);
  MaikoSupervisor *supervisor = _maiko_actor_get_supervisor (actor);
  MaikoOverflowPolicy policy = maiko_supervisor_get_topic_policy (supervisor,
                                                                  maiko_envelope_get_topic (envelope));

  _maiko_supervisor_record_overflow (supervisor, envelope, maiko_actor_get_name (actor), policy);
  if (policy == MAIKO_OVERFLOW_POLICY_BLOCK)
    {
      wait_for_room (self);
      if (g_atomic_int_get (&self->connected) && publish_envelope (self, envelope))
        return TRUE;
      if (queue_has_room (self))
        {
          queue_push (self, envelope);
          return TRUE;
        }
    }
  g_atomic_int_inc (&self->dropped_count);
  return policy != MAIKO_OVERFLOW_POLICY_FAIL;
}

static gboolean
maiko_mqtt_bridge_handle_event (MaikoActor     *actor,
                                MaikoEnvelope  *envelope,
                                GError        **error)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (actor);

  /* Not ours to export, or an event that came through a bridge: an event
   * crosses one bridge, never back (docs/bridges.md, "Loop prevention"). */
  if (!g_hash_table_contains (self->exported_map, maiko_envelope_get_topic (envelope)) ||
      _maiko_bridge_get_origin (envelope) != NULL ||
      recent_ids_contains (&self->recent, maiko_envelope_get_id (envelope)))
    return TRUE;

  if (g_atomic_int_get (&self->connected) && g_queue_is_empty (&self->offline) &&
      publish_envelope (self, envelope))
    {
      update_write_interest (self);
      return TRUE;
    }
  if (queue_has_room (self))
    {
      queue_push (self, envelope);
      return TRUE;
    }
  if (!overflow (self, envelope))
    /* FAIL: the bridge stops without an error, as a full mailbox's actor. */
    maiko_context_stop (maiko_actor_get_context (actor));
  return TRUE;
}

/* Import */

static void
import_message (MaikoMqttBridge                *self,
                const struct mosquitto_message *message)
{
  const char *local_topic = g_hash_table_lookup (self->imported_map, message->topic);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MaikoEnvelope) envelope = NULL;
  g_autofree char *origin = NULL;
  GError *error = NULL;

  if (local_topic == NULL)
    return;
  bytes = g_bytes_new (message->payload, message->payloadlen);
  envelope = maiko_wire_decode (bytes, self->wire_format, &origin, &error);
  if (envelope == NULL)
    {
      reject (self, message->topic, error);
      return;
    }
  /* No echo: this bridge, or another bridge of this runtime, published it. */
  if (g_strcmp0 (origin, self->origin) == 0 ||
      _maiko_bridge_origin_is_local (_maiko_actor_get_supervisor (MAIKO_ACTOR (self)), origin))
    return;
  /* An envelope may not enter a local topic through another topic's
   * bridge: that would let any broker client reach any local topic. */
  if (g_strcmp0 (maiko_envelope_get_topic (envelope), local_topic) != 0)
    {
      reject (self, message->topic,
              g_error_new (MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                           "the envelope is for topic “%s”, not “%s”",
                           maiko_envelope_get_topic (envelope), local_topic));
      return;
    }
  if (!recent_ids_add (&self->recent, maiko_envelope_get_id (envelope)))
    {
      g_atomic_int_inc (&self->duplicate_count);
      return;
    }
  if (!_maiko_bridge_publish (maiko_actor_get_context (MAIKO_ACTOR (self)), envelope, &error))
    {
      report_error (self, error);
      g_error_free (error);
      return;
    }
  g_atomic_int_inc (&self->imported_count);
}

/* libmosquitto callbacks: all run inside mosquitto_loop_*(), on the
 * actor's context. */

static void
on_connect (struct mosquitto *mosq,
            void             *data,
            int               rc)
{
  MaikoMqttBridge *self = data;

  if (rc != 0 && self->failure_reported)
    return;
  if (rc != 0)
    {
      g_autoptr(GError) error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                                             "The MQTT broker at %s:%u refused the connection: %s",
                                             self->host, self->port, mosquitto_connack_string (rc));
      report_error (self, error);
      self->failure_reported = TRUE;
      return;
    }

  self->backoff_ms = RECONNECT_FIRST_MS;
  self->failure_reported = FALSE;
  if (self->imported[0] != NULL)
    {
      guint n;
      g_autofree gpointer topics = g_hash_table_get_keys_as_array (self->imported_map, &n);

      /* Connected once subscribed (on_subscribe): a peer that waits for
       * is_connected() may then publish to this bridge. */
      mosquitto_subscribe_multiple (mosq, NULL, (int) n, topics, (int) self->qos, 0, NULL);
      return;
    }
  g_atomic_int_set (&self->connected, TRUE);
  flush_offline (self);
}

static void
on_subscribe (struct mosquitto *mosq,
              void             *data,
              int               mid,
              int               n_granted,
              const int        *granted)
{
  MaikoMqttBridge *self = data;

  for (int i = 0; i < n_granted; i++)
    if (granted[i] > 2)
      {
        g_autoptr(GError) error = g_error_new (MAIKO_ERROR, MAIKO_ERROR_FAILED,
                                               "The MQTT broker at %s:%u refused a subscription",
                                               self->host, self->port);
        report_error (self, error);
      }
  g_atomic_int_set (&self->connected, TRUE);
  flush_offline (self);
}

static void
on_disconnect (struct mosquitto *mosq,
               void             *data,
               int               rc)
{
  MaikoMqttBridge *self = data;

  if (self->socket_source != NULL)
    connection_lost (self, rc);
}

static void
on_publish (struct mosquitto *mosq,
            void             *data,
            int               mid)
{
  MaikoMqttBridge *self = data;

  if (g_atomic_int_get (&self->in_flight) > 0)
    g_atomic_int_add (&self->in_flight, -1);
}

static void
on_message (struct mosquitto                *mosq,
            void                            *data,
            const struct mosquitto_message  *message)
{
  import_message (data, message);
}

/* Lifecycle */

static gpointer
init_libmosquitto (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

static gboolean
check_topics (const char * const  *topics,
              GError             **error)
{
  for (guint i = 0; topics[i] != NULL; i++)
    if (topics[i][0] == '\0' || strpbrk (topics[i], "+#") != NULL)
      {
        g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                     "The bridged topic “%s” is empty or holds an MQTT wildcard (+ or #)",
                     topics[i]);
        return FALSE;
      }
  return TRUE;
}

static void
map_topics (MaikoMqttBridge *self)
{
  for (guint i = 0; self->exported[i] != NULL; i++)
    g_hash_table_insert (self->exported_map, g_strdup (self->exported[i]),
                         g_strdup_printf ("%s/%s", self->topic_prefix, self->exported[i]));
  for (guint i = 0; self->imported[i] != NULL; i++)
    g_hash_table_insert (self->imported_map,
                         g_strdup_printf ("%s/%s", self->topic_prefix, self->imported[i]),
                         g_strdup (self->imported[i]));
}

static gboolean
configure_client (MaikoMqttBridge  *self,
                  GError          **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autofree char *generated_id = NULL;
  const char *client_id = self->client_id;
  gboolean clean = self->clean_session >= 0 ? self->clean_session : client_id == NULL;
  int rc;

  g_once (&once, init_libmosquitto, NULL);
  if (client_id == NULL)
    client_id = generated_id = g_strdup_printf ("maiko-%.8s", self->origin);
  self->mosq = mosquitto_new (client_id, clean, self);
  if (self->mosq == NULL)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_FAILED,
                   "Cannot make an MQTT client: %s", g_strerror (errno));
      return FALSE;
    }
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  mosquitto_publish_callback_set (self->mosq, on_publish);
  mosquitto_subscribe_callback_set (self->mosq, on_subscribe);
  mosquitto_message_callback_set (self->mosq, on_message);
  mosquitto_max_inflight_messages_set (self->mosq, self->max_inflight);

  if (self->username != NULL &&
      (rc = mosquitto_username_pw_set (self->mosq, self->username, self->password)) != MOSQ_ERR_SUCCESS)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "The MQTT credentials are not acceptable: %s", mosquitto_strerror (rc));
      return FALSE;
    }
  if ((self->tls_ca_file != NULL || self->tls_cert_file != NULL) &&
      (rc = mosquitto_tls_set (self->mosq, self->tls_ca_file, NULL, self->tls_cert_file,
                               self->tls_key_file, NULL)) != MOSQ_ERR_SUCCESS)
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "The MQTT TLS files are not acceptable: %s", mosquitto_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

static gboolean
maiko_mqtt_bridge_on_start (MaikoActor  *actor,
                            GError     **error)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (actor);

  if (!check_topics ((const char * const *) self->exported, error) ||
      !check_topics ((const char * const *) self->imported, error))
    return FALSE;

  self->context = g_main_context_ref_thread_default ();
  self->origin = _maiko_bridge_new_origin ();
  _maiko_bridge_register_origin (_maiko_actor_get_supervisor (actor), self->origin);
  self->backoff_ms = RECONNECT_FIRST_MS;
  recent_ids_init (&self->recent, self->dedupe_capacity);
  map_topics (self);
  if (!configure_client (self, error))
    return FALSE;

  self->misc_source = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->misc_source, misc_cb, self, NULL);
  g_source_attach (self->misc_source, self->context);
  try_connect (self);
  return TRUE;
}

static gboolean
drain_deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Gives the broker what is in flight, for a bounded time. A bridge that is
 * not connected does not wait for a reconnection: a stop would take as
 * long as the broker is away. */
static void
drain (MaikoMqttBridge *self)
{
  gboolean expired = FALSE;
  g_autoptr(GSource) deadline = g_timeout_source_new (SHUTDOWN_DRAIN_MS);

  g_source_set_callback (deadline, drain_deadline_cb, &expired, NULL);
  g_source_attach (deadline, self->context);
  while (!expired && g_atomic_int_get (&self->connected) && g_atomic_int_get (&self->in_flight) > 0)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (deadline);
}

static void
maiko_mqtt_bridge_on_shutdown (MaikoActor *actor)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (actor);
  guint lost;

  if (self->origin != NULL)
    _maiko_bridge_unregister_origin (self->origin);
  if (self->mosq == NULL)
    return;
  drain (self);
  self->shutting_down = TRUE;
  lost = g_queue_get_length (&self->offline);
  if (lost > 0)
    {
      g_atomic_int_add (&self->dropped_count, (gint) lost);
      g_debug ("MQTT bridge “%s” ends with %u events unsent", maiko_actor_get_name (actor), lost);
    }
  g_queue_clear_full (&self->offline, (GDestroyNotify) maiko_envelope_unref);
  g_atomic_int_set (&self->queued, 0);
  if (self->socket_source != NULL)
    {
      mosquitto_disconnect (self->mosq);
      destroy_source (&self->socket_source);
    }
  g_atomic_int_set (&self->connected, FALSE);
  destroy_source (&self->misc_source);
  destroy_source (&self->reconnect_source);
  g_clear_pointer (&self->mosq, mosquitto_destroy);
}

/* GObject */

static void
wipe_password (MaikoMqttBridge *self)
{
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

static void
maiko_mqtt_bridge_finalize (GObject *object)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (object);

  g_clear_pointer (&self->mosq, mosquitto_destroy);
  g_queue_clear_full (&self->offline, (GDestroyNotify) maiko_envelope_unref);
  recent_ids_clear (&self->recent);
  g_clear_pointer (&self->exported_map, g_hash_table_unref);
  g_clear_pointer (&self->imported_map, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->origin);
  g_free (self->host);
  g_free (self->client_id);
  g_free (self->topic_prefix);
  g_free (self->username);
  wipe_password (self);
  g_free (self->tls_ca_file);
  g_free (self->tls_cert_file);
  g_free (self->tls_key_file);
  g_strfreev (self->exported);
  g_strfreev (self->imported);

  G_OBJECT_CLASS (maiko_mqtt_bridge_parent_class)->finalize (object);
}

static GStrv
dup_topics (const GValue *value)
{
  const char * const *topics = g_value_get_boxed (value);

  return topics != NULL ? g_strdupv ((char **) topics) : g_new0 (char *, 1);
}

static void
maiko_mqtt_bridge_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_free (self->host);
      self->host = g_value_dup_string (value);
      if (self->host == NULL)
        self->host = g_strdup ("localhost");
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_CLIENT_ID:
      self->client_id = g_value_dup_string (value);
      break;
    case PROP_TOPIC_PREFIX:
      g_free (self->topic_prefix);
      self->topic_prefix = g_value_dup_string (value);
      if (self->topic_prefix == NULL)
        self->topic_prefix = g_strdup ("maiko");
      break;
    case PROP_QOS:
      self->qos = g_value_get_uint (value);
      break;
    case PROP_KEEPALIVE:
      self->keepalive = g_value_get_uint (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_PASSWORD:
      wipe_password (self);
      self->password = g_value_dup_string (value);
      break;
    case PROP_TLS_CA_FILE:
      self->tls_ca_file = g_value_dup_string (value);
      break;
    case PROP_TLS_CERT_FILE:
      self->tls_cert_file = g_value_dup_string (value);
      break;
    case PROP_TLS_KEY_FILE:
      self->tls_key_file = g_value_dup_string (value);
      break;
    case PROP_WIRE_FORMAT:
      self->wire_format = g_value_get_enum (value);
      break;
    case PROP_EXPORTED_TOPICS:
      g_strfreev (self->exported);
      self->exported = dup_topics (value);
      break;
    case PROP_IMPORTED_TOPICS:
      g_strfreev (self->imported);
      self->imported = dup_topics (value);
      /* The topology shows what the bridge sends locally. */
      maiko_actor_set_publishes (MAIKO_ACTOR (self), (const char * const *) self->imported);
      break;
    case PROP_QUEUE_CAPACITY:
      self->queue_capacity = g_value_get_uint (value);
      break;
    case PROP_DEDUPE_CAPACITY:
      self->dedupe_capacity = g_value_get_uint (value);
      break;
    case PROP_MAX_INFLIGHT:
      self->max_inflight = g_value_get_uint (value);
      break;
    case PROP_CLEAN_SESSION:
      self->clean_session = g_value_get_uint (value) == 0 ? -1 : g_value_get_uint (value) == 1;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maiko_mqtt_bridge_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MaikoMqttBridge *self = MAIKO_MQTT_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_TOPIC_PREFIX:
      g_value_set_string (value, self->topic_prefix);
      break;
    case PROP_QOS:
      g_value_set_uint (value, self->qos);
      break;
    case PROP_KEEPALIVE:
      g_value_set_uint (value, self->keepalive);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->tls_ca_file);
      break;
    case PROP_TLS_CERT_FILE:
      g_value_set_string (value, self->tls_cert_file);
      break;
    case PROP_TLS_KEY_FILE:
      g_value_set_string (value, self->tls_key_file);
      break;
    case PROP_WIRE_FORMAT:
      g_value_set_enum (value, self->wire_format);
      break;
    case PROP_EXPORTED_TOPICS:
      g_value_set_boxed (value, self->exported);
      break;
    case PROP_IMPORTED_TOPICS:
      g_value_set_boxed (value, self->imported);
      break;
    case PROP_QUEUE_CAPACITY:
      g_value_set_uint (value, self->queue_capacity);
      break;
    case PROP_DEDUPE_CAPACITY:
      g_value_set_uint (value, self->dedupe_capacity);
      break;
    case PROP_MAX_INFLIGHT:
      g_value_set_uint (value, self->max_inflight);
      break;
    case PROP_CLEAN_SESSION:
      g_value_set_uint (value, self->clean_session < 0 ? 0 : self->clean_session ? 1 : 2);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, maiko_mqtt_bridge_is_connected (self));
      break;
    case PROP_EXPORTED_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_exported_count (self));
      break;
    case PROP_IMPORTED_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_imported_count (self));
      break;
    case PROP_DROPPED_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_dropped_count (self));
      break;
    case PROP_REJECTED_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_rejected_count (self));
      break;
    case PROP_DUPLICATE_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_duplicate_count (self));
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, maiko_mqtt_bridge_get_pending_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define SETTING (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define COUNTER (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

static void
maiko_mqtt_bridge_class_init (MaikoMqttBridgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MaikoActorClass *actor_class = MAIKO_ACTOR_CLASS (klass);

  object_class->finalize = maiko_mqtt_bridge_finalize;
  object_class->get_property = maiko_mqtt_bridge_get_property;
  object_class->set_property = maiko_mqtt_bridge_set_property;
  actor_class->on_start = maiko_mqtt_bridge_on_start;
  actor_class->handle_event = maiko_mqtt_bridge_handle_event;
  actor_class->on_shutdown = maiko_mqtt_bridge_on_shutdown;

  /**
   * MaikoMqttBridge:host:
   *
   * The broker's host name or address.
   */
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, "localhost", SETTING);

  /**
   * MaikoMqttBridge:port:
   *
   * The broker's port: 1883 for plain MQTT, usually 8883 with TLS.
   */
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 1883, SETTING);

  /**
   * MaikoMqttBridge:client-id:
   *
   * The MQTT client id. Give a stable one for a persistent session (see
   * [property@Maiko.MqttBridge:clean-session]); %NULL makes one up.
   */
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, SETTING);

  /**
   * MaikoMqttBridge:topic-prefix:
   *
   * The MQTT topic of a local topic `TOPIC` is `PREFIX/TOPIC`.
   */
  properties[PROP_TOPIC_PREFIX] = g_param_spec_string ("topic-prefix", NULL, NULL, "maiko", SETTING);

  /**
   * MaikoMqttBridge:qos:
   *
   * The MQTT quality of service of publications and subscriptions: 0 (at
   * most once), 1 (at least once; the bridge drops the duplicates), 2
   * (exactly once).
   */
  properties[PROP_QOS] = g_param_spec_uint ("qos", NULL, NULL, 0, 2, 1, SETTING);

  /**
   * MaikoMqttBridge:keepalive:
   *
   * Seconds between keep-alive pings when nothing else is sent.
   */
  properties[PROP_KEEPALIVE] = g_param_spec_uint ("keepalive", NULL, NULL, 5, 65535, 60, SETTING);

  /**
   * MaikoMqttBridge:username:
   *
   * The user name given to the broker, or %NULL.
   */
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, SETTING);

  /**
   * MaikoMqttBridge:password:
   *
   * The password given to the broker with
   * [property@Maiko.MqttBridge:username]. It can be written, never read
   * back; the bridge wipes it from memory when it is finalized.
   */
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, NULL,
                                                   G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                                                   G_PARAM_STATIC_STRINGS);

  /**
   * MaikoMqttBridge:tls-ca-file:
   *
   * A PEM file of the certificate authorities that may sign the broker's
   * certificate. Setting it turns TLS on.
   */
  properties[PROP_TLS_CA_FILE] = g_param_spec_string ("tls-ca-file", NULL, NULL, NULL, SETTING);

  /**
   * MaikoMqttBridge:tls-cert-file:
   *
   * The PEM certificate of this client, for brokers that check clients.
   */
  properties[PROP_TLS_CERT_FILE] = g_param_spec_string ("tls-cert-file", NULL, NULL, NULL, SETTING);

  /**
   * MaikoMqttBridge:tls-key-file:
   *
   * The PEM private key of [property@Maiko.MqttBridge:tls-cert-file].
   */
  properties[PROP_TLS_KEY_FILE] = g_param_spec_string ("tls-key-file", NULL, NULL, NULL, SETTING);

  /**
   * MaikoMqttBridge:wire-format:
   *
   * How envelopes travel: JSON (readable by `mosquitto_sub` and any
   * language) or the binary GVariant form. Both ends must agree.
   */
  properties[PROP_WIRE_FORMAT] = g_param_spec_enum ("wire-format", NULL, NULL,
                                                    MAIKO_TYPE_WIRE_FORMAT, MAIKO_WIRE_FORMAT_JSON,
                                                    SETTING);

  /**
   * MaikoMqttBridge:exported-topics:
   *
   * The local topics published to the broker. Subscribe the bridge to them
   * when it is added (see [method@Maiko.MqttBridge.get_exported_topics]).
   */
  properties[PROP_EXPORTED_TOPICS] = g_param_spec_boxed ("exported-topics", NULL, NULL,
                                                         G_TYPE_STRV, SETTING);

  /**
   * MaikoMqttBridge:imported-topics:
   *
   * The topics subscribed to on the broker, whose events the bridge sends
   * locally.
   */
  properties[PROP_IMPORTED_TOPICS] = g_param_spec_boxed ("imported-topics", NULL, NULL,
                                                         G_TYPE_STRV, SETTING);

  /**
   * MaikoMqttBridge:queue-capacity:
   *
   * How many events to export the bridge holds while it is not connected.
   */
  properties[PROP_QUEUE_CAPACITY] = g_param_spec_uint ("queue-capacity", NULL, NULL,
                                                       1, G_MAXUINT, 1024, SETTING);

  /**
   * MaikoMqttBridge:dedupe-capacity:
   *
   * How many of the last imported ids the bridge remembers to drop
   * redeliveries. Keep it above the broker's in-flight window.
   */
  properties[PROP_DEDUPE_CAPACITY] = g_param_spec_uint ("dedupe-capacity", NULL, NULL,
                                                        1, G_MAXUINT, 8192, SETTING);

  /**
   * MaikoMqttBridge:max-inflight:
   *
   * How many QoS 1 and 2 messages may wait for the broker's
   * acknowledgement; the others wait in libmosquitto.
   */
  properties[PROP_MAX_INFLIGHT] = g_param_spec_uint ("max-inflight", NULL, NULL,
                                                     1, 65535, 100, SETTING);

  /**
   * MaikoMqttBridge:clean-session:
   *
   * 0: a clean session unless [property@Maiko.MqttBridge:client-id] is
   * set; 1: always clean; 2: always persistent (the broker keeps the
   * subscriptions and QoS 1 and 2 messages of the client id while it is
   * away).
   */
  properties[PROP_CLEAN_SESSION] = g_param_spec_uint ("clean-session", NULL, NULL, 0, 2, 0, SETTING);

  /**
   * MaikoMqttBridge:connected:
   *
   * Whether the broker accepted the connection and it is up. Read at any
   * time, from any thread; it is not notified.
   */
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, COUNTER);

  /**
   * MaikoMqttBridge:exported-count:
   *
   * Events handed to the broker connection.
   */
  properties[PROP_EXPORTED_COUNT] = g_param_spec_uint ("exported-count", NULL, NULL,
                                                       0, G_MAXUINT, 0, COUNTER);

  /**
   * MaikoMqttBridge:imported-count:
   *
   * Events received from the broker and sent locally.
   */
  properties[PROP_IMPORTED_COUNT] = g_param_spec_uint ("imported-count", NULL, NULL,
                                                       0, G_MAXUINT, 0, COUNTER);

  /**
   * MaikoMqttBridge:dropped-count:
   *
   * Events to export that were dropped: the queue was full under `DROP`
   * or `FAIL`, or the bridge ended with them unsent.
   */
  properties[PROP_DROPPED_COUNT] = g_param_spec_uint ("dropped-count", NULL, NULL,
                                                      0, G_MAXUINT, 0, COUNTER);

  /**
   * MaikoMqttBridge:rejected-count:
   *
   * Messages on an imported topic that were not envelopes of the wire
   * form, or carried another topic.
   */
  properties[PROP_REJECTED_COUNT] = g_param_spec_uint ("rejected-count", NULL, NULL,
                                                       0, G_MAXUINT, 0, COUNTER);

  /**
   * MaikoMqttBridge:duplicate-count:
   *
   * Received events dropped because their id had been imported already.
   */
  properties[PROP_DUPLICATE_COUNT] = g_param_spec_uint ("duplicate-count", NULL, NULL,
                                                        0, G_MAXUINT, 0, COUNTER);

  /**
   * MaikoMqttBridge:pending-count:
   *
   * Events to export that the broker has not taken yet: queued while
   * disconnected, or given to libmosquitto and not yet sent (QoS 0) or
   * acknowledged (QoS 1 and 2).
   */
  properties[PROP_PENDING_COUNT] = g_param_spec_uint ("pending-count", NULL, NULL,
                                                      0, G_MAXUINT, 0, COUNTER);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
maiko_mqtt_bridge_init (MaikoMqttBridge *self)
{
  self->host = g_strdup ("localhost");
  self->port = 1883;
  self->topic_prefix = g_strdup ("maiko");
  self->qos = 1;
  self->keepalive = 60;
  self->wire_format = MAIKO_WIRE_FORMAT_JSON;
  self->exported = g_new0 (char *, 1);
  self->imported = g_new0 (char *, 1);
  self->queue_capacity = 1024;
  self->dedupe_capacity = 8192;
  self->max_inflight = 100;
  self->clean_session = -1;
  self->exported_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->imported_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->offline);
}

/**
 * maiko_mqtt_bridge_new:
 * @host: the broker's host name or address
 * @port: the broker's port
 * @exported_topics: (array zero-terminated=1) (nullable): the local topics
 *   to publish to the broker
 * @imported_topics: (array zero-terminated=1) (nullable): the topics to
 *   receive from the broker
 *
 * Makes a bridge with the other settings at their defaults; use
 * g_object_new() for the others (QoS, credentials, TLS, ...).
 *
 * Returns: (transfer full): a new bridge
 */
MaikoMqttBridge *
maiko_mqtt_bridge_new (const char         *host,
                       guint               port,
                       const char * const *exported_topics,
                       const char * const *imported_topics)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);

  return g_object_new (MAIKO_TYPE_MQTT_BRIDGE,
                       "host", host,
                       "port", port,
                       "exported-topics", exported_topics,
                       "imported-topics", imported_topics,
                       NULL);
}

/**
 * maiko_mqtt_bridge_get_exported_topics:
 * @self: a bridge
 *
 * The topics to subscribe the bridge to when it is added.
 *
 * Returns: (transfer none) (array zero-terminated=1): the exported topics
 */
const char * const *
maiko_mqtt_bridge_get_exported_topics (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), NULL);

  return (const char * const *) self->exported;
}

/**
 * maiko_mqtt_bridge_get_imported_topics:
 * @self: a bridge
 *
 * The topics the bridge subscribes to on the broker.
 *
 * Returns: (transfer none) (array zero-terminated=1): the imported topics
 */
const char * const *
maiko_mqtt_bridge_get_imported_topics (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), NULL);

  return (const char * const *) self->imported;
}

/**
 * maiko_mqtt_bridge_is_connected:
 * @self: a bridge
 *
 * Whether the bridge can publish now. Callable from any thread.
 *
 * Returns: whether the broker accepted the connection and it is up
 */
gboolean
maiko_mqtt_bridge_is_connected (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), FALSE);

  return g_atomic_int_get (&self->connected);
}

/**
 * maiko_mqtt_bridge_get_exported_count:
 * @self: a bridge
 *
 * How many events the bridge handed to the broker connection.
 *
 * Returns: the value of [property@Maiko.MqttBridge:exported-count]
 */
guint
maiko_mqtt_bridge_get_exported_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->exported_count);
}

/**
 * maiko_mqtt_bridge_get_imported_count:
 * @self: a bridge
 *
 * How many events the bridge received and sent locally.
 *
 * Returns: the value of [property@Maiko.MqttBridge:imported-count]
 */
guint
maiko_mqtt_bridge_get_imported_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->imported_count);
}

/**
 * maiko_mqtt_bridge_get_dropped_count:
 * @self: a bridge
 *
 * How many events to export the bridge dropped.
 *
 * Returns: the value of [property@Maiko.MqttBridge:dropped-count]
 */
guint
maiko_mqtt_bridge_get_dropped_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->dropped_count);
}

/**
 * maiko_mqtt_bridge_get_rejected_count:
 * @self: a bridge
 *
 * How many messages on imported topics the bridge rejected.
 *
 * Returns: the value of [property@Maiko.MqttBridge:rejected-count]
 */
guint
maiko_mqtt_bridge_get_rejected_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->rejected_count);
}

/**
 * maiko_mqtt_bridge_get_duplicate_count:
 * @self: a bridge
 *
 * How many redelivered events the bridge dropped.
 *
 * Returns: the value of [property@Maiko.MqttBridge:duplicate-count]
 */
guint
maiko_mqtt_bridge_get_duplicate_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->duplicate_count);
}

/**
 * maiko_mqtt_bridge_get_pending_count:
 * @self: a bridge
 *
 * How many events to export the broker has not taken yet.
 *
 * Returns: the value of [property@Maiko.MqttBridge:pending-count]
 */
guint
maiko_mqtt_bridge_get_pending_count (MaikoMqttBridge *self)
{
  g_return_val_if_fail (MAIKO_IS_MQTT_BRIDGE (self), 0);

  return g_atomic_int_get (&self->in_flight) + g_atomic_int_get (&self->queued);
}
