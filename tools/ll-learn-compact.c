/* ll-learn-compact.c: from what was seen to a policy a person can review
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * THE RULES OF COMPACTION (documented in landlock-run(1), "Writing a
 * policy by learning"; each has its name in REASON_*, which --explain
 * shows beside every rule):
 *
 * Each observation is a path and the rights an operation needed there
 * (ll-learn-trace.c records them, with what the same work done again
 * will need: truncating a file it creates with O_TRUNC, removing a name
 * it renames onto or unlinks while absent). It is first cut down, then
 * placed; the rules then grouped are tidied.
 *
 *  1. not restricted: rights the running kernel does not handle are left
 *     out; the policy handles every right of the running ABI, no more.
 *  2. base: rights the command line (--ro, --rx...) and the --policy files
 *     already grant at that path are left out; use the policy with them.
 *  3. opened outside: ftruncate() and ioctl() are checked against the
 *     rights the file was opened with; on a file no traced program opened
 *     (an inherited fd), Landlock does not restrict them: left out.
 *
 * Placing (the first that applies):
 *
 *  4. made: what the programs made beneath a directory, and everything
 *     done to it afterwards, goes to the nearest directory that existed
 *     before, with the rights used (make_reg, write_file, remove_file...):
 *     temporary names (mkstemp(), sort's and Python's temporary files)
 *     never appear one by one.
 *  5. system tree: reading and executing beneath /usr, /etc, /opt, /bin,
 *     /sbin, /lib, /lib32, /lib64, /libx32, and a package's directory in
 *     /var/lib or /var/cache, go to that tree (if root owns it and others
 *     cannot write it), with the union of the read and execute rights seen
 *     there; writing there stays per file (rule 9).
 *  6. own /proc: /proc/self/... of the command's first process stays
 *     /proc/self/... (landlock-run becomes that process, so the rule names
 *     it); those of other processes cannot be named before they exist, and
 *     go to one rule on /proc with the rights seen, marked for review.
 *  7. device: what is beneath /dev stays per file.
 *  8. many files: more than LL_LEARN_FEW_FILES read-only rules (read_file,
 *     read_dir, execute) directly in one directory become one rule on the
 *     directory, with their rights; repeated upward, but never onto "/", a
 *     top-level directory, the home directory, /proc, /dev, or a directory
 *     others can write to.
 *  9. as seen: anything else stays on its path with the rights seen.
 *
 * Then:
 *
 * 10. moves: moving or linking something into another directory is
 *     refused (EXDEV) if it would gain rights there; the source directory
 *     gets what the destination grants more (file rights, for a file).
 * 11. kept: merging into an existing policy keeps each of its rules.
 * 12. covered: a rule whose rights the rules above it already grant is
 *     dropped (its observations are shown under the rule that covers it).
 *
 * Network and scopes:
 *
 * 13. port: one netPort rule per port, with the rights seen (binding to
 *     port 0 is the kernel's choice of a free port). A UDP server's answer
 *     to a client goes to the client's temporary port, new on every run:
 *     no rule can name it, so sending UDP is left unrestricted.
 * 14. scopes: every scope of the running ABI is restricted, but for
 *     abstract UNIX sockets when one outside the traced programs was
 *     reached, and signals when one was sent outside them.
 *
 * Nothing unobserved is granted but by rules 5 (a whole system tree), 6
 * (/proc), 8 (a directory of many files read), 10 (what a move needs)
 * and 11 (what the policy merged into had).
 */

#include "ll-learn-compact.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ll-learn-resolve.h"
#include "ll-ruleset-private.h"

static const char REASON_NOT_RESTRICTED[] = "not restricted by this kernel";
static const char REASON_BASE[] = "already granted by the command line or --policy";
static const char REASON_OUTSIDE[] = "on a file opened outside the traced programs: not restricted";
static const char REASON_MADE[] = "made";
static const char REASON_SYSTEM[] = "system tree";
static const char REASON_OWN_PROC[] = "own /proc";
static const char REASON_OTHER_PROC[] = "other processes' /proc";
static const char REASON_DEVICE[] = "device";
static const char REASON_MANY[] = "many files";
static const char REASON_AS_SEEN[] = "as seen";
static const char REASON_MOVES[] = "moves";
static const char REASON_KEPT[] = "kept";
static const char REASON_PORT[] = "port";
static const char REASON_TO_PEER[] = "to a peer's temporary port: no rule can name it, so sending UDP is not restricted";

#define READ_EXECUTE (LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR)
#define FILE_RIGHTS  _LL_ACCESS_FS_ON_FILES

static const struct
{
  const char *root;
  gboolean per_package;       /* the tree is one directory deeper */
} system_trees[] = {
  { "/usr", FALSE },
  { "/etc", FALSE },
  { "/opt", FALSE },
  { "/bin", FALSE },
  { "/sbin", FALSE },
  { "/lib", FALSE },
  { "/lib32", FALSE },
  { "/lib64", FALSE },
  { "/libx32", FALSE },
  { "/var/lib", TRUE },
  { "/var/cache", TRUE },
};

/* Never collapsed into (rule 8). */
static const char * const never_collapsed[] = { "/proc", "/dev", "/sys" };

void
ll_learn_policy_free (LlLearnPolicy *policy)
{
  if (policy == NULL)
    return;
  g_ptr_array_unref (policy->paths);
  g_ptr_array_unref (policy->ports);
  g_free (policy);
}

static void
path_rule_free (gpointer data)
{
  LlLearnPathRule *rule = data;

  g_free (rule->path);
  g_free (rule);
}

/* What the base grants */

typedef struct
{
  char *path;                 /* resolved */
  guint64 access;
  gboolean is_dir;
} BaseRule;

typedef struct
{
  GArray *rules;              /* BaseRule */
  guint64 unhandled_fs;       /* rights the base leaves unrestricted */
  guint64 unhandled_net;
  GHashTable *ports;          /* port → access */
} Base;

static void
base_rule_clear (gpointer data)
{
  g_free (((BaseRule *) data)->path);
}

static void
collect_base_path (const char *path,
                   guint64     access,
                   guint32     flags,
                   gpointer    user_data)
{
  Base *base = user_data;
  char *real = realpath (path, NULL);
  struct stat st;
  BaseRule rule;

  if (real == NULL)
    return;                   /* skipped when applying, too */
  rule.path = g_strdup (real);
  free (real);
  rule.is_dir = stat (rule.path, &st) == 0 && S_ISDIR (st.st_mode);
  rule.access = rule.is_dir ? access : access & FILE_RIGHTS;
  g_array_append_val (base->rules, rule);
}

static void
collect_port (guint16  port,
              guint64  access,
              guint32  flags,
              gpointer user_data)
{
  GHashTable *ports = user_data;
  guint64 known = GPOINTER_TO_SIZE (g_hash_table_lookup (ports, GUINT_TO_POINTER (port)));

  g_hash_table_insert (ports, GUINT_TO_POINTER (port), GSIZE_TO_POINTER (known | access));
}

GHashTable *
ll_learn_ruleset_ports (LlRuleset *ruleset)
{
  GHashTable *ports = g_hash_table_new (NULL, NULL);

  if (ruleset != NULL)
    _ll_ruleset_foreach_net_rule (ruleset, collect_port, ports);
  return ports;
}

static void
base_init (Base      *base,
           LlRuleset *ruleset,
           int        abi)
{
  base->rules = g_array_new (FALSE, TRUE, sizeof (BaseRule));
  g_array_set_clear_func (base->rules, base_rule_clear);
  base->ports = ll_learn_ruleset_ports (ruleset);
  base->unhandled_fs = 0;
  base->unhandled_net = 0;
  if (ruleset == NULL)
    return;
  base->unhandled_fs = ll_access_fs_for_abi (abi) & ~(guint64) ll_ruleset_get_handled_access_fs (ruleset);
  base->unhandled_net = ll_access_net_for_abi (abi) & ~(guint64) ll_ruleset_get_handled_access_net (ruleset);
  _ll_ruleset_foreach_path_rule (ruleset, collect_base_path, base);
}

static void
base_clear (Base *base)
{
  g_array_unref (base->rules);
  g_hash_table_unref (base->ports);
}

static guint64
base_grants_fs (const Base *base,
                const char *path)
{
  guint64 granted = base->unhandled_fs;

  for (guint i = 0; i < base->rules->len; i++)
    {
      const BaseRule *rule = &g_array_index (base->rules, BaseRule, i);

      if (rule->is_dir ? ll_learn_path_is_beneath (path, rule->path) : g_str_equal (path, rule->path))
        granted |= rule->access;
    }
  return granted;
}

/* The rules being built: path → LlLearnPathRule */

typedef struct
{
  GHashTable *rules;          /* path → LlLearnPathRule */
  GHashTable *moved;          /* path of a dropped rule → path of the rule that took it */
} Rules;

static LlLearnPathRule *
rules_add (Rules      *rules,
           const char *path,
           guint64     access,
           const char *reason)
{
  LlLearnPathRule *rule = g_hash_table_lookup (rules->rules, path);

  if (rule == NULL)
    {
      rule = g_new0 (LlLearnPathRule, 1);
      rule->path = g_strdup (path);
      rule->reason = reason;
      g_hash_table_insert (rules->rules, rule->path, rule);
    }
  rule->access |= access;
  return rule;
}

/* Where the rule once at @path is now. */
static const char *
rules_follow (Rules      *rules,
              const char *path)
{
  const char *next;

  while ((next = g_hash_table_lookup (rules->moved, path)) != NULL)
    path = next;
  return path;
}

static void
rules_drop (Rules      *rules,
            const char *path,
            const char *into)
{
  g_hash_table_insert (rules->moved, g_strdup (path), g_strdup (into));
  g_hash_table_remove (rules->rules, path);
}

/* Rights granted at @path by the rules on it and above it. */
static guint64
rules_grant (Rules      *rules,
             const char *path,
             gboolean    strictly_above)
{
  g_autofree char *current = g_strdup (path);
  guint64 granted = 0;

  for (;;)
    {
      LlLearnPathRule *rule = NULL;
      char *parent;

      if (!strictly_above || !g_str_equal (current, path))
        rule = g_hash_table_lookup (rules->rules, current);
      if (rule != NULL)
        granted |= rule->access;
      if (g_str_equal (current, "/"))
        return granted;
      parent = ll_learn_parent (current);
      g_free (current);
      current = parent;
    }
}

/* Rule 5: the system tree @path lies in, or NULL. */
static char *
system_tree_of (const char *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (system_trees); i++)
    {
      const char *root = system_trees[i].root;
      g_autofree char *tree = NULL;
      struct stat st;

      if (!ll_learn_path_is_beneath (path, root))
        continue;
      if (system_trees[i].per_package)
        {
          const char *after = path + strlen (root);
          const char *end;

          if (*after != '/')
            return NULL;      /* /var/lib itself */
          end = strchr (after + 1, '/');
          tree = end != NULL ? g_strndup (path, end - path) : g_strdup (path);
        }
      else
        tree = g_strdup (root);

      if (lstat (tree, &st) < 0 || !S_ISDIR (st.st_mode) || st.st_uid != 0 || (st.st_mode & S_IWOTH))
        return NULL;
      return g_steal_pointer (&tree);
    }
  return NULL;
}

static gboolean
others_can_write (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & S_IWOTH) != 0;
}

/* Rule 8's limits on the directory a collapse would make a rule on. */
static gboolean
may_collapse_into (const char *directory)
{
  const char *home = g_get_home_dir ();

  if (g_str_equal (directory, "/") || strchr (directory + 1, '/') == NULL)
    return FALSE;             /* "/" or a top-level directory */
  if (home != NULL && g_str_equal (directory, home))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (never_collapsed); i++)
    if (ll_learn_path_is_beneath (directory, never_collapsed[i]))
      return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (system_trees); i++)
    if (g_str_equal (directory, system_trees[i].root))
      return FALSE;
  return !others_can_write (directory);
}

/* Rule 8, one level of directories per pass, as long as something
 * collapses. */
static void
collapse_many (Rules *rules)
{
  gboolean changed = TRUE;

  while (changed)
    {
      g_autoptr(GHashTable) children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              (GDestroyNotify) g_ptr_array_unref);
      GHashTableIter iter;
      gpointer key, value;

      changed = FALSE;
      g_hash_table_iter_init (&iter, rules->rules);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          LlLearnPathRule *rule = value;
          g_autofree char *parent = NULL;
          GPtrArray *list;

          if ((rule->access & ~(guint64) READ_EXECUTE) != 0 ||
              (rule->reason != REASON_AS_SEEN && rule->reason != REASON_MANY))
            continue;
          parent = ll_learn_parent (rule->path);
          list = g_hash_table_lookup (children, parent);
          if (list == NULL)
            {
              list = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (children, g_steal_pointer (&parent), list);
            }
          /* A copy: dropping a rule frees its path. */
          g_ptr_array_add (list, g_strdup (rule->path));
        }

      /* The parents are distinct, and none is among the children of
       * another at this level's depth: all collapse in one pass. */
      g_hash_table_iter_init (&iter, children);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *parent = key;
          GPtrArray *list = value;
          guint64 access = 0;
          LlLearnPathRule *parent_rule;

          if (list->len <= LL_LEARN_FEW_FILES || !may_collapse_into (parent))
            continue;
          for (guint i = 0; i < list->len; i++)
            {
              const char *child = g_ptr_array_index (list, i);
              LlLearnPathRule *rule = g_hash_table_lookup (rules->rules, child);

              if (rule == NULL)
                continue;     /* became a parent's rule, then collapsed already */
              access |= rule->access;
              rules_drop (rules, child, parent);
            }
          parent_rule = g_hash_table_lookup (rules->rules, parent);
          if (parent_rule == NULL)
            rules_add (rules, parent, access, REASON_MANY);
          else
            {
              parent_rule->access |= access;
              if (parent_rule->reason == REASON_AS_SEEN)
                parent_rule->reason = REASON_MANY;
            }
          changed = TRUE;
        }
    }
}

/* Rule 10, until every move is satisfied. */
static void
satisfy_moves (Rules               *rules,
               const LlLearnRecord *record,
               const Base          *base,
               guint64              handled_fs)
{
  for (guint round = 0; round < 8; round++)
    {
      gboolean changed = FALSE;

      for (guint i = 0; i < record->moves->len; i++)
        {
          const LlLearnMove *move = g_ptr_array_index (record->moves, i);
          guint64 relevant = (move->is_dir ? ~(guint64) 0 : FILE_RIGHTS) & handled_fs;
          guint64 at_source = rules_grant (rules, move->from_dir, FALSE) | base_grants_fs (base, move->from_dir);
          guint64 at_target = rules_grant (rules, move->to_dir, FALSE) | base_grants_fs (base, move->to_dir);
          guint64 missing = at_target & ~at_source & relevant;

          if (missing == 0)
            continue;
          rules_add (rules, move->from_dir, missing, REASON_MOVES);
          changed = TRUE;
        }
      if (!changed)
        return;
    }
}

static void
add_kept_path (const char *path,
               guint64     access,
               guint32     flags,
               gpointer    user_data)
{
  Rules *rules = user_data;

  if (access != 0)
    rules_add (rules, path, access, REASON_KEPT);
}

/* Rule 12: shortest paths first, so that a dropped rule's rights are
 * compared with the rules that stay. */
static gint
compare_by_length (gconstpointer a,
                   gconstpointer b)
{
  gsize length_a = strlen (*(const char * const *) a);
  gsize length_b = strlen (*(const char * const *) b);

  return length_a < length_b ? -1 : length_a > length_b;
}

static void
drop_covered (Rules *rules)
{
  g_autofree gpointer *paths = NULL;
  guint n_paths;

  paths = g_hash_table_get_keys_as_array (rules->rules, &n_paths);
  /* Copies: dropping frees the keys. */
  for (guint i = 0; i < n_paths; i++)
    paths[i] = g_strdup (paths[i]);
  qsort (paths, n_paths, sizeof *paths, compare_by_length);

  for (guint i = n_paths; i-- > 0;)
    {
      const char *path = paths[i];
      LlLearnPathRule *rule = g_hash_table_lookup (rules->rules, path);
      g_autofree char *ancestor = NULL;
      guint64 above;

      if (rule == NULL)
        continue;
      above = rules_grant (rules, path, TRUE);
      if ((rule->access & ~above) != 0)
        continue;
      /* The nearest rule above takes its observations. */
      ancestor = ll_learn_parent (path);
      while (!g_hash_table_contains (rules->rules, ancestor) && !g_str_equal (ancestor, "/"))
        {
          char *parent = ll_learn_parent (ancestor);

          g_free (ancestor);
          ancestor = parent;
        }
      rules_drop (rules, path, ancestor);
    }
  for (guint i = 0; i < n_paths; i++)
    g_free (paths[i]);
}

static gint
compare_path_rules (gconstpointer a,
                    gconstpointer b)
{
  const LlLearnPathRule *rule_a = *(const LlLearnPathRule * const *) a;
  const LlLearnPathRule *rule_b = *(const LlLearnPathRule * const *) b;

  return strcmp (rule_a->path, rule_b->path);
}

static gint
compare_port_rules (gconstpointer a,
                    gconstpointer b)
{
  const LlLearnPortRule *rule_a = *(const LlLearnPortRule * const *) a;
  const LlLearnPortRule *rule_b = *(const LlLearnPortRule * const *) b;

  return rule_a->port < rule_b->port ? -1 : rule_a->port > rule_b->port;
}

static void
set_fate (LlLearnFsSeen *seen,
          const char    *rule,
          const char    *reason)
{
  g_free (seen->rule);
  g_free (seen->reason);
  seen->rule = g_strdup (rule);
  seen->reason = g_strdup (reason);
}

typedef struct
{
  GHashTable *ports;          /* port → LlLearnPortRule */
} KeptPorts;

static void
add_kept_port (guint16  port,
               guint64  access,
               guint32  flags,
               gpointer user_data)
{
  GHashTable *ports = user_data;
  LlLearnPortRule *rule = g_hash_table_lookup (ports, GUINT_TO_POINTER (port));

  if (access == 0)
    return;
  if (rule == NULL)
    {
      rule = g_new0 (LlLearnPortRule, 1);
      rule->port = port;
      rule->reason = REASON_KEPT;
      g_hash_table_insert (ports, GUINT_TO_POINTER (port), rule);
    }
  rule->access |= access;
}

LlLearnPolicy *
ll_learn_compact (LlLearnRecord *record,
                  LlRuleset     *base_ruleset,
                  LlRuleset     *kept,
                  gboolean       kept_observed,
                  int            abi)
{
  g_autoptr(GHashTable) opened = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  LlLearnPolicy *policy = g_new0 (LlLearnPolicy, 1);
  Rules rules;
  Base base;
  guint64 used_scopes = 0;
  GHashTableIter iter;
  gpointer value;

  policy->abi = abi;
  policy->handled_fs = ll_access_fs_for_abi (abi);
  policy->handled_net = ll_access_net_for_abi (abi);
  policy->scoped = ll_scope_for_abi (abi);
  if (kept != NULL && !kept_observed)
    {
      guint64 fs, net, scoped;

      /* What a policy written by hand leaves unrestricted stays so: the
       * uses it allowed were never seen. */
      _ll_ruleset_get_handled_explicit (kept, &fs, &net, &scoped);
      policy->handled_fs &= fs;
      policy->handled_net &= net;
      policy->scoped &= scoped;
    }

  base_init (&base, base_ruleset, abi);
  rules.rules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, path_rule_free);
  rules.moved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Rule 3 needs to know which files a traced program opened itself. */
  for (guint i = 0; i < record->fs->len; i++)
    {
      LlLearnFsSeen *seen = g_ptr_array_index (record->fs, i);

      if (!seen->via_fd)
        g_hash_table_add (opened, seen->path);
    }

  /* Rules 1 to 9, observation by observation. */
  for (guint i = 0; i < record->fs->len; i++)
    {
      LlLearnFsSeen *seen = g_ptr_array_index (record->fs, i);
      guint64 access = seen->access & policy->handled_fs;
      g_autofree char *tree = NULL;
      const char *target;
      const char *reason;

      if (access == 0)
        {
          set_fate (seen, NULL, REASON_NOT_RESTRICTED);
          continue;
        }
      if (seen->proc == LL_LEARN_PROC_NONE)
        access &= ~base_grants_fs (&base, seen->created_beneath != NULL ? seen->created_beneath : seen->path);
      if (access == 0)
        {
          set_fate (seen, NULL, REASON_BASE);
          continue;
        }
      if (seen->via_fd && !g_hash_table_contains (opened, seen->path))
        {
          set_fate (seen, NULL, REASON_OUTSIDE);
          continue;
        }

      if (seen->created_beneath != NULL)
        {
          target = seen->created_beneath;
          reason = REASON_MADE;
        }
      else if (seen->proc == LL_LEARN_PROC_FIRST)
        {
          target = seen->path;
          reason = REASON_OWN_PROC;
        }
      else if (seen->proc != LL_LEARN_PROC_NONE)
        {
          target = "/proc";
          reason = REASON_OTHER_PROC;
        }
      else if ((access & ~(guint64) READ_EXECUTE) == 0 && (tree = system_tree_of (seen->path)) != NULL)
        {
          target = tree;
          reason = REASON_SYSTEM;
        }
      else if (ll_learn_path_is_beneath (seen->path, "/dev"))
        {
          target = seen->path;
          reason = REASON_DEVICE;
        }
      else
        {
          target = seen->path;
          reason = REASON_AS_SEEN;
        }

      /* Directory rights mean nothing on a file: the library would drop
       * them; do it here so the policy says what it does. */
      if (target == seen->path && seen->kind != LL_LEARN_KIND_DIR)
        access &= FILE_RIGHTS;
      rules_add (&rules, target, access, reason);
      set_fate (seen, target, reason);
    }

  collapse_many (&rules);                                 /* rule 8 */
  satisfy_moves (&rules, record, &base, policy->handled_fs); /* rule 10 */
  if (kept != NULL)                                       /* rule 11 */
    _ll_ruleset_foreach_path_rule (kept, add_kept_path, &rules);
  drop_covered (&rules);                                  /* rule 12 */

  /* Each observation names the rule it is in now. */
  for (guint i = 0; i < record->fs->len; i++)
    {
      LlLearnFsSeen *seen = g_ptr_array_index (record->fs, i);

      if (seen->rule != NULL)
        {
          g_autofree char *now = g_strdup (rules_follow (&rules, seen->rule));

          g_free (seen->rule);
          seen->rule = g_steal_pointer (&now);
        }
    }

  /* Rule 13, answers to peers first: they take a right out of the
   * handled set, which no rule may then grant. */
  for (guint i = 0; i < record->net->len; i++)
    {
      const LlLearnNetSeen *seen = g_ptr_array_index (record->net, i);

      if (seen->to_peer && (seen->access & policy->handled_net & LL_ACCESS_NET_CONNECT_SEND_UDP))
        policy->handled_net &= ~(guint64) LL_ACCESS_NET_CONNECT_SEND_UDP;
    }
  for (guint i = 0; i < record->net->len; i++)
    {
      LlLearnNetSeen *seen = g_ptr_array_index (record->net, i);
      guint64 access = seen->access & policy->handled_net & ~base.unhandled_net;
      LlLearnPortRule *rule;

      access &= ~GPOINTER_TO_SIZE (g_hash_table_lookup (base.ports, GUINT_TO_POINTER (seen->port)));
      g_free (seen->reason);
      if (seen->to_peer && (seen->access & ll_access_net_for_abi (abi)) != 0)
        {
          seen->reason = g_strdup (REASON_TO_PEER);
          continue;
        }
      if ((seen->access & policy->handled_net) == 0)
        {
          seen->reason = g_strdup (REASON_NOT_RESTRICTED);
          continue;
        }
      if (access == 0)
        {
          seen->reason = g_strdup (REASON_BASE);
          continue;
        }
      seen->reason = g_strdup (REASON_PORT);
      rule = g_hash_table_lookup (ports, GUINT_TO_POINTER (seen->port));
      if (rule == NULL)
        {
          rule = g_new0 (LlLearnPortRule, 1);
          rule->port = seen->port;
          rule->reason = REASON_PORT;
          g_hash_table_insert (ports, GUINT_TO_POINTER (seen->port), rule);
        }
      rule->access |= access;
    }
  if (kept != NULL)
    _ll_ruleset_foreach_net_rule (kept, add_kept_port, ports);
  /* A rule granting what is no longer handled would handle it again. */
  {
    GHashTableIter port_iter;
    gpointer port_rule;

    g_hash_table_iter_init (&port_iter, ports);
    while (g_hash_table_iter_next (&port_iter, NULL, &port_rule))
      {
        ((LlLearnPortRule *) port_rule)->access &= policy->handled_net;
        if (((LlLearnPortRule *) port_rule)->access == 0)
          g_hash_table_iter_remove (&port_iter);
      }
  }

  /* Rule 14. */
  for (guint i = 0; i < record->scopes->len; i++)
    {
      LlLearnScopeSeen *seen = g_ptr_array_index (record->scopes, i);

      used_scopes |= seen->scope;
      g_free (seen->reason);
      seen->reason = g_strdup ((seen->scope & policy->scoped) != 0
                               ? "reached outside: not restricted"
                               : REASON_NOT_RESTRICTED);
    }
  policy->scoped &= ~used_scopes;

  policy->paths = g_ptr_array_new_with_free_func (path_rule_free);
  g_hash_table_iter_init (&iter, rules.rules);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (policy->paths, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (policy->paths, compare_path_rules);

  policy->ports = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, ports);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (policy->ports, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (policy->ports, compare_port_rules);

  g_hash_table_unref (rules.rules);
  g_hash_table_unref (rules.moved);
  base_clear (&base);
  return policy;
}

const char *
ll_learn_compact_review_note (const char *path,
                              const char *reason)
{
  if (reason == NULL)
    return NULL;
  if (g_str_equal (reason, REASON_OTHER_PROC))
    return "this grants it beneath all of /proc, other processes' entries too (as far as their "
           "owners' permissions allow): Landlock cannot name a process's /proc directory before "
           "the process exists";
  if (g_str_equal (reason, REASON_MADE) && others_can_write (path))
    return "others can create files in this directory: the rule reaches their files too (as far "
           "as permissions allow) and follows symbolic links they plant there; prefer a directory "
           "of your own where the program lets you choose one (TMPDIR=..., an option)";
  return NULL;
}
