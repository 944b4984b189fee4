/* ll-json.c: a strict JSON reader and a small writer, for policy files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * RFC 8259 and nothing more (no comments, no trailing commas, no lone
 * surrogates, no duplicate keys unnoticed), with the position of every
 * value for messages, and bounds on depth, count and size so that any
 * document costs linear time and memory; and the writer
 * ll_ruleset_to_json() needs. It knows nothing of policies: that is the
 * ll-policy*.c files'. The library reads JSON itself so that landlock-run
 * does not load json-glib and GIO on every start.
 */

/* Why not json-glib: the landlockconfig format takes RFC 8259 JSON and
 * nothing more, while json-glib 1.6 accepts comments, single quotes,
 * hexadecimal, `var x =`, several top-level values and raw newlines in
 * strings, wraps integers that overflow to -1, keeps the last of duplicate
 * keys silently and gives no node its position. Every document therefore
 * had to be tokenised a first time here anyway, with the positions tied to
 * json-glib's nodes through its signals. Reading the tree in that same
 * pass is less code, and it spares every program that links the library
 * (landlock-run above all, which starts for each sandboxed command) the
 * loading of json-glib, which was about a third of landlock-run's start-up
 * time (bench/bench-cli.py). */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ll-json-private.h"
#include "ll-quote-private.h"

/* The tree of a document lives in a few large blocks freed together: a
 * node of its own from malloc() cost 48 bytes and more, so a document of
 * small numbers took 25 times its size (found with hostile documents). */
#define ARENA_BLOCK_SIZE (256 * 1024)

/* Under AddressSanitizer every piece is allocated on its own, so that an
 * access past one is seen (the fuzzing builds). */
#if defined(__SANITIZE_ADDRESS__)
# define ARENA_PIECES_ALONE 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define ARENA_PIECES_ALONE 1
# endif
#endif

typedef struct
{
  GPtrArray *blocks;          /* g_free */
  char *next;
  gsize left;
} Arena;

/* The root as _ll_json_parse() returns it: the arena that holds the
 * whole tree travels with it. */
typedef struct
{
  LlJsonNode root;            /* first: a tree is freed through its root */
  GPtrArray *blocks;
} Document;

static gpointer
arena_alloc (Arena *arena,
             gsize  size)
{
  gpointer memory;

#ifdef ARENA_PIECES_ALONE
  memory = g_malloc (size);
  g_ptr_array_add (arena->blocks, memory);
#else
  size = (size + 7) & ~(gsize) 7;
  /* A large piece (a long string, a long array) gets a block of its own,
   * and the current block stays in use. */
  if (size > ARENA_BLOCK_SIZE / 4)
    {
      memory = g_malloc (size);
      g_ptr_array_add (arena->blocks, memory);
      return memory;
    }
  if (size > arena->left)
    {
      arena->next = g_malloc (ARENA_BLOCK_SIZE);
      arena->left = ARENA_BLOCK_SIZE;
      g_ptr_array_add (arena->blocks, arena->next);
    }
  memory = arena->next;
  arena->next += size;
  arena->left -= size;
#endif
  return memory;
}

/* A container's children are collected on the reader's stack of its kind
 * (@stack, of items of @size bytes) while it is read, nested containers
 * pushing theirs above; once it ends, its @n children from index @first
 * move into the arena, in one piece. An empty container has no children,
 * not even NULL's worth of them: an empty stack's memory is NULL, and
 * neither arithmetic on it nor memcpy() from it is defined. */
static gpointer
arena_copy (Arena         *arena,
            gconstpointer  stack,
            gsize          first,
            gsize          n,
            gsize          size)
{
  gpointer memory;

  if (n == 0)
    return NULL;
  memory = arena_alloc (arena, n * size);
  memcpy (memory, (const char *) stack + first * size, n * size);
  return memory;
}

typedef struct
{
  const char *data;
  gsize length;
  gsize offset;
  guint line;
  guint column;               /* in characters */
  LlJsonSyntaxError *error;
  Arena arena;
  guint n_values;
  /* The elements and members of the containers being read, innermost
   * last: one stack for all, so that a container is copied once, at its
   * exact size, when it closes. */
  GPtrArray *elements;
  GArray *members;            /* LlJsonMember */
} Reader;

static void
reader_advance (Reader *reader)
{
  guchar c = reader->data[reader->offset++];

  if (c == '\n')
    {
      reader->line++;
      reader->column = 1;
    }
  else if ((c & 0xc0) != 0x80)
    reader->column++;
}

static gboolean
reader_at_end (Reader *reader)
{
  return reader->offset >= reader->length;
}

static char
reader_peek (Reader *reader,
             gsize   ahead)
{
  return reader->offset + ahead < reader->length ? reader->data[reader->offset + ahead] : '\0';
}

static guint64
reader_position (Reader *reader)
{
  return LL_JSON_POSITION (reader->line, reader->column);
}

static void
reader_skip_space (Reader *reader)
{
  while (!reader_at_end (reader))
    {
      char c = reader->data[reader->offset];

      if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
        break;
      reader_advance (reader);
    }
}

static void fail (Reader     *reader,
                  guint64     position,
                  const char *format,
                  ...) G_GNUC_PRINTF (3, 4);

/* Only the first problem is reported: the one the reader stopped at. */
static void
fail (Reader     *reader,
      guint64     position,
      const char *format,
      ...)
{
  va_list args;

  if (reader->error->message != NULL)
    return;
  va_start (args, format);
  reader->error->message = g_strdup_vprintf (format, args);
  va_end (args);
  reader->error->position = position;
}

/* What is at the reader's offset, for messages. */
static char *
describe_next (Reader *reader)
{
  guchar c;

  if (reader_at_end (reader))
    return g_strdup ("the end of the document");
  c = reader->data[reader->offset];
  if (c >= 0x20 && c < 0x7f)
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("byte 0x%02x", c);
}

/* The two-character escapes of JSON, in pairs: the letter after the
 * backslash, then the character it stands for. */
static const char short_escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";

/* What `\@letter` stands for, or NUL if it is no short escape. */
static char
unescape_letter (char letter)
{
  for (gsize i = 0; i + 1 < sizeof short_escapes; i += 2)
    if (short_escapes[i] == letter)
      return short_escapes[i + 1];
  return '\0';
}

/* The letter that writes @c as a short escape, or NUL. A '/' needs none. */
static char
escape_letter (char c)
{
  for (gsize i = 0; i + 1 < sizeof short_escapes; i += 2)
    if (short_escapes[i + 1] == c && c != '/')
      return short_escapes[i];
  return '\0';
}

static LlJsonNode *
node_new (Reader     *reader,
          LlJsonType  type,
          guint64     position)
{
  LlJsonNode *node = arena_alloc (&reader->arena, sizeof (LlJsonNode));

  memset (node, 0, sizeof *node);
  node->type = type;
  node->position = position;
  return node;
}

/* Advances over @n bytes that hold no newline. */
static void
reader_skip_run (Reader *reader,
                 gsize   n)
{
  const guchar *p = (const guchar *) reader->data + reader->offset;

  for (gsize i = 0; i < n; i++)
    reader->column += (p[i] & 0xc0) != 0x80;
  reader->offset += n;
}

/* Reads four hexadecimal digits after a `\u`. */
static gboolean
read_hex4 (Reader *reader,
           guint  *unit)
{
  *unit = 0;
  if (reader_peek (reader, 0) != '\\' || reader_peek (reader, 1) != 'u')
    return FALSE;
  for (int i = 2; i < 6; i++)
    {
      int digit = g_ascii_xdigit_value (reader_peek (reader, i));

      if (digit < 0)
        return FALSE;
      *unit = *unit * 16 + digit;
    }
  for (int i = 0; i < 6; i++)
    reader_advance (reader);
  return TRUE;
}

/* A `\uXXXX` escape, or two for a surrogate pair, appended to @out
 * (@length bytes so far), which has room for it: it takes no more than
 * its escape. */
static gboolean
read_unicode_escape (Reader *reader,
                     char   *out,
                     gsize  *length)
{
  guint64 position = reader_position (reader);
  gunichar code;
  guint unit;

  if (!read_hex4 (reader, &unit))
    {
      fail (reader, position, "JSON syntax error: invalid \\u escape in a string");
      return FALSE;
    }
  /* \udc80 to \udcff: one byte of a path that is not UTF-8, as the
   * writer puts it (see append_quoted()). */
  if (unit >= 0xdc80 && unit <= 0xdcff)
    {
      out[(*length)++] = (char) (unit - 0xdc00);
      return TRUE;
    }
  if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      fail (reader, position, "JSON syntax error: lone trailing surrogate in a \\u escape");
      return FALSE;
    }
  code = unit;
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      guint low;

      if (reader_peek (reader, 0) != '\\' || reader_peek (reader, 1) != 'u')
        {
          fail (reader, position, "JSON syntax error: lone leading surrogate in a \\u escape");
          return FALSE;
        }
      if (!read_hex4 (reader, &low))
        {
          fail (reader, position, "JSON syntax error: invalid \\u escape in a string");
          return FALSE;
        }
      if (low < 0xdc00 || low > 0xdfff)
        {
          fail (reader, position, "JSON syntax error: lone leading surrogate in a \\u escape");
          return FALSE;
        }
      code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }
  /* C strings carry every name and path from here on; none can hold a
   * NUL. */
  if (code == 0)
    {
      fail (reader, position,
            "a string holds a NUL character (\\u0000), which no path or name can contain");
      return FALSE;
    }
  *length += g_unichar_to_utf8 (code, out + *length);
  return TRUE;
}

/* A string, at its opening quote; returns it decoded (in the arena), or
 * NULL. */
static char *
read_string (Reader *reader)
{
  guint64 start = reader_position (reader);
  gsize end;
  gsize length = 0;
  char *text;

  /* Where it ends (or where a control character makes it fail), first:
   * the decoded text is never longer than what is between the quotes, so
   * it is written once, into space of its own. */
  for (end = reader->offset + 1;
       end < reader->length && reader->data[end] != '"' && (guchar) reader->data[end] >= 0x20;
       end++)
    if (reader->data[end] == '\\')
      end++;
  if (end >= reader->length)
    {
      fail (reader, start, "JSON syntax error: unterminated string");
      return NULL;
    }
  text = arena_alloc (&reader->arena, end - reader->offset);

  reader_advance (reader);     /* the opening quote */
  for (;;)
    {
      gsize run = reader->offset;
      guchar c;

      /* Plain characters are copied a run at a time. */
      while (run < reader->length && reader->data[run] != '"' && reader->data[run] != '\\' &&
             (guchar) reader->data[run] >= 0x20)
        run++;
      if (run > reader->offset)
        {
          memcpy (text + length, reader->data + reader->offset, run - reader->offset);
          length += run - reader->offset;
          reader_skip_run (reader, run - reader->offset);
        }

      c = reader->data[reader->offset];
      if (c == '"')
        {
          reader_advance (reader);
          text[length] = '\0';
          return text;
        }
      if (c < 0x20)
        {
          fail (reader, reader_position (reader),
                "JSON syntax error: control character (0x%02x) in a string; "
                "write it as an escape such as \\n or \\u%04x", c, c);
          return NULL;
        }

      /* A backslash */
      {
        char kind = reader_peek (reader, 1);
        char decoded = unescape_letter (kind);

        if (kind == 'u')
          {
            if (!read_unicode_escape (reader, text, &length))
              return NULL;
            continue;
          }
        if (decoded == '\0')
          {
            fail (reader, reader_position (reader), "JSON syntax error: invalid escape in a string");
            return NULL;
          }
        text[length++] = decoded;
        reader_advance (reader);
        reader_advance (reader);
      }
    }
}

static LlJsonNode *
read_number (Reader *reader)
{
  guint64 start = reader_position (reader);
  gsize begin = reader->offset;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;
  LlJsonNode *node;

  if (reader_peek (reader, 0) == '-')
    reader_advance (reader);
  if (reader_peek (reader, 0) == '0')
    reader_advance (reader);
  else if (g_ascii_isdigit (reader_peek (reader, 0)))
    while (g_ascii_isdigit (reader_peek (reader, 0)))
      reader_advance (reader);
  else
    goto invalid;

  if (reader_peek (reader, 0) == '.')
    {
      integer = FALSE;
      reader_advance (reader);
      if (!g_ascii_isdigit (reader_peek (reader, 0)))
        goto invalid;
      while (g_ascii_isdigit (reader_peek (reader, 0)))
        reader_advance (reader);
    }
  if (reader_peek (reader, 0) == 'e' || reader_peek (reader, 0) == 'E')
    {
      integer = FALSE;
      reader_advance (reader);
      if (reader_peek (reader, 0) == '+' || reader_peek (reader, 0) == '-')
        reader_advance (reader);
      if (!g_ascii_isdigit (reader_peek (reader, 0)))
        goto invalid;
      while (g_ascii_isdigit (reader_peek (reader, 0)))
        reader_advance (reader);
    }
  /* `01`, `1x`, `1.` and the like are one bad token, not two. */
  if (g_ascii_isalnum (reader_peek (reader, 0)) || reader_peek (reader, 0) == '.' ||
      reader_peek (reader, 0) == '_')
    goto invalid;

  text = g_strndup (reader->data + begin, reader->offset - begin);
  if (integer)
    {
      gint64 value;

      /* An integer that does not fit is refused rather than rounded: a
       * port or an ABI must be read exactly. */
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          fail (reader, start,
                "the number %s is too large (this implementation reads integers "
                "up to %" G_GINT64_FORMAT ")", text, G_MAXINT64);
          return NULL;
        }
      node = node_new (reader, LL_JSON_INTEGER, start);
      node->integer = value;
    }
  else
    {
      node = node_new (reader, LL_JSON_DOUBLE, start);
      node->number = g_ascii_strtod (text, NULL);
    }
  return node;

invalid:
  fail (reader, start, "JSON syntax error: invalid number");
  return NULL;
}

static LlJsonNode *read_value (Reader *reader,
                               guint   depth);

/* What follows an array element or an object member: `,` goes on to the
 * next, @close ends the container. JSON allows no comma before @close.
 * Returns 1 to go on, 0 at the end, -1 when the document is refused. */
static int
read_separator (Reader     *reader,
                char        close,
                const char *after)
{
  reader_skip_space (reader);
  if (reader_peek (reader, 0) == close)
    {
      reader_advance (reader);
      return 0;
    }
  if (reader_peek (reader, 0) != ',' || reader_at_end (reader))
    {
      g_autofree char *found = describe_next (reader);

      fail (reader, reader_position (reader),
            "JSON syntax error: expected ',' or '%c' after %s, found %s", close, after, found);
      return -1;
    }
  reader_advance (reader);
  reader_skip_space (reader);
  if (reader_peek (reader, 0) == close)
    {
      fail (reader, reader_position (reader), "JSON syntax error: trailing comma before '%c'", close);
      return -1;
    }
  return 1;
}

/* Just after the opening bracket: 0 and past @close for an empty
 * container, else 1. */
static int
read_opening (Reader *reader,
              char    close)
{
  reader_advance (reader);
  reader_skip_space (reader);
  if (reader_peek (reader, 0) != close)
    return 1;
  reader_advance (reader);
  return 0;
}

static LlJsonNode *
read_array (Reader *reader,
            guint   depth)
{
  LlJsonNode *node = node_new (reader, LL_JSON_ARRAY, reader_position (reader));
  guint base = reader->elements->len;
  int more;

  more = read_opening (reader, ']');
  while (more > 0)
    {
      LlJsonNode *element = read_value (reader, depth);

      if (element == NULL)
        return NULL;
      g_ptr_array_add (reader->elements, element);
      more = read_separator (reader, ']', "an array element");
    }
  if (more < 0)
    return NULL;

  node->array.length = reader->elements->len - base;
  node->array.elements = arena_copy (&reader->arena, reader->elements->pdata, base,
                                     node->array.length, sizeof (LlJsonNode *));
  g_ptr_array_set_size (reader->elements, base);
  return node;
}

static int
compare_member_names (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const LlJsonMember *members = user_data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  int order = strcmp (members[i].name, members[j].name);

  if (order != 0)
    return order;
  return i < j ? -1 : i > j;
}

/* The index of the first of @members (@n of them) whose name an earlier
 * one has, or -1: what JSON leaves undefined, and the format refuses. A
 * few members are compared pairwise; many are sorted, so that a hostile
 * object of duplicates costs n log n, with no table per object. */
static gssize
find_first_duplicate (const LlJsonMember *members,
                      guint               n)
{
  g_autofree guint *order = NULL;
  gssize first = -1;

  if (n <= 16)
    {
      for (guint j = 1; j < n; j++)
        for (guint i = 0; i < j; i++)
          if (strcmp (members[i].name, members[j].name) == 0)
            return j;
      return -1;
    }

  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof *order, compare_member_names, (gpointer) members);
  /* In each run of one name, by position: its second is a duplicate. */
  for (guint k = 1; k < n; k++)
    if (strcmp (members[order[k - 1]].name, members[order[k]].name) == 0 &&
        (k < 2 || strcmp (members[order[k - 2]].name, members[order[k]].name) != 0) &&
        (first < 0 || order[k] < (guint) first))
      first = order[k];
  return first;
}

static LlJsonNode *
read_object (Reader *reader,
             guint   depth)
{
  LlJsonNode *node = node_new (reader, LL_JSON_OBJECT, reader_position (reader));
  guint base = reader->members->len;
  gssize duplicate;
  int more;

  more = read_opening (reader, '}');
  while (more > 0)
    {
      LlJsonMember member = { NULL, reader_position (reader), NULL };

      if (reader_peek (reader, 0) != '"' || reader_at_end (reader))
        {
          g_autofree char *found = describe_next (reader);

          fail (reader, member.position,
                "JSON syntax error: expected a member name in double quotes, found %s", found);
          return NULL;
        }
      member.name = read_string (reader);
      if (member.name == NULL)
        return NULL;
      reader_skip_space (reader);
      if (reader_peek (reader, 0) != ':' || reader_at_end (reader))
        {
          g_autofree char *found = describe_next (reader);
          g_autofree char *name = _ll_quote (member.name, -1, 256);

          fail (reader, reader_position (reader),
                "JSON syntax error: expected ':' after the member name '%s', found %s",
                name, found);
          return NULL;
        }
      reader_advance (reader);
      member.value = read_value (reader, depth);
      if (member.value == NULL)
        return NULL;
      g_array_append_val (reader->members, member);
      more = read_separator (reader, '}', "an object member");
    }
  if (more < 0)
    return NULL;

  node->object.size = reader->members->len - base;
  node->object.members = arena_copy (&reader->arena, reader->members->data, base,
                                     node->object.size, sizeof (LlJsonMember));
  g_array_set_size (reader->members, base);
  duplicate = find_first_duplicate (node->object.members, node->object.size);
  if (duplicate >= 0)
    node->object.duplicate = &node->object.members[duplicate];
  return node;
}

static LlJsonNode *
read_value (Reader *reader,
            guint   depth)
{
  guint64 position;
  char c;

  reader_skip_space (reader);
  position = reader_position (reader);
  if (reader_at_end (reader))
    {
      fail (reader, position, "JSON syntax error: the document ends before its value does");
      return NULL;
    }
  /* The tree takes memory in proportion to its values, whatever their
   * size: bounded, so that a small document cannot take a lot. */
  if (++reader->n_values > LL_JSON_MAX_VALUES)
    {
      fail (reader, position,
            "the document holds more than %d JSON values (strings, numbers, arrays and "
            "objects), the most this implementation reads: give the parents that have the "
            "same rights in one pathBeneath item, the ports in one netPort item",
            LL_JSON_MAX_VALUES);
      return NULL;
    }

  c = reader->data[reader->offset];
  switch (c)
    {
    case '{':
    case '[':
      /* The bound keeps the recursion of this reader and of every walk of
       * its tree shallow, whatever the document. */
      if (depth + 1 > LL_JSON_MAX_NESTING)
        {
          fail (reader, position, "JSON syntax error: nesting deeper than %d levels",
                LL_JSON_MAX_NESTING);
          return NULL;
        }
      return c == '{' ? read_object (reader, depth + 1) : read_array (reader, depth + 1);

    case '"':
      {
        char *string = read_string (reader);
        LlJsonNode *node;

        if (string == NULL)
          return NULL;
        node = node_new (reader, LL_JSON_STRING, position);
        node->string = string;
        return node;
      }

    default:
      break;
    }

  if (c == '-' || g_ascii_isdigit (c))
    return read_number (reader);

  {
    static const struct
    {
      const char *text;
      LlJsonType type;
      gboolean value;
    } literals[] = {
      { "true", LL_JSON_BOOLEAN, TRUE },
      { "false", LL_JSON_BOOLEAN, FALSE },
      { "null", LL_JSON_NULL, FALSE },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (literals); i++)
      {
        gsize n = strlen (literals[i].text);

        if (reader->length - reader->offset >= n &&
            memcmp (reader->data + reader->offset, literals[i].text, n) == 0 &&
            !g_ascii_isalnum (reader_peek (reader, n)) && reader_peek (reader, n) != '_')
          {
            LlJsonNode *node = node_new (reader, literals[i].type, position);

            node->boolean = literals[i].value;
            for (gsize k = 0; k < n; k++)
              reader_advance (reader);
            return node;
          }
      }
  }

  if (c == '}' || c == ']' || c == ',' || c == ':')
    fail (reader, position, "JSON syntax error: expected a value, found '%c'", c);
  else if ((guchar) c >= 0x20 && (guchar) c < 0x7f)
    fail (reader, position, "JSON syntax error: unexpected character '%c'", c);
  else
    fail (reader, position, "JSON syntax error: unexpected byte 0x%02x", (guchar) c);
  return NULL;
}

/* Where the first invalid byte of @data is, as a position. */
static guint64
position_of (const char *data,
             gsize       offset)
{
  guint line = 1, column = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) data[i] & 0xc0) != 0x80)
        column++;
    }
  return LL_JSON_POSITION (line, column);
}

/*
 * _ll_json_parse:
 * @data: the document, not necessarily NUL-terminated
 * @length: its length in bytes
 * @error: (out caller-allocates): where and why, when it is refused
 *
 * Reads one RFC 8259 JSON document: UTF-8, one value, nothing after it
 * but white space, at most %LL_JSON_MAX_NESTING levels deep, integers
 * within #gint64, no NUL character in any string. Duplicate keys are kept
 * and the first one is pointed out (#LlJsonNode.object.duplicate). One
 * extension: a lone trailing surrogate from \udc80 to \udcff stands for
 * the byte 0x80 to 0xff, as ll_ruleset_to_json() writes the bytes of a
 * path that are not UTF-8; every other lone surrogate is refused.
 *
 * Returns: (transfer full) (nullable): the root, or %NULL with @error set
 *   (free its message)
 */
LlJsonNode *
_ll_json_parse (const char        *data,
                gsize              length,
                LlJsonSyntaxError *error)
{
  Reader reader = { data, length, 0, 1, 1, error, };
  Document *document;
  const char *invalid;
  LlJsonNode *root;

  error->position = 0;
  error->message = NULL;

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      /* A NUL byte stops g_utf8_validate too: say which it is. */
      error->position = position_of (data, invalid - data);
      error->message = g_strdup (*invalid == '\0'
                                   ? "the document holds a NUL byte, which JSON does not allow"
                                   : "the document is not valid UTF-8");
      return NULL;
    }

  reader.arena.blocks = g_ptr_array_new_with_free_func (g_free);
  reader.elements = g_ptr_array_new ();
  reader.members = g_array_new (FALSE, FALSE, sizeof (LlJsonMember));

  root = read_value (&reader, 0);
  if (root != NULL)
    {
      reader_skip_space (&reader);
      if (!reader_at_end (&reader))
        {
          fail (&reader, reader_position (&reader),
                "JSON syntax error: trailing characters after the document");
          root = NULL;
        }
    }
  g_ptr_array_unref (reader.elements);
  g_array_unref (reader.members);

  if (root == NULL)
    {
      g_ptr_array_unref (reader.arena.blocks);
      return NULL;
    }
  /* Nothing points to the root itself (a duplicate points into its
   * members), so it can move into the document that owns the arena. */
  document = g_new (Document, 1);
  document->root = *root;
  document->blocks = reader.arena.blocks;
  return &document->root;
}

/*
 * _ll_json_node_free:
 * @node: (nullable): the root of a tree from _ll_json_parse()
 *
 * Frees the whole tree, at once (its nodes are not allocated one by one:
 * only a root can be freed).
 */
void
_ll_json_node_free (LlJsonNode *node)
{
  Document *document = (Document *) node;

  if (document == NULL)
    return;
  g_ptr_array_unref (document->blocks);
  g_free (document);
}

/* Writing */

void
_ll_json_writer_init (LlJsonWriter *writer,
                      GString      *out)
{
  writer->out = out;
  writer->depth = 0;
  writer->empty = TRUE;
  writer->after_name = FALSE;
}

static void
writer_newline (LlJsonWriter *writer,
                guint         depth)
{
  g_string_append_c (writer->out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (writer->out, "  ");
}

/* Before any value: a member's value follows its name; an element goes
 * on a line of its own, after a comma if it is not the first. */
static void
writer_before_value (LlJsonWriter *writer)
{
  if (writer->after_name)
    {
      writer->after_name = FALSE;
      return;
    }
  if (writer->depth == 0)
    return;
  if (!writer->empty)
    g_string_append_c (writer->out, ',');
  writer->empty = FALSE;
  writer_newline (writer, writer->depth);
}

static void
writer_begin (LlJsonWriter *writer,
              char          bracket)
{
  writer_before_value (writer);
  g_string_append_c (writer->out, bracket);
  writer->depth++;
  writer->empty = TRUE;
}

static void
writer_end (LlJsonWriter *writer,
            char          bracket)
{
  g_return_if_fail (writer->depth > 0);

  writer->depth--;
  if (!writer->empty)
    writer_newline (writer, writer->depth);
  g_string_append_c (writer->out, bracket);
  /* One flag is enough: the parent of a container that just closed has
   * at least that container in it. */
  writer->empty = FALSE;
}

void
_ll_json_writer_begin_object (LlJsonWriter *writer)
{
  writer_begin (writer, '{');
}

void
_ll_json_writer_end_object (LlJsonWriter *writer)
{
  writer_end (writer, '}');
}

void
_ll_json_writer_begin_array (LlJsonWriter *writer)
{
  writer_begin (writer, '[');
}

void
_ll_json_writer_end_array (LlJsonWriter *writer)
{
  writer_end (writer, ']');
}

/* Whether the writer spells @c as \uXXXX although JSON allows it as it
 * is: DEL, the C1 controls, the line and paragraph separators and the
 * bidirectional formatting characters, which would act on a terminal
 * that shows the document (landlock-run --print-policy). Every JSON
 * reader reads the escape back as the same character. */
static gboolean
escape_for_display (gunichar c)
{
  return (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* A JSON string holds Unicode text and a path holds bytes. A byte that is
 * not part of valid UTF-8 is written as a lone trailing surrogate,
 * \udc80 to \udcff (the mapping of Python's "surrogateescape", PEP 383):
 * _ll_json_parse() reads it back as that byte, so a path is never saved
 * as another one (g_utf8_make_valid() used to turn /tmp/\xff into
 * /tmp/\ufffd, a path that someone else may be able to create). No valid
 * UTF-8 text can hold a surrogate, so the escape means nothing else; a
 * reader that keeps to Unicode, as the reference's serde_json does,
 * rejects the document instead of reading another path. */
static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0';)
    {
      guchar byte = (guchar) *c;
      char letter = escape_letter (*c);
      gunichar u;

      if (letter != '\0')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, letter);
          c++;
          continue;
        }
      if (byte < 0x20 || byte == 0x7f)
        {
          g_string_append_printf (out, "\\u%04x", byte);
          c++;
          continue;
        }
      if (byte < 0x80)
        {
          g_string_append_c (out, *c++);
          continue;
        }

      u = g_utf8_get_char_validated (c, -1);
      if (u >= 0x110000)
        {
          g_string_append_printf (out, "\\u%04x", 0xdc00 + byte);
          c++;
        }
      else if (escape_for_display (u))
        {
          g_string_append_printf (out, "\\u%04x", u);
          c = g_utf8_next_char (c);
        }
      else
        {
          const char *next = g_utf8_next_char (c);

          g_string_append_len (out, c, next - c);
          c = next;
        }
    }
  g_string_append_c (out, '"');
}

void
_ll_json_writer_member (LlJsonWriter *writer,
                        const char   *name)
{
  g_return_if_fail (writer->depth > 0 && !writer->after_name);

  writer_before_value (writer);
  append_quoted (writer->out, name);
  g_string_append (writer->out, " : ");
  writer->after_name = TRUE;
}

void
_ll_json_writer_string (LlJsonWriter *writer,
                        const char   *value)
{
  writer_before_value (writer);
  append_quoted (writer->out, value);
}

void
_ll_json_writer_integer (LlJsonWriter *writer,
                         gint64        value)
{
  writer_before_value (writer);
  g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, value);
}
