"""Governance tables, one module per part of the app (each owned by one part)."""

from .assemblies import *  # noqa: F403  # the assemblies part
from .disclosures import *  # noqa: F403  # the disclosures/portal part
from .portal import *  # noqa: F403  # the disclosures/portal part
from .register import *  # noqa: F403  # the register part
from .rules import *  # noqa: F403  # the lead (thresholds of the law)
from .votes import *  # noqa: F403  # the votes part
