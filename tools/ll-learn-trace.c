/* ll-learn-trace.c: run a command unsandboxed, and see what Landlock would check
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The plumbing of seccomp user notification: the filter (built from the
 * table of ll-learn-calls.c), the child that installs it and hands its
 * listener over, the loop that receives each reported call, has it
 * decoded (ll-learn-calls.c), checks it is still valid, records it and
 * lets it go on, what is known of each traced task, and the answering
 * for processes left behind.
 */

#include "ll-learn-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
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
#include <sys/wait.h>
#include <unistd.h>

#include <landlock-glib/landlock-glib.h>

#include "ll-learn-calls.h"
#include "ll-learn-resolve.h"

#if defined(__x86_64__)
# define LEARN_AUDIT_ARCH AUDIT_ARCH_X86_64
# define LEARN_X32_BIT 0x40000000
#elif defined(__aarch64__)
# define LEARN_AUDIT_ARCH AUDIT_ARCH_AARCH64
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

typedef struct
{
  pid_t tid;
  pid_t tgid;
  const char *program;        /* interned: few, and named in every record */
  int proc_fd;                /* on /proc/TID, for the most recent tasks only */
} Task;

/* How many tasks keep an fd on their /proc directory. */
#define MAX_PROC_FDS 64

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
forget_task (LlLearnTracer *tracer,
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
open_proc_fd (LlLearnTracer *tracer,
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
lookup_task (LlLearnTracer *tracer,
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

/* The ports the kernel picks from when a socket binds to port 0. */
static void
read_ephemeral_ports (LlLearnTracer *tracer)
{
  g_autofree char *range = NULL;

  tracer->ephemeral_low = 32768;    /* Linux's default */
  tracer->ephemeral_high = 60999;
  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    sscanf (range, "%u %u", &tracer->ephemeral_low, &tracer->ephemeral_high);
}

/* Whether @pid belongs to the traced tree: the command, what it started,
 * and what was left to this process, its subreaper, when a parent died. */
gboolean
ll_learn_tracer_is_in_tree (LlLearnTracer *tracer,
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

/* Classifying paths beneath /proc/PID: rules can only name a process
 * that exists when the sandbox is made. */
static LlLearnProc
classify_proc (LlLearnTracer            *tracer,
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

  if (!ll_learn_tracer_is_in_tree (tracer, owner))
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
created_beneath (LlLearnTracer     *tracer,
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
commit (LlLearnCall *call)
{
  LlLearnTracer *tracer = call->tracer;
  LlLearnRecord *record = tracer->record;
  const char *program = call->program;

  for (guint i = 0; i < call->effects->len; i++)
    {
      const LlLearnEffect *effect = &g_array_index (call->effects, LlLearnEffect, i);

      switch (effect->type)
        {
        case LL_LEARN_EFFECT_FS:
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
        case LL_LEARN_EFFECT_NET:
          ll_learn_record_net (record, effect->port, effect->access, effect->to_peer, program,
                               call->operation, 1);
          break;
        case LL_LEARN_EFFECT_SCOPE:
          ll_learn_record_scope (record, effect->access, effect->other, program, call->operation, 1);
          break;
        case LL_LEARN_EFFECT_MOVE:
          {
            g_autofree char *from = created_beneath (tracer, effect->path, FALSE);
            g_autofree char *to = created_beneath (tracer, effect->other, FALSE);

            ll_learn_record_move (record, from != NULL ? from : effect->path,
                                  to != NULL ? to : effect->other,
                                  effect->kind == LL_LEARN_KIND_DIR, program, call->operation, 1);
          }
          break;
        case LL_LEARN_EFFECT_CREATED:
        case LL_LEARN_EFFECT_ABSTRACT_BOUND:
        default:
          break;
        }
    }

  /* What this call made counts from the next one on. */
  for (guint i = 0; i < call->effects->len; i++)
    {
      const LlLearnEffect *effect = &g_array_index (call->effects, LlLearnEffect, i);

      if (effect->type == LL_LEARN_EFFECT_CREATED)
        g_hash_table_add (tracer->created, g_strdup (effect->path));
      else if (effect->type == LL_LEARN_EFFECT_ABSTRACT_BOUND)
        g_hash_table_add (tracer->abstract_bound, g_strdup (effect->path));
      else if (effect->type == LL_LEARN_EFFECT_NET && (effect->access & LL_ACCESS_NET_BIND_UDP) &&
               effect->port != 0)
        g_hash_table_add (tracer->bound_udp, GUINT_TO_POINTER (effect->port));
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
handle_one (LlLearnTracer *tracer)
{
  struct seccomp_notif request;
  g_autoptr(GArray) effects = NULL;
  const Task *task;
  LlLearnCall call;

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

  effects = g_array_new (FALSE, TRUE, sizeof (LlLearnEffect));
  g_array_set_clear_func (effects, ll_learn_effect_clear);
  call.tracer = tracer;
  call.task.tid = (pid_t) request.pid;
  task = lookup_task (tracer, call.task.tid);
  call.task.tgid = task->tgid;
  call.task.proc_fd = task->proc_fd;
  call.program = task->program;
  call.request = &request;
  call.operation = ll_learn_syscall_name (request.data.nr);
  call.effects = effects;
  call.refuse_errno = 0;
  call.execs = FALSE;

  if (tracer->record != NULL || request.data.nr == SYS_io_uring_setup)
    ll_learn_call_decode (&call);
  /* Who does what next is read afresh (the program's name was read
   * before: an interned string, which stays). */
  if (call.execs)
    {
      forget_task (tracer, call.task.tid);
      forget_task (tracer, call.task.tgid);
    }

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

  for (gsize i = 0; i < ll_learn_n_intercepted; i++)
    {
      const LlLearnIntercepted *call = &ll_learn_intercepted[i];

      switch (call->skip)
        {
        case LL_LEARN_SKIP_O_PATH:
          emit (program, equal, (guint32) call->nr, 0, 4);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          emit (program, BPF_JMP | BPF_JSET | BPF_K, O_PATH, 0, 1);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          break;
        case LL_LEARN_SKIP_NO_ADDRESS:
          emit (program, equal, (guint32) call->nr, 0, 6);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          emit (program, equal, 0, 0, 3);
          emit (program, load, argument_offset (call->skip_arg, TRUE), 0, 0);
          emit (program, equal, 0, 0, 1);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          break;
        case LL_LEARN_SKIP_HARMLESS_IOCTL:
          emit (program, equal, (guint32) call->nr, 0, 2 + LL_LEARN_N_FILTERED_IOCTLS + 1);
          emit (program, load, argument_offset (call->skip_arg, FALSE), 0, 0);
          for (guint c = 0; c < LL_LEARN_N_FILTERED_IOCTLS; c++)
            emit (program, equal, (guint32) ll_learn_harmless_ioctls[c], LL_LEARN_N_FILTERED_IOCTLS - c, 0);
          emit (program, ret, SECCOMP_RET_USER_NOTIF, 0, 0);
          emit (program, ret, SECCOMP_RET_ALLOW, 0, 0);
          break;
        case LL_LEARN_SKIP_NONE:
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
keep_answering (LlLearnTracer *tracer)
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
  LlLearnTracer tracer = { -1, getpid (), 0, record, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 };
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
  tracer.bound_udp = g_hash_table_new (NULL, NULL);
  read_ephemeral_ports (&tracer);

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
  g_hash_table_unref (tracer.bound_udp);

  *out_exec_errno = exec_errno;
  *out_wait_status = wait_status;
  return TRUE;
#endif
}
