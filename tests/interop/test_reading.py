"""Reading other tools' files the way people write them: lenient front matter, role names, duties."""

from __future__ import annotations

import pytest

from rolecall.interop.frontmatter import YamlRead, opens_front_matter, read_yaml, split_front_matter
from rolecall.interop.naming import core_phrase, persona_id
from rolecall.interop.role_files import handoff_items, never_items
from rolecall.interop.role_refs import RoleDirectory


def test_strict_front_matter_reads_without_warnings() -> None:
    front = split_front_matter("---\nname: a\ndescription: >\n  folded\n  text\ntools: []\n---\n\nBody\n")
    assert front is not None
    assert front.yaml.data == {"name": "a", "description": "folded text\n", "tools": []}
    assert front.yaml.strict and not front.yaml.warnings
    assert front.body == "\nBody\n" and front.body_line == 8


def test_a_colon_in_a_plain_description_is_read_as_text_with_a_warning() -> None:
    front = split_front_matter("---\nname: g\ndescription: Use it. Triggers on: 'GDPR', 'CCPA'.\n---\n")
    assert front is not None
    assert front.yaml.data["description"] == "Use it. Triggers on: 'GDPR', 'CCPA'."
    assert front.yaml.warnings == (
        "front matter is not strict YAML (line 3: mapping values are not allowed in this context); read key by key",
        "description: read as plain text (line 3)",
    )


def test_markdown_pasted_into_front_matter_is_left_out_and_counted() -> None:
    text = "---\nmetadata:\n  name: Kai\n\n# CRITICAL\n- a **coordinator**\n  - nested\n1. Analyze\n---\nrest\n"
    front = split_front_matter(text)
    assert front is not None
    assert front.yaml.data == {"metadata": {"name": "Kai"}}
    assert front.yaml.dropped_lines == 3
    assert front.yaml.warnings[-1] == "3 lines that are not YAML left out (markdown?)"


@pytest.mark.parametrize(
    "text",
    ["# Title\n\nno front matter\n", "---\nname: a\nnever closed\n", "", "   \n"],
    ids=["markdown", "unclosed", "empty", "blank"],
)
def test_files_without_front_matter_have_none(text: str) -> None:
    assert split_front_matter(text) is None


def test_indented_front_matter_after_blank_lines_is_read() -> None:
    front = split_front_matter("\n\n  ---\n  name: x\n  description: y\n  ---\nbody")
    assert front is not None and front.yaml.data == {"name": "x", "description": "y"}


def test_front_matter_that_is_not_a_mapping_is_left_out_with_a_warning() -> None:
    front = split_front_matter("---\n- just\n- a list\n---\nbody\n")
    assert front is not None and front.yaml.data == {}
    assert front.yaml.warnings == ("front matter left out: the YAML is a list, not a mapping of keys",)


@pytest.fixture
def directory() -> RoleDirectory:
    roles = RoleDirectory()
    cast = [
        ("frontend", "Frontend Developer", "Sam"),
        ("backend", "Backend Developer", "Morgan"),
        ("database", "Database Architect", "Taylor"),
        ("architect", "Technical Architect", "Jordan"),
        ("designer", "UI/UX Designer", "Drew"),
        ("payment", "Payment Integration Specialist", "Avery"),
        ("pm", "Product Manager", "Alex"),
    ]
    for pid, title, name in cast:
        roles.add(pid, pid, title, name, title.lower().replace("/", "_").replace(" ", "_"))
    return roles


@pytest.mark.parametrize(
    ("text", "persona"),
    [
        ("Backend Developer", "backend"),
        ("that's Backend", "backend"),
        ("backend_developer", "backend"),
        ("DB Architect", "database"),
        ("Architect", "architect"),
        ("technical_architect", "architect"),
        ("UI/UX Designer", "designer"),
        ("ui_ux_designer", "designer"),
        ("Payment Specialist", "payment"),
        ("PM's job", "pm"),
        ("work with Database Architect", "database"),
        ("Morgan", "backend"),
        ("Backend Developer (with guidance)", "backend"),
        ("Developers", None),
        ("Frontend/Backend Developer", None),
        ("identify and report only", None),
    ],
)
def test_role_references_resolve_to_one_persona_or_none(
    directory: RoleDirectory, text: str, persona: str | None
) -> None:
    assert directory.resolve(text) == persona


def test_never_my_job_items_keep_the_work_the_role_and_the_note() -> None:
    items = never_items(
        ["Design UX flows (that's UI/UX Designer - I implement their designs)", "Fix bugs"], "never_my_job"
    )
    assert [(i.work, i.target, i.note, i.where) for i in items] == [
        ("Design UX flows", "that's UI/UX Designer", "I implement their designs", "never_my_job[0]"),
        ("Fix bugs", "", "", "never_my_job[1]"),
    ]


def test_must_handoff_to_is_a_mapping_or_a_list_of_arrows() -> None:
    mapped = handoff_items({"backend_developer": ["Database queries"]}, "h")
    arrows = handoff_items(["Server Actions/API routes → Backend Developer", "Deployment -> DevOps"], "h")
    assert [(i.work, i.target, i.where) for i in mapped] == [
        ("Database queries", "backend_developer", "h.backend_developer[0]")
    ]
    assert [(i.work, i.target) for i in arrows] == [
        ("Server Actions/API routes", "Backend Developer"),
        ("Deployment", "DevOps"),
    ]


@pytest.mark.parametrize(
    ("duty", "core"),
    [
        ("Implement UI pages with Next.js App Router", "ui pages"),
        ("Write database queries (using schema from DB Architect)", "database queries"),
        ("Set up CI/CD pipelines", "ci/cd pipelines"),
        ("Server Actions for mutations", "server actions"),
        ("Deploy to production (Vercel/K8s)", "deploy"),
        ("Research Analyst", "research analyst"),
    ],
)
def test_the_core_of_a_duty_drops_its_verb_asides_and_qualifiers(duty: str, core: str) -> None:
    assert core_phrase(duty) == core


@pytest.mark.parametrize(
    ("name", "expected"),
    [("api-scaffolding-fastapi-pro", "api-scaffolding-fastapi-pro"), ("Ünïcode Writer", "unicode-writer"),
     ("dotnet-framework-4.8-expert", "dotnet-framework-4-8-expert"), ("research_agent", "research_agent"),
     ("???", ""), ("x" * 80, "x" * 63)],
)  # fmt: skip
def test_persona_ids_follow_the_identifier_rules(name: str, expected: str) -> None:
    assert persona_id(name) == expected


def test_a_key_given_twice_is_a_warning_not_a_silent_loss() -> None:
    front = split_front_matter("---\nname: first\ndescription: d\nname: second\n---\nbody\n")
    assert front is not None
    assert front.yaml.data["name"] == "second"
    assert front.yaml.warnings == ("'name' is given twice (line 4): the last one is kept",)
    agents = read_yaml("writer:\n  role: w\nreader:\n  role: r\nwriter:\n  role: w2\n", what="the file")
    assert isinstance(agents, YamlRead)
    assert agents.warnings == ("'writer' is given twice (line 5): the last one is kept",)


def test_front_matter_never_closed_is_told_apart_from_none() -> None:
    assert opens_front_matter("\n---\nname: x\nbody without a closing fence\n")
    assert split_front_matter("\n---\nname: x\nbody without a closing fence\n") is None
    assert not opens_front_matter("# Title\n---\n")
