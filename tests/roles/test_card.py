"""The persona card and exported instructions tell the truth about escalation."""

from __future__ import annotations

from rolecall.interop import agents_md_text
from rolecall.roles import resolve_cast
from rolecall.roles.card import persona_card


def test_card_says_when_the_orchestrator_declines_an_escalation() -> None:
    cast = resolve_cast("product-team")
    card = persona_card(cast, cast.persona("sam"))
    assert "Kai declines escalated frontend.ui work (never its job)" in card


def test_card_of_a_persona_whose_work_the_orchestrator_takes_over_has_no_such_note() -> None:
    cast = resolve_cast("model-tiers")
    card = persona_card(cast, cast.persona("implementer"))
    assert "declines" not in card


def test_exported_instructions_say_the_task_fails_instead_of_reaching_the_orchestrator() -> None:
    text = agents_md_text(resolve_cast("product-team"), {})
    assert "does not take over frontend.ui work: if nobody before it can finish such a task, the task fails." in text
