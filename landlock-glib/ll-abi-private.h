/* ll-abi-private.h: ABI policy shared by the library's files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

#include "ll-abi.h"

G_BEGIN_DECLS

/* The kernel's own ABI number, not clamped to LL_ABI_MAX (0 without
 * Landlock): for people to read, where a newer kernel must not be shown
 * as an older one. The library itself only ever uses the clamped one. */
int   _ll_abi_get_kernel_version        (void);

/* The first ABI that knows a single bit of a given flags type (0 when no
 * ABI known to the library has it). */
int   _ll_abi_introducing_access_fs     (guint64  bit);
int   _ll_abi_introducing_access_net    (guint64  bit);
int   _ll_abi_introducing_scope         (guint64  bit);
int   _ll_abi_introducing_restrict_flag (guint64  bit);
int   _ll_abi_introducing_rule_flag     (guint64  bit);

/* Appends "name (ABI n)" for each bit of @bits to @out, comma-separated,
 * using the nicks of @flags_type so that names never drift from the enum. */
void  _ll_abi_describe_bits             (GString  *out,
                                         GType     flags_type,
                                         guint64   bits,
                                         int     (*introducing_abi) (guint64 bit));

/* In words, what is left open of @open_fs, @open_net and @open_scopes
 * (rights not handled), telling what a kernel of ABI @abi lacks from what
 * a ruleset chose not to restrict; NULL when nothing is open. */
char *_ll_abi_describe_open             (int       abi,
                                         guint64   open_fs,
                                         guint64   open_net,
                                         guint64   open_scopes);

G_END_DECLS
