/* bench-system.h: what the benchmark programs ask of the system
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <glib.h>

/* A field of /proc/self/status ("VmRSS:", "VmHWM:"), in KiB; -1 if absent. */
static inline gint64
bench_proc_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;
}

/* An eventfd per GMainContext: 1,000 threads with a context each need
 * more file descriptors than some default soft limits allow. */
static inline void
bench_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_printerr ("setrlimit: %s\n", g_strerror (errno));
    }
}
