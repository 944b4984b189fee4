#!/usr/bin/env python3
# Extracts the seed corpus for fuzz-policy from the conformance data:
# every document of tests/policy/data/cases.json (each input string, and
# each element of list inputs), the JSON examples and the composition
# files, the regression inputs of tests/policy/regressions/ and the ready
# policies of examples/policies/. Writes tests/fuzz/corpus/<name>.json (names from the case name and
# a short hash, so reruns are stable).
#
#   tests/fuzz/make-corpus.py [OUTDIR]
# SPDX-License-Identifier: LGPL-2.1-or-later

import hashlib
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'policy', 'data')
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'corpus')
os.makedirs(out, exist_ok=True)

seen = set()


def emit(name, text):
    if isinstance(text, str):
        blob = text.encode('utf-8', 'surrogatepass')
    else:
        blob = json.dumps(text, indent=2).encode()
    digest = hashlib.sha1(blob).hexdigest()[:10]
    if digest in seen:
        return
    seen.add(digest)
    safe = re.sub(r'[^A-Za-z0-9_.-]+', '_', name)[:60]
    with open(os.path.join(out, '%s-%s.json' % (safe, digest)), 'wb') as f:
        f.write(blob)


with open(os.path.join(data, 'cases.json')) as f:
    cases = json.load(f)
for case in cases:
    inp = case.get('input')
    name = case.get('name', 'case')
    if isinstance(inp, list):
        for i, doc in enumerate(inp):
            emit('%s-%d' % (name, i), doc)
    elif inp is not None:
        emit(name, inp)

for root, _dirs, files in os.walk(data):
    for fn in sorted(files):
        if fn.endswith('.json') and fn not in ('cases.json', 'schema.json'):
            with open(os.path.join(root, fn), 'rb') as f:
                blob = f.read()
            emit(os.path.relpath(os.path.join(root, fn), data), blob.decode('utf-8', 'replace'))

regressions = os.path.join(here, '..', 'policy', 'regressions')
for fn in sorted(os.listdir(regressions)):
    # Not the accepted expansions: thousands of paths take seconds under
    # the sanitizers, and their mutations would slow the whole run down.
    if fn.startswith(('accept-', 'reject-')) and not fn.startswith('accept-expansion'):
        with open(os.path.join(regressions, fn), 'rb') as f:
            blob = f.read()
        digest = hashlib.sha1(blob).hexdigest()[:10]
        if digest not in seen:
            seen.add(digest)
            with open(os.path.join(out, 'regression-%s' % fn), 'wb') as f:
                f.write(blob)

examples = os.path.join(here, '..', '..', 'examples', 'policies')
if os.path.isdir(examples):
    for fn in sorted(os.listdir(examples)):
        if fn.endswith('.json'):
            with open(os.path.join(examples, fn)) as f:
                emit('examples-' + fn, f.read())

print('%d documents in %s' % (len(seen), out))
