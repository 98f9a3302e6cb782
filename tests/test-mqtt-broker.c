/* test-mqtt-broker.c: a real mosquitto for the MQTT tests
 *
 * SPDX-License-Identifier: MIT
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "test-mqtt-broker.h"
#include "test-util.h"

#define MOSQUITTO "/usr/sbin/mosquitto"

struct _TestBroker
{
  char        *dir;
  char        *config;
  guint        port;
  GSubprocess *process;   /* NULL while stopped */
};

/* A port nothing listens on now. mosquitto binds it a moment later, with
 * SO_REUSEADDR, so a restart gets it back. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
accepts_connections (gpointer data)
{
  TestBroker *self = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  /* A mosquitto that could not start (a port taken meanwhile) fails here. */
  g_assert_nonnull (g_subprocess_get_identifier (self->process));
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", self->port, NULL, NULL);
  return connection != NULL;
}

void
test_broker_start (TestBroker *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_build_filename (self->dir, "mosquitto.out", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  g_assert_null (self->process);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  self->process = g_subprocess_launcher_spawn (launcher, &error, MOSQUITTO, "-c", self->config, NULL);
  g_assert_no_error (error);
  g_assert_true (test_poll_until (accepts_connections, self));
}

void
test_broker_stop (TestBroker *self)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (self->process);
  /* SIGTERM: mosquitto writes its persistence file, with the sessions and
   * the QoS 1 and 2 messages they hold, before it exits. */
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->process);
}

TestBroker *
test_broker_new_stopped (const char *extra_config)
{
  TestBroker *self = g_new0 (TestBroker, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) extra = NULL;

  self->dir = g_dir_make_tmp ("maiko-mosquitto-XXXXXX", &error);
  g_assert_no_error (error);
  self->port = free_port ();
  /* @DIR@ in the extra lines is the broker's folder. */
  extra = g_string_new (extra_config != NULL ? extra_config : "allow_anonymous true");
  g_string_replace (extra, "@DIR@", self->dir, 0);
  self->config = g_build_filename (self->dir, "mosquitto.conf", NULL);
  /* Unbounded queues and a wide in-flight window: the tests count every
   * event, and mosquitto's defaults (1000 queued, 20 in flight) would drop
   * or slow them. */
  /* "user": a mosquitto started by root would otherwise become the user
   * mosquitto, which cannot read or write the private folder. */
  text = g_strdup_printf ("listener %u 127.0.0.1\n"
                          "user %s\n"
                          "persistence true\n"
                          "persistence_location %s/\n"
                          "autosave_interval 0\n"
                          "max_queued_messages 0\n"
                          "max_inflight_messages 100\n"
                          "log_dest stdout\n"
                          "log_type error\n"
                          "log_type warning\n"
                          "%s\n",
                          self->port, g_get_user_name (), self->dir, extra->str);
  g_file_set_contents (self->config, text, -1, &error);
  g_assert_no_error (error);
  return self;
}

TestBroker *
test_broker_new (const char *extra_config)
{
  TestBroker *self = test_broker_new_stopped (extra_config);

  test_broker_start (self);
  return self;
}

guint
test_broker_get_port (TestBroker *self)
{
  return self->port;
}

const char *
test_broker_get_dir (TestBroker *self)
{
  return self->dir;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

void
test_broker_free (TestBroker *self)
{
  if (self->process != NULL)
    test_broker_stop (self);
  remove_dir (self->dir);
  g_free (self->dir);
  g_free (self->config);
  g_free (self);
}
