/* ll-json-private.h: a strict JSON reader and a small writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A place in a document: line and column (in characters), both from 1,
 * in one integer; 0 when unknown. */
#define LL_JSON_POSITION(line, column) (((guint64) (line) << 32) | (guint32) (column))
#define LL_JSON_POSITION_LINE(position) ((guint) ((position) >> 32))
#define LL_JSON_POSITION_COLUMN(position) ((guint) ((position) & 0xffffffff))

/* Deeper documents are refused, so that reading and walking them can
 * recurse. */
#define LL_JSON_MAX_NESTING 128

/* A document with more values (strings, numbers, arrays, objects) is
 * refused: its tree takes about 50 bytes a value however short the values
 * are, and a policy about as much again, so that a document of 16 MiB of
 * small values took 25 times its size. This many fit the most paths a
 * policy can give (65536) twice over, and keeps any document of 16 MiB
 * under 64 MiB besides itself (bench/bench-policy.c). */
#ifndef LL_JSON_MAX_VALUES
#define LL_JSON_MAX_VALUES 131072
#endif

typedef enum
{
  LL_JSON_NULL,
  LL_JSON_BOOLEAN,
  LL_JSON_INTEGER,            /* a number without fraction or exponent */
  LL_JSON_DOUBLE,             /* any other number */
  LL_JSON_STRING,
  LL_JSON_ARRAY,
  LL_JSON_OBJECT,
} LlJsonType;

typedef struct _LlJsonNode LlJsonNode;

typedef struct
{
  char *name;
  guint64 position;           /* of the key */
  LlJsonNode *value;
} LlJsonMember;

struct _LlJsonNode
{
  LlJsonType type;
  guint64 position;           /* where the value starts */
  union
  {
    gboolean boolean;
    gint64 integer;
    double number;
    /* Without NUL characters; UTF-8 but for the bytes written as
     * \udc80 to \udcff (a path that is not UTF-8, see ll-json.c). */
    char *string;
    struct
    {
      LlJsonNode **elements;
      guint length;
    } array;
    struct
    {
      LlJsonMember *members;  /* in document order, duplicates included */
      guint size;
      /* The first key given twice, or NULL: JSON leaves duplicates
       * undefined and the landlockconfig format refuses them. */
      const LlJsonMember *duplicate;
    } object;
  };
};

/* Why a document was refused: where, and a sentence. */
typedef struct
{
  guint64 position;
  char *message;
} LlJsonSyntaxError;

LlJsonNode *_ll_json_parse (const char        *data,
                            gsize              length,
                            LlJsonSyntaxError *error);

void _ll_json_node_free (LlJsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LlJsonNode, _ll_json_node_free)

/* Writing: pretty-printed with an indent of two, members as `"name" : `. */
typedef struct
{
  GString *out;
  guint depth;
  gboolean empty;             /* nothing written yet in the open container */
  gboolean after_name;        /* a member name waits for its value */
} LlJsonWriter;

void _ll_json_writer_init         (LlJsonWriter *writer,
                                   GString      *out);
void _ll_json_writer_begin_object (LlJsonWriter *writer);
void _ll_json_writer_end_object   (LlJsonWriter *writer);
void _ll_json_writer_begin_array  (LlJsonWriter *writer);
void _ll_json_writer_end_array    (LlJsonWriter *writer);
void _ll_json_writer_member       (LlJsonWriter *writer,
                                   const char   *name);
void _ll_json_writer_string       (LlJsonWriter *writer,
                                   const char   *value);
void _ll_json_writer_integer      (LlJsonWriter *writer,
                                   gint64        value);

G_END_DECLS
