/* pingpong.vala: two actors bounce an event until a count is reached
 *
 * The pinger sends Ping(n) on topic "Ping"; the ponger answers Pong(n) on
 * topic "Pong"; the pinger sends the next Ping, and stops the runtime after
 * the last Pong. Topics are the event labels (route by label). The count
 * travels in the event itself (Maiko.Event.int64): no Variant is made for
 * it.
 *
 * SPDX-License-Identifier: MIT
 */

const int ROUNDS = 10;

public class Player : Maiko.Actor
{
  /* The label this player answers with. */
  public string reply { get; construct; }
  /* Only the pinger serves first, and counts the rounds. */
  public bool serves { get; construct; }

  public Player (string reply, bool serves)
  {
    Object (reply: reply, serves: serves);
  }

  private void
  send_ball (int64 n) throws Error
  {
    get_context ().send (new Maiko.Event.int64 (reply, n));
  }

  public override bool
  on_start () throws Error
  {
    if (serves)
      send_ball (1);
    return true;
  }

  public override bool
  handle_event (Maiko.Envelope envelope) throws Error
  {
    unowned Maiko.Event event = envelope.get_event ();
    int64 n;

    if (!event.get_int64 (out n))
      throw new IOError.INVALID_DATA ("%s carries no int64", event.get_label ());

    print ("%s received %s(%" + int64.FORMAT + ")\n", get_name (), event.get_label (), n);

    if (!serves)
      send_ball (n);
    else if (n == ROUNDS)
      get_context ().stop_runtime ();
    else
      send_ball (n + 1);
    return true;
  }
}

int
main ()
{
  var sup = new Maiko.Supervisor ();

  try
    {
      sup.set_route_by_label ();
      sup.add_actor ("pinger", new Player ("Ping", true), { "Pong" });
      sup.add_actor ("ponger", new Player ("Pong", false), { "Ping" });
      /* Runs until the pinger stops the runtime. */
      sup.run ();
    }
  catch (Error e)
    {
      printerr ("pingpong: %s\n", e.message);
      return 1;
    }

  print ("%d rounds played\n", ROUNDS);
  return 0;
}
