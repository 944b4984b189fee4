/* ll-learn-calls.c: what each reported system call needs, as Landlock checks it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What is intercepted, and what each call is recorded as (the rights are
 * those Landlock checks, on the object or on its directory):
 *
 *   open, openat, openat2, creat   read_file / read_dir, write_file, truncate
 *                                  (O_TRUNC on an existing regular file);
 *                                  creating: make_reg on the directory.
 *                                  O_PATH opens are left alone by the filter.
 *   execve, execveat               execute + read_file on the program, and on
 *                                  each interpreter the kernel opens ("#!",
 *                                  the ELF dynamic loader)
 *   mkdir(at), mknod(at), symlink(at)  make_dir, make_<type>, make_sym
 *   unlink(at), rmdir              remove_file, remove_dir
 *   link(at), rename(at, at2)      make_ and remove_ rights; refer on both
 *                                  directories when they differ
 *   truncate, ftruncate            truncate
 *   ioctl on a device              ioctl_dev (FIOCLEX, FIONCLEX, FIONBIO and
 *                                  FIOASYNC are left alone by the filter)
 *   bind, connect, sendto, sendmsg, sendmmsg
 *                                  TCP and UDP ports; binding a pathname
 *                                  UNIX socket is make_sock; reaching one is
 *                                  resolve_unix; an abstract one no traced
 *                                  program bound is the abstract_unix_socket
 *                                  scope
 *   kill, tkill, tgkill, rt_(tg)sigqueueinfo, pidfd_send_signal
 *                                  the signal scope, when the target is not
 *                                  in the traced tree
 *   io_uring_setup                 refused with ENOSYS (its operations would
 *                                  not be seen; programs fall back to plain
 *                                  system calls, which are)
 *
 * A call that will fail before Landlock is asked (a missing file without
 * O_CREAT, mkdir of what exists) is not recorded: the sandbox gives the
 * same error.
 */

#include "ll-learn-calls.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <landlock-glib/landlock-glib.h>

#ifndef O_TMPFILE_MASK
# define O_TMPFILE_MASK (O_TMPFILE & ~O_DIRECTORY)
#endif
#ifndef RENAME_NOREPLACE
# define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
# define RENAME_EXCHANGE (1 << 1)
#endif

/* What an openat2() caller passes (linux/openat2.h). */
struct learn_open_how
{
  guint64 flags;
  guint64 mode;
  guint64 resolve;
};

/* How many messages of one sendmmsg() are looked at. */
#define MAX_MMSG 64

/* Each call by its name alone, which gives both its number and the
 * name recorded as its operation, so that the two cannot disagree. */
#define CALL(name)                 { SYS_##name, #name, LL_LEARN_SKIP_NONE, 0 }
#define CALL_SKIP(name, skip, arg) { SYS_##name, #name, LL_LEARN_SKIP_##skip, arg }

const LlLearnIntercepted ll_learn_intercepted[] = {
#ifdef SYS_open
  CALL_SKIP (open, O_PATH, 1),
#endif
#ifdef SYS_creat
  CALL (creat),
#endif
  CALL_SKIP (openat, O_PATH, 2),
  CALL (openat2),
  CALL (execve),
  CALL (execveat),
#ifdef SYS_mkdir
  CALL (mkdir),
#endif
  CALL (mkdirat),
#ifdef SYS_mknod
  CALL (mknod),
#endif
  CALL (mknodat),
#ifdef SYS_unlink
  CALL (unlink),
#endif
  CALL (unlinkat),
#ifdef SYS_rmdir
  CALL (rmdir),
#endif
#ifdef SYS_symlink
  CALL (symlink),
#endif
  CALL (symlinkat),
#ifdef SYS_link
  CALL (link),
#endif
  CALL (linkat),
#ifdef SYS_rename
  CALL (rename),
#endif
#ifdef SYS_renameat
  CALL (renameat),
#endif
  CALL (renameat2),
  CALL (truncate),
  CALL (ftruncate),
  CALL_SKIP (ioctl, HARMLESS_IOCTL, 1),
  CALL (bind),
  CALL (connect),
  CALL_SKIP (sendto, NO_ADDRESS, 4),
  CALL (sendmsg),
  CALL (sendmmsg),
  CALL (kill),
  CALL (tkill),
  CALL (tgkill),
  CALL (rt_sigqueueinfo),
  CALL (rt_tgsigqueueinfo),
  CALL (pidfd_send_signal),
  CALL (io_uring_setup),
};
#undef CALL
#undef CALL_SKIP
const gsize ll_learn_n_intercepted = G_N_ELEMENTS (ll_learn_intercepted);

/* Landlock's own list of ioctl commands allowed whatever IOCTL_DEV says
 * (security/landlock/fs.c, is_masked_device_ioctl()): these are never
 * recorded. The first four are also left alone by the filter, being the
 * common ones. */
const unsigned long ll_learn_harmless_ioctls[] = {
  FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC,
  0x5460 /* FIOQSIZE */, 0xc0045877 /* FIFREEZE */, 0xc0045878 /* FITHAW */,
  0xc020660b /* FS_IOC_FIEMAP */, 0x2 /* FIGETBSZ */, 0x40049409 /* FICLONE */,
  0x4020940d /* FICLONERANGE */, 0xc0189436 /* FIDEDUPERANGE */,
  0x80111500 /* FS_IOC_GETFSUUID */, 0x80811501 /* FS_IOC_GETFSSYSFSPATH */,
};

void
ll_learn_effect_clear (gpointer data)
{
  LlLearnEffect *effect = data;

  g_free (effect->path);
  g_free (effect->other);
}

/* Reading the traced process */

static gboolean
read_memory (pid_t    tid,
             guint64  address,
             void    *buffer,
             gsize    length)
{
  struct iovec local = { buffer, length };
  struct iovec remote = { (void *) (uintptr_t) address, length };

  return process_vm_readv (tid, &local, 1, &remote, 1, 0) == (ssize_t) length;
}

/* A NUL-terminated string of at most PATH_MAX bytes, read a page at a
 * time so that its end may lie before an unmapped page. */
static char *
read_string (pid_t   tid,
             guint64 address)
{
  static gsize page_size;
  char buffer[PATH_MAX];
  gsize got = 0;

  if (address == 0)
    return NULL;
  if (page_size == 0)
    page_size = (gsize) sysconf (_SC_PAGESIZE);

  while (got < sizeof buffer)
    {
      gsize chunk = page_size - ((address + got) % page_size);
      struct iovec local, remote;
      ssize_t n;
      const char *end;

      chunk = MIN (chunk, sizeof buffer - got);
      local.iov_base = buffer + got;
      local.iov_len = chunk;
      remote.iov_base = (void *) (uintptr_t) (address + got);
      remote.iov_len = chunk;
      n = process_vm_readv (tid, &local, 1, &remote, 1, 0);
      if (n <= 0)
        return NULL;
      end = memchr (buffer + got, '\0', n);
      if (end != NULL)
        return g_strndup (buffer, end - buffer);
      got += n;
    }
  return NULL;                /* longer than PATH_MAX: ENAMETOOLONG */
}

/* Processes of the group @pgid; TRUE if one of them is outside the tree. */
static gboolean
group_reaches_outside (LlLearnTracer *tracer,
                       pid_t   pgid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (name, NULL, 10);

      if (pid > 0 && getpgid (pid) == pgid && !ll_learn_tracer_is_in_tree (tracer, pid))
        return TRUE;
    }
  return FALSE;
}

/* Effects */

static LlLearnEffect *
add_effect (LlLearnCall       *call,
            LlLearnEffectType  type,
            const char        *path)
{
  LlLearnEffect effect = { type, g_strdup (path), NULL, 0, LL_LEARN_KIND_OTHER, FALSE, FALSE, 0 };

  g_array_append_val (call->effects, effect);
  return &g_array_index (call->effects, LlLearnEffect, call->effects->len - 1);
}

/* Returned for the callers that say more of it (is_new, via_fd). */
static LlLearnEffect *
need_fs (LlLearnCall *call,
         const char  *path,
         guint64      access,
         LlLearnKind  kind)
{
  LlLearnEffect *effect = add_effect (call, LL_LEARN_EFFECT_FS, path);

  effect->access = access;
  effect->kind = kind;
  return effect;
}

/* Making or removing @path is checked on the directory it is in. */
static void
need_parent (LlLearnCall *call,
             const char  *path,
             guint64      right)
{
  g_autofree char *parent = ll_learn_parent (path);

  need_fs (call, parent, right, LL_LEARN_KIND_DIR);
}

/* Making @path: @right on its directory, and from the next call on,
 * @path is one the traced programs made. */
static void
need_make (LlLearnCall *call,
           const char  *path,
           guint64      right)
{
  need_parent (call, path, right);
  add_effect (call, LL_LEARN_EFFECT_CREATED, path);
}

static LlLearnKind
kind_of (const struct stat *st)
{
  if (S_ISREG (st->st_mode))
    return LL_LEARN_KIND_FILE;
  if (S_ISDIR (st->st_mode))
    return LL_LEARN_KIND_DIR;
  if (S_ISCHR (st->st_mode) || S_ISBLK (st->st_mode))
    return LL_LEARN_KIND_DEVICE;
  return LL_LEARN_KIND_OTHER;
}

/* The right that makes (or removes) an object of the type of @mode. */
static guint64
make_right (mode_t mode)
{
  switch (mode & S_IFMT)
    {
    case S_IFDIR:
      return LL_ACCESS_FS_MAKE_DIR;
    case S_IFCHR:
      return LL_ACCESS_FS_MAKE_CHAR;
    case S_IFBLK:
      return LL_ACCESS_FS_MAKE_BLOCK;
    case S_IFIFO:
      return LL_ACCESS_FS_MAKE_FIFO;
    case S_IFSOCK:
      return LL_ACCESS_FS_MAKE_SOCK;
    case S_IFLNK:
      return LL_ACCESS_FS_MAKE_SYM;
    case 0:
    case S_IFREG:
    default:
      return LL_ACCESS_FS_MAKE_REG;
    }
}

static guint64
remove_right (mode_t mode)
{
  return S_ISDIR (mode) ? LL_ACCESS_FS_REMOVE_DIR : LL_ACCESS_FS_REMOVE_FILE;
}

/* Where a relative name of @dirfd starts; NULL for an absolute one. */
static char *
start_for (LlLearnCall       *call,
           int         dirfd,
           const char *path)
{
  if (path == NULL || path[0] == '/')
    return NULL;
  return ll_learn_start_dir (&call->task, dirfd);
}

static LlLearnResolution
resolve_at (LlLearnCall        *call,
            int          dirfd,
            guint64      path_address,
            gboolean     follow_last,
            char       **out_path,
            struct stat *out_stat)
{
  g_autofree char *path = read_string (call->task.tid, path_address);
  g_autofree char *start = start_for (call, dirfd, path);

  if (path == NULL)
    return LL_LEARN_UNRESOLVABLE;
  return ll_learn_resolve (&call->task, start, path, follow_last, out_path, out_stat);
}

/* The system calls */

static void
on_open (LlLearnCall    *call,
         int      dirfd,
         guint64  path_address,
         guint64  flags)
{
  g_autofree char *path = NULL;
  struct stat st;
  int mode = (int) (flags & O_ACCMODE);
  gboolean reads = mode == O_RDONLY || mode == O_RDWR;
  gboolean writes = mode == O_WRONLY || mode == O_RDWR;
  gboolean follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
  guint64 file_access = (reads ? LL_ACCESS_FS_READ_FILE : 0) | (writes ? LL_ACCESS_FS_WRITE_FILE : 0);
  LlLearnResolution resolution;

  if (flags & O_PATH)
    return;
  resolution = resolve_at (call, dirfd, path_address, follow, &path, &st);

  if ((flags & O_TMPFILE_MASK) == O_TMPFILE_MASK)
    {
      /* An unnamed file in the directory: no make_reg, but it lies
       * beneath the directory, whose rules its opening is checked by. */
      if (resolution == LL_LEARN_RESOLVED && S_ISDIR (st.st_mode))
        need_fs (call, path, file_access, LL_LEARN_KIND_DIR)->is_new = TRUE;
      return;
    }

  if (resolution == LL_LEARN_RESOLVED)
    {
      if (S_ISDIR (st.st_mode))
        {
          if (reads)
            need_fs (call, path, LL_ACCESS_FS_READ_DIR, LL_LEARN_KIND_DIR);
          return;
        }
      if (S_ISSOCK (st.st_mode))
        return;               /* ENXIO */
      if ((flags & O_TRUNC) && S_ISREG (st.st_mode))
        file_access |= LL_ACCESS_FS_TRUNCATE;
      need_fs (call, path, file_access, kind_of (&st));
    }
  else if (resolution == LL_LEARN_RESOLVED_MISSING && (flags & O_CREAT))
    {
      need_parent (call, path, LL_ACCESS_FS_MAKE_REG);
      /* Opening what it made is checked too: write_file, read_file. The
       * kernel does not truncate a file it has just made, but the same
       * work done again finds the file there, and truncates it. */
      if (flags & O_TRUNC)
        file_access |= LL_ACCESS_FS_TRUNCATE;
      need_fs (call, path, file_access, LL_LEARN_KIND_MISSING)->is_new = TRUE;
      add_effect (call, LL_LEARN_EFFECT_CREATED, path);
    }
}

static void
on_exec (LlLearnCall    *call,
         int      dirfd,
         guint64  path_address,
         int      flags)
{
  g_autofree char *path = NULL;
  g_autofree char *name = read_string (call->task.tid, path_address);
  g_autoptr(GPtrArray) interpreters = NULL;
  struct stat st;

  /* The program changes: the tracer reads who does what next afresh. */
  call->execs = TRUE;

  if (name == NULL)
    return;
  if (name[0] == '\0' && (flags & AT_EMPTY_PATH))
    {
      path = ll_learn_fd_path (&call->task, dirfd);
      if (path == NULL || stat (path, &st) < 0)
        return;
    }
  else
    {
      g_autofree char *start = start_for (call, dirfd, name);

      if (ll_learn_resolve (&call->task, start, name, !(flags & AT_SYMLINK_NOFOLLOW),
                            &path, &st) != LL_LEARN_RESOLVED)
        return;
    }
  if (!S_ISREG (st.st_mode))
    return;

  /* The kernel opens the program, and each interpreter, to execute it. */
  need_fs (call, path, LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_READ_FILE, LL_LEARN_KIND_FILE);
  interpreters = ll_learn_exec_interpreters (&call->task, path);
  for (guint i = 0; i < interpreters->len; i++)
    need_fs (call, g_ptr_array_index (interpreters, i),
             LL_ACCESS_FS_EXECUTE | LL_ACCESS_FS_READ_FILE, LL_LEARN_KIND_FILE);
}

static void
on_make (LlLearnCall    *call,
         int      dirfd,
         guint64  path_address,
         guint64  right)
{
  g_autofree char *path = NULL;
  struct stat st;

  if (resolve_at (call, dirfd, path_address, FALSE, &path, &st) != LL_LEARN_RESOLVED_MISSING)
    return;                   /* EEXIST, or ENOENT before */
  need_make (call, path, right);
}

static void
on_unlink (LlLearnCall    *call,
           int      dirfd,
           guint64  path_address,
           gboolean directory)
{
  g_autofree char *path = NULL;
  LlLearnResolution resolution;
  struct stat st;

  resolution = resolve_at (call, dirfd, path_address, FALSE, &path, &st);
  if (resolution == LL_LEARN_RESOLVED_MISSING)
    {
      /* ENOENT now; but what was asked is removing it, which the same
       * work done again will do where this run made it. */
      need_parent (call, path, directory ? LL_ACCESS_FS_REMOVE_DIR : LL_ACCESS_FS_REMOVE_FILE);
      return;
    }
  if (resolution != LL_LEARN_RESOLVED)
    return;
  if (directory != !!S_ISDIR (st.st_mode))
    return;                   /* EISDIR, ENOTDIR */
  need_parent (call, path, remove_right (st.st_mode));
}

static void
need_refer (LlLearnCall        *call,
            const char  *from_parent,
            const char  *to_parent,
            gboolean     is_dir)
{
  LlLearnEffect *move;

  if (g_str_equal (from_parent, to_parent))
    return;
  need_fs (call, from_parent, LL_ACCESS_FS_REFER, LL_LEARN_KIND_DIR);
  need_fs (call, to_parent, LL_ACCESS_FS_REFER, LL_LEARN_KIND_DIR);
  move = add_effect (call, LL_LEARN_EFFECT_MOVE, from_parent);
  move->other = g_strdup (to_parent);
  move->kind = is_dir ? LL_LEARN_KIND_DIR : LL_LEARN_KIND_FILE;
}

static void
on_link (LlLearnCall    *call,
         int      old_dirfd,
         guint64  old_address,
         int      new_dirfd,
         guint64  new_address,
         int      flags)
{
  g_autofree char *old_name = read_string (call->task.tid, old_address);
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *new_parent = NULL;
  struct stat old_st, new_st;

  if (old_name == NULL)
    return;
  if (resolve_at (call, new_dirfd, new_address, FALSE, &new_path, &new_st) != LL_LEARN_RESOLVED_MISSING)
    return;
  new_parent = ll_learn_parent (new_path);

  if (old_name[0] == '\0' && (flags & AT_EMPTY_PATH))
    {
      char link[64];

      /* An O_TMPFILE file has no path; it is made a regular file here. */
      snprintf (link, sizeof link, "/proc/%d/fd/%d", (int) call->task.tid, old_dirfd);
      if (stat (link, &old_st) < 0)
        return;
      old_path = ll_learn_fd_path (&call->task, old_dirfd);
    }
  else
    {
      g_autofree char *start = start_for (call, old_dirfd, old_name);

      if (ll_learn_resolve (&call->task, start, old_name, (flags & AT_SYMLINK_FOLLOW) != 0,
                            &old_path, &old_st) != LL_LEARN_RESOLVED)
        return;
    }

  need_fs (call, new_parent, make_right (old_st.st_mode), LL_LEARN_KIND_DIR);
  if (old_path != NULL)
    {
      g_autofree char *old_parent = ll_learn_parent (old_path);

      need_refer (call, old_parent, new_parent, S_ISDIR (old_st.st_mode));
    }
  add_effect (call, LL_LEARN_EFFECT_CREATED, new_path);
}

static void
on_rename (LlLearnCall    *call,
           int      old_dirfd,
           guint64  old_address,
           int      new_dirfd,
           guint64  new_address,
           guint    flags)
{
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *old_parent = NULL;
  g_autofree char *new_parent = NULL;
  struct stat old_st, new_st;
  LlLearnResolution new_resolution;

  if (resolve_at (call, old_dirfd, old_address, FALSE, &old_path, &old_st) != LL_LEARN_RESOLVED)
    return;
  new_resolution = resolve_at (call, new_dirfd, new_address, FALSE, &new_path, &new_st);
  if (new_resolution != LL_LEARN_RESOLVED && new_resolution != LL_LEARN_RESOLVED_MISSING)
    return;
  if (new_resolution == LL_LEARN_RESOLVED && (flags & RENAME_NOREPLACE))
    return;                   /* EEXIST */
  if (new_resolution == LL_LEARN_RESOLVED_MISSING && (flags & RENAME_EXCHANGE))
    return;                   /* ENOENT */
  if (g_str_equal (old_path, new_path))
    return;                   /* a rename onto itself does nothing */

  old_parent = ll_learn_parent (old_path);
  new_parent = ll_learn_parent (new_path);
  need_fs (call, old_parent, remove_right (old_st.st_mode), LL_LEARN_KIND_DIR);
  need_fs (call, new_parent, make_right (old_st.st_mode), LL_LEARN_KIND_DIR);
  /* Replacing what is there needs removing it; a new name will be there
   * when the same work is done again. */
  if (new_resolution == LL_LEARN_RESOLVED)
    need_fs (call, new_parent, remove_right (new_st.st_mode), LL_LEARN_KIND_DIR);
  else if (!(flags & RENAME_NOREPLACE))
    need_fs (call, new_parent, remove_right (old_st.st_mode), LL_LEARN_KIND_DIR);
  if (flags & RENAME_EXCHANGE)
    need_fs (call, old_parent, make_right (new_st.st_mode), LL_LEARN_KIND_DIR);
  need_refer (call, old_parent, new_parent, S_ISDIR (old_st.st_mode));
  if (flags & RENAME_EXCHANGE)
    need_refer (call, new_parent, old_parent, S_ISDIR (new_st.st_mode));
  add_effect (call, LL_LEARN_EFFECT_CREATED, new_path);
  if (flags & RENAME_EXCHANGE)
    add_effect (call, LL_LEARN_EFFECT_CREATED, old_path);
}

static void
on_truncate (LlLearnCall    *call,
             guint64  path_address)
{
  g_autofree char *path = NULL;
  struct stat st;

  if (resolve_at (call, AT_FDCWD, path_address, TRUE, &path, &st) == LL_LEARN_RESOLVED &&
      S_ISREG (st.st_mode))
    need_fs (call, path, LL_ACCESS_FS_TRUNCATE, LL_LEARN_KIND_FILE);
}

/* ftruncate() and ioctl(): the right was decided when the file was opened. */
static void
on_fd_operation (LlLearnCall    *call,
                 int      fd,
                 guint64  right)
{
  g_autofree char *path = ll_learn_fd_path (&call->task, fd);
  struct stat st;

  if (path == NULL || stat (path, &st) < 0)
    return;
  if (right == LL_ACCESS_FS_TRUNCATE && !S_ISREG (st.st_mode))
    return;
  if (right == LL_ACCESS_FS_IOCTL_DEV && !S_ISCHR (st.st_mode) && !S_ISBLK (st.st_mode))
    return;
  need_fs (call, path, right, kind_of (&st))->via_fd = TRUE;
}

static void
on_ioctl (LlLearnCall    *call,
          int      fd,
          guint64  command)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ll_learn_harmless_ioctls); i++)
    if ((guint32) command == (guint32) ll_learn_harmless_ioctls[i])
      return;
  on_fd_operation (call, fd, LL_ACCESS_FS_IOCTL_DEV);
}

/* Sockets */

typedef enum
{
  SOCKET_UNKNOWN,
  SOCKET_TCP,
  SOCKET_UDP,
  SOCKET_OTHER,
} SocketKind;

/* What kind of socket fd @fd of the caller is, and the port it is bound
 * to, through a copy of the fd (pidfd_getfd(), Linux 5.6, which asks for
 * ptrace access: the traced programs are this process's descendants). */
static SocketKind
socket_kind (LlLearnCall  *call,
             int    fd,
             guint *out_bound_port)
{
  int pidfd, copy, type = 0, protocol = 0;
  socklen_t length = sizeof type;
  struct sockaddr_storage address;
  socklen_t address_length = sizeof address;
  SocketKind kind = SOCKET_OTHER;

  *out_bound_port = 0;
  pidfd = (int) syscall (SYS_pidfd_open, call->task.tgid, 0);
  if (pidfd < 0)
    return SOCKET_UNKNOWN;
  copy = (int) syscall (SYS_pidfd_getfd, pidfd, fd, 0);
  close (pidfd);
  if (copy < 0)
    return SOCKET_UNKNOWN;

  if (getsockopt (copy, SOL_SOCKET, SO_TYPE, &type, &length) == 0 &&
      (length = sizeof protocol, getsockopt (copy, SOL_SOCKET, SO_PROTOCOL, &protocol, &length) == 0))
    {
      if (type == SOCK_STREAM && protocol == IPPROTO_TCP)
        kind = SOCKET_TCP;
      else if (type == SOCK_DGRAM && protocol == IPPROTO_UDP)
        kind = SOCKET_UDP;
    }
  if (getsockname (copy, (struct sockaddr *) &address, &address_length) == 0)
    {
      if (address.ss_family == AF_INET)
        *out_bound_port = ntohs (((struct sockaddr_in *) &address)->sin_port);
      else if (address.ss_family == AF_INET6)
        *out_bound_port = ntohs (((struct sockaddr_in6 *) &address)->sin6_port);
    }
  close (copy);
  return kind;
}

static void
need_net (LlLearnCall    *call,
          guint    port,
          guint64  access)
{
  LlLearnEffect *effect = add_effect (call, LL_LEARN_EFFECT_NET, NULL);

  effect->port = port;
  effect->access = access;
}

static void
need_scope (LlLearnCall       *call,
            guint64     scope,
            const char *target)
{
  LlLearnEffect *effect = add_effect (call, LL_LEARN_EFFECT_SCOPE, NULL);

  effect->access = scope;
  effect->other = g_strdup (target);
}

/* Whether a socket is bound to the abstract name @name in @task's
 * network namespace: reaching one nobody bound fails (ECONNREFUSED) in
 * the sandbox too, so it needs nothing. */
static gboolean
abstract_socket_exists (const LlLearnTask *task,
                        const char        *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/net/unix", (int) task->tid);
  g_autofree char *wanted = g_strconcat (" @", name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return TRUE;              /* cannot tell: count it */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_suffix (lines[i], wanted))
      return TRUE;
  return FALSE;
}

typedef enum
{
  REACH_BIND,
  REACH_CONNECT,
  REACH_SEND,
} Reach;

/* An address given to bind(), connect() or one of the sends. */
static void
on_address (LlLearnCall    *call,
            int      fd,
            guint64  address,
            guint64  address_length,
            Reach    reach)
{
  struct sockaddr_storage storage;
  gsize length = MIN (address_length, sizeof storage);
  sa_family_t family;

  if (address == 0 || length < sizeof family)
    return;
  memset (&storage, 0, sizeof storage);
  if (!read_memory (call->task.tid, address, &storage, length))
    return;
  family = storage.ss_family;

  if (family == AF_INET || family == AF_INET6 || (family == AF_UNSPEC && reach == REACH_BIND))
    {
      guint port, bound_port;
      SocketKind kind;

      if (family == AF_INET6 && length >= sizeof (struct sockaddr_in6))
        port = ntohs (((struct sockaddr_in6 *) &storage)->sin6_port);
      else if (length >= sizeof (struct sockaddr_in))
        port = ntohs (((struct sockaddr_in *) &storage)->sin_port);
      else
        return;

      kind = socket_kind (call, fd, &bound_port);
      if (kind == SOCKET_UNKNOWN)
        {
          if (call->tracer->record != NULL)
            ll_learn_record_note (call->tracer->record,
                                  "the kind of a socket could not be read (pidfd_getfd() needs "
                                  "Linux 5.6 and ptrace access): it was taken as TCP for bind and "
                                  "connect, UDP for sending to an address");
          kind = reach == REACH_SEND ? SOCKET_UDP : SOCKET_TCP;
        }
      if (kind == SOCKET_TCP && reach == REACH_BIND)
        need_net (call, port, LL_ACCESS_NET_BIND_TCP);
      else if (kind == SOCKET_TCP && reach == REACH_CONNECT)
        need_net (call, port, LL_ACCESS_NET_CONNECT_TCP);
      else if (kind == SOCKET_UDP && reach == REACH_BIND)
        need_net (call, port, LL_ACCESS_NET_BIND_UDP);
      else if (kind == SOCKET_UDP)
        {
          LlLearnTracer *tracer = call->tracer;

          need_net (call, port, LL_ACCESS_NET_CONNECT_SEND_UDP);
          /* From a port the program bound, to a temporary port that none
           * of the traced programs bound: the answer of a server to a
           * client, whose port is new on every run. */
          if (bound_port != 0 && g_hash_table_contains (tracer->bound_udp, GUINT_TO_POINTER (bound_port)) &&
              port >= tracer->ephemeral_low && port <= tracer->ephemeral_high &&
              !g_hash_table_contains (tracer->bound_udp, GUINT_TO_POINTER (port)))
            g_array_index (call->effects, LlLearnEffect, call->effects->len - 1).to_peer = TRUE;
          /* An unbound socket is bound by the kernel first: Landlock
           * checks that as binding to port 0. */
          if (bound_port == 0)
            need_net (call, 0, LL_ACCESS_NET_BIND_UDP);
        }
      return;
    }

  if (family == AF_UNIX && length > offsetof (struct sockaddr_un, sun_path))
    {
      const struct sockaddr_un *unix_address = (const struct sockaddr_un *) &storage;
      gsize name_length = length - offsetof (struct sockaddr_un, sun_path);

      if (unix_address->sun_path[0] == '\0')
        {
          g_autofree char *name = g_strndup (unix_address->sun_path + 1, name_length - 1);
          g_autofree char *shown = g_strdup_printf ("the abstract UNIX socket @%s", name);

          if (reach == REACH_BIND)
            add_effect (call, LL_LEARN_EFFECT_ABSTRACT_BOUND, name);
          else if (!g_hash_table_contains (call->tracer->abstract_bound, name) &&
                   abstract_socket_exists (&call->task, name))
            need_scope (call, LL_SCOPE_ABSTRACT_UNIX_SOCKET, shown);
        }
      else
        {
          g_autofree char *name = g_strndup (unix_address->sun_path, name_length);
          g_autofree char *start = start_for (call, AT_FDCWD, name);
          g_autofree char *path = NULL;
          struct stat st;
          LlLearnResolution resolution;

          resolution = ll_learn_resolve (&call->task, start, name, reach != REACH_BIND, &path, &st);
          if (reach == REACH_BIND && resolution == LL_LEARN_RESOLVED_MISSING)
            need_make (call, path, LL_ACCESS_FS_MAKE_SOCK);
          else if (reach != REACH_BIND && resolution == LL_LEARN_RESOLVED && S_ISSOCK (st.st_mode))
            need_fs (call, path, LL_ACCESS_FS_RESOLVE_UNIX, LL_LEARN_KIND_OTHER);
        }
    }
}

static void
on_sendmsg (LlLearnCall    *call,
            int      fd,
            guint64  message_address)
{
  struct msghdr message;

  if (read_memory (call->task.tid, message_address, &message, sizeof message))
    on_address (call, fd, (guint64) (uintptr_t) message.msg_name, message.msg_namelen, REACH_SEND);
}

static void
on_sendmmsg (LlLearnCall    *call,
             int      fd,
             guint64  vector_address,
             guint    count)
{
  struct mmsghdr messages[MAX_MMSG];

  count = MIN (count, MAX_MMSG);
  if (count == 0 || !read_memory (call->task.tid, vector_address, messages, count * sizeof messages[0]))
    return;
  for (guint i = 0; i < count; i++)
    on_address (call, fd, (guint64) (uintptr_t) messages[i].msg_hdr.msg_name,
                messages[i].msg_hdr.msg_namelen, REACH_SEND);
}

/* Signals */

static void
on_signal_to (LlLearnCall  *call,
              pid_t  target,
              int    signal_number)
{
  LlLearnTracer *tracer = call->tracer;
  g_autofree char *shown = NULL;
  gboolean outside;

  if (target == -1)
    outside = TRUE;           /* every process the caller may signal */
  else if (target == 0)
    outside = group_reaches_outside (tracer, getpgid (call->task.tgid));
  else if (target < 0)
    outside = group_reaches_outside (tracer, -target);
  else
    outside = !ll_learn_tracer_is_in_tree (tracer, target);
  if (!outside)
    return;

  if (target > 0)
    {
      char link[64], program[PATH_MAX];
      ssize_t length;

      snprintf (link, sizeof link, "/proc/%d/exe", (int) target);
      length = readlink (link, program, sizeof program - 1);
      program[MAX (length, 0)] = '\0';
      shown = g_strdup_printf ("signal %d to process %d%s%s%s, outside the traced programs",
                               signal_number, (int) target, length > 0 ? " (" : "",
                               length > 0 ? program : "", length > 0 ? ")" : "");
    }
  else if (target == -1)
    shown = g_strdup_printf ("signal %d to every process", signal_number);
  else
    shown = g_strdup_printf ("signal %d to a process group that reaches outside the traced programs",
                             signal_number);
  need_scope (call, LL_SCOPE_SIGNAL, shown);
}

static void
on_pidfd_signal (LlLearnCall *call,
                 int   pidfd,
                 int   signal_number)
{
  char path[64], line[128];
  pid_t target = 0;
  FILE *info;

  snprintf (path, sizeof path, "/proc/%d/fdinfo/%d", (int) call->task.tid, pidfd);
  info = fopen (path, "re");
  if (info == NULL)
    return;
  while (fgets (line, sizeof line, info) != NULL)
    if (sscanf (line, "Pid: %d", &target) == 1)
      break;
  fclose (info);
  if (target > 0)
    on_signal_to (call, target, signal_number);
}

/* Dispatching */

const char *
ll_learn_syscall_name (long nr)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ll_learn_intercepted); i++)
    if (ll_learn_intercepted[i].nr == nr)
      return ll_learn_intercepted[i].name;
  return "(unknown)";
}

void
ll_learn_call_decode (LlLearnCall *call)
{
  const __u64 *a = call->request->data.args;
  long nr = call->request->data.nr;

  switch (nr)
    {
#ifdef SYS_open
    case SYS_open:
      on_open (call, AT_FDCWD, a[0], a[1]);
      break;
#endif
#ifdef SYS_creat
    case SYS_creat:
      on_open (call, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC);
      break;
#endif
    case SYS_openat:
      on_open (call, (int) a[0], a[1], a[2]);
      break;
    case SYS_openat2:
      {
        struct learn_open_how how;

        if (a[3] >= sizeof how && read_memory (call->task.tid, a[2], &how, sizeof how))
          on_open (call, (int) a[0], a[1], how.flags);
      }
      break;
    case SYS_execve:
      on_exec (call, AT_FDCWD, a[0], 0);
      break;
    case SYS_execveat:
      on_exec (call, (int) a[0], a[1], (int) a[4]);
      break;
#ifdef SYS_mkdir
    case SYS_mkdir:
      on_make (call, AT_FDCWD, a[0], LL_ACCESS_FS_MAKE_DIR);
      break;
#endif
    case SYS_mkdirat:
      on_make (call, (int) a[0], a[1], LL_ACCESS_FS_MAKE_DIR);
      break;
#ifdef SYS_mknod
    case SYS_mknod:
      on_make (call, AT_FDCWD, a[0], make_right ((mode_t) a[1]));
      break;
#endif
    case SYS_mknodat:
      on_make (call, (int) a[0], a[1], make_right ((mode_t) a[2]));
      break;
#ifdef SYS_unlink
    case SYS_unlink:
      on_unlink (call, AT_FDCWD, a[0], FALSE);
      break;
#endif
    case SYS_unlinkat:
      on_unlink (call, (int) a[0], a[1], (a[2] & AT_REMOVEDIR) != 0);
      break;
#ifdef SYS_rmdir
    case SYS_rmdir:
      on_unlink (call, AT_FDCWD, a[0], TRUE);
      break;
#endif
#ifdef SYS_symlink
    case SYS_symlink:
      on_make (call, AT_FDCWD, a[1], LL_ACCESS_FS_MAKE_SYM);
      break;
#endif
    case SYS_symlinkat:
      on_make (call, (int) a[1], a[2], LL_ACCESS_FS_MAKE_SYM);
      break;
#ifdef SYS_link
    case SYS_link:
      on_link (call, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
      break;
#endif
    case SYS_linkat:
      on_link (call, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]);
      break;
#ifdef SYS_rename
    case SYS_rename:
      on_rename (call, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
      break;
#endif
#ifdef SYS_renameat
    case SYS_renameat:
      on_rename (call, (int) a[0], a[1], (int) a[2], a[3], 0);
      break;
#endif
    case SYS_renameat2:
      on_rename (call, (int) a[0], a[1], (int) a[2], a[3], (guint) a[4]);
      break;
    case SYS_truncate:
      on_truncate (call, a[0]);
      break;
    case SYS_ftruncate:
      on_fd_operation (call, (int) a[0], LL_ACCESS_FS_TRUNCATE);
      break;
    case SYS_ioctl:
      on_ioctl (call, (int) a[0], a[1]);
      break;
    case SYS_bind:
      on_address (call, (int) a[0], a[1], a[2], REACH_BIND);
      break;
    case SYS_connect:
      on_address (call, (int) a[0], a[1], a[2], REACH_CONNECT);
      break;
    case SYS_sendto:
      on_address (call, (int) a[0], a[4], a[5], REACH_SEND);
      break;
    case SYS_sendmsg:
      on_sendmsg (call, (int) a[0], a[1]);
      break;
    case SYS_sendmmsg:
      on_sendmmsg (call, (int) a[0], a[1], (guint) a[2]);
      break;
    /* The target first; the signal after it, or after the thread. */
    case SYS_kill:
    case SYS_tkill:
    case SYS_rt_sigqueueinfo:
      on_signal_to (call, (pid_t) a[0], (int) a[1]);
      break;
    case SYS_tgkill:
    case SYS_rt_tgsigqueueinfo:
      on_signal_to (call, (pid_t) a[0], (int) a[2]);
      break;
    case SYS_pidfd_send_signal:
      on_pidfd_signal (call, (int) a[0], (int) a[1]);
      break;
    case SYS_io_uring_setup:
      call->refuse_errno = ENOSYS;
      if (call->tracer->record != NULL)
        ll_learn_record_note (call->tracer->record,
                              "io_uring was refused (io_uring_setup() answered ENOSYS) while "
                              "learning, because what io_uring does is invisible to a seccomp "
                              "filter: the programs used plain system calls instead, and those "
                              "were recorded. Under the sandbox io_uring works, and Landlock "
                              "checks what it opens like the same system calls");
      break;
    default:
      break;
    }
}

