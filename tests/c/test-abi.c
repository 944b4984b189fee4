/* test-abi.c: ABI probing, the per-ABI masks, the registered types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ll-test-utils.h"

/* The raw landlock_create_ruleset() query, bypassing the library, so that
 * the library's answer is compared with the kernel's and not with itself. */
static long
raw_landlock_query (unsigned int flags,
                    int         *out_errno)
{
  long result;

  errno = 0;
  result = syscall (444, NULL, (size_t) 0, flags);
  *out_errno = errno;
  return result;
}

static void
test_abi_version (void)
{
  g_autoptr(GError) error = NULL;
  int raw_errno = 0;
  long raw = raw_landlock_query (1, &raw_errno);
  int abi;

  abi = ll_get_abi_version (&error);

  if (raw < 0)
    {
      /* No Landlock here: the library must say so with the right code. */
      g_assert_cmpint (abi, ==, 0);
      g_assert_nonnull (error);
      g_assert_true (error->domain == LL_ERROR);
      g_assert_cmpint (error->code, ==,
                       raw_errno == EOPNOTSUPP ? LL_ERROR_DISABLED : LL_ERROR_NOT_AVAILABLE);
      g_test_message ("Landlock is not available on this kernel: the error was checked");
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpint (abi, ==, MIN (raw, LL_ABI_MAX));
  g_assert_cmpint (abi, >=, 1);
  g_assert_cmpint (abi, <=, LL_ABI_MAX);
  g_test_message ("kernel reports Landlock ABI %ld, library says %d", raw, abi);

  /* A NULL error location must work too, and give the same answer. */
  g_assert_cmpint (ll_get_abi_version (NULL), ==, abi);
}

static void
test_abi_version_cached (void)
{
  g_autoptr(GError) error = NULL;
  int first, second;

  first = ll_get_abi_version (&error);
  if (first == 0)
    {
      /* The failure is cached as well, and reported the same way. */
      g_autoptr(GError) second_error = NULL;
      int error_code;

      g_assert_nonnull (error);
      error_code = error->code;
      g_assert_cmpint (ll_get_abi_version (&second_error), ==, 0);
      g_assert_error (second_error, LL_ERROR, error_code);
      g_test_message ("Landlock is not available: the error is cached and stable");
      return;
    }
  g_assert_no_error (error);
  second = ll_get_abi_version (&error);
  g_assert_no_error (error);
  g_assert_cmpint (first, ==, second);
}

static void
test_errata (void)
{
  g_autoptr(GError) error = NULL;
  int raw_errno = 0;
  long raw = raw_landlock_query (2, &raw_errno);
  guint errata;

  if (!ll_test_require_abi (1))
    return;

  errata = ll_get_errata (&error);
  g_assert_no_error (error);

  /* Kernels without the errata query say EINVAL, which means "none known".
   * The query is asked again for the assertion to see its errno: it gives
   * the same answer every time. */
  if (raw < 0)
    {
      ll_test_assert_errno (raw_landlock_query (2, &raw_errno), EINVAL);
      g_assert_cmpuint (errata, ==, 0);
    }
  else
    g_assert_cmpuint (errata, ==, (guint) raw);

  g_test_message ("errata 0x%x", errata);
}

/* The masks of each ABI: the rights and flags of the kernel's
 * include/uapi/linux/landlock.h, each from the ABI that brought it
 * (Documentation/userspace-api/landlock.rst, "Landlock ABI versions").
 * Written out by hand rather than computed, so a mistake in the library
 * (landlock-glib/ll-uapi-private.h) cannot be mirrored here. */
typedef struct
{
  int    abi;
  guint  fs;
  guint  net;
  guint  scope;
  guint  restrict_flags;
  guint  rule_flags;
} AbiMasks;

static const AbiMasks abi_masks[] = {
  { -1,  0x0,     0x0, 0x0, 0x0, 0x0 },
  {  0,  0x0,     0x0, 0x0, 0x0, 0x0 },
  {  1,  0x1FFF,  0x0, 0x0, 0x0, 0x0 },
  {  2,  0x3FFF,  0x0, 0x0, 0x0, 0x0 },
  {  3,  0x7FFF,  0x0, 0x0, 0x0, 0x0 },
  {  4,  0x7FFF,  0x3, 0x0, 0x0, 0x0 },
  {  5,  0xFFFF,  0x3, 0x0, 0x0, 0x0 },
  {  6,  0xFFFF,  0x3, 0x3, 0x0, 0x0 },
  {  7,  0xFFFF,  0x3, 0x3, 0x7, 0x0 },
  {  8,  0xFFFF,  0x3, 0x3, 0xF, 0x0 },
  {  9,  0x1FFFF, 0x3, 0x3, 0xF, 0x0 },
  { 10,  0x1FFFF, 0xF, 0x3, 0xF, 0x1 },
  { 11,  0x1FFFF, 0xF, 0x3, 0x1F, 0x1 },
  /* Above what the library knows: treated as LL_ABI_MAX (11). */
  { 12,  0x1FFFF, 0xF, 0x3, 0x1F, 0x1 },
  { G_MAXINT, 0x1FFFF, 0xF, 0x3, 0x1F, 0x1 },
};

static void
test_masks_per_abi (void)
{
  g_assert_cmpint (LL_ABI_MAX, ==, 11);

  for (gsize i = 0; i < G_N_ELEMENTS (abi_masks); i++)
    {
      const AbiMasks *m = &abi_masks[i];

      g_test_message ("ABI %d", m->abi);
      g_assert_cmphex (ll_access_fs_for_abi (m->abi), ==, m->fs);
      g_assert_cmphex (ll_access_net_for_abi (m->abi), ==, m->net);
      g_assert_cmphex (ll_scope_for_abi (m->abi), ==, m->scope);
      g_assert_cmphex (ll_restrict_flags_for_abi (m->abi), ==, m->restrict_flags);
      g_assert_cmphex (ll_rule_flags_for_abi (m->abi), ==, m->rule_flags);
    }
}

typedef struct
{
  const char *nick;
  guint       value;
} NickValue;

static void
assert_flags_type (GType            type,
                   const char      *type_name,
                   const NickValue *expected,
                   gsize            n_expected)
{
  g_autoptr(GFlagsClass) klass = NULL;

  g_assert_true (G_TYPE_IS_FLAGS (type));
  g_assert_cmpstr (g_type_name (type), ==, type_name);
  klass = g_type_class_ref (type);

  for (gsize i = 0; i < n_expected; i++)
    {
      GFlagsValue *by_nick = g_flags_get_value_by_nick (klass, expected[i].nick);
      GFlagsValue *by_value;

      g_test_message ("%s: %s", type_name, expected[i].nick);
      g_assert_nonnull (by_nick);
      g_assert_cmphex (by_nick->value, ==, expected[i].value);
      if (expected[i].value != 0)
        {
          by_value = g_flags_get_first_value (klass, expected[i].value);
          g_assert_nonnull (by_value);
          g_assert_cmpstr (by_value->value_nick, ==, expected[i].nick);
        }
    }

  /* Nothing beyond what the kernel's landlock.h defines: each value is one
   * known bit or zero, so the masks the library computes from the types are
   * exact. */
  g_assert_cmpuint (klass->n_values, ==, n_expected);
}

static void
assert_enum_type (GType            type,
                  const char      *type_name,
                  const NickValue *expected,
                  gsize            n_expected)
{
  g_autoptr(GEnumClass) klass = NULL;

  g_assert_true (G_TYPE_IS_ENUM (type));
  g_assert_cmpstr (g_type_name (type), ==, type_name);
  klass = g_type_class_ref (type);

  for (gsize i = 0; i < n_expected; i++)
    {
      GEnumValue *by_nick = g_enum_get_value_by_nick (klass, expected[i].nick);
      GEnumValue *by_value = g_enum_get_value (klass, (int) expected[i].value);

      g_test_message ("%s: %s", type_name, expected[i].nick);
      g_assert_nonnull (by_nick);
      g_assert_cmpint (by_nick->value, ==, (int) expected[i].value);
      g_assert_nonnull (by_value);
      g_assert_cmpstr (by_value->value_nick, ==, expected[i].nick);
    }
  g_assert_cmpuint (klass->n_values, ==, n_expected);
}

static void
test_enum_types (void)
{
  static const NickValue access_fs[] = {
    { "none", 0 },
    { "execute", 1 << 0 },
    { "write-file", 1 << 1 },
    { "read-file", 1 << 2 },
    { "read-dir", 1 << 3 },
    { "remove-dir", 1 << 4 },
    { "remove-file", 1 << 5 },
    { "make-char", 1 << 6 },
    { "make-dir", 1 << 7 },
    { "make-reg", 1 << 8 },
    { "make-sock", 1 << 9 },
    { "make-fifo", 1 << 10 },
    { "make-block", 1 << 11 },
    { "make-sym", 1 << 12 },
    { "refer", 1 << 13 },
    { "truncate", 1 << 14 },
    { "ioctl-dev", 1 << 15 },
    { "resolve-unix", 1 << 16 },
  };
  static const NickValue access_net[] = {
    { "none", 0 },
    { "bind-tcp", 1 << 0 },
    { "connect-tcp", 1 << 1 },
    { "bind-udp", 1 << 2 },
    { "connect-send-udp", 1 << 3 },
  };
  static const NickValue scope[] = {
    { "none", 0 },
    { "abstract-unix-socket", 1 << 0 },
    { "signal", 1 << 1 },
  };
  static const NickValue restrict_flags[] = {
    { "none", 0 },
    { "log-same-exec-off", 1 << 0 },
    { "log-new-exec-on", 1 << 1 },
    { "log-subdomains-off", 1 << 2 },
    { "tsync", 1 << 3 },
    { "no-new-privs", 1 << 4 },
  };
  static const NickValue rule_flags[] = {
    { "none", 0 },
    { "quiet", 1 << 0 },
  };
  static const NickValue errata[] = {
    { "none", 0 },
    { "tcp-socket-identification", 1 << 0 },
    { "scoped-signal-same-tgid", 1 << 1 },
    { "disconnected-directory", 1 << 2 },
    { "overlayfs-whiteout", 1 << 3 },
  };
  static const NickValue status[] = {
    { "not-enforced", LL_STATUS_NOT_ENFORCED },
    { "partially-enforced", LL_STATUS_PARTIALLY_ENFORCED },
    { "fully-enforced", LL_STATUS_FULLY_ENFORCED },
  };
  static const NickValue error_codes[] = {
    { "not-available", LL_ERROR_NOT_AVAILABLE },
    { "disabled", LL_ERROR_DISABLED },
    { "incompatible", LL_ERROR_INCOMPATIBLE },
    { "path", LL_ERROR_PATH },
    { "invalid", LL_ERROR_INVALID },
    { "ruleset", LL_ERROR_RULESET },
    { "restrict", LL_ERROR_RESTRICT },
    { "layer-limit", LL_ERROR_LAYER_LIMIT },
    { "network-disabled", LL_ERROR_NETWORK_DISABLED },
    { "policy", LL_ERROR_POLICY },
  };

  assert_flags_type (LL_TYPE_ACCESS_FS, "LlAccessFs", access_fs, G_N_ELEMENTS (access_fs));
  assert_flags_type (LL_TYPE_ACCESS_NET, "LlAccessNet", access_net, G_N_ELEMENTS (access_net));
  assert_flags_type (LL_TYPE_SCOPE, "LlScope", scope, G_N_ELEMENTS (scope));
  assert_flags_type (LL_TYPE_RESTRICT_FLAGS, "LlRestrictFlags",
                     restrict_flags, G_N_ELEMENTS (restrict_flags));
  assert_flags_type (LL_TYPE_RULE_FLAGS, "LlRuleFlags", rule_flags, G_N_ELEMENTS (rule_flags));
  assert_flags_type (LL_TYPE_ERRATA, "LlErrata", errata, G_N_ELEMENTS (errata));
  assert_enum_type (LL_TYPE_STATUS, "LlStatus", status, G_N_ELEMENTS (status));
  assert_enum_type (LL_TYPE_ERROR, "LlError", error_codes, G_N_ELEMENTS (error_codes));

  /* The error codes are API: applications compare numbers, so they must
   * never be renumbered. */
  g_assert_cmpint (LL_ERROR_NOT_AVAILABLE, ==, 0);
  g_assert_cmpint (LL_ERROR_NETWORK_DISABLED, ==, 8);
  g_assert_cmpint (LL_STATUS_NOT_ENFORCED, ==, 0);
  g_assert_cmpint (LL_STATUS_FULLY_ENFORCED, ==, 2);
}

static gpointer
wait_for_release (gpointer user_data)
{
  int *release_pipe = user_data;
  char byte;

  /* Blocks until the main thread writes (or closes the pipe). */
  while (read (release_pipe[0], &byte, 1) < 0 && errno == EINTR)
    ;
  return NULL;
}

static void
test_thread_count (void)
{
  int release_pipe[2];
  GThread *thread;

  if (!ll_test_in_child ())
    {
      /* The runner may have threads of its own; a fresh child has none. */
      ll_test_run_child ();
      return;
    }

  g_assert_cmpuint (ll_get_thread_count (), ==, 1);

  g_assert_no_errno (pipe (release_pipe));
  thread = g_thread_new ("ll-test-waiter", wait_for_release, release_pipe);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);

  g_assert_cmpint (write (release_pipe[1], "x", 1), ==, 1);
  g_thread_join (thread);
  close (release_pipe[0]);
  close (release_pipe[1]);
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (LL_ERROR), ==, "ll-error-quark");
  g_assert_true (LL_ERROR == ll_error_quark ());
  g_assert_true (LL_ERROR == g_quark_from_static_string ("ll-error-quark"));
}

/* Evaluated by the preprocessor: the macros must work in #if. */
#if !LL_CHECK_VERSION (1, 0, 0)
# error "LL_CHECK_VERSION (1, 0, 0) is false for landlock-glib 1.x"
#endif
#if LL_CHECK_VERSION (LL_MAJOR_VERSION + 1, 0, 0)
# error "LL_CHECK_VERSION accepts a future major version"
#endif

static void
test_version_macros (void)
{
  g_autofree char *version = g_strdup_printf ("%d.%d.%d", LL_MAJOR_VERSION,
                                              LL_MINOR_VERSION, LL_MICRO_VERSION);

  g_assert_cmpstr (version, ==, LL_VERSION_S);
  g_assert_cmpint (LL_MAJOR_VERSION, ==, 1);

  g_assert_true (LL_CHECK_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION, LL_MICRO_VERSION));
  g_assert_true (LL_CHECK_VERSION (LL_MAJOR_VERSION, 0, 0));
  g_assert_true (LL_CHECK_VERSION (LL_MAJOR_VERSION - 1, 99, 99));
  g_assert_false (LL_CHECK_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION, LL_MICRO_VERSION + 1));
  g_assert_false (LL_CHECK_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION + 1, 0));
  g_assert_false (LL_CHECK_VERSION (LL_MAJOR_VERSION + 1, 0, 0));

  g_assert_cmpuint (LL_VERSION, ==,
                    LL_ENCODE_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION, LL_MICRO_VERSION));
  g_assert_cmpuint (LL_VERSION, >, LL_ENCODE_VERSION (LL_MAJOR_VERSION - 1, 99, 99));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/abi/version", test_abi_version);
  g_test_add_func ("/abi/version-cached", test_abi_version_cached);
  g_test_add_func ("/abi/errata", test_errata);
  g_test_add_func ("/abi/masks-per-abi", test_masks_per_abi);
  g_test_add_func ("/abi/enum-types", test_enum_types);
  g_test_add_func ("/abi/thread-count", test_thread_count);
  g_test_add_func ("/abi/error-quark", test_error_quark);
  g_test_add_func ("/abi/version-macros", test_version_macros);

  return g_test_run ();
}
