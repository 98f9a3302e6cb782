/* test-actor.vala: Maiko actors written in Vala, through maiko-1.vapi
 *
 * SPDX-License-Identifier: MIT
 *
 * Vala subclasses of Maiko.Actor run on threads of their own and on a main
 * context; the tests assert exact counts and orders, that handle_event
 * borrows its envelope (none leaks; one it keeps stays valid), and that
 * errors reach on_error.
 */

const int N = 1000;
/* A bound on every wait, far above what a test needs. */
const int64 TIMEOUT_US = 20 * TimeSpan.SECOND;

/* Payloads whose release is counted: each envelope keeps its event, which
 * keeps its payload, so a leaked envelope shows here. */
static int live_payloads = 0;

static void
payload_freed (void *data)
{
  GLib.free (data);
  AtomicInt.dec_and_test (ref live_payloads);
}

static Variant
tracked_int64 (int64 value)
{
  var data = new uint8[sizeof (int64)];
  Memory.copy (data, &value, sizeof (int64));
  void *raw = data;
  AtomicInt.inc (ref live_payloads);
  var bytes = new Bytes.with_free_func ((owned) data, payload_freed, raw);
  return new Variant.from_bytes (VariantType.INT64, bytes, true);
}

/* Records the numbers it receives. Runs on a thread of its own unless its
 * main-context is set: the state is shared with the test thread under a
 * mutex, and waiting for it is bounded. */
public class Counter : Maiko.Actor
{
  private Mutex mutex;
  private Cond cond;
  private int64[] numbers = {};
  private string[] senders = {};
  public int started;
  public int shutdowns;
  public int errors;
  /* handle_event throws for every fail_every-th number. */
  public int fail_every = 0;
  /* handle_event keeps every keep_every-th envelope (in kept). */
  public int keep_every = 0;
  public GenericArray<Maiko.Envelope> kept = new GenericArray<Maiko.Envelope> ();
  public bool swallow_errors = true;
  public Thread<void *>? thread = null;

  public override bool
  on_start () throws GLib.Error
  {
    AtomicInt.inc (ref started);
    return true;
  }

  public override bool
  handle_event (Maiko.Envelope envelope) throws GLib.Error
  {
    int64 n = envelope.get_event ().get_payload ().get_int64 ();

    mutex.lock ();
    numbers += n;
    senders += envelope.get_sender ();
    if (keep_every > 0 && n % keep_every == keep_every - 1)
      kept.add (envelope);
    thread = Thread.self<void *> ();
    cond.broadcast ();
    mutex.unlock ();

    if (fail_every > 0 && n % fail_every == fail_every - 1)
      throw new Maiko.Error.FAILED ("cannot handle %" + int64.FORMAT, n);
    return true;
  }

  public override bool
  on_error (GLib.Error error)
  {
    assert_true (error is Maiko.Error.FAILED);
    AtomicInt.inc (ref errors);
    return swallow_errors;
  }

  public override void
  on_shutdown ()
  {
    AtomicInt.inc (ref shutdowns);
  }

  public int
  count ()
  {
    mutex.lock ();
    int n = numbers.length;
    mutex.unlock ();
    return n;
  }

  /* Waits on this thread (the actor runs on its own) for @n events. */
  public bool
  wait_for (int n)
  {
    int64 deadline = get_monotonic_time () + TIMEOUT_US;
    bool ok = true;

    mutex.lock ();
    while (numbers.length < n && ok)
      ok = cond.wait_until (mutex, deadline);
    ok = numbers.length >= n;
    mutex.unlock ();
    return ok;
  }

  public int64[]
  get_numbers ()
  {
    mutex.lock ();
    var copy = numbers;
    mutex.unlock ();
    return copy;
  }

  public string[]
  get_senders ()
  {
    mutex.lock ();
    var copy = senders;
    mutex.unlock ();
    return copy;
  }
}

/* Answers Ping(n) with Pong(n) (ponger), or Pong(n) with Ping(n + 1) until
 * the last round, then stops the runtime (pinger). */
public class Player : Maiko.Actor
{
  public string answer;
  public int rounds;
  public int handled;

  public Player (string answer, int rounds)
  {
    this.answer = answer;
    this.rounds = rounds;
  }

  public override bool
  handle_event (Maiko.Envelope envelope) throws GLib.Error
  {
    uint32 n = envelope.get_event ().get_payload ().get_uint32 ();
    var ctx = get_context ();

    AtomicInt.inc (ref handled);
    if (answer == "Ping" && n + 1 >= rounds)
      {
        ctx.stop_runtime ();
        return true;
      }
    uint32 next = answer == "Ping" ? n + 1 : n;
    ctx.send_child_event (new Maiko.Event (answer, new Variant.uint32 (next)),
                          envelope.get_id ());
    return true;
  }
}

static Maiko.Supervisor
new_supervisor (uint mailbox_capacity)
{
  return (Maiko.Supervisor) Object.new (typeof (Maiko.Supervisor),
                                        "mailbox-capacity", mailbox_capacity);
}

static void
send_numbers (Maiko.Supervisor sup, int n) throws GLib.Error
{
  for (int i = 0; i < n; i++)
    sup.send (new Maiko.Event ("Num", tracked_int64 (i)));
}

static void
assert_in_order (int64[] numbers, int n)
{
  assert_cmpint (numbers.length, CompareOperator.EQ, n);
  for (int i = 0; i < n; i++)
    assert_cmpint ((int) numbers[i], CompareOperator.EQ, i);
}

static void
test_threaded_actor ()
{
  int base_payloads = AtomicInt.get (ref live_payloads);

  try
    {
      var sup = new_supervisor (8);
      sup.set_topic_policy (Maiko.DEFAULT_TOPIC, Maiko.OverflowPolicy.BLOCK);
      var a = new Counter ();
      var b = new Counter ();
      sup.add_actor ("a", a, { Maiko.TOPIC_ALL });
      sup.add_actor ("b", b, { Maiko.DEFAULT_TOPIC });
      sup.start ();
      send_numbers (sup, N);
      assert_true (a.wait_for (N));
      assert_true (b.wait_for (N));
      sup.stop ();

      foreach (var c in new Counter[] { a, b })
        {
          assert_in_order (c.get_numbers (), N);
          foreach (unowned string s in c.get_senders ())
            assert_cmpstr (s, CompareOperator.EQ, Maiko.SUPERVISOR_NAME);
          assert_cmpint (c.started, CompareOperator.EQ, 1);
          assert_cmpint (c.shutdowns, CompareOperator.EQ, 1);
          /* Each actor ran on a thread of its own. */
          assert_true (c.thread != Thread.self<void *> ());
          assert_false (c.is_running ());
        }
      assert_true (a.thread != b.thread);
      assert_cmpuint ((uint) sup.get_undelivered_count (), CompareOperator.EQ, 0);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }

  /* Handled envelopes were released: handle_event borrows its envelope. */
  assert_cmpint (AtomicInt.get (ref live_payloads), CompareOperator.EQ, base_payloads);
}

/* Envelopes kept by handle_event, also one that threw, outlive the
 * supervisor; dropping them frees them. */
static void
test_kept_envelopes ()
{
  int base_payloads = AtomicInt.get (ref live_payloads);
  var keeper = new Counter ();

  keeper.keep_every = 10;
  keeper.fail_every = 20;
  try
    {
      var sup = new_supervisor (8);
      sup.set_topic_policy (Maiko.DEFAULT_TOPIC, Maiko.OverflowPolicy.BLOCK);
      sup.add_actor ("keeper", keeper, { Maiko.DEFAULT_TOPIC });
      sup.start ();
      send_numbers (sup, 100);
      assert_true (keeper.wait_for (100));
      sup.stop ();
      assert_cmpint (keeper.errors, CompareOperator.EQ, 5);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }

  /* 9, 19 (which threw), 29, ... 99. */
  assert_cmpint (keeper.kept.length, CompareOperator.EQ, 10);
  for (int i = 0; i < keeper.kept.length; i++)
    {
      unowned Maiko.Envelope envelope = keeper.kept.get (i);
      assert_cmpint ((int) envelope.get_event ().get_payload ().get_int64 (),
                     CompareOperator.EQ, 10 * i + 9);
      assert_cmpstr (envelope.get_sender (), CompareOperator.EQ, Maiko.SUPERVISOR_NAME);
    }
  assert_cmpint (AtomicInt.get (ref live_payloads), CompareOperator.EQ, base_payloads + 10);
  keeper.kept = new GenericArray<Maiko.Envelope> ();
  assert_cmpint (AtomicInt.get (ref live_payloads), CompareOperator.EQ, base_payloads);
}

static void
test_pingpong ()
{
  const int ROUNDS = 500;

  try
    {
      var sup = new Maiko.Supervisor ();
      sup.set_route_by_label ();
      var pinger = new Player ("Ping", ROUNDS);
      var ponger = new Player ("Pong", ROUNDS);
      sup.add_actor ("pinger", pinger, { "Pong" });
      sup.add_actor ("ponger", ponger, { "Ping" });
      sup.start ();
      sup.send (new Maiko.Event ("Ping", new Variant.uint32 (0)));
      /* The pinger stops the runtime after the last round. */
      sup.join ();
      assert_cmpint (ponger.handled, CompareOperator.EQ, ROUNDS);
      assert_cmpint (pinger.handled, CompareOperator.EQ, ROUNDS);
      assert_false (sup.is_running ());
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }
}

static void
test_main_context_actor ()
{
  try
    {
      /* Room for every event: nothing handles them before stop(). */
      var sup = new_supervisor (N);
      var counter = new Counter ();
      counter.main_context = MainContext.default ();
      sup.add_actor ("counter", counter, { Maiko.TOPIC_ALL });
      sup.start ();
      send_numbers (sup, N);
      /* Nothing runs the default context yet: stop() must, while it waits
       * for the events already queued. */
      assert_cmpint (counter.count (), CompareOperator.EQ, 0);
      sup.stop ();
      assert_in_order (counter.get_numbers (), N);
      assert_true (counter.thread == Thread.self<void *> ());
      assert_cmpint (counter.shutdowns, CompareOperator.EQ, 1);
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
      var swallower = new Counter ();
      swallower.fail_every = 3;
      swallower.swallow_errors = true;
      var quitter = new Counter ();
      quitter.fail_every = 5;
      quitter.swallow_errors = false;
      sup.add_actor ("swallower", swallower, { Maiko.TOPIC_ALL });
      sup.add_actor ("quitter", quitter, { Maiko.TOPIC_ALL });
      sup.start ();
      send_numbers (sup, 30);
      assert_true (swallower.wait_for (30));
      /* The quitter stops at its first failure, on number 4. */
      assert_true (quitter.wait_for (5));
      /* stop reports it. */
      try
        {
          sup.stop ();
          assert_not_reached ();
        }
      catch (Maiko.Error.FAILED e)
        {
          assert_cmpstr (e.message, CompareOperator.EQ, "cannot handle 4");
        }

      assert_in_order (swallower.get_numbers (), 30);
      assert_cmpint (swallower.errors, CompareOperator.EQ, 10);
      assert_in_order (quitter.get_numbers (), 5);
      assert_cmpint (quitter.errors, CompareOperator.EQ, 1);
      assert_cmpint (quitter.shutdowns, CompareOperator.EQ, 1);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }
}

static void
test_send_states ()
{
  var sup = new Maiko.Supervisor ();
  try
    {
      sup.send (new Maiko.Event ("Early", null));
      assert_not_reached ();
    }
  catch (Maiko.Error e)
    {
      assert_true (e is Maiko.Error.WRONG_STATE);
    }
  catch (GLib.Error e)
    {
      error ("%s", e.message);
    }

  try
    {
      sup.start ();
      sup.stop ();
      sup.send (new Maiko.Event ("Late", null));
      assert_not_reached ();
    }
  catch (Maiko.Error e)
    {
      assert_true (e is Maiko.Error.STOPPED);
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
  Test.add_func ("/vala/threaded-actors", test_threaded_actor);
  Test.add_func ("/vala/kept-envelopes", test_kept_envelopes);
  Test.add_func ("/vala/pingpong", test_pingpong);
  Test.add_func ("/vala/main-context-actor", test_main_context_actor);
  Test.add_func ("/vala/errors", test_errors);
  Test.add_func ("/vala/send-states", test_send_states);
  return Test.run ();
}
