/* fuzz-common.h: what every libFuzzer target here shares
 *
 * A target defines FUZZ_NAME (its program name, for messages) before it
 * includes this file, and then only LLVMFuzzerTestOneInput().
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#ifndef FUZZ_NAME
#error "define FUZZ_NAME before including fuzz-common.h"
#endif

/* G_DEBUG=fatal-criticals would raise SIGTRAP, which libFuzzer does not
 * report as a crash: abort() instead, after saying why. */
static void
abort_on_message (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return;

  fprintf (stderr, FUZZ_NAME ": %s: %s\n", log_domain != NULL ? log_domain : "(no domain)", message);
  abort ();
}

static GLogWriterOutput
abort_on_structured (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = "(no message)";

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  abort_on_message (domain, log_level, message, NULL);

  return G_LOG_WRITER_HANDLED;
}

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_default_handler (abort_on_message, NULL);
  g_log_set_writer_func (abort_on_structured, NULL, NULL);

  return 0;
}

#define CHECK(condition) \
  G_STMT_START { \
    if (!(condition)) \
      { \
        fprintf (stderr, FUZZ_NAME ": %s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        abort (); \
      } \
  } G_STMT_END

static gboolean
is_text (const char *text)
{
  return text != NULL && *text != '\0' && g_utf8_validate (text, -1, NULL);
}
