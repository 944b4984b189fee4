/* ll-quote-private.h: input quoted into a message, safe to print
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of a path or a file name a message quotes, in bytes of the
 * quoted text: a path the kernel can open is shorter (PATH_MAX). */
#define LL_QUOTE_MAX_PATH 4096

gboolean _ll_quote_append (GString    *out,
                           const char *text,
                           gssize      length,
                           gsize       max_bytes);

char    *_ll_quote        (const char *text,
                           gssize      length,
                           gsize       max_bytes);

G_END_DECLS
