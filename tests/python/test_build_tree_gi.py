# The build tree's gi folder (bindings/python/build-tree-gi.py): with
# PyGObject it loads the real gi, which finds the Maiko overrides there; a
# Python without PyGObject gets an ImportError that says what to install,
# not an AttributeError from an empty `gi` namespace.
#
# SPDX-License-Identifier: MIT

import os
import subprocess
import sys

import gi
from gi.repository import Maiko


def build_tree_root():
    """The PYTHONPATH folder that holds the build tree's gi/."""
    for entry in os.environ.get('PYTHONPATH', '').split(os.pathsep):
        if os.path.isfile(os.path.join(entry, 'gi', '__init__.py')) and \
           os.path.isfile(os.path.join(entry, 'gi', 'overrides', 'Maiko.py')):
            return os.path.abspath(entry)
    raise AssertionError('no build tree gi folder on PYTHONPATH')


def test_the_real_gi_is_loaded():
    root = build_tree_root()
    assert not os.path.abspath(gi.__file__).startswith(root + os.sep)
    assert os.path.join(root, 'gi') in gi.__path__
    assert callable(gi.require_version)
    assert Maiko.EventEntry.__module__ == 'gi.overrides.Maiko'


def test_a_python_without_pygobject_is_told_so():
    root = build_tree_root()
    # A Python without PyGObject: no site folders (-S), and no folder but
    # the build tree's that holds a gi.
    script = '\n'.join([
        'import os, sys',
        'sys.path[:] = [sys.argv[1]] + [p for p in sys.path',
        '               if p and not os.path.exists(os.path.join(p, "gi"))]',
        'import gi',
        'gi.require_version("Maiko", "1.0")',
    ])
    done = subprocess.run([sys.executable, '-S', '-c', script, root],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert 'ImportError' in done.stderr
    assert 'has no PyGObject' in done.stderr
    assert 'python3-gi' in done.stderr
    assert 'AttributeError' not in done.stderr
