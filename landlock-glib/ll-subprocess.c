/* ll-subprocess.c: sandboxed child processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A ruleset applied to a child rather than to this process: prepared here
 * (_ll_ruleset_prepare(), ll-ruleset-apply.c), its fd moved out of the way
 * of GLib's dup2() calls, and restricted with in the child between fork
 * and exec, where only async-signal-safe calls are allowed. Through a
 * GSubprocessLauncher (ll_ruleset_apply_to_launcher()) or
 * ll_ruleset_spawnv(). The parent is never restricted, and the ruleset
 * stays reusable.
 */

#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "ll-ruleset-private.h"
#include "ll-subprocess.h"
#include "ll-sys-private.h"

/**
 * SECTION:ll-subprocess
 * @Title: Sandboxed child processes
 * @Short_description: run a helper process in a Landlock sandbox
 *
 * Most programs that want a sandbox want it for a helper: a thumbnailer,
 * a metadata extractor, a parser of untrusted data. These functions start
 * such a helper with #GSubprocess, restricted by an #LlRuleset from its
 * first instruction, while the calling process stays unrestricted. The
 * chapter [Sandboxing a helper process][child-processes] has complete
 * examples in C, Python, JavaScript and Vala, each the core of an example
 * program that the test suite runs, and how to find what a helper needs.
 *
 * In C:
 *
 * |[<!-- language="C" -->
 * const char * const argv[] = { "/usr/bin/gdk-pixbuf-thumbnailer", input, output, NULL };
 * g_autoptr(GError) error = NULL;
 * g_autoptr(GSubprocess) child = ll_ruleset_spawnv (ruleset, argv, G_SUBPROCESS_FLAGS_NONE, &error);
 * ]|
 *
 * In Python, with the overrides (paths as arguments):
 *
 * |[<!-- language="Python" -->
 * child = ruleset.spawn("/usr/bin/gdk-pixbuf-thumbnailer", input_path, output)
 * ]|
 *
 * In JavaScript (GJS), every process the launcher starts is sandboxed:
 *
 * |[<!-- language="JavaScript" -->
 * const launcher = new Gio.SubprocessLauncher({flags: Gio.SubprocessFlags.NONE});
 * ruleset.apply_to_launcher(launcher);
 * const child = launcher.spawnv(['/usr/bin/gdk-pixbuf-thumbnailer', input, output]);
 * ]|
 *
 * In Vala:
 *
 * |[<!-- language="Vala" -->
 * var child = ruleset.spawnv ({ "/usr/bin/gdk-pixbuf-thumbnailer", input, output }, SubprocessFlags.NONE);
 * ]|
 *
 * Here `ruleset` is a strict #LlRuleset (the default) that grants what the
 * helper needs, and `input` and `output` are absolute paths, as every path
 * in a ruleset for a child must be. Each call throws, or
 * returns %NULL with the #GError set in C, when the sandbox cannot be set
 * up: a strict ruleset on a kernel without Landlock never starts the
 * helper unsandboxed.
 *
 * Everything that can fail or allocate happens in the parent: the ABI
 * checks, the opening of every rule's path, the creation and filling of
 * the ruleset. Between fork() and exec() the child only sets
 * no_new_privs and calls `landlock_restrict_self(2)`, which are
 * async-signal-safe. The ruleset descriptor is close-on-exec, so the
 * executed program never sees it.
 *
 * A forked child has a single thread, so the threads of the parent never
 * make the child's sandbox partial: this is the way to get
 * %LL_STATUS_FULLY_ENFORCED from a multi-threaded program on a kernel
 * older than ABI 8. Spawning sets #LlRuleset:status to what the children
 * get (%LL_STATUS_FULLY_ENFORCED when everything asked for is enforced),
 * while #LlRuleset:applied stays %FALSE: the calling process is not
 * restricted.
 */

/* The lowest number the ruleset fd gets for children (see
 * ll_ruleset_apply_to_launcher()); below the 1024 descriptors that the
 * usual soft limit allows, so that it fits, and above any that a program
 * names in g_subprocess_launcher_take_fd() in practice. */
#define CHILD_RULESET_FD_MIN 900

/* Lives as long as the launcher's child setup: it owns the ruleset fd that
 * every child spawned by the launcher restricts itself with. */
typedef struct
{
  int ruleset_fd;
  guint32 restrict_flags;
} ChildSetup;

static void
child_setup_free (gpointer data)
{
  ChildSetup *setup = data;

  if (setup->ruleset_fd >= 0)
    close (setup->ruleset_fd);
  g_free (setup);
}

/* Runs in the child between fork() and exec(): async-signal-safe calls
 * only, no allocation, no GLib. */
static void
child_setup_restrict (gpointer data)
{
  static const char message[] =
    "landlock-glib: the child process could not restrict itself with Landlock; "
    "it exits instead of running unsandboxed\n";
  ChildSetup *setup = data;

  if (setup->ruleset_fd < 0)
    return;

  /* From ABI 11 restricting sets no_new_privs itself. */
  if (((setup->restrict_flags & LL_RESTRICT_FLAGS_NO_NEW_PRIVS) == 0 &&
       _ll_sys_set_no_new_privs () < 0) ||
      _ll_sys_restrict_self (setup->ruleset_fd, setup->restrict_flags) < 0)
    {
      G_GNUC_UNUSED ssize_t written = write (STDERR_FILENO, message, sizeof message - 1);
      _exit (LL_CHILD_SETUP_FAILED);
    }
}

/**
 * ll_ruleset_apply_to_launcher:
 * @self: an #LlRuleset
 * @launcher: a #GSubprocessLauncher
 * @error: return location for a #GError, or %NULL
 *
 * Makes every process that @launcher spawns from now on start restricted
 * by @self. The calling process is not restricted, and @self can still be
 * changed and applied again afterwards; changes do not affect @launcher.
 *
 * The ruleset is checked and built now, in the calling process: the
 * errors of ll_ruleset_apply() are reported here, and
 * #LlRuleset:status and #LlRuleset:status-reason say what the children
 * will get. Should restricting fail in a child anyway, it exits with
 * %LL_CHILD_SETUP_FAILED instead of running its program.
 *
 * **A best-effort ruleset on a kernel without Landlock succeeds here and
 * the children run unsandboxed**: #LlRuleset:status is then
 * %LL_STATUS_NOT_ENFORCED, which only the caller can see. Check it before
 * spawning anything that must not run unsandboxed, or keep the ruleset
 * strict (the default), which fails instead.
 *
 * The rules are resolved here, in the calling process, which cannot name
 * the child: a relative path (it would resolve against this process's
 * working directory, not the one g_subprocess_launcher_set_cwd() gives
 * the child) and a path that names this process (`/proc/self`,
 * `/proc/thread-self`, `/dev/fd`, `/dev/stdin` and the like, or
 * `/proc/` followed by this process's id, also through a link) are
 * refused with %LL_ERROR_PATH.
 *
 * This sets the child setup function of @launcher, replacing any other
 * (g_subprocess_launcher_set_child_setup() is not available to bindings,
 * so this works from every language).
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
ll_ruleset_apply_to_launcher (LlRuleset            *self,
                              GSubprocessLauncher  *launcher,
                              GError              **error)
{
  g_auto(LlPrepared) prepared = LL_PREPARED_INIT;
  ChildSetup *setup;

  g_return_val_if_fail (LL_IS_RULESET (self), FALSE);
  g_return_val_if_fail (G_IS_SUBPROCESS_LAUNCHER (launcher), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_ll_ruleset_prepare (self, &prepared, TRUE, error))
    return FALSE;

  /* GLib maps the child's stdin, stdout, stderr and take_fd() targets
   * with dup2() before it runs the child setup: a ruleset fd with one of
   * those numbers (0 in a parent started with stdin closed, or whatever
   * number a caller passes to take_fd()) would be replaced, and every
   * child would fail. Far above the numbers programs use, it is not. */
  if (prepared.ruleset_fd >= 0 && prepared.ruleset_fd < CHILD_RULESET_FD_MIN)
    {
      int high = fcntl (prepared.ruleset_fd, F_DUPFD_CLOEXEC, CHILD_RULESET_FD_MIN);

      if (high < 0)
        high = fcntl (prepared.ruleset_fd, F_DUPFD_CLOEXEC, 3);
      if (high >= 0)
        {
          close (prepared.ruleset_fd);
          prepared.ruleset_fd = high;
        }
    }

  setup = g_new0 (ChildSetup, 1);
  setup->ruleset_fd = g_steal_fd (&prepared.ruleset_fd);
  setup->restrict_flags = prepared.restrict_flags;
  g_subprocess_launcher_set_child_setup (launcher, child_setup_restrict, setup, child_setup_free);

  _ll_ruleset_set_status (self, &prepared, FALSE);
  return TRUE;
}

/**
 * ll_ruleset_spawnv:
 * @self: an #LlRuleset
 * @argv: (array zero-terminated=1) (element-type filename): the command
 *   line of the program to run
 * @flags: flags for the new #GSubprocess
 * @error: return location for a #GError, or %NULL
 *
 * Starts a program restricted by @self, as g_subprocess_newv() would
 * start it. See ll_ruleset_apply_to_launcher().
 *
 * **With a best-effort ruleset on a kernel without Landlock, the program
 * starts unsandboxed** and the only sign is #LlRuleset:status,
 * %LL_STATUS_NOT_ENFORCED: check it, or keep the ruleset strict.
 *
 * Returns: (transfer full): the new #GSubprocess, or %NULL with @error set
 *
 * Since: 1.0
 */
GSubprocess *
ll_ruleset_spawnv (LlRuleset          *self,
                   const char * const *argv,
                   GSubprocessFlags    flags,
                   GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  g_return_val_if_fail (LL_IS_RULESET (self), NULL);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  launcher = g_subprocess_launcher_new (flags);
  if (!ll_ruleset_apply_to_launcher (self, launcher, error))
    return NULL;
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

/**
 * ll_ruleset_spawn: (skip)
 * @self: an #LlRuleset
 * @flags: flags for the new #GSubprocess
 * @error: return location for a #GError, or %NULL
 * @argv0: the program to run
 * @...: its arguments, then %NULL
 *
 * Like ll_ruleset_spawnv(), with the command line as arguments.
 *
 * Returns: (transfer full): the new #GSubprocess, or %NULL with @error set
 *
 * Since: 1.0
 */
GSubprocess *
ll_ruleset_spawn (LlRuleset         *self,
                  GSubprocessFlags   flags,
                  GError           **error,
                  const char        *argv0,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_return_val_if_fail (argv0 != NULL, NULL);

  g_ptr_array_add (args, (char *) argv0);
  va_start (ap, argv0);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return ll_ruleset_spawnv (self, (const char * const *) args->pdata, flags, error);
}
