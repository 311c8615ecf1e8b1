"""pytest set-up for the whole repository.

`pytest --nbval chapters` runs the notebooks in quick mode unless the reader
asks for full mode (`LENET_QUICK=0 pytest --nbval chapters`); the kernels that
nbval starts inherit this environment.
"""

import os

os.environ.setdefault("LENET_QUICK", "1")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning at kernel start
# The stored outputs hold the English verdicts of the exercise checks (each book shows its own
# language from them): a reader's LENET_LANG=zh_CN must not reach the kernels or the tests.
os.environ.pop("LENET_LANG", None)
