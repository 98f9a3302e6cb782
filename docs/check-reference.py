#!/usr/bin/env python3
# check-reference.py: reads the API reference that gi-docgen generated and
# fails on a page with an empty description or a broken link.
#
# SPDX-License-Identifier: MIT
#
# usage: check-reference.py REFERENCE_DIR
#
# gi-docgen does not warn when a symbol, a parameter, a class struct member
# or a vfunc has no documentation: it prints "No description available."
# in its place. Nor does it check a link it writes for a symbol that has no
# page of its own (a class struct such as MaikoMonitorClass lives on the
# class's page), or a plain link in a guide. This script reads every HTML
# page of REFERENCE_DIR and reports, as TAP, one test per page: the page
# fails on each "No description available." or "No description provided"
# (named by the item it stands for) and on each relative link, in an href
# or a src, to a file that does not exist or to an anchor that the target
# page does not have.

import html.parser
import os
import sys
import urllib.parse

# What gi-docgen writes in place of a missing description: of a symbol
# and its parts, and of a dependency that maiko.toml.in does not describe.
MISSING = ('No description available.', 'No description provided')


class Page(html.parser.HTMLParser):
    """The anchors, links and empty descriptions of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []
        self.missing = []
        # The text of the last heading or <dt>: what an empty description
        # that follows it belongs to.
        self.item = 'the page'
        self._collecting = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ('id', 'name'):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ('href', 'src'):
            if attrs.get(key) is not None:
                self.links.append(attrs[key])
        if tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt'):
            self._collecting = tag
            self._text = []

    def handle_endtag(self, tag):
        if tag == self._collecting:
            text = ' '.join(''.join(self._text).split())
            if text:
                self.item = text
            self._collecting = None

    def handle_data(self, data):
        if self._collecting:
            self._text.append(data)
        if any(text in data for text in MISSING):
            self.missing.append(self.item)


def parse(path):
    page = Page()
    with open(path, encoding='utf-8') as f:
        page.feed(f.read())
    page.close()
    return page


def local_target(link):
    """The (path, fragment) a link points to in the reference, or None for
    a link that leaves it (another site, javascript:, mailto:)."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    return urllib.parse.unquote(parts.path), urllib.parse.unquote(parts.fragment)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: check-reference.py REFERENCE_DIR\n')
        return 2
    root = os.path.abspath(sys.argv[1])
    names = sorted(n for n in os.listdir(root) if n.endswith('.html'))
    if not names:
        print('1..0 # SKIP no HTML page in %s' % root)
        return 1

    pages = {}
    for name in names:
        pages[name] = parse(os.path.join(root, name))

    print('1..%d' % len(names))
    failed = 0
    for number, name in enumerate(names, 1):
        page = pages[name]
        problems = ['no description: %s' % item for item in page.missing]
        for link in page.links:
            target = local_target(link)
            if target is None:
                continue
            path, fragment = target
            if path:
                file = os.path.normpath(os.path.join(root, path))
                if not os.path.isfile(file):
                    problems.append('broken link: %s (no such file)' % link)
                    continue
                other = pages.get(os.path.relpath(file, root))
            else:
                other = page
            if fragment and other is not None and fragment not in other.ids:
                problems.append('broken link: %s (no such anchor)' % link)
        if problems:
            failed += 1
            print('not ok %d - %s' % (number, name))
            for problem in problems:
                print('# %s' % problem)
        else:
            print('ok %d - %s' % (number, name))

    if failed:
        print('# %d of %d pages have an empty description or a broken link'
              % (failed, len(names)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
