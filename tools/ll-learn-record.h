/* ll-learn-record.h: what the traced programs were seen doing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The raw material of a learned policy: every operation Landlock can
 * restrict, as the kernel would check it (the resolved path and the rights
 * it needs there), with who did it and how often. Operations that are the
 * same in every respect are counted, not repeated. The record is kept
 * beside the policy (FILE.observed, see ll-learn.h), so that a later run
 * adds to it and --explain can say why each rule exists; compaction
 * (ll-learn-compact.c) fills in where each observation went.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a path was when it was seen. */
typedef enum
{
  LL_LEARN_KIND_MISSING,      /* did not exist yet (it was being created) */
  LL_LEARN_KIND_FILE,         /* regular file */
  LL_LEARN_KIND_DIR,
  LL_LEARN_KIND_DEVICE,       /* character or block device */
  LL_LEARN_KIND_OTHER,        /* FIFO, socket, symbolic link */
} LlLearnKind;

/* Whose /proc entry a path is: a rule cannot name a process that does not
 * exist yet, so these are compacted apart (ll-learn-compact.c). */
typedef enum
{
  LL_LEARN_PROC_NONE,         /* not beneath /proc/PID */
  LL_LEARN_PROC_FIRST,        /* the command's first process, its own: written /proc/self/... */
  LL_LEARN_PROC_TRACED,       /* another traced process, its own or a sibling's: /proc/self/... */
  LL_LEARN_PROC_UNTRACED,     /* a process outside the traced tree: /proc/PID/... */
} LlLearnProc;

typedef struct
{
  char *path;                 /* absolute, resolved as the kernel resolves it */
  guint64 access;             /* the LL_ACCESS_FS_* rights the operation needs on @path */
  LlLearnKind kind;
  /* Not NULL when @path was made by the traced programs, or lies beneath a
   * directory they made: the nearest directory that existed before. */
  char *created_beneath;
  /* The right is checked against the rights the file was opened with
   * (ftruncate, ioctl): it matters only if a traced program opened it. */
  gboolean via_fd;
  LlLearnProc proc;
  char *program;              /* the executable that did it */
  char *operation;            /* the system call */
  guint64 count;

  /* Filled in by compaction: the rule it ended in (NULL: none) and why. */
  char *rule;
  char *reason;
} LlLearnFsSeen;

typedef struct
{
  guint port;
  guint64 access;             /* LL_ACCESS_NET_* */
  /* A UDP reply to a peer's temporary port (ephemeral, chosen by the
   * peer's kernel): no rule can name it. */
  gboolean to_peer;
  char *program;
  char *operation;
  guint64 count;
  char *reason;               /* filled in by compaction */
} LlLearnNetSeen;

typedef struct
{
  guint64 scope;              /* LL_SCOPE_*: used towards a process or socket outside */
  char *target;               /* what it reached, in words */
  char *program;
  char *operation;
  guint64 count;
  char *reason;               /* filled in by compaction */
} LlLearnScopeSeen;

/* A file or directory moved or linked into another directory: Landlock
 * refuses (EXDEV) a move that gives it more rights than it had. */
typedef struct
{
  char *from_dir;
  char *to_dir;
  gboolean is_dir;
  char *program;
  char *operation;
  guint64 count;
} LlLearnMove;

typedef struct
{
  char **command;
  int exit_status;            /* as waitpid() gives it */
} LlLearnRun;

typedef struct
{
  int abi;                    /* of the kernel of the latest run */
  GPtrArray *fs;              /* LlLearnFsSeen */
  GPtrArray *net;             /* LlLearnNetSeen */
  GPtrArray *scopes;          /* LlLearnScopeSeen */
  GPtrArray *moves;           /* LlLearnMove */
  GPtrArray *notes;           /* char *: what could not be seen, and what then */
  GPtrArray *runs;            /* LlLearnRun */

  GHashTable *fs_index;       /* LlLearnFsSeen → itself, to count the same operation once */
  GHashTable *index;          /* the same for the others, by a text key */
} LlLearnRecord;

LlLearnRecord *ll_learn_record_new   (void);
void           ll_learn_record_free  (LlLearnRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LlLearnRecord, ll_learn_record_free)

/* Each returns what it added to or counted in (NULL: nothing recorded). */
LlLearnFsSeen    *ll_learn_record_fs    (LlLearnRecord *record,
                            const char    *path,
                            guint64        access,
                            LlLearnKind    kind,
                            const char    *created_beneath,
                            gboolean       via_fd,
                            LlLearnProc    proc,
                            const char    *program,
                            const char    *operation,
                            guint64        count);
LlLearnNetSeen   *ll_learn_record_net   (LlLearnRecord *record,
                            guint          port,
                            guint64        access,
                            gboolean       to_peer,
                            const char    *program,
                            const char    *operation,
                            guint64        count);
LlLearnScopeSeen *ll_learn_record_scope (LlLearnRecord *record,
                            guint64        scope,
                            const char    *target,
                            const char    *program,
                            const char    *operation,
                            guint64        count);
void ll_learn_record_move  (LlLearnRecord *record,
                            const char    *from_dir,
                            const char    *to_dir,
                            gboolean       is_dir,
                            const char    *program,
                            const char    *operation,
                            guint64        count);
void ll_learn_record_note  (LlLearnRecord *record,
                            const char    *format,
                            ...) G_GNUC_PRINTF (2, 3);
void ll_learn_record_add_run (LlLearnRecord      *record,
                              const char * const *command,
                              int                 exit_status);

/* Adds everything of @other to @record (counts add up). */
void ll_learn_record_merge (LlLearnRecord       *record,
                            const LlLearnRecord *other);

guint64 ll_learn_record_count_operations (const LlLearnRecord *record);

/* The file kept beside a policy: its format is this program's own (JSON,
 * "landlock-run-observed": 1), documented in landlock-run(1). */
char          *ll_learn_record_to_json   (const LlLearnRecord *record);
LlLearnRecord *ll_learn_record_load      (const char          *path,
                                          GError             **error);

/* "read_file", "write_file" for the bits of @bits of the flags type
 * @flags_type (LL_TYPE_ACCESS_FS, LL_TYPE_ACCESS_NET, LL_TYPE_SCOPE), in
 * bit order: the landlockconfig names, which are the enums' nicks with
 * '_' for '-'. */
char    *ll_learn_describe_access (GType        flags_type,
                                   guint64      bits,
                                   const char  *separator);
gboolean ll_learn_parse_access    (GType        flags_type,
                                   const char  *name,
                                   guint64     *out_bit);

const char *ll_learn_kind_to_string (LlLearnKind kind);

G_END_DECLS
