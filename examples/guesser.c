/* guesser.c: the reference's guessing game, with topics and timing
 *
 * Two players guess a number from 0 to 9 at their own pace (every 500 and
 * every 350 ms); a game pairs their guesses and publishes the results; a
 * printer shows them. After ten rounds the game stops the runtime.
 *
 * - The players are step-driven producers: they subscribe to nothing, and
 *   their step publishes a guess, then asks to be called again after a
 *   backoff.
 * - The game is stateful: it keeps the guesses that have not been paired
 *   yet. It pairs each player's first guess, then their second ones, and
 *   so on, so the faster player's guesses wait for the slower one's. (The
 *   reference keeps only each player's latest guess, so which guesses meet
 *   depends on timing; pairing them in turn gives one transcript per seed.)
 * - Topics separate concerns: guesses go to topic "Game", results and
 *   messages to topic "Output". The actors know topics, not each other.
 *
 * usage: guesser [--seed=N]
 * With a seed the output is the same at every run, and the same as that of
 * examples/python/guesser.py with the same seed.
 *
 * SPDX-License-Identifier: MIT
 */

#include <maiko.h>

#define ROUNDS 10

/* A player: publishes Guess(player, number) every interval_ms. */

#define PLAYER_TYPE (player_get_type ())
G_DECLARE_FINAL_TYPE (Player, player, PLAYER, ACTOR, MaikoActor)

struct _Player
{
  MaikoActor parent_instance;
  /* 1 or 2: carried in the event, so the game need not know actor names. */
  guint8     id;
  guint      interval_ms;
  /* The state of the player's number generator. */
  guint32    random;
};

G_DEFINE_FINAL_TYPE (Player, player, MAIKO_TYPE_ACTOR)

/* A small generator of our own (the 32-bit linear congruential one from
 * Numerical Recipes) rather than GRand, so that guesser.py can draw the
 * same numbers from the same seed. */
static guint8
player_next_number (Player *self)
{
  self->random = self->random * 1664525u + 1013904223u;
  return (self->random >> 24) % 10;
}

static MaikoStepAction
player_step (MaikoActor *actor)
{
  Player *self = PLAYER_ACTOR (actor);
  MaikoContext *ctx = maiko_actor_get_context (actor);
  g_autoptr(MaikoEvent) guess =
    maiko_event_new ("Guess", g_variant_new ("(yy)", self->id, player_next_number (self)));

  /* Fails with MAIKO_ERROR_STOPPED once the game is over. */
  if (!maiko_context_send (ctx, guess, NULL))
    return MAIKO_STEP_ACTION_NEVER;

  maiko_context_set_backoff (ctx, self->interval_ms);
  return MAIKO_STEP_ACTION_BACKOFF;
}

static void
player_class_init (PlayerClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->step = player_step;
}

static void
player_init (Player *self)
{
}

static Player *
player_new (guint8  id,
            guint   interval_ms,
            guint32 seed)
{
  Player *self = g_object_new (PLAYER_TYPE, NULL);

  self->id = id;
  self->interval_ms = interval_ms;
  /* One stream per player; the multiplication spreads nearby seeds apart,
   * whose streams would otherwise begin alike. */
  self->random = (2 * seed + id) * 0x9E3779B9u;
  return self;
}

/* The game: pairs the players' guesses and publishes Result(n1, n2). */

#define GAME_TYPE (game_get_type ())
G_DECLARE_FINAL_TYPE (Game, game, GAME, ACTOR, MaikoActor)

struct _Game
{
  MaikoActor parent_instance;
  /* The guesses of players 1 and 2 not paired yet, oldest first. */
  GQueue     guesses[2];
  guint      round;
};

G_DEFINE_FINAL_TYPE (Game, game, MAIKO_TYPE_ACTOR)

static gboolean
game_on_start (MaikoActor  *actor,
               GError     **error)
{
  g_autofree char *welcome =
    g_strdup_printf ("Welcome to the Guessing Game!\n"
                     "(the game will stop after %d rounds)", ROUNDS);
  g_autoptr(MaikoEvent) message = maiko_event_new ("Message", g_variant_new_string (welcome));

  return maiko_context_send (maiko_actor_get_context (actor), message, error);
}

static gboolean
game_handle_event (MaikoActor     *actor,
                   MaikoEnvelope  *envelope,
                   GError        **error)
{
  Game *self = GAME_ACTOR (actor);
  g_autoptr(MaikoEvent) result = NULL;
  guint8 player, number, n1, n2;

  /* Guesses still arriving while the runtime stops are not played. */
  if (self->round == ROUNDS)
    return TRUE;

  g_variant_get (maiko_event_get_payload (maiko_envelope_get_event (envelope)),
                 "(yy)", &player, &number);
  g_queue_push_tail (&self->guesses[player - 1], GUINT_TO_POINTER (number));
  if (g_queue_is_empty (&self->guesses[0]) || g_queue_is_empty (&self->guesses[1]))
    return TRUE;

  self->round++;
  n1 = GPOINTER_TO_UINT (g_queue_pop_head (&self->guesses[0]));
  n2 = GPOINTER_TO_UINT (g_queue_pop_head (&self->guesses[1]));
  result = maiko_event_new ("Result", g_variant_new ("(yy)", n1, n2));

  /* The result is a child of the guess that completed the pair. */
  return maiko_context_send_child_event (maiko_actor_get_context (actor), result,
                                         maiko_envelope_get_id (envelope), error);
}

static MaikoStepAction
game_step (MaikoActor *actor)
{
  Game *self = GAME_ACTOR (actor);

  /* Stopping only itself would leave the players running: stop them all.
   * The printer still prints every result sent so far. */
  if (self->round == ROUNDS)
    maiko_context_stop_runtime (maiko_actor_get_context (actor));

  return MAIKO_STEP_ACTION_AWAIT_EVENT;
}

static void
game_finalize (GObject *object)
{
  Game *self = GAME_ACTOR (object);

  g_queue_clear (&self->guesses[0]);
  g_queue_clear (&self->guesses[1]);
  G_OBJECT_CLASS (game_parent_class)->finalize (object);
}

static void
game_class_init (GameClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = game_finalize;
  MAIKO_ACTOR_CLASS (klass)->on_start = game_on_start;
  MAIKO_ACTOR_CLASS (klass)->handle_event = game_handle_event;
  MAIKO_ACTOR_CLASS (klass)->step = game_step;
}

static void
game_init (Game *self)
{
  g_queue_init (&self->guesses[0]);
  g_queue_init (&self->guesses[1]);
}

/* The printer: shows messages and results; it only consumes. */

#define PRINTER_TYPE (printer_get_type ())
G_DECLARE_FINAL_TYPE (Printer, printer, PRINTER, ACTOR, MaikoActor)

struct _Printer
{
  MaikoActor parent_instance;
};

G_DEFINE_FINAL_TYPE (Printer, printer, MAIKO_TYPE_ACTOR)

static gboolean
printer_handle_event (MaikoActor     *actor,
                      MaikoEnvelope  *envelope,
                      GError        **error)
{
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  const char *label = maiko_event_get_label (event);
  GVariant *payload = maiko_event_get_payload (event);
  guint8 n1, n2;

  if (g_str_equal (label, "Message"))
    {
      g_print ("%s\n", g_variant_get_string (payload, NULL));
    }
  else if (g_str_equal (label, "Result"))
    {
      g_variant_get (payload, "(yy)", &n1, &n2);
      if (n1 == n2)
        g_print ("Match! Both players guessed %u\n", n1);
      else
        g_print ("No match. Player1: %u, Player2: %u\n", n1, n2);
    }
  return TRUE;
}

static void
printer_class_init (PrinterClass *klass)
{
  MAIKO_ACTOR_CLASS (klass)->handle_event = printer_handle_event;
}

static void
printer_init (Printer *self)
{
}

/* Guesses go to the game, everything else to the printer. */
static char *
topic_of (MaikoEvent *event,
          gpointer    user_data)
{
  return g_strdup (g_str_equal (maiko_event_get_label (event), "Guess") ? "Game" : "Output");
}

int
main (int   argc,
      char *argv[])
{
  gint64 seed = -1;
  const GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      "Seed of the players' guesses (random if not given)", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- a guessing game of actors");
  const char *game_topics[] = { "Game", NULL };
  const char *output_topics[] = { "Output", NULL };
  g_autoptr(MaikoSupervisor) sup = maiko_supervisor_new ();
  g_autoptr(Player) player1 = NULL;
  g_autoptr(Player) player2 = NULL;
  g_autoptr(Game) game = g_object_new (GAME_TYPE, NULL);
  g_autoptr(Printer) printer = g_object_new (PRINTER_TYPE, NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    goto failed;
  if (seed == -1)
    seed = g_random_int ();
  else if (seed < 0 || seed > G_MAXUINT32)
    {
      g_printerr ("guesser: the seed must be from 0 to %u\n", G_MAXUINT32);
      return 1;
    }

  player1 = player_new (1, 500, seed);
  player2 = player_new (2, 350, seed);

  if (!maiko_supervisor_set_topic_func (sup, topic_of, NULL, NULL, &error) ||
      /* The players subscribe to nothing: they only produce. */
      !maiko_supervisor_add_actor (sup, "Player1", MAIKO_ACTOR (player1), NULL, &error) ||
      !maiko_supervisor_add_actor (sup, "Player2", MAIKO_ACTOR (player2), NULL, &error) ||
      !maiko_supervisor_add_actor (sup, "Game", MAIKO_ACTOR (game), game_topics, &error) ||
      !maiko_supervisor_add_actor (sup, "Printer", MAIKO_ACTOR (printer), output_topics, &error) ||
      /* Runs until the game stops the runtime. */
      !maiko_supervisor_run (sup, &error))
    goto failed;

  g_print ("\nGame over!\n");
  return 0;

failed:
  g_printerr ("guesser: %s\n", error->message);
  return 1;
}
