/* bench-ruleset.c: LlRuleset against the raw Landlock system calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Builds and applies a ruleset of N directory rules (plus a few TCP ports)
 * two ways: with the three Landlock system calls written out here (the
 * floor: create_ruleset, open O_PATH, add_rule, close, restrict_self) and
 * with LlRuleset (new, allow_read on each directory, allow_network, apply).
 * A restricted process cannot be reused, so every measurement runs in a
 * fresh child process (fork, then exec of this program with --child, so
 * that both variants start from the same state); the runs of both
 * variants are interleaved, and the table shows the median of each.
 *
 * Each child measures itself: wall-clock time and CPU time (user + system,
 * CLOCK_PROCESS_CPUTIME_ID, which leaves out the time spent waiting for a
 * CPU on a loaded machine) from before the first call to after
 * restrict_self/apply, and its peak RSS (VmHWM) at the end.
 *
 *   bench-ruleset [--runs R] [--sizes 100,1000,...] [--tree DIR] [--machine]
 *   bench-ruleset --child raw|ll --n N --tree DIR   (one measurement, printed
 *                                                    as "wall_ns cpu_ns peak_rss_kb")
 *
 * The tree is generated under /tmp (or DIR) as DIR/TTT/LL, 100 leaves per
 * top directory, and removed at the end unless --tree was given.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <landlock-glib/landlock-glib.h>

/* The UAPI, written out here so that the floor depends on nothing. */
#ifndef __NR_landlock_create_ruleset
# define __NR_landlock_create_ruleset 444
# define __NR_landlock_add_rule 445
# define __NR_landlock_restrict_self 446
#endif

struct bench_ruleset_attr
{
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct bench_path_beneath_attr
{
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

struct bench_net_port_attr
{
  uint64_t allowed_access;
  uint64_t port;
};

#define BENCH_RULE_PATH_BENEATH  1
#define BENCH_RULE_NET_PORT      2
#define BENCH_CREATE_RULESET_VERSION (1U << 0)

#define BENCH_ACCESS_FS_READ_FILE (1ULL << 2)
#define BENCH_ACCESS_FS_READ_DIR  (1ULL << 3)
#define BENCH_ACCESS_NET_BIND_TCP    (1ULL << 0)
#define BENCH_ACCESS_NET_CONNECT_TCP (1ULL << 1)

#define LEAVES_PER_DIR 100

static const guint16 bench_ports[] = { 80, 443, 8080, 8443 };

/* What the raw variant hands the kernel: every right, network right and
 * scope of the running ABI, as a new LlRuleset does. */
typedef struct
{
  int abi;
  uint64_t handled_fs;
  uint64_t handled_net;
  uint64_t scoped;
} Handled;

typedef struct
{
  gint64 ns;                    /* wall clock; -1 for a failed run */
  gint64 cpu_ns;                /* user + system */
  long maxrss_kb;               /* VmHWM */
} Sample;

static char *tree_root;
static char **leaves;           /* leaves[i]: the i-th directory of the tree */
static guint n_leaves;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* VmHWM of /proc/self/status, opened before the sandbox was in place (a
 * sandboxed process cannot open it). ru_maxrss would not do: after exec it
 * also counts the image of the process before exec. */
static long
peak_rss_kb (int status_fd)
{
  char buffer[4096];
  ssize_t length;
  const char *line;

  length = pread (status_fd, buffer, sizeof buffer - 1, 0);
  if (length <= 0)
    return -1;
  buffer[length] = '\0';
  line = strstr (buffer, "VmHWM:");
  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

/* The rights of each ABI, from the kernel's documentation (ABI 1: 13
 * filesystem rights; 2: REFER; 3: TRUNCATE; 4: TCP; 5: IOCTL_DEV; 6: the
 * scopes). ABIs past 7 add more; the bench then uses the library's table,
 * after checking that both agree below 8. */
static Handled
handled_for_abi (int abi)
{
  Handled handled = { abi, 0, 0, 0 };

  if (abi >= 1)
    handled.handled_fs = (1ULL << 13) - 1;
  if (abi >= 2)
    handled.handled_fs |= 1ULL << 13;
  if (abi >= 3)
    handled.handled_fs |= 1ULL << 14;
  if (abi >= 4)
    handled.handled_net = BENCH_ACCESS_NET_BIND_TCP | BENCH_ACCESS_NET_CONNECT_TCP;
  if (abi >= 5)
    handled.handled_fs |= 1ULL << 15;
  if (abi >= 6)
    handled.scoped = 3;
  if (abi >= 8)
    {
      handled.handled_fs = ll_access_fs_for_abi (abi);
      handled.handled_net = ll_access_net_for_abi (abi);
      handled.scoped = ll_scope_for_abi (abi);
    }
  return handled;
}

/* The floor: nothing but the system calls. */
static int
run_raw (const Handled *handled,
         guint          n)
{
  struct bench_ruleset_attr attr = {
    .handled_access_fs = handled->handled_fs,
    .handled_access_net = handled->handled_net,
    .scoped = handled->scoped,
  };
  int ruleset_fd;

  ruleset_fd = syscall (__NR_landlock_create_ruleset, &attr, sizeof attr, 0U);
  if (ruleset_fd < 0)
    return -errno;

  for (guint i = 0; i < n; i++)
    {
      struct bench_path_beneath_attr path_beneath = {
        .allowed_access = BENCH_ACCESS_FS_READ_FILE | BENCH_ACCESS_FS_READ_DIR,
      };

      path_beneath.parent_fd = open (leaves[i], O_PATH | O_CLOEXEC);
      if (path_beneath.parent_fd < 0)
        return -errno;
      if (syscall (__NR_landlock_add_rule, ruleset_fd, BENCH_RULE_PATH_BENEATH,
                   &path_beneath, 0U) != 0)
        return -errno;
      close (path_beneath.parent_fd);
    }

  if (handled->handled_net != 0)
    for (gsize i = 0; i < G_N_ELEMENTS (bench_ports); i++)
      {
        struct bench_net_port_attr net_port = {
          .allowed_access = BENCH_ACCESS_NET_BIND_TCP | BENCH_ACCESS_NET_CONNECT_TCP,
          .port = bench_ports[i],
        };

        if (syscall (__NR_landlock_add_rule, ruleset_fd, BENCH_RULE_NET_PORT,
                     &net_port, 0U) != 0)
          return -errno;
      }

  if (prctl (PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0)
    return -errno;
  if (syscall (__NR_landlock_restrict_self, ruleset_fd, 0U) != 0)
    return -errno;
  close (ruleset_fd);
  return 0;
}

/* The library, used as an application would. */
static int
run_ll (guint n)
{
  GError *error = NULL;
  LlRuleset *ruleset;
  LlStatus status;
  gboolean applied;

  ruleset = ll_ruleset_new ();
  for (guint i = 0; i < n; i++)
    {
      const char * const paths[] = { leaves[i], NULL };

      ll_ruleset_allow_read (ruleset, paths);
    }
  ll_ruleset_allow_network (ruleset, bench_ports, G_N_ELEMENTS (bench_ports), TRUE, TRUE);
  applied = ll_ruleset_apply (ruleset, &status, &error);
  g_object_unref (ruleset);
  if (!applied)
    {
      fprintf (stderr, "bench-ruleset: LlRuleset: %s\n", error->message);
      g_error_free (error);
      return -1;
    }
  return status == LL_STATUS_FULLY_ENFORCED ? 0 : -1;
}

/* After the clock stopped: the first leaf is readable, /etc is not. */
static int
sandbox_works (void)
{
  int fd = open (leaves[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return 0;
  close (fd);
  fd = open ("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      close (fd);
      return 0;
    }
  return errno == EACCES;
}

/* One measurement, in this process (which it leaves restricted). */
static Sample
measure_here (gboolean       use_ll,
              const Handled *handled,
              guint          n)
{
  Sample sample = { -1, -1, -1 };
  gint64 start, start_cpu, end, end_cpu;
  int status_fd, result;

  status_fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);
  start = now_ns ();
  start_cpu = cpu_ns ();
  result = use_ll ? run_ll (n) : run_raw (handled, n);
  end_cpu = cpu_ns ();
  end = now_ns ();
  if (result != 0)
    {
      fprintf (stderr, "bench-ruleset: the %s run failed: %s\n",
               use_ll ? "LlRuleset" : "raw", result < -1 ? g_strerror (-result) : "see above");
      return sample;
    }
  if (!sandbox_works ())
    {
      fprintf (stderr, "bench-ruleset: the %s sandbox does not work as asked\n",
               use_ll ? "LlRuleset" : "raw");
      return sample;
    }
  sample.ns = end - start;
  sample.cpu_ns = end_cpu - start_cpu;
  sample.maxrss_kb = status_fd >= 0 ? peak_rss_kb (status_fd) : -1;
  return sample;
}

/* One run in a fresh child: this program again, with --child. */
static Sample
measure_in_child (const char *self_exe,
                  gboolean    use_ll,
                  guint       n)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *child_argv[] = {
    self_exe, "--child", use_ll ? "ll" : "raw", "--n", n_text, "--tree", tree_root, NULL
  };
  Sample sample = { -1, -1, -1 };
  char line[128];
  ssize_t length, total = 0;
  int pipe_fds[2];
  pid_t pid;
  int wstatus;

  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    g_error ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      if (dup2 (pipe_fds[1], STDOUT_FILENO) < 0)
        _exit (127);
      execv (self_exe, (char **) child_argv);
      _exit (127);
    }

  close (pipe_fds[1]);
  while ((length = read (pipe_fds[0], line + total, sizeof line - 1 - total)) > 0)
    total += length;
  line[total] = '\0';
  close (pipe_fds[0]);
  while (waitpid (pid, &wstatus, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED (wstatus) && WEXITSTATUS (wstatus) == 0 &&
      sscanf (line, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld",
              &sample.ns, &sample.cpu_ns, &sample.maxrss_kb) != 3)
    sample.ns = -1;
  if (!WIFEXITED (wstatus) || WEXITSTATUS (wstatus) != 0)
    sample.ns = -1;
  return sample;
}

/* The tree */

static char *
leaf_path (const char *root,
           guint       i)
{
  return g_strdup_printf ("%s/%03u/%02u", root, i / LEAVES_PER_DIR, i % LEAVES_PER_DIR);
}

static void
list_leaves (const char *root,
             guint       n)
{
  leaves = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    leaves[i] = leaf_path (root, i);
  n_leaves = n;
}

static void
make_tree (const char *root,
           guint       n)
{
  for (guint top = 0; top * LEAVES_PER_DIR < n; top++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/%03u", root, top);

      if (mkdir (dir, 0755) != 0 && errno != EEXIST)
        g_error ("mkdir %s: %s", dir, g_strerror (errno));
    }
  for (guint i = 0; i < n; i++)
    if (mkdir (leaves[i], 0755) != 0 && errno != EEXIST)
      g_error ("mkdir %s: %s", leaves[i], g_strerror (errno));
}

static int
remove_entry (const char        *path,
              const struct stat *st,
              int                type,
              struct FTW        *ftw)
{
  return remove (path) == 0 ? 0 : -1;
}

static void
remove_tree (const char *root)
{
  if (nftw (root, remove_entry, 64, FTW_DEPTH | FTW_PHYS) != 0)
    fprintf (stderr, "bench-ruleset: could not remove all of %s: %s\n", root, g_strerror (errno));
}

/* Statistics and output */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of_doubles (double *values,
                   guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

typedef struct
{
  double ns;
  double cpu_ns;
  double maxrss_kb;
} Median;

static Median
median_of (const Sample *samples,
           guint         n)
{
  g_autofree double *values = g_new (double, n);
  Median median;

  for (guint i = 0; i < n; i++)
    values[i] = samples[i].ns;
  median.ns = median_of_doubles (values, n);
  for (guint i = 0; i < n; i++)
    values[i] = samples[i].cpu_ns;
  median.cpu_ns = median_of_doubles (values, n);
  for (guint i = 0; i < n; i++)
    values[i] = samples[i].maxrss_kb;
  median.maxrss_kb = median_of_doubles (values, n);
  return median;
}

static char *
load_average (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return g_strdup ("unknown");
  fields = g_strsplit (contents, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static GArray *
parse_sizes (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;
      guint size;

      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, 1000000, &value, NULL))
        g_error ("--sizes: “%s” is not a size from 1 to 1000000", parts[i]);
      size = (guint) value;
      g_array_append_val (sizes, size);
    }
  return sizes;
}

/* --child: one measurement in this very process. */
static int
run_child (const char    *variant,
           int            n,
           const char    *root,
           const Handled *handled)
{
  Sample sample;

  if (root == NULL || n <= 0 || (!g_str_equal (variant, "raw") && !g_str_equal (variant, "ll")))
    {
      fprintf (stderr, "bench-ruleset: --child takes raw or ll, with --n and --tree\n");
      return 2;
    }
  list_leaves (root, (guint) n);
  sample = measure_here (g_str_equal (variant, "ll"), handled, (guint) n);
  if (sample.ns < 0)
    return 1;
  printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld\n", sample.ns, sample.cpu_ns, sample.maxrss_kb);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sizes_text = NULL;
  g_autofree char *tree_option = NULL;
  g_autofree char *child = NULL;
  g_autofree char *self_exe = NULL;
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sizes = NULL;
  gint runs = 11, child_n = 0;
  gboolean machine = FALSE, any_failed = FALSE;
  guint max_n = 0;
  Handled handled;
  Sample *raw, *ll;
  Median *raw_median, *ll_median;
  int abi;
  const GOptionEntry entries[] = {
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Runs of each variant at each size (default 11; at least 7 is meaningful)", "R" },
    { "sizes", 's', 0, G_OPTION_ARG_STRING, &sizes_text,
      "Numbers of directory rules (default 100,1000,10000,50000)", "N,…" },
    { "tree", 't', 0, G_OPTION_ARG_FILENAME, &tree_option,
      "Use (and keep) this tree instead of a temporary one", "DIR" },
    { "machine", 'm', 0, G_OPTION_ARG_NONE, &machine, "Also print machine-readable RESULT lines", NULL },
    { "child", 0, 0, G_OPTION_ARG_STRING, &child,
      "Measure one run of raw or ll in this process and print “wall_ns cpu_ns peak_rss_kb”", "VARIANT" },
    { "n", 'n', 0, G_OPTION_ARG_INT, &child_n, "Directory rules for --child", "N" },
    { NULL }
  };

  context = g_option_context_new ("- LlRuleset against the raw Landlock system calls");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-ruleset: %s\n", error->message);
      return 2;
    }

  abi = syscall (__NR_landlock_create_ruleset, NULL, (size_t) 0, BENCH_CREATE_RULESET_VERSION);
  if (abi < 1)
    {
      printf ("bench-ruleset: SKIP: this kernel has no Landlock (%s)\n", g_strerror (errno));
      return 77;
    }
  handled = handled_for_abi (abi);
  if (abi < 8 &&
      (handled.handled_fs != ll_access_fs_for_abi (abi) ||
       handled.handled_net != ll_access_net_for_abi (abi) ||
       handled.scoped != ll_scope_for_abi (abi)))
    g_error ("The bench's table of rights disagrees with the library's for ABI %d", abi);

  if (child != NULL)
    return run_child (child, child_n, tree_option, &handled);

  self_exe = g_file_read_link ("/proc/self/exe", &error);
  if (self_exe == NULL)
    g_error ("%s", error->message);
  if (runs < 1)
    runs = 1;
  sizes = parse_sizes (sizes_text != NULL ? sizes_text : "100,1000,10000,50000");
  for (guint i = 0; i < sizes->len; i++)
    max_n = MAX (max_n, g_array_index (sizes, guint, i));

  if (tree_option != NULL)
    {
      tree_root = g_strdup (tree_option);
      if (g_mkdir_with_parents (tree_root, 0755) != 0)
        g_error ("mkdir %s: %s", tree_root, g_strerror (errno));
    }
  else
    {
      tree_root = g_strdup ("/tmp/ll-bench-XXXXXX");
      if (g_mkdtemp (tree_root) == NULL)
        g_error ("mkdtemp: %s", g_strerror (errno));
    }
  list_leaves (tree_root, max_n);
  make_tree (tree_root, max_n);

  load_before = load_average ();
  raw = g_new0 (Sample, sizes->len * runs);
  ll = g_new0 (Sample, sizes->len * runs);
  raw_median = g_new0 (Median, sizes->len);
  ll_median = g_new0 (Median, sizes->len);

  /* Interleaved: each round measures every size with both variants,
   * alternating which goes first, so that a burst of load hits both. */
  for (int r = 0; r < runs; r++)
    for (guint s = 0; s < sizes->len; s++)
      {
        guint n = g_array_index (sizes, guint, s);
        Sample *raw_sample = &raw[s * runs + r], *ll_sample = &ll[s * runs + r];

        if (r % 2 == 0)
          {
            *raw_sample = measure_in_child (self_exe, FALSE, n);
            *ll_sample = measure_in_child (self_exe, TRUE, n);
          }
        else
          {
            *ll_sample = measure_in_child (self_exe, TRUE, n);
            *raw_sample = measure_in_child (self_exe, FALSE, n);
          }
        if (raw_sample->ns < 0 || ll_sample->ns < 0)
          any_failed = TRUE;
      }
  load_after = load_average ();

  for (guint s = 0; s < sizes->len; s++)
    {
      raw_median[s] = median_of (&raw[s * runs], runs);
      ll_median[s] = median_of (&ll[s * runs], runs);
    }

  printf ("LlRuleset against the raw system calls: Landlock ABI %d, N directory rules + %zu TCP port\n"
          "rules, each run in a fresh process, %d runs of each variant interleaved, medians.\n"
          "CPU = user + system time of the child (leaves out waiting for a CPU); wall = clock time.\n",
          abi, G_N_ELEMENTS (bench_ports), runs);
  printf ("Load average before: %s, after: %s\n\n", load_before, load_after);
  /* Literal: printf pads bytes, and µ is two of them. */
  printf ("       | CPU µs per rule          | wall µs per rule         | ratio Ll/raw  | peak RSS (VmHWM) KiB\n");
  printf ("%6s | %7s %7s %8s | %7s %7s %8s | %6s %6s | %6s %6s %7s\n",
          "N", "raw", "Ll", "Ll-raw", "raw", "Ll", "Ll-raw", "CPU", "wall", "raw", "Ll", "Ll-raw");
  printf ("-------+--------------------------+--------------------------+---------------+----------------------\n");
  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      double raw_cpu = raw_median[s].cpu_ns / 1000.0 / n, ll_cpu = ll_median[s].cpu_ns / 1000.0 / n;
      double raw_wall = raw_median[s].ns / 1000.0 / n, ll_wall = ll_median[s].ns / 1000.0 / n;

      printf ("%6u | %7.3f %7.3f %8.3f | %7.3f %7.3f %8.3f | %6.3f %6.3f | %6.0f %6.0f %7.0f\n",
              n, raw_cpu, ll_cpu, ll_cpu - raw_cpu, raw_wall, ll_wall, ll_wall - raw_wall,
              ll_cpu / raw_cpu, ll_wall / raw_wall,
              raw_median[s].maxrss_kb, ll_median[s].maxrss_kb,
              ll_median[s].maxrss_kb - raw_median[s].maxrss_kb);
    }

  /* Linear growth: the per-rule cost stays flat as N grows. */
  if (sizes->len >= 2)
    {
      guint first = sizes->len >= 3 ? 1 : 0, last = sizes->len - 1;
      guint n_first = g_array_index (sizes, guint, first), n_last = g_array_index (sizes, guint, last);

      printf ("\nGrowth: CPU per rule at N=%u / at N=%u: raw %.2f, LlRuleset %.2f (1.00 = linear%s)\n",
              n_last, n_first,
              (raw_median[last].cpu_ns / n_last) / (raw_median[first].cpu_ns / n_first),
              (ll_median[last].cpu_ns / n_last) / (ll_median[first].cpu_ns / n_first),
              first == 1 ? "; the smallest N, which carries the fixed cost, is left out" : "");
    }
  if (any_failed)
    printf ("\nWARNING: some runs failed, or their sandbox did not work as asked: see above\n");

  if (machine)
    for (guint s = 0; s < sizes->len; s++)
      printf ("RESULT bench=ruleset n=%u raw_ns=%.0f ll_ns=%.0f raw_cpu_ns=%.0f ll_cpu_ns=%.0f "
              "raw_maxrss_kb=%.0f ll_maxrss_kb=%.0f\n",
              g_array_index (sizes, guint, s), raw_median[s].ns, ll_median[s].ns,
              raw_median[s].cpu_ns, ll_median[s].cpu_ns,
              raw_median[s].maxrss_kb, ll_median[s].maxrss_kb);

  if (tree_option == NULL)
    remove_tree (tree_root);
  g_free (raw);
  g_free (ll);
  g_free (raw_median);
  g_free (ll_median);
  g_strfreev (leaves);
  g_free (tree_root);
  return any_failed ? 1 : 0;
}
