"""The persona and cast file formats: round-trips, and the published JSON Schemas."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from rolecall._toml import parse_toml
from rolecall.roles.persona import NeverJob, OwnedCapability, Persona, Prose
from rolecall.schemas import SCHEMA_NAMES, schema_json
from tests.conftest import ROLES, ROOT

ident = st.from_regex(r"[a-z][a-z0-9_-]{0,15}", fullmatch=True)
capability = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), min_size=1, max_size=3).map(".".join)
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
some_text = text.filter(lambda s: len(s) > 0)

personas = st.builds(
    Persona,
    id=ident,
    name=some_text,
    title=some_text,
    handle=ident.map(lambda s: "@" + s),
    icon=text,
    kind=st.sampled_from(["orchestrator", "verifier", "specialist"]),
    capacity=st.integers(1, 1000),
    hands_to=st.lists(ident, max_size=3).map(tuple),
    fallback=st.lists(ident, max_size=3).map(tuple),
    instead=st.lists(some_text, max_size=3).map(tuple),
    prose=st.builds(
        Prose,
        role=some_text,
        identity=text,
        communication_style=text,
        principles=st.lists(some_text, max_size=3).map(tuple),
    ),
    owns=st.lists(st.builds(OwnedCapability, capability=capability, phrase=text), max_size=4).map(tuple),
    never=st.lists(
        st.builds(
            NeverJob,
            capability=capability,
            hand_to=ident,
            phrase=text,
            instead=st.lists(some_text, max_size=2).map(tuple),
        ),
        max_size=4,
    ).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(personas)
def test_persona_round_trips_through_toml(persona: Persona) -> None:
    written = tomli_w.dumps(persona.model_dump(mode="json"))
    loaded = parse_toml(written, Path("generated.toml")).validate(Persona)
    assert loaded == persona


def _published(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return result


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_published_schema_matches_the_models(name: str) -> None:
    published = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(name), (
        f"schemas/{name}.schema.json is stale; run: rolecall schema {name} > schemas/{name}.schema.json"
    )


def _shipped_files() -> list[Path]:
    return sorted(ROLES.glob("*/*.toml"))


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_accepts_every_shipped_file(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, _published("cast" if path.name == "cast.toml" else "persona"))


def test_schema_rejects_an_unknown_key() -> None:
    data = tomllib.loads((ROLES / "product-team" / "sam.toml").read_text(encoding="utf-8"))
    data["mood"] = "happy"
    with pytest.raises(jsonschema.ValidationError, match="mood"):
        jsonschema.validate(data, _published("persona"))
    data = tomllib.loads((ROLES / "product-team" / "cast.toml").read_text(encoding="utf-8"))
    data["capability"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(data, _published("cast"))


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.name)
def test_scenario_schema_accepts_every_shipped_scenario(path: Path) -> None:
    jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), _published("scenario"))
