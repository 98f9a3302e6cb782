/* maiko-thread-floor.c: what a thread costs before Maiko adds anything
 *
 * S5 asks for the memory per actor when each of 1,000 actors has a thread
 * of its own. Part of that is GLib's and the C library's, whatever the
 * runtime does: this program measures that part, the same way
 * maiko-bench measures S5 (VmRSS with every thread alive and idle, minus
 * VmRSS before the first was made, over the number of threads), for
 *
 *   bare     a GThread that waits on a condition;
 *   context  a GThread that does what a threaded actor's thread must do
 *            with GLib: make a GMainContext (made by the adding thread,
 *            as Maiko does) its thread-default one, dispatch one source
 *            from it, and sleep in g_main_context_iteration().
 *
 * Each floor runs in a child process of its own. The figures depend on
 * G_SLICE: GLib before 2.76 gives each thread that allocates from GSlice
 * its own magazines, and pushing a thread-default context does.
 *
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "bench-system.h"

#define N_THREADS 1000

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  guint    n_ready;
  gboolean quit;
} Gate;

typedef struct
{
  Gate         *gate;
  GMainContext *context;   /* NULL for a bare thread */
} Worker;

static void
gate_arrive (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->n_ready++;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static gboolean
gate_should_quit (Gate *gate)
{
  gboolean quit;

  g_mutex_lock (&gate->mutex);
  quit = gate->quit;
  g_mutex_unlock (&gate->mutex);

  return quit;
}

static gpointer
bare_thread (gpointer data)
{
  Worker *worker = data;

  gate_arrive (worker->gate);
  g_mutex_lock (&worker->gate->mutex);
  while (!worker->gate->quit)
    g_cond_wait (&worker->gate->cond, &worker->gate->mutex);
  g_mutex_unlock (&worker->gate->mutex);

  return NULL;
}

static gboolean
arrive_once (gpointer data)
{
  gate_arrive (data);
  return G_SOURCE_REMOVE;
}

/* A context with one source ready to dispatch: made and attached by the
 * calling thread, as Maiko makes an actor's context and sources before
 * its thread starts. */
static GMainContext *
context_new (Gate *gate)
{
  GMainContext *context = g_main_context_new ();
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, arrive_once, gate, NULL);
  g_source_attach (source, context);
  g_source_unref (source);

  return context;
}

static gpointer
context_thread (gpointer data)
{
  Worker *worker = data;

  g_main_context_push_thread_default (worker->context);
  while (!gate_should_quit (worker->gate))
    g_main_context_iteration (worker->context, TRUE);
  g_main_context_pop_thread_default (worker->context);

  return NULL;
}

/* Starts N_THREADS threads, waits until each has arrived, and returns
 * the KiB of RSS each added. */
static double
measure (gboolean with_context)
{
  Worker *workers = g_new0 (Worker, N_THREADS);
  GThread **threads = g_new (GThread *, N_THREADS);
  Gate gate = { 0 };
  gint64 rss_before, rss_running;

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  rss_before = bench_proc_status_kib ("VmRSS:");
  for (guint i = 0; i < N_THREADS; i++)
    {
      workers[i].gate = &gate;
      workers[i].context = with_context ? context_new (&gate) : NULL;
    }
  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("floor", with_context ? context_thread : bare_thread, &workers[i]);
  g_mutex_lock (&gate.mutex);
  while (gate.n_ready < N_THREADS)
    g_cond_wait (&gate.cond, &gate.mutex);
  g_mutex_unlock (&gate.mutex);
  rss_running = bench_proc_status_kib ("VmRSS:");

  g_mutex_lock (&gate.mutex);
  gate.quit = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.mutex);
  for (guint i = 0; i < N_THREADS; i++)
    {
      if (with_context)
        g_main_context_wakeup (workers[i].context);
      g_thread_join (threads[i]);
      g_clear_pointer (&workers[i].context, g_main_context_unref);
    }

  g_free (threads);
  g_free (workers);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);

  return (double) (rss_running - rss_before) / N_THREADS;
}

/* One floor in a child process, so that each starts from the same heap. */
static gboolean
measure_in_child (gboolean  with_context,
                  double   *kib_per_thread)
{
  int fds[2], status;
  gboolean got;
  pid_t pid;

  if (pipe (fds) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      double kib = measure (with_context);

      _exit (write (fds[1], &kib, sizeof kib) == sizeof kib ? 0 : 1);
    }

  close (fds[1]);
  got = read (fds[0], kib_per_thread, sizeof *kib_per_thread) == sizeof *kib_per_thread;
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  return got && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

int
main (void)
{
  const char *slice = g_getenv ("G_SLICE");
  static const struct { const char *name; gboolean with_context; } floors[] = {
    { "bare", FALSE },
    { "context", TRUE },
  };
  int status = 0;

  bench_raise_fd_limit ();
  for (guint i = 0; i < G_N_ELEMENTS (floors); i++)
    {
      double kib;

      if (!measure_in_child (floors[i].with_context, &kib))
        {
          g_printerr ("floor=%s: the run failed\n", floors[i].name);
          status = 1;
          continue;
        }
      printf ("floor=%s threads=%d glib=%u.%u.%u g_slice=%s kib_per_thread=%.1f\n",
              floors[i].name, N_THREADS, glib_major_version, glib_minor_version,
              glib_micro_version, slice != NULL ? slice : "default", kib);
    }

  return status;
}
