"""Models of the results app, one module per part: ``frameworks`` (frameworks, results,
indicators, targets, reference and computed values) and ``reports`` (periodic reports:
templates, cycles, reporting offices, submissions, compiled reports)."""

from .frameworks import *  # noqa: F403
from .reports import *  # noqa: F403
