# gi/__init__.py of the build tree: stands in for PyGObject's `gi`.
#
# SPDX-License-Identifier: MIT
#
# Not installed. The build tree holds the overrides as
# <builddir>/bindings/python/gi/overrides/Maiko.py, and the test and devenv
# environments put <builddir>/bindings/python on PYTHONPATH, ahead of the
# interpreter's own folders, so that PyGObject finds them: its gi and
# gi.overrides extend their __path__ over every `gi` folder on sys.path.
#
# Without this file, a Python that lacks PyGObject imports that folder as
# an empty `gi` namespace package, and `gi.require_version(...)` fails with
# an AttributeError that says nothing of the cause. With it, `import gi`
# runs this module first: it loads the interpreter's real gi in its place
# (which then finds the overrides as before), or, if there is none, raises
# an ImportError that says what to install.

import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)


def _real_gi_spec():
    others = [entry for entry in sys.path
              if os.path.abspath(entry or os.curdir) != _ROOT]
    spec = importlib.machinery.PathFinder.find_spec('gi', others)
    # Another build tree's folder is a namespace portion: not PyGObject.
    if spec is None or spec.origin is None or spec.loader is None:
        return None
    return spec


_spec = _real_gi_spec()
if _spec is None:
    raise ImportError(
        '%s has no PyGObject (the gi module); %s holds only the Maiko '
        'overrides. Install PyGObject for this Python (Debian: '
        'python3-gi), or run the program with the Python the build found '
        'it with: @MAIKO_PYTHON@' % (sys.executable, _HERE),
        name='gi')

_module = importlib.util.module_from_spec(_spec)
# The import system returns what sys.modules holds once this file has run.
sys.modules['gi'] = _module
try:
    _spec.loader.exec_module(_module)
except BaseException:
    del sys.modules['gi']
    raise
