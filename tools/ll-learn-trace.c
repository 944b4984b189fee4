/* ll-learn-trace.c: run a command unsandboxed, and see what Landlock would check
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

#include "ll-learn-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <landlock-glib/landlock-glib.h>

#include "ll-learn-resolve.h"

#if defined(__x86_64__)
# define LEARN_AUDIT_ARCH AUDIT_ARCH_X86_64
# define LEARN_X32_BIT 0x40000000
#elif defined(__aarch64__)
# define LEARN_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* Debian 12's headers know these; older ones may not. */
#ifndef SYS_openat2
# define SYS_openat2 437
#endif
#ifndef SYS_pidfd_send_signal
# define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_io_uring_setup
# define SYS_io_uring_setup 425
#endif
#ifndef SYS_pidfd_open
# define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
# define SYS_pidfd_getfd 438
#endif
#ifndef O_TMPFILE_MASK
# define O_TMPFILE_MASK (O_TMPFILE & ~O_DIRECTORY)
#endif
/* Linux 6.6: the traced thread and this one hand the CPU to each other
 * directly, rather than each waiting to be scheduled: a system call
 * reported costs several times less on a busy machine. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
# define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW (4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
# define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
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

/* The system calls the filter reports, with what to leave to the filter. */
typedef enum
{
  SKIP_NONE,
  SKIP_O_PATH,            /* argument N holds open flags: O_PATH opens are not checked */
  SKIP_NO_ADDRESS,        /* sendto() without an address: nothing new is reached */
  SKIP_HARMLESS_IOCTL,    /* ioctl commands Landlock always allows */
} SkipRule;

typedef struct
{
  long nr;
  const char *name;
  SkipRule skip;
  guint skip_arg;
} Intercepted;

static const Intercepted intercepted[] = {
#ifdef SYS_open
  { SYS_open, "open", SKIP_O_PATH, 1 },
#endif
#ifdef SYS_creat
  { SYS_creat, "creat", SKIP_NONE, 0 },
#endif
  { SYS_openat, "openat", SKIP_O_PATH, 2 },
  { SYS_openat2, "openat2", SKIP_NONE, 0 },
  { SYS_execve, "execve", SKIP_NONE, 0 },
  { SYS_execveat, "execveat", SKIP_NONE, 0 },
#ifdef SYS_mkdir
  { SYS_mkdir, "mkdir", SKIP_NONE, 0 },
#endif
  { SYS_mkdirat, "mkdirat", SKIP_NONE, 0 },
#ifdef SYS_mknod
  { SYS_mknod, "mknod", SKIP_NONE, 0 },
#endif
  { SYS_mknodat, "mknodat", SKIP_NONE, 0 },
#ifdef SYS_unlink
  { SYS_unlink, "unlink", SKIP_NONE, 0 },
#endif
  { SYS_unlinkat, "unlinkat", SKIP_NONE, 0 },
#ifdef SYS_rmdir
  { SYS_rmdir, "rmdir", SKIP_NONE, 0 },
#endif
#ifdef SYS_symlink
  { SYS_symlink, "symlink", SKIP_NONE, 0 },
#endif
  { SYS_symlinkat, "symlinkat", SKIP_NONE, 0 },
#ifdef SYS_link
  { SYS_link, "link", SKIP_NONE, 0 },
#endif
  { SYS_linkat, "linkat", SKIP_NONE, 0 },
#ifdef SYS_rename
  { SYS_rename, "rename", SKIP_NONE, 0 },
#endif
#ifdef SYS_renameat
  { SYS_renameat, "renameat", SKIP_NONE, 0 },
#endif
  { SYS_renameat2, "renameat2", SKIP_NONE, 0 },
  { SYS_truncate, "truncate", SKIP_NONE, 0 },
  { SYS_ftruncate, "ftruncate", SKIP_NONE, 0 },
  { SYS_ioctl, "ioctl", SKIP_HARMLESS_IOCTL, 1 },
  { SYS_bind, "bind", SKIP_NONE, 0 },
  { SYS_connect, "connect", SKIP_NONE, 0 },
  { SYS_sendto, "sendto", SKIP_NO_ADDRESS, 4 },
  { SYS_sendmsg, "sendmsg", SKIP_NONE, 0 },
  { SYS_sendmmsg, "sendmmsg", SKIP_NONE, 0 },
  { SYS_kill, "kill", SKIP_NONE, 0 },
  { SYS_tkill, "tkill", SKIP_NONE, 0 },
  { SYS_tgkill, "tgkill", SKIP_NONE, 0 },
  { SYS_rt_sigqueueinfo, "rt_sigqueueinfo", SKIP_NONE, 0 },
  { SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", SKIP_NONE, 0 },
  { SYS_pidfd_send_signal, "pidfd_send_signal", SKIP_NONE, 0 },
  { SYS_io_uring_setup, "io_uring_setup", SKIP_NONE, 0 },
};

/* Landlock's own list of ioctl commands allowed whatever IOCTL_DEV says
 * (security/landlock/fs.c, is_masked_device_ioctl()): these are never
 * recorded. The first four are also left alone by the filter, being the
 * common ones. */
static const unsigned long harmless_ioctls[] = {
  FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC,
  0x5460 /* FIOQSIZE */, 0xc0045877 /* FIFREEZE */, 0xc0045878 /* FITHAW */,
  0xc020660b /* FS_IOC_FIEMAP */, 0x2 /* FIGETBSZ */, 0x40049409 /* FICLONE */,
  0x4020940d /* FICLONERANGE */, 0xc0189436 /* FIDEDUPERANGE */,
  0x80111500 /* FS_IOC_GETFSUUID */, 0x80811501 /* FS_IOC_GETFSSYSFSPATH */,
};
#define N_FILTERED_IOCTLS 4

typedef struct
{
  pid_t tid;
  pid_t tgid;
  const char *program;        /* interned: few, and named in every record */
  int proc_fd;                /* on /proc/TID, for the most recent tasks only */
} Task;

/* How many tasks keep an fd on their /proc directory. */
#define MAX_PROC_FDS 64

typedef struct
{
  int listener;
  pid_t self;
  pid_t command;              /* the first process, the one we started */
  LlLearnRecord *record;      /* NULL: answer without recording */
  GHashTable *tasks;          /* tid → Task */
  GQueue *proc_fds;           /* the Tasks that have one, oldest first */
  GHashTable *traced;         /* tgids seen in notifications */
  GHashTable *created;        /* paths the traced programs made */
  GHashTable *abstract_bound; /* abstract socket names they bound */
} Tracer;

/* One thing to record, held until the notification is known to be valid. */
typedef enum
{
  EFFECT_FS,
  EFFECT_CREATED,
  EFFECT_NET,
  EFFECT_SCOPE,
  EFFECT_MOVE,
  EFFECT_ABSTRACT_BOUND,
} EffectType;

typedef struct
{
  EffectType type;
  char *path;                 /* FS, CREATED, MOVE (from), ABSTRACT_BOUND (name) */
  char *other;                /* MOVE (to), SCOPE (target) */
  guint64 access;
  LlLearnKind kind;
  gboolean is_new;            /* FS: @path is being made by this call */
  gboolean via_fd;
  guint port;
} Effect;

typedef struct
{
  Tracer *tracer;
  LlLearnTask task;
  const struct seccomp_notif *request;
  const char *operation;
  const char *program;        /* read before the call, which may be an exec */
  GArray *effects;
  int refuse_errno;           /* not 0: answer with this error instead of going on */
} Call;

static void
effect_clear (gpointer data)
{
  Effect *effect = data;

  g_free (effect->path);
  g_free (effect->other);
}

static void
task_free (gpointer data)
{
  Task *task = data;

  if (task->proc_fd >= 0)
    close (task->proc_fd);
  g_free (task);
}

/* Forgets what is known of @tid, which is about to become another
 * program. */
static void
forget_task (Tracer *tracer,
             pid_t   tid)
{
  Task *task = g_hash_table_lookup (tracer->tasks, GINT_TO_POINTER (tid));

  if (task == NULL)
    return;
  if (task->proc_fd >= 0)
    g_queue_remove (tracer->proc_fds, task);
  g_hash_table_remove (tracer->tasks, GINT_TO_POINTER (tid));
}

/* An fd on /proc/TID: magic links are then read relative to it. It
 * stays right if the thread dies (reading fails) and its number is used
 * again (the fd names the dead one). */
static void
open_proc_fd (Tracer *tracer,
              Task   *task)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%d", (int) task->tid);
  task->proc_fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (task->proc_fd < 0)
    return;
  g_queue_push_tail (tracer->proc_fds, task);
  if (g_queue_get_length (tracer->proc_fds) > MAX_PROC_FDS)
    {
      Task *oldest = g_queue_pop_head (tracer->proc_fds);

      close (oldest->proc_fd);
      oldest->proc_fd = -1;
    }
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

static pid_t
read_tgid (pid_t tid)
{
  char path[64], line[256];
  pid_t tgid = tid;
  FILE *status;

  snprintf (path, sizeof path, "/proc/%d/status", (int) tid);
  status = fopen (path, "re");
  if (status == NULL)
    return tid;
  while (fgets (line, sizeof line, status) != NULL)
    if (sscanf (line, "Tgid: %d", &tgid) == 1)
      break;
  fclose (status);
  return tgid;
}

static pid_t
read_parent (pid_t pid)
{
  char path[64], text[512];
  const char *after_name;
  ssize_t length;
  int fd, parent = 0;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  length = read (fd, text, sizeof text - 1);
  close (fd);
  if (length <= 0)
    return 0;
  text[length] = '\0';
  /* "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses. */
  after_name = strrchr (text, ')');
  if (after_name == NULL || sscanf (after_name + 1, " %*c %d", &parent) != 1)
    return 0;
  return parent;
}

static Task *
lookup_task (Tracer *tracer,
             pid_t   tid)
{
  Task *task = g_hash_table_lookup (tracer->tasks, GINT_TO_POINTER (tid));

  if (task == NULL)
    {
      char link[64];
      char target[PATH_MAX];
      ssize_t length;

      task = g_new0 (Task, 1);
      task->tid = tid;
      task->tgid = read_tgid (tid);
      task->proc_fd = -1;
      open_proc_fd (tracer, task);
      snprintf (link, sizeof link, "/proc/%d/exe", (int) tid);
      length = readlink (link, target, sizeof target - 1);
      if (length > 0)
        {
          target[length] = '\0';
          task->program = g_intern_string (target);
        }
      else
        task->program = g_intern_static_string ("(unknown program)");
      g_hash_table_insert (tracer->tasks, GINT_TO_POINTER (tid), task);

      if (tracer->record != NULL)
        {
          char root[PATH_MAX];

          snprintf (link, sizeof link, "/proc/%d/root", (int) tid);
          length = readlink (link, root, sizeof root - 1);
          if (length > 1 || (length == 1 && root[0] != '/'))
            ll_learn_record_note (tracer->record,
                                  "%s runs with another root directory (chroot): its paths were "
                                  "resolved from landlock-run's root, so rules for them may name "
                                  "the wrong files", task->program);
        }
    }
  return task;
}

/* Whether @pid belongs to the traced tree: the command, what it started,
 * and what was left to this process, its subreaper, when a parent died. */
static gboolean
is_in_tree (Tracer *tracer,
            pid_t   pid)
{
  for (guint depth = 0; depth < 128 && pid > 1; depth++)
    {
      if (pid == tracer->command || g_hash_table_contains (tracer->traced, GINT_TO_POINTER (pid)))
        return TRUE;
      if (pid == tracer->self)
        return FALSE;
      pid = read_parent (pid);
      if (pid == tracer->self)
        return TRUE;
    }
  return FALSE;
}

/* Processes of the group @pgid; TRUE if one of them is outside the tree. */
static gboolean
group_reaches_outside (Tracer *tracer,
                       pid_t   pgid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (name, NULL, 10);

      if (pid > 0 && getpgid (pid) == pgid && !is_in_tree (tracer, pid))
        return TRUE;
    }
  return FALSE;
}

/* Effects */

static Effect *
add_effect (Call       *call,
            EffectType  type,
            const char *path)
{
  Effect effect = { type, g_strdup (path), NULL, 0, LL_LEARN_KIND_OTHER, FALSE, FALSE, 0 };

  g_array_append_val (call->effects, effect);
  return &g_array_index (call->effects, Effect, call->effects->len - 1);
}

static void
need_fs (Call        *call,
         const char  *path,
         guint64      access,
         LlLearnKind  kind)
{
  Effect *effect = add_effect (call, EFFECT_FS, path);

  effect->access = access;
  effect->kind = kind;
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
start_for (Call       *call,
           int         dirfd,
           const char *path)
{
  if (path == NULL || path[0] == '/')
    return NULL;
  return ll_learn_start_dir (&call->task, dirfd);
}

static LlLearnResolution
resolve_at (Call        *call,
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
on_open (Call    *call,
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
        {
          Effect *effect = add_effect (call, EFFECT_FS, path);

          effect->access = file_access;
          effect->kind = LL_LEARN_KIND_DIR;
          effect->is_new = TRUE;
        }
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
      g_autofree char *parent = ll_learn_parent (path);
      Effect *effect;

      need_fs (call, parent, LL_ACCESS_FS_MAKE_REG, LL_LEARN_KIND_DIR);
      /* Opening what it made is checked too: write_file, read_file. The
       * kernel does not truncate a file it has just made, but the same
       * work done again finds the file there, and truncates it. */
      if (flags & O_TRUNC)
        file_access |= LL_ACCESS_FS_TRUNCATE;
      effect = add_effect (call, EFFECT_FS, path);
      effect->access = file_access;
      effect->kind = LL_LEARN_KIND_MISSING;
      effect->is_new = TRUE;
      add_effect (call, EFFECT_CREATED, path);
    }
}

static void
on_exec (Call    *call,
         int      dirfd,
         guint64  path_address,
         int      flags)
{
  g_autofree char *path = NULL;
  g_autofree char *name = read_string (call->task.tid, path_address);
  g_autoptr(GPtrArray) interpreters = NULL;
  struct stat st;

  /* The program changes: who does what next is read afresh. */
  forget_task (call->tracer, call->task.tid);
  forget_task (call->tracer, call->task.tgid);
  call->task.proc_fd = -1;

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
on_make (Call    *call,
         int      dirfd,
         guint64  path_address,
         guint64  right)
{
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  struct stat st;

  if (resolve_at (call, dirfd, path_address, FALSE, &path, &st) != LL_LEARN_RESOLVED_MISSING)
    return;                   /* EEXIST, or ENOENT before */
  parent = ll_learn_parent (path);
  need_fs (call, parent, right, LL_LEARN_KIND_DIR);
  add_effect (call, EFFECT_CREATED, path);
}

static void
on_unlink (Call    *call,
           int      dirfd,
           guint64  path_address,
           gboolean directory)
{
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  LlLearnResolution resolution;
  struct stat st;

  resolution = resolve_at (call, dirfd, path_address, FALSE, &path, &st);
  if (resolution == LL_LEARN_RESOLVED_MISSING)
    {
      /* ENOENT now; but what was asked is removing it, which the same
       * work done again will do where this run made it. */
      parent = ll_learn_parent (path);
      need_fs (call, parent, directory ? LL_ACCESS_FS_REMOVE_DIR : LL_ACCESS_FS_REMOVE_FILE,
               LL_LEARN_KIND_DIR);
      return;
    }
  if (resolution != LL_LEARN_RESOLVED)
    return;
  if (directory != !!S_ISDIR (st.st_mode))
    return;                   /* EISDIR, ENOTDIR */
  parent = ll_learn_parent (path);
  need_fs (call, parent, remove_right (st.st_mode), LL_LEARN_KIND_DIR);
}

static void
need_refer (Call        *call,
            const char  *from_parent,
            const char  *to_parent,
            gboolean     is_dir)
{
  Effect *move;

  if (g_str_equal (from_parent, to_parent))
    return;
  need_fs (call, from_parent, LL_ACCESS_FS_REFER, LL_LEARN_KIND_DIR);
  need_fs (call, to_parent, LL_ACCESS_FS_REFER, LL_LEARN_KIND_DIR);
  move = add_effect (call, EFFECT_MOVE, from_parent);
  move->other = g_strdup (to_parent);
  move->kind = is_dir ? LL_LEARN_KIND_DIR : LL_LEARN_KIND_FILE;
}

static void
on_link (Call    *call,
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
  add_effect (call, EFFECT_CREATED, new_path);
}

static void
on_rename (Call    *call,
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
  add_effect (call, EFFECT_CREATED, new_path);
  if (flags & RENAME_EXCHANGE)
    add_effect (call, EFFECT_CREATED, old_path);
}

static void
on_truncate (Call    *call,
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
on_fd_operation (Call    *call,
                 int      fd,
                 guint64  right)
{
  g_autofree char *path = ll_learn_fd_path (&call->task, fd);
  struct stat st;
  Effect *effect;

  if (path == NULL || stat (path, &st) < 0)
    return;
  if (right == LL_ACCESS_FS_TRUNCATE && !S_ISREG (st.st_mode))
    return;
  if (right == LL_ACCESS_FS_IOCTL_DEV && !S_ISCHR (st.st_mode) && !S_ISBLK (st.st_mode))
    return;
  effect = add_effect (call, EFFECT_FS, path);
  effect->access = right;
  effect->kind = kind_of (&st);
  effect->via_fd = TRUE;
}

static void
on_ioctl (Call    *call,
          int      fd,
          guint64  command)
{
  for (gsize i = 0; i < G_N_ELEMENTS (harmless_ioctls); i++)
    if ((guint32) command == (guint32) harmless_ioctls[i])
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
socket_kind (Call  *call,
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
need_net (Call    *call,
          guint    port,
          guint64  access)
{
  Effect *effect = add_effect (call, EFFECT_NET, NULL);

  effect->port = port;
  effect->access = access;
}

static void
need_scope (Call       *call,
            guint64     scope,
            const char *target)
{
  Effect *effect = add_effect (call, EFFECT_SCOPE, NULL);

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
on_address (Call    *call,
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
          need_net (call, port, LL_ACCESS_NET_CONNECT_SEND_UDP);
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
            add_effect (call, EFFECT_ABSTRACT_BOUND, name);
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
            {
              g_autofree char *parent = ll_learn_parent (path);

              need_fs (call, parent, LL_ACCESS_FS_MAKE_SOCK, LL_LEARN_KIND_DIR);
              add_effect (call, EFFECT_CREATED, path);
            }
          else if (reach != REACH_BIND && resolution == LL_LEARN_RESOLVED && S_ISSOCK (st.st_mode))
            need_fs (call, path, LL_ACCESS_FS_RESOLVE_UNIX, LL_LEARN_KIND_OTHER);
        }
    }
}

static void
on_sendmsg (Call    *call,
            int      fd,
            guint64  message_address)
{
  struct msghdr message;

  if (read_memory (call->task.tid, message_address, &message, sizeof message))
    on_address (call, fd, (guint64) (uintptr_t) message.msg_name, message.msg_namelen, REACH_SEND);
}

static void
on_sendmmsg (Call    *call,
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
on_signal_to (Call  *call,
              pid_t  target,
              int    signal_number)
{
  Tracer *tracer = call->tracer;
  g_autofree char *shown = NULL;
  gboolean outside;

  if (target == -1)
    outside = TRUE;           /* every process the caller may signal */
  else if (target == 0)
    outside = group_reaches_outside (tracer, getpgid (call->task.tgid));
  else if (target < 0)
    outside = group_reaches_outside (tracer, -target);
  else
    outside = !is_in_tree (tracer, target);
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
on_pidfd_signal (Call *call,
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

static const char *
syscall_name (long nr)
{
  for (gsize i = 0; i < G_N_ELEMENTS (intercepted); i++)
    if (intercepted[i].nr == nr)
      return intercepted[i].name;
  return "(unknown)";
}

static void
decode (Call *call)
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
    case SYS_kill:
      on_signal_to (call, (pid_t) a[0], (int) a[1]);
      break;
    case SYS_tkill:
      on_signal_to (call, (pid_t) a[0], (int) a[1]);
      break;
    case SYS_tgkill:
      on_signal_to (call, (pid_t) a[0], (int) a[2]);
      break;
    case SYS_rt_sigqueueinfo:
      on_signal_to (call, (pid_t) a[0], (int) a[1]);
      break;
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

/* Classifying paths beneath /proc/PID: rules can only name a process
 * that exists when the sandbox is made. */
static LlLearnProc
classify_proc (Tracer            *tracer,
               const LlLearnTask *task,
               const char        *path,
               char             **out_path)
{
  const char *digits, *rest;
  pid_t owner;

  *out_path = NULL;
  if (!g_str_has_prefix (path, "/proc/"))
    return LL_LEARN_PROC_NONE;
  digits = path + strlen ("/proc/");
  if (!g_ascii_isdigit (*digits))
    return LL_LEARN_PROC_NONE;
  owner = (pid_t) g_ascii_strtoll (digits, (char **) &rest, 10);
  if (*rest != '\0' && *rest != '/')
    return LL_LEARN_PROC_NONE;

  if (!is_in_tree (tracer, owner))
    return LL_LEARN_PROC_UNTRACED;
  if (owner == task->tgid)
    {
      if (g_str_has_prefix (rest, "/task/"))
        {
          const char *after = strchr (rest + strlen ("/task/"), '/');

          *out_path = g_strconcat ("/proc/thread-self", after != NULL ? after : "", NULL);
          return LL_LEARN_PROC_TRACED;
        }
      *out_path = g_strconcat ("/proc/self", rest, NULL);
      return owner == tracer->command ? LL_LEARN_PROC_FIRST : LL_LEARN_PROC_TRACED;
    }
  return LL_LEARN_PROC_TRACED;
}

/* The nearest directory above @path that the traced programs did not
 * make, if @path (being made when @is_new) or a directory above it was
 * made by them; else NULL. */
static char *
created_beneath (Tracer     *tracer,
                 const char *path,
                 gboolean    is_new)
{
  g_autofree char *current = g_strdup (path);
  gboolean seen_created = FALSE;

  for (;;)
    {
      gboolean created = (is_new && current != NULL && g_str_equal (current, path)) ||
                         g_hash_table_contains (tracer->created, current);
      char *parent;

      if (!created)
        return seen_created ? g_steal_pointer (&current) : NULL;
      seen_created = TRUE;
      if (g_str_equal (current, "/"))
        return NULL;
      parent = ll_learn_parent (current);
      g_free (current);
      current = parent;
    }
}

static void
commit (Call *call)
{
  Tracer *tracer = call->tracer;
  LlLearnRecord *record = tracer->record;
  const char *program = call->program;

  for (guint i = 0; i < call->effects->len; i++)
    {
      const Effect *effect = &g_array_index (call->effects, Effect, i);

      switch (effect->type)
        {
        case EFFECT_FS:
          {
            g_autofree char *shown_path = NULL;
            g_autofree char *beneath = NULL;
            LlLearnProc proc = classify_proc (tracer, &call->task, effect->path, &shown_path);

            /* An O_TMPFILE file is made in the directory, not the
             * directory itself. */
            if (effect->is_new && effect->kind == LL_LEARN_KIND_DIR)
              beneath = g_hash_table_contains (tracer->created, effect->path)
                          ? created_beneath (tracer, effect->path, FALSE)
                          : g_strdup (effect->path);
            else
              beneath = created_beneath (tracer, effect->path, effect->is_new);
            ll_learn_record_fs (record, shown_path != NULL ? shown_path : effect->path,
                                effect->access, effect->kind, beneath, effect->via_fd, proc,
                                program, call->operation, 1);
          }
          break;
        case EFFECT_NET:
          ll_learn_record_net (record, effect->port, effect->access, program, call->operation, 1);
          break;
        case EFFECT_SCOPE:
          ll_learn_record_scope (record, effect->access, effect->other, program, call->operation, 1);
          break;
        case EFFECT_MOVE:
          {
            g_autofree char *from = created_beneath (tracer, effect->path, FALSE);
            g_autofree char *to = created_beneath (tracer, effect->other, FALSE);

            ll_learn_record_move (record, from != NULL ? from : effect->path,
                                  to != NULL ? to : effect->other,
                                  effect->kind == LL_LEARN_KIND_DIR, program, call->operation, 1);
          }
          break;
        case EFFECT_CREATED:
        case EFFECT_ABSTRACT_BOUND:
        default:
          break;
        }
    }

  /* What this call made counts from the next one on. */
  for (guint i = 0; i < call->effects->len; i++)
    {
      const Effect *effect = &g_array_index (call->effects, Effect, i);

      if (effect->type == EFFECT_CREATED)
        g_hash_table_add (tracer->created, g_strdup (effect->path));
      else if (effect->type == EFFECT_ABSTRACT_BOUND)
        g_hash_table_add (tracer->abstract_bound, g_strdup (effect->path));
    }
}

static void
answer (int     listener,
        guint64 id,
        int     refuse_errno)
{
  struct seccomp_notif_resp response;

  memset (&response, 0, sizeof response);
  response.id = id;
  if (refuse_errno != 0)
    response.error = -refuse_errno;
  else
    response.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  /* ENOENT: the caller died, or was interrupted by a signal, meanwhile. */
  while (ioctl (listener, SECCOMP_IOCTL_NOTIF_SEND, &response) < 0 && errno == EINTR)
    ;
}

static void
handle_one (Tracer *tracer)
{
  struct seccomp_notif request;
  g_autoptr(GArray) effects = NULL;
  const Task *task;
  Call call;

  memset (&request, 0, sizeof request);   /* the kernel insists on zeroes */
  if (ioctl (tracer->listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0)
    return;                   /* EINTR, or the caller is gone (ENOENT) */

  if (request.data.arch != LEARN_AUDIT_ARCH
#ifdef LEARN_X32_BIT
      || (request.data.nr & LEARN_X32_BIT) != 0
#endif
     )
    {
      if (tracer->record != NULL)
        ll_learn_record_note (tracer->record,
                              "a program made system calls of another architecture (32-bit or "
                              "x32): they are not decoded, so what it did through them is not "
                              "in the policy and the sandbox will deny it");
      answer (tracer->listener, request.id, 0);
      return;
    }

  effects = g_array_new (FALSE, TRUE, sizeof (Effect));
  g_array_set_clear_func (effects, effect_clear);
  call.tracer = tracer;
  call.task.tid = (pid_t) request.pid;
  task = lookup_task (tracer, call.task.tid);
  call.task.tgid = task->tgid;
  call.task.proc_fd = task->proc_fd;
  call.program = task->program;
  call.request = &request;
  call.operation = syscall_name (request.data.nr);
  call.effects = effects;
  call.refuse_errno = 0;

  if (tracer->record != NULL || request.data.nr == SYS_io_uring_setup)
    decode (&call);

  /* Only what is still the same call is believed: the caller may have
   * died, and its pid been reused, while it was read. */
  if (ioctl (tracer->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &request.id) < 0)
    return;
  if (tracer->record != NULL)
    {
      g_hash_table_add (tracer->traced, GINT_TO_POINTER (call.task.tgid));
      commit (&call);
    }
  answer (tracer->listener, request.id, call.refuse_errno);
}

/* The filter */

typedef struct
{
  struct sock_filter code[512];
  guint length;
} Program;

static void
emit (Program *program,
      guint16  code,
      guint32  k,
      guint8   jt,
      guint8   jf)
{
  struct sock_filter instruction = { code, jt, jf, k };

  g_assert (program->length < G_N_ELEMENTS (program->code));
  program->code[program->length++] = instruction;
}

static guint32
argument_offset (guint index,
                 gboolean high)
{
  guint32 offset = offsetof (struct seccomp_data, args) + 8 * index;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return offset + (high ? 4 : 0);
#else
  return offset + (high ? 0 : 4);
#endif
}

static void
build_filter (Program *program)
{
  const guint16 load = BPF_LD | BPF_W | BPF_ABS;
  const guint16 equal = BPF_JMP | BPF_JEQ | BPF_K;
  const guint16 ret = BPF_RET | BPF_K;

  program->length = 0;
  emit (program, load, offsetof (struct seccomp_data, arch), 0, 0);
  emit (program, equal, LEARN_AUDIT_ARCH, 1, 0);
  emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);      /* another architecture: say so */
  emit (program, load, offsetof (struct seccomp_data, nr), 0, 0);
#ifdef LEARN_X32_BIT
  emit (program, BPF_JMP | BPF_JGE | BPF_K, LEARN_X32_BIT, 0, 1);
  emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
#endif

  for (gsize i = 0; i < G_N_ELEMENTS (intercepted); i++)
    {
      const Intercepted *call = &intercepted[i];

      switch (call->skip)
        {
        case SKIP_O_PATH:
          emit (program, equal, (guint32) call->nr, 0, 4);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          emit (program, BPF_JMP | BPF_JSET | BPF_K, O_PATH, 0, 1);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          break;
        case SKIP_NO_ADDRESS:
          emit (program, equal, (guint32) call->nr, 0, 6);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          emit (program, equal, 0, 0, 3);
          emit (program, load, argument_offset (call->skip_arg, TRUE), 0, 0);
          emit (program, equal, 0, 0, 1);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          break;
        case SKIP_HARMLESS_IOCTL:
          emit (program, equal, (guint32) call->nr, 0, 2 + N_FILTERED_IOCTLS + 1);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          for (guint c = 0; c < N_FILTERED_IOCTLS; c++)
            emit (program, equal, (guint32) harmless_ioctls[c], N_FILTERED_IOCTLS - c, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          break;
        case SKIP_NONE:
        default:
          emit (program, equal, (guint32) call->nr, 0, 1);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          break;
        }
    }
  emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
}

/* Starting the command
 *
 * The filter reports sendmsg(), so the child cannot pass its listener
 * over a socket once it has the filter: it writes the fd's number into a
 * pipe and waits (read() and write() are never reported) while this
 * process takes a copy with pidfd_getfd() (Linux 5.6), then execs. */

static gboolean
write_int (int fd,
           int value)
{
  ssize_t n;

  do
    n = write (fd, &value, sizeof value);
  while (n < 0 && errno == EINTR);
  return n == sizeof value;
}

static gboolean
read_int (int  fd,
          int *out_value)
{
  ssize_t n;

  do
    n = read (fd, out_value, sizeof *out_value);
  while (n < 0 && errno == EINTR);
  return n == sizeof *out_value;
}

/* In the child, between fork() and exec(): only async-signal-safe calls. */
static void G_GNUC_NORETURN
run_child (char            **command,
           int               to_parent,
           int               from_parent,
           const sigset_t   *original_mask,
           const Program    *program)
{
  struct sock_fprog filter = { (unsigned short) program->length, (struct sock_filter *) program->code };
  int listener, error_number, go;

  sigprocmask (SIG_SETMASK, original_mask, NULL);

  /* no_new_privs: a filter without privilege. The sandbox sets it too. */
  if (prctl (PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
    {
      error_number = errno;
      write_int (to_parent, -error_number);
      _exit (125);
    }
  listener = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &filter);
  if (listener < 0)
    {
      error_number = errno;
      write_int (to_parent, -error_number);
      _exit (125);
    }
  if (!write_int (to_parent, listener) || !read_int (from_parent, &go) || go != 1)
    _exit (125);
  close (listener);
  close (from_parent);

  execvp (command[0], command);
  error_number = errno;
  write_int (to_parent, error_number);
  _exit (error_number == ENOENT ? 127 : 126);
}

/* The child's listener, copied into this process; -errno on failure. */
static int
take_listener (pid_t child,
               int   from_child,
               int   to_child)
{
  int number, pidfd, listener, errsv;

  if (!read_int (from_child, &number))
    return -EIO;
  if (number < 0)
    return number;
  pidfd = (int) syscall (SYS_pidfd_open, child, 0);
  if (pidfd < 0)
    return -errno;
  listener = (int) syscall (SYS_pidfd_getfd, pidfd, number, 0);
  errsv = errno;
  close (pidfd);
  if (listener < 0)
    return -errsv;
  if (!write_int (to_child, 1))
    {
      close (listener);
      return -EIO;
    }
  return listener;
}

/* What the command inherits: those files were opened outside, and what
 * is done through them is neither restricted by Landlock nor recorded. */
static void
note_inherited_fds (LlLearnRecord *record)
{
  g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  g_autoptr(GString) list = g_string_new (NULL);
  const char *name;

  while (fds != NULL && (name = g_dir_read_name (fds)) != NULL)
    {
      int fd = (int) g_ascii_strtoll (name, NULL, 10);
      g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
      g_autofree char *target = NULL;
      int fd_flags = fcntl (fd, F_GETFD);

      if (fd_flags < 0 || (fd_flags & FD_CLOEXEC))
        continue;
      target = g_file_read_link (link, NULL);
      if (target == NULL)
        continue;
      g_string_append_printf (list, "%s%d (%s)", list->len > 0 ? ", " : "", fd,
                              g_str_has_prefix (target, "pipe:") ? "a pipe" :
                              g_str_has_prefix (target, "socket:") ? "a socket" :
                              g_str_equal (target, "/dev/null") ? "/dev/null" :
                              g_str_has_prefix (target, "/dev/pts/") || g_str_has_prefix (target, "/dev/tty")
                                ? "a terminal" :
                              target[0] == '/' ? "a file" : "something without a path");
    }
  if (list->len > 0)
    ll_learn_record_note (record,
                          "the command inherited the file descriptors %s: they were opened "
                          "outside, so Landlock does not restrict what is done with them, and "
                          "nothing about them is recorded", list->str);
}

/* After the command: processes it left behind keep the filter, and would
 * see ENOSYS if nobody answered. A child of ours answers for them,
 * recording nothing, until the last one exits. */
static void
keep_answering (Tracer *tracer)
{
  struct pollfd poll_fd = { tracer->listener, POLLIN, 0 };
  pid_t helper;

  if (poll (&poll_fd, 1, 0) >= 0 && (poll_fd.revents & (POLLHUP | POLLERR)))
    return;                   /* nobody left */

  if (tracer->record != NULL)
    ll_learn_record_note (tracer->record,
                          "processes that the command started were still running when it exited: "
                          "they keep running, traced no more, and what they did afterwards is not "
                          "in the policy (under the sandbox they are restricted like the command)");
  helper = fork ();
  if (helper != 0)
    return;                   /* the parent goes on; if fork failed, they get ENOSYS */

  {
    int null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);

    if (null_fd >= 0)
      {
        dup2 (null_fd, STDIN_FILENO);
        dup2 (null_fd, STDOUT_FILENO);
        dup2 (null_fd, STDERR_FILENO);
      }
  }
  tracer->record = NULL;
  for (;;)
    {
      poll_fd.revents = 0;
      if (poll (&poll_fd, 1, -1) < 0 && errno != EINTR)
        break;
      if (poll_fd.revents & POLLIN)
        handle_one (tracer);
      else if (poll_fd.revents & (POLLHUP | POLLERR))
        break;
    }
  _exit (0);
}

gboolean
ll_learn_trace_run (char          **command,
                    LlLearnRecord  *record,
                    int            *out_wait_status,
                    int            *out_exec_errno,
                    GError        **error)
{
#ifndef LEARN_AUDIT_ARCH
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS,
               "learning is not supported on this architecture (landlock-run knows the system "
               "calls of x86-64 and aarch64)");
  return FALSE;
#else
  Tracer tracer = { -1, getpid (), 0, record, NULL, NULL, NULL, NULL, NULL };
  Program program;
  sigset_t forwarded, original_mask;
  int from_child[2], to_child[2], signal_fd, exec_errno = 0;
  gboolean reaped = FALSE, hung_up = FALSE;
  int wait_status = 0;

  build_filter (&program);
  note_inherited_fds (record);

  /* Signals are read from a signalfd: SIGCHLD to reap, the others to pass
   * on to the command. */
  sigemptyset (&forwarded);
  sigaddset (&forwarded, SIGCHLD);
  sigaddset (&forwarded, SIGINT);
  sigaddset (&forwarded, SIGTERM);
  sigaddset (&forwarded, SIGHUP);
  sigaddset (&forwarded, SIGQUIT);
  sigprocmask (SIG_BLOCK, &forwarded, &original_mask);
  signal_fd = signalfd (-1, &forwarded, SFD_CLOEXEC);

  /* Orphans of the command come to us, so that they stay in the tree. */
  prctl (PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);

  /* from_child: the listener's number, then the errno if exec fails
   * (close-on-exec, so a successful exec says nothing). to_child: go. */
  if (pipe2 (from_child, O_CLOEXEC) < 0 || pipe2 (to_child, O_CLOEXEC) < 0)
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot start the command: %s", g_strerror (errsv));
      return FALSE;
    }

  tracer.command = fork ();
  if (tracer.command < 0)
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot start the command: fork: %s", g_strerror (errsv));
      return FALSE;
    }
  if (tracer.command == 0)
    {
      close (from_child[0]);
      close (to_child[1]);
      if (signal_fd >= 0)
        close (signal_fd);
      run_child (command, from_child[1], to_child[0], &original_mask, &program);
    }

  close (from_child[1]);
  close (to_child[0]);
  tracer.listener = take_listener (tracer.command, from_child[0], to_child[1]);
  close (to_child[1]);
  if (tracer.listener < 0)
    {
      kill (tracer.command, SIGKILL);
      while (waitpid (tracer.command, NULL, 0) < 0 && errno == EINTR)
        ;
      close (from_child[0]);
      sigprocmask (SIG_SETMASK, &original_mask, NULL);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS,
                   "seccomp user notification is unavailable here (%s): learning needs "
                   "Linux 5.6 or later with seccomp filters allowed, and pidfd_getfd() "
                   "allowed on this process's children", g_strerror (-tracer.listener));
      return FALSE;
    }

  /* Older kernels refuse it (EINVAL, ENOTTY): they wake up the usual way. */
  ioctl (tracer.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);

  tracer.tasks = g_hash_table_new_full (NULL, NULL, NULL, task_free);
  tracer.proc_fds = g_queue_new ();
  tracer.traced = g_hash_table_new (NULL, NULL);
  tracer.created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tracer.abstract_bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (!reaped)
    {
      /* Once nobody uses the filter, the listener says so (POLLHUP) at
       * every poll: only the command's SIGCHLD is waited for then. */
      struct pollfd fds[2] = {
        { hung_up ? -1 : tracer.listener, POLLIN, 0 },
        { signal_fd, POLLIN, 0 },
      };

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[0].revents & POLLIN)
        handle_one (&tracer);
      else if (fds[0].revents & (POLLHUP | POLLERR))
        hung_up = TRUE;
      if (fds[1].revents & POLLIN)
        {
          struct signalfd_siginfo info;
          pid_t pid;

          if (read (signal_fd, &info, sizeof info) != sizeof info)
            continue;
          if (info.ssi_signo != SIGCHLD)
            {
              /* A terminal sends SIGINT and SIGQUIT to the command as well
               * (same process group): pass on only what was sent to us. */
              if (info.ssi_code == SI_USER || info.ssi_code == SI_QUEUE ||
                  info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP)
                kill (tracer.command, (int) info.ssi_signo);
              continue;
            }
          while ((pid = waitpid (-1, &wait_status, WNOHANG)) > 0)
            if (pid == tracer.command)
              {
                reaped = TRUE;
                break;
              }
        }
    }

  if (!read_int (from_child[0], &exec_errno))
    exec_errno = 0;
  close (from_child[0]);

  /* A task leaves the filter when it is reaped: orphans that died are
   * reaped now, so that only the living keep it. */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;

  keep_answering (&tracer);
  close (tracer.listener);
  if (signal_fd >= 0)
    close (signal_fd);
  prctl (PR_SET_CHILD_SUBREAPER, 0L, 0L, 0L, 0L);
  sigprocmask (SIG_SETMASK, &original_mask, NULL);

  g_queue_free (tracer.proc_fds);
  g_hash_table_unref (tracer.tasks);
  g_hash_table_unref (tracer.traced);
  g_hash_table_unref (tracer.created);
  g_hash_table_unref (tracer.abstract_bound);

  *out_exec_errno = exec_errno;
  *out_wait_status = wait_status;
  return TRUE;
#endif
}
