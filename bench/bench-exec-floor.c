/* bench-exec-floor.c: the least a Landlock launcher can do
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   bench-exec-floor PATH COMMAND [ARG…]
 *
 * What `landlock-run --rx PATH -- COMMAND` does, with nothing but libc and
 * the three system calls: a ruleset that handles every right and scope of
 * the running ABI (as LlRuleset does), one rule granting read and execute
 * beneath PATH, no_new_privs, restrict_self, exec. bench-cli.py times it as
 * the floor of what any launcher costs over running COMMAND directly: one
 * more exec of a (small) dynamically linked program.
 *
 * bench/meson.build builds it three ways: as it is; linked statically (the
 * least an exec costs on the machine); and with BENCH_FLOOR_GOBJECT, linked
 * with GLib and GObject and starting the type system first (the least any
 * launcher built on GObject, such as landlock-run, costs).
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE  /* O_PATH */
#endif

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef BENCH_FLOOR_GOBJECT
# include <glib-object.h>
#endif

#ifndef __NR_landlock_create_ruleset
# define __NR_landlock_create_ruleset 444
# define __NR_landlock_add_rule 445
# define __NR_landlock_restrict_self 446
#endif

struct floor_ruleset_attr
{
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct floor_path_beneath_attr
{
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

#define FLOOR_ACCESS_FS_EXECUTE   (1ULL << 0)
#define FLOOR_ACCESS_FS_READ_FILE (1ULL << 2)
#define FLOOR_ACCESS_FS_READ_DIR  (1ULL << 3)

int
main (int   argc,
      char *argv[])
{
  struct floor_ruleset_attr attr = { 0, 0, 0 };
  struct floor_path_beneath_attr path_beneath = {
    .allowed_access = FLOOR_ACCESS_FS_EXECUTE | FLOOR_ACCESS_FS_READ_FILE | FLOOR_ACCESS_FS_READ_DIR,
  };
  long abi;
  int ruleset_fd;

#ifdef BENCH_FLOOR_GOBJECT
  /* What every GObject program pays before its first object: loading
   * GLib and GObject, and the class of GObject. */
  g_type_class_unref (g_type_class_ref (G_TYPE_OBJECT));
#endif

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-exec-floor PATH COMMAND [ARG…]\n");
      return 125;
    }

  abi = syscall (__NR_landlock_create_ruleset, NULL, (size_t) 0, 1U);
  if (abi < 1)
    {
      perror ("bench-exec-floor: landlock_create_ruleset");
      return 125;
    }
  /* Every right and scope up to ABI 7, as LlRuleset handles by default. */
  attr.handled_access_fs = (1ULL << 13) - 1;
  if (abi >= 2)
    attr.handled_access_fs |= 1ULL << 13;
  if (abi >= 3)
    attr.handled_access_fs |= 1ULL << 14;
  if (abi >= 4)
    attr.handled_access_net = 3;
  if (abi >= 5)
    attr.handled_access_fs |= 1ULL << 15;
  if (abi >= 6)
    attr.scoped = 3;

  ruleset_fd = syscall (__NR_landlock_create_ruleset, &attr, sizeof attr, 0U);
  path_beneath.parent_fd = open (argv[1], O_PATH | O_CLOEXEC);
  if (ruleset_fd < 0 || path_beneath.parent_fd < 0 ||
      syscall (__NR_landlock_add_rule, ruleset_fd, 1, &path_beneath, 0U) != 0 ||
      prctl (PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0 ||
      syscall (__NR_landlock_restrict_self, ruleset_fd, 0U) != 0)
    {
      perror ("bench-exec-floor");
      return 125;
    }
  close (path_beneath.parent_fd);
  close (ruleset_fd);
  execv (argv[2], argv + 2);
  perror ("bench-exec-floor: exec");
  return 127;
}
