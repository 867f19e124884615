"""The permission tests' world: one per test module (see world.py)."""

from .world import perm_world  # noqa: F401 - the fixture
