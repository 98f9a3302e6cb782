/* maiko-deliveries.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include "maiko-deliveries-private.h"

/*
 * An outbox goes to the mailboxes one receiver at a time: all that receiver's
 * events under one lock, in the order they were sent, each with its topic's
 * policy. Routing it event by event (or in runs of one topic) would take a
 * lock, and often a wake-up, per delivery when the topics vary: 64 topics
 * in round robin give runs of one event.
 *
 * A counting sort, two passes over the outbox: count each receiver's
 * deliveries, then place them. Receivers come in the order of their first
 * delivery. The scratch is reused from one outbox to the next.
 */

typedef struct
{
  MaikoActor *receiver;
  guint       slot;
  guint       start;   /* into envelopes and policies */
  guint       n;
} ReceiverGroup;

struct _MaikoDeliveries
{
  /* Per receiver slot: its group's index + 1, or 0. All 0 between uses. */
  guint      *group_of;
  guint       n_slots;
  GArray     *groups;      /* ReceiverGroup */
  GPtrArray  *routes_of;   /* const MaikoRoute*, per envelope of the outbox */
  GPtrArray  *envelopes;   /* MaikoEnvelope*, group after group: one
                            * reference per delivery, until handed on */
  GArray     *policies;    /* MaikoOverflowPolicy, parallel to envelopes */
  GPtrArray  *unrouted;    /* MaikoEnvelope*, owned: those nobody receives */
};

MaikoDeliveries *
_maiko_deliveries_new (void)
{
  MaikoDeliveries *deliveries = g_new0 (MaikoDeliveries, 1);

  deliveries->groups = g_array_new (FALSE, FALSE, sizeof (ReceiverGroup));
  deliveries->routes_of = g_ptr_array_new ();
  deliveries->envelopes = g_ptr_array_new ();
  deliveries->policies = g_array_new (FALSE, FALSE, sizeof (MaikoOverflowPolicy));
  deliveries->unrouted = g_ptr_array_new ();

  return deliveries;
}

void
_maiko_deliveries_free (MaikoDeliveries *deliveries)
{
  g_free (deliveries->group_of);
  g_array_unref (deliveries->groups);
  g_ptr_array_unref (deliveries->routes_of);
  g_ptr_array_unref (deliveries->envelopes);
  g_array_unref (deliveries->policies);
  g_ptr_array_unref (deliveries->unrouted);
  g_free (deliveries);
}

/* Forgets the previous outbox, keeping the memory. */
static void
reset (MaikoDeliveries *deliveries,
       guint            n_slots)
{
  for (guint i = 0; i < deliveries->groups->len; i++)
    deliveries->group_of[g_array_index (deliveries->groups, ReceiverGroup, i).slot] = 0;
  g_array_set_size (deliveries->groups, 0);

  if (n_slots > deliveries->n_slots)
    {
      g_free (deliveries->group_of);
      deliveries->group_of = g_new0 (guint, n_slots);
      deliveries->n_slots = n_slots;
    }
}

/* Looks each envelope's route up once; consecutive envelopes on one topic
 * (the usual outbox) share the look-up. */
static void
look_up_routes (MaikoDeliveries  *deliveries,
                MaikoRoutes      *routes,
                MaikoEnvelope   **envelopes,
                guint             n)
{
  const char *topic = NULL;
  const MaikoRoute *route = NULL;

  g_ptr_array_set_size (deliveries->routes_of, n);
  for (guint i = 0; i < n; i++)
    {
      const char *next = maiko_envelope_get_topic (envelopes[i]);

      if (topic == NULL || (next != topic && !g_str_equal (next, topic)))
        route = _maiko_routes_lookup (routes, next);
      topic = next;
      deliveries->routes_of->pdata[i] = (gpointer) route;
    }
}

static ReceiverGroup *
group_of (MaikoDeliveries *deliveries,
          const MaikoRoute *route,
          guint            j)
{
  guint slot = g_array_index (route->slots, guint, j);

  if (deliveries->group_of[slot] == 0)
    {
      ReceiverGroup group = { g_ptr_array_index (route->receivers, j), slot, 0, 0 };

      g_array_append_val (deliveries->groups, group);
      deliveries->group_of[slot] = deliveries->groups->len;
    }

  return &g_array_index (deliveries->groups, ReceiverGroup, deliveries->group_of[slot] - 1);
}

/* Gives each envelope as many references as it has deliveries: the
 * caller's, and more for a fan-out; an envelope nobody receives keeps the
 * caller's in the unrouted list. */
static void
reference_deliveries (MaikoDeliveries *deliveries,
                      MaikoEnvelope   *envelope,
                      guint            n_deliveries)
{
  if (n_deliveries == 0)
    g_ptr_array_add (deliveries->unrouted, envelope);
  for (guint i = 1; i < n_deliveries; i++)
    maiko_envelope_ref (envelope);
}

/* Groups the deliveries of @envelopes (in the order sent) by receiver,
 * leaving out @sender. Takes the caller's reference to each envelope and
 * hands one to each delivery. */
void
_maiko_deliveries_group (MaikoDeliveries  *deliveries,
                         MaikoRoutes      *routes,
                         MaikoActor       *sender,
                         MaikoEnvelope   **envelopes,
                         guint             n)
{
  guint total = 0;

  reset (deliveries, _maiko_routes_get_n_slots (routes));
  g_ptr_array_set_size (deliveries->unrouted, 0);
  look_up_routes (deliveries, routes, envelopes, n);

  for (guint i = 0; i < n; i++)
    {
      const MaikoRoute *route = deliveries->routes_of->pdata[i];
      guint n_deliveries = 0;

      for (guint j = 0; j < route->receivers->len; j++)
        if (g_ptr_array_index (route->receivers, j) != sender)
          {
            group_of (deliveries, route, j)->n++;
            n_deliveries++;
          }
      reference_deliveries (deliveries, envelopes[i], n_deliveries);
    }

  for (guint g = 0; g < deliveries->groups->len; g++)
    {
      ReceiverGroup *group = &g_array_index (deliveries->groups, ReceiverGroup, g);

      group->start = total;
      total += group->n;
      group->n = 0;
    }

  g_ptr_array_set_size (deliveries->envelopes, total);
  g_array_set_size (deliveries->policies, total);
  for (guint i = 0; i < n; i++)
    {
      const MaikoRoute *route = deliveries->routes_of->pdata[i];

      for (guint j = 0; j < route->receivers->len; j++)
        {
          ReceiverGroup *group;
          guint at;

          if (g_ptr_array_index (route->receivers, j) == sender)
            continue;
          group = group_of (deliveries, route, j);
          at = group->start + group->n++;
          deliveries->envelopes->pdata[at] = envelopes[i];
          g_array_index (deliveries->policies, MaikoOverflowPolicy, at) = route->policy;
        }
    }
}

/* The envelopes of the outbox that nobody receives, each with the
 * caller's reference, which the caller passes on. */
GPtrArray *
_maiko_deliveries_get_unrouted (MaikoDeliveries *deliveries)
{
  return deliveries->unrouted;
}

guint
_maiko_deliveries_get_n_receivers (MaikoDeliveries *deliveries)
{
  return deliveries->groups->len;
}

/* The @i-th receiver, with its @n envelopes and their policies: the caller
 * owns one reference to each and passes it on. */
MaikoActor *
_maiko_deliveries_get_receiver (MaikoDeliveries            *deliveries,
                                guint                       i,
                                MaikoEnvelope            ***envelopes,
                                const MaikoOverflowPolicy **policies,
                                guint                      *n)
{
  const ReceiverGroup *group = &g_array_index (deliveries->groups, ReceiverGroup, i);

  *envelopes = (MaikoEnvelope **) deliveries->envelopes->pdata + group->start;
  *policies = &g_array_index (deliveries->policies, MaikoOverflowPolicy, group->start);
  *n = group->n;

  return group->receiver;
}
