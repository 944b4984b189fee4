/* ll-abi.h: what the running kernel's Landlock supports
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

#include "ll-enums.h"
#include "ll-version-macros.h"

G_BEGIN_DECLS

/**
 * LL_ABI_MAX:
 *
 * The highest Landlock ABI version this build of landlock-glib knows. A
 * newer kernel reports a higher version; ll_get_abi_version() clamps it to
 * this one, since the library cannot use what it does not know.
 *
 * Since: 1.0
 */
#define LL_ABI_MAX 11

/**
 * LlErrata:
 * @LL_ERRATA_NONE: no erratum is known to be fixed
 * @LL_ERRATA_TCP_SOCKET_IDENTIFICATION: erratum 1 is fixed: non-TCP stream
 *   sockets (SMC, MPTCP, SCTP) are no longer restricted by the TCP rights
 * @LL_ERRATA_SCOPED_SIGNAL_SAME_TGID: erratum 2 is fixed: signal scoping no
 *   longer blocks signals between threads of one process
 * @LL_ERRATA_DISCONNECTED_DIRECTORY: erratum 3 is fixed: rights can no
 *   longer widen through a disconnected directory
 * @LL_ERRATA_OVERLAYFS_WHITEOUT: erratum 4 is fixed: creating an OverlayFS
 *   whiteout needs %LL_ACCESS_FS_MAKE_REG, no longer
 *   %LL_ACCESS_FS_MAKE_CHAR
 *
 * The fixes that the running kernel reports with ll_get_errata(). Fixes
 * are backported to stable kernels, so they say nothing about the ABI.
 *
 * Since: 1.0
 */
typedef enum /*< flags,prefix=LL_ERRATA >*/
{
  LL_ERRATA_NONE                      = 0,
  LL_ERRATA_TCP_SOCKET_IDENTIFICATION = 1 << 0,
  LL_ERRATA_SCOPED_SIGNAL_SAME_TGID   = 1 << 1,
  LL_ERRATA_DISCONNECTED_DIRECTORY    = 1 << 2,
  LL_ERRATA_OVERLAYFS_WHITEOUT        = 1 << 3,
} LlErrata;

LL_AVAILABLE_IN_1_0
int             ll_get_abi_version          (GError **error);
LL_AVAILABLE_IN_1_0
guint           ll_get_errata               (GError **error);
LL_AVAILABLE_IN_1_0
LlAccessFs      ll_access_fs_for_abi        (int      abi);
LL_AVAILABLE_IN_1_0
LlAccessNet     ll_access_net_for_abi       (int      abi);
LL_AVAILABLE_IN_1_0
LlScope         ll_scope_for_abi            (int      abi);
LL_AVAILABLE_IN_1_0
LlRestrictFlags ll_restrict_flags_for_abi   (int      abi);
LL_AVAILABLE_IN_1_0
LlRuleFlags     ll_rule_flags_for_abi       (int      abi);
LL_AVAILABLE_IN_1_0
guint           ll_get_thread_count         (void);

G_END_DECLS
