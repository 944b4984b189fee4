/* ll-policy-names.c: the names a policy uses, and did-you-mean
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The landlockconfig names of the rights and scopes, in kernel bit order;
 * the abi.* groups and what each stands for at each abi; what makes a
 * variable's name valid; and the closest name to a misspelt one. A right
 * that a new ABI brings gets its name here, and its place in the groups.
 * Tables and lookups only: what a message says about a wrong name is the
 * parser's (ll-policy-parse.c), and nothing here allocates.
 */

#include <string.h>

#include "ll-abi.h"
#include "ll-enums.h"
#include "ll-policy-model-private.h"

/* The rights and scopes in kernel bit order, under their landlockconfig
 * names; the extensions are the kernel's names for rights the reference
 * cannot name yet. */
static const char * const access_fs_names[] = {
  "execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
  "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
  "make_sym", "refer", "truncate", "ioctl_dev", "resolve_unix",
};
static const char * const access_net_names[] = {
  "bind_tcp", "connect_tcp", "bind_udp", "connect_send_udp",
};
static const char * const scope_names[] = {
  "abstract_unix_socket", "signal",
};

const LlPolicyKind _ll_policy_kinds[] = {
  [LL_POLICY_KIND_FS] = { access_fs_names, G_N_ELEMENTS (access_fs_names),
                          "filesystem access right",
                          "handledAccessFs or pathBeneath.allowedAccess" },
  [LL_POLICY_KIND_NET] = { access_net_names, G_N_ELEMENTS (access_net_names),
                           "network access right",
                           "handledAccessNet or netPort.allowedAccess" },
  [LL_POLICY_KIND_SCOPE] = { scope_names, G_N_ELEMENTS (scope_names), "scope", "scoped" },
};

static const char * const fs_groups[] = { "abi.all", "abi.read_execute", "abi.read_write" };

#define FS_READ  (LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR)

/* A group stands for the rights of the document's abi, as the library's
 * table has them (ll-abi.c), with the extension rights (resolve_unix from
 * 9, UDP from 10) from the ABI that brought them: raising the document's
 * abi never drops a right from a group. The parser bounds abi to
 * G_MAXINT32; above LL_ABI_MAX the *_for_abi() functions give every right
 * the library knows. */
guint64
_ll_policy_group_bits (LlPolicyAccessKind kind,
                       const char        *group,
                       gint64             abi)
{
  int clamped = (int) CLAMP (abi, 0, G_MAXINT32);
  guint64 all;

  switch (kind)
    {
    case LL_POLICY_KIND_FS:
      all = ll_access_fs_for_abi (clamped);
      if (strcmp (group, "abi.all") == 0)
        return all;
      if (strcmp (group, "abi.read_execute") == 0)
        return FS_READ | (all & LL_ACCESS_FS_REFER);
      return all & ~(guint64) LL_ACCESS_FS_EXECUTE;      /* abi.read_write */

    case LL_POLICY_KIND_NET:
      return ll_access_net_for_abi (clamped);

    case LL_POLICY_KIND_SCOPE:
    default:
      return ll_scope_for_abi (clamped);
    }
}

gboolean
_ll_policy_is_group (LlPolicyAccessKind kind,
                     const char        *name)
{
  if (kind != LL_POLICY_KIND_FS)
    return strcmp (name, "abi.all") == 0;
  for (gsize i = 0; i < G_N_ELEMENTS (fs_groups); i++)
    if (strcmp (name, fs_groups[i]) == 0)
      return TRUE;
  return FALSE;
}

int
_ll_policy_lookup_name (LlPolicyAccessKind kind,
                        const char        *name)
{
  for (guint i = 0; i < _ll_policy_kinds[kind].n_names; i++)
    if (strcmp (name, _ll_policy_kinds[kind].names[i]) == 0)
      return (int) i;
  return -1;
}

/* Damerau-free Levenshtein distance, for "did you mean"; long strings are
 * not worth comparing (and a hostile one must not cost quadratic time). */
static guint
edit_distance (const char *a,
               const char *b)
{
  /* strnlen(): a hostile word can be megabytes long. */
  gsize la = strnlen (a, 65), lb = strnlen (b, 65);
  guint row[65];

  if (la > 64 || lb > 64)
    return G_MAXUINT;

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

/* The closest of @candidates to @word, if it is close enough to be a typo. */
const char *
_ll_policy_suggest (const char         *word,
                    const char * const *candidates,
                    gsize               n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  guint threshold = MAX (1, MIN (3, strnlen (word, 65) / 3));

  for (gsize i = 0; i < n_candidates; i++)
    {
      guint distance = edit_distance (word, candidates[i]);

      if (distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }
  return best_distance <= threshold ? best : NULL;
}

/* The right or group of @kind closest to @name, if it is close enough to
 * be a typo of it. */
const char *
_ll_policy_suggest_access (LlPolicyAccessKind kind,
                           const char        *name)
{
  const char *candidates[32];
  gsize n = 0;

  for (guint k = 0; k < _ll_policy_kinds[kind].n_names; k++)
    candidates[n++] = _ll_policy_kinds[kind].names[k];
  if (kind == LL_POLICY_KIND_FS)
    for (gsize k = 0; k < G_N_ELEMENTS (fs_groups); k++)
      candidates[n++] = fs_groups[k];
  else
    candidates[n++] = "abi.all";
  return _ll_policy_suggest (name, candidates, n);
}

/* A variable name, as the reference's Name::from_str checks it; returns
 * why it is invalid, or NULL. */
const char *
_ll_policy_check_variable_name (const char *name)
{
  if (name[0] == '\0')
    return "name cannot be empty";
  if (!g_ascii_isalpha (name[0]))
    return "invalid first character in name (must be ASCII alphabetic)";
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      return "invalid character(s) in name (must be ASCII alphanumeric or '_')";
  return NULL;
}
