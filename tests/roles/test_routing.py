from __future__ import annotations

import pytest

from rolecall.roles import resolve_cast, route


@pytest.mark.parametrize(
    ("request_text", "persona", "capability"),
    [
        ("Add a createUser Server Action", "morgan", "backend.server-actions"),
        ("Design the subscription schema", "taylor", "database.schema"),
        ("Write E2E tests for the checkout flow", "quinn", "qa.testing"),
        ("Deploy to production", "casey", "devops.deploy"),
        ("Create the migrations for the users table", "taylor", "database.schema"),
        ("Build the login form component", "sam", "frontend.ui"),
        ("Security audit of the payment flow", "riley", "security.review"),
        ("Configure Stripe webhook signature verification", "avery", "payments.stripe"),
        ("Write the PRD with user stories", "alex", "product.requirements"),
    ],
)
def test_requests_route_to_their_owner(request_text: str, persona: str, capability: str) -> None:
    result = route(resolve_cast("product-team"), request_text)
    assert result.status == "matched"
    assert result.persona.id == persona
    assert result.match is not None and result.match.capability.id == capability
    assert result.match.capability.id in result.explanation


def test_server_action_request_names_sam_as_must_not() -> None:
    result = route(resolve_cast("product-team"), "Add a createUser Server Action")
    must_not = {persona.id: entry.hand_to for persona, entry in result.must_not}
    assert must_not["sam"] == "morgan"
    assert "'server action'" in result.explanation


def test_unmatched_request_goes_to_the_orchestrator_saying_so() -> None:
    result = route(resolve_cast("product-team"), "make it nice")
    assert result.status == "unmatched"
    assert result.persona.id == "kai"
    assert "no capability keyword matched" in result.explanation


def test_tie_between_owners_is_ambiguous_and_goes_to_the_orchestrator() -> None:
    cast = resolve_cast("model-tiers")
    result = route(cast, "Let gemini design and implement a complete REST API")
    assert result.status == "ambiguous"
    assert result.persona.id == cast.orchestrator.id
    assert len({m.owners[0].id for m in result.candidates}) > 1
    assert "ambiguous" in result.explanation


def test_plural_and_case_insensitive_match() -> None:
    result = route(resolve_cast("product-team"), "SERVER ACTIONS for invoices")
    assert result.persona.id == "morgan"
