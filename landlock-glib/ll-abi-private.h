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
int     _ll_abi_get_kernel_version   (void);

/* The bits of @flags_type (LL_TYPE_ACCESS_FS, _ACCESS_NET, _SCOPE,
 * _RESTRICT_FLAGS or _RULE_FLAGS) that a kernel of ABI @abi has. */
guint64 _ll_abi_flags_for_abi        (GType     flags_type,
                                      int       abi);

/* The ABI that brought @bit of @flags_type; 0: none the library knows. */
int     _ll_abi_introducing          (GType     flags_type,
                                      guint64   bit);

/* The running ABI, or LL_ABI_MAX without Landlock: the ABI to describe
 * rights for when nothing will be enforced, so that a description still
 * shows what was asked. */
int     _ll_abi_or_max               (int       abi);

/* Appends "name (ABI n)" for each bit of @bits to @out, comma-separated,
 * using the nicks of @flags_type so that names never drift from the enum. */
void    _ll_abi_describe_bits        (GString  *out,
                                      GType     flags_type,
                                      guint64   bits);

/* The same for the bits of @bits that ABI @abi lacks; NULL if none. */
char   *_ll_abi_describe_missing     (GType     flags_type,
                                      guint64   bits,
                                      int       abi);

/* In words, what is left open of @open_fs, @open_net and @open_scopes
 * (rights not handled), telling what a kernel of ABI @abi lacks from what
 * a ruleset chose not to restrict; NULL when nothing is open. */
char   *_ll_abi_describe_open        (int       abi,
                                      guint64   open_fs,
                                      guint64   open_net,
                                      guint64   open_scopes);

G_END_DECLS
