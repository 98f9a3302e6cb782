/* test-api-types.vala: every Maiko call whose C types Vala must match
 *
 * SPDX-License-Identifier: MIT
 *
 * The C API takes string arrays as `const char * const *` and gives
 * virtual methods a `const GError *`. Vala writes `char **` and `GError *`
 * unless the vapi says otherwise, which C accepts only with a warning
 * (-Wincompatible-pointer-types), and GCC 14 not at all. This program uses
 * each such call, so that tests/vala/valac-as-written.sh, which compiles it
 * with valac --pkg maiko-1 and that warning made an error, sees them all;
 * built by meson, it also checks what they do.
 */

/* Handles everything, does nothing. */
public class Plain : Maiko.Actor
{
}

/* Fails its first event; records what its on_error got. */
public class Failing : Maiko.Actor
{
  public string? seen_error = null;

  public override bool
  handle_event (Maiko.Envelope envelope) throws GLib.Error
  {
    throw new Maiko.Error.FAILED ("bad %s", envelope.get_event ().get_label ());
  }

  public override bool
  on_error (GLib.Error error)
  {
    seen_error = error.message;
    return true;
  }
}

/* Reports its failure with Context.fail instead of throwing. */
public class Reporting : Maiko.Actor
{
  public override bool
  handle_event (Maiko.Envelope envelope) throws GLib.Error
  {
    var error = new IOError.INVALID_DATA ("reported");
    get_context ().fail (error);
    return false;
  }
}

/* Counts the errors its class handler sees. */
public class ErrorCounter : Maiko.Monitor
{
  public int errors = 0;
  public string? last_actor = null;

  public override void
  error (string actor, GLib.Error error)
  {
    errors++;
    last_actor = actor;
  }
}

static void
test_arrays ()
{
  try
    {
      var sup = new Maiko.Supervisor ();
      sup.set_route_by_label ();
      string[] sink_topics = { "Data" };
      var producer = new Plain ();
      producer.set_publishes ({ "Data", "Spare" });
      /* The property replaces them (before add_actor, as set_publishes). */
      producer.publishes = { "Data" };
      sup.add_actor ("producer", producer, null);
      sup.add_actor ("sink", new Plain (), sink_topics);
      sup.add_actor ("other", new Plain (), { "Data", "Other" });
      var harness = new Maiko.Harness (sup);
      sup.start ();

      var id = harness.send_as ("producer", new Maiko.Event ("Data", null));
      /* Handled by both receivers. */
      harness.settle_on (1000, (events) => events.with_label ("Data").count () == 2);

      string[] publishes = producer.publishes;
      assert_cmpuint (publishes.length, CompareOperator.EQ, 1);
      assert_cmpstr (publishes[0], CompareOperator.EQ, "Data");

      var spy = harness.event (id);
      assert_true (spy.was_delivered_to_all ({ "sink", "other" }));
      assert_cmpfloat (spy.delivery_ratio ({ "sink", "nobody" }), CompareOperator.EQ, 0.5);

      var chain = harness.chain (id);
      assert_true (chain.actors ().exact ({ "producer", "sink" }) ||
                   chain.actors ().exact ({ "producer", "other" }));
      assert_true (chain.actors ().passes_through ({ "producer" }));
      assert_true (chain.actors ().segment ({ "producer" }));
      assert_true (chain.actors ().visited ({ "producer", "sink", "other" }));
      assert_true (chain.events ().exact ({ "Data" }));
      assert_true (chain.events ().passes_through ({ "Data" }));
      assert_true (chain.events ().segment ({ "Data" }));
      sup.stop ();
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }
}

static void
test_errors ()
{
  try
    {
      var sup = new Maiko.Supervisor ();
      var monitor = new ErrorCounter ();
      var failing = new Failing ();
      var reporting = new Reporting ();
      sup.add_monitor (monitor);
      sup.add_actor ("failing", failing, { "f" });
      sup.add_actor ("reporting", reporting, { "r" });
      sup.set_route_by_label ();
      sup.start ();
      sup.send (new Maiko.Event ("f", null));
      sup.send (new Maiko.Event ("r", null));
      /* The reporting actor does not swallow: stop reports its error. */
      try
        {
          sup.stop ();
          assert_not_reached ();
        }
      catch (IOError.INVALID_DATA e)
        {
          assert_cmpstr (e.message, CompareOperator.EQ, "reported");
        }
      monitor.flush ();

      assert_cmpstr (failing.seen_error, CompareOperator.EQ, "bad f");
      assert_cmpint (monitor.errors, CompareOperator.EQ, 2);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }
}

static void
test_recorder ()
{
  try
    {
      string dir = DirUtils.make_tmp ("maiko-vala-XXXXXX");
      string path = Path.build_filename (dir, "run.jsonl");
      var recorder = new Maiko.Recorder (path);
      recorder.actor_registered ("solo");
      recorder.close ();
      assert_true (recorder.get_error () == null);

      /* A recording cut in its second line. */
      FileUtils.set_contents (path, "{\"hook\":\"actor-stopped\",\"time\":1,\"actor\":\"a\"}\n{\"ho");
      GLib.Error? line_error;
      size_t length;
      var records = Maiko.Recorder.read_file_prefix (path, out line_error, out length);
      assert_cmpuint (records.length, CompareOperator.EQ, 1);
      assert_true (line_error is Maiko.Error.INVALID_ARGUMENT);
      assert_cmpuint ((uint) length, CompareOperator.EQ, 46);
      FileUtils.remove (path);
      DirUtils.remove (dir);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }
}

int
main (string[] args)
{
  Test.init (ref args);
  Test.add_func ("/vala/api-types/arrays", test_arrays);
  Test.add_func ("/vala/api-types/errors", test_errors);
  Test.add_func ("/vala/api-types/recorder", test_recorder);
  return Test.run ();
}
