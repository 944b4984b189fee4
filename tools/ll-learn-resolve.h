/* ll-learn-resolve.h: the path the kernel will check, seen from outside
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Landlock checks the object a system call reaches, not the string it was
 * given: a relative name starts at the caller's working directory or at
 * its dirfd, symbolic links are followed (the last one only when the call
 * follows it), "/proc/self" is the caller. This resolves a traced
 * thread's string the same way, from another process: the starting
 * directory through /proc/TID/cwd or /proc/TID/fd/N, the rest component
 * by component with lstat() and readlink(). The result is a path with no
 * symbolic link, ".", ".." or repeated "/" in it, which is what a rule
 * must name.
 *
 * The answer is only as good as the moment it is taken: a path that
 * changes between this look-up and the kernel's own (another thread, or
 * another process, renaming or relinking) is recorded as it was here.
 */

#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  pid_t tid;                  /* the thread that made the call */
  pid_t tgid;                 /* its process */
  int proc_fd;                /* an fd on /proc/TID, or -1: saves looking it up each time */
} LlLearnTask;

typedef enum
{
  LL_LEARN_RESOLVED,          /* it exists: the path and its lstat() or stat() */
  LL_LEARN_RESOLVED_MISSING,  /* all but the last component exist: where it would be made */
  LL_LEARN_NOT_A_PATH,        /* a pipe, socket, anonymous or deleted file: no path is checked */
  LL_LEARN_UNRESOLVABLE,      /* the call fails before Landlock is asked (ENOENT, ENOTDIR, ELOOP) */
} LlLearnResolution;

/* The directory a relative path of @task starts from: its working
 * directory for AT_FDCWD, else the directory @dirfd is open on. NULL when
 * that is not a directory of the filesystem. */
char *ll_learn_start_dir (const LlLearnTask *task,
                          int                dirfd);

/* The path of what fd @fd of @task is open on, NULL if it is no path
 * (pipe, socket, anonymous inode, deleted file). */
char *ll_learn_fd_path   (const LlLearnTask *task,
                          int                fd);

/* Resolves @path as @task's system call will: relative to @start_dir
 * (from ll_learn_start_dir(); may be NULL for an absolute @path),
 * following a symbolic link in the last component only if @follow_last.
 * On LL_LEARN_RESOLVED and LL_LEARN_RESOLVED_MISSING, *@out_path is set;
 * on LL_LEARN_RESOLVED, *@out_stat too. */
LlLearnResolution ll_learn_resolve (const LlLearnTask *task,
                                    const char        *start_dir,
                                    const char        *path,
                                    gboolean           follow_last,
                                    char             **out_path,
                                    struct stat       *out_stat);

/* What the kernel opens for execution besides @program (resolved): the
 * interpreter of a "#!" script, recursively, and the ELF program
 * interpreter (the dynamic loader). Landlock needs EXECUTE on each. */
GPtrArray *ll_learn_exec_interpreters (const LlLearnTask *task,
                                       const char        *program);

/* The directory that holds the resolved path @path ("/" for "/"). */
char *ll_learn_parent (const char *path);

/* Whether the resolved path @path is @ancestor or beneath it. */
gboolean ll_learn_path_is_beneath (const char *path,
                                   const char *ancestor);

G_END_DECLS
