/* test-util.h: a scriptable actor and bounded waits for the C suite
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <maiko.h>

G_BEGIN_DECLS

/* The bound of every wait in the tests, in seconds: 30, times
 * $MAIKO_TEST_TIMEOUT_MULTIPLIER when set (meson test --setup valgrind
 * sets it: memcheck runs the threads one at a time, many times slower). */
#define TEST_TIMEOUT_S (test_timeout_s ())
guint test_timeout_s (void);

#define TEST_TYPE_ACTOR (test_actor_get_type ())
G_DECLARE_FINAL_TYPE (TestActor, test_actor, TEST, ACTOR, MaikoActor)

typedef gboolean        (*TestHandleFunc) (TestActor      *self,
                                           MaikoEnvelope  *envelope,
                                           GError        **error);
typedef MaikoStepAction (*TestStepFunc)   (TestActor      *self);
typedef void            (*TestHookFunc)   (TestActor      *self);

struct _TestActor
{
  MaikoActor      parent_instance;

  /* Behaviour, set before start. */
  TestHandleFunc  handle;
  TestStepFunc    step;
  TestHookFunc    start_hook;
  TestHookFunc    shutdown_hook;
  gboolean        swallow_errors;
  gboolean        keep_envelopes;
  gpointer        data;
  gint64          handle_delay_us;   /* simulates a slow consumer */

  /* Set by test_producer_new(): step sends produce_total events labelled
   * produce_label and numbered from 0, produce_per_step at a time. */
  const char     *produce_label;
  guint           produce_total;
  guint           produce_per_step;
  guint           produced;

  /* Observations, under mutex; cond is broadcast on every change. */
  GMutex          mutex;
  GCond           cond;
  GPtrArray      *received;          /* MaikoEnvelope*, if keep_envelopes */
  GString        *log;               /* one letter per callback: S start, E event, T step, D shutdown, X error */
  guint           n_handled;
  guint           n_started;
  guint           n_steps;
  guint           n_shutdowns;
  guint           n_errors;
  char           *last_error;

  /* A gate that handle_event or on_start may wait on. */
  gboolean        gate_closed;
  gboolean        gate_in_start;
  guint           n_at_gate;
};

TestActor *test_actor_new          (void);
TestActor *test_actor_new_bound    (GMainContext *context);
TestActor *test_producer_new       (const char   *label,
                                    guint         total,
                                    guint         per_step);
void       test_actor_close_gate   (TestActor    *self);
void       test_actor_open_gate    (TestActor    *self);
gboolean   test_actor_wait         (TestActor    *self,
                                    gboolean    (*done) (TestActor *self, gpointer data),
                                    gpointer      data);
gboolean   test_actor_wait_handled (TestActor    *self,
                                    guint         n);
gboolean   test_actor_wait_at_gate (TestActor    *self);
gboolean   test_actor_wait_shutdown (TestActor   *self);
guint      test_actor_get_handled  (TestActor    *self);
guint      test_actor_get_started  (TestActor    *self);
char      *test_actor_dup_log      (TestActor    *self);

void        test_add               (MaikoSupervisor *sup,
                                    const char      *name,
                                    TestActor       *actor,
                                    const char      *topic);
void        test_send_n            (MaikoSupervisor *sup,
                                    const char      *label,
                                    guint            n);
void        test_send_int          (MaikoSupervisor *sup,
                                    const char      *label,
                                    gint64           value);
MaikoSupervisor *test_supervisor_new_by_label (void);
MaikoStepAction test_send_labels_step (TestActor   *self);
gboolean    test_stop_runtime_on_event (TestActor      *self,
                                        MaikoEnvelope  *envelope,
                                        GError        **error);

MaikoEvent *test_event_int         (const char   *label,
                                    gint64        value);
gint64      test_envelope_int      (MaikoEnvelope *envelope);

/* What a sequence counter (test_seq_counter_new()) saw of the int64
 * payloads 0 to n - 1, under the actor's mutex. */
typedef struct
{
  guint8     *seen;         /* per sequence number: how many times */
  guint       n;
  guint       distinct;
  guint       doubled;
  guint       out_of_range;
  GHashTable *ids;          /* the envelopes' ids */
} TestSeqCounts;

TestActor  *test_seq_counter_new   (TestSeqCounts *counts,
                                    guint          n);
void        test_seq_counts_clear  (TestSeqCounts *counts);

gboolean    test_iterate_until     (GMainContext *context,
                                    gboolean    (*done) (gpointer data),
                                    gpointer      data);
gboolean    test_poll_until        (gboolean    (*done) (gpointer data),
                                    gpointer      data);
guint       test_count_threads     (void);
guint64     test_read_status_kib   (const char   *field);
gboolean    test_rss_is_meaningful (void);
void        test_stop_failed       (MaikoSupervisor *sup,
                                    const char      *message);
guint       test_wait_thread_count (guint         expected);

/* Routing by destination, for the harness tests: an event's payload is the
 * name of its topic (see test_route_by_payload()). */
typedef struct
{
  const char *on;      /* the label that triggers the reply */
  const char *label;   /* the reply's label */
  const char *to;      /* the reply's topic */
} TestReply;

MaikoEvent *test_event_to          (const char      *label,
                                    const char      *topic);
void        test_route_by_payload  (MaikoSupervisor *sup);
TestActor  *test_replier_new       (GMainContext    *context,
                                    const TestReply *replies);

G_END_DECLS
