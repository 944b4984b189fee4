/* ll-learn-record.c: what the traced programs were seen doing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ll-learn-record.h"

#include <errno.h>
#include <string.h>

#include <glib-object.h>
#include <landlock-glib/landlock-glib.h>

#include "ll-json-private.h"

#define OBSERVED_FORMAT_KEY "landlock-run-observed"
#define OBSERVED_FORMAT_VERSION 1

static void
fs_seen_free (gpointer data)
{
  LlLearnFsSeen *seen = data;

  g_free (seen->path);
  g_free (seen->created_beneath);
  g_free (seen->program);
  g_free (seen->operation);
  g_free (seen->rule);
  g_free (seen->reason);
  g_free (seen);
}

static void
net_seen_free (gpointer data)
{
  LlLearnNetSeen *seen = data;

  g_free (seen->program);
  g_free (seen->operation);
  g_free (seen->reason);
  g_free (seen);
}

static void
scope_seen_free (gpointer data)
{
  LlLearnScopeSeen *seen = data;

  g_free (seen->target);
  g_free (seen->program);
  g_free (seen->operation);
  g_free (seen->reason);
  g_free (seen);
}

static void
move_free (gpointer data)
{
  LlLearnMove *move = data;

  g_free (move->from_dir);
  g_free (move->to_dir);
  g_free (move->program);
  g_free (move->operation);
  g_free (move);
}

static void
run_free (gpointer data)
{
  LlLearnRun *run = data;

  g_strfreev (run->command);
  g_free (run);
}

/* Every call of a traced program is looked up here: no text key is
 * built for it. */
static guint
fs_seen_hash (gconstpointer data)
{
  const LlLearnFsSeen *seen = data;
  guint hash = g_str_hash (seen->path);

  hash = hash * 31 + (guint) (seen->access ^ (seen->access >> 32));
  hash = hash * 31 + (guint) seen->kind;
  hash = hash * 31 + (seen->created_beneath != NULL ? g_str_hash (seen->created_beneath) : 0);
  hash = hash * 31 + (guint) seen->via_fd;
  hash = hash * 31 + (guint) seen->proc;
  hash = hash * 31 + g_str_hash (seen->program);
  return hash * 31 + g_str_hash (seen->operation);
}

static gboolean
fs_seen_equal (gconstpointer a,
               gconstpointer b)
{
  const LlLearnFsSeen *seen_a = a;
  const LlLearnFsSeen *seen_b = b;

  return seen_a->access == seen_b->access && seen_a->kind == seen_b->kind &&
         seen_a->via_fd == seen_b->via_fd && seen_a->proc == seen_b->proc &&
         g_str_equal (seen_a->path, seen_b->path) &&
         g_strcmp0 (seen_a->created_beneath, seen_b->created_beneath) == 0 &&
         g_str_equal (seen_a->program, seen_b->program) &&
         g_str_equal (seen_a->operation, seen_b->operation);
}

LlLearnRecord *
ll_learn_record_new (void)
{
  LlLearnRecord *record = g_new0 (LlLearnRecord, 1);

  record->fs = g_ptr_array_new_with_free_func (fs_seen_free);
  record->net = g_ptr_array_new_with_free_func (net_seen_free);
  record->scopes = g_ptr_array_new_with_free_func (scope_seen_free);
  record->moves = g_ptr_array_new_with_free_func (move_free);
  record->notes = g_ptr_array_new_with_free_func (g_free);
  record->runs = g_ptr_array_new_with_free_func (run_free);
  record->fs_index = g_hash_table_new (fs_seen_hash, fs_seen_equal);
  record->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return record;
}

void
ll_learn_record_free (LlLearnRecord *record)
{
  if (record == NULL)
    return;
  g_ptr_array_unref (record->fs);
  g_ptr_array_unref (record->net);
  g_ptr_array_unref (record->scopes);
  g_ptr_array_unref (record->moves);
  g_ptr_array_unref (record->notes);
  g_ptr_array_unref (record->runs);
  g_hash_table_unref (record->fs_index);
  g_hash_table_unref (record->index);
  g_free (record);
}

/* A policy is JSON, and JSON strings are Unicode: a path that is not
 * UTF-8 cannot be written into one. */
static gboolean
check_utf8 (LlLearnRecord *record,
            const char    *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;
  ll_learn_record_note (record, "a path that is not valid UTF-8 was used: a policy (JSON) cannot "
                        "name it, so it is left out; its accesses will be denied");
  return FALSE;
}

/* Recording: an operation the same in every respect as one seen before
 * is counted in its observation; the first time, the observation is made
 * with a count of 0 and added, then counted alike. */

/* Adds @seen to @list, to be found again by its text @key: the
 * filesystem's observations, many more, have an index of their own. */
static void
add_keyed (LlLearnRecord *record,
           GPtrArray     *list,
           char          *key,
           gpointer       seen)
{
  g_ptr_array_add (list, seen);
  g_hash_table_insert (record->index, key, seen);
}

LlLearnFsSeen *
ll_learn_record_fs (LlLearnRecord *record,
                    const char    *path,
                    guint64        access,
                    LlLearnKind    kind,
                    const char    *created_beneath,
                    gboolean       via_fd,
                    LlLearnProc    proc,
                    const char    *program,
                    const char    *operation,
                    guint64        count)
{
  LlLearnFsSeen probe = {
    (char *) path, access, kind, (char *) created_beneath, via_fd, proc,
    (char *) program, (char *) operation, 0, NULL, NULL,
  };
  LlLearnFsSeen *seen;

  if (access == 0 || !check_utf8 (record, path) || !check_utf8 (record, created_beneath))
    return NULL;

  seen = g_hash_table_lookup (record->fs_index, &probe);
  if (seen == NULL)
    {
      seen = g_new0 (LlLearnFsSeen, 1);
      seen->path = g_strdup (path);
      seen->access = access;
      seen->kind = kind;
      seen->created_beneath = g_strdup (created_beneath);
      seen->via_fd = via_fd;
      seen->proc = proc;
      seen->program = g_strdup (program);
      seen->operation = g_strdup (operation);
      g_ptr_array_add (record->fs, seen);
      g_hash_table_add (record->fs_index, seen);
    }
  seen->count += count;
  return seen;
}

LlLearnNetSeen *
ll_learn_record_net (LlLearnRecord *record,
                     guint          port,
                     guint64        access,
                     gboolean       to_peer,
                     const char    *program,
                     const char    *operation,
                     guint64        count)
{
  g_autofree char *key = g_strdup_printf ("net\n%u\n%" G_GINT64_MODIFIER "x\n%d\n%s\n%s",
                                          port, access, to_peer, program, operation);
  LlLearnNetSeen *seen = g_hash_table_lookup (record->index, key);

  if (seen == NULL)
    {
      seen = g_new0 (LlLearnNetSeen, 1);
      seen->port = port;
      seen->access = access;
      seen->to_peer = to_peer;
      seen->program = g_strdup (program);
      seen->operation = g_strdup (operation);
      add_keyed (record, record->net, g_steal_pointer (&key), seen);
    }
  seen->count += count;
  return seen;
}

LlLearnScopeSeen *
ll_learn_record_scope (LlLearnRecord *record,
                       guint64        scope,
                       const char    *target,
                       const char    *program,
                       const char    *operation,
                       guint64        count)
{
  g_autofree char *key = NULL;
  LlLearnScopeSeen *seen;

  if (!check_utf8 (record, target))
    target = "(a name that is not UTF-8)";
  key = g_strdup_printf ("scope\n%" G_GINT64_MODIFIER "x\n%s\n%s\n%s", scope, target, program, operation);
  seen = g_hash_table_lookup (record->index, key);
  if (seen == NULL)
    {
      seen = g_new0 (LlLearnScopeSeen, 1);
      seen->scope = scope;
      seen->target = g_strdup (target);
      seen->program = g_strdup (program);
      seen->operation = g_strdup (operation);
      add_keyed (record, record->scopes, g_steal_pointer (&key), seen);
    }
  seen->count += count;
  return seen;
}

void
ll_learn_record_move (LlLearnRecord *record,
                      const char    *from_dir,
                      const char    *to_dir,
                      gboolean       is_dir,
                      const char    *program,
                      const char    *operation,
                      guint64        count)
{
  g_autofree char *key = NULL;
  LlLearnMove *move;

  if (!check_utf8 (record, from_dir) || !check_utf8 (record, to_dir))
    return;
  key = g_strdup_printf ("move\n%s\n%s\n%d\n%s\n%s", from_dir, to_dir, is_dir, program, operation);
  move = g_hash_table_lookup (record->index, key);
  if (move == NULL)
    {
      move = g_new0 (LlLearnMove, 1);
      move->from_dir = g_strdup (from_dir);
      move->to_dir = g_strdup (to_dir);
      move->is_dir = is_dir;
      move->program = g_strdup (program);
      move->operation = g_strdup (operation);
      add_keyed (record, record->moves, g_steal_pointer (&key), move);
    }
  move->count += count;
}

void
ll_learn_record_note (LlLearnRecord *record,
                      const char    *format,
                      ...)
{
  g_autofree char *key = NULL;
  va_list args;
  char *note;

  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);

  key = g_strconcat ("note\n", note, NULL);
  if (g_hash_table_contains (record->index, key))
    {
      g_free (note);
      return;
    }
  g_ptr_array_add (record->notes, note);
  g_hash_table_add (record->index, g_steal_pointer (&key));
}

void
ll_learn_record_add_run (LlLearnRecord      *record,
                         const char * const *command,
                         int                 exit_status)
{
  LlLearnRun *run = g_new0 (LlLearnRun, 1);

  run->command = g_strdupv ((char **) command);
  run->exit_status = exit_status;
  g_ptr_array_add (record->runs, run);
}

void
ll_learn_record_merge (LlLearnRecord       *record,
                       const LlLearnRecord *other)
{
  for (guint i = 0; i < other->fs->len; i++)
    {
      const LlLearnFsSeen *seen = g_ptr_array_index (other->fs, i);

      ll_learn_record_fs (record, seen->path, seen->access, seen->kind, seen->created_beneath,
                          seen->via_fd, seen->proc, seen->program, seen->operation, seen->count);
    }
  for (guint i = 0; i < other->net->len; i++)
    {
      const LlLearnNetSeen *seen = g_ptr_array_index (other->net, i);

      ll_learn_record_net (record, seen->port, seen->access, seen->to_peer, seen->program,
                           seen->operation, seen->count);
    }
  for (guint i = 0; i < other->scopes->len; i++)
    {
      const LlLearnScopeSeen *seen = g_ptr_array_index (other->scopes, i);

      ll_learn_record_scope (record, seen->scope, seen->target, seen->program, seen->operation,
                             seen->count);
    }
  for (guint i = 0; i < other->moves->len; i++)
    {
      const LlLearnMove *move = g_ptr_array_index (other->moves, i);

      ll_learn_record_move (record, move->from_dir, move->to_dir, move->is_dir, move->program,
                            move->operation, move->count);
    }
  for (guint i = 0; i < other->notes->len; i++)
    ll_learn_record_note (record, "%s", (const char *) g_ptr_array_index (other->notes, i));
  for (guint i = 0; i < other->runs->len; i++)
    {
      const LlLearnRun *run = g_ptr_array_index (other->runs, i);

      ll_learn_record_add_run (record, (const char * const *) run->command, run->exit_status);
    }
  if (other->abi > record->abi)
    record->abi = other->abi;
}

guint64
ll_learn_record_count_operations (const LlLearnRecord *record)
{
  guint64 total = 0;

  for (guint i = 0; i < record->fs->len; i++)
    total += ((const LlLearnFsSeen *) g_ptr_array_index (record->fs, i))->count;
  for (guint i = 0; i < record->net->len; i++)
    total += ((const LlLearnNetSeen *) g_ptr_array_index (record->net, i))->count;
  for (guint i = 0; i < record->scopes->len; i++)
    total += ((const LlLearnScopeSeen *) g_ptr_array_index (record->scopes, i))->count;
  return total;
}

/* Names of rights */

static void
nick_to_name (char *nick)
{
  for (char *c = nick; *c != '\0'; c++)
    if (*c == '-')
      *c = '_';
}

char *
ll_learn_describe_access (GType       flags_type,
                          guint64     bits,
                          const char *separator)
{
  g_autoptr(GFlagsClass) flags_class = g_type_class_ref (flags_type);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < flags_class->n_values; i++)
    {
      const GFlagsValue *value = &flags_class->values[i];
      gsize start;

      if (value->value == 0 || (bits & value->value) != value->value)
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      start = text->len;
      g_string_append (text, value->value_nick);
      nick_to_name (text->str + start);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
ll_learn_parse_access (GType       flags_type,
                       const char *name,
                       guint64    *out_bit)
{
  g_autoptr(GFlagsClass) flags_class = g_type_class_ref (flags_type);
  g_autofree char *nick = g_strdup (name);

  for (char *c = nick; *c != '\0'; c++)
    if (*c == '_')
      *c = '-';
  for (guint i = 0; i < flags_class->n_values; i++)
    {
      if (flags_class->values[i].value != 0 && g_str_equal (flags_class->values[i].value_nick, nick))
        {
          *out_bit = flags_class->values[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

static const char * const kind_names[] = {
  [LL_LEARN_KIND_MISSING] = "new",
  [LL_LEARN_KIND_FILE] = "file",
  [LL_LEARN_KIND_DIR] = "directory",
  [LL_LEARN_KIND_DEVICE] = "device",
  [LL_LEARN_KIND_OTHER] = "other",
};

static const char * const proc_names[] = {
  [LL_LEARN_PROC_NONE] = "none",
  [LL_LEARN_PROC_FIRST] = "first",
  [LL_LEARN_PROC_TRACED] = "traced",
  [LL_LEARN_PROC_UNTRACED] = "untraced",
};

const char *
ll_learn_kind_to_string (LlLearnKind kind)
{
  return kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : "other";
}

/* Writing: one observation a line, so that the file reads and diffs well. */

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"':
        case '\\':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *c < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *c);
          else
            g_string_append_c (out, *c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ", \"%s\": ", name);
  append_quoted (out, value);
}

static void
append_names (GString    *out,
              const char *name,
              GType       flags_type,
              guint64     bits)
{
  g_autofree char *names = ll_learn_describe_access (flags_type, bits, "\", \"");

  g_string_append_printf (out, ", \"%s\": [\"%s\"]", name, names);
}

static void
append_origin (GString    *out,
               const char *program,
               const char *operation,
               guint64     count,
               const char *reason)
{
  append_member (out, "program", program);
  append_member (out, "operation", operation);
  g_string_append_printf (out, ", \"count\": %" G_GUINT64_FORMAT, count);
  if (reason != NULL)
    append_member (out, "reason", reason);
}

static void
begin_list (GString    *out,
            const char *name,
            guint       length)
{
  g_string_append_printf (out, ",\n  \"%s\": [", name);
  if (length == 0)
    g_string_append (out, "]");
}

/* Each item of a list of objects: opens the object ("\n    { ") and
 * writes its members; the list closes it. */

static void
append_run (GString       *out,
            gconstpointer  item)
{
  const LlLearnRun *run = item;

  g_string_append (out, "\n    { \"command\": [");
  for (guint a = 0; run->command[a] != NULL; a++)
    {
      g_autofree char *valid = g_utf8_make_valid (run->command[a], -1);

      if (a > 0)
        g_string_append (out, ", ");
      append_quoted (out, valid);
    }
  g_string_append_printf (out, "], \"waitStatus\": %d", run->exit_status);
}

static void
append_fs_seen (GString       *out,
                gconstpointer  item)
{
  const LlLearnFsSeen *seen = item;

  g_string_append (out, "\n    { \"path\": ");
  append_quoted (out, seen->path);
  append_names (out, "access", LL_TYPE_ACCESS_FS, seen->access);
  append_member (out, "kind", kind_names[seen->kind]);
  if (seen->created_beneath != NULL)
    append_member (out, "createdBeneath", seen->created_beneath);
  if (seen->via_fd)
    g_string_append (out, ", \"checkedAtOpen\": 1");
  if (seen->proc != LL_LEARN_PROC_NONE)
    append_member (out, "process", proc_names[seen->proc]);
  append_origin (out, seen->program, seen->operation, seen->count, seen->reason);
  if (seen->rule != NULL)
    append_member (out, "rule", seen->rule);
}

static void
append_move (GString       *out,
             gconstpointer  item)
{
  const LlLearnMove *move = item;

  g_string_append (out, "\n    { \"from\": ");
  append_quoted (out, move->from_dir);
  append_member (out, "to", move->to_dir);
  append_member (out, "kind", move->is_dir ? "directory" : "file");
  append_origin (out, move->program, move->operation, move->count, NULL);
}

static void
append_net_seen (GString       *out,
                 gconstpointer  item)
{
  const LlLearnNetSeen *seen = item;

  g_string_append_printf (out, "\n    { \"port\": %u", seen->port);
  append_names (out, "access", LL_TYPE_ACCESS_NET, seen->access);
  if (seen->to_peer)
    g_string_append (out, ", \"toPeer\": 1");
  append_origin (out, seen->program, seen->operation, seen->count, seen->reason);
}

static void
append_scope_seen (GString       *out,
                   gconstpointer  item)
{
  const LlLearnScopeSeen *seen = item;

  g_string_append (out, "\n    { \"target\": ");
  append_quoted (out, seen->target);
  append_names (out, "scope", LL_TYPE_SCOPE, seen->scope);
  append_origin (out, seen->program, seen->operation, seen->count, seen->reason);
}

/* Reading */

static const LlJsonNode *
member (const LlJsonNode *object,
        const char       *name,
        LlJsonType        type)
{
  if (object == NULL || object->type != LL_JSON_OBJECT)
    return NULL;
  for (guint i = 0; i < object->object.size; i++)
    {
      const LlJsonMember *m = &object->object.members[i];

      if (g_str_equal (m->name, name))
        return m->value->type == type ? m->value : NULL;
    }
  return NULL;
}

static const char *
string_member (const LlJsonNode *object,
               const char       *name)
{
  const LlJsonNode *node = member (object, name, LL_JSON_STRING);

  return node != NULL ? node->string : NULL;
}

static gint64
integer_member (const LlJsonNode *object,
                const char       *name,
                gint64            fallback)
{
  const LlJsonNode *node = member (object, name, LL_JSON_INTEGER);

  return node != NULL ? node->integer : fallback;
}

static gboolean
names_member (const LlJsonNode *object,
              const char       *name,
              GType             flags_type,
              guint64          *out_bits)
{
  const LlJsonNode *array = member (object, name, LL_JSON_ARRAY);

  *out_bits = 0;
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < array->array.length; i++)
    {
      const LlJsonNode *item = array->array.elements[i];
      guint64 bit;

      if (item->type != LL_JSON_STRING || !ll_learn_parse_access (flags_type, item->string, &bit))
        return FALSE;
      *out_bits |= bit;
    }
  return TRUE;
}

/* Who did what an observation records, and how often: every kind has it. */
typedef struct
{
  const char *program;
  const char *operation;
  guint64 count;
} Origin;

/* FALSE if @object lacks the program or the operation. */
static gboolean
origin_members (const LlJsonNode *object,
                Origin           *out_origin)
{
  out_origin->program = string_member (object, "program");
  out_origin->operation = string_member (object, "operation");
  out_origin->count = (guint64) integer_member (object, "count", 1);
  return out_origin->program != NULL && out_origin->operation != NULL;
}

static void
set_string (char       **field,
            const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static int
index_of (const char * const *names,
          guint               n_names,
          const char         *name,
          int                 fallback)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (names[i] != NULL && g_str_equal (names[i], name))
      return (int) i;
  return fallback;
}

/* Each item of a list, added to @record: FALSE if it is not what
 * landlock-run writes. */

static gboolean
load_run (LlLearnRecord    *record,
          const LlJsonNode *item)
{
  const LlJsonNode *command = member (item, "command", LL_JSON_ARRAY);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  if (command == NULL)
    return FALSE;
  for (guint a = 0; a < command->array.length; a++)
    if (command->array.elements[a]->type == LL_JSON_STRING)
      g_ptr_array_add (argv, command->array.elements[a]->string);
  g_ptr_array_add (argv, NULL);
  ll_learn_record_add_run (record, (const char * const *) argv->pdata,
                           (int) integer_member (item, "waitStatus", 0));
  return TRUE;
}

static gboolean
load_fs_seen (LlLearnRecord    *record,
              const LlJsonNode *item)
{
  const char *path = string_member (item, "path");
  LlLearnFsSeen *seen;
  guint64 access;
  Origin origin;

  if (path == NULL || !origin_members (item, &origin) ||
      !names_member (item, "access", LL_TYPE_ACCESS_FS, &access))
    return FALSE;
  seen = ll_learn_record_fs (record, path, access,
                             index_of (kind_names, G_N_ELEMENTS (kind_names),
                                       string_member (item, "kind"), LL_LEARN_KIND_OTHER),
                             string_member (item, "createdBeneath"),
                             integer_member (item, "checkedAtOpen", 0) != 0,
                             index_of (proc_names, G_N_ELEMENTS (proc_names),
                                       string_member (item, "process"), LL_LEARN_PROC_NONE),
                             origin.program, origin.operation, origin.count);
  /* Where it went last time: --explain shows it. */
  if (seen != NULL)
    {
      set_string (&seen->rule, string_member (item, "rule"));
      set_string (&seen->reason, string_member (item, "reason"));
    }
  return TRUE;
}

static gboolean
load_move (LlLearnRecord    *record,
           const LlJsonNode *item)
{
  const char *from = string_member (item, "from");
  const char *to = string_member (item, "to");
  Origin origin;

  if (from == NULL || to == NULL || !origin_members (item, &origin))
    return FALSE;
  ll_learn_record_move (record, from, to, g_strcmp0 (string_member (item, "kind"), "directory") == 0,
                        origin.program, origin.operation, origin.count);
  return TRUE;
}

static gboolean
load_net_seen (LlLearnRecord    *record,
               const LlJsonNode *item)
{
  gint64 port = integer_member (item, "port", -1);
  LlLearnNetSeen *seen;
  guint64 access;
  Origin origin;

  if (port < 0 || port > G_MAXUINT16 || !origin_members (item, &origin) ||
      !names_member (item, "access", LL_TYPE_ACCESS_NET, &access))
    return FALSE;
  seen = ll_learn_record_net (record, (guint) port, access, integer_member (item, "toPeer", 0) != 0,
                              origin.program, origin.operation, origin.count);
  set_string (&seen->reason, string_member (item, "reason"));
  return TRUE;
}

static gboolean
load_scope_seen (LlLearnRecord    *record,
                 const LlJsonNode *item)
{
  const char *target = string_member (item, "target");
  LlLearnScopeSeen *seen;
  guint64 scope;
  Origin origin;

  if (target == NULL || !origin_members (item, &origin) ||
      !names_member (item, "scope", LL_TYPE_SCOPE, &scope))
    return FALSE;
  seen = ll_learn_record_scope (record, scope, target, origin.program, origin.operation,
                                origin.count);
  set_string (&seen->reason, string_member (item, "reason"));
  return TRUE;
}

/* What cannot be read is passed over: a note only says something. */
static gboolean
load_note (LlLearnRecord    *record,
           const LlJsonNode *item)
{
  if (item->type == LL_JSON_STRING)
    ll_learn_record_note (record, "%s", item->string);
  return TRUE;
}

static gboolean
bad_item (GError     **error,
          const char  *path,
          const char  *list,
          guint        index)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "%s: %s[%u] is not what landlock-run writes: remove the file to start "
               "learning afresh", path, list, index);
  return FALSE;
}

typedef void     (*AppendItem) (GString          *out,
                                gconstpointer     item);
typedef gboolean (*LoadItem)   (LlLearnRecord    *record,
                                const LlJsonNode *item);

/* The file */

/* The lists of objects of FILE.observed, in the order they are written
 * and read, so that the writing and the reading cannot disagree on them:
 * where a record keeps each, and how one item is written and read. The
 * notes, a list of strings, come last. */
static const struct
{
  const char *name;
  gsize       offset;
  AppendItem  append_item;
  LoadItem    load_item;
} observed_lists[] = {
  { "runs", G_STRUCT_OFFSET (LlLearnRecord, runs), append_run, load_run },
  { "filesystem", G_STRUCT_OFFSET (LlLearnRecord, fs), append_fs_seen, load_fs_seen },
  { "moves", G_STRUCT_OFFSET (LlLearnRecord, moves), append_move, load_move },
  { "network", G_STRUCT_OFFSET (LlLearnRecord, net), append_net_seen, load_net_seen },
  { "scopes", G_STRUCT_OFFSET (LlLearnRecord, scopes), append_scope_seen, load_scope_seen },
};

char *
ll_learn_record_to_json (const LlLearnRecord *record)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\n  \"%s\": %d,\n  \"abi\": %d", OBSERVED_FORMAT_KEY,
                          OBSERVED_FORMAT_VERSION, record->abi);

  for (gsize l = 0; l < G_N_ELEMENTS (observed_lists); l++)
    {
      const GPtrArray *items = G_STRUCT_MEMBER (GPtrArray *, record, observed_lists[l].offset);

      begin_list (out, observed_lists[l].name, items->len);
      for (guint i = 0; i < items->len; i++)
        {
          observed_lists[l].append_item (out, g_ptr_array_index (items, i));
          g_string_append (out, i + 1 < items->len ? " },\n" : " }\n  ]");
        }
    }

  begin_list (out, "notes", record->notes->len);
  for (guint i = 0; i < record->notes->len; i++)
    {
      g_string_append (out, "\n    ");
      append_quoted (out, g_ptr_array_index (record->notes, i));
      g_string_append (out, i + 1 < record->notes->len ? "," : "\n  ]");
    }

  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

/* FALSE, with @error set, at the first item of the list @name of @root
 * that is not what landlock-run writes. */
static gboolean
load_list (LlLearnRecord     *record,
           const LlJsonNode  *root,
           const char        *name,
           LoadItem           load_item,
           const char        *path,
           GError           **error)
{
  const LlJsonNode *list = member (root, name, LL_JSON_ARRAY);

  for (guint i = 0; list != NULL && i < list->array.length; i++)
    if (!load_item (record, list->array.elements[i]))
      return bad_item (error, path, name, i);
  return TRUE;
}

LlLearnRecord *
ll_learn_record_load (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(LlJsonNode) root = NULL;
  g_autoptr(LlLearnRecord) record = NULL;
  LlJsonSyntaxError syntax = { 0, NULL };
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  root = _ll_json_parse (contents, length, &syntax);
  if (root == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u:%u: %s", path,
                   LL_JSON_POSITION_LINE (syntax.position), LL_JSON_POSITION_COLUMN (syntax.position),
                   syntax.message);
      g_free (syntax.message);
      return NULL;
    }
  if (integer_member (root, OBSERVED_FORMAT_KEY, 0) != OBSERVED_FORMAT_VERSION)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s was not written by this landlock-run (no \"%s\": %d): remove it to start "
                   "learning afresh", path, OBSERVED_FORMAT_KEY, OBSERVED_FORMAT_VERSION);
      return NULL;
    }

  record = ll_learn_record_new ();
  record->abi = (int) integer_member (root, "abi", 0);
  for (gsize l = 0; l < G_N_ELEMENTS (observed_lists); l++)
    if (!load_list (record, root, observed_lists[l].name, observed_lists[l].load_item, path, error))
      return NULL;
  if (!load_list (record, root, "notes", load_note, path, error))
    return NULL;
  return g_steal_pointer (&record);
}
