#!/usr/bin/env python3
# check-doc-snippets.py: the reference's code is the examples' code
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Checks that the code snippets of a DocBook page are taken from examples.

    check-doc-snippets.py PAGE[#SECTION_ID] LANGUAGE=EXAMPLE...

Every <programlisting language="LANGUAGE"> of PAGE (or of its section
SECTION_ID only) whose LANGUAGE is given must come from EXAMPLE: each
paragraph of the snippet (lines between blank lines) must be found in the
example as consecutive lines, in the same order, indented alike (the
paragraph may sit deeper in the example, inside a function). A snippet may
leave out whole paragraphs of the example (its comments, its option
parsing), but not change a line, so that the reference cannot drift from
code that the examples suite runs. Listings in other languages (shell
sessions) are not checked, and each LANGUAGE given must have one.

Exit status: 0 when every snippet is found, 1 otherwise.
"""

import re
import sys
import textwrap

LISTING = re.compile(r'<programlisting language="([^"]+)"><!\[CDATA\[\n(.*?)\]\]></programlisting>',
                     re.S)


def paragraphs(text):
    block = []
    for line in text.splitlines():
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def find(lines, block, start):
    """The index after @block's first occurrence in @lines from @start, or
    None; indentation is compared relative to each one's first line."""
    wanted = textwrap.dedent('\n'.join(block))
    for i in range(start, len(lines) - len(block) + 1):
        if textwrap.dedent('\n'.join(lines[i:i + len(block)])) == wanted:
            return i + len(block)
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.split('\n\n')[1])
    page, _, section = sys.argv[1].partition('#')
    examples = dict(arg.split('=', 1) for arg in sys.argv[2:])
    with open(page, encoding='utf-8') as f:
        text = f.read()
    if section:
        start = text.find('<section id="%s">' % section)
        if start < 0:
            print('check-doc-snippets: %s has no section %s' % (page, section))
            return 1
        text = text[start:text.index('</section>', start)]
        page = sys.argv[1]
    listings = LISTING.findall(text)

    failed = False
    checked = set()
    for language, code in listings:
        if language not in examples:
            continue
        with open(examples[language], encoding='utf-8') as f:
            lines = [line.rstrip() for line in f.read().splitlines()]
        position = 0
        for block in paragraphs(code):
            found = find(lines, block, position)
            if found is None:
                print('check-doc-snippets: %s: this %s paragraph is not in %s (or not in this order):'
                      % (page, language, examples[language]))
                print('\n'.join('    ' + line for line in block))
                failed = True
                break
            position = found
        checked.add(language)

    for language in sorted(set(examples) - checked):
        print('check-doc-snippets: %s has no %s listing' % (page, language))
        failed = True
    if not failed:
        print('check-doc-snippets: %d listings of %s are the examples\' code'
              % (sum(language in examples for language, _ in listings), page))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
