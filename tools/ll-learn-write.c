/* ll-learn-write.c: the learned policy on disk, and why each rule is there
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ll-learn-write.h"

#include <string.h>
#include <sys/wait.h>

#include <glib-object.h>
#include <landlock-glib/landlock-glib.h>

#include "ll-quote-private.h"
#include "ll-ruleset-private.h"

/* How many example paths --explain shows for one program and operation. */
#define EXAMPLES_SHOWN 3

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      else if ((guchar) *c < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* A parent is a template: "$" is written "$$" so that no path is read
 * as a ${variable}. */
static char *
escape_template (const char *path)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (const char *c = path; *c != '\0'; c++)
    {
      if (*c == '$')
        g_string_append_c (text, '$');
      g_string_append_c (text, *c);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
append_names (GString *out,
              GType    flags_type,
              guint64  bits)
{
  g_autofree char *names = ll_learn_describe_access (flags_type, bits, "\", \"");

  g_string_append_printf (out, "[ \"%s\" ]", names);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Items in the order of their first (sorted) parent: selection sort, as
 * there are few. */
static void
sort_groups (GArray    *accesses,
             GPtrArray *groups)
{
  for (guint i = 0; i < groups->len; i++)
    {
      guint smallest = i;

      for (guint j = i + 1; j < groups->len; j++)
        if (strcmp (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (groups, j), 0),
                    g_ptr_array_index ((GPtrArray *) g_ptr_array_index (groups, smallest), 0)) < 0)
          smallest = j;
      if (smallest != i)
        {
          gpointer group = groups->pdata[i];
          guint64 access = g_array_index (accesses, guint64, i);

          groups->pdata[i] = groups->pdata[smallest];
          groups->pdata[smallest] = group;
          g_array_index (accesses, guint64, i) = g_array_index (accesses, guint64, smallest);
          g_array_index (accesses, guint64, smallest) = access;
        }
    }
}

static gint
compare_pointers_as_uints (gconstpointer a,
                           gconstpointer b)
{
  guint value_a = GPOINTER_TO_UINT (*(const gpointer *) a);
  guint value_b = GPOINTER_TO_UINT (*(const gpointer *) b);

  return value_a < value_b ? -1 : value_a > value_b;
}

char *
ll_learn_policy_to_json (const LlLearnPolicy *policy)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) accesses = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  gboolean first;

  g_string_append_printf (out, "{\n  \"abi\": %d,\n  \"ruleset\": [\n    {", policy->abi);
  first = TRUE;
  if (policy->handled_fs != 0)
    {
      g_string_append (out, "\n      \"handledAccessFs\": ");
      append_names (out, LL_TYPE_ACCESS_FS, policy->handled_fs);
      first = FALSE;
    }
  if (policy->handled_net != 0)
    {
      g_string_append_printf (out, "%s\n      \"handledAccessNet\": ", first ? "" : ",");
      append_names (out, LL_TYPE_ACCESS_NET, policy->handled_net);
      first = FALSE;
    }
  if (policy->scoped != 0)
    {
      g_string_append_printf (out, "%s\n      \"scoped\": ", first ? "" : ",");
      append_names (out, LL_TYPE_SCOPE, policy->scoped);
    }
  g_string_append (out, "\n    }\n  ]");

  /* One item per set of rights, in the order of their first path. */
  for (guint i = 0; i < policy->paths->len; i++)
    {
      const LlLearnPathRule *rule = g_ptr_array_index (policy->paths, i);
      guint group;

      for (group = 0; group < accesses->len; group++)
        if (g_array_index (accesses, guint64, group) == rule->access)
          break;
      if (group == accesses->len)
        {
          g_array_append_val (accesses, rule->access);
          g_ptr_array_add (groups, g_ptr_array_new_with_free_func (g_free));
        }
      g_ptr_array_add (g_ptr_array_index (groups, group), escape_template (rule->path));
    }
  for (guint group = 0; group < groups->len; group++)
    g_ptr_array_sort (g_ptr_array_index (groups, group), compare_strings);
  sort_groups (accesses, groups);
  if (groups->len > 0)
    {
      g_string_append (out, ",\n  \"pathBeneath\": [");
      for (guint group = 0; group < groups->len; group++)
        {
          GPtrArray *parents = g_ptr_array_index (groups, group);

          g_string_append (out, group > 0 ? ",\n    { \"allowedAccess\": " : "\n    { \"allowedAccess\": ");
          append_names (out, LL_TYPE_ACCESS_FS, g_array_index (accesses, guint64, group));
          g_string_append (out, ",\n      \"parent\": [ ");
          for (guint p = 0; p < parents->len; p++)
            {
              if (p > 0)
                g_string_append (out, ",\n                  ");
              append_json_string (out, g_ptr_array_index (parents, p));
            }
          g_string_append (out, " ] }");
        }
      g_string_append (out, "\n  ]");
    }

  if (policy->ports->len > 0)
    {
      g_string_append (out, ",\n  \"netPort\": [");
      for (guint i = 0; i < policy->ports->len; i++)
        {
          const LlLearnPortRule *rule = g_ptr_array_index (policy->ports, i);

          g_string_append (out, i > 0 ? ",\n    { \"allowedAccess\": " : "\n    { \"allowedAccess\": ");
          append_names (out, LL_TYPE_ACCESS_NET, rule->access);
          g_string_append_printf (out, ", \"port\": [ %u ] }", rule->port);
        }
      g_string_append (out, "\n  ]");
    }
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

guint
ll_learn_policy_count_rules (const LlLearnPolicy *policy)
{
  return policy->paths->len + policy->ports->len;
}

gboolean
ll_learn_write_files (const char          *path,
                      const LlLearnPolicy *policy,
                      const LlLearnRecord *record,
                      GError             **error)
{
  g_autofree char *json = ll_learn_policy_to_json (policy);
  g_autofree char *observed_path = g_strconcat (path, LL_LEARN_OBSERVED_SUFFIX, NULL);
  g_autofree char *observed = ll_learn_record_to_json (record);
  g_autoptr(LlRuleset) check = NULL;
  g_autoptr(GError) local_error = NULL;

  check = ll_ruleset_new_from_data (json, -1, &local_error);
  if (check == NULL)
    {
      /* A bug here, not the user's: say so rather than write it. */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "the learned policy is not valid (%s): this is a bug in landlock-run, "
                   "please report it", local_error->message);
      return FALSE;
    }
  return g_file_set_contents (observed_path, observed, -1, error) &&
         g_file_set_contents (path, json, -1, error);
}

/* --explain */

typedef struct
{
  char *program;
  char *operation;
  guint64 count;
  GPtrArray *paths;           /* distinct, in the order seen */
} Origin;

static void
origin_free (gpointer data)
{
  Origin *origin = data;

  g_free (origin->program);
  g_free (origin->operation);
  g_ptr_array_unref (origin->paths);
  g_free (origin);
}

/* @rights (nullable) is said with the operation: "openat (make_reg)". */
static void
add_origin (GPtrArray  *origins,
            const char *program,
            const char *operation,
            const char *rights,
            guint64     count,
            const char *path)
{
  g_autofree char *what = rights != NULL ? g_strdup_printf ("%s (%s)", operation, rights)
                                         : g_strdup (operation);
  Origin *origin = NULL;

  for (guint i = 0; i < origins->len && origin == NULL; i++)
    {
      Origin *candidate = g_ptr_array_index (origins, i);

      if (g_str_equal (candidate->program, program) && g_str_equal (candidate->operation, what))
        origin = candidate;
    }
  if (origin == NULL)
    {
      origin = g_new0 (Origin, 1);
      origin->program = g_strdup (program);
      origin->operation = g_steal_pointer (&what);
      origin->paths = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (origins, origin);
    }
  origin->count += count;
  if (path != NULL && !g_ptr_array_find_with_equal_func (origin->paths, path, g_str_equal, NULL))
    g_ptr_array_add (origin->paths, g_strdup (path));
}

/* What made the filesystem observation @seen, with the rights it needed. */
static void
add_fs_origin (GPtrArray           *origins,
               const LlLearnFsSeen *seen)
{
  g_autofree char *rights = ll_learn_describe_access (LL_TYPE_ACCESS_FS, seen->access, ", ");

  add_origin (origins, seen->program, seen->operation, rights, seen->count, seen->path);
}

/* Tables of lists, by rule, reason or port: key → GPtrArray. */
static GHashTable *
groups_new (GHashFunc  hash,
            GEqualFunc equal)
{
  return g_hash_table_new_full (hash, equal, NULL, (GDestroyNotify) g_ptr_array_unref);
}

/* The list @groups keeps under @key, made empty (to free its items with
 * @item_free) the first time. */
static GPtrArray *
group_of (GHashTable     *groups,
          gpointer        key,
          GDestroyNotify  item_free)
{
  GPtrArray *group = g_hash_table_lookup (groups, key);

  if (group == NULL)
    {
      group = g_ptr_array_new_with_free_func (item_free);
      g_hash_table_insert (groups, key, group);
    }
  return group;
}

/* What a traced program named (paths, its program and command line) is
 * input like any other: quoted, so that no control reaches the terminal. */
static char *
quoted (const char *text)
{
  return _ll_quote (text, -1, LL_QUOTE_MAX_PATH);
}

static void
print_origins (GPtrArray *origins)
{
  for (guint i = 0; i < origins->len; i++)
    {
      const Origin *origin = g_ptr_array_index (origins, i);
      g_autofree char *program = quoted (origin->program);

      g_print ("      %s: %s, %" G_GUINT64_FORMAT " time%s", program, origin->operation,
               origin->count, origin->count == 1 ? "" : "s");
      if (origin->paths->len > 0)
        {
          g_print (", on ");
          for (guint p = 0; p < origin->paths->len && p < EXAMPLES_SHOWN; p++)
            {
              g_autofree char *example = quoted (g_ptr_array_index (origin->paths, p));

              g_print ("%s%s", p > 0 ? ", " : "", example);
            }
          if (origin->paths->len > EXAMPLES_SHOWN)
            g_print (" and %u more", origin->paths->len - EXAMPLES_SHOWN);
        }
      g_print ("\n");
    }
}

typedef struct
{
  GHashTable *paths;          /* path → access, as the library read the policy */
  GHashTable *ports;          /* port → access */
} PolicyRules;

static void
note_policy_path (const char *path,
                  guint64     access,
                  guint32     flags,
                  gpointer    user_data)
{
  PolicyRules *rules = user_data;
  guint64 known = GPOINTER_TO_SIZE (g_hash_table_lookup (rules->paths, path));

  g_hash_table_insert (rules->paths, g_strdup (path), GSIZE_TO_POINTER (known | access));
}

static void
print_rights (GType   flags_type,
              guint64 bits)
{
  g_autofree char *names = ll_learn_describe_access (flags_type, bits, ", ");

  g_print ("%s", names[0] != '\0' ? names : "none");
}

/* Rule 10 gives a directory what moving out of it needs: say so. */
static void
print_moves_out_of (const LlLearnRecord *record,
                    const char          *path)
{
  for (guint i = 0; i < record->moves->len; i++)
    {
      const LlLearnMove *move = g_ptr_array_index (record->moves, i);

      g_autofree char *program = NULL;
      g_autofree char *to_dir = NULL;

      if (!g_str_equal (move->from_dir, path))
        continue;
      program = quoted (move->program);
      to_dir = quoted (move->to_dir);
      g_print ("      %s: %s, %" G_GUINT64_FORMAT " time%s, moved a %s into %s, so this rule "
               "has what that one grants it [moves]\n", program, move->operation,
               move->count, move->count == 1 ? "" : "s", move->is_dir ? "directory" : "file",
               to_dir);
    }
}

static void
explain_paths (const LlLearnRecord *record,
               PolicyRules         *policy)
{
  g_autoptr(GHashTable) by_rule = groups_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) reasons = groups_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gpointer *rule_paths = NULL;
  guint n_rules;

  for (guint i = 0; i < record->fs->len; i++)
    {
      const LlLearnFsSeen *seen = g_ptr_array_index (record->fs, i);
      GPtrArray *origins, *rule_reasons;

      if (seen->rule == NULL)
        continue;
      origins = group_of (by_rule, seen->rule, origin_free);
      rule_reasons = group_of (reasons, seen->rule, NULL);
      if (seen->reason != NULL &&
          !g_ptr_array_find_with_equal_func (rule_reasons, seen->reason, g_str_equal, NULL))
        g_ptr_array_add (rule_reasons, seen->reason);
      add_fs_origin (origins, seen);
    }

  g_print ("Filesystem rules, and why (compaction rules in landlock-run(1)):\n");
  rule_paths = g_hash_table_get_keys_as_array (by_rule, &n_rules);
  qsort (rule_paths, n_rules, sizeof *rule_paths, compare_strings);
  for (guint i = 0; i < n_rules; i++)
    {
      const char *path = rule_paths[i];
      GPtrArray *rule_reasons = g_hash_table_lookup (reasons, path);
      g_autofree char *shown_path = quoted (path);
      gpointer access;

      g_print ("  %s: ", shown_path);
      if (policy->paths != NULL && !g_hash_table_lookup_extended (policy->paths, path, NULL, &access))
        g_print ("(no longer in the policy)");
      else if (policy->paths != NULL)
        print_rights (LL_TYPE_ACCESS_FS, GPOINTER_TO_SIZE (access));
      g_print (" [");
      for (guint r = 0; r < rule_reasons->len; r++)
        {
          g_autofree char *reason = quoted (g_ptr_array_index (rule_reasons, r));

          g_print ("%s%s", r > 0 ? "; " : "", reason);
        }
      g_print ("]\n");
      for (guint r = 0; r < rule_reasons->len; r++)
        {
          const char *note = ll_learn_compact_review_note (path, g_ptr_array_index (rule_reasons, r));

          g_autofree char *shown_note = note != NULL ? quoted (note) : NULL;

          if (note != NULL)
            g_print ("      REVIEW: %s\n", shown_note);
        }
      print_origins (g_hash_table_lookup (by_rule, path));
      print_moves_out_of (record, path);
      g_hash_table_add (shown, (gpointer) path);
    }

  if (policy->paths != NULL)
    {
      g_autofree gpointer *policy_paths = g_hash_table_get_keys_as_array (policy->paths, &n_rules);

      qsort (policy_paths, n_rules, sizeof *policy_paths, compare_strings);
      for (guint i = 0; i < n_rules; i++)
        {
          g_autofree char *shown_path = NULL;

          if (g_hash_table_contains (shown, policy_paths[i]))
            continue;
          shown_path = quoted (policy_paths[i]);
          g_print ("  %s: ", shown_path);
          print_rights (LL_TYPE_ACCESS_FS,
                        GPOINTER_TO_SIZE (g_hash_table_lookup (policy->paths, policy_paths[i])));
          g_print (" [not learned: kept from the policy merged into, or written by hand]\n");
        }
    }
}

static void
explain_left_out (const LlLearnRecord *record)
{
  g_autoptr(GHashTable) by_reason = groups_new (g_str_hash, g_str_equal);
  g_autofree gpointer *reasons = NULL;
  guint n_reasons;

  for (guint i = 0; i < record->fs->len; i++)
    {
      const LlLearnFsSeen *seen = g_ptr_array_index (record->fs, i);

      if (seen->rule == NULL && seen->reason != NULL)
        add_fs_origin (group_of (by_reason, seen->reason, origin_free), seen);
    }
  if (g_hash_table_size (by_reason) == 0)
    return;
  g_print ("Seen, and left out of the policy:\n");
  reasons = g_hash_table_get_keys_as_array (by_reason, &n_reasons);
  qsort (reasons, n_reasons, sizeof *reasons, compare_strings);
  for (guint i = 0; i < n_reasons; i++)
    {
      g_autofree char *reason = quoted (reasons[i]);

      g_print ("  %s:\n", reason);
      print_origins (g_hash_table_lookup (by_reason, reasons[i]));
    }
}

static void
explain_network (const LlLearnRecord *record,
                 PolicyRules         *policy,
                 guint64              scoped)
{
  g_autoptr(GHashTable) by_port = groups_new (NULL, NULL);
  g_autofree gpointer *ports = NULL;
  guint n_ports;

  for (guint i = 0; i < record->net->len; i++)
    {
      const LlLearnNetSeen *seen = g_ptr_array_index (record->net, i);
      g_autofree char *what = NULL;
      g_autofree char *rights = ll_learn_describe_access (LL_TYPE_ACCESS_NET, seen->access, ", ");
      GPtrArray *origins = group_of (by_port, GUINT_TO_POINTER (seen->port), origin_free);

      what = g_strdup_printf ("%s%s%s", rights, seen->reason != NULL ? ": " : "",
                              seen->reason != NULL ? seen->reason : "");
      add_origin (origins, seen->program, seen->operation, what, seen->count, NULL);
    }
  if (g_hash_table_size (by_port) > 0)
    {
      g_print ("Network rules, and why:\n");
      ports = g_hash_table_get_keys_as_array (by_port, &n_ports);
      qsort (ports, n_ports, sizeof *ports, compare_pointers_as_uints);
      for (guint i = 0; i < n_ports; i++)
        {
          guint port = GPOINTER_TO_UINT (ports[i]);
          gpointer access;

          g_print ("  port %u%s: ", port, port == 0 ? " (a port the kernel picks)" : "");
          if (policy->ports != NULL && g_hash_table_lookup_extended (policy->ports, GUINT_TO_POINTER (port),
                                                                     NULL, &access))
            print_rights (LL_TYPE_ACCESS_NET, GPOINTER_TO_SIZE (access));
          else
            g_print ("(not in the policy)");
          g_print ("\n");
          print_origins (g_hash_table_lookup (by_port, ports[i]));
        }
    }

  g_print ("Scopes: restricted: ");
  print_rights (LL_TYPE_SCOPE, scoped);
  g_print ("\n");
  for (guint i = 0; i < record->scopes->len; i++)
    {
      const LlLearnScopeSeen *seen = g_ptr_array_index (record->scopes, i);
      g_autofree char *scope = ll_learn_describe_access (LL_TYPE_SCOPE, seen->scope, ", ");
      g_autofree char *program = quoted (seen->program);
      g_autofree char *target = quoted (seen->target);

      g_print ("  %s (%s): %s: %s, %" G_GUINT64_FORMAT " time%s, %s\n", scope,
               seen->reason != NULL ? seen->reason : "seen", program, seen->operation,
               seen->count, seen->count == 1 ? "" : "s", target);
    }
}

void
ll_learn_explain (const char *path)
{
  g_autofree char *observed_path = g_strconcat (path, LL_LEARN_OBSERVED_SUFFIX, NULL);
  g_autofree char *shown_path = quoted (path);
  g_autofree char *shown_observed = quoted (observed_path);
  g_autoptr(LlLearnRecord) record = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) policy_paths = NULL;
  g_autoptr(GHashTable) policy_ports = NULL;
  PolicyRules policy = { NULL, NULL };
  guint64 fs = 0, net = 0, scoped = 0;

  if (!g_file_test (observed_path, G_FILE_TEST_EXISTS))
    return;
  g_print ("Learned: %s\n", shown_path);
  record = ll_learn_record_load (observed_path, &error);
  if (record == NULL)
    {
      g_print ("  cannot say why its rules are there: %s\n", error->message);
      return;
    }

  ruleset = ll_ruleset_new_from_file (path, NULL);
  if (ruleset != NULL)
    {
      policy.paths = policy_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      policy.ports = policy_ports = ll_learn_ruleset_ports (ruleset);
      _ll_ruleset_foreach_path_rule (ruleset, note_policy_path, &policy);
      _ll_ruleset_get_handled_explicit (ruleset, &fs, &net, &scoped);
    }

  g_print ("  from %s: %u run%s, %" G_GUINT64_FORMAT " operations recorded, on Landlock ABI %d.\n"
           "  Learning sees only what these runs did: review every rule before relying on it.\n",
           shown_observed, record->runs->len, record->runs->len == 1 ? "" : "s",
           ll_learn_record_count_operations (record), record->abi);
  for (guint i = 0; i < record->runs->len; i++)
    {
      const LlLearnRun *run = g_ptr_array_index (record->runs, i);
      g_autofree char *joined = g_strjoinv (" ", run->command);
      g_autofree char *command = quoted (joined);

      if (WIFEXITED (run->exit_status))
        g_print ("  run %u: %s (exit status %d)\n", i + 1, command, WEXITSTATUS (run->exit_status));
      else
        g_print ("  run %u: %s (killed by signal %d)\n", i + 1, command, WTERMSIG (run->exit_status));
    }
  explain_paths (record, &policy);
  explain_network (record, &policy, scoped);
  explain_left_out (record);
  if (record->notes->len > 0)
    {
      g_print ("What learning could not see:\n");
      for (guint i = 0; i < record->notes->len; i++)
        g_print ("  - %s\n", (const char *) g_ptr_array_index (record->notes, i));
    }
}
