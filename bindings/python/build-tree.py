#!/usr/bin/env python3
# build-tree.py: lays out the Python overrides in the build tree.
#
# SPDX-License-Identifier: MIT
#
# usage: build-tree.py MAIKO_PY GI_INIT OUTPUT GI_DIR PYTHON
#
# Copies MAIKO_PY to OUTPUT (the target's declared output) and to
# GI_DIR/overrides/Maiko.py, and writes GI_DIR/__init__.py from GI_INIT
# (build-tree-gi.py) with @MAIKO_PYTHON@ replaced by PYTHON, the
# interpreter that has PyGObject, for its error message.

import os
import shutil
import sys


def main():
    maiko_py, gi_init, output, gi_dir, python = sys.argv[1:]
    os.makedirs(os.path.join(gi_dir, 'overrides'), exist_ok=True)
    shutil.copyfile(maiko_py, os.path.join(gi_dir, 'overrides', 'Maiko.py'))
    with open(gi_init, encoding='utf-8') as f:
        text = f.read().replace('@MAIKO_PYTHON@', python)
    with open(os.path.join(gi_dir, '__init__.py'), 'w', encoding='utf-8') as f:
        f.write(text)
    shutil.copyfile(maiko_py, output)


if __name__ == '__main__':
    main()
