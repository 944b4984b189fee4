/* landlock-run.c: run a command in a Landlock sandbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * landlock-run restricts itself with an LlRuleset built from its options,
 * then replaces itself with the command (execvp), so that no supervising
 * process is left behind and the command's exit status is ours.
 */

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib-object.h>

#include <landlock-glib/landlock-glib.h>

/* The masks --explain shows are the library's own (this program is built
 * with the library's static objects, in the same tree). */
#include "ll-abi-private.h"
#include "ll-error-private.h"
#include "ll-quote-private.h"
#include "ll-ruleset-private.h"

#include "ll-learn.h"

/* The exit statuses of env(1), nice(1) and timeout(1), so that a script can
 * tell a sandbox that could not be set up from the command's own failure. */
#define EXIT_SETUP_FAILED   LL_CHILD_SETUP_FAILED
#define EXIT_CANNOT_INVOKE  126
#define EXIT_NOT_FOUND      127

/* The variables of the kernel's samples/landlock/sandboxer.c. */
#define ENV_FS_RO       "LL_FS_RO"
#define ENV_FS_RW       "LL_FS_RW"
#define ENV_TCP_BIND    "LL_TCP_BIND"
#define ENV_TCP_CONNECT "LL_TCP_CONNECT"
#define ENV_SCOPED      "LL_SCOPED"
#define ENV_DELIMITER   ":"

typedef enum
{
  RULE_READ,
  RULE_READ_WRITE,
  RULE_READ_EXECUTE,
  RULE_RESOLVE_UNIX,
  RULE_EVERY_FS_RIGHT,     /* LL_FS_RW of the sample sandboxer */
  RULE_BIND_TCP,
  RULE_CONNECT_TCP,
  RULE_BIND_UDP,
  RULE_CONNECT_UDP,
} RuleKind;

typedef struct
{
  RuleKind  kind;
  char     *path;          /* path rules */
  int       port;          /* network rules */
  char     *origin;        /* the option or variable it came from */
} Rule;

typedef struct
{
  GArray   *rules;         /* Rule, in command-line order */

  gboolean  allow_all_network;
  gboolean  allow_all_scope;
  LlScope   allowed_scopes;
  gboolean  best_effort;
  gboolean  strict;
  gboolean  ignore_missing;
  gboolean  no_symlinks;
  gboolean  quiet;
  gboolean  verbose;
  gboolean  log_same_exec_off;
  gboolean  log_new_exec_on;
  gboolean  log_subdomains_off;
  gboolean  env_compat;
  gboolean  check;
  gboolean  explain;
  gboolean  print_policy;
  gboolean  version;
  char    **policies;      /* --policy FILE, composed in order */
  char    **variables;     /* --var NAME=VALUE, for the policies */
  char    **command;
  char     *learn;         /* --learn FILE (ll-learn.c) */

  /* With --env-compat, the sample's defaults replace the library's: only
   * the network rights and scopes named by variables are restricted. */
  LlAccessNet env_handled_net;
  LlScope     env_scoped;
} Options;

static void
rule_clear (gpointer data)
{
  Rule *rule = data;

  g_clear_pointer (&rule->path, g_free);
  g_clear_pointer (&rule->origin, g_free);
}

static void
options_init (Options *options)
{
  options->rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (options->rules, rule_clear);
}

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->rules, g_array_unref);
  g_clear_pointer (&options->command, g_strfreev);
  g_clear_pointer (&options->policies, g_strfreev);
  g_clear_pointer (&options->variables, g_strfreev);
  g_clear_pointer (&options->learn, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
options_add_path_rule (Options    *options,
                       RuleKind    kind,
                       const char *path,
                       const char *origin)
{
  Rule rule = { kind, g_strdup (path), 0, g_strdup (origin) };

  g_array_append_val (options->rules, rule);
}

static void
options_add_net_rule (Options    *options,
                      RuleKind    kind,
                      int         port,
                      const char *origin)
{
  Rule rule = { kind, NULL, port, g_strdup (origin) };

  g_array_append_val (options->rules, rule);
}

static LlAccessNet
rule_access_net (const Rule *rule)
{
  switch (rule->kind)
    {
    case RULE_BIND_TCP:
      return LL_ACCESS_NET_BIND_TCP;
    case RULE_CONNECT_TCP:
      return LL_ACCESS_NET_CONNECT_TCP;
    case RULE_BIND_UDP:
      return LL_ACCESS_NET_BIND_UDP;
    case RULE_CONNECT_UDP:
      return LL_ACCESS_NET_CONNECT_SEND_UDP;
    case RULE_READ:
    case RULE_READ_WRITE:
    case RULE_READ_EXECUTE:
    case RULE_RESOLVE_UNIX:
    case RULE_EVERY_FS_RIGHT:
    default:
      return LL_ACCESS_NET_NONE;
    }
}

/* The rights a path rule grants on a kernel of ABI @abi (LL_ABI_MAX when
 * there is no Landlock, to show the intent). */
static LlAccessFs
rule_access_fs (const Rule *rule,
                int         abi)
{
  LlAccessFs known = ll_access_fs_for_abi (abi);

  switch (rule->kind)
    {
    case RULE_READ:
      return _LL_ACCESS_FS_READ;
    case RULE_READ_WRITE:
      return (_LL_ACCESS_FS_READ | _LL_ACCESS_FS_WRITE) & known;
    case RULE_READ_EXECUTE:
      return _LL_ACCESS_FS_READ | LL_ACCESS_FS_EXECUTE;
    case RULE_RESOLVE_UNIX:
      return LL_ACCESS_FS_RESOLVE_UNIX;
    case RULE_EVERY_FS_RIGHT:
      return known;
    case RULE_BIND_TCP:
    case RULE_CONNECT_TCP:
    case RULE_BIND_UDP:
    case RULE_CONNECT_UDP:
    default:
      return LL_ACCESS_FS_NONE;
    }
}

/* The ABI whose rights the tool stands for: the running one, or all the
 * library knows when there is no Landlock (nothing is enforced then, and
 * --explain still shows the intent). */
static int
target_abi (void)
{
  return _ll_abi_or_max (ll_get_abi_version (NULL));
}

/* Option parsing */

/* The options that add a rule, and the kind of rule each adds: GOption
 * gives the callbacks the option's name, not its entry. */
static const struct
{
  const char *name;
  RuleKind    kind;
} rule_options[] = {
  { "--ro", RULE_READ },
  { "--rw", RULE_READ_WRITE },
  { "--rx", RULE_READ_EXECUTE },
  { "--exec", RULE_READ_EXECUTE },
  { "--unix", RULE_RESOLVE_UNIX },
  { "--bind-tcp", RULE_BIND_TCP },
  { "--connect-tcp", RULE_CONNECT_TCP },
  { "--bind-udp", RULE_BIND_UDP },
  { "--connect-udp", RULE_CONNECT_UDP },
};

static gboolean
rule_option_kind (const char *option_name,
                  RuleKind   *out_kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rule_options); i++)
    if (g_str_equal (rule_options[i].name, option_name))
      {
        *out_kind = rule_options[i].kind;
        return TRUE;
      }
  return FALSE;
}

static gboolean
on_path_option (const char  *option_name,
                const char  *value,
                gpointer     user_data,
                GError     **error)
{
  Options *options = user_data;
  RuleKind kind;

  if (!rule_option_kind (option_name, &kind))
    g_return_val_if_reached (FALSE);

  options_add_path_rule (options, kind, value, option_name);
  return TRUE;
}

/* Only the syntax is checked here: the range is the library's business,
 * and ll_ruleset_check() reports a port above 65535 in its own words. */
static gboolean
parse_port (const char  *text,
            const char  *origin,
            int         *out_port,
            GError     **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &number, NULL))
    {
      g_autofree char *shown = _ll_quote (text, -1, LL_QUOTE_MAX_PATH);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Invalid port “%s” for %s: give a number from 0 to 65535",
                   shown, origin);
      return FALSE;
    }
  *out_port = (int) number;
  return TRUE;
}

static gboolean
on_port_option (const char  *option_name,
                const char  *value,
                gpointer     user_data,
                GError     **error)
{
  Options *options = user_data;
  RuleKind kind;
  int port;

  if (!rule_option_kind (option_name, &kind))
    g_return_val_if_reached (FALSE);

  if (!parse_port (value, option_name, &port, error))
    return FALSE;

  options_add_net_rule (options, kind, port, option_name);
  return TRUE;
}

static gboolean
on_allow_scope_option (const char  *option_name,
                       const char  *value,
                       gpointer     user_data,
                       GError     **error)
{
  Options *options = user_data;

  if (g_str_equal (value, "abstract-unix") || g_str_equal (value, "abstract-unix-socket"))
    options->allowed_scopes |= LL_SCOPE_ABSTRACT_UNIX_SOCKET;
  else if (g_str_equal (value, "signal"))
    options->allowed_scopes |= LL_SCOPE_SIGNAL;
  else
    {
      g_autofree char *shown = _ll_quote (value, -1, LL_QUOTE_MAX_PATH);

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown scope “%s” for %s: use abstract-unix or signal",
                   shown, option_name);
      return FALSE;
    }
  return TRUE;
}

/* --env-compat: the kernel sample sandboxer's variables, with its
 * semantics (samples/landlock/sandboxer.c). */

/* The items of the list @variable holds; NULL when it is unset. An empty
 * string is an empty list. */
static GStrv
env_list (const char *variable)
{
  const char *value = g_getenv (variable);

  return value != NULL ? g_strsplit (value, ENV_DELIMITER, -1) : NULL;
}

static gboolean
read_env_paths (Options     *options,
                const char  *variable,
                RuleKind     kind,
                GError     **error)
{
  g_auto(GStrv) paths = env_list (variable);

  /* The sample insists on both path lists, so that a forgotten one is not
   * mistaken for "nothing allowed"; an empty string is an empty list. */
  if (paths == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "--env-compat needs %s and %s set, as the kernel's sample sandboxer "
                   "does: %s is missing (set it to \"\" for an empty list)",
                   ENV_FS_RO, ENV_FS_RW, variable);
      return FALSE;
    }

  for (gsize i = 0; paths[i] != NULL; i++)
    {
      int fd;

      /* The sample skips a path it cannot open, with a message, rather
       * than failing: do the same, whatever --ignore-missing says. */
      fd = open (paths[i], O_PATH | O_CLOEXEC);
      if (fd < 0)
        {
          int errsv = errno;
          g_autofree char *shown = _ll_quote (paths[i], -1, LL_QUOTE_MAX_PATH);

          if (!options->quiet)
            g_printerr ("%s: warning: skipping “%s” of %s: %s\n",
                        g_get_prgname (), shown, variable, g_strerror (errsv));
          continue;
        }
      close (fd);
      options_add_path_rule (options, kind, paths[i], variable);
    }
  return TRUE;
}

static gboolean
read_env_ports (Options     *options,
                const char  *variable,
                RuleKind     kind,
                GError     **error)
{
  g_auto(GStrv) ports = env_list (variable);

  /* Unset: the sample leaves this right unrestricted. Set, even to "":
   * restricted, with the listed ports allowed. */
  if (ports == NULL)
    return TRUE;

  options->env_handled_net |= (kind == RULE_BIND_TCP) ? LL_ACCESS_NET_BIND_TCP
                                                      : LL_ACCESS_NET_CONNECT_TCP;

  for (gsize i = 0; ports[i] != NULL; i++)
    {
      int port;

      if (*ports[i] == '\0')
        continue;
      if (!parse_port (ports[i], variable, &port, error))
        return FALSE;
      options_add_net_rule (options, kind, port, variable);
    }
  return TRUE;
}

static gboolean
read_env_scopes (Options     *options,
                 GError     **error)
{
  g_auto(GStrv) letters = env_list (ENV_SCOPED);

  /* Unlike the command line, the sample scopes nothing unless asked. */
  if (letters == NULL)
    return TRUE;

  for (gsize i = 0; letters[i] != NULL; i++)
    {
      LlScope scope = LL_SCOPE_NONE;

      if (g_str_equal (letters[i], "a"))
        scope = LL_SCOPE_ABSTRACT_UNIX_SOCKET;
      else if (g_str_equal (letters[i], "s"))
        scope = LL_SCOPE_SIGNAL;

      if (scope == LL_SCOPE_NONE || (options->env_scoped & scope) != 0)
        {
          g_autofree char *shown = _ll_quote (letters[i], -1, LL_QUOTE_MAX_PATH);

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Unknown or duplicate scope “%s” in %s: use a colon-separated "
                       "list of “a” (abstract UNIX sockets) and “s” (signals)",
                       shown, ENV_SCOPED);
          return FALSE;
        }
      options->env_scoped |= scope;
    }
  return TRUE;
}

static gboolean
read_sample_environment (Options  *options,
                         GError  **error)
{
  const char * const variables[] = {
    ENV_FS_RO, ENV_FS_RW, ENV_TCP_BIND, ENV_TCP_CONNECT, ENV_SCOPED,
  };

  if (!read_env_paths (options, ENV_FS_RO, RULE_READ_EXECUTE, error) ||
      !read_env_paths (options, ENV_FS_RW, RULE_EVERY_FS_RIGHT, error) ||
      !read_env_ports (options, ENV_TCP_BIND, RULE_BIND_TCP, error) ||
      !read_env_ports (options, ENV_TCP_CONNECT, RULE_CONNECT_TCP, error) ||
      !read_env_scopes (options, error))
    return FALSE;

  /* The sample hides its configuration from the command it runs. */
  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i]);
  return TRUE;
}

/* Building the ruleset */

/* Strict unless asked otherwise, except where the format or the program
 * imitated is best-effort itself: policy files (as the reference applies
 * them) and --env-compat (as the kernel's sample sandboxer does). */
static gboolean
is_strict (const Options *options)
{
  if (options->strict)
    return TRUE;
  if (options->best_effort)
    return FALSE;
  return options->policies == NULL && !options->env_compat;
}

/* A policy's ruleset skips parents that do not exist, as the reference
 * does; the command line's own paths must exist unless --ignore-missing
 * says otherwise, whatever the policy does with its own. */
static gboolean
check_command_line_paths (Options  *options,
                          GError  **error)
{
  for (guint i = 0; i < options->rules->len && !options->ignore_missing; i++)
    {
      const Rule *rule = &g_array_index (options->rules, Rule, i);
      struct stat st;

      if (rule->path != NULL && lstat (rule->path, &st) < 0 && errno == ENOENT)
        {
          g_autofree char *display = _ll_quote (rule->path, -1, LL_QUOTE_MAX_PATH);

          g_set_error (error, LL_ERROR, LL_ERROR_PATH,
                       "Cannot use %s %s: it does not exist (add --ignore-missing to skip "
                       "paths that do not exist)", rule->origin, display);
          return FALSE;
        }
    }
  return TRUE;
}

static LlRuleset *
build_ruleset (Options  *options,
               GError  **error)
{
  g_autoptr(LlRuleset) ruleset = NULL;
  LlRestrictFlags restrict_flags = LL_RESTRICT_FLAGS_NONE;
  int abi = target_abi ();

  if (options->policies != NULL)
    {
      /* The policies first (composed as landlockconfig composes them),
       * then the command line's rules on top. */
      if (!check_command_line_paths (options, error))
        return NULL;
      ruleset = ll_ruleset_new_from_files_full ((const char * const *) options->policies,
                                                (const char * const *) options->variables,
                                                error);
      if (ruleset == NULL)
        return NULL;
      ll_ruleset_set_strict (ruleset, is_strict (options));
    }
  else if (options->variables != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--var sets a variable of a policy: give the policy with --policy");
      return NULL;
    }
  else
    ruleset = g_object_new (LL_TYPE_RULESET,
                            "strict", is_strict (options),
                            "ignore-missing", options->ignore_missing,
                            NULL);

  for (guint i = 0; i < options->rules->len; i++)
    {
      const Rule *rule = &g_array_index (options->rules, Rule, i);
      const char * const paths[] = { rule->path, NULL };

      switch (rule->kind)
        {
        case RULE_READ:
          ll_ruleset_allow_read (ruleset, paths);
          break;
        case RULE_READ_WRITE:
          ll_ruleset_allow_read_write (ruleset, paths);
          break;
        case RULE_READ_EXECUTE:
        case RULE_RESOLVE_UNIX:
        case RULE_EVERY_FS_RIGHT:
          /* One kernel rule per path rather than one per right group. */
          ll_ruleset_add_path_rule (ruleset, paths, rule_access_fs (rule, abi));
          break;
        case RULE_BIND_TCP:
        case RULE_CONNECT_TCP:
        case RULE_BIND_UDP:
          ll_ruleset_add_net_rule (ruleset, rule->port, rule_access_net (rule),
                                   LL_RULE_FLAGS_NONE);
          break;
        case RULE_CONNECT_UDP:
          /* With binding to port 0, which the kernel checks when a
           * client's socket sends before it is bound (autobind). */
          ll_ruleset_add_net_rule (ruleset, rule->port, rule_access_net (rule),
                                   LL_RULE_FLAGS_NONE);
          ll_ruleset_add_net_rule (ruleset, 0, LL_ACCESS_NET_BIND_UDP, LL_RULE_FLAGS_NONE);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (options->env_compat)
    {
      guint64 handled_fs = ll_access_fs_for_abi (abi);
      guint64 handled_net = options->env_handled_net;
      guint64 scoped = options->env_scoped;

      /* A network option on the command line asks for its right to be
       * restricted, with the given ports allowed. */
      for (guint i = 0; i < options->rules->len; i++)
        handled_net |= rule_access_net (&g_array_index (options->rules, Rule, i));
      /* The variables add to what the policies restrict, never take from
       * it: the sample's "unset means unrestricted" describes the sample's
       * own defaults, not a policy's. The policy's sets as written, not
       * cut to this kernel, so that what it lacks is still reported. */
      if (options->policies != NULL)
        {
          guint64 policy_fs, policy_net, policy_scoped;

          _ll_ruleset_get_handled_explicit (ruleset, &policy_fs, &policy_net, &policy_scoped);
          handled_fs |= policy_fs;
          handled_net |= policy_net;
          scoped |= policy_scoped;
        }
      scoped &= ~(guint64) options->allowed_scopes;
      if (options->allow_all_network)
        handled_net = LL_ACCESS_NET_NONE;
      if (options->allow_all_scope)
        scoped = LL_SCOPE_NONE;

      ll_ruleset_set_handled_access (ruleset, handled_fs, handled_net, scoped);
    }
  else
    {
      if (options->allow_all_network)
        ll_ruleset_allow_all_network (ruleset);
      if (options->allow_all_scope)
        ll_ruleset_allow_all_scope (ruleset);
      else if (options->allowed_scopes != LL_SCOPE_NONE)
        ll_ruleset_allow_scope (ruleset, options->allowed_scopes);
    }

  if (options->no_symlinks)
    ll_ruleset_set_follow_symlinks (ruleset, FALSE);

  if (options->log_same_exec_off)
    restrict_flags |= LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF;
  if (options->log_new_exec_on)
    restrict_flags |= LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON;
  if (options->log_subdomains_off)
    restrict_flags |= LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF;
  ll_ruleset_set_restrict_flags (ruleset, restrict_flags);

  /* Report a bad port or an empty path now, before anything else. */
  if (!ll_ruleset_check (ruleset, error))
    return NULL;

  return g_steal_pointer (&ruleset);
}

/* Describing flags */

/* "read-file, read-dir" from the nicks of the enum, or "none". */
static char *
describe_flags (GType   flags_type,
                guint64 bits)
{
  g_autoptr(GFlagsClass) flags_class = g_type_class_ref (flags_type);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < flags_class->n_values; i++)
    {
      const GFlagsValue *value = &flags_class->values[i];

      if (value->value == 0 || (bits & value->value) != value->value)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, value->value_nick);
    }
  if (text->len == 0)
    g_string_append (text, "none");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* --check */

static void
print_feature_rows (const char *label,
                    GType       flags_type,
                    guint64     only,
                    int         abi)
{
  g_autoptr(GFlagsClass) flags_class = g_type_class_ref (flags_type);
  guint64 available = _ll_abi_flags_for_abi (flags_type, abi);

  for (guint i = 0; i < flags_class->n_values; i++)
    {
      const GFlagsValue *value = &flags_class->values[i];
      g_autofree char *name = NULL;

      if (value->value == 0 || (value->value & only) == 0)
        continue;
      name = g_strdup_printf ("%s %s", label, value->value_nick);
      g_print ("  %-36s ABI %-3d %s\n", name,
               _ll_abi_introducing (flags_type, value->value),
               (available & value->value) != 0 ? "yes" : "no");
    }
}

static int
run_check (void)
{
  g_autoptr(GError) abi_error = NULL;
  g_autoptr(GError) errata_error = NULL;
  int abi;
  guint errata;

  abi = ll_get_abi_version (&abi_error);
  if (abi > 0 && _ll_abi_get_kernel_version () > LL_ABI_MAX)
    g_print ("Landlock: available, ABI %d (landlock-glib %s knows ABI 1 to %d, "
             "and uses what ABI %d has)\n",
             _ll_abi_get_kernel_version (), LL_VERSION_S, LL_ABI_MAX, LL_ABI_MAX);
  else if (abi > 0)
    g_print ("Landlock: available, ABI %d (landlock-glib %s knows ABI 1 to %d)\n",
             abi, LL_VERSION_S, LL_ABI_MAX);
  else
    g_print ("Landlock: not available: %s\n", abi_error->message);

  errata = ll_get_errata (&errata_error);
  if (errata_error != NULL)
    g_print ("Errata: unknown: %s\n", errata_error->message);
  else
    {
      g_autoptr(GFlagsClass) errata_class = g_type_class_ref (LL_TYPE_ERRATA);
      g_autoptr(GString) fixed = g_string_new (NULL);

      for (guint bit = 0; bit < 32; bit++)
        {
          const GFlagsValue *value;

          if ((errata & (1u << bit)) == 0)
            continue;
          if (fixed->len > 0)
            g_string_append (fixed, ", ");
          value = g_flags_get_first_value (errata_class, 1u << bit);
          g_string_append_printf (fixed, "%u (%s)", bit + 1,
                                  value != NULL ? value->value_nick : "unknown to this library");
        }
      g_print ("Errata fixed: 0x%x%s%s\n", errata, fixed->len > 0 ? ": " : "", fixed->str);
    }

  g_print ("\n  %-36s %-7s %s\n", "FEATURE", "NEEDS", "AVAILABLE");
  print_feature_rows ("filesystem", LL_TYPE_ACCESS_FS, G_MAXUINT64, abi);
  print_feature_rows ("network", LL_TYPE_ACCESS_NET, G_MAXUINT64, abi);
  print_feature_rows ("scope", LL_TYPE_SCOPE, G_MAXUINT64, abi);
  print_feature_rows ("audit", LL_TYPE_RESTRICT_FLAGS,
                      LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF | LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON |
                      LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF, abi);
  print_feature_rows ("threads", LL_TYPE_RESTRICT_FLAGS, LL_RESTRICT_FLAGS_TSYNC, abi);
  print_feature_rows ("restrict", LL_TYPE_RESTRICT_FLAGS, LL_RESTRICT_FLAGS_NO_NEW_PRIVS, abi);
  print_feature_rows ("rule", LL_TYPE_RULE_FLAGS, G_MAXUINT64, abi);

  {
    g_autoptr(LlRuleset) everything = ll_ruleset_new ();
    g_autofree char *open = ll_ruleset_describe_unrestricted (everything);

    g_print ("\nA sandbox here: %s\n",
             open != NULL ? open : "everything landlock-glib knows can be restricted");
  }
  return EXIT_SUCCESS;
}

/* --explain */

static gboolean
write_all (int         fd,
           const char *text)
{
  gsize left = strlen (text);

  while (left > 0)
    {
      ssize_t written = write (fd, text, left);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      text += written;
      left -= written;
    }
  return TRUE;
}

/* Applies @ruleset in a short-lived child process and returns what the
 * kernel made of it, so that --explain tells the truth (a right this
 * kernel lacks, a missing path) without restricting this process. */
static char *
probe_in_child (LlRuleset *ruleset)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  int fds[2];
  pid_t pid;
  int wait_status;
  char buffer[512];
  ssize_t n_read;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return g_strdup_printf ("unknown (cannot create a pipe: %s)", g_strerror (errno));

  pid = fork ();
  if (pid < 0)
    {
      int errsv = errno;

      close (fds[0]);
      close (fds[1]);
      return g_strdup_printf ("unknown (cannot fork: %s)", g_strerror (errsv));
    }

  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      LlStatus status;

      close (fds[0]);
      if (!ll_ruleset_apply (ruleset, &status, &error))
        line = g_strdup_printf ("would fail: %s", error->message);
      else if (status == LL_STATUS_FULLY_ENFORCED)
        line = g_strdup ("fully enforced");
      else
        line = g_strdup_printf ("%s: %s",
                                status == LL_STATUS_PARTIALLY_ENFORCED
                                  ? "partially enforced" : "not enforced",
                                ll_ruleset_get_status_reason (ruleset));
      _exit (write_all (fds[1], line) ? 0 : 1);
    }

  close (fds[1]);
  while ((n_read = read (fds[0], buffer, sizeof buffer)) != 0)
    {
      if (n_read < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      g_string_append_len (answer, buffer, n_read);
    }
  close (fds[0]);
  while (waitpid (pid, &wait_status, 0) < 0 && errno == EINTR)
    ;

  if (answer->len == 0)
    g_string_append (answer, "unknown (the probe process said nothing)");
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

/* Rule paths that lead elsewhere than they say (through a symbolic link,
 * or "..") and where: a rule is on what its path leads to. Read now, just
 * before applying, as the library will open them. */
static void
add_redirection (const char *path,
                 guint64     access,
                 guint32     flags,
                 gpointer    user_data)
{
  GPtrArray *lines = user_data;
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  char *real = realpath (path, NULL);

  if (real != NULL && strcmp (real, canonical) != 0)
    {
      g_autofree char *shown = _ll_quote (path, -1, LL_QUOTE_MAX_PATH);
      g_autofree char *shown_real = _ll_quote (real, -1, LL_QUOTE_MAX_PATH);

      g_ptr_array_add (lines, g_strdup_printf ("%s leads to %s", shown, shown_real));
    }
  free (real);
}

static GPtrArray *
find_redirections (LlRuleset *ruleset)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  _ll_ruleset_foreach_path_rule (ruleset, add_redirection, lines);
  return lines;
}

static void
print_path_rule (const Rule *rule,
                 LlRuleset  *ruleset,
                 int         abi)
{
  LlAccessFs handled = ll_ruleset_get_handled_access_fs (ruleset);
  LlAccessFs access = rule_access_fs (rule, abi);
  g_autofree char *missing = _ll_abi_describe_missing (LL_TYPE_ACCESS_FS, access, abi);
  g_autofree char *rights = NULL;
  g_autofree char *shown = NULL;
  const char *note = "";
  struct stat st;

  if (stat (rule->path, &st) < 0)
    note = ll_ruleset_get_ignore_missing (ruleset)
             ? " [does not exist: skipped]"
             : " [does not exist]";
  else if (!S_ISDIR (st.st_mode))
    {
      /* As the library does: directory rights mean nothing on a file. */
      access &= _LL_ACCESS_FS_ON_FILES;
      note = " [not a directory]";
    }

  rights = describe_flags (LL_TYPE_ACCESS_FS, access & handled);
  shown = _ll_quote (rule->path, -1, LL_QUOTE_MAX_PATH);
  g_print ("  %s %s: %s%s", rule->origin, shown, rights, note);
  if (missing != NULL)
    g_print (" [this kernel lacks: %s]", missing);
  g_print ("\n");
}

static void
print_net_rule (const Rule *rule,
                LlRuleset  *ruleset,
                int         abi)
{
  LlAccessNet handled = ll_ruleset_get_handled_access_net (ruleset);
  LlAccessNet access = rule_access_net (rule);
  g_autofree char *missing = _ll_abi_describe_missing (LL_TYPE_ACCESS_NET, access, abi);
  g_autofree char *rights = describe_flags (LL_TYPE_ACCESS_NET, access & handled);

  g_print ("  %s %d: %s", rule->origin, rule->port, rights);
  if (missing != NULL)
    g_print (" [this kernel lacks: %s]", missing);
  else if ((access & handled) == 0)
    g_print (" [no effect: this right is not restricted]");
  if (rule->kind == RULE_CONNECT_UDP && missing == NULL && (access & handled) != 0)
    g_print (", and bind-udp on port 0 [a client's unbound socket is bound to port 0 "
             "by the kernel when it sends]");
  g_print ("\n");
}

static int
run_explain (Options   *options,
             LlRuleset *ruleset)
{
  int abi = ll_ruleset_get_abi (ruleset);
  int shown_abi = _ll_abi_or_max (abi);
  g_autofree char *fs = describe_flags (LL_TYPE_ACCESS_FS, ll_ruleset_get_handled_access_fs (ruleset));
  g_autofree char *net = describe_flags (LL_TYPE_ACCESS_NET, ll_ruleset_get_handled_access_net (ruleset));
  g_autofree char *scopes = describe_flags (LL_TYPE_SCOPE, ll_ruleset_get_scoped (ruleset));
  g_autofree char *flags = describe_flags (LL_TYPE_RESTRICT_FLAGS, ll_ruleset_get_restrict_flags (ruleset));
  g_autofree char *result = NULL;

  if (abi > 0)
    g_print ("Landlock ABI %d, %s\n", abi,
             ll_ruleset_get_strict (ruleset)
               ? "strict: what this kernel lacks is an error"
               : "best effort: what this kernel lacks is dropped");
  else
    g_print ("Landlock is not available: %s\n",
             ll_ruleset_get_strict (ruleset)
               ? "strict, so landlock-run would fail"
               : "best effort, so the command would run unsandboxed");

  g_print ("Denied unless a rule allows it:\n");
  g_print ("  filesystem: %s\n", fs);
  g_print ("  network: %s\n", net);
  g_print ("  scopes (IPC out of the sandbox): %s\n", scopes);

  g_print ("Rules:\n");
  if (options->rules->len == 0)
    g_print ("  none\n");
  for (guint i = 0; i < options->rules->len; i++)
    {
      const Rule *rule = &g_array_index (options->rules, Rule, i);

      if (rule_access_net (rule) != LL_ACCESS_NET_NONE)
        print_net_rule (rule, ruleset, shown_abi);
      else
        print_path_rule (rule, ruleset, shown_abi);
    }

  ll_learn_explain_policies ((const char * const *) options->policies);

  if (ruleset->policy_unset_variables != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", ruleset->policy_unset_variables);
      g_autofree char *shown = _ll_quote (names, -1, LL_QUOTE_MAX_PATH);

      g_print ("Policy variables without a value (the rules that use them grant nothing; "
               "--var NAME=VALUE sets one): %s\n", shown);
    }

  g_print ("Restrict flags: %s\n", flags);

  {
    g_autoptr(GPtrArray) redirections = find_redirections (ruleset);

    g_print ("Rule paths that lead elsewhere (the rule is on the target%s):\n",
             ll_ruleset_get_follow_symlinks (ruleset) ? "" : "; --no-symlinks refuses links");
    if (redirections->len == 0)
      g_print ("  none\n");
    for (guint i = 0; i < redirections->len; i++)
      g_print ("  %s\n", (const char *) g_ptr_array_index (redirections, i));
  }

  {
    g_autofree char *policy = ll_ruleset_to_json (ruleset);

    g_print ("Policy (landlockconfig JSON, normalised):\n%s", policy);
  }

  result = probe_in_child (ruleset);
  g_print ("Result: %s\n", result);

  if (options->command != NULL && options->command[0] != NULL)
    {
      g_autofree char *command_line = g_strjoinv (" ", options->command);
      g_autofree char *shown = _ll_quote (command_line, -1, LL_QUOTE_MAX_PATH);

      g_print ("Command (not run): %s\n", shown);
    }
  else
    g_print ("Command: none given\n");

  return EXIT_SUCCESS;
}

/* Running the command */

static int
exec_command (char **command)
{
  g_autofree char *shown = NULL;
  int errsv;

  execvp (command[0], command);
  errsv = errno;
  shown = _ll_quote (command[0], -1, LL_QUOTE_MAX_PATH);

  /* execvp() only returns on failure. Under Landlock, a command outside
   * the paths allowed to execute fails with EACCES like a file without
   * the x bit, so the message names both causes. */
  if (errsv == ENOENT || errsv == ENOTDIR)
    {
      g_printerr ("%s: cannot run “%s”: %s (command not found)\n",
                  g_get_prgname (), shown, g_strerror (errsv));
      return EXIT_NOT_FOUND;
    }
  if (errsv == EACCES)
    g_printerr ("%s: cannot run “%s”: %s (not executable, or not beneath a path allowed with --rx)\n",
                g_get_prgname (), shown, g_strerror (errsv));
  else
    g_printerr ("%s: cannot run “%s”: %s\n", g_get_prgname (), shown, g_strerror (errsv));
  return EXIT_CANNOT_INVOKE;
}

/* What the user must know before the command runs. Running without a
 * sandbox is said whatever --quiet says: it is the one outcome a script
 * must never miss. Notes (nothing that weakens what was asked) only with
 * --verbose. */
static void
report_status (const Options *options,
               LlRuleset     *ruleset,
               LlStatus       status)
{
  /* Not a weaker sandbox but a narrower one: what the command was meant
   * to reach it cannot, and the EACCES it gets would not say why. */
  for (gsize i = 0; ruleset->policy_unset_variables != NULL &&
                    ruleset->policy_unset_variables[i] != NULL && !options->quiet; i++)
    {
      g_autofree char *name = _ll_quote (ruleset->policy_unset_variables[i], -1,
                                         LL_QUOTE_MAX_PATH);

      g_printerr ("%s: warning: the policy variable “%s” has no value, so the rules that use "
                  "it grant nothing: give it one with --var %s=VALUE\n",
                  g_get_prgname (), name, name);
    }

  if (status == LL_STATUS_NOT_ENFORCED)
    g_printerr ("%s: warning: the command runs WITHOUT a sandbox: %s\n", g_get_prgname (),
                ll_ruleset_get_status_reason (ruleset));
  else if (status == LL_STATUS_PARTIALLY_ENFORCED && !options->quiet)
    g_printerr ("%s: warning: the sandbox is only partially enforced: %s\n", g_get_prgname (),
                ll_ruleset_get_status_reason (ruleset));

  if (options->verbose && status != LL_STATUS_NOT_ENFORCED)
    {
      const char * const *skipped = ll_ruleset_get_skipped_paths (ruleset);
      g_autofree char *open = ll_ruleset_describe_unrestricted (ruleset);

      if (open != NULL)
        g_printerr ("%s: note: %s\n", g_get_prgname (), open);
      for (gsize i = 0; skipped[i] != NULL; i++)
        {
          g_autofree char *display = _ll_quote (skipped[i], -1, LL_QUOTE_MAX_PATH);

          g_printerr ("%s: note: skipped the rule for %s, which does not exist\n",
                      g_get_prgname (), display);
        }
    }
}

static int
setup_failed (const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    g_printerr ("%s: %s (see “%s --help”)\n", g_get_prgname (), error->message, g_get_prgname ());
  else
    {
      /* The library speaks of rulesets and their properties; here the
       * same advice is an option. */
      g_auto(GStrv) parts = g_strsplit (error->message, _LL_HINT_BEST_EFFORT, -1);
      g_autofree char *message = g_strjoinv ("--best-effort", parts);

      g_printerr ("%s: %s\n", g_get_prgname (), message);
    }
  return EXIT_SETUP_FAILED;
}

/* Parses the command line into @options; what they ask for (check,
 * explain, print the policy, learn or run) is main()'s business. */
static gboolean
parse_options (Options   *options,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  const GOptionEntry entries[] = {
    { "ro", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, on_path_option,
      "Allow reading files and listing directories beneath PATH", "PATH" },
    { "rw", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, on_path_option,
      "Allow reading and writing beneath PATH (creating, removing, renaming, truncating)", "PATH" },
    { "rx", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, on_path_option,
      "Allow reading and executing beneath PATH", "PATH" },
    { "exec", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, on_path_option,
      "Same as --rx", "PATH" },
    { "unix", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, on_path_option,
      "Allow connecting to UNIX sockets bound beneath PATH (Landlock ABI 9)", "PATH" },
    { "bind-tcp", 0, 0, G_OPTION_ARG_CALLBACK, on_port_option,
      "Allow binding TCP sockets to PORT (ABI 4)", "PORT" },
    { "connect-tcp", 0, 0, G_OPTION_ARG_CALLBACK, on_port_option,
      "Allow connecting TCP sockets to PORT (ABI 4)", "PORT" },
    { "bind-udp", 0, 0, G_OPTION_ARG_CALLBACK, on_port_option,
      "Allow binding UDP sockets to PORT (ABI 10)", "PORT" },
    { "connect-udp", 0, 0, G_OPTION_ARG_CALLBACK, on_port_option,
      "Allow connecting UDP sockets to, and sending to, PORT, also from an unbound socket (ABI 10)", "PORT" },
    { "allow-all-network", 0, 0, G_OPTION_ARG_NONE, &options->allow_all_network,
      "Do not restrict the network", NULL },
    { "allow-scope", 0, 0, G_OPTION_ARG_CALLBACK, on_allow_scope_option,
      "Allow IPC out of the sandbox: abstract-unix (abstract UNIX sockets) or signal", "SCOPE" },
    { "allow-all-scope", 0, 0, G_OPTION_ARG_NONE, &options->allow_all_scope,
      "Allow every kind of IPC out of the sandbox", NULL },
    { "best-effort", 0, 0, G_OPTION_ARG_NONE, &options->best_effort,
      "Drop what this kernel cannot enforce instead of failing (the default with --policy and --env-compat)", NULL },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &options->strict,
      "Fail when this kernel cannot enforce something asked for (the default without --policy and --env-compat)", NULL },
    { "ignore-missing", 0, 0, G_OPTION_ARG_NONE, &options->ignore_missing,
      "Skip rules for paths that do not exist instead of failing", NULL },
    { "no-symlinks", 0, 0, G_OPTION_ARG_NONE, &options->no_symlinks,
      "Fail if a rule's path goes through a symbolic link (Linux 5.6)", NULL },
    { "log-same-exec-off", 0, 0, G_OPTION_ARG_NONE, &options->log_same_exec_off,
      "Do not audit-log denials until the command executes another program (ABI 7)", NULL },
    { "log-new-exec-on", 0, 0, G_OPTION_ARG_NONE, &options->log_new_exec_on,
      "Audit-log denials of programs the command executes (ABI 7)", NULL },
    { "log-subdomains-off", 0, 0, G_OPTION_ARG_NONE, &options->log_subdomains_off,
      "Do not audit-log denials of sandboxes nested in this one (ABI 7)", NULL },
    { "env-compat", 0, 0, G_OPTION_ARG_NONE, &options->env_compat,
      "Also read LL_FS_RO, LL_FS_RW, LL_TCP_BIND, LL_TCP_CONNECT and LL_SCOPED as the kernel's sample sandboxer does", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet,
      "Do not warn when the sandbox is only partially enforced (running without one is always said)", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      "Also say what this kernel cannot restrict, and which paths were skipped", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &options->check,
      "Show what this kernel's Landlock supports, and exit", NULL },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &options->explain,
      "Show what would be enforced, and exit without running anything", NULL },
    { "policy", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->policies,
      "Start from the policy FILE (landlockconfig JSON); repeat to compose several", "FILE" },
    { "var", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->variables,
      "Set the policies' variable NAME to VALUE (repeat to give it several values)", "NAME=VALUE" },
    { "print-policy", 0, 0, G_OPTION_ARG_NONE, &options->print_policy,
      "Print the sandbox the options describe as a policy file, and exit", NULL },
    { "learn", 0, 0, G_OPTION_ARG_FILENAME, &options->learn,
      "Run COMMAND WITHOUT a sandbox, traced, and write the policy it needs to FILE "
      "(adding to FILE if it exists)", "FILE" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      "Show the version, and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->command,
      NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[--] COMMAND [ARG…]");
  GOptionGroup *group = g_option_group_new ("landlock-run", "landlock-run options",
                                            "Show landlock-run options", options, NULL);

  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (context, group);

  /* Options after the command are the command's own. */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_summary (context,
    "Run COMMAND in a Landlock sandbox: it can use the filesystem, the network\n"
    "and IPC only as the options allow. Everything Landlock can restrict on\n"
    "this kernel is denied unless an option allows it.");
  g_option_context_set_description (context,
    "Examples:\n"
    "  landlock-run --rx /usr -- ls /usr/share\n"
    "      list a directory; /usr holds the program and its libraries\n"
    "  landlock-run --rx /usr --ro /etc --rw \"$HOME/scratch\" -- make -C \"$HOME/scratch\"\n"
    "      build in one directory, with read-only access to the system\n"
    "  landlock-run --rx /usr --ro /etc --connect-tcp 443 -- curl https://example.org\n"
    "      only HTTPS connections; no other port, no server\n"
    "  landlock-run --best-effort --rx /usr --ro /etc --connect-udp 53 -- getent hosts gnome.org\n"
    "      enforce what this kernel can, warn about the rest\n"
    "  landlock-run --explain --rx /usr -- true\n"
    "      show what would be enforced, run nothing\n"
    "\n"
    "A dynamically linked command needs to read its libraries and the dynamic\n"
    "loader: on systems where /bin and /lib are links into /usr, --rx /usr is\n"
    "enough; elsewhere add --rx /bin --rx /lib (and --ro /etc/ld.so.cache).\n"
    "\n"
    "Exit status: 125 if the sandbox cannot be set up, 126 if COMMAND cannot\n"
    "be run, 127 if it is not found, else the status of COMMAND.\n"
    "See landlock-run(1).");

  return g_option_context_parse (context, argc, argv, error);
}

/* With the sandbox built: say what is done, apply it, and become the
 * command. */
static int
run_sandboxed (Options   *options,
               LlRuleset *ruleset)
{
  g_autoptr(GError) error = NULL;
  LlStatus status;

  if (options->verbose)
    {
      g_autoptr(GPtrArray) redirections = find_redirections (ruleset);

      for (guint i = 0; i < redirections->len; i++)
        g_printerr ("%s: note: the rule for %s\n", g_get_prgname (),
                    (const char *) g_ptr_array_index (redirections, i));
    }

  if (!ll_ruleset_apply (ruleset, &status, &error))
    return setup_failed (error);

  report_status (options, ruleset, status);
  return exec_command (options->command);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { NULL, };
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;

  /* Only the categories this program uses: the character set (GLib's
   * conversions, GOption) and the messages (GLib's and strerror()'s).
   * LC_ALL would load eleven more locale files on every start.
   *
   * Not deferred until something is printed, although that would save
   * about 7 page faults of each start: the library formats g_strerror()
   * text into its errors and status reasons inside ll_ruleset_apply(),
   * before the tool knows it will print them, and GLib caches that text
   * per errno for the life of the process, so a later setlocale() would
   * leave such messages untranslated or wrongly encoded. */
  setlocale (LC_CTYPE, "");
  setlocale (LC_MESSAGES, "");
  g_set_prgname ("landlock-run");

  options_init (&options);
  if (!parse_options (&options, &argc, &argv, &error))
    return setup_failed (error);

  if (options.version)
    {
      g_print ("landlock-run (landlock-glib) %s\n", LL_VERSION_S);
      return EXIT_SUCCESS;
    }

  if (options.check)
    return run_check ();

  if (options.strict && options.best_effort)
    {
      g_printerr ("%s: --strict and --best-effort contradict each other: give one of them\n",
                  g_get_prgname ());
      return EXIT_SETUP_FAILED;
    }

  if (options.env_compat && !read_sample_environment (&options, &error))
    return setup_failed (error);

  ruleset = build_ruleset (&options, &error);
  if (ruleset == NULL)
    return setup_failed (error);

  if (options.print_policy)
    {
      g_autofree char *policy = ll_ruleset_to_json (ruleset);

      g_print ("%s", policy);
      return EXIT_SUCCESS;
    }

  if (options.explain)
    return run_explain (&options, ruleset);

  if (options.command == NULL || options.command[0] == NULL)
    {
      g_printerr ("%s: no command given: usage: %s [OPTION…] [--] COMMAND [ARG…]\n",
                  g_get_prgname (), g_get_prgname ());
      return EXIT_SETUP_FAILED;
    }

  if (options.learn != NULL)
    return ll_learn_run (options.learn, ruleset, options.command, options.quiet);

  return run_sandboxed (&options, ruleset);
}
