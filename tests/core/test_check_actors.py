"""scripts/check_actors.py (in `make lint`): every `actor` is keyword-only, typed `Actor`,
never defaulted, and never passed as None."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_actors.py"


def _load():
    spec = importlib.util.spec_from_file_location("check_actors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_actors"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


check_actors = _load()


def _messages(source):
    found = check_actors.check_source(textwrap.dedent(source), Path("mod.py"))
    return [v.message for v in found]


def _run(tmp_path, files):
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


GOOD = """
    from htxso.core.actors import Actor

    def publish(item, *, actor: Actor) -> None: ...

    async def archive(*, actor: "Actor", reason: str = "") -> None: ...

    class Service:
        def run(self, *, actor: Actor) -> None:
            publish(1, actor=actor)
"""


def test_keyword_only_typed_actor_passes(tmp_path):
    assert _messages(GOOD) == []
    result = _run(tmp_path, {"app/services.py": GOOD})
    assert result.returncode == 0, result.stdout
    assert "every `actor` is explicit" in result.stdout


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(*, actor): ...", "has no annotation"),
        ("def f(*, actor: 'User | None'): ...", "is annotated `'User | None'`"),
        ("def f(*, actor: User): ...", "is annotated `User`"),
        ("def f(*, actor: Actor | None = None): ...", "is annotated `Actor | None`"),
        ("def f(*, actor: Actor = None): ...", "has a default `None`"),
        ("def f(*, actor: Actor = SCHEDULER): ...", "has a default `SCHEDULER`"),
        ("def f(actor: Actor): ...", "is not keyword-only"),
        ("def f(actor: Actor, /): ...", "is not keyword-only"),
        ("def f(x, actor=None): ...", "is not keyword-only"),
        ("async def f(*, actor): ...", "has no annotation"),
        ("g = lambda actor: actor", "has no annotation"),
    ],
)
def test_bad_parameters_fail(source, expected):
    messages = _messages(source)
    assert len(messages) == 1, messages
    assert expected in messages[0]


def test_all_problems_of_one_parameter_on_one_line():
    [message] = _messages("def f(x, actor=None): ...")
    assert "not keyword-only" in message
    assert "no annotation" in message
    assert "default `None`" in message


def test_call_passing_actor_none_fails():
    messages = _messages(
        """
        services.role_assign(actor=None, user=user)
        services.role_assign(actor=SCHEDULER, user=user)
        record(action="x", actor=request.user)
        """
    )
    assert messages == [
        "call to `services.role_assign` passes `actor=None` "
        "(pass the user, or a named SystemActor for jobs and imports)"
    ]


def test_other_parameter_names_are_not_checked():
    assert _messages("def f(actor_id=None, actors=None, user=None): ...") == []


def test_guard_may_opt_out_on_its_line():
    source = """
        def require_actor(actor: object) -> Actor:  # check_actors: allow -- run-time guard
            ...
    """
    assert _messages(source) == []


def test_cli_lists_violations_per_app_and_fails(tmp_path):
    result = _run(
        tmp_path,
        {
            "registry/services.py": """
                def untyped(*, actor):
                    ...
            """,
            "market/views.py": """
                def view(request):
                    place_order(actor=None)

                def typed_default(*, actor: Actor = None): ...
            """,
            "market/migrations/0001_initial.py": "def forwards(apps, actor=None): ...\n",
            "core/services.py": GOOD,
        },
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("registry/services.py:2:")
        and "untyped(): parameter `actor` has no annotation" in line
        for line in lines
    )
    assert any(line.startswith("market/views.py:3:") and "actor=None" in line for line in lines)
    assert any(line.startswith("market/views.py:5:") for line in lines)
    assert not any("migrations" in line for line in lines)
    assert "check_actors: 3 violation(s) in 3 files" in result.stdout
    assert lines[-2:] == ["  market       2", "  registry     1"]


def test_syntax_error_is_reported(tmp_path):
    result = _run(tmp_path, {"broken.py": "def f(:\n"})
    assert result.returncode == 1
    assert "broken.py:1:" in result.stdout
    assert "syntax error" in result.stdout
