import pytest


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """``with sends(): …`` runs the messages queued for after commit at the block's end
    (the test's transaction never commits)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
