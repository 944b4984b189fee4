/* ll-version-macros.h: symbol visibility and availability annotations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LANDLOCK_GLIB_INSIDE__) && !defined(LANDLOCK_GLIB_COMPILATION)
#error "Only <landlock-glib/landlock-glib.h> can be included directly."
#endif

#include <glib.h>

#include "ll-version.h"

/* The library is built with hidden visibility: only symbols marked with
 * an LL_AVAILABLE_IN_* macro are exported, so nothing private can become
 * part of the ABI by accident. */
#ifndef _LL_EXTERN
# define _LL_EXTERN __attribute__((visibility ("default"))) extern
#endif

#ifdef LL_DISABLE_DEPRECATION_WARNINGS
# define LL_DEPRECATED _LL_EXTERN
# define LL_DEPRECATED_FOR(f) _LL_EXTERN
# define LL_UNAVAILABLE(maj,min) _LL_EXTERN
#else
# define LL_DEPRECATED G_DEPRECATED _LL_EXTERN
# define LL_DEPRECATED_FOR(f) G_DEPRECATED_FOR(f) _LL_EXTERN
# define LL_UNAVAILABLE(maj,min) G_UNAVAILABLE(maj,min) _LL_EXTERN
#endif

#define LL_VERSION_1_0 (G_ENCODE_VERSION (1, 0))

#if (LL_MINOR_VERSION % 2)
# define LL_VERSION_CUR_STABLE (G_ENCODE_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION + 1))
#else
# define LL_VERSION_CUR_STABLE (G_ENCODE_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION))
#endif

#if (LL_MINOR_VERSION % 2)
# define LL_VERSION_PREV_STABLE (G_ENCODE_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION - 1))
#else
# define LL_VERSION_PREV_STABLE (G_ENCODE_VERSION (LL_MAJOR_VERSION, LL_MINOR_VERSION - 2))
#endif

/* Applications define LL_VERSION_MIN_REQUIRED to be warned about API
 * deprecated after that version, and LL_VERSION_MAX_ALLOWED to be warned
 * about API added after the version they claim to support. */
#ifndef LL_VERSION_MIN_REQUIRED
# define LL_VERSION_MIN_REQUIRED (LL_VERSION_CUR_STABLE)
#endif

#ifndef LL_VERSION_MAX_ALLOWED
# if LL_VERSION_MIN_REQUIRED > LL_VERSION_PREV_STABLE
#  define LL_VERSION_MAX_ALLOWED (LL_VERSION_MIN_REQUIRED)
# else
#  define LL_VERSION_MAX_ALLOWED (LL_VERSION_CUR_STABLE)
# endif
#endif

#if LL_VERSION_MAX_ALLOWED < LL_VERSION_MIN_REQUIRED
# error "LL_VERSION_MAX_ALLOWED must be >= LL_VERSION_MIN_REQUIRED"
#endif

#define LL_AVAILABLE_IN_ALL _LL_EXTERN

#if LL_VERSION_MAX_ALLOWED < LL_VERSION_1_0
# define LL_AVAILABLE_IN_1_0 LL_UNAVAILABLE(1, 0)
#else
# define LL_AVAILABLE_IN_1_0 _LL_EXTERN
#endif
