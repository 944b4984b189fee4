/* bench-policy.c: what hostile policy documents cost to read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Generates the policy documents that cost the parser most for their size
 * (each shape below stresses one stage: the JSON reader, the expansion of
 * variables, composition, the messages) and prints, for each shape and
 * size, the time ll_ruleset_new_from_data() takes to accept or reject it
 * (wall clock, and CPU time, which a loaded machine does not stretch) and
 * the memory it takes above the document: peak RSS (VmHWM, reset
 * through /proc/self/clear_refs just before the call) minus the RSS with
 * the document already in memory. The goal of the parser: every document
 * up to 16 MiB accepted or rejected within 1 s and 64 MiB above its size.
 *
 * Each measurement runs in a child process of its own (fork), so that one
 * document's peak does not hide the next one's, and under limits: a
 * document still running after --timeout seconds, or asking for more than
 * --memory-limit MiB of address space, is reported as such (the parser
 * before the fix took 52 s and 3 GB for one of these).
 *
 *   bench-policy [--shape NAME] [--sizes N,N,...] [--timeout S]
 *                [--memory-limit MIB] [--to-json]
 *
 * Without --sizes, each shape runs at the sizes of its row in the table,
 * and last at the size that makes its document 16 MiB.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <landlock-glib/landlock-glib.h>

#define MIB (1024.0 * 1024.0)
#define DOCUMENT_16_MIB (16 * 1024 * 1024)

typedef void (*Generate) (GString *out,
                          guint    n);

/* Finding 1 of the review: one variable of n values, and one parent that
 * refers to it n times, in one pathBeneath item. */
static void
one_parent_n_references (GString *out,
                         guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"/x%u\"", i > 0 ? ", " : "", i);
  g_string_append (out, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"");
  for (guint i = 0; i < n; i++)
    g_string_append (out, "${v}");
  g_string_append (out, "\"]}]}");
}

/* n parents, each with a variable of n values and an empty one: no path
 * at all, so no bound stops it. */
static void
n_parents_empty_product (GString *out,
                         guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"e\"}, {\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"%u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"/${v}${e}%u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}]}");
}

/* One value of n bytes, referenced n / 4 times. */
static void
long_value_many_references (GString *out,
                            guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"v\", \"literal\": [\"");
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, 'a');
  g_string_append (out, "\"]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < n / 4; i++)
    g_string_append (out, "${v}");
  g_string_append (out, "\"]}]}");
}

/* n references to an empty value among 12 to a variable of two values:
 * 4096 paths of a few bytes, from a template of n pieces. */
static void
empty_value_references (GString *out,
                        guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"e\", \"literal\": [\"\"]}, "
                        "{\"name\": \"w\", \"literal\": [\"a\", \"b\"]}], "
                        "\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < 12; i++)
    g_string_append (out, "${w}");
  for (guint i = 0; i < n; i++)
    g_string_append (out, "${e}");
  g_string_append (out, "\"]}]}");
}

static void
n_parents (GString *out,
           guint    n)
{
  g_string_append (out, "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"/%u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}]}");
}

static void
n_rules (GString *out,
         guint    n)
{
  g_string_append (out, "{\"pathBeneath\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s{\"allowedAccess\": [\"execute\"], \"parent\": [\"/%u\"]}",
                            i > 0 ? "," : "", i);
  g_string_append (out, "]}");
}

static void
n_ports (GString *out,
         guint    n)
{
  g_string_append (out, "{\"netPort\": [{\"allowedAccess\": [\"bind_tcp\"], \"port\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? "," : "", 65536 + i);
  g_string_append (out, "]}]}");
}

static void
n_duplicate_keys (GString *out,
                  guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"a\"}]");
  for (guint i = 0; i < n; i++)
    g_string_append (out, ",\"x\":0");
  g_string_append (out, "}");
}

static void
n_values_unused (GString *out,
                 guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"%u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}]}");
}

static void
n_variables_one_parent (GString *out,
                        guint    n)
{
  g_string_append (out, "{\"variable\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s{\"name\": \"v%u\", \"literal\": [\"/%u\"]}", i > 0 ? "," : "", i, i);
  g_string_append (out, "], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "${v%u}", i);
  g_string_append (out, "\"]}]}");
}

static void
n_rights (GString *out,
          guint    n)
{
  g_string_append (out, "{\"ruleset\": [{\"handledAccessFs\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"refer\"", i > 0 ? "," : "");
  g_string_append (out, "]}]}");
}

static void
n_numbers_unknown_key (GString *out,
                       guint    n)
{
  g_string_append (out, "{\"x\": [");
  for (guint i = 0; i < n; i++)
    g_string_append (out, i > 0 ? ",0" : "0");
  g_string_append (out, "]}");
}

static void
one_long_parent (GString *out,
                 guint    n)
{
  g_string_append (out, "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"/");
  for (guint i = 0; i < n; i++)
    g_string_append (out, i % 16 == 15 ? "/" : "a");
  g_string_append (out, "\"]}]}");
}

/* Parents of 240 bytes: as much path text as the bound allows. */
static void
n_long_parents (GString *out,
                guint    n)
{
  g_string_append (out, "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"/%0239u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}]}");
}

/* A variable of n values of 240 bytes, referenced once. */
static void
n_long_values (GString *out,
               guint    n)
{
  g_string_append (out, "{\"variable\": [{\"name\": \"v\", \"literal\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"/%0239u\"", i > 0 ? "," : "", i);
  g_string_append (out, "]}], \"pathBeneath\": [{\"allowedAccess\": [\"execute\"], \"parent\": [\"${v}\"]}]}");
}

static void
long_unknown_key (GString *out,
                  guint    n)
{
  g_string_append (out, "{\"");
  for (guint i = 0; i < n; i++)
    g_string_append (out, "\\u001b");
  g_string_append (out, "\": 1}");
}

/* Composition: n documents, the first ten parents each (written as one
 * document per line: the child splits them). */
static void
n_documents (GString *out,
             guint    n)
{
  for (guint d = 0; d < n; d++)
    {
      g_string_append (out, "{\"pathBeneath\": [{\"allowedAccess\": [\"execute\", \"read_file\"], \"parent\": [");
      for (guint i = 0; i < 10; i++)
        g_string_append_printf (out, "%s\"/d%u/%u\"", i > 0 ? "," : "", d, i);
      g_string_append (out, "]}]}\n");
    }
}

static const struct
{
  const char *name;
  const char *description;
  Generate generate;
  guint sizes[6];
  gboolean composed;
} shapes[] = {
  { "references", "one variable of N values, one parent of N references to it (finding 1)",
    one_parent_n_references, { 1000, 2000, 5000, 20000, 100000 } },
  { "empty-product", "N parents of ${v}${e}, v of N values, e of none",
    n_parents_empty_product, { 1000, 5000, 20000, 130000 } },
  { "long-value", "one value of N bytes, referenced N/4 times",
    long_value_many_references, { 10000, 100000, 1000000 } },
  { "empty-value", "N references to an empty value, 12 to one of two values",
    empty_value_references, { 10000, 100000, 1000000 } },
  { "parents", "N parents in one pathBeneath item",
    n_parents, { 10000, 65536, 100000, 260000 } },
  { "rules", "N pathBeneath items of one parent",
    n_rules, { 10000, 52000 } },
  { "ports", "N ports above 65535 in one netPort item",
    n_ports, { 10000, 100000, 260000 } },
  { "duplicates", "N duplicate keys in one object",
    n_duplicate_keys, { 10000, 100000, 260000 } },
  { "values", "N values of one variable that nothing uses",
    n_values_unused, { 10000, 100000, 260000 } },
  { "variables", "N variables of one value, one parent referring to all",
    n_variables_one_parent, { 10000, 65000 } },
  { "rights", "N rights in handledAccessFs",
    n_rights, { 10000, 100000, 260000 } },
  { "numbers", "N small numbers under an unknown key",
    n_numbers_unknown_key, { 10000, 100000, 260000 } },
  { "long-parent", "one parent of N bytes",
    one_long_parent, { 100000, 1000000 } },
  { "long-parents", "N parents of 240 bytes",
    n_long_parents, { 10000, 65536 } },
  { "long-values", "one variable of N values of 240 bytes, one parent of it",
    n_long_values, { 10000, 65536 } },
  { "long-key", "an unknown key of N escaped control characters",
    long_unknown_key, { 100000 } },
  { "documents", "N documents of 10 parents, composed",
    n_documents, { 100, 1000, 10000 }, TRUE },
};

static gint64
read_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  return line != NULL ? g_ascii_strtoll (line + strlen (key), NULL, 10) : -1;
}

static double
clock_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now (void)
{
  return clock_seconds (CLOCK_MONOTONIC);
}

typedef struct
{
  double seconds;
  double cpu_seconds;         /* user and system: what a loaded machine does not stretch */
  double to_json_seconds;     /* < 0: not measured */
  gint64 grown_kb;
  gsize document_size;
  char verdict[200];
} Measurement;

/* In the child: generate, measure, write the measurement to @fd. */
static void
measure (guint     shape,
         guint     n,
         gboolean  to_json,
         int       fd)
{
  g_autoptr(GString) document = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GPtrArray) files = NULL;
  Measurement result = { 0, 0, -1, 0, 0, "" };
  gint64 rss_before;
  double start, cpu_start;
  int clear;

  shapes[shape].generate (document, n);
  result.document_size = document->len;

  if (shapes[shape].composed)
    {
      /* One file a document, as ll_ruleset_new_from_files() takes them. */
      g_autofree char *dir = g_dir_make_tmp ("bench-policy-XXXXXX", NULL);
      char **lines = g_strsplit (document->str, "\n", -1);

      files = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
        {
          char *path = g_strdup_printf ("%s/%u.json", dir, i);

          g_file_set_contents (path, lines[i], -1, NULL);
          g_ptr_array_add (files, path);
        }
      g_ptr_array_add (files, NULL);
      g_strfreev (lines);
    }

  /* The peak from here on, over what the process holds now. */
  clear = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (clear >= 0)
    {
      if (write (clear, "5", 1) != 1)
        g_printerr ("cannot reset the peak RSS: %s\n", g_strerror (errno));
      close (clear);
    }
  rss_before = read_status_kb ("VmRSS:");

  cpu_start = clock_seconds (CLOCK_PROCESS_CPUTIME_ID);
  start = now ();
  if (files != NULL)
    ruleset = ll_ruleset_new_from_files ((const char * const *) files->pdata, &error);
  else
    ruleset = ll_ruleset_new_from_data (document->str, document->len, &error);
  result.seconds = now () - start;
  result.cpu_seconds = clock_seconds (CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  result.grown_kb = read_status_kb ("VmHWM:") - rss_before;

  if (ruleset != NULL && to_json)
    {
      g_autofree char *json = NULL;

      start = now ();
      json = ll_ruleset_to_json (ruleset);
      result.to_json_seconds = now () - start;
    }

  if (ruleset != NULL)
    g_strlcpy (result.verdict, "accepted", sizeof result.verdict);
  else
    {
      /* The first words of why, from after the place. */
      const char *why = strstr (error->message, ": ");

      g_snprintf (result.verdict, sizeof result.verdict, "rejected: %.60s",
                  why != NULL ? why + 2 : error->message);
    }

  if (files != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (g_ptr_array_index (files, 0));

      for (guint i = 0; g_ptr_array_index (files, i) != NULL; i++)
        g_unlink (g_ptr_array_index (files, i));
      g_rmdir (dir);
    }

  if (write (fd, &result, sizeof result) != sizeof result)
    _exit (1);
}

static void
run_one (guint    shape,
         guint    n,
         gboolean to_json,
         guint    timeout,
         guint    memory_limit_mib)
{
  Measurement result;
  int fds[2];
  pid_t pid;
  int status;
  ssize_t got;

  if (pipe (fds) < 0)
    g_error ("pipe: %s", g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      struct rlimit limit = { (rlim_t) memory_limit_mib << 20, (rlim_t) memory_limit_mib << 20 };

      close (fds[0]);
      setrlimit (RLIMIT_AS, &limit);
      alarm (timeout);
      measure (shape, n, to_json, fds[1]);
      _exit (0);
    }
  close (fds[1]);
  got = read (fds[0], &result, sizeof result);
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  if (got != sizeof result)
    {
      const char *why = "failed";

      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
        why = "still running: stopped";
      else if (WIFSIGNALED (status) || (WIFEXITED (status) && WEXITSTATUS (status) != 0))
        why = "out of memory (or crashed)";
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
        g_print ("%-14s %8u %9s %9s %8s %10s  > %u s (%s)\n", shapes[shape].name, n, "", "",
                 "", "", timeout, why);
      else
        g_print ("%-14s %8u %9s %9s %8s %10s  > %u MiB of address space? (%s)\n",
                 shapes[shape].name, n, "", "", "", "", memory_limit_mib, why);
      return;
    }

  g_print ("%-14s %8u %9.2f %9.3f %8.3f %10.1f  %s", shapes[shape].name, n,
           result.document_size / MIB, result.seconds, result.cpu_seconds,
           result.grown_kb / 1024.0, result.verdict);
  if (result.to_json_seconds >= 0)
    g_print (" (to_json %.3f s)", result.to_json_seconds);
  g_print ("\n");
}

/* The n that makes the document of @shape about 16 MiB: documents grow
 * linearly with n. */
static guint
size_for_16_mib (guint shape)
{
  guint n = 1000;

  /* Documents grow about linearly with n: a few corrections suffice. */
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(GString) document = g_string_new (NULL);

      shapes[shape].generate (document, n);
      n = (guint) MAX (1.0, n * ((double) DOCUMENT_16_MIB / document->len));
    }
  /* Just under. */
  for (;;)
    {
      g_autoptr(GString) document = g_string_new (NULL);

      shapes[shape].generate (document, n);
      if (document->len <= DOCUMENT_16_MIB || n < 2)
        return n;
      n -= MAX (1, n / 1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shape_name = NULL;
  g_autofree char *sizes_text = NULL;
  int timeout = 60;
  int memory_limit = 4096;
  gboolean to_json = FALSE;
  const GOptionEntry entries[] = {
    { "shape", 0, 0, G_OPTION_ARG_STRING, &shape_name, "Only this shape", "NAME" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "These sizes instead of each shape's own", "N,N,..." },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Stop a document after S seconds (60)", "S" },
    { "memory-limit", 0, 0, G_OPTION_ARG_INT, &memory_limit,
      "Limit each measurement's address space to MIB (4096)", "MIB" },
    { "to-json", 0, 0, G_OPTION_ARG_NONE, &to_json, "Also time ll_ruleset_to_json() of what is accepted", NULL },
    { "runs", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &(int) { 0 }, "Ignored (bench/run-all passes it)", "R" },
    { NULL }
  };

  context = g_option_context_new ("- what hostile policy documents cost to read");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_print ("Goal: every document up to 16 MiB accepted or rejected within 1 s and 64 MiB\n"
           "above its size. Each row is one document, read in a fresh process; the last\n"
           "row of a shape is its 16 MiB document.\n\n");
  g_print ("%-14s %8s %9s %9s %8s %10s  %s\n", "shape", "N", "doc MiB", "seconds", "CPU s",
           "+MiB peak", "result");
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_auto(GStrv) sizes = NULL;

      if (shape_name != NULL && strcmp (shape_name, shapes[s].name) != 0)
        continue;
      if (shape_name == NULL)
        g_print ("# %s: %s\n", shapes[s].name, shapes[s].description);
      if (sizes_text != NULL)
        {
          sizes = g_strsplit (sizes_text, ",", -1);
          for (guint i = 0; sizes[i] != NULL; i++)
            run_one (s, (guint) g_ascii_strtoull (sizes[i], NULL, 10), to_json, timeout, memory_limit);
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (shapes[s].sizes) && shapes[s].sizes[i] != 0; i++)
        run_one (s, shapes[s].sizes[i], to_json, timeout, memory_limit);
      if (!shapes[s].composed)
        run_one (s, size_for_16_mib (s), to_json, timeout, memory_limit);
    }
  return 0;
}
