"""cttk: a Jupyter course and toolkit for counter-trafficking training and its evaluation.

Importing this package is cheap (it is imported inside trainees' kernels); heavy modules load on use.
"""

from toolkit.errors import CttkError

__version__ = "0.1.0"
__all__ = ["CttkError", "__version__"]
