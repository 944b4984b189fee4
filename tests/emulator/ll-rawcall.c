/* ll-rawcall.c: make raw Landlock system calls, for testing ll-emulate
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs the operations named on the command line in order and prints one
 * line per operation: the value the system call returned, or -errno. It
 * uses syscall(2) directly, without the library, so that the emulator's
 * own answers can be checked. Numbers accept 0x prefixes.
 *
 *   version                          create_ruleset(NULL, 0, VERSION)
 *   errata                           create_ruleset(NULL, 0, ERRATA)
 *   create SIZE FS NET SCOPE QFS QNET QSCOPE
 *                                    create_ruleset(&attr, SIZE, 0); the
 *                                    fd becomes the current ruleset
 *   use FD                           make FD the current ruleset
 *   path PATH ACCESS FLAGS           add_rule(PATH_BENEATH, open(PATH, O_PATH))
 *   net PORT ACCESS FLAGS            add_rule(NET_PORT)
 *   restrict FLAGS                   restrict_self(current, FLAGS)
 *   read PATH                        open(PATH, O_RDONLY): 0 or -errno
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint64_t
num (const char *s)
{
  return strtoull (s, NULL, 0);
}

static long
result (long r)
{
  return r < 0 ? -errno : r;
}

int
main (int argc, char **argv)
{
  int ruleset = -1;

  for (int i = 1; i < argc; i++)
    {
      const char *op = argv[i];
      long r;

      if (strcmp (op, "version") == 0)
        r = result (syscall (444, NULL, (size_t) 0, (uint32_t) 1));
      else if (strcmp (op, "errata") == 0)
        r = result (syscall (444, NULL, (size_t) 0, (uint32_t) 2));
      else if (strcmp (op, "create") == 0 && i + 7 < argc)
        {
          /* A page, so that sizes past the struct can be tried too. */
          static uint64_t attr[512];

          for (int f = 0; f < 6; f++)
            attr[f] = num (argv[i + 2 + f]);
          r = result (syscall (444, attr, (size_t) num (argv[i + 1]), (uint32_t) 0));
          if (r >= 0)
            ruleset = (int) r;
          i += 7;
        }
      else if (strcmp (op, "use") == 0 && i + 1 < argc)
        r = ruleset = (int) num (argv[++i]);
      else if (strcmp (op, "path") == 0 && i + 3 < argc)
        {
          struct __attribute__ ((packed)) { uint64_t access; int32_t fd; } attr;

          attr.fd = open (argv[i + 1], O_PATH | O_CLOEXEC);
          attr.access = num (argv[i + 2]);
          r = result (syscall (445, ruleset, 1, &attr, (uint32_t) num (argv[i + 3])));
          if (attr.fd >= 0)
            close (attr.fd);
          i += 3;
        }
      else if (strcmp (op, "net") == 0 && i + 3 < argc)
        {
          struct { uint64_t access; uint64_t port; } attr = { num (argv[i + 2]), num (argv[i + 1]) };

          r = result (syscall (445, ruleset, 2, &attr, (uint32_t) num (argv[i + 3])));
          i += 3;
        }
      else if (strcmp (op, "restrict") == 0 && i + 1 < argc)
        r = result (syscall (446, ruleset, (uint32_t) num (argv[++i])));
      else if (strcmp (op, "read") == 0 && i + 1 < argc)
        {
          int fd = open (argv[++i], O_RDONLY | O_CLOEXEC);

          r = fd < 0 ? -errno : 0;
          if (fd >= 0)
            close (fd);
        }
      else
        {
          fprintf (stderr, "ll-rawcall: bad operation \"%s\" (or missing arguments)\n", op);
          return 2;
        }
      printf ("%s %ld\n", op, r);
      fflush (stdout);
    }
  /* After a real restrict (ll-emulate --continue), exit handlers such as
   * LeakSanitizer's (-Db_sanitize builds) cannot read /proc: skip them. */
  _exit (0);
}
