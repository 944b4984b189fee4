/* ll-emulate.c: run a command under an emulated Landlock kernel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   ll-emulate [--abi N | --enosys | --eopnotsupp] [--errata MASK]
 *              [--log FILE] [--continue] -- COMMAND [ARG...]
 *
 * The machines that run the tests have one kernel (ABI 7), yet the library
 * must behave right on every ABI, without Landlock, and with Landlock
 * disabled. This program intercepts the three Landlock system calls of
 * COMMAND (and of everything it starts) with a seccomp filter that returns
 * SECCOMP_RET_USER_NOTIF, and answers them itself, as a kernel of the
 * chosen ABI would (see the kernel's include/uapi/linux/landlock.h,
 * Documentation/userspace-api/landlock.rst section "Kernel interface", and
 * tests/emulator/README.md). Every call and its answer is logged as one
 * JSON object per line, so a test asserts exactly what the library asked.
 *
 * Answers:
 *  - --abi N (1 to 12; 12 stands for a kernel newer than the library and
 *    knows what 11 knows): the version query answers N; the errata query
 *    answers --errata MASK, or EINVAL without --errata (a kernel from before
 *    the errata query). create_ruleset, add_rule and restrict_self are
 *    validated in the kernel's order with ABI N's masks and sizes; what
 *    passes gets a fake success (create_ruleset: a memfd injected into the
 *    caller, whose name records the handled masks so that add_rule can
 *    check against them), nothing is enforced.
 *  - --continue (N <= the running kernel's ABI): what passes the emulated
 *    checks is then run by the real kernel (SECCOMP_USER_NOTIF_FLAG_CONTINUE),
 *    so real enforcement happens under an emulated lower ABI.
 *  - --enosys / --eopnotsupp: every Landlock call fails with that errno (no
 *    Landlock in the kernel / disabled at boot).
 *
 * Exit status: COMMAND's; 128+N if it was killed by signal N; 125 if
 * ll-emulate itself failed (bad usage, no seccomp user notification:
 * callers skip on that); 127 if COMMAND could not be executed.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_CREATE_RULESET 444
#define NR_ADD_RULE       445
#define NR_RESTRICT_SELF  446

#if defined(__x86_64__)
# define EMU_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
# define EMU_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
# error "ll-emulate knows the syscall numbers of x86_64 and aarch64 only"
#endif

#define EXIT_EMU_FAILED 125

/* What the emulated kernel knows, per ABI: the rights and flags of
 * include/uapi/linux/landlock.h, each from the ABI that brought it
 * (landlock.rst, "Landlock ABI versions"), written here independently of
 * the library's copy, landlock-glib/ll-uapi-private.h. */
static uint64_t
fs_mask (int abi)
{
  return abi >= 9 ? 0x1FFFF : abi >= 5 ? 0xFFFF : abi >= 3 ? 0x7FFF : abi >= 2 ? 0x3FFF : 0x1FFF;
}
static uint64_t net_mask (int abi) { return abi >= 10 ? 0xF : abi >= 4 ? 0x3 : 0; }
static uint64_t scope_mask (int abi) { return abi >= 6 ? 0x3 : 0; }
static uint32_t restrict_mask (int abi) { return abi >= 11 ? 0x1F : abi >= 8 ? 0xF : abi >= 7 ? 0x7 : 0; }
static uint32_t rule_flags_mask (int abi) { return abi >= 10 ? 0x1 : 0; }
/* The size of struct landlock_ruleset_attr the kernel of ABI N knows. */
static size_t attr_size (int abi) { return abi >= 10 ? 48 : abi >= 6 ? 24 : abi >= 4 ? 16 : 8; }

#define FILE_RIGHTS (0x1 | 0x2 | 0x4 | 0x4000 | 0x8000 | 0x10000)
#define RULE_QUIET 0x1
#define RESTRICT_LOG_SUBDOMAINS_OFF 0x4
#define RESTRICT_NO_NEW_PRIVS 0x10

static int abi = 7;             /* emulated ABI, or 0 with fail_errno set */
static int fail_errno;          /* ENOSYS or EOPNOTSUPP for every call */
static long errata = -1;        /* -1: the errata query is EINVAL */
static int use_continue;
static FILE *log_file;
static pid_t child_pid;

/* --- The child: filter, hand the listener over, exec ------------------- */

static int
install_filter (void)
{
  struct sock_filter filter[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, EMU_AUDIT_ARCH, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),   /* other ABIs (x32, i386): untouched */
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, NR_CREATE_RULESET, 0, 2),
    BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, NR_RESTRICT_SELF, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };

  /* no_new_privs lets an unprivileged process install a filter; it is
   * inherited by COMMAND, so the library's own prctl() is then a no-op. */
  if (prctl (PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
    return -1;
  return (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                        SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* Sends errno (0 on success) and, on success, the listener fd. */
static void
send_listener (int sock, int listener, int err)
{
  char cbuf[CMSG_SPACE (sizeof (int))] = { 0 };
  struct iovec iov = { &err, sizeof err };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

  if (listener >= 0)
    {
      struct cmsghdr *cmsg;

      msg.msg_control = cbuf;
      msg.msg_controllen = sizeof cbuf;
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (cmsg), &listener, sizeof (int));
    }
  while (sendmsg (sock, &msg, 0) < 0 && errno == EINTR)
    ;
}

static int
recv_listener (int sock, int *err)
{
  char cbuf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { err, sizeof *err };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *cmsg;
  int fd = -1;
  ssize_t n;

  *err = EIO;
  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n != sizeof *err)
    return -1;
  cmsg = CMSG_FIRSTHDR (&msg);
  if (cmsg != NULL && cmsg->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  return fd;
}

/* --- Reading the caller ------------------------------------------------- */

static int
read_mem (pid_t pid, uint64_t addr, void *buf, size_t len)
{
  struct iovec local = { buf, len };
  struct iovec remote = { (void *) (uintptr_t) addr, len };

  return process_vm_readv (pid, &local, 1, &remote, 1, 0) == (ssize_t) len ? 0 : -1;
}

/* no_new_privs or CAP_SYS_ADMIN (bit 21 of CapEff), as restrict_self wants. */
static int
may_restrict (pid_t pid)
{
  char path[64], line[256];
  int nnp = 0, admin = 0;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/status", pid);
  if ((f = fopen (path, "re")) == NULL)
    return 1;
  while (fgets (line, sizeof line, f) != NULL)
    {
      unsigned long long caps;

      if (strncmp (line, "NoNewPrivs:", 11) == 0)
        nnp = atoi (line + 11);
      else if (sscanf (line, "CapEff: %llx", &caps) == 1)
        admin = (caps >> 21) & 1;
    }
  fclose (f);
  return nnp || admin;
}

/* An emulated ruleset is a memfd named after its handled masks: the state
 * travels with the fd (dup, fork) and needs no table here. Returns 0 and the
 * masks, -EBADF if @fd is not open in @pid, -EBADFD if it is no ruleset. */
#define RULESET_NAME "ll-emulate-ruleset"
static int
lookup_ruleset (pid_t pid, int fd, uint64_t *fs, uint64_t *net)
{
  char path[64], target[256];
  ssize_t n;

  snprintf (path, sizeof path, "/proc/%d/fd/%d", pid, fd);
  if (fd < 0 || (n = readlink (path, target, sizeof target - 1)) < 0)
    return -EBADF;
  target[n] = '\0';
  if (sscanf (target, "/memfd:" RULESET_NAME ":%" SCNx64 ":%" SCNx64, fs, net) != 2)
    return -EBADFD;
  return 0;
}

/* --- Logging: one JSON object per call ---------------------------------- */

static char log_line[1024];
static size_t log_len;

static void __attribute__ ((format (printf, 1, 2)))
logf_ (const char *fmt, ...)
{
  va_list args;

  if (log_len >= sizeof log_line)
    return;
  va_start (args, fmt);
  log_len += vsnprintf (log_line + log_len, sizeof log_line - log_len, fmt, args);
  va_end (args);
}

static void
log_answer (long result)
{
  if (log_file != NULL)
    {
      if (result == INT64_MIN)
        fprintf (log_file, "%s,\"continue\":true}\n", log_line);
      else if (result < 0)
        fprintf (log_file, "%s,\"errno\":%ld}\n", log_line, -result);
      else
        fprintf (log_file, "%s,\"result\":%ld}\n", log_line, result);
      fflush (log_file);
    }
  log_len = 0;
}

/* --- The emulated system calls ------------------------------------------ */

#define ANSWER_CONTINUE INT64_MIN   /* let the real kernel run the call */
#define ANSWER_NEW_RULESET (INT64_MIN + 1)

static long
emulate_create_ruleset (pid_t pid, const __u64 *args, uint64_t out[6])
{
  uint64_t attr = args[0], size = args[1];
  uint32_t flags = (uint32_t) args[2];
  unsigned char buf[4096] = { 0 };
  static const char *names[] = { "handled_access_fs", "handled_access_net", "scoped",
                                 "quiet_access_fs", "quiet_access_net", "quiet_scoped" };

  logf_ ("{\"call\":\"create_ruleset\",\"pid\":%d", pid);
  if (flags != 0)
    {
      logf_ (",\"flags\":%" PRIu32, flags);
      if (attr != 0 || size != 0)
        return -EINVAL;
      if (flags == 1)
        return abi;
      if (flags == 2)
        return errata >= 0 ? errata : -EINVAL;
      return -EINVAL;
    }
  logf_ (",\"size\":%" PRIu64 ",\"flags\":0", size);
  /* copy_min_struct_from_user(): NULL, too small, over a page. */
  if (attr == 0)
    return -EFAULT;
  if (size < 8)
    return -EINVAL;
  if (size > sizeof buf)
    return -E2BIG;
  if (read_mem (pid, attr, buf, size) < 0)
    return -EFAULT;
  memcpy (out, buf, 48);
  for (size_t i = 0; i < 6 && (i + 1) * 8 <= size; i++)
    logf_ (",\"%s\":%" PRIu64, names[i], out[i]);
  /* copy_struct_from_user(): bytes this ABI does not know must be zero. */
  for (size_t i = attr_size (abi); i < size; i++)
    if (buf[i] != 0)
      return -E2BIG;
  for (size_t i = attr_size (abi) / 8; i < 6; i++)
    out[i] = 0;
  if ((out[0] & ~fs_mask (abi)) || (out[1] & ~net_mask (abi)) || (out[2] & ~scope_mask (abi)))
    return -EINVAL;
  /* Quiet masks (ABI 10): assumed to be limited to what is handled. */
  if ((out[3] & ~out[0]) || (out[4] & ~out[1]) || (out[5] & ~out[2]))
    return -EINVAL;
  if (out[0] == 0 && out[1] == 0 && out[2] == 0)
    return -ENOMSG;
  return use_continue ? ANSWER_CONTINUE : ANSWER_NEW_RULESET;
}

static long
emulate_add_rule (pid_t pid, const __u64 *args)
{
  int ruleset_fd = (int) args[0];
  uint32_t type = (uint32_t) args[1], flags = (uint32_t) args[3];
  uint64_t handled_fs = fs_mask (abi), handled_net = net_mask (abi);
  uint64_t access = 0, port = 0;
  int32_t parent_fd = -1;
  unsigned char buf[16];
  int err, readable = 0;

  /* Read (and log) the attr first, so that the log shows what was passed
   * even when the call is refused. */
  if (type == 1 && read_mem (pid, args[2], buf, 12) == 0)
    {
      memcpy (&access, buf, 8);
      memcpy (&parent_fd, buf + 8, 4);
      readable = 1;
    }
  else if (type == 2 && read_mem (pid, args[2], buf, 16) == 0)
    {
      memcpy (&access, buf, 8);
      memcpy (&port, buf + 8, 8);
      readable = 1;
    }
  logf_ ("{\"call\":\"add_rule\",\"pid\":%d,\"ruleset_fd\":%d,\"type\":%" PRIu32,
         pid, ruleset_fd, type);
  if (readable && type == 1)
    logf_ (",\"allowed_access\":%" PRIu64 ",\"parent_fd\":%" PRId32, access, parent_fd);
  else if (readable)
    logf_ (",\"allowed_access\":%" PRIu64 ",\"port\":%" PRIu64, access, port);
  logf_ (",\"flags\":%" PRIu32, flags);

  /* The kernel's order: flags, ruleset fd, rule type, attr, rights. */
  if (flags & ~rule_flags_mask (abi))
    return -EINVAL;
  /* With --continue the fd is a real ruleset: the real kernel checks it
   * and its handled masks; here only what ABI N can express is checked. */
  if (!use_continue && (err = lookup_ruleset (pid, ruleset_fd, &handled_fs, &handled_net)) < 0)
    return err;
  if (type != 1 && !(type == 2 && abi >= 4))
    return -EINVAL;     /* unknown rule type (net rules before ABI 4) */
  if (!readable)
    return -EFAULT;
  if (access == 0 && !(flags & RULE_QUIET))
    return -ENOMSG;
  if (access & ~(type == 1 ? handled_fs : handled_net))
    return -EINVAL;
  if (type == 1)
    {
      char path[64];
      struct stat st;

      snprintf (path, sizeof path, "/proc/%d/fd/%d", pid, parent_fd);
      if (parent_fd < 0 || stat (path, &st) < 0)
        return -EBADF;
      /* Directory-only rights on anything else. */
      if (!S_ISDIR (st.st_mode) && (access & ~(uint64_t) FILE_RIGHTS))
        return -EINVAL;
    }
  else if (port > 65535)
    return -EINVAL;
  return use_continue ? ANSWER_CONTINUE : 0;
}

static long
emulate_restrict_self (pid_t pid, const __u64 *args)
{
  int ruleset_fd = (int) args[0];
  uint32_t flags = (uint32_t) args[1];
  uint64_t fs, net;
  int err;

  logf_ ("{\"call\":\"restrict_self\",\"pid\":%d,\"fd\":%d,\"flags\":%" PRIu32,
         pid, ruleset_fd, flags);
  /* From ABI 11 the caller may ask the kernel to set no_new_privs itself
   * (which a fake success cannot do: only the log says it was asked). */
  if (!((flags & RESTRICT_NO_NEW_PRIVS) && abi >= 11) && !may_restrict (pid))
    return -EPERM;
  if (flags & ~restrict_mask (abi))
    return -EINVAL;
  if (ruleset_fd == -1 && flags == RESTRICT_LOG_SUBDOMAINS_OFF)
    return use_continue ? ANSWER_CONTINUE : 0;
  if (!use_continue && (err = lookup_ruleset (pid, ruleset_fd, &fs, &net)) < 0)
    return err;
  return use_continue ? ANSWER_CONTINUE : 0;
}

/* --- The supervisor ----------------------------------------------------- */

static int
inject_ruleset (int listener, uint64_t id, const uint64_t attr[6])
{
  struct seccomp_notif_addfd addfd = { 0 };
  char name[128];
  int memfd, result;

  snprintf (name, sizeof name, RULESET_NAME ":%" PRIx64 ":%" PRIx64 ":%" PRIx64,
            attr[0], attr[1], attr[2]);
  memfd = (int) syscall (SYS_memfd_create, name, MFD_CLOEXEC);
  if (memfd < 0)
    return -errno;
  addfd.id = id;
  addfd.flags = SECCOMP_ADDFD_FLAG_SEND;   /* adds the fd and answers with its number */
  addfd.srcfd = (uint32_t) memfd;
  addfd.newfd_flags = O_CLOEXEC;            /* like a real ruleset fd */
  result = ioctl (listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
  if (result < 0)
    result = -errno;
  close (memfd);
  return result;
}

static void
handle (int listener)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  uint64_t attr[6] = { 0 };
  long answer;

  memset (&req, 0, sizeof req);   /* the kernel insists on a zeroed struct */
  if (ioctl (listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
    return;                       /* EINTR, or the caller died (ENOENT) */

  if (fail_errno != 0)
    {
      logf_ ("{\"call\":\"%s\",\"pid\":%d",
             req.data.nr == NR_CREATE_RULESET ? "create_ruleset" :
             req.data.nr == NR_ADD_RULE ? "add_rule" : "restrict_self", req.pid);
      if (req.data.nr == NR_CREATE_RULESET)
        logf_ (",\"flags\":%" PRIu64, (uint64_t) (uint32_t) req.data.args[2]);
      answer = -fail_errno;
    }
  else if (req.data.nr == NR_CREATE_RULESET)
    answer = emulate_create_ruleset (req.pid, req.data.args, attr);
  else if (req.data.nr == NR_ADD_RULE)
    answer = emulate_add_rule (req.pid, req.data.args);
  else
    answer = emulate_restrict_self (req.pid, req.data.args);

  /* The caller may have died and its pid been reused while we read its
   * memory: only answer for what is still the same notification. */
  if (ioctl (listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) < 0)
    {
      log_len = 0;
      return;
    }

  if (answer == ANSWER_NEW_RULESET)
    {
      answer = inject_ruleset (listener, req.id, attr);
      log_answer (answer);
      if (answer >= 0)
        return;                   /* ADDFD_FLAG_SEND already answered */
    }
  else
    log_answer (answer);

  memset (&resp, 0, sizeof resp);
  resp.id = req.id;
  if (answer == ANSWER_CONTINUE)
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  else if (answer < 0)
    resp.error = (int32_t) answer;
  else
    resp.val = answer;
  ioctl (listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void
forward_signal (int sig)
{
  if (child_pid > 0)
    kill (child_pid, sig);
}

static int __attribute__ ((noreturn))
usage (const char *problem)
{
  fprintf (stderr, "ll-emulate: %s\n"
           "usage: ll-emulate [--abi N | --enosys | --eopnotsupp] [--errata MASK]\n"
           "                  [--log FILE|-] [--continue] -- COMMAND [ARG...]\n", problem);
  exit (EXIT_EMU_FAILED);
}

int
main (int argc, char **argv)
{
  int sv[2], listener, err, pidfd, status = 0, reaped = 0, i;

  for (i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      const char *next = i + 1 < argc ? argv[i + 1] : NULL;

      if (strcmp (argv[i], "--abi") == 0 && next != NULL)
        abi = atoi (argv[++i]);
      else if (strcmp (argv[i], "--enosys") == 0)
        fail_errno = ENOSYS;
      else if (strcmp (argv[i], "--eopnotsupp") == 0)
        fail_errno = EOPNOTSUPP;
      else if (strcmp (argv[i], "--errata") == 0 && next != NULL)
        errata = strtol (argv[++i], NULL, 0);
      else if (strcmp (argv[i], "--continue") == 0)
        use_continue = 1;
      else if (strcmp (argv[i], "--log") == 0 && next != NULL)
        {
          i++;
          log_file = strcmp (argv[i], "-") == 0 ? stderr : fopen (argv[i], "we");
          if (log_file == NULL)
            usage ("cannot open the log file");
        }
      else
        usage ("unknown option");
    }
  if (i + 1 >= argc)
    usage ("no command given");
  if (abi < 1 || abi > 12)
    usage ("--abi must be between 1 and 12");
  if (use_continue)
    {
      long real = syscall (NR_CREATE_RULESET, NULL, 0, 1);

      if (fail_errno != 0 || real < abi)
        usage ("--continue needs a real Landlock ABI at least as high as --abi");
    }

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    usage ("socketpair failed");
  child_pid = fork ();
  if (child_pid < 0)
    usage ("fork failed");
  if (child_pid == 0)
    {
      close (sv[0]);
      listener = install_filter ();
      send_listener (sv[1], listener, listener < 0 ? errno : 0);
      if (listener < 0)
        _exit (EXIT_EMU_FAILED);
      close (listener);
      close (sv[1]);
      execvp (argv[i + 1], argv + i + 1);
      fprintf (stderr, "ll-emulate: cannot run %s: %s\n", argv[i + 1], strerror (errno));
      _exit (127);
    }

  close (sv[1]);
  listener = recv_listener (sv[0], &err);
  close (sv[0]);
  if (listener < 0)
    {
      fprintf (stderr, "ll-emulate: seccomp user notification is unavailable: %s\n",
               strerror (err));
      waitpid (child_pid, NULL, 0);
      return EXIT_EMU_FAILED;
    }

  signal (SIGINT, forward_signal);
  signal (SIGTERM, forward_signal);
  signal (SIGHUP, forward_signal);
  /* A pidfd tells when COMMAND itself exits, even if something it started
   * keeps the filter (and the listener) alive. */
  pidfd = (int) syscall (SYS_pidfd_open, child_pid, 0);
  for (int hup = 0; !reaped;)
    {
      struct pollfd fds[2] = { { hup ? -1 : listener, POLLIN, 0 }, { pidfd, POLLIN, 0 } };

      /* Without pidfd_open() (Linux < 5.3), poll waitpid() every 100 ms. */
      if (poll (fds, 2, pidfd >= 0 ? -1 : 100) < 0 && errno != EINTR)
        break;                    /* cannot happen; wait for COMMAND below */
      if (fds[0].revents & POLLIN)
        handle (listener);
      else if (fds[0].revents & (POLLHUP | POLLERR))
        hup = 1;                  /* nobody uses the filter any more */
      if (pidfd < 0 || (fds[1].revents & POLLIN))
        {
          pid_t got;

          do
            got = waitpid (child_pid, &status, pidfd >= 0 ? 0 : WNOHANG);
          while (got < 0 && errno == EINTR);
          reaped = got == child_pid;
        }
    }
  while (!reaped && waitpid (child_pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (log_file != NULL && log_file != stderr)
    fclose (log_file);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}
