/* pingpong.c: two actors bounce an event until a count is reached
 *
 * The pinger sends Ping(n) on topic "Ping"; the ponger answers Pong(n) on
 * topic "Pong"; the pinger sends the next Ping, and stops the runtime after
 * the last Pong. Topics are the event labels (route by label). The count
 * travels in the event itself (maiko_event_new_int64()): no GVariant is
 * made for it.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define ROUNDS 10

#define PLAYER_TYPE (player_get_type ())
G_DECLARE_FINAL_TYPE (Player, player, PLAYER, ACTOR, MaikoActor)

struct _Player
{
  MaikoActor  parent_instance;
  /* The label this player answers with. */
  const char *reply;
  /* Only the pinger serves first, and counts the rounds. */
  gboolean    serves;
  gint64      rounds;
};

G_DEFINE_FINAL_TYPE (Player, player, MAIKO_TYPE_ACTOR)

static gboolean
send_ball (Player  *self,
           gint64   n,
           GError **error)
{
  g_autoptr(MaikoEvent) ball = maiko_event_new_int64 (self->reply, n);

  return maiko_context_send (maiko_actor_get_context (MAIKO_ACTOR (self)), ball, error);
}

static gboolean
player_on_start (MaikoActor  *actor,
                 GError     **error)
{
  Player *self = PLAYER_ACTOR (actor);

  return !self->serves || send_ball (self, 1, error);
}

static gboolean
player_handle_event (MaikoActor     *actor,
                     MaikoEnvelope  *envelope,
                     GError        **error)
{
  Player *self = PLAYER_ACTOR (actor);
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  gint64 n;

  if (!maiko_event_get_int64 (event, &n))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s carries no int64", maiko_event_get_label (event));
      return FALSE;
    }

  g_print ("%s received %s(%" G_GINT64_FORMAT ")\n",
           maiko_actor_get_name (actor), maiko_event_get_label (event), n);

  if (!self->serves)
    return send_ball (self, n, error);

  if (n == ROUNDS)
    {
      maiko_context_stop_runtime (maiko_actor_get_context (actor));
      return TRUE;
    }
  return send_ball (self, n + 1, error);
}

static void
player_class_init (PlayerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->on_start = player_on_start;
  MAIKO_ACTOR_CLASS (klass)->handle_event = player_handle_event;
}

static void
player_init (Player *self)
{
}

int
main (void)
{
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Player) pinger = g_object_new (PLAYER_TYPE, NULL);
  g_autoptr(Player) ponger = g_object_new (PLAYER_TYPE, NULL);
  g_autoptr(GError) error = NULL;
  const char *pongs[] = { "Pong", NULL };
  const char *pings[] = { "Ping", NULL };

  pinger->reply = "Ping";
  pinger->serves = TRUE;
  ponger->reply = "Pong";

  if (!maiko_supervisor_set_route_by_label (sup, &error) ||
      !maiko_supervisor_add_actor (sup, "pinger", MAIKO_ACTOR (pinger), pongs, &error) ||
      !maiko_supervisor_add_actor (sup, "ponger", MAIKO_ACTOR (ponger), pings, &error) ||
      /* Runs until the pinger stops the runtime. */
      !maiko_supervisor_run (sup, &error))
    {
      g_printerr ("pingpong: %s\n", error->message);
      return 1;
    }

  g_print ("%d rounds played\n", ROUNDS);
  return 0;
}
