/* fuzz-common.h: what the fuzz targets share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

/* The CPU time one input may take, in milliseconds (LL_FUZZ_CPU_MS,
 * default 1000). libFuzzer's -timeout counts wall-clock time, which a
 * machine shared with virtual machines stretches tenfold for a niced
 * fuzzer; CPU time is what the code costs. */
typedef struct
{
  gint64 start_ns;
  gint64 budget_ns;
} FuzzCpuBudget;

static inline gint64
fuzz_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void
fuzz_cpu_budget_start (FuzzCpuBudget *budget)
{
  static gint64 budget_ns;

  if (budget_ns == 0)
    {
      const char *text = g_getenv ("LL_FUZZ_CPU_MS");

      budget_ns = (text != NULL ? g_ascii_strtoll (text, NULL, 10) : 1000) * 1000000;
    }
  budget->budget_ns = budget_ns;
  budget->start_ns = fuzz_cpu_ns ();
}

static inline void
fuzz_cpu_budget_check (const FuzzCpuBudget *budget,
                       const char          *what)
{
  gint64 spent = fuzz_cpu_ns () - budget->start_ns;

  if (budget->budget_ns > 0 && spent > budget->budget_ns)
    {
      fprintf (stderr, "%s took %" G_GINT64_FORMAT " ms of CPU time (LL_FUZZ_CPU_MS: %" G_GINT64_FORMAT ")\n",
                  what, spent / 1000000, budget->budget_ns / 1000000);
      abort ();
    }
}

/* A message must be valid UTF-8, without a character that could drive a
 * terminal (ll-quote.c). */
static inline void
fuzz_check_message (const char *message)
{
  if (!g_utf8_validate (message, -1, NULL))
    {
      fprintf (stderr, "message is not UTF-8\n");
      abort ();
    }
  for (const char *c = message; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029 ||
          (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) ||
          u == 0x200e || u == 0x200f || u == 0x061c)
        {
          g_autofree char *escaped = g_strescape (message, NULL);

          fprintf (stderr, "U+%04X in the message: %s\n", u, escaped);
          abort ();
        }
    }
}

static void
fuzz_quiet_log (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
}

/* GLib warnings are not findings; criticals are. The targets print with
 * fprintf() to stderr: landlock-run's target catches GLib's printing. */
static inline void
fuzz_initialize (void)
{
  g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
                     fuzz_quiet_log, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
}

/* A recipe target (fuzz-expand, fuzz-landlock-run) reads its input a byte
 * at a time to choose what to build; zeros once it is used up. */
typedef struct
{
  const uint8_t *data;
  size_t size;
  size_t offset;
} FuzzRecipe;

/* A choice among @n, from the next byte of @recipe. */
static inline guint
fuzz_take (FuzzRecipe *recipe,
           guint       n)
{
  if (n <= 1 || recipe->offset >= recipe->size)
    return 0;
  return recipe->data[recipe->offset++] % n;
}
