/* maiko-core-pair.c: how long a cache line takes to cross between two CPUs
 *
 * SPDX-License-Identifier: MIT
 *
 * Two threads, pinned to CPU 0 and CPU 1 (or the two given), bounce one
 * atomic counter: each waits for the other's increment and answers. The
 * figure is the median round trip in ns over a few bursts. On a virtual
 * machine it says where the host runs the two vCPUs: on one core's
 * hyperthreads (tens of ns) or on different cores (hundreds), and S2
 * threaded, whose producer and consumer hand every event across, moves
 * with it. bench/README.md ("The threaded default") has the figures.
 *
 *   maiko-core-pair [CPU_A CPU_B]
 */

#define _GNU_SOURCE
#include <glib.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 200000
#define BURSTS 5

typedef struct
{
  gint        cpu;
  gint       *line;
  gboolean    first;
} Side;

/* One cache line of its own for the counter. */
static gint line[64 / sizeof (gint)] __attribute__ ((aligned (64)));

static void
pin (gint cpu)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  if (pthread_setaffinity_np (pthread_self (), sizeof set, &set) != 0)
    {
      fprintf (stderr, "maiko-core-pair: cannot run on CPU %d\n", cpu);
      exit (2);
    }
}

static gpointer
bounce (gpointer data)
{
  Side *side = data;
  gint parity = side->first ? 0 : 1;

  pin (side->cpu);
  for (gint n = parity; n < 2 * ROUNDS; n += 2)
    {
      while (g_atomic_int_get (side->line) != n)
        ;
      g_atomic_int_set (side->line, n + 1);
    }
  return NULL;
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  gint cpu_a = argc > 2 ? atoi (argv[1]) : 0;
  gint cpu_b = argc > 2 ? atoi (argv[2]) : 1;
  double ns[BURSTS];

  for (guint b = 0; b < BURSTS; b++)
    {
      Side first = { cpu_a, line, TRUE };
      Side second = { cpu_b, line, FALSE };
      gint64 start;
      GThread *thread;

      g_atomic_int_set (line, -1);
      thread = g_thread_new ("core-pair", bounce, &second);
      pin (cpu_a);
      start = g_get_monotonic_time ();
      g_atomic_int_set (line, 0);
      bounce (&first);
      ns[b] = (g_get_monotonic_time () - start) * 1000.0 / ROUNDS;
      g_thread_join (thread);
    }
  qsort (ns, BURSTS, sizeof ns[0], compare);
  printf ("core_pair cpus=%d,%d round_trip_ns=%.0f min_ns=%.0f max_ns=%.0f\n",
          cpu_a, cpu_b, ns[BURSTS / 2], ns[0], ns[BURSTS - 1]);
  return 0;
}
