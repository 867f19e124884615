"""The formula registry: named, tested formulas over the platform's data, one module per
source app (``registry``, ``training``; ``other`` for programmes, market and
traceability), each reading its app through that app's selectors or its models'
policies.  Importing this package registers them all in ``FORMULAS``.

The governance and assessment modules plug in the same way when they land: a module
here that decorates its functions with :func:`~.base.formula`."""

from . import base, other, registry, training
from .base import FORMULAS, Formula, Result, choices, get

__all__ = [
    "FORMULAS",
    "Formula",
    "Result",
    "base",
    "choices",
    "get",
    "other",
    "registry",
    "training",
]
