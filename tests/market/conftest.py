from .fixtures_market import market  # noqa: F401
