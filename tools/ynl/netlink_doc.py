#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The command and attribute tables of docs/netlink.md, generated from the netlink spec.

docs/netlink.md keeps its prose by hand; between the "generated" markers it holds tables this
script writes from docs/netlink/bulkhead.yaml, so that the document cannot drift from the ABI:
  netlink_doc.py --check   exit 1, with a diff, when the document is not what the spec gives
  netlink_doc.py --write   rewrite the generated parts ("make netlink-doc")
"""
import difflib
import os
import re
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(TOP, 'docs/netlink/bulkhead.yaml')
DOC = os.path.join(TOP, 'docs/netlink.md')
BEGIN = '<!-- generated from docs/netlink/bulkhead.yaml by tools/ynl/netlink_doc.py: {} -->'
END = '<!-- end of generated {} -->'

# What each pre_doit of kmod/netlink.c checks, as the spec names them for the commands.
PRE = {
    'bulkhead-nl-pre-anyone': 'anyone',
    'bulkhead-nl-pre-mac-admin': '`CAP_MAC_ADMIN`',
    'bulkhead-nl-pre-mac-admin-unlocked': '`CAP_MAC_ADMIN`; refused once locked',
    'bulkhead-nl-pre-audit-read': '`CAP_AUDIT_READ`',
    'bulkhead-nl-pre-audit-control': '`CAP_AUDIT_CONTROL`',
    'bulkhead-nl-pre-audit-control-unlocked': '`CAP_AUDIT_CONTROL`; refused once locked',
    'bulkhead-nl-pre-lock': '`CAP_MAC_ADMIN` and `CAP_AUDIT_CONTROL`',
    'bulkhead-nl-pre-selftest': '`CAP_AUDIT_CONTROL` or `CAP_MAC_ADMIN`',
}
# A dump has no pre_doit: the module's one dump, the policy, checks in its first call.
DUMP_WHO = '`CAP_MAC_ADMIN` (checked by the dump)'


def upper(name):
    return name.upper().replace('-', '_')


def one_line(text):
    return ' '.join(text.split()).replace('|', '\\|')


def attr_names(op_mode, part):
    names = op_mode.get(part, {}).get('attributes', []) if op_mode else []
    # A request of pad alone takes nothing: the spec says so to get a refuse-all policy.
    names = [n for n in names if n != 'pad']
    return ', '.join(f'`{upper(n)}`' for n in names) or 'none'


def commands(spec):
    rows = ['| command | who may call | request | reply | what it does |',
            '|---|---|---|---|---|']
    for op in spec['operations']['list']:
        if 'do' in op:
            mode, who = op['do'], PRE[op['do']['pre']]
        elif 'dump' in op:
            mode, who = op['dump'], DUMP_WHO
        else:
            continue    # unspec, and the notification (see Events)
        name = f"`BULKHEAD_CMD_{upper(op['name'])}`" + (' (dump)' if 'dump' in op else '')
        rows.append(f"| {name} | {who} | {attr_names(mode, 'request')} | "
                    f"{attr_names(mode, 'reply')} | {one_line(op['doc'])} |")
    return rows


def checks(spec, attr):
    consts = {d['name']: d.get('value') for d in spec['definitions'] if d['type'] == 'const'}
    out = []
    for key, val in attr.get('checks', {}).items():
        val = consts.get(val, val)
        out.append({'max-len': f'at most {val} bytes', 'exact-len': f'{val} bytes',
                    'min': f'>= {val}', 'max': f'<= {val}'}.get(key, f'{key} {val}'))
    if 'enum' in attr:
        kind = 'bits of' if attr.get('enum-as-flags') else 'one of'
        out.append(f"{kind} `{attr['enum']}`")
    return ', '.join(out)


def attributes(spec):
    rows = []
    for aset in spec['attribute-sets']:
        if 'subset-of' in aset:
            continue
        prefix = upper(aset.get('name-prefix', ''))
        rows += ['', f"Attribute set `{aset['name']}` (`enum {aset['enum-name'].replace('-', '_')}`):",
                 '', '| attribute | type | checked | meaning |', '|---|---|---|---|']
        for attr in aset['attributes']:
            if attr['type'] == 'unused':
                continue
            kind = attr['type']
            if kind == 'nest':
                kind = f"nest of `{attr['nested-attributes']}`"
            if attr.get('multi-attr'):
                kind += ', repeated'
            name = upper(attr.get('name-prefix', prefix)) + upper(attr['name'])
            rows.append(f"| `{name}` | {kind} | {checks(spec, attr)} | {one_line(attr['doc'])} |")
    subsets = [s for s in spec['attribute-sets'] if s.get('subset-of') == 'obj']
    rows += ['', 'Each kind of object takes these attributes of `obj`:', '']
    for aset in subsets:
        names = ', '.join(f"`{upper(a['name'])}`" for a in aset['attributes'])
        rows.append(f"- `{aset['name']}`: {names}")
    return rows[1:]


def render(doc, spec):
    for part, rows in (('commands', commands(spec)), ('attributes', attributes(spec))):
        begin, end = BEGIN.format(part), END.format(part)
        pattern = re.compile(re.escape(begin) + '\n.*?' + re.escape(end), re.S)
        if not pattern.search(doc):
            sys.exit(f'{DOC}: no "{begin}" ... "{end}" block')
        doc = pattern.sub(lambda _: '\n'.join([begin] + rows + [end]), doc)
    return doc


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ('--check', '--write'):
        sys.exit(__doc__)
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    with open(DOC) as f:
        doc = f.read()
    new = render(doc, spec)
    if sys.argv[1] == '--write':
        if new != doc:
            with open(DOC, 'w') as f:
                f.write(new)
        return 0
    if new != doc:
        sys.stdout.writelines(difflib.unified_diff(doc.splitlines(True), new.splitlines(True),
                                                   'docs/netlink.md', 'from the spec'))
        print('docs/netlink.md disagrees with docs/netlink/bulkhead.yaml: '
              'run "make netlink-doc"', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
