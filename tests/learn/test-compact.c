/* test-compact.c: the compaction rules of landlock-run --learn, one by one
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Records are made by hand here, so that each rule of ll-learn-compact.c
 * is checked on its own and on any machine: no tracing, no Landlock. The
 * round trips on real programs are in tests/tools/test_learn.py.
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <landlock-glib/landlock-glib.h>

#include "ll-learn-compact.h"
#include "ll-learn-record.h"
#include "ll-learn-write.h"
#include "ll-ruleset-private.h"

#define PROGRAM "/usr/bin/test-program"
#define READ    LL_ACCESS_FS_READ_FILE
#define WRITE   LL_ACCESS_FS_WRITE_FILE
#define EXEC    LL_ACCESS_FS_EXECUTE

static const LlLearnPathRule *
find_rule (const LlLearnPolicy *policy,
           const char          *path)
{
  for (guint i = 0; i < policy->paths->len; i++)
    {
      const LlLearnPathRule *rule = g_ptr_array_index (policy->paths, i);

      if (g_str_equal (rule->path, path))
        return rule;
    }
  return NULL;
}

static void
assert_rule (const LlLearnPolicy *policy,
             const char          *path,
             guint64              access)
{
  const LlLearnPathRule *rule = find_rule (policy, path);

  if (rule == NULL)
    g_error ("no rule for %s", path);
  g_assert_cmphex (rule->access, ==, access);
}

static void
seen (LlLearnRecord *record,
      const char    *path,
      guint64        access,
      LlLearnKind    kind,
      const char    *created_beneath)
{
  ll_learn_record_fs (record, path, access, kind, created_beneath, FALSE, LL_LEARN_PROC_NONE,
                      PROGRAM, "openat", 1);
}

/* Rule 4: what was made goes to the directory that existed before. */
static void
test_temporary_names (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;
  const char *names[] = { "/work/out/tmpA1b2C3", "/work/out/tmpZ9y8X7", "/work/out/sortQw3rty" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      seen (record, "/work/out", LL_ACCESS_FS_MAKE_REG, LL_LEARN_KIND_DIR, NULL);
      seen (record, names[i], WRITE | READ, LL_LEARN_KIND_MISSING, "/work/out");
      seen (record, "/work/out", LL_ACCESS_FS_REMOVE_FILE, LL_LEARN_KIND_DIR, NULL);
    }
  /* A directory made below, and a file in it. */
  seen (record, "/work", LL_ACCESS_FS_MAKE_DIR, LL_LEARN_KIND_DIR, NULL);
  seen (record, "/work/new", LL_ACCESS_FS_MAKE_REG, LL_LEARN_KIND_DIR, "/work");
  seen (record, "/work/new/file", WRITE, LL_LEARN_KIND_MISSING, "/work");

  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  assert_rule (policy, "/work/out", LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REMOVE_FILE | WRITE | READ);
  assert_rule (policy, "/work", LL_ACCESS_FS_MAKE_DIR | LL_ACCESS_FS_MAKE_REG | WRITE);
  g_assert_cmpuint (policy->paths->len, ==, 2);
  for (guint i = 0; i < record->fs->len; i++)
    {
      const LlLearnFsSeen *observation = g_ptr_array_index (record->fs, i);

      g_assert_nonnull (observation->rule);
      g_assert_false (g_str_has_prefix (observation->rule, "/work/out/"));
    }
}

/* Rule 5: system trees at their root, reading and executing only. */
static void
test_system_trees (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  if (!g_file_test ("/usr/bin", G_FILE_TEST_IS_DIR) || !g_file_test ("/etc", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /usr/bin or /etc here");
      return;
    }
  seen (record, "/usr/bin/cat", EXEC | READ, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/usr/lib/x86_64-linux-gnu/libc.so.6", READ, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/usr/share/locale", LL_ACCESS_FS_READ_DIR, LL_LEARN_KIND_DIR, NULL);
  seen (record, "/etc/passwd", READ, LL_LEARN_KIND_FILE, NULL);
  /* Writing in a system tree is not collapsed: it stays on its file. */
  seen (record, "/etc/motd", WRITE, LL_LEARN_KIND_FILE, NULL);

  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  assert_rule (policy, "/usr", EXEC | READ | LL_ACCESS_FS_READ_DIR);
  assert_rule (policy, "/etc", READ);
  assert_rule (policy, "/etc/motd", WRITE);
  g_assert_cmpuint (policy->paths->len, ==, 3);
}

/* Rule 8: few read-only files stay per file, many collapse. */
static void
test_few_and_many_files (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  for (guint i = 0; i < LL_LEARN_FEW_FILES; i++)
    {
      g_autofree char *few = g_strdup_printf ("/data/few/file%u", i);

      seen (record, few, READ, LL_LEARN_KIND_FILE, NULL);
    }
  for (guint i = 0; i <= LL_LEARN_FEW_FILES; i++)
    {
      g_autofree char *many = g_strdup_printf ("/data/many/file%u", i);

      seen (record, many, READ, LL_LEARN_KIND_FILE, NULL);
    }
  /* Written files are not read-only data: they never collapse. */
  for (guint i = 0; i <= LL_LEARN_FEW_FILES; i++)
    {
      g_autofree char *written = g_strdup_printf ("/data/written/file%u", i);

      seen (record, written, READ | WRITE, LL_LEARN_KIND_FILE, NULL);
    }

  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  for (guint i = 0; i < LL_LEARN_FEW_FILES; i++)
    {
      g_autofree char *few = g_strdup_printf ("/data/few/file%u", i);

      assert_rule (policy, few, READ);
    }
  g_assert_null (find_rule (policy, "/data/few"));
  assert_rule (policy, "/data/many", READ);
  g_assert_null (find_rule (policy, "/data/many/file0"));
  g_assert_null (find_rule (policy, "/data/written"));
  g_assert_cmpuint (policy->paths->len, ==, LL_LEARN_FEW_FILES + 1 + LL_LEARN_FEW_FILES + 1);
}

/* Rule 8 never collapses into a top-level directory. */
static void
test_no_collapse_into_top_level (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  for (guint i = 0; i <= LL_LEARN_FEW_FILES; i++)
    {
      g_autofree char *top = g_strdup_printf ("/toplevel%u", i);

      seen (record, top, READ, LL_LEARN_KIND_FILE, NULL);
    }
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  g_assert_null (find_rule (policy, "/"));
  g_assert_cmpuint (policy->paths->len, ==, LL_LEARN_FEW_FILES + 1);
}

/* Rules 1 and 14: only what the kernel of that ABI handles. */
static void
test_not_restricted_by_the_kernel (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) abi1 = NULL;
  g_autoptr(LlLearnPolicy) abi7 = NULL;

  seen (record, "/data/out.txt", WRITE | LL_ACCESS_FS_TRUNCATE, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/data/log.sock", LL_ACCESS_FS_RESOLVE_UNIX, LL_LEARN_KIND_OTHER, NULL);
  ll_learn_record_net (record, 443, LL_ACCESS_NET_CONNECT_TCP, FALSE, PROGRAM, "connect", 2);
  ll_learn_record_net (record, 53, LL_ACCESS_NET_CONNECT_SEND_UDP, FALSE, PROGRAM, "sendto", 1);

  abi1 = ll_learn_compact (record, NULL, NULL, FALSE, 1);
  assert_rule (abi1, "/data/out.txt", WRITE);
  g_assert_null (find_rule (abi1, "/data/log.sock"));
  g_assert_cmpuint (abi1->ports->len, ==, 0);
  g_assert_cmphex (abi1->handled_net, ==, 0);
  g_assert_cmphex (abi1->scoped, ==, 0);

  abi7 = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  assert_rule (abi7, "/data/out.txt", WRITE | LL_ACCESS_FS_TRUNCATE);
  g_assert_null (find_rule (abi7, "/data/log.sock"));       /* resolve_unix is ABI 9 */
  g_assert_cmpuint (abi7->ports->len, ==, 1);                /* UDP is ABI 10 */
  g_assert_cmpuint (((LlLearnPortRule *) g_ptr_array_index (abi7->ports, 0))->port, ==, 443);
  g_assert_cmphex (abi7->handled_fs, ==, ll_access_fs_for_abi (7));
  g_assert_cmphex (abi7->scoped, ==, LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL);
}

/* Rule 2: what the base grants is not repeated. */
static void
test_base_is_not_repeated (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;
  g_autoptr(LlRuleset) base = ll_ruleset_new ();
  const char * const etc[] = { "/etc", NULL };
  const guint16 https[] = { 443 };

  ll_ruleset_allow_read (base, etc);
  ll_ruleset_allow_network (base, https, 1, FALSE, TRUE);
  seen (record, "/etc/hostname", READ, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/etc/hostname.new", WRITE, LL_LEARN_KIND_MISSING, "/etc");
  ll_learn_record_net (record, 443, LL_ACCESS_NET_CONNECT_TCP, FALSE, PROGRAM, "connect", 1);

  policy = ll_learn_compact (record, base, NULL, FALSE, 7);
  g_assert_null (find_rule (policy, "/etc/hostname"));
  assert_rule (policy, "/etc", WRITE);                       /* reading is the base's */
  g_assert_cmpuint (policy->paths->len, ==, 1);
  g_assert_cmpuint (policy->ports->len, ==, 0);
  g_assert_cmpstr (((LlLearnFsSeen *) g_ptr_array_index (record->fs, 0))->reason, ==,
                   "already granted by the command line or --policy");
}

/* Rule 3: ioctl and ftruncate on a file opened outside need nothing. */
static void
test_fds_from_outside (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  ll_learn_record_fs (record, "/dev/pts/0", LL_ACCESS_FS_IOCTL_DEV, LL_LEARN_KIND_DEVICE, NULL, TRUE,
                      LL_LEARN_PROC_NONE, PROGRAM, "ioctl", 3);
  ll_learn_record_fs (record, "/dev/tty", LL_ACCESS_FS_IOCTL_DEV, LL_LEARN_KIND_DEVICE, NULL, TRUE,
                      LL_LEARN_PROC_NONE, PROGRAM, "ioctl", 1);
  seen (record, "/dev/tty", READ | WRITE, LL_LEARN_KIND_DEVICE, NULL);

  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  g_assert_null (find_rule (policy, "/dev/pts/0"));
  assert_rule (policy, "/dev/tty", READ | WRITE | LL_ACCESS_FS_IOCTL_DEV);  /* rule 7: per file */
}

/* Rule 6: own /proc entries. */
static void
test_proc (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  ll_learn_record_fs (record, "/proc/self/status", READ, LL_LEARN_KIND_FILE, NULL, FALSE,
                      LL_LEARN_PROC_FIRST, PROGRAM, "openat", 1);
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  assert_rule (policy, "/proc/self/status", READ);
  g_assert_null (find_rule (policy, "/proc"));
  g_clear_pointer (&policy, ll_learn_policy_free);

  ll_learn_record_fs (record, "/proc/self/stat", READ, LL_LEARN_KIND_FILE, NULL, FALSE,
                      LL_LEARN_PROC_TRACED, "/usr/bin/worker", "openat", 1);
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  assert_rule (policy, "/proc", READ);
  g_assert_null (find_rule (policy, "/proc/self/status"));   /* covered (rule 12) */
  g_assert_nonnull (ll_learn_compact_review_note ("/proc", "other processes' /proc"));
}

/* Rule 10: a move does not widen (EXDEV); rule 12: covered rules go. */
static void
test_moves_and_covered (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  seen (record, "/m/src", LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REMOVE_FILE | LL_ACCESS_FS_REFER,
        LL_LEARN_KIND_DIR, NULL);
  seen (record, "/m/dst", LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REFER, LL_LEARN_KIND_DIR, NULL);
  seen (record, "/m/dst/kept", READ | WRITE, LL_LEARN_KIND_MISSING, "/m/dst");
  ll_learn_record_move (record, "/m/src", "/m/dst", FALSE, PROGRAM, "rename", 1);
  /* Covered by the rule on /m/dst, which grants reading beneath it. */
  seen (record, "/m/dst/old.txt", READ, LL_LEARN_KIND_FILE, NULL);

  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  /* The source gets the file rights the destination grants, not its
   * directory rights (make_reg is there already). */
  assert_rule (policy, "/m/src", LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REMOVE_FILE | LL_ACCESS_FS_REFER |
                                 READ | WRITE);
  assert_rule (policy, "/m/dst", LL_ACCESS_FS_MAKE_REG | LL_ACCESS_FS_REFER | READ | WRITE);
  g_assert_null (find_rule (policy, "/m/dst/old.txt"));
  for (guint i = 0; i < record->fs->len; i++)
    {
      const LlLearnFsSeen *observation = g_ptr_array_index (record->fs, i);

      if (g_str_equal (observation->path, "/m/dst/old.txt"))
        g_assert_cmpstr (observation->rule, ==, "/m/dst");
    }
}

/* Rule 11, and handled sets of a hand-written policy merged into. */
static void
test_kept_rules (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;
  g_autoptr(LlRuleset) kept = NULL;
  g_autoptr(GError) error = NULL;

  kept = ll_ruleset_new_from_data ("{ \"ruleset\": [ { \"handledAccessFs\": [ \"read_file\", \"write_file\" ] } ],"
                                   "  \"pathBeneath\": [ { \"allowedAccess\": [ \"read_file\" ],"
                                   "                      \"parent\": [ \"/kept/by/hand\" ] } ] }", -1, &error);
  g_assert_no_error (error);
  seen (record, "/data/new.txt", WRITE | LL_ACCESS_FS_TRUNCATE, LL_LEARN_KIND_FILE, NULL);

  policy = ll_learn_compact (record, NULL, kept, FALSE, 7);
  assert_rule (policy, "/kept/by/hand", READ);
  /* The hand-written policy left truncating unrestricted: it stays so. */
  assert_rule (policy, "/data/new.txt", WRITE);
  g_assert_cmphex (policy->handled_fs, ==, READ | WRITE);
  g_assert_cmphex (policy->handled_net, ==, 0);
}

/* Rule 13: a UDP server answering clients cannot be limited to ports. */
static void
test_udp_answers (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  ll_learn_record_net (record, 5353, LL_ACCESS_NET_BIND_UDP, FALSE, PROGRAM, "bind", 1);
  ll_learn_record_net (record, 53, LL_ACCESS_NET_CONNECT_SEND_UDP, FALSE, PROGRAM, "sendto", 1);
  ll_learn_record_net (record, 41234, LL_ACCESS_NET_CONNECT_SEND_UDP, TRUE, PROGRAM, "sendto", 1);
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 10);
  g_assert_cmphex (policy->handled_net, ==, LL_ACCESS_NET_BIND_TCP | LL_ACCESS_NET_CONNECT_TCP |
                                            LL_ACCESS_NET_BIND_UDP);
  g_assert_cmpuint (policy->ports->len, ==, 1);
  g_assert_cmpuint (((LlLearnPortRule *) g_ptr_array_index (policy->ports, 0))->port, ==, 5353);
  g_assert_cmphex (((LlLearnPortRule *) g_ptr_array_index (policy->ports, 0))->access, ==,
                   LL_ACCESS_NET_BIND_UDP);
}

/* Rule 14. */
static void
test_scopes (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;

  ll_learn_record_scope (record, LL_SCOPE_SIGNAL, "signal 15 to process 1", PROGRAM, "kill", 1);
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  g_assert_cmphex (policy->scoped, ==, LL_SCOPE_ABSTRACT_UNIX_SOCKET);
}

/* The policy written reads back as written, "$" and all. */
static void
test_policy_json (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnPolicy) policy = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  guint64 fs, net, scoped;

  seen (record, "/data/${HOME}/price$.txt", READ, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/data/other.txt", READ, LL_LEARN_KIND_FILE, NULL);
  ll_learn_record_net (record, 8080, LL_ACCESS_NET_BIND_TCP, FALSE, PROGRAM, "bind", 1);
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);
  json = ll_learn_policy_to_json (policy);
  g_assert_nonnull (strstr (json, "\"abi\": 7"));
  g_assert_nonnull (strstr (json, "\"/data/$${HOME}/price$$.txt\""));

  ruleset = ll_ruleset_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  _ll_ruleset_get_handled_explicit (ruleset, &fs, &net, &scoped);
  g_assert_cmphex (fs, ==, ll_access_fs_for_abi (7));
  g_assert_cmphex (net, ==, ll_access_net_for_abi (7));
  g_assert_cmphex (scoped, ==, ll_scope_for_abi (7));
  g_assert_cmpuint (ll_learn_policy_count_rules (policy), ==, 3);
  {
    g_autofree char *again = ll_ruleset_to_json (ruleset);

    g_assert_nonnull (strstr (again, "/data/$${HOME}/price$$.txt"));
  }
}

/* FILE.observed: what is written is what is read, counts and fates. */
static void
test_observed_round_trip (void)
{
  g_autoptr(LlLearnRecord) record = ll_learn_record_new ();
  g_autoptr(LlLearnRecord) loaded = NULL;
  g_autoptr(LlLearnPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *directory = g_dir_make_tmp ("test-compact-XXXXXX", &error);
  g_autofree char *path = NULL;
  const char * const command[] = { "sh", "-c", "echo \"quoted\"\\n", NULL };

  g_assert_no_error (error);
  path = g_build_filename (directory, "p.json.observed", NULL);
  record->abi = 7;
  ll_learn_record_add_run (record, command, 0);
  seen (record, "/data/a", READ, LL_LEARN_KIND_FILE, NULL);
  seen (record, "/data/a", READ, LL_LEARN_KIND_FILE, NULL);
  ll_learn_record_fs (record, "/data/out/x", WRITE, LL_LEARN_KIND_MISSING, "/data/out", TRUE,
                      LL_LEARN_PROC_NONE, PROGRAM, "ftruncate", 1);
  ll_learn_record_net (record, 0, LL_ACCESS_NET_BIND_TCP, FALSE, PROGRAM, "bind", 4);
  ll_learn_record_scope (record, LL_SCOPE_ABSTRACT_UNIX_SOCKET, "the abstract UNIX socket @x", PROGRAM,
                         "connect", 1);
  ll_learn_record_move (record, "/a", "/b", TRUE, PROGRAM, "rename", 2);
  ll_learn_record_note (record, "a note with \"quotes\"");
  ll_learn_record_note (record, "a note with \"quotes\"");
  policy = ll_learn_compact (record, NULL, NULL, FALSE, 7);

  json = ll_learn_record_to_json (record);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  loaded = ll_learn_record_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->fs->len, ==, 2);
  g_assert_cmpuint (((LlLearnFsSeen *) g_ptr_array_index (loaded->fs, 0))->count, ==, 2);
  g_assert_cmpuint (loaded->notes->len, ==, 1);
  g_assert_cmpuint (ll_learn_record_count_operations (loaded), ==, 2 + 1 + 4 + 1);
  again = ll_learn_record_to_json (loaded);
  g_assert_cmpstr (again, ==, json);

  g_unlink (path);
  g_rmdir (directory);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/learn/compact/temporary-names", test_temporary_names);
  g_test_add_func ("/learn/compact/system-trees", test_system_trees);
  g_test_add_func ("/learn/compact/few-and-many-files", test_few_and_many_files);
  g_test_add_func ("/learn/compact/no-collapse-into-top-level", test_no_collapse_into_top_level);
  g_test_add_func ("/learn/compact/not-restricted", test_not_restricted_by_the_kernel);
  g_test_add_func ("/learn/compact/base", test_base_is_not_repeated);
  g_test_add_func ("/learn/compact/fds-from-outside", test_fds_from_outside);
  g_test_add_func ("/learn/compact/proc", test_proc);
  g_test_add_func ("/learn/compact/moves-and-covered", test_moves_and_covered);
  g_test_add_func ("/learn/compact/kept", test_kept_rules);
  g_test_add_func ("/learn/compact/udp-answers", test_udp_answers);
  g_test_add_func ("/learn/compact/scopes", test_scopes);
  g_test_add_func ("/learn/write/policy-json", test_policy_json);
  g_test_add_func ("/learn/record/observed-round-trip", test_observed_round_trip);

  return g_test_run ();
}
