/* ll-learn-calls.h: what the tracer and the decoding of each call share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private to ll-learn-trace.c (the seccomp plumbing) and ll-learn-calls.c
 * (what each reported system call needs, as Landlock checks it).
 */

#pragma once

#include <linux/seccomp.h>
#include <sys/syscall.h>

#include <glib.h>

#include "ll-learn-record.h"
#include "ll-learn-resolve.h"

G_BEGIN_DECLS

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

/* The system calls the filter reports, with what to leave to the filter. */
typedef enum
{
  LL_LEARN_SKIP_NONE,
  LL_LEARN_SKIP_O_PATH,            /* argument N holds open flags: O_PATH opens are not checked */
  LL_LEARN_SKIP_NO_ADDRESS,        /* sendto() without an address: nothing new is reached */
  LL_LEARN_SKIP_HARMLESS_IOCTL,    /* ioctl commands Landlock always allows */
} LlLearnSkip;

typedef struct
{
  long nr;
  const char *name;
  LlLearnSkip skip;
  guint skip_arg;
} LlLearnIntercepted;

/* The tracer's state: ll-learn-trace.c owns it. */
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
  GHashTable *bound_udp;      /* UDP ports they bound with bind() */
  guint ephemeral_low;        /* the kernel's ip_local_port_range */
  guint ephemeral_high;
} LlLearnTracer;

/* One thing to record, held until the notification is known to be valid. */
typedef enum
{
  LL_LEARN_EFFECT_FS,
  LL_LEARN_EFFECT_CREATED,
  LL_LEARN_EFFECT_NET,
  LL_LEARN_EFFECT_SCOPE,
  LL_LEARN_EFFECT_MOVE,
  LL_LEARN_EFFECT_ABSTRACT_BOUND,
} LlLearnEffectType;

typedef struct
{
  LlLearnEffectType type;
  char *path;                 /* FS, CREATED, MOVE (from), ABSTRACT_BOUND (name) */
  char *other;                /* MOVE (to), SCOPE (target) */
  guint64 access;
  LlLearnKind kind;
  gboolean is_new;            /* FS: @path is being made by this call */
  gboolean via_fd;
  guint port;
  gboolean to_peer;           /* NET: a UDP reply to a peer's temporary port */
} LlLearnEffect;

typedef struct
{
  LlLearnTracer *tracer;
  LlLearnTask task;
  const struct seccomp_notif *request;
  const char *operation;
  const char *program;        /* read before the call, which may be an exec */
  gboolean execs;             /* the task becomes another program */
  GArray *effects;
  int refuse_errno;           /* not 0: answer with this error instead of going on */
} LlLearnCall;

/* The reported calls, in the order the filter tests them. */
extern const LlLearnIntercepted ll_learn_intercepted[];
extern const gsize ll_learn_n_intercepted;

/* Landlock's always-allowed ioctl commands; the first
 * LL_LEARN_N_FILTERED_IOCTLS are left alone by the filter itself. */
extern const unsigned long ll_learn_harmless_ioctls[];
#define LL_LEARN_N_FILTERED_IOCTLS 4



/* Whether @pid belongs to the traced tree (ll-learn-trace.c). */
gboolean    ll_learn_tracer_is_in_tree (LlLearnTracer *tracer,
                                        pid_t          pid);

/* Fills @call's effects (or refuse_errno) from its request
 * (ll-learn-calls.c). */
void        ll_learn_call_decode       (LlLearnCall   *call);
const char *ll_learn_syscall_name      (long           nr);
void        ll_learn_effect_clear      (gpointer       data);

G_END_DECLS
