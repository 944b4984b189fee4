/* ll-learn-trace.h: run a command unsandboxed, and see what Landlock would check
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The command runs under a seccomp filter that returns
 * SECCOMP_RET_USER_NOTIF for the system calls Landlock can restrict
 * (ll-learn-calls.c lists them, with what each is recorded as), and
 * nothing else. Each such call stops
 * until this process has read its arguments (process_vm_readv()), resolved
 * its paths (ll-learn-resolve.c), checked that the notification is still
 * valid (SECCOMP_IOCTL_NOTIF_ID_VALID) and recorded what the kernel will
 * check; then the call goes on unchanged (SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * Linux 5.5). A filter needs no_new_privs and no privilege, and it is
 * inherited by every thread and process the command starts, across exec.
 *
 * This is a way to watch, not a sandbox: a traced program can change the
 * memory or the file a path names between this look-up and the kernel's
 * (the seccomp documentation calls that a TOCTOU race), and nothing here
 * ever refuses anything but io_uring.
 */

#pragma once

#include <glib.h>

#include "ll-learn-record.h"

G_BEGIN_DECLS

/* Runs @command, traced, until it exits, recording into @record. Returns
 * TRUE once the command was started: with its wait status (waitpid()) in
 * *@out_wait_status, or, if it could not be executed, the errno of
 * execvp() in *@out_exec_errno (0 otherwise). FALSE with @error when
 * tracing is impossible here (G_FILE_ERROR_NOSYS) or the command
 * could not be started. */
gboolean ll_learn_trace_run (char          **command,
                             LlLearnRecord  *record,
                             int            *out_wait_status,
                             int            *out_exec_errno,
                             GError        **error);

G_END_DECLS
