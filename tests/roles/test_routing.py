from __future__ import annotations

import pytest

from rolecall.roles import resolve_cast, route
from rolecall.roles.card import route_text
from rolecall.roles.routing import stem


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


@pytest.mark.parametrize(
    "variants",
    [
        ("deploy", "deploys", "deployed", "deploying", "deployment", "deployments"),
        ("test", "tests", "testing", "tested"),
        ("ship", "ships", "shipping", "shipped"),
        ("validate", "validates", "validated", "validating", "validation"),
        ("verify", "verifies", "verified", "verifying", "verification"),
        ("query", "queries"),
        ("index", "indexes"),
        ("summarise", "summarize", "summarised"),
        ("configure", "configuration"),
        ("implement", "implementation", "implements"),
        ("feasible", "feasibility"),
    ],
)
def test_stem_joins_plurals_and_verb_forms(variants: tuple[str, ...]) -> None:
    assert len({stem(v) for v in variants}) == 1, {v: stem(v) for v in variants}


@pytest.mark.parametrize(("a", "b"), [("required", "requirement"), ("user", "use"), ("action", "act")])
def test_stem_keeps_different_words_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize(
    "request_text",
    ["Roll back the release", "roll-back the release", "Rollback the release", "We rolled back the release"],
)
def test_spacing_and_hyphen_variants_meet(request_text: str) -> None:
    result = route(resolve_cast("feature-crew"), request_text)
    assert result.persona.id == "devops-automator"
    assert "'rollback'" in result.explanation


@pytest.mark.parametrize("request_text", ["Ship the deployment", "Get it deployed to staging", "Deploying now"])
def test_verb_forms_match_the_keyword(request_text: str) -> None:
    assert route(resolve_cast("feature-crew"), request_text).persona.id == "devops-automator"


def test_the_leading_words_name_the_work_and_for_only_says_what_for() -> None:
    result = route(resolve_cast("product-team"), "Add a test for the reschedule endpoint")
    assert result.persona.id == "quinn"
    assert result.match is not None and result.match.capability.id == "qa.testing"
    endpoint = next(m for m in result.candidates if m.capability.id == "backend.api-routes")
    assert endpoint.hits[0].role == "context" and endpoint.hits[0].after == "for"
    assert "after 'for', x0.5" in result.explanation
    assert "ahead of 'backend.api-routes'" in result.explanation


def test_a_longer_keyword_hides_the_shorter_one_inside_it() -> None:
    result = route(resolve_cast("product-team"), "Security review of the payment flow")
    assert result.persona.id == "riley"
    assert result.match is not None and result.match.capability.id == "security.review"
    assert all(m.capability.id != "security.design" for m in result.candidates)


def test_rarer_keywords_weigh_more() -> None:
    cast = resolve_cast("feature-crew")
    shared = route(cast, "security").candidates[0]  # listed by two capabilities
    rare = route(cast, "pentest").candidates[0]  # listed by one
    assert rare.score > shared.score


def test_work_then_review_names_both_personas() -> None:
    cast = resolve_cast("product-team")
    result = route(cast, "Implement the RBAC middleware and get it security reviewed")
    assert result.status == "matched"
    assert result.persona.id == "morgan"
    assert result.match is not None and result.match.capability.id == "backend.auth-logic"
    assert result.also is not None
    assert (result.also.persona.id, result.also.verb, result.also.match.capability.id) == (
        "riley",
        "reviews",
        "security.review",
    )
    assert result.explanation.startswith("Morgan implements, Riley reviews")
    text = route_text(cast, result)
    assert "Also:    Riley (Security Expert) @security reviews it (security.review)" in text
    assert "never its job (security.review), hand to Riley" in text


def test_a_review_alone_has_no_second_persona() -> None:
    result = route(resolve_cast("feature-crew"), "Review the pull request for the rules engine")
    assert result.persona.id == "code-reviewer"
    assert result.also is None


def test_checking_before_the_work_is_not_a_review_of_it() -> None:
    result = route(resolve_cast("product-team"), "Testing the login form: write the end-to-end tests")
    assert result.persona.id == "quinn"
    assert result.also is None


def test_ambiguous_route_lists_the_words_of_each_tied_capability() -> None:
    result = route(resolve_cast("model-tiers"), "Let gemini design and implement a complete REST API")
    assert result.status == "ambiguous"
    assert "'design.plan' (Gemini Pro" in result.explanation and "'design'" in result.explanation
    assert {m.capability.id for m in result.tied} == {"design.plan", "code.implement"}


def test_hits_quote_the_request_as_written() -> None:
    result = route(resolve_cast("product-team"), "Roll back last night's release")
    assert result.match is not None
    assert result.match.hits[0].text == "Roll back"
    assert 'as "Roll back"' in result.explanation


def test_a_check_of_tied_work_is_still_ambiguous() -> None:
    cast = resolve_cast("model-tiers")
    result = route(cast, "Let gemini design and implement a REST API, then get it reviewed")
    assert result.status == "ambiguous"
    assert result.persona.id == cast.orchestrator.id
    assert result.also is None
