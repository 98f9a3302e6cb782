/* maiko-record.c
 *
 * SPDX-License-Identifier: MIT
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "maiko-enum-types.h"
#include "maiko-error.h"
#include "maiko-record-private.h"

/**
 * MaikoRecord:
 *
 * One line of a [class@Maiko.Recorder] file, read back: the hook it
 * records and that hook's fields. The format is described in the
 * [Recorder format](recorder-format.html) guide.
 *
 * Which getters return something depends on the hook:
 *
 * - the event hooks (%MAIKO_RECORD_HOOK_EVENT_DISPATCHED,
 *   %MAIKO_RECORD_HOOK_EVENT_DELIVERED, %MAIKO_RECORD_HOOK_EVENT_HANDLED and
 *   %MAIKO_RECORD_HOOK_OVERFLOW) have the envelope's id, parent id, label,
 *   payload, sender, topic and timestamp, and the receiver; an overflow
 *   also has the topic's policy;
 * - %MAIKO_RECORD_HOOK_ERROR has the actor and the error's domain, code
 *   and message;
 * - %MAIKO_RECORD_HOOK_ACTOR_REGISTERED and
 *   %MAIKO_RECORD_HOOK_ACTOR_STOPPED have the actor;
 * - %MAIKO_RECORD_HOOK_ACTOR_RESTARTED has the actor, the restart count
 *   and, if the instance it replaced ended with one, the error.
 *
 * Every record has the time it was written.
 *
 * Records are immutable and reference counted. They are made with
 * [func@Maiko.Record.parse_line], or by the hundred with
 * [func@Maiko.Recorder.read_file], from bytes that need not be trusted:
 * malformed input is an error, never a crash.
 */
struct _MaikoRecord
{
  gatomicrefcount      ref_count;
  MaikoRecordHook      hook;
  gint64               time;

  /* Event hooks. Strings are copies: names read from a file are not
   * interned, or a hostile file could grow the process without bound. */
  char                *id;
  char                *parent_id;
  char                *label;
  char                *sender;
  char                *receiver;
  char                *topic;
  GVariant            *payload;          /* sunk, or NULL */
  gint64               timestamp;
  MaikoOverflowPolicy  policy;           /* overflow only */

  /* Error and actor hooks. */
  char                *actor;
  /* The domain stays a string: turning it into a quark would leak one
   * quark per distinct domain read. */
  char                *error_domain;
  gint                 error_code;
  char                *error_message;
  guint                restart_count;    /* actor-restarted only */
};

G_DEFINE_BOXED_TYPE (MaikoRecord, maiko_record, maiko_record_ref, maiko_record_unref)

G_DEFINE_ENUM_TYPE (MaikoRecordHook, maiko_record_hook,
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_EVENT_DISPATCHED, "event-dispatched"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_EVENT_DELIVERED, "event-delivered"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_EVENT_HANDLED, "event-handled"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_OVERFLOW, "overflow"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_ACTOR_REGISTERED, "actor-registered"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_ACTOR_STOPPED, "actor-stopped"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_EVENT_UNROUTED, "event-unrouted"),
  G_DEFINE_ENUM_VALUE (MAIKO_RECORD_HOOK_ACTOR_RESTARTED, "actor-restarted"))

static const char *
enum_nick (GType type,
           gint  value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  g_return_val_if_fail (enum_value != NULL, NULL);
  /* Nicks are static: they outlive the class reference. */
  return enum_value->value_nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                gint       *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value_by_nick (klass, nick);

  if (enum_value == NULL)
    return FALSE;
  *value = enum_value->value;
  return TRUE;
}

static gboolean
hook_is_event (MaikoRecordHook hook)
{
  return hook <= MAIKO_RECORD_HOOK_OVERFLOW || hook == MAIKO_RECORD_HOOK_EVENT_UNROUTED;
}


/* Hooks */

/**
 * maiko_record_hook_to_string:
 * @hook: a hook
 *
 * Names a hook: the name is the nick of the enumeration value, which is
 * also the name of the [class@Maiko.Monitor] signal the hook is, and the
 * `"hook"` field of a recorder line (see [Recorder format](recorder-format.html)).
 * [func@Maiko.RecordHook.from_string] reads it back.
 *
 * ```c
 * g_print ("%s\n", maiko_record_hook_to_string (maiko_record_get_hook (record)));
 * ```
 *
 * Returns: the hook's name, such as `"event-dispatched"`: a static string
 */
const char *
maiko_record_hook_to_string (MaikoRecordHook hook)
{
  return enum_nick (MAIKO_TYPE_RECORD_HOOK, hook);
}

/**
 * maiko_record_hook_from_string:
 * @name: the name of a hook, such as `"event-dispatched"`
 * @hook: (out): where to store the hook
 * @error: return location for a #GError
 *
 * Reads the name of a hook, as [func@Maiko.RecordHook.to_string] gives it.
 * A name that is not a hook's fails with %MAIKO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (skip): %TRUE if @name names a hook, %FALSE with @error set
 */
gboolean
maiko_record_hook_from_string (const char       *name,
                               MaikoRecordHook  *hook,
                               GError          **error)
{
  gint value;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (hook != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!enum_from_nick (MAIKO_TYPE_RECORD_HOOK, name, &value))
    {
      g_set_error (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not the name of a hook", name);
      return FALSE;
    }

  *hook = value;
  return TRUE;
}

/* What a string field of a line may hold, besides a non-empty string:
 * the writer and the reader go by the same flags. */
typedef enum
{
  FIELD_REQUIRED     = 0,
  FIELD_NULLABLE     = 1 << 0,   /* JSON null reads as NULL */
  FIELD_MAY_BE_EMPTY = 1 << 1,
} FieldFlags;

/* An event nobody received has no receiver: its line has `null`. */
static FieldFlags
receiver_flags (MaikoRecordHook hook)
{
  return hook == MAIKO_RECORD_HOOK_EVENT_UNROUTED ? FIELD_NULLABLE : FIELD_REQUIRED;
}

/* Writing */

/* Whether json_gvariant_deserialize() gives a payload of @type back from
 * its JSON form, and can be trusted with that form when it comes from a
 * file. It guesses the type of a variant's value, merges duplicate
 * dictionary keys, rounds double keys, builds object path and signature
 * keys of the wrong type, folds nested maybes, and fails a precondition
 * (a critical) on an invalid object path or signature value. */
static gboolean
json_form_is_exact (const char *type)
{
  return strpbrk (type, "v{og") == NULL && strstr (type, "mm") == NULL;
}

/* Whether json-glib writes @value as valid JSON. It writes NaN and the
 * infinities as they print, and appends ".0" to a double printed without
 * a dot, which breaks one printed with an exponent ("1e+22.0"). */
static gboolean
double_has_json_form (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return FALSE;
  g_ascii_dtostr (text, sizeof text, value);
  return strchr (text, '.') != NULL || strchr (text, 'e') == NULL;
}

/* Whether @value holds a double that has no JSON form. */
static gboolean
has_double_without_json_form (GVariant *value)
{
  const char *type = g_variant_get_type_string (value);
  gsize n;

  if (strpbrk (type, "dv") == NULL)
    return FALSE;

  if (g_str_equal (type, "d"))
    return !double_has_json_form (g_variant_get_double (value));

  if (g_str_equal (type, "ad"))
    {
      const double *values = g_variant_get_fixed_array (value, &n, sizeof (double));

      for (gsize i = 0; i < n; i++)
        if (!double_has_json_form (values[i]))
          return TRUE;
      return FALSE;
    }

  n = g_variant_n_children (value);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

      if (has_double_without_json_form (child))
        return TRUE;
    }

  return FALSE;
}

void
_maiko_json_add_string (JsonBuilder *builder,
                        const char  *name,
                        const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The longest text, in bytes, that a line holds in one string field: a
 * label, topic, name, parent id, error domain or message, or the type of
 * an omitted payload. The runtime bounds none of them, and a line too
 * long for the reader would make the whole file unreadable, so longer
 * ones are cut. A payload whose type is longer is omitted (the type is
 * not part of its serialised size). So an event's line holds, beside a
 * payload's JSON and text forms (see MAX_PAYLOAD_SIZE), at most 6 such
 * texts and the payload's type twice, each at most 6 bytes per byte once
 * escaped: about 3 MiB, and the line stays below
 * MAIKO_RECORD_MAX_LINE_LENGTH. */
#define MAX_TEXT_LENGTH (64 * 1024)

/* More than the text fields of any line. */
#define MAX_CUT_FIELDS 8

/* What a missing or empty text becomes where one is needed: U+FFFD, the
 * character that g_utf8_make_valid() puts for invalid bytes. */
#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

/* A line being built. */
typedef struct
{
  JsonBuilder *builder;
  /* The fields whose text was cut, listed in "truncated" at the end. */
  const char  *cut_fields[MAX_CUT_FIELDS];
  guint        n_cut_fields;
} Line;

/* Writes @value as the reader reads it back (read_string() with the same
 * @flags): valid UTF-8, at most MAX_TEXT_LENGTH bytes, and not empty
 * unless @flags allow it. The runtime checks its names, labels and topics
 * for all but the length; a monitor signal emitted by hand, or a GError,
 * may hold anything. Invalid bytes become U+FFFD, as g_utf8_make_valid()
 * makes them, and so does a missing or empty text where one is needed;
 * a text too long is cut at a character's start, and named in the line's
 * "truncated" field. */
static void
add_member_text (Line        *line,
                 const char  *name,
                 const char  *value,
                 FieldFlags   flags)
{
  g_autofree char *valid = NULL;
  gsize length;

  json_builder_set_member_name (line->builder, name);
  if (value == NULL && (flags & FIELD_NULLABLE))
    {
      json_builder_add_null_value (line->builder);
      return;
    }
  if (value == NULL)
    value = "";
  if (*value == '\0' && !(flags & FIELD_MAY_BE_EMPTY))
    value = REPLACEMENT_CHARACTER;

  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);
  length = strlen (value);
  if (length > MAX_TEXT_LENGTH)
    {
      length = MAX_TEXT_LENGTH;
      while ((value[length] & 0xc0) == 0x80)
        length--;
      if (valid == NULL)
        value = valid = g_strndup (value, length);
      else
        valid[length] = '\0';
      g_assert (line->n_cut_fields < MAX_CUT_FIELDS);
      line->cut_fields[line->n_cut_fields++] = name;
    }
  json_builder_add_string_value (line->builder, value);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* The largest payload written, in its serialised GVariant form. Its JSON
 * and text forms together take at most 14 bytes per byte (an array of
 * maybe booleans in a variant: "null," and "nothing, " for one offset
 * byte), so its line stays below MAIKO_RECORD_MAX_LINE_LENGTH and can be
 * read back. It also bounds the cost: json-glib builds a node per array
 * element, which for a 64 MiB byte array takes minutes and gigabytes, on
 * the monitor's context. */
#define MAX_PAYLOAD_SIZE (MAIKO_RECORD_MAX_LINE_LENGTH / 16)

/* The deepest nesting of containers (variants included) that
 * g_variant_parse() reads back: GLib's G_VARIANT_MAX_RECURSION_DEPTH, 128
 * levels, one of which is the leaf. */
#define MAX_PAYLOAD_DEPTH 127

/* How deeply values of @type may nest containers; @type holds no variant.
 * It reads the string itself, without recursion: an in-memory value can
 * have a type nested deeper than GLib lets GVariantType functions accept
 * (g_variant_new_array() does not check), 10,000 arrays deep or more. */
static gsize
type_depth (const char *type)
{
  /* One entry per open container: whether it is an array or maybe, which
   * closes after one complete type, or a tuple or dictionary entry. */
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (gboolean));
  gsize depth = 0;

  for (const char *p = type; *p != '\0'; p++)
    {
      gboolean single = *p == 'a' || *p == 'm';

      if (single || *p == '(' || *p == '{')
        {
          g_array_append_val (open, single);
          depth = MAX (depth, open->len);
          continue;
        }
      if (*p == ')' || *p == '}')
        g_array_set_size (open, open->len - 1);
      /* A complete type ends here: so do the arrays and maybes of it. */
      while (open->len > 0 && g_array_index (open, gboolean, open->len - 1))
        g_array_set_size (open, open->len - 1);
    }

  return depth;
}

/* Whether @value nests containers deeper than @depth levels. Only
 * variants make the depth of a value differ from that of its type; an
 * in-memory value may nest them without limit, so the walk stops at
 * @depth. */
static gboolean
nests_deeper_than (GVariant *value,
                   guint     depth)
{
  const char *type = g_variant_get_type_string (value);
  gsize n;

  if (!g_variant_is_container (value))
    return FALSE;
  if (depth == 0)
    return TRUE;
  if (strchr (type, 'v') == NULL)
    return type_depth (type) > depth;

  n = g_variant_n_children (value);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

      if (nests_deeper_than (child, depth - 1))
        return TRUE;
    }

  return FALSE;
}

/* A payload that could not be read back is written without its value,
 * or one such event would make the whole file unreadable: "payload" and
 * "payload_type" are null, as for an event without payload, and two more
 * fields say what was left out. */
static gboolean
add_omitted_payload (Line     *line,
                     GVariant *payload)
{
  JsonBuilder *builder = line->builder;
  const char *type = g_variant_get_type_string (payload);

  /* The type is not part of the serialised size: an empty array can
   * have a type of any length. */
  if (g_variant_get_size (payload) <= MAX_PAYLOAD_SIZE &&
      strlen (type) <= MAX_TEXT_LENGTH &&
      !nests_deeper_than (payload, MAX_PAYLOAD_DEPTH))
    return FALSE;

  _maiko_json_add_string (builder, "payload", NULL);
  _maiko_json_add_string (builder, "payload_type", NULL);
  add_member_text (line, "omitted_payload_type", type, FIELD_REQUIRED);
  add_member_int (builder, "omitted_payload_size", g_variant_get_size (payload));

  return TRUE;
}

gboolean
_maiko_json_add_payload (JsonBuilder *builder,
                         GVariant    *payload)
{
  const char *type = payload != NULL ? g_variant_get_type_string (payload) : NULL;
  gboolean no_json_form;

  no_json_form = payload != NULL && has_double_without_json_form (payload);
  json_builder_set_member_name (builder, "payload");
  if (payload != NULL && !no_json_form)
    json_builder_add_value (builder, json_gvariant_serialize (payload));
  else
    json_builder_add_null_value (builder);

  _maiko_json_add_string (builder, "payload_type", type);

  return payload == NULL || (!no_json_form && json_form_is_exact (type));
}

static void
add_payload (Line     *line,
             GVariant *payload)
{
  g_autofree char *text = NULL;

  if (payload != NULL && add_omitted_payload (line, payload))
    return;
  if (_maiko_json_add_payload (line->builder, payload))
    return;

  text = g_variant_print (payload, TRUE);
  _maiko_json_add_string (line->builder, "payload_text", text);
}

static void
begin_record (Line            *line,
              MaikoRecordHook  hook)
{
  line->builder = json_builder_new ();
  line->n_cut_fields = 0;
  json_builder_begin_object (line->builder);
  _maiko_json_add_string (line->builder, "hook", enum_nick (MAIKO_TYPE_RECORD_HOOK, hook));
  add_member_int (line->builder, "time", g_get_real_time ());
}

static JsonNode *
end_record (Line *line)
{
  g_autoptr(JsonBuilder) builder = g_steal_pointer (&line->builder);

  if (line->n_cut_fields > 0)
    {
      json_builder_set_member_name (builder, "truncated");
      json_builder_begin_array (builder);
      for (guint i = 0; i < line->n_cut_fields; i++)
        json_builder_add_string_value (builder, line->cut_fields[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
_maiko_record_build_event (MaikoRecordHook      hook,
                           MaikoEnvelope       *envelope,
                           const char          *topic,
                           const char          *receiver,
                           MaikoOverflowPolicy  policy)
{
  MaikoEvent *event = maiko_envelope_get_event (envelope);
  Line line;

  begin_record (&line, hook);
  _maiko_json_add_string (line.builder, "id", maiko_envelope_get_id (envelope));
  add_member_text (&line, "parent_id", maiko_envelope_get_parent_id (envelope), FIELD_NULLABLE);
  add_member_text (&line, "label", maiko_event_get_label (event), FIELD_REQUIRED);
  add_member_text (&line, "topic", topic, FIELD_REQUIRED);
  add_member_text (&line, "sender", maiko_envelope_get_sender (envelope), FIELD_REQUIRED);
  add_member_text (&line, "receiver", receiver, receiver_flags (hook));
  add_member_int (line.builder, "timestamp", maiko_envelope_get_timestamp (envelope));
  add_payload (&line, maiko_event_get_payload (event));
  if (hook == MAIKO_RECORD_HOOK_OVERFLOW)
    _maiko_json_add_string (line.builder, "policy", enum_nick (MAIKO_TYPE_OVERFLOW_POLICY, policy));

  return end_record (&line);
}

/* With @flags FIELD_NULLABLE, no error is a null domain and message. */
static void
add_error_members (Line         *line,
                   const GError *error,
                   FieldFlags    flags)
{
  add_member_text (line, "domain", error != NULL ? g_quark_to_string (error->domain) : NULL,
                   flags);
  add_member_int (line->builder, "code", error != NULL ? error->code : 0);
  add_member_text (line, "message", error != NULL ? error->message : NULL,
                   flags | FIELD_MAY_BE_EMPTY);
}

/* A GError may be NULL when the signal is emitted by hand; its domain is
 * then written as U+FFFD, as a domain of 0 (no name) is. */
JsonNode *
_maiko_record_build_error (const char   *actor,
                           const GError *error)
{
  Line line;

  begin_record (&line, MAIKO_RECORD_HOOK_ERROR);
  add_member_text (&line, "actor", actor, FIELD_REQUIRED);
  add_error_members (&line, error, FIELD_REQUIRED);

  return end_record (&line);
}

JsonNode *
_maiko_record_build_restart (const char   *actor,
                             guint         count,
                             const GError *error)
{
  Line line;

  begin_record (&line, MAIKO_RECORD_HOOK_ACTOR_RESTARTED);
  add_member_text (&line, "actor", actor, FIELD_REQUIRED);
  add_member_int (line.builder, "restarts", count);
  add_error_members (&line, error, FIELD_NULLABLE);

  return end_record (&line);
}

JsonNode *
_maiko_record_build_actor (MaikoRecordHook  hook,
                           const char      *actor)
{
  Line line;

  begin_record (&line, hook);
  add_member_text (&line, "actor", actor, FIELD_REQUIRED);

  return end_record (&line);
}

/* Reading */

/* The message stays valid UTF-8, as a GError's must: JsonParser quotes
 * the string it stopped at, decoded, and a lone surrogate escape in it
 * ("\ud800") decodes to bytes that are not UTF-8. */
static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }
  g_set_error_literal (error, MAIKO_ERROR, MAIKO_ERROR_INVALID_ARGUMENT, message);

  return FALSE;
}

static JsonNode *
get_member (JsonObject  *object,
            const char  *name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    invalid (error, "missing field “%s”", name);
  return node;
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             FieldFlags   flags,
             char       **out,
             GError     **error)
{
  JsonNode *node = get_member (object, name, error);

  if (node == NULL)
    return FALSE;
  if ((flags & FIELD_NULLABLE) && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_holds (node, G_TYPE_STRING))
    return invalid (error, "field “%s” is not a string", name);
  if (!(flags & FIELD_MAY_BE_EMPTY) && *json_node_get_string (node) == '\0')
    return invalid (error, "field “%s” is empty", name);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = get_member (object, name, error);

  if (node == NULL)
    return FALSE;
  if (!node_holds (node, G_TYPE_INT64))
    return invalid (error, "field “%s” is not an integer", name);

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_enum (JsonObject  *object,
           const char  *name,
           GType        type,
           gint        *out,
           GError     **error)
{
  g_autofree char *nick = NULL;

  if (!read_string (object, name, FIELD_REQUIRED, &nick, error))
    return FALSE;
  if (!enum_from_nick (type, nick, out))
    return invalid (error, "field “%s” has an unknown value", name);

  return TRUE;
}

static GVariant *
parse_payload_text (JsonObject  *object,
                    const char  *type,
                    GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  GVariant *payload;

  if (!read_string (object, "payload_text", FIELD_MAY_BE_EMPTY, &text, error))
    return NULL;
  payload = g_variant_parse (G_VARIANT_TYPE (type), text, NULL, NULL, &local_error);
  if (payload == NULL)
    invalid (error, "field “payload_text” is not a value of payload_type: %s",
             local_error->message);

  return payload;
}

/* Whether @node, a leaf of a payload of @type, is an integer that does not
 * fit the type: json_gvariant_deserialize() casts without a check, so
 * 70000 would read as the int16 4464, and 300 as the byte 44. Any gint64
 * fits "x", and "t" too: json-glib writes a guint64 above G_MAXINT64 as a
 * negative number. */
static gboolean
integer_fits (JsonNode            *node,
              const GVariantType  *type,
              GError             **error)
{
  char type_char = *g_variant_type_peek_string (type);
  gint64 min;
  gint64 max;
  gint64 value;

  if (!node_holds (node, G_TYPE_INT64))
    return TRUE;

  switch (type_char)
    {
    case 'y':
      min = 0;
      max = G_MAXUINT8;
      break;
    case 'n':
      min = G_MININT16;
      max = G_MAXINT16;
      break;
    case 'q':
      min = 0;
      max = G_MAXUINT16;
      break;
    case 'i':
    case 'h':
      min = G_MININT32;
      max = G_MAXINT32;
      break;
    case 'u':
      min = 0;
      max = G_MAXUINT32;
      break;
    default:
      return TRUE;
    }

  value = json_node_get_int (node);
  if (value >= min && value <= max)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%" G_GINT64_FORMAT " is out of range for type “%c”", value, type_char);
  return FALSE;
}

/* json_gvariant_deserialize() appends each element of an array or a tuple
 * to a GList, which takes time quadratic in the number of elements: a line
 * of a few megabytes of "[0,0,...]" would take hours. So arrays, tuples and
 * maybes are walked here, in linear time, and only their leaves go to
 * json-glib, which reads them as it would have inside the container. The
 * types that reach here have no variants or dictionaries
 * (json_form_is_exact()), and GLib bounds their nesting. */
static GVariant *
payload_from_json (JsonNode            *node,
                   const GVariantType  *type,
                   GError             **error)
{
  g_autofree char *leaf_type = NULL;
  GVariantBuilder builder;
  GVariant *child;

  if (g_variant_type_is_maybe (type))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        return g_variant_new_maybe (g_variant_type_element (type), NULL);
      child = payload_from_json (node, g_variant_type_element (type), error);
      return child != NULL ? g_variant_new_maybe (NULL, child) : NULL;
    }

  if (g_variant_type_is_array (type) || g_variant_type_is_tuple (type))
    {
      gboolean is_array = g_variant_type_is_array (type);
      const GVariantType *element;
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "expected a JSON array");
          return NULL;
        }
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      element = is_array ? g_variant_type_element (type) : g_variant_type_first (type);
      if (!is_array && g_variant_type_n_items (type) != n)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "a JSON array of %u elements for a tuple of %" G_GSIZE_FORMAT,
                       n, g_variant_type_n_items (type));
          return NULL;
        }

      g_variant_builder_init (&builder, type);
      for (guint i = 0; i < n; i++)
        {
          child = payload_from_json (json_array_get_element (array, i), element, error);
          if (child == NULL)
            {
              g_variant_builder_clear (&builder);
              return NULL;
            }
          g_variant_builder_add_value (&builder, child);
          if (!is_array)
            element = g_variant_type_next (element);
        }

      return g_variant_builder_end (&builder);
    }

  if (!integer_fits (node, type, error))
    return NULL;
  leaf_type = g_variant_type_dup_string (type);
  return json_gvariant_deserialize (node, leaf_type, error);
}

static GVariant *
parse_payload_json (JsonNode    *node,
                    const char  *type,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GVariant *payload;

  if (!json_form_is_exact (type))
    {
      invalid (error, "a payload of this payload_type needs a “payload_text” field");
      return NULL;
    }

  payload = payload_from_json (node, G_VARIANT_TYPE (type), &local_error);
  if (payload == NULL)
    {
      invalid (error, "field “payload” does not match payload_type: %s", local_error->message);
      return NULL;
    }

  return g_variant_ref_sink (payload);
}

/* "payload_type" null means no payload; otherwise "payload_text", when
 * present, holds the exact value and "payload" is only informative. */
gboolean
_maiko_json_read_payload (JsonObject  *object,
                          GVariant   **payload,
                          GError     **error)
{
  g_autofree char *type = NULL;
  JsonNode *node = get_member (object, "payload", error);

  *payload = NULL;

  if (node == NULL || !read_string (object, "payload_type", FIELD_NULLABLE, &type, error))
    return FALSE;

  if (type == NULL)
    {
      if (!JSON_NODE_HOLDS_NULL (node) || json_object_has_member (object, "payload_text"))
        return invalid (error, "a payload without a payload_type");
      return TRUE;
    }

  if (!g_variant_type_string_is_valid (type))
    return invalid (error, "field “payload_type” is not a GVariant type");

  if (json_object_has_member (object, "payload_text"))
    *payload = parse_payload_text (object, type, error);
  else
    *payload = parse_payload_json (node, type, error);

  return *payload != NULL;
}

static gboolean
read_event (MaikoRecord  *record,
            JsonObject   *object,
            GError      **error)
{
  gint policy = MAIKO_OVERFLOW_POLICY_FAIL;

  if (!read_string (object, "id", FIELD_REQUIRED, &record->id, error))
    return FALSE;
  if (!g_uuid_string_is_valid (record->id))
    return invalid (error, "field “id” is not a UUID");

  if (!read_string (object, "parent_id", FIELD_NULLABLE, &record->parent_id, error) ||
      !read_string (object, "label", FIELD_REQUIRED, &record->label, error) ||
      !read_string (object, "topic", FIELD_REQUIRED, &record->topic, error) ||
      !read_string (object, "sender", FIELD_REQUIRED, &record->sender, error) ||
      !read_string (object, "receiver", receiver_flags (record->hook), &record->receiver, error) ||
      !read_int (object, "timestamp", &record->timestamp, error) ||
      !_maiko_json_read_payload (object, &record->payload, error))
    return FALSE;

  if (record->hook == MAIKO_RECORD_HOOK_OVERFLOW &&
      !read_enum (object, "policy", MAIKO_TYPE_OVERFLOW_POLICY, &policy, error))
    return FALSE;
  record->policy = policy;

  return TRUE;
}

/* With @flags FIELD_NULLABLE, a null domain means no error. */
static gboolean
read_error_members (MaikoRecord  *record,
                    JsonObject   *object,
                    FieldFlags    flags,
                    GError      **error)
{
  gint64 code = 0;

  if (!read_string (object, "domain", flags, &record->error_domain, error) ||
      !read_int (object, "code", &code, error) ||
      !read_string (object, "message", flags | FIELD_MAY_BE_EMPTY, &record->error_message, error))
    return FALSE;

  if (code < G_MININT || code > G_MAXINT)
    return invalid (error, "field “code” is out of range");
  if ((record->error_domain == NULL) != (record->error_message == NULL))
    return invalid (error, "fields “domain” and “message” must both be null, or neither");
  record->error_code = code;

  return TRUE;
}

static gboolean
read_restart (MaikoRecord  *record,
              JsonObject   *object,
              GError      **error)
{
  gint64 count = 0;

  if (!read_string (object, "actor", FIELD_REQUIRED, &record->actor, error) ||
      !read_int (object, "restarts", &count, error) ||
      !read_error_members (record, object, FIELD_NULLABLE, error))
    return FALSE;

  if (count < 1 || count > G_MAXUINT)
    return invalid (error, "field “restarts” is out of range");
  record->restart_count = count;

  return TRUE;
}

static gboolean
read_record (MaikoRecord  *record,
             JsonObject   *object,
             GError      **error)
{
  gint hook = 0;

  if (!read_enum (object, "hook", MAIKO_TYPE_RECORD_HOOK, &hook, error) ||
      !read_int (object, "time", &record->time, error))
    return FALSE;
  record->hook = hook;

  if (hook_is_event (record->hook))
    return read_event (record, object, error);
  if (record->hook == MAIKO_RECORD_HOOK_ERROR)
    return read_string (object, "actor", FIELD_REQUIRED, &record->actor, error) &&
           read_error_members (record, object, FIELD_REQUIRED, error);
  if (record->hook == MAIKO_RECORD_HOOK_ACTOR_RESTARTED)
    return read_restart (record, object, error);
  return read_string (object, "actor", FIELD_REQUIRED, &record->actor, error);
}

static gboolean
only_whitespace (const char *text,
                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;

  return TRUE;
}

/* The characters JsonParser may read as part of a number: besides JSON's
 * own, the letters and digits of its hexadecimal ("0x1F") and binary
 * ("0b101") forms. */
static gboolean
is_number_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

static gsize
skip_digits (const char *text,
             gsize       i,
             gsize       length)
{
  while (i < length && g_ascii_isdigit (text[i]))
    i++;
  return i;
}

/* Whether the @length bytes of @text are a number as JSON writes it,
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and whether it is an
 * integer: one without a fraction or an exponent. */
static gboolean
is_json_number (const char *text,
                gsize       length,
                gboolean   *is_integer)
{
  gsize i = 0;
  gsize digits;

  *is_integer = TRUE;
  if (i < length && text[i] == '-')
    i++;
  digits = skip_digits (text, i, length);
  if (digits == i || (text[i] == '0' && digits > i + 1))
    return FALSE;
  i = digits;

  if (i < length && text[i] == '.')
    {
      *is_integer = FALSE;
      digits = skip_digits (text, i + 1, length);
      if (digits == i + 1)
        return FALSE;
      i = digits;
    }

  if (i < length && (text[i] == 'e' || text[i] == 'E'))
    {
      *is_integer = FALSE;
      i++;
      if (i < length && (text[i] == '+' || text[i] == '-'))
        i++;
      digits = skip_digits (text, i, length);
      if (digits == i)
        return FALSE;
      i = digits;
    }

  return i == length;
}

/* Checks the number that starts the @size bytes of @text, and sets
 * @length to its length. JsonParser reads numbers laxly, and wraps what
 * does not fit: it takes hexadecimal, binary and octal forms ("010" is 8)
 * and "- 1", turns an integer beyond 64 bits into another one (2^63 reads
 * as -2^63, 2^64 as -1) and a double beyond DBL_MAX into an infinity. So
 * a number must be a JSON number, an integer must fit a gint64 (json-glib
 * writes no other), and any other number must be finite. One too small
 * for a double reads as 0 or a subnormal, as strtod() gives it. */
static gboolean
check_number (const char  *text,
              gsize        size,
              gsize       *length,
              GError     **error)
{
  /* Holds any gint64 and the doubles g_ascii_dtostr() writes; a longer
   * number is copied. */
  char buffer[32];
  g_autofree char *copy = NULL;
  const char *number = buffer;
  gboolean is_integer;
  gsize end = 0;

  while (end < size && is_number_char (text[end]))
    end++;
  *length = end;

  if (!is_json_number (text, end, &is_integer))
    return invalid (error, "not a JSON number: “%.*s”", (int) MIN (end, 40), text);

  if (end < sizeof buffer)
    {
      memcpy (buffer, text, end);
      buffer[end] = '\0';
    }
  else
    {
      number = copy = g_strndup (text, end);
    }

  if (is_integer ? !g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64, NULL, NULL)
                 : isinf (g_ascii_strtod (number, NULL)))
    return invalid (error, "number out of range: %.40s", number);

  return TRUE;
}

/* Checks, before JsonParser sees the text, what it does not: that the
 * text is one JSON object and nothing after it (JsonParser takes "{} {}"),
 * nested no deeper than its recursion can go without exhausting the
 * stack, free of "\u0000", which would cut a string short, and that its
 * numbers are JSON numbers it reads without wrapping (check_number()).
 * The scan stops at the object's end; JsonParser judges the rest of the
 * syntax. */
static gboolean
check_structure (const char  *text,
                 gsize        length,
                 GError     **error)
{
  gboolean in_string = FALSE;
  gsize number_length;
  guint depth = 0;
  gsize i = 0;

  while (i < length && g_ascii_isspace (text[i]))
    i++;
  if (i == length || text[i] != '{')
    return invalid (error, "not a JSON object");

  for (; i < length; i++)
    {
      if (in_string)
        {
          if (text[i] == '"')
            {
              in_string = FALSE;
            }
          else if (text[i] == '\\')
            {
              /* Skips the escaped character. */
              i++;
              if (i + 4 < length && memcmp (text + i, "u0000", 5) == 0)
                return invalid (error, "a string holds a NUL character");
            }
          continue;
        }

      switch (text[i])
        {
        case '"':
          in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++depth > MAIKO_RECORD_MAX_DEPTH)
            return invalid (error, "nested deeper than %d levels", MAIKO_RECORD_MAX_DEPTH);
          break;
        case '}':
        case ']':
          if (--depth == 0)
            {
              if (!only_whitespace (text + i + 1, length - i - 1))
                return invalid (error, "text after the record's object");
              return TRUE;
            }
          break;
        case '-':
        case '+':
        case '.':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          if (!check_number (text + i, length - i, &number_length, error))
            return FALSE;
          i += number_length - 1;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* JsonParser decodes a lone surrogate escape ("\ud800x") into bytes that
 * are not UTF-8; a payload string or dictionary key made of them would fail
 * a precondition of GVariant. So every string it made is checked. The
 * recursion is bounded by check_structure(). */
static gboolean
node_is_utf8 (JsonNode *node)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *child;
  JsonArray *array;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &child))
        if (!g_utf8_validate (name, -1, NULL) || !node_is_utf8 (child))
          return FALSE;
      return TRUE;

    case JSON_NODE_ARRAY:
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!node_is_utf8 (json_array_get_element (array, i)))
          return FALSE;
      return TRUE;

    case JSON_NODE_VALUE:
      return !node_holds (node, G_TYPE_STRING) ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

JsonNode *
_maiko_json_load_object (const char  *data,
                         gsize        size,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  /* Also refuses nul bytes. */
  if (!g_utf8_validate_len (data, size, NULL))
    {
      invalid (error, "not valid UTF-8");
      return NULL;
    }
  if (!check_structure (data, size, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      invalid (error, "invalid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "not a JSON object");
      return NULL;
    }
  if (!node_is_utf8 (root))
    {
      invalid (error, "a string escapes a lone surrogate");
      return NULL;
    }

  return json_node_ref (root);
}

static MaikoRecord *
record_new (void)
{
  MaikoRecord *record = g_new0 (MaikoRecord, 1);

  g_atomic_ref_count_init (&record->ref_count);
  return record;
}

/**
 * maiko_record_parse_line:
 * @line: (array length=length) (element-type guint8): one line of a
 *   recorder file, with or without its newline
 * @length: the length of @line in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Reads one record from a line written by a [class@Maiko.Recorder]. The
 * line need not be trusted: anything that is not a well-formed record
 * (invalid UTF-8, a nul byte, more than %MAIKO_RECORD_MAX_LINE_LENGTH
 * bytes, JSON nested deeper than %MAIKO_RECORD_MAX_DEPTH, not exactly one
 * JSON object, a number that is not a JSON number or that its type
 * cannot hold, a missing or mistyped field, an unknown hook or policy, a
 * payload that does not match its type) fails with
 * %MAIKO_ERROR_INVALID_ARGUMENT and a message that says why. Fields the
 * record's hook does not use are ignored.
 *
 * Returns: (transfer full): the record, or %NULL with @error set
 */
MaikoRecord *
maiko_record_parse_line (const char  *line,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(MaikoRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize size;

  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length >= 0 ? (gsize) length : strlen (line);
  if (size > MAIKO_RECORD_MAX_LINE_LENGTH)
    {
      invalid (error, "line longer than %d bytes", MAIKO_RECORD_MAX_LINE_LENGTH);
      return NULL;
    }
  /* Also refuses nul bytes. */
  root = _maiko_json_load_object (line, size, error);
  if (root == NULL)
    return NULL;

  record = record_new ();
  if (!read_record (record, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&record);
}

GPtrArray *
_maiko_record_parse_lines (const char  *data,
                           gsize        size,
                           gsize       *prefix_length,
                           GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  gsize line_number = 0;
  gsize start = 0;

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) maiko_record_unref);
  while (start < size)
    {
      const char *newline = memchr (data + start, '\n', size - start);
      gsize end = newline != NULL ? (gsize) (newline - data) : size;
      g_autoptr(GError) local_error = NULL;
      MaikoRecord *record;

      line_number++;
      if (!only_whitespace (data + start, end - start))
        {
          record = maiko_record_parse_line (data + start, end - start, &local_error);
          if (record == NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          "line %" G_GSIZE_FORMAT ": ", line_number);
              *prefix_length = start;
              return g_steal_pointer (&records);
            }
          g_ptr_array_add (records, record);
        }
      start = end + 1;
    }

  *prefix_length = size;
  return g_steal_pointer (&records);
}

/**
 * maiko_record_ref:
 * @record: a record
 *
 * Acquires a reference on @record.
 *
 * Returns: (transfer full): @record
 */
MaikoRecord *
maiko_record_ref (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  g_atomic_ref_count_inc (&record->ref_count);
  return record;
}

/**
 * maiko_record_unref:
 * @record: (transfer full): a record
 *
 * Releases a reference on @record, freeing it when the last one goes.
 */
void
maiko_record_unref (MaikoRecord *record)
{
  g_return_if_fail (record != NULL);

  if (!g_atomic_ref_count_dec (&record->ref_count))
    return;

  g_free (record->id);
  g_free (record->parent_id);
  g_free (record->label);
  g_free (record->sender);
  g_free (record->receiver);
  g_free (record->topic);
  g_clear_pointer (&record->payload, g_variant_unref);
  g_free (record->actor);
  g_free (record->error_domain);
  g_free (record->error_message);
  g_free (record);
}

/**
 * maiko_record_get_hook:
 * @record: a record
 *
 * Gets the hook the record records, which says which of the other getters
 * have a value.
 *
 * Returns: the hook the record records
 */
MaikoRecordHook
maiko_record_get_hook (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, MAIKO_RECORD_HOOK_EVENT_DISPATCHED);

  return record->hook;
}

/**
 * maiko_record_get_time:
 * @record: a record
 *
 * Gets when the recorder wrote the record, in microseconds since the epoch
 * (wall clock). Records are written in the recorder's main context, some
 * time after the hook: for an event, [method@Maiko.Record.get_timestamp]
 * tells when it was sent.
 *
 * Returns: when the record was written
 */
gint64
maiko_record_get_time (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->time;
}

/**
 * maiko_record_get_id:
 * @record: a record
 *
 * Gets the id of the event's envelope (see [method@Maiko.Envelope.get_id]).
 *
 * Returns: (nullable): the envelope's id, a UUID string, or %NULL if the
 *   record is not an event's
 */
const char *
maiko_record_get_id (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->id;
}

/**
 * maiko_record_get_parent_id:
 * @record: a record
 *
 * Gets the id of the event the recorded event answers.
 *
 * Returns: (nullable): the id of the event's parent, or %NULL if it has
 *   none or the record is not an event's
 */
const char *
maiko_record_get_parent_id (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->parent_id;
}

/**
 * maiko_record_get_label:
 * @record: a record
 *
 * Gets the label of the recorded event.
 *
 * Returns: (nullable): the event's label, or %NULL if the record is not
 *   an event's
 */
const char *
maiko_record_get_label (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->label;
}

/**
 * maiko_record_get_payload:
 * @record: a record
 *
 * Gets the event's payload, of the type it was recorded with.
 *
 * Returns: (transfer none) (nullable): the event's payload, or %NULL if
 *   it has none or the record is not an event's
 */
GVariant *
maiko_record_get_payload (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->payload;
}

/**
 * maiko_record_get_sender:
 * @record: a record
 *
 * Gets the name of the actor that sent the recorded event.
 *
 * Returns: (nullable): the name of the actor that sent the event, or
 *   %NULL if the record is not an event's
 */
const char *
maiko_record_get_sender (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->sender;
}

/**
 * maiko_record_get_receiver:
 * @record: a record
 *
 * Gets the name of the actor the recorded event was routed to.
 *
 * Returns: (nullable): the name of the actor the event went to (or, for
 *   an overflow, whose mailbox was full), or %NULL if the record is not
 *   an event's
 */
const char *
maiko_record_get_receiver (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->receiver;
}

/**
 * maiko_record_get_topic:
 * @record: a record
 *
 * Gets the topic the recorded event was routed on.
 *
 * Returns: (nullable): the event's topic, or %NULL if the record is not an
 *   event's
 */
const char *
maiko_record_get_topic (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->topic;
}

/**
 * maiko_record_get_timestamp:
 * @record: a record
 *
 * Gets when the event was sent (see [method@Maiko.Envelope.get_timestamp]).
 *
 * Returns: the envelope's timestamp in microseconds since the epoch, or 0
 *   if the record is not an event's
 */
gint64
maiko_record_get_timestamp (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->timestamp;
}

/**
 * maiko_record_get_policy:
 * @record: a record
 *
 * Gets the overflow policy of the topic, for an overflow record.
 *
 * Returns: the policy of the topic that overflowed, or
 *   %MAIKO_OVERFLOW_POLICY_FAIL if the record is not an overflow
 */
MaikoOverflowPolicy
maiko_record_get_policy (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, MAIKO_OVERFLOW_POLICY_FAIL);

  return record->policy;
}

/**
 * maiko_record_get_actor:
 * @record: a record
 *
 * Gets the name of the actor an error record or an actor record is about.
 *
 * Returns: (nullable): the actor of an error or actor record, or %NULL for
 *   an event's (see [method@Maiko.Record.get_sender] and
 *   [method@Maiko.Record.get_receiver])
 */
const char *
maiko_record_get_actor (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->actor;
}

/**
 * maiko_record_get_error_domain:
 * @record: a record
 *
 * Gets the error's domain as a string, as `g_quark_to_string()` gives it
 * (for instance `"maiko-error-quark"`).
 *
 * Returns: (nullable): the error's domain, or %NULL if the record is not
 *   an error
 */
const char *
maiko_record_get_error_domain (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->error_domain;
}

/**
 * maiko_record_get_error_code:
 * @record: a record
 *
 * Gets the code of the recorded error, to be read with its domain
 * ([method@Maiko.Record.get_error_domain]).
 *
 * Returns: the error's code, or 0 if the record is not an error
 */
gint
maiko_record_get_error_code (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->error_code;
}

/**
 * maiko_record_get_error_message:
 * @record: a record
 *
 * Gets the message of the recorded error.
 *
 * Returns: (nullable): the error's message, or %NULL if the record is not
 *   an error
 */
const char *
maiko_record_get_error_message (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->error_message;
}

/**
 * maiko_record_get_restart_count:
 * @record: a record
 *
 * Gets how many times the actor had been restarted, this restart
 * included, for an actor-restarted record.
 *
 * Returns: the restart count, or 0 if the record is not an actor-restarted
 *   one
 */
guint
maiko_record_get_restart_count (MaikoRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->restart_count;
}
