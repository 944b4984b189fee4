/* landlock-glib.h: sandbox GLib programs with Linux Landlock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#define __LANDLOCK_GLIB_INSIDE__

#include "ll-version.h"
#include "ll-version-macros.h"
#include "ll-enums.h"
#include "ll-enum-types.h"
#include "ll-error.h"
#include "ll-abi.h"
#include "ll-sys.h"
#include "ll-ruleset.h"
#include "ll-policy.h"
#include "ll-subprocess.h"

#undef __LANDLOCK_GLIB_INSIDE__
