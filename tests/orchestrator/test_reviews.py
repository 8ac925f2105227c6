"""Who may review a task: not its author, and an owner of a review capability when the cast has one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rolecall import InputError
from rolecall import events as ev
from rolecall.orchestrator import Coordinator, build_plan, plan_file
from rolecall.orchestrator.checks import is_review_capability
from rolecall.orchestrator.scenario import Scenario
from rolecall.roles import Cast, load_cast
from tests.conftest import SCENARIOS, run_cli
from tests.orchestrator.helpers import kinds, persona_file, plan_of, scenario, write_cast

APPROVE = ["approved"]


def _review_problems(tasks: list[dict[str, Any]], cast: str = "product-team", **extra: Any) -> list[str]:
    with pytest.raises(InputError) as info:
        plan_of(tasks, cast, **extra)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("capability", "is_review"),
    [
        ("security.review", True),
        ("review.code", True),
        ("review.evaluate", True),
        ("code.review", True),
        ("code.reviewing", False),
        ("qa.testing", False),
        ("preview.build", False),
    ],
)
def test_a_review_capability_has_a_review_segment(capability: str, is_review: bool) -> None:
    assert is_review_capability(capability) is is_review


def test_a_task_reviewed_by_its_own_performer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'name = "s"\ntitle = "S"\nrequest = "r"\n\n[[phase]]\nid = "p"\ntitle = "P"\n\n'
        '[[task]]\nid = "audit"\nphase = "p"\ncapability = "security.review"\nsummary = "Audit"\n'
        'expected_time = 5\nreview = { reviewer = "riley", verdicts = ["approved"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        plan_file(path)
    (problem,) = (str(p) for p in info.value.problems)
    assert problem == (
        f"{path}:15: task[0].review.reviewer: 'riley' would review its own work on task 'audit'; "
        "no other persona of cast 'product-team' owns a review capability"
    )


def test_the_assignee_cannot_review_its_own_task() -> None:
    (problem,) = _review_problems(
        [{"id": "audit", "capability": "security.review", "assignee": "riley", "review": {"reviewer": "riley",
          "verdicts": APPROVE}}]
    )  # fmt: skip
    assert "task[0].review.reviewer: 'riley' would review its own work" in problem


def test_a_reviewer_must_own_a_review_capability() -> None:
    (problem,) = _review_problems(
        [{"id": "ui", "capability": "frontend.ui", "review": {"reviewer": "drew", "verdicts": APPROVE}}]
    )
    assert problem.endswith(
        "task[0].review.reviewer: 'drew' owns no review capability of cast 'product-team'; "
        "reviewers: riley (security.review)"
    )


def test_a_reviewer_that_may_never_review_says_so() -> None:
    (problem,) = _review_problems(
        [{"id": "plan", "capability": "design.plan", "review": {"reviewer": "implementer", "verdicts": APPROVE}}],
        cast="model-tiers",
    )
    assert problem.endswith(
        "task[0].review.reviewer: 'implementer' may not review: 'review.evaluate' is never its job "
        "(it hands that to evaluator)"
    )


def test_every_review_problem_is_reported_with_the_reference_problems() -> None:
    problems = _review_problems(
        [
            {"id": "ui", "capability": "frontend.ui", "review": {"reviewer": "sam", "verdicts": APPROVE}},
            {"id": "api", "capability": "backend.api-routes", "depends_on": ["nope"],
             "review": {"reviewer": "drew", "verdicts": APPROVE}},
        ]
    )  # fmt: skip
    joined = "\n".join(problems)
    assert len(problems) == 3, joined
    assert (
        "task[0].review.reviewer: 'sam' would review its own work on task 'ui'; reviewers: riley (security.review)"
        in joined
    )
    assert "task[1].depends_on[0]: unknown task 'nope'" in joined
    assert "task[1].review.reviewer: 'drew' owns no review capability" in joined


def _crew(tmp_path: Path, with_review: bool = True) -> Cast:
    reviewer = ("code.review",) if with_review else ("docs.write",)
    return load_cast(
        write_cast(
            tmp_path / ("crew" if with_review else "plain"),
            [
                persona_file("lead", owns=("orchestration.coordinate",), kind="orchestrator"),
                persona_file("bao", owns=("scheduling.plan",), fallback=("carol",)),
                persona_file("carol", owns=reviewer),
                persona_file("dana", owns=reviewer),
            ],
        )
    )


def _roster(fails: int, reviewer: str) -> Scenario:
    return scenario(
        [{"id": "roster", "capability": "scheduling.plan", "fails": fails,
          "review": {"reviewer": reviewer, "verdicts": APPROVE}}]
    )  # fmt: skip


def test_a_reviewer_that_would_take_the_task_over_after_the_scripted_failures_is_refused(tmp_path: Path) -> None:
    cast = _crew(tmp_path)
    with pytest.raises(InputError) as info:
        build_plan(_roster(fails=2, reviewer="carol"), cast)
    assert str(info.value.problems[0]) == (
        "<input>: task[0].review.reviewer: 'carol' would review its own work on task 'roster': "
        "after 2 failed attempts it falls back to carol, who submits it; reviewers: dana (code.review)"
    )
    with pytest.raises(InputError, match=r"after 4 failed attempts it escalates to lead"):
        build_plan(_roster(fails=4, reviewer="lead"), _crew(tmp_path, with_review=False))


def test_the_same_reviewer_is_fine_while_the_author_keeps_the_task(tmp_path: Path) -> None:
    events = Coordinator(build_plan(_roster(fails=1, reviewer="carol"), _crew(tmp_path))).events()
    (review,) = kinds(events, ev.ReviewRound)
    assert (review.author, review.reviewer) == ("bao", "carol")


def test_a_task_that_fails_before_review_has_no_author_to_compare(tmp_path: Path) -> None:
    build_plan(_roster(fails=99, reviewer="carol"), _crew(tmp_path))


def test_without_a_review_capability_any_other_persona_may_review(tmp_path: Path) -> None:
    cast = _crew(tmp_path, with_review=False)
    build_plan(_roster(fails=0, reviewer="dana"), cast)
    with pytest.raises(InputError, match=r"'bao' would review its own work on task 'roster'; any other persona"):
        build_plan(_roster(fails=0, reviewer="bao"), cast)


def test_shipped_review_loop_still_plans() -> None:
    plan_file(SCENARIOS / "evaluator-optimizer.toml")


def test_plan_exits_2_on_a_self_review(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'name = "s"\ntitle = "S"\nrequest = "r"\ncast = "model-tiers"\n\n[[phase]]\nid = "p"\ntitle = "P"\n\n'
        '[[task]]\nid = "critique"\nphase = "p"\ncapability = "review.evaluate"\nsummary = "Critique"\n'
        'expected_time = 5\n\n[task.review]\nreviewer = "evaluator"\nverdicts = ["approved"]\n',
        encoding="utf-8",
    )
    result = run_cli("plan", path)
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"error: {path}:18: task[0].review.reviewer: 'evaluator' would review its own work on task 'critique'; "
        "no other persona of cast 'model-tiers' owns a review capability"
    )
