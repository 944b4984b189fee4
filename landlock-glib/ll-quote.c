/* ll-quote.c: input quoted into a message, safe to print
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A message quotes what it was given: a key of a policy document, a
 * template, a path. Printed as it is, such text could drive the terminal
 * that shows the message (an escape sequence can retitle the window or
 * rewrite the screen), start a new line that looks like another message,
 * or reorder what follows it (the bidirectional overrides of "Trojan
 * source"). So every message quotes input through here: what could do any
 * of that is written as an escape, everything else as it is, and the
 * result is valid UTF-8 even when the input is not (a file name or a path
 * need not be).
 *
 * Escaped: the C0 controls and DEL (\n, \r, \t, else \u00XX), the C1
 * controls U+0080 to U+009F (some terminals obey them, U+0085 is a line
 * break), the line and paragraph separators U+2028 and U+2029, and the
 * bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069), as \uXXXX; a byte that is not part of valid
 * UTF-8 as \xHH, so that the message shows which byte it was rather than
 * U+FFFD. A backslash is not escaped: the messages' own text uses it
 * (`$$`, `\n` in advice), and the escapes are for display, not to be read
 * back. Other invisible characters (zero-width spaces) move or break
 * nothing and are kept. */

#include <string.h>

#include "ll-quote-private.h"

static gboolean
needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x2028 && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

/*
 * _ll_quote_append:
 * @out: where to append
 * @text: the input to quote
 * @length: its length in bytes, or -1 if it is nul-terminated
 * @max_bytes: the most bytes to append (escapes included), before an
 *   ellipsis that says the text was cut
 *
 * Appends @text to @out with every character that could control a
 * terminal, break a line or reorder the text escaped; the appended text
 * is valid UTF-8 and printable. Only what is appended is read: a long
 * input costs what its first @max_bytes cost.
 *
 * Returns: %TRUE if @text was cut
 */
gboolean
_ll_quote_append (GString    *out,
                  const char *text,
                  gssize      length,
                  gsize       max_bytes)
{
  const char *p = text;
  const char *end = length >= 0 ? text + length : NULL;
  gsize appended = 0;

  while (end != NULL ? p < end : *p != '\0')
    {
      guchar byte = (guchar) *p;
      gssize left = end != NULL ? end - p : -1;
      char escape[16];
      const char *piece = escape;
      gsize piece_length;
      gsize consumed;
      gunichar c;

      if (byte < 0x80)
        {
          c = byte;
          consumed = 1;
        }
      else
        {
          c = g_utf8_get_char_validated (p, left);
          /* A NUL inside a sequence is no end of the text here. */
          consumed = c < 0x110000 ? (gsize) g_utf8_skip[byte] : 1;
        }

      if (c >= 0x110000)
        piece_length = g_snprintf (escape, sizeof escape, "\\x%02x", byte);
      else if (c == '\n')
        piece = "\\n", piece_length = 2;
      else if (c == '\r')
        piece = "\\r", piece_length = 2;
      else if (c == '\t')
        piece = "\\t", piece_length = 2;
      else if (needs_escape (c))
        piece_length = g_snprintf (escape, sizeof escape, "\\u%04x", c);
      else
        {
          piece = p;
          piece_length = consumed;
        }

      if (appended + piece_length > max_bytes)
        {
          g_string_append (out, "…");
          return TRUE;
        }
      g_string_append_len (out, piece, piece_length);
      appended += piece_length;
      p += consumed;
    }
  return FALSE;
}

/*
 * _ll_quote:
 *
 * The same as _ll_quote_append(), into a new string.
 *
 * Returns: (transfer full): @text, safe to print
 */
char *
_ll_quote (const char *text,
           gssize      length,
           gsize       max_bytes)
{
  GString *out = g_string_new (NULL);

  _ll_quote_append (out, text, length, max_bytes);
  return g_string_free (out, FALSE);
}
