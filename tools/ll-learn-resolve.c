/* ll-learn-resolve.c: the path the kernel will check, seen from outside
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ll-learn-resolve.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* As the kernel's MAXSYMLINKS: more links in one look-up is ELOOP. */
#define MAX_SYMLINKS 40
/* As the kernel's BINPRM_MAX_RECURSION: scripts run by scripts. */
#define MAX_INTERPRETER_DEPTH 4

#define DELETED_SUFFIX " (deleted)"

static char *
read_link (const char *path)
{
  char buffer[PATH_MAX + 1];
  ssize_t length = readlink (path, buffer, sizeof buffer - 1);

  if (length < 0 || length >= (ssize_t) sizeof buffer - 1)
    return NULL;
  buffer[length] = '\0';
  return g_strdup (buffer);
}

static gboolean
is_a_path (const char *target)
{
  return target != NULL && target[0] == '/' && !g_str_has_suffix (target, DELETED_SUFFIX);
}

/* What a /proc magic link (cwd, fd/N) says: a path, or a name such as
 * "pipe:[1234]" or "/tmp/x (deleted)" for what has none. */
static char *
magic_link_path (const char *link)
{
  g_autofree char *target = read_link (link);

  return is_a_path (target) ? g_steal_pointer (&target) : NULL;
}

/* The same for @name ("cwd", "fd/3") in @task's /proc directory. */
static char *
task_link_path (const LlLearnTask *task,
                const char        *name)
{
  char buffer[PATH_MAX + 1];
  char link[64];
  ssize_t length;

  if (task->proc_fd >= 0)
    {
      length = readlinkat (task->proc_fd, name, buffer, sizeof buffer - 1);
      if (length >= 0 && length < (ssize_t) sizeof buffer - 1)
        {
          buffer[length] = '\0';
          return is_a_path (buffer) ? g_strdup (buffer) : NULL;
        }
    }
  snprintf (link, sizeof link, "/proc/%d/%s", (int) task->tid, name);
  return magic_link_path (link);
}

char *
ll_learn_start_dir (const LlLearnTask *task,
                    int                dirfd)
{
  char name[32];

  if (dirfd == AT_FDCWD)
    return task_link_path (task, "cwd");
  snprintf (name, sizeof name, "fd/%d", dirfd);
  return task_link_path (task, name);
}

char *
ll_learn_fd_path (const LlLearnTask *task,
                  int                fd)
{
  char name[32];

  if (fd < 0)
    return NULL;
  snprintf (name, sizeof name, "fd/%d", fd);
  return task_link_path (task, name);
}

char *
ll_learn_parent (const char *path)
{
  const char *slash = strrchr (path, '/');

  if (slash == NULL || slash == path)
    return g_strdup ("/");
  return g_strndup (path, slash - path);
}

gboolean
ll_learn_path_is_beneath (const char *path,
                          const char *ancestor)
{
  gsize length = strlen (ancestor);

  if (g_str_equal (ancestor, "/"))
    return path[0] == '/';
  return strncmp (path, ancestor, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

/* /proc/PID/... : every symbolic link there is a magic one (fd/N, cwd,
 * root, exe, ns/..., map_files/...), which the kernel follows to the
 * object itself rather than through the text readlink() shows. */
static gboolean
is_in_process_dir (const char *path)
{
  const char *c;

  if (!g_str_has_prefix (path, "/proc/"))
    return FALSE;
  c = path + strlen ("/proc/");
  if (!g_ascii_isdigit (*c))
    return FALSE;
  while (g_ascii_isdigit (*c))
    c++;
  return *c == '/';
}

static void
append_component (GString    *resolved,
                  const char *component,
                  gsize       length)
{
  if (resolved->len > 1)
    g_string_append_c (resolved, '/');
  g_string_append_len (resolved, component, length);
}

static void
drop_last_component (GString *resolved)
{
  const char *slash = strrchr (resolved->str, '/');

  g_string_truncate (resolved, slash == resolved->str ? 1 : (gsize) (slash - resolved->str));
}

LlLearnResolution
ll_learn_resolve (const LlLearnTask *task,
                  const char        *start_dir,
                  const char        *path,
                  gboolean           follow_last,
                  char             **out_path,
                  struct stat       *out_stat)
{
  g_autoptr(GString) resolved = NULL;
  g_autofree char *rest = NULL;
  const char *next;
  struct stat st;
  gboolean have_stat = FALSE;
  guint links = 0;

  if (path == NULL || path[0] == '\0')
    return LL_LEARN_UNRESOLVABLE;
  if (path[0] != '/' && start_dir == NULL)
    return LL_LEARN_NOT_A_PATH;

  resolved = g_string_new (path[0] == '/' ? "/" : start_dir);
  /* A trailing slash asks for a directory, through a final link too. */
  if (g_str_has_suffix (path, "/"))
    follow_last = TRUE;
  rest = g_strdup (path);
  next = rest;

  for (;;)
    {
      const char *component;
      gsize length;
      gboolean is_last;
      g_autofree char *candidate = NULL;

      while (*next == '/')
        next++;
      if (*next == '\0')
        break;
      component = next;
      while (*next != '\0' && *next != '/')
        next++;
      length = next - component;
      is_last = next[strspn (next, "/")] == '\0';

      if (length == 1 && component[0] == '.')
        {
          have_stat = FALSE;
          continue;
        }
      if (length == 2 && component[0] == '.' && component[1] == '.')
        {
          drop_last_component (resolved);
          have_stat = FALSE;
          continue;
        }

      /* "/proc/self" is the caller, not this process. */
      if (g_str_equal (resolved->str, "/proc") &&
          ((length == 4 && strncmp (component, "self", 4) == 0) ||
           (length == 11 && strncmp (component, "thread-self", 11) == 0)))
        {
          if (length == 4)
            g_string_append_printf (resolved, "/%d", (int) task->tgid);
          else
            g_string_append_printf (resolved, "/%d/task/%d", (int) task->tgid, (int) task->tid);
          have_stat = FALSE;
          continue;
        }

      {
        GString *joined = g_string_new (resolved->str);

        append_component (joined, component, length);
        candidate = g_string_free (joined, FALSE);
      }

      if (lstat (candidate, &st) < 0)
        {
          if (errno == ENOENT && is_last)
            {
              *out_path = g_steal_pointer (&candidate);
              return LL_LEARN_RESOLVED_MISSING;
            }
          return LL_LEARN_UNRESOLVABLE;
        }

      if (S_ISLNK (st.st_mode) && (!is_last || follow_last))
        {
          g_autofree char *target = NULL;
          g_autofree char *expanded = NULL;

          if (++links > MAX_SYMLINKS)
            return LL_LEARN_UNRESOLVABLE;
          if (is_in_process_dir (candidate))
            {
              target = magic_link_path (candidate);
              if (target == NULL)
                return LL_LEARN_NOT_A_PATH;
            }
          else if ((target = read_link (candidate)) == NULL)
            return LL_LEARN_UNRESOLVABLE;

          expanded = *next != '\0' ? g_strconcat (target, next, NULL) : g_strdup (target);
          if (target[0] == '/')
            g_string_assign (resolved, "/");
          g_free (rest);
          rest = g_steal_pointer (&expanded);
          next = rest;
          have_stat = FALSE;
          continue;
        }

      if (!is_last && !S_ISDIR (st.st_mode))
        return LL_LEARN_UNRESOLVABLE;

      g_string_assign (resolved, candidate);
      have_stat = TRUE;
    }

  if (!have_stat && stat (resolved->str, &st) < 0)
    return LL_LEARN_UNRESOLVABLE;
  *out_path = g_string_free (g_steal_pointer (&resolved), FALSE);
  if (out_stat != NULL)
    *out_stat = st;
  return LL_LEARN_RESOLVED;
}

/* Interpreters */

/* The path a "#!" line names, or NULL. */
static char *
script_interpreter (const char *head,
                    gsize       length)
{
  const char *start, *end;

  if (length < 3 || head[0] != '#' || head[1] != '!')
    return NULL;
  start = head + 2;
  while (start < head + length && (*start == ' ' || *start == '\t'))
    start++;
  end = start;
  while (end < head + length && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\0')
    end++;
  if (end == start || end == head + length)
    return NULL;
  return g_strndup (start, end - start);
}

/* PT_INTERP of an ELF file, or NULL. The two classes differ only in the
 * widths and places of the fields read: each header is read as its own
 * class's type, and what is in it used alike. */
static char *
elf_interpreter (int         fd,
                 const char *head,
                 gsize       length)
{
  union
  {
    Elf32_Ehdr e32;
    Elf64_Ehdr e64;
  } header;
  gboolean is_64;
  gsize header_size, phdr_size;
  guint64 phoff;
  guint phnum, phentsize;

  if (length < EI_NIDENT || memcmp (head, ELFMAG, SELFMAG) != 0)
    return NULL;
  is_64 = head[EI_CLASS] == ELFCLASS64;
  if (!is_64 && head[EI_CLASS] != ELFCLASS32)
    return NULL;
  header_size = is_64 ? sizeof header.e64 : sizeof header.e32;
  phdr_size = is_64 ? sizeof (Elf64_Phdr) : sizeof (Elf32_Phdr);
  if (length < header_size)
    return NULL;
  memcpy (&header, head, header_size);
  phoff = is_64 ? header.e64.e_phoff : header.e32.e_phoff;
  phnum = is_64 ? header.e64.e_phnum : header.e32.e_phnum;
  phentsize = is_64 ? header.e64.e_phentsize : header.e32.e_phentsize;
  if (phentsize != phdr_size)
    return NULL;

  for (guint i = 0; i < phnum && i < 256; i++)
    {
      union
      {
        Elf32_Phdr p32;
        Elf64_Phdr p64;
      } phdr;
      guint64 offset, size;
      char path[PATH_MAX];

      if (pread (fd, &phdr, phdr_size, (off_t) (phoff + (guint64) i * phentsize)) != (ssize_t) phdr_size)
        return NULL;
      if ((is_64 ? phdr.p64.p_type : phdr.p32.p_type) != PT_INTERP)
        continue;
      offset = is_64 ? phdr.p64.p_offset : phdr.p32.p_offset;
      size = is_64 ? phdr.p64.p_filesz : phdr.p32.p_filesz;
      if (size < 2 || size > sizeof path)
        return NULL;
      if (pread (fd, path, size, (off_t) offset) != (ssize_t) size || path[size - 1] != '\0')
        return NULL;
      return g_strdup (path);
    }
  return NULL;
}

GPtrArray *
ll_learn_exec_interpreters (const LlLearnTask *task,
                            const char        *program)
{
  GPtrArray *interpreters = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current = g_strdup (program);

  for (guint depth = 0; depth <= MAX_INTERPRETER_DEPTH && current != NULL; depth++)
    {
      char head[512];
      ssize_t length;
      g_autofree char *named = NULL;
      g_autofree char *resolved = NULL;
      g_autofree char *cwd = NULL;
      gboolean is_elf;
      int fd;

      fd = open (current, O_RDONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0)
        break;
      length = pread (fd, head, sizeof head, 0);
      if (length <= 0)
        {
          close (fd);
          break;
        }
      is_elf = (gsize) length >= SELFMAG && memcmp (head, ELFMAG, SELFMAG) == 0;
      named = is_elf ? elf_interpreter (fd, head, length) : script_interpreter (head, length);
      close (fd);
      if (named == NULL)
        break;

      /* A relative interpreter is looked up from the caller's directory. */
      if (named[0] != '/')
        cwd = ll_learn_start_dir (task, AT_FDCWD);
      if (ll_learn_resolve (task, cwd, named, TRUE, &resolved, NULL) != LL_LEARN_RESOLVED)
        break;
      g_ptr_array_add (interpreters, g_strdup (resolved));
      g_free (current);
      current = is_elf ? NULL : g_steal_pointer (&resolved);
    }
  return interpreters;
}
