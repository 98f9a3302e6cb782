#!/usr/bin/env python3
# check-commands.py: runs the commands that README.md and the guides give,
# as written, so that none of them goes stale.
#
# SPDX-License-Identifier: MIT
#
# usage: check-commands.py SOURCE_DIR BUILD_DIR
#
# A command is an inline code span or a line of a code block that starts
# with `meson devenv -C build` or runs a program under `build/`: the build
# tree the README's commands make. It runs from SOURCE_DIR with that `build` made BUILD_DIR,
# and must exit with status 0 within a minute. The file ends with status 1
# if one did not, or if no command was found.

import glob
import os
import re
import shlex
import subprocess
import sys

# A program in the build tree, not the folder itself (`build/`).
COMMAND = re.compile(r'^(meson devenv -C build |build/[^\s/]+/[^\s/]*[^\s/](\s|$))')
TIMEOUT_S = 60


def commands(path):
    """The commands of the Markdown file @path, in order."""
    in_block = False
    for line in open(path, encoding='utf-8'):
        if line.lstrip().startswith('```'):
            in_block = not in_block
            continue
        candidates = [line.strip()] if in_block else re.findall(r'`([^`]+)`', line)
        for text in candidates:
            if COMMAND.match(text):
                yield text


def run(command, source_dir, build_dir):
    argv = shlex.split(command)
    if argv[:3] == ['meson', 'devenv', '-C']:
        argv[3] = build_dir
    else:
        argv[0] = os.path.join(build_dir, argv[0][len('build/'):])
    try:
        done = subprocess.run(argv, cwd=source_dir, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return 'still running after %d s' % TIMEOUT_S
    if done.returncode != 0:
        return 'exit status %d:\n%s' % (done.returncode, done.stderr.decode(errors='replace'))
    return None


def main():
    source_dir, build_dir = (os.path.abspath(p) for p in sys.argv[1:3])
    pages = [os.path.join(source_dir, 'README.md')] + \
        sorted(glob.glob(os.path.join(source_dir, 'docs', '*.md')))
    found = failed = 0
    for page in pages:
        for command in commands(page):
            found += 1
            problem = run(command, source_dir, build_dir)
            where = os.path.relpath(page, source_dir)
            if problem is None:
                print('ok %d - %s: %s' % (found, where, command))
            else:
                failed += 1
                print('not ok %d - %s: %s: %s' % (found, where, command, problem))
    print('1..%d' % found)
    return 1 if failed or not found else 0


if __name__ == '__main__':
    sys.exit(main())
