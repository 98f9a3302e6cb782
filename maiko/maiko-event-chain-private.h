/* maiko-event-chain-private.h
 *
 * SPDX-License-Identifier: MIT
 */

#pragma once

#include "maiko-event-chain.h"

G_BEGIN_DECLS

/* Tells whether @element (a step of a path) matches @pattern. */
typedef gboolean (*MaikoStepMatch) (gconstpointer element,
                                    gconstpointer pattern);

typedef enum
{
  MAIKO_PATH_EXACT,              /* the whole path, step by step */
  MAIKO_PATH_SEGMENT,            /* consecutive steps of the path */
  MAIKO_PATH_PASSES_THROUGH,     /* steps of the path in order, gaps allowed */
} MaikoPathMode;

/* @records: every entry recorded, never changed again. */
MaikoEventChain *_maiko_event_chain_new          (GPtrArray         *records,
                                                  const char        *root_id);
GPtrArray       *_maiko_event_chain_get_records  (MaikoEventChain   *self);
const char      *_maiko_event_chain_root_sender  (MaikoEventChain   *self);
GPtrArray       *_maiko_event_chain_ordered      (MaikoEventChain   *self);
GPtrArray       *_maiko_event_chain_actor_paths  (MaikoEventChain   *self);
GPtrArray       *_maiko_event_chain_event_paths  (MaikoEventChain   *self);

gboolean         _maiko_entry_has_label          (gconstpointer      entry,
                                                  gconstpointer      label);
gboolean         _maiko_entry_is_matched         (gconstpointer      entry,
                                                  gconstpointer      matcher);
gboolean         _maiko_paths_match              (GPtrArray         *paths,
                                                  MaikoPathMode      mode,
                                                  gconstpointer     *patterns,
                                                  guint              n_patterns,
                                                  MaikoStepMatch     match);

G_END_DECLS
