"""The formula registry: named, tested formulas over the platform's data, one module per
source app (``registry``, ``training``; ``other`` for programmes, market and
traceability), each reading its app through that app's selectors or its models'
policies.  Importing this package registers them all in ``FORMULAS``.

The assessment module (DX plans, issue 15) plugs in through ``assessment.py``; the
governance module will the same way: a module here that decorates its functions with
:func:`~.base.formula`."""

from . import assessment, base, other, registry, training
from .base import FORMULAS, Formula, Result, choices, get

__all__ = [
    "FORMULAS",
    "Formula",
    "Result",
    "assessment",
    "base",
    "choices",
    "get",
    "other",
    "registry",
    "training",
]
