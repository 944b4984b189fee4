/* ll-uapi-private.h: landlock-glib's own copy of the Landlock UAPI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The system's <linux/landlock.h> describes whatever kernel the build
 * machine happened to have (Linux 6.1 on Debian 12: ABI 2, no truncate,
 * no networking, no scopes). Kernel support is probed at run time, so the
 * library must know every ABI regardless of the build machine: it carries
 * the constants and structures itself, as rust-landlock and go-landlock do.
 * Values are the kernel's (include/uapi/linux/landlock.h) up to ABI 11.
 */

#pragma once

#include <stdint.h>

/* Syscall numbers are the same on x86_64, aarch64 and every asm-generic
 * architecture; fall back to them where the libc headers predate Landlock. */
#ifndef __NR_landlock_create_ruleset
# define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
# define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
# define __NR_landlock_restrict_self 446
#endif

/* The highest ABI this copy describes: a newer kernel is treated as this. */
#define LL_UAPI_ABI_MAX 11

struct ll_uapi_ruleset_attr
{
  uint64_t handled_access_fs;   /* ABI 1 */
  uint64_t handled_access_net;  /* ABI 4 */
  uint64_t scoped;              /* ABI 6 */
  uint64_t quiet_access_fs;     /* ABI 10 */
  uint64_t quiet_access_net;    /* ABI 10 */
  uint64_t quiet_scoped;        /* ABI 10 */
};

/* The attr grew over time; a kernel rejects (E2BIG) non-zero bytes past the
 * end of the struct it knows, so callers pass the smallest size that covers
 * the fields they actually fill. */
#define LL_UAPI_RULESET_ATTR_SIZE_V1  8   /* handled_access_fs */
#define LL_UAPI_RULESET_ATTR_SIZE_V4  16  /* + handled_access_net */
#define LL_UAPI_RULESET_ATTR_SIZE_V6  24  /* + scoped */
#define LL_UAPI_RULESET_ATTR_SIZE_V10 48  /* + quiet_* */

struct ll_uapi_path_beneath_attr
{
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

struct ll_uapi_net_port_attr
{
  uint64_t allowed_access;
  uint64_t port;
};

_Static_assert (sizeof (struct ll_uapi_ruleset_attr) == LL_UAPI_RULESET_ATTR_SIZE_V10, "ruleset attr layout");
_Static_assert (sizeof (struct ll_uapi_path_beneath_attr) == 12, "path_beneath attr must be packed");
_Static_assert (sizeof (struct ll_uapi_net_port_attr) == 16, "net_port attr layout");

/* landlock_create_ruleset() flags */
#define LL_UAPI_CREATE_RULESET_VERSION (1U << 0)
#define LL_UAPI_CREATE_RULESET_ERRATA  (1U << 1)

/* landlock_add_rule() rule types and flags */
#define LL_UAPI_RULE_PATH_BENEATH 1
#define LL_UAPI_RULE_NET_PORT     2
#define LL_UAPI_ADD_RULE_QUIET    (1U << 0)   /* ABI 10 */

/* Filesystem rights */
#define LL_UAPI_ACCESS_FS_EXECUTE      (1ULL << 0)
#define LL_UAPI_ACCESS_FS_WRITE_FILE   (1ULL << 1)
#define LL_UAPI_ACCESS_FS_READ_FILE    (1ULL << 2)
#define LL_UAPI_ACCESS_FS_READ_DIR     (1ULL << 3)
#define LL_UAPI_ACCESS_FS_REMOVE_DIR   (1ULL << 4)
#define LL_UAPI_ACCESS_FS_REMOVE_FILE  (1ULL << 5)
#define LL_UAPI_ACCESS_FS_MAKE_CHAR    (1ULL << 6)
#define LL_UAPI_ACCESS_FS_MAKE_DIR     (1ULL << 7)
#define LL_UAPI_ACCESS_FS_MAKE_REG     (1ULL << 8)
#define LL_UAPI_ACCESS_FS_MAKE_SOCK    (1ULL << 9)
#define LL_UAPI_ACCESS_FS_MAKE_FIFO    (1ULL << 10)
#define LL_UAPI_ACCESS_FS_MAKE_BLOCK   (1ULL << 11)
#define LL_UAPI_ACCESS_FS_MAKE_SYM     (1ULL << 12)
#define LL_UAPI_ACCESS_FS_REFER        (1ULL << 13)   /* ABI 2 */
#define LL_UAPI_ACCESS_FS_TRUNCATE     (1ULL << 14)   /* ABI 3 */
#define LL_UAPI_ACCESS_FS_IOCTL_DEV    (1ULL << 15)   /* ABI 5 */
#define LL_UAPI_ACCESS_FS_RESOLVE_UNIX (1ULL << 16)   /* ABI 9 */

/* Network rights */
#define LL_UAPI_ACCESS_NET_BIND_TCP         (1ULL << 0)   /* ABI 4 */
#define LL_UAPI_ACCESS_NET_CONNECT_TCP      (1ULL << 1)   /* ABI 4 */
#define LL_UAPI_ACCESS_NET_BIND_UDP         (1ULL << 2)   /* ABI 10 */
#define LL_UAPI_ACCESS_NET_CONNECT_SEND_UDP (1ULL << 3)   /* ABI 10 */

/* Scopes */
#define LL_UAPI_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)   /* ABI 6 */
#define LL_UAPI_SCOPE_SIGNAL               (1ULL << 1)   /* ABI 6 */

/* landlock_restrict_self() flags */
#define LL_UAPI_RESTRICT_SELF_LOG_SAME_EXEC_OFF  (1U << 0)   /* ABI 7 */
#define LL_UAPI_RESTRICT_SELF_LOG_NEW_EXEC_ON    (1U << 1)   /* ABI 7 */
#define LL_UAPI_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)   /* ABI 7 */
#define LL_UAPI_RESTRICT_SELF_TSYNC              (1U << 3)   /* ABI 8 */
#define LL_UAPI_RESTRICT_SELF_NO_NEW_PRIVS       (1U << 4)   /* ABI 11 */

/* Rights that a rule may grant on something that is not a directory; every
 * other right only makes sense on a directory and is EINVAL on a file. */
#define LL_UAPI_ACCESS_FS_FILE_RIGHTS \
  (LL_UAPI_ACCESS_FS_EXECUTE | LL_UAPI_ACCESS_FS_WRITE_FILE | \
   LL_UAPI_ACCESS_FS_READ_FILE | LL_UAPI_ACCESS_FS_TRUNCATE | \
   LL_UAPI_ACCESS_FS_IOCTL_DEV | LL_UAPI_ACCESS_FS_RESOLVE_UNIX)
