/* hello.vala: the reference's first example, in Vala
 *
 * A Greeter subscribed to the default topic receives Hello("World") sent by
 * the supervisor, and prints it.
 *
 * From the build tree (docs/getting-started-vala.md), in the build
 * directory:
 *   meson devenv -C builddir valac --target-glib=auto --vapidir bindings/vala \
 *     --pkg maiko-1 ../examples/vala/hello.vala
 *   meson devenv -C builddir ./hello
 *
 * SPDX-License-Identifier: MIT
 */

public class Greeter : Maiko.Actor
{
  /* The envelope is borrowed: keep a reference (envelope.ref ()) to use it
   * after the call. */
  public override bool
  handle_event (Maiko.Envelope envelope) throws GLib.Error
  {
    unowned Maiko.Event event = envelope.get_event ();
    unowned Variant? payload = event.get_payload ();

    print ("%s, %s! (from %s)\n",
           event.get_label (),
           payload != null ? payload.get_string () : "nobody",
           envelope.get_sender ());
    return true;
  }
}

int
main ()
{
  var sup = new Maiko.Supervisor ();

  try
    {
      sup.add_actor ("greeter", new Greeter (), { Maiko.DEFAULT_TOPIC });
      sup.start ();
      sup.send (new Maiko.Event ("Hello", new Variant.string ("World")));
      /* A graceful stop: the greeter handles what it received first. */
      sup.stop ();
    }
  catch (Error e)
    {
      printerr ("hello: %s\n", e.message);
      return 1;
    }

  return 0;
}
