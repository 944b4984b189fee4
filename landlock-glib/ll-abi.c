/* ll-abi.c: what the running kernel's Landlock supports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ABI policy, in one place: the table of which ABI brought each right,
 * scope and flag (introduced[], the only place where a feature's ABI is
 * written) and everything read from it (the public *_for_abi() functions,
 * the ABI that introduced a bit, what a kernel lacks or leaves open, in
 * words); the running kernel's ABI and errata, asked once and cached; and
 * the thread count that decides whether a sandbox covers the process.
 * Static assertions tie the public enums to the private UAPI copy. It
 * never touches a ruleset: ll-ruleset-apply.c asks it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ll-abi-private.h"
#include "ll-enum-types.h"
#include "ll-error-private.h"
#include "ll-sys-private.h"

/* The public enums carry the kernel's own bits (ll-enums.h), and the
 * private UAPI copy (ll-uapi-private.h) spells them again for the system
 * calls: the compiler keeps the two the same. */
#define SAME_BIT(public, uapi) _Static_assert ((guint64) (public) == (uapi), #public " is the kernel's " #uapi)
SAME_BIT (LL_ACCESS_FS_EXECUTE, LL_UAPI_ACCESS_FS_EXECUTE);
SAME_BIT (LL_ACCESS_FS_WRITE_FILE, LL_UAPI_ACCESS_FS_WRITE_FILE);
SAME_BIT (LL_ACCESS_FS_READ_FILE, LL_UAPI_ACCESS_FS_READ_FILE);
SAME_BIT (LL_ACCESS_FS_READ_DIR, LL_UAPI_ACCESS_FS_READ_DIR);
SAME_BIT (LL_ACCESS_FS_REMOVE_DIR, LL_UAPI_ACCESS_FS_REMOVE_DIR);
SAME_BIT (LL_ACCESS_FS_REMOVE_FILE, LL_UAPI_ACCESS_FS_REMOVE_FILE);
SAME_BIT (LL_ACCESS_FS_MAKE_CHAR, LL_UAPI_ACCESS_FS_MAKE_CHAR);
SAME_BIT (LL_ACCESS_FS_MAKE_DIR, LL_UAPI_ACCESS_FS_MAKE_DIR);
SAME_BIT (LL_ACCESS_FS_MAKE_REG, LL_UAPI_ACCESS_FS_MAKE_REG);
SAME_BIT (LL_ACCESS_FS_MAKE_SOCK, LL_UAPI_ACCESS_FS_MAKE_SOCK);
SAME_BIT (LL_ACCESS_FS_MAKE_FIFO, LL_UAPI_ACCESS_FS_MAKE_FIFO);
SAME_BIT (LL_ACCESS_FS_MAKE_BLOCK, LL_UAPI_ACCESS_FS_MAKE_BLOCK);
SAME_BIT (LL_ACCESS_FS_MAKE_SYM, LL_UAPI_ACCESS_FS_MAKE_SYM);
SAME_BIT (LL_ACCESS_FS_REFER, LL_UAPI_ACCESS_FS_REFER);
SAME_BIT (LL_ACCESS_FS_TRUNCATE, LL_UAPI_ACCESS_FS_TRUNCATE);
SAME_BIT (LL_ACCESS_FS_IOCTL_DEV, LL_UAPI_ACCESS_FS_IOCTL_DEV);
SAME_BIT (LL_ACCESS_FS_RESOLVE_UNIX, LL_UAPI_ACCESS_FS_RESOLVE_UNIX);
SAME_BIT (LL_ACCESS_NET_BIND_TCP, LL_UAPI_ACCESS_NET_BIND_TCP);
SAME_BIT (LL_ACCESS_NET_CONNECT_TCP, LL_UAPI_ACCESS_NET_CONNECT_TCP);
SAME_BIT (LL_ACCESS_NET_BIND_UDP, LL_UAPI_ACCESS_NET_BIND_UDP);
SAME_BIT (LL_ACCESS_NET_CONNECT_SEND_UDP, LL_UAPI_ACCESS_NET_CONNECT_SEND_UDP);
SAME_BIT (LL_SCOPE_ABSTRACT_UNIX_SOCKET, LL_UAPI_SCOPE_ABSTRACT_UNIX_SOCKET);
SAME_BIT (LL_SCOPE_SIGNAL, LL_UAPI_SCOPE_SIGNAL);
SAME_BIT (LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF, LL_UAPI_RESTRICT_SELF_LOG_SAME_EXEC_OFF);
SAME_BIT (LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON, LL_UAPI_RESTRICT_SELF_LOG_NEW_EXEC_ON);
SAME_BIT (LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF, LL_UAPI_RESTRICT_SELF_LOG_SUBDOMAINS_OFF);
SAME_BIT (LL_RESTRICT_FLAGS_TSYNC, LL_UAPI_RESTRICT_SELF_TSYNC);
SAME_BIT (LL_RESTRICT_FLAGS_NO_NEW_PRIVS, LL_UAPI_RESTRICT_SELF_NO_NEW_PRIVS);
SAME_BIT (LL_RULE_FLAGS_QUIET, LL_UAPI_ADD_RULE_QUIET);
SAME_BIT (LL_ABI_MAX, LL_UAPI_ABI_MAX);
#undef SAME_BIT

/* Every bit Landlock has, and the ABI that brought it: the one place where
 * the library writes down which ABI has what (the kernel's own account is
 * in include/uapi/linux/landlock.h and in "Previous limitations" of
 * Documentation/userspace-api/landlock.rst). The *_for_abi() functions,
 * the ABI that introduced a bit (in messages, in landlock-run --check) and
 * the tests of the documentation's tables all read it. A right of a new
 * ABI is one line here (see docs/HACKING.md). */
typedef enum
{
  KIND_ACCESS_FS,
  KIND_ACCESS_NET,
  KIND_SCOPE,
  KIND_RESTRICT_FLAGS,
  KIND_RULE_FLAGS,
} Kind;

static const struct
{
  Kind kind;
  guint64 bits;
  int abi;
} introduced[] = {
  { KIND_ACCESS_FS, LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_WRITE_FILE | LL_ACCESS_FS_READ_FILE |
                    LL_ACCESS_FS_READ_DIR | LL_ACCESS_FS_REMOVE_DIR | LL_ACCESS_FS_REMOVE_FILE |
                    LL_ACCESS_FS_MAKE_CHAR | LL_ACCESS_FS_MAKE_DIR | LL_ACCESS_FS_MAKE_REG |
                    LL_ACCESS_FS_MAKE_SOCK | LL_ACCESS_FS_MAKE_FIFO | LL_ACCESS_FS_MAKE_BLOCK |
                    LL_ACCESS_FS_MAKE_SYM, 1 },
  { KIND_ACCESS_FS, LL_ACCESS_FS_REFER, 2 },
  { KIND_ACCESS_FS, LL_ACCESS_FS_TRUNCATE, 3 },
  { KIND_ACCESS_NET, LL_ACCESS_NET_BIND_TCP | LL_ACCESS_NET_CONNECT_TCP, 4 },
  { KIND_ACCESS_FS, LL_ACCESS_FS_IOCTL_DEV, 5 },
  { KIND_SCOPE, LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL, 6 },
  { KIND_RESTRICT_FLAGS, LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF | LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON |
                         LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF, 7 },
  { KIND_RESTRICT_FLAGS, LL_RESTRICT_FLAGS_TSYNC, 8 },
  { KIND_ACCESS_FS, LL_ACCESS_FS_RESOLVE_UNIX, 9 },
  { KIND_ACCESS_NET, LL_ACCESS_NET_BIND_UDP | LL_ACCESS_NET_CONNECT_SEND_UDP, 10 },
  { KIND_RULE_FLAGS, LL_RULE_FLAGS_QUIET, 10 },
  { KIND_RESTRICT_FLAGS, LL_RESTRICT_FLAGS_NO_NEW_PRIVS, 11 },
};

static guint64
bits_for_abi (Kind kind,
              int  abi)
{
  guint64 bits = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (introduced); i++)
    if (introduced[i].kind == kind && introduced[i].abi <= abi)
      bits |= introduced[i].bits;
  return bits;
}

static Kind
kind_of_type (GType flags_type)
{
  if (flags_type == LL_TYPE_ACCESS_NET)
    return KIND_ACCESS_NET;
  if (flags_type == LL_TYPE_SCOPE)
    return KIND_SCOPE;
  if (flags_type == LL_TYPE_RESTRICT_FLAGS)
    return KIND_RESTRICT_FLAGS;
  if (flags_type == LL_TYPE_RULE_FLAGS)
    return KIND_RULE_FLAGS;
  g_return_val_if_fail (flags_type == LL_TYPE_ACCESS_FS, KIND_ACCESS_FS);
  return KIND_ACCESS_FS;
}

guint64
_ll_abi_flags_for_abi (GType flags_type,
                       int   abi)
{
  return bits_for_abi (kind_of_type (flags_type), abi);
}

int
_ll_abi_introducing (GType   flags_type,
                     guint64 bit)
{
  Kind kind = kind_of_type (flags_type);

  for (gsize i = 0; i < G_N_ELEMENTS (introduced); i++)
    if (introduced[i].kind == kind && (introduced[i].bits & bit) == bit)
      return introduced[i].abi;
  return 0;
}

int
_ll_abi_or_max (int abi)
{
  return abi > 0 ? abi : LL_ABI_MAX;
}

/**
 * SECTION:ll-abi
 * @Title: Kernel support
 * @Short_description: the running kernel's Landlock ABI
 *
 * Landlock grew over kernel releases. Each release that added something
 * raised the *ABI version* that the kernel reports, and each right, scope
 * and flag exists from a given version on:
 *
 * | ABI | Linux | adds |
 * |-----|-------|------|
 * | 1   | 5.13  | the 13 basic filesystem rights |
 * | 2   | 5.19  | %LL_ACCESS_FS_REFER |
 * | 3   | 6.2   | %LL_ACCESS_FS_TRUNCATE |
 * | 4   | 6.7   | TCP bind and connect rules |
 * | 5   | 6.10  | %LL_ACCESS_FS_IOCTL_DEV |
 * | 6   | 6.12  | IPC scopes: abstract UNIX sockets, signals |
 * | 7   | 6.15  | audit log flags |
 * | 8   | 7.0   | %LL_RESTRICT_FLAGS_TSYNC: restrict every thread |
 * | 9   | 7.1   | %LL_ACCESS_FS_RESOLVE_UNIX |
 * | 10  | 7.2   | UDP rules, quiet rules and masks |
 * | 11  | 7.3   | %LL_RESTRICT_FLAGS_NO_NEW_PRIVS |
 *
 * Everything is probed at run time, never at build time: a program built
 * on one machine adapts to the kernel it runs on.
 */

/* Cached outcome of the probe: the ABI (> 0) or -errno. The kernel's
 * answer cannot change while the process runs. */
static int
probe_abi (void)
{
  static gsize cached = 0;

  if (g_once_init_enter (&cached))
    {
      int result = _ll_sys_query (LL_UAPI_CREATE_RULESET_VERSION);

      /* g_once needs a non-zero value; 0 is no possible answer anyway. */
      if (result == 0)
        result = -ENOSYS;
      g_once_init_leave (&cached, (gsize) (gssize) result);
    }
  return (int) (gssize) cached;
}

/**
 * ll_get_abi_version:
 * @error: return location for a #GError, or %NULL
 *
 * Asks the kernel which Landlock ABI it implements. The answer is probed
 * once and cached. A kernel newer than this library reports a higher
 * version; it is clamped to %LL_ABI_MAX, the highest the library knows.
 *
 * Returns: the ABI version, from 1 to %LL_ABI_MAX, or 0 with @error set to
 *   %LL_ERROR_NOT_AVAILABLE (no Landlock) or %LL_ERROR_DISABLED (disabled
 *   at boot)
 *
 * Since: 1.0
 */
int
ll_get_abi_version (GError **error)
{
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  result = probe_abi ();
  if (result < 0)
    {
      _ll_set_error_from_errno (error, LL_SYSCALL_QUERY, -result,
                                "Querying the Landlock ABI version");
      return 0;
    }
  return MIN (result, LL_ABI_MAX);
}

int
_ll_abi_get_kernel_version (void)
{
  return MAX (probe_abi (), 0);
}

/**
 * ll_get_errata:
 * @error: return location for a #GError, or %NULL
 *
 * Asks the kernel which Landlock errata it has fixed. Fixes are backported
 * to stable kernels, so the answer says nothing about the ABI version. A
 * kernel too old to answer is reported as 0, without error.
 *
 * Returns: the fixed errata, a mask of #LlErrata bits (bit N-1 for erratum
 *   N; bits unknown to this library are kept), or 0 (with @error set when
 *   Landlock is missing or disabled)
 *
 * Since: 1.0
 */
guint
ll_get_errata (GError **error)
{
  int result;

  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  result = _ll_sys_query (LL_UAPI_CREATE_RULESET_ERRATA);
  if (result >= 0)
    return (guint) result;

  /* Kernels from before the errata query answer EINVAL to the unknown
   * flag: no fix is known, which is not an error. */
  if (result == -EINVAL && ll_get_abi_version (NULL) > 0)
    return 0;

  _ll_set_error_from_errno (error, LL_SYSCALL_QUERY, -result,
                            "Querying the Landlock errata");
  return 0;
}

/**
 * ll_access_fs_for_abi:
 * @abi: a Landlock ABI version
 *
 * Lists the filesystem rights that a kernel of the given ABI knows. Versions above %LL_ABI_MAX are treated as %LL_ABI_MAX.
 *
 * Returns: every filesystem right of ABI @abi (nothing for @abi < 1)
 *
 * Since: 1.0
 */
LlAccessFs
ll_access_fs_for_abi (int abi)
{
  return bits_for_abi (KIND_ACCESS_FS, abi);
}

/**
 * ll_access_net_for_abi:
 * @abi: a Landlock ABI version
 *
 * Lists the network rights that a kernel of the given ABI knows. Versions above %LL_ABI_MAX are treated as %LL_ABI_MAX.
 *
 * Returns: every network right of ABI @abi (TCP from ABI 4, UDP from 10)
 *
 * Since: 1.0
 */
LlAccessNet
ll_access_net_for_abi (int abi)
{
  return bits_for_abi (KIND_ACCESS_NET, abi);
}

/**
 * ll_scope_for_abi:
 * @abi: a Landlock ABI version
 *
 * Lists the IPC scopes that a kernel of the given ABI knows. Versions above %LL_ABI_MAX are treated as %LL_ABI_MAX.
 *
 * Returns: every IPC scope of ABI @abi (from ABI 6)
 *
 * Since: 1.0
 */
LlScope
ll_scope_for_abi (int abi)
{
  return bits_for_abi (KIND_SCOPE, abi);
}

/**
 * ll_restrict_flags_for_abi:
 * @abi: a Landlock ABI version
 *
 * Lists the restrict flags that a kernel of the given ABI knows. Versions above %LL_ABI_MAX are treated as %LL_ABI_MAX.
 *
 * Returns: every `landlock_restrict_self(2)` flag of ABI @abi (audit log
 *   flags from ABI 7, %LL_RESTRICT_FLAGS_TSYNC from 8,
 *   %LL_RESTRICT_FLAGS_NO_NEW_PRIVS from 11)
 *
 * Since: 1.0
 */
LlRestrictFlags
ll_restrict_flags_for_abi (int abi)
{
  return bits_for_abi (KIND_RESTRICT_FLAGS, abi);
}

/**
 * ll_rule_flags_for_abi:
 * @abi: a Landlock ABI version
 *
 * Lists the rule flags that a kernel of the given ABI knows. Versions above %LL_ABI_MAX are treated as %LL_ABI_MAX.
 *
 * Returns: every `landlock_add_rule(2)` flag of ABI @abi
 *   (%LL_RULE_FLAGS_QUIET from ABI 10)
 *
 * Since: 1.0
 */
LlRuleFlags
ll_rule_flags_for_abi (int abi)
{
  return bits_for_abi (KIND_RULE_FLAGS, abi);
}

/**
 * ll_get_thread_count:
 *
 * Counts the threads of the calling process, as listed in
 * `/proc/self/task`. Below ABI 8, applying a ruleset restricts only the
 * calling thread: if this returns more than 1 at that moment, the other
 * threads stay unrestricted. GLib starts threads on its own (GDBus, the
 * GIO worker pool, GTask), and so do GJS and many Python programs.
 *
 * Returns: the number of threads of this process, or 0 if it cannot be
 *   known (no `/proc`, or something other than procfs mounted there)
 *
 * Since: 1.0
 */
guint
ll_get_thread_count (void)
{
  struct statfs fs;
  struct stat st;
  DIR *tasks;
  int fd;
  guint count = 0;

  /* O_PATH, fstatfs() and fstat() are nothing Landlock restricts, while
   * listing the directory is: a process already in a sandbox that does not
   * grant /proc could not count its threads otherwise. Whatever is mounted
   * on /proc is believed only if it is procfs: anyone able to mount
   * something else there (a user namespace) could otherwise fake a single
   * thread and make a partial sandbox look complete. */
  fd = open ("/proc/self/task", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  if (fstatfs (fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC || fstat (fd, &st) < 0)
    {
      close (fd);
      return 0;
    }

  /* procfs gives the task directory one link per thread on top of the
   * usual two. */
  if (st.st_nlink > 2)
    {
      close (fd);
      return (guint) (st.st_nlink - 2);
    }

  tasks = NULL;
  {
    int dir_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dir_fd >= 0)
      {
        tasks = fdopendir (dir_fd);
        if (tasks == NULL)
          close (dir_fd);
      }
  }
  close (fd);
  if (tasks == NULL)
    return 0;
  for (struct dirent *entry; (entry = readdir (tasks)) != NULL;)
    if (entry->d_name[0] != '.')
      count++;
  closedir (tasks);
  return count;
}

void
_ll_abi_describe_bits (GString *out,
                       GType    flags_type,
                       guint64  bits)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (flags_type);
  gboolean first = TRUE;

  for (guint shift = 0; shift < 64; shift++)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << shift;
      GFlagsValue *value;
      int abi;

      if ((bits & bit) == 0)
        continue;

      value = bit <= G_MAXUINT ? g_flags_get_first_value (klass, (guint) bit) : NULL;
      abi = _ll_abi_introducing (flags_type, bit);
      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      if (value != NULL && value->value == bit)
        g_string_append (out, value->value_nick);
      else
        g_string_append_printf (out, "unknown bit 0x%" G_GINT64_MODIFIER "x", bit);
      if (abi > 0)
        g_string_append_printf (out, " (ABI %d)", abi);
    }
}

char *
_ll_abi_describe_missing (GType   flags_type,
                          guint64 bits,
                          int     abi)
{
  g_autoptr(GString) out = NULL;
  guint64 missing = bits & ~_ll_abi_flags_for_abi (flags_type, abi);

  if (missing == 0)
    return NULL;
  out = g_string_new (NULL);
  _ll_abi_describe_bits (out, flags_type, missing);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What a person calls the things Landlock restricts: one line each, in
 * the order of the ABIs that brought them, so that a description reads
 * as "what an older kernel lacks". A category is open when any of its
 * rights is. OTHERS stands for every right of its kind that no other line
 * names: "files", and the last two lines, which no right falls into today,
 * so that a right of a new ABI is never left out of a description, even
 * before it has words of its own. */
#define OTHERS G_MAXUINT64
static const struct
{
  const char *words;
  guint64 fs;
  guint64 net;
  guint64 scopes;
} categories[] = {
  { "files", OTHERS, 0, 0 },
  { "moving files between directories", LL_ACCESS_FS_REFER, 0, 0 },
  { "truncating files", LL_ACCESS_FS_TRUNCATE, 0, 0 },
  { "TCP", 0, LL_ACCESS_NET_BIND_TCP | LL_ACCESS_NET_CONNECT_TCP, 0 },
  { "ioctl on devices", LL_ACCESS_FS_IOCTL_DEV, 0, 0 },
  { "abstract UNIX sockets", 0, 0, LL_SCOPE_ABSTRACT_UNIX_SOCKET },
  { "signals", 0, 0, LL_SCOPE_SIGNAL },
  { "UNIX sockets bound to paths", LL_ACCESS_FS_RESOLVE_UNIX, 0, 0 },
  { "UDP", 0, LL_ACCESS_NET_BIND_UDP | LL_ACCESS_NET_CONNECT_SEND_UDP, 0 },
  { "other network access", 0, OTHERS, 0 },
  { "other IPC", 0, 0, OTHERS },
};

/* Adds one category's line to the description of what kernel @abi leaves
 * open (@by_kernel) or the ruleset chose to (@by_choice). */
static void
describe_category (GString    *by_kernel,
                   GString    *by_choice,
                   int         abi,
                   const char *words,
                   guint64     fs,
                   guint64     net,
                   guint64     scopes)
{
  gboolean lacking;
  GString *out;

  if (fs == 0 && net == 0 && scopes == 0)
    return;
  lacking = (fs & ~(guint64) ll_access_fs_for_abi (abi)) != 0 ||
            (net & ~(guint64) ll_access_net_for_abi (abi)) != 0 ||
            (scopes & ~(guint64) ll_scope_for_abi (abi)) != 0;
  out = lacking ? by_kernel : by_choice;
  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append (out, words);
  if (lacking && abi > 0)
    g_string_append_printf (out, " (ABI %d)",
                            fs != 0 ? _ll_abi_introducing (LL_TYPE_ACCESS_FS, fs & -fs)
                            : net != 0 ? _ll_abi_introducing (LL_TYPE_ACCESS_NET, net & -net)
                            : _ll_abi_introducing (LL_TYPE_SCOPE, scopes & -scopes));
}

char *
_ll_abi_describe_open (int     abi,
                       guint64 open_fs,
                       guint64 open_net,
                       guint64 open_scopes)
{
  g_autoptr(GString) by_kernel = g_string_new (NULL);
  g_autoptr(GString) by_choice = g_string_new (NULL);
  guint64 fs_named = 0, net_named = 0, scopes_named = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      fs_named |= categories[i].fs != OTHERS ? categories[i].fs : 0;
      net_named |= categories[i].net != OTHERS ? categories[i].net : 0;
      scopes_named |= categories[i].scopes != OTHERS ? categories[i].scopes : 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      guint64 fs = categories[i].fs == OTHERS ? ~fs_named : categories[i].fs;
      guint64 net = categories[i].net == OTHERS ? ~net_named : categories[i].net;
      guint64 scopes = categories[i].scopes == OTHERS ? ~scopes_named : categories[i].scopes;

      describe_category (by_kernel, by_choice, abi, categories[i].words,
                         fs & open_fs, net & open_net, scopes & open_scopes);
    }

  if (by_kernel->len == 0 && by_choice->len == 0)
    return NULL;
  if (abi == 0)
    return g_strdup ("nothing is restricted: Landlock is not available");
  if (by_kernel->len > 0 && by_choice->len > 0)
    return g_strdup_printf ("not restricted by this kernel (Landlock ABI %d): %s; "
                            "not restricted by this ruleset: %s",
                            abi, by_kernel->str, by_choice->str);
  if (by_kernel->len > 0)
    return g_strdup_printf ("not restricted by this kernel (Landlock ABI %d): %s",
                            abi, by_kernel->str);
  return g_strdup_printf ("not restricted by this ruleset: %s", by_choice->str);
}
