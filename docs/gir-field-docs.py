#!/usr/bin/env python3
# gir-field-docs.py: copies a GIR for gi-docgen, with the documentation of
# the virtual method fields of class structs that g-ir-scanner dropped.
#
# SPDX-License-Identifier: MIT
#
# usage: gir-field-docs.py SOURCE_DIR INPUT_GIR OUTPUT_GIR
#
# g-ir-scanner reads the `@on_start:` lines of a class struct's doc
# comment, but the one of gobject-introspection 1.74 (Debian bookworm)
# does not write them for a field that is a function pointer (newer
# scanners do): the GIR has no <doc> on those fields, and gi-docgen shows
# "No description available." for each of them in the "Class members" of
# the class's page. This script reads those lines from the
# source file that the GIR names for the class struct's doc comment and
# puts them in the copy of the GIR that the reference is built from. A
# field that already has a <doc> (a newer scanner) is left alone, and a
# field that the comment does not describe stays empty, for
# check-reference.py to report. The installed GIR is not touched.

import os
import re
import sys
import xml.etree.ElementTree as ET

NAMESPACES = {
    '': 'http://www.gtk.org/introspection/core/1.0',
    'c': 'http://www.gtk.org/introspection/c/1.0',
    'doc': 'http://www.gtk.org/introspection/doc/1.0',
    'glib': 'http://www.gtk.org/introspection/glib/1.0',
}
CORE = '{%s}' % NAMESPACES['']
C_TYPE = '{%s}type' % NAMESPACES['c']
GTYPE_STRUCT_FOR = '{%s}is-gtype-struct-for' % NAMESPACES['glib']
XML_SPACE = '{http://www.w3.org/XML/1998/namespace}space'

# A parameter line of a doc comment: "@name: (annotations): text".
PARAMETER = re.compile(r'^@(\w+):\s*(?:\([^)]*\)\s*)*(?::\s*)?(.*)$')


def comment_parameters(path, symbol):
    """The @parameter descriptions of the doc comment of @symbol in the
    file @path, as a dict of (text, line number); empty if there is no
    such comment."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    block = re.search(r'/\*\*\s*\n\s*\*\s*%s:\s*\n(.*?)\*/' % re.escape(symbol), text, re.S)
    if block is None:
        return {}
    first_line = text.count('\n', 0, block.start(1)) + 1
    descriptions = {}
    current = None
    for number, line in enumerate(block.group(1).split('\n'), first_line):
        line = re.sub(r'^\s*\*( |$)', '', line)
        match = PARAMETER.match(line)
        if match:
            current = match.group(1)
            descriptions[current] = [match.group(2).strip(), number]
        elif current is not None and line.startswith(' ') and line.strip():
            descriptions[current][0] += ' ' + line.strip()
        else:
            # A blank line or the description: the parameters are over.
            current = None
    return descriptions


def source_of(record):
    """The file, as the GIR names it, of the record's doc comment."""
    for tag in ('doc', 'source-position'):
        node = record.find(CORE + tag)
        if node is not None and node.get('filename'):
            return node.get('filename')
    return None


def main():
    if len(sys.argv) != 4:
        sys.stderr.write('usage: gir-field-docs.py SOURCE_DIR INPUT_GIR OUTPUT_GIR\n')
        return 2
    source_dir, input_gir, output_gir = sys.argv[1:]
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    tree = ET.parse(input_gir)

    filled = 0
    for record in tree.iter(CORE + 'record'):
        if record.get(GTYPE_STRUCT_FOR) is None:
            continue
        fields = [field for field in record.findall(CORE + 'field')
                  if field.find(CORE + 'callback') is not None
                  and field.find(CORE + 'doc') is None]
        filename = source_of(record)
        if not fields or filename is None:
            continue
        path = os.path.join(source_dir, filename)
        if not os.path.isfile(path):
            continue
        descriptions = comment_parameters(path, record.get(C_TYPE))
        for field in fields:
            text, line = descriptions.get(field.get('name'), ('', 0))
            if not text:
                continue
            doc = ET.Element(CORE + 'doc', {XML_SPACE: 'preserve', 'filename': filename,
                                            'line': str(line)})
            doc.text = text
            doc.tail = field.text
            field.insert(0, doc)
            filled += 1

    tree.write(output_gir, encoding='UTF-8', xml_declaration=True)
    print('%s: documented %d class struct fields' % (os.path.basename(output_gir), filled))
    return 0


if __name__ == '__main__':
    sys.exit(main())
