/* maiko-error.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include <glib.h>

#include "maiko-version-macros.h"

G_BEGIN_DECLS

/**
 * MAIKO_ERROR:
 *
 * The error domain of the Maiko runtime. Errors in this domain carry a
 * [enum@Maiko.Error] code.
 */
#define MAIKO_ERROR (maiko_error_quark ())

/**
 * MaikoError:
 * @MAIKO_ERROR_FAILED: a generic failure, for instance a handler that
 *   returned %FALSE without setting an error
 * @MAIKO_ERROR_INVALID_ARGUMENT: an argument is not acceptable: an empty or
 *   reserved name, an invalid topic, a capacity of zero
 * @MAIKO_ERROR_DUPLICATE_ACTOR: an actor with that name already exists, or
 *   the actor object was already added
 * @MAIKO_ERROR_WRONG_STATE: the call is not allowed in the supervisor's
 *   current state (starting twice, sending before start, a blocking call from
 *   inside an actor)
 * @MAIKO_ERROR_STOPPED: the runtime (or the sending actor) is stopping or has
 *   stopped; the event was not accepted
 * @MAIKO_ERROR_MAILBOX_CLOSED: the receiving mailbox is closed
 * @MAIKO_ERROR_MAILBOX_FULL: the receiving mailbox is full
 * @MAIKO_ERROR_SETTLE_TIMEOUT: a condition did not settle in time
 *
 * Error codes of the %MAIKO_ERROR domain.
 */
typedef enum
{
  MAIKO_ERROR_FAILED,
  MAIKO_ERROR_INVALID_ARGUMENT,
  MAIKO_ERROR_DUPLICATE_ACTOR,
  MAIKO_ERROR_WRONG_STATE,
  MAIKO_ERROR_STOPPED,
  MAIKO_ERROR_MAILBOX_CLOSED,
  MAIKO_ERROR_MAILBOX_FULL,
  MAIKO_ERROR_SETTLE_TIMEOUT,
} MaikoError;

MAIKO_AVAILABLE_IN_ALL
GQuark maiko_error_quark (void);

G_END_DECLS
