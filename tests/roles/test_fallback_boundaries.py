"""A fallback chain may not name a persona whose `never` list covers work the persona owns."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolecall import InputError
from rolecall.roles import load_cast
from tests.conftest import run_cli
from tests.orchestrator.helpers import persona_file, write_cast

LEAD = persona_file("lead", owns=("orchestration.coordinate",), kind="orchestrator")
CAROL = persona_file("carol", owns=("code.review",))


def _line(path: Path, text: str, after: str = "") -> int:
    """The first line holding ``text`` below the first line starting with ``after``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(after))
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_cast(folder)
    return [str(p) for p in info.value.problems]


def test_fallback_to_a_persona_that_never_does_the_work_is_flagged(tmp_path: Path) -> None:
    folder = write_cast(
        tmp_path / "crew",
        [
            LEAD,
            persona_file("bao", owns=("scheduling.plan",), fallback=("carol", "priya")),
            persona_file("priya", owns=("frontend.ui",), never={"scheduling.plan": "bao"}),
            CAROL,
        ],
    )
    (problem,) = _problems(folder)
    bao, priya = folder / "bao.toml", folder / "priya.toml"
    item = _line(bao, '"priya"', "fallback")
    assert problem == (
        f"{bao}:{item}: fallback[1]: 'priya' may not take over bao's work: "
        f"'scheduling.plan' is never its job (priya.toml:{_line(priya, 'capability', 'never')}: never[0])"
    )


def test_every_forbidden_capability_and_every_other_owner_is_named(tmp_path: Path) -> None:
    folder = write_cast(
        tmp_path / "crew",
        [
            LEAD,
            persona_file("bao", owns=("scheduling.plan", "scheduling.staff"), fallback=("priya",)),
            persona_file(
                "priya",
                owns=("frontend.ui",),
                never={"scheduling.plan": "bao", "scheduling.staff": "bao"},
            ),
            persona_file("dana", owns=("scheduling.staff",)),
        ],
    )
    (problem,) = _problems(folder)
    assert "fallback[0]: 'priya' may not take over bao's work: 'scheduling.plan' (priya.toml:" in problem
    assert "never[0]) and 'scheduling.staff' (priya.toml:" in problem
    assert problem.endswith("never[1]) are never its job; dana also owns 'scheduling.staff'")


def test_a_generalist_fallback_that_neither_owns_nor_refuses_the_work_is_allowed(tmp_path: Path) -> None:
    folder = write_cast(
        tmp_path / "crew",
        [LEAD, persona_file("bao", owns=("scheduling.plan",), fallback=("carol",)), CAROL],
    )
    assert load_cast(folder).persona("bao").fallback == ("carol",)


def test_never_entries_for_work_the_persona_does_not_own_do_not_matter(tmp_path: Path) -> None:
    folder = write_cast(
        tmp_path / "crew",
        [
            LEAD,
            persona_file("bao", owns=("scheduling.plan",), fallback=("priya",)),
            persona_file("priya", owns=("frontend.ui",), never={"code.review": "carol"}),
            CAROL,
        ],
    )
    load_cast(folder)


def test_roles_validate_and_plan_exit_2_naming_the_persona_file(tmp_path: Path) -> None:
    folder = write_cast(
        tmp_path / "crew",
        [
            LEAD,
            persona_file("bao", owns=("scheduling.plan",), fallback=("priya",)),
            persona_file("priya", owns=("frontend.ui",), never={"scheduling.plan": "bao"}),
        ],
    )
    validated = run_cli("roles", "validate", folder)
    assert validated.code == 2
    item = _line(folder / "bao.toml", '"priya"', "fallback")
    assert f"bao.toml:{item}: fallback[0]: 'priya' may not" in validated.err
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'name = "s"\ntitle = "S"\nrequest = "r"\ncast = "./crew"\n\n[[phase]]\nid = "p"\ntitle = "P"\n\n'
        '[[task]]\nid = "roster"\nphase = "p"\ncapability = "scheduling.plan"\nsummary = "Roster"\n'
        "expected_time = 5\n",
        encoding="utf-8",
    )
    planned = run_cli("plan", scenario)
    assert planned.code == 2
    assert "bao.toml" in planned.err and "fallback[0]: 'priya' may not take over bao's work" in planned.err
    assert "Traceback" not in planned.err
