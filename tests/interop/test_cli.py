"""``rolecall import`` and ``rolecall export`` as users run them: reports, exit codes, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from rolecall.interop.boundaries import BOUNDARIES_MARKER
from rolecall.interop.frontmatter import split_front_matter
from rolecall.roles import load_cast, resolve_cast
from tests.interop.conftest import ROOT, RunCli

AGENTS = {
    "api.md": "---\nname: api-designer\ndescription: Designs REST APIs. Use for 'api design'.\n"
    "tools: Read, Grep, Bash\nmodel: sonnet\n---\n\nYou are an API designer.\n",
    "gdpr.md": "---\nname: gdpr\ndescription: Privacy work. Triggers on: 'GDPR', 'consent'.\ntools:\n"
    "  - Read\n  - WebFetch\n---\nYou check privacy.\n",
    "nested/indented.md": "\n  ---\n  name: Ünïcode Writer\n  description: Writes docs\n  ---\nBody text.\n",
    "README.md": "# Agents\n\nNo front matter here.\n",
    "latin1.md": None,  # written as bytes below
}


@pytest.fixture
def agents_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "agents"
    for name, text in AGENTS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes(b"---\nname: caf\xe9\n---\n")
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def test_import_claude_code_reports_each_file_and_writes_a_valid_cast(
    agents_dir: Path, tmp_path: Path, rolecall: RunCli
) -> None:
    out = tmp_path / "roles" / "team"
    run = rolecall("import", "claude-code", agents_dir, "-o", out)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert "imported  api.md -> persona 'api-designer'" in lines
    assert "warnings  gdpr.md -> persona 'gdpr'" in lines
    assert "imported  nested/indented.md -> persona 'unicode-writer'" in lines
    assert "skipped   README.md: no front matter: a subagent file starts with a '---' line" in lines
    assert "skipped   latin1.md: line 2: not UTF-8 text (bad byte 0xe9 at offset 13)" in lines
    assert "5 files: 2 imported, 1 imported with warnings, 2 skipped" in lines
    assert f"Cast:      {out} (team: 4 personas, 8 capabilities), valid" in lines
    assert rolecall("roles", "validate", out).code == 0
    cast = load_cast(out)
    api = cast.persona("api-designer")
    assert [(o.capability, o.phrase) for o in api.owns] == [
        ("api-designer", "Designs REST APIs. Use for 'api design'."),
        ("tool.read", "Read"),
        ("tool.grep", "Grep"),
        ("tool.bash", "Bash"),
    ]
    capability = cast.capability("api-designer")
    assert capability is not None
    assert capability.keywords == ("api designer", "api design")
    assert cast.persona("gdpr").prose.role == "Privacy work. Triggers on: 'GDPR', 'consent'."
    assert cast.orchestrator.id == "orchestrator"
    header = (out / "orchestrator.toml").read_text(encoding="utf-8")
    assert header.startswith("# Imported by `rolecall import claude-code` from ")
    assert '# Values starting with "FILL IN:" could not be derived from the source: replace them.' in header
    assert 'role = "FILL IN: who coordinates this cast' in header
    kept = (out / "instructions" / "api-designer.md").read_text(encoding="utf-8")
    assert kept == "---\nclaude-code:\n  model: sonnet\n---\nYou are an API designer.\n"


def test_orchestrator_option_promotes_an_imported_persona(agents_dir: Path, tmp_path: Path, rolecall: RunCli) -> None:
    out = tmp_path / "team"
    assert rolecall("import", "claude-code", agents_dir, "-o", out, "--orchestrator", "api-designer").code == 0
    cast = load_cast(out)
    assert cast.orchestrator.id == "api-designer" and len(cast) == 3
    bad = rolecall("import", "claude-code", agents_dir, "-o", tmp_path / "other", "--orchestrator", "ghost")
    assert bad.code == 2
    assert "--orchestrator: no imported persona 'ghost'; imported: api-designer, gdpr, unicode-writer" in bad.err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing", "does not exist"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "folder is empty: nothing to import"),
    ],
)
def test_a_source_that_cannot_be_imported_is_one_line_and_exit_2(
    make: Callable[[Path], Path], message: str, tmp_path: Path, rolecall: RunCli
) -> None:
    source = make(tmp_path)
    run = rolecall("import", "claude-code", source, "-o", tmp_path / "out")
    assert run.code == 2
    assert run.err == f"error: {source}: {message}\n1 problem found\n"
    assert not (tmp_path / "out").exists()


def test_no_persona_at_all_prints_the_report_then_fails(tmp_path: Path, rolecall: RunCli) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# nothing\n", encoding="utf-8")
    run = rolecall("import", "claude-code", tmp_path / "docs", "-o", tmp_path / "out")
    assert run.code == 2
    assert "skipped   README.md: no front matter" in run.out
    assert "nothing imported: no file holds a persona (see the report above)" in run.err
    assert not (tmp_path / "out").exists()
    (tmp_path / "docs" / "open.md").write_text("---\nname: open\ndescription: never closed\n", encoding="utf-8")
    run = rolecall("import", "claude-code", tmp_path / "docs", "-o", tmp_path / "out")
    assert "skipped   open.md: front matter never closed: no '---' line ends it" in run.out


def test_output_that_cannot_become_a_new_cast_folder_is_refused(
    agents_dir: Path, tmp_path: Path, rolecall: RunCli
) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.toml").write_text("", encoding="utf-8")
    for out, message in [
        (a_file, f"error: {a_file}: exists and is a file; an import writes a new cast folder"),
        (busy, f"error: {busy}: folder exists and is not empty; an import writes a new cast folder"),
        (a_file / "cast", f"rolecall: error: -o {a_file / 'cast'}: a part of the path is a file, not a folder"),
    ]:
        run = rolecall("import", "claude-code", agents_dir, "-o", out)
        assert run.code == 2
        assert run.err.splitlines()[0] == message
        assert "Traceback" not in run.err
    assert sorted(p.name for p in busy.iterdir()) == ["keep.toml"]


def test_a_bad_cast_name_is_a_usage_error(agents_dir: Path, tmp_path: Path, rolecall: RunCli) -> None:
    run = rolecall("import", "claude-code", agents_dir, "-o", tmp_path / "x", "--name", "My Team")
    assert run.code == 2
    assert "--name 'My Team': a cast name is lower-case letters" in run.err


def test_crewai_folder_without_agents_file_names_the_folder(tmp_path: Path, rolecall: RunCli) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    run = rolecall("import", "crewai", tmp_path / "config", "-o", tmp_path / "out")
    assert run.code == 2
    assert f"{tmp_path / 'config'}: no agents.yaml or crew.yaml in this folder (other.yaml)" in run.err


def test_crewai_scenario_outside_the_cast_folder_points_back_at_it(tmp_path: Path, rolecall: RunCli) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "agents.yaml").write_text(
        "writer:\n  role: Writer\n  goal: Write the post\n  backstory: Writes.\n  llm: gpt-4o\n"
        "editor:\n  role: Editor\n  goal: Edit the post\n  backstory: Edits.\n",
        encoding="utf-8",
    )
    (config / "tasks.yaml").write_text(
        "draft:\n  description: Draft {topic}\n  expected_output: A draft\n  agent: writer\n"
        "edit:\n  description: Edit it\n  expected_output: The post\n  agent: editor\n  context: [draft, later]\n"
        "publish:\n  description: Publish it\n  expected_output: A link\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "scenarios" / "blog.toml"
    run = rolecall("import", "crewai", config, "-o", tmp_path / "roles" / "blog", "--scenario", scenario)
    assert run.code == 0, run.err
    assert "edit.context: 'later' is not an earlier task; left out" in run.out
    assert f"Scenario:  {scenario} (3 tasks), plans against the cast" in run.out
    text = scenario.read_text(encoding="utf-8")
    assert 'cast = "../roles/blog"' in text
    assert "# task[2].capability: FILL IN: no agent (CrewAI binds it in Python)" in text
    assert 'request = "FILL IN: the request this crew answers (the crew\'s inputs: topic)"' in text
    assert rolecall("plan", scenario).code == 0
    writer = (tmp_path / "roles" / "blog" / "instructions" / "writer.md").read_text(encoding="utf-8")
    assert writer == "---\ncrewai:\n  llm: gpt-4o\n---\n"


def _front(text: str) -> dict[str, object]:
    front = split_front_matter(text)
    assert front is not None and front.yaml.strict
    return front.yaml.data


def test_exported_product_team_agents_are_claude_code_subagents_stating_every_never(
    tmp_path: Path, rolecall: RunCli
) -> None:
    out = tmp_path / ".claude" / "agents"
    run = rolecall("export", "claude-code", "product-team", "-o", out)
    assert run.code == 0, run.err
    cast = resolve_cast("product-team")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.id}.md" for p in cast.personas)
    for persona in cast.personas:
        text = (out / f"{persona.id}.md").read_text(encoding="utf-8")
        # Claude Code reads strict YAML front matter with a name and a description
        data = yaml.safe_load(text.split("---\n")[1])
        assert data["name"] == persona.id and isinstance(data["description"], str) and data["description"]
        prompt = text.split(BOUNDARIES_MARKER)[1]
        for entry in persona.never:
            owner = cast.persona(entry.hand_to)
            assert f"- {entry.phrase}: never do this yourself; hand it to {owner.name} ({owner.title}, " in prompt
        for owned in persona.owns:
            assert f"- {owned.phrase}\n" in prompt
    assert "### How to hand off" in (out / "sam.md").read_text(encoding="utf-8")


def test_export_is_deterministic_and_replaces_its_own_files(tmp_path: Path, rolecall: RunCli) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for fmt in ("claude-code", "crewai"):
        assert rolecall("export", fmt, "product-team", "-o", first / fmt).code == 0
        assert rolecall("export", fmt, "product-team", "-o", second / fmt).code == 0
        assert rolecall("export", fmt, "product-team", "-o", second / fmt).code == 0
    assert rolecall("export", "agents-md", "product-team", "-o", first).code == 0
    assert rolecall("export", "agents-md", "product-team", "-o", second / "AGENTS.md").code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_export_crewai_with_a_scenario_writes_tasks_for_the_agents(tmp_path: Path, rolecall: RunCli) -> None:
    scenario = ROOT / "scenarios" / "stripe-subscription.toml"
    run = rolecall("export", "crewai", "product-team", "-o", tmp_path, "--scenario", scenario)
    assert run.code == 0, run.err
    agents = yaml.safe_load((tmp_path / "agents.yaml").read_text(encoding="utf-8"))
    tasks = yaml.safe_load((tmp_path / "tasks.yaml").read_text(encoding="utf-8"))
    assert set(agents["sam"]) == {"role", "goal", "backstory", "rolecall"}
    assert "hand it to Morgan (Backend Developer, @backend)" in agents["sam"]["backstory"]
    assert tasks["checkout_action"]["agent"] == "morgan"
    for task in tasks.values():
        assert task["agent"] in agents
        assert all(ref in tasks for ref in task.get("context", []))


def test_export_agents_md_has_every_persona_and_boundary(tmp_path: Path, rolecall: RunCli) -> None:
    target = tmp_path / "AGENTS.md"
    assert rolecall("export", "agents-md", "feature-crew", "-o", target).code == 0
    text = target.read_text(encoding="utf-8")
    cast = resolve_cast("feature-crew")
    for persona in cast.personas:
        assert f"## {persona.name} ({persona.title}) {persona.handle}" in text
        for entry in persona.never:
            assert f"hand it to {cast.persona(entry.hand_to).name} (" in text


def test_export_refuses_a_file_where_a_folder_is_needed(tmp_path: Path, rolecall: RunCli) -> None:
    target = tmp_path / "agents.md"
    target.write_text("mine\n", encoding="utf-8")
    run = rolecall("export", "claude-code", "product-team", "-o", target)
    assert run.code == 2
    assert run.err == f"rolecall: error: -o {target}: is a file\n"
    assert target.read_text(encoding="utf-8") == "mine\n"
    unknown = rolecall("export", "crewai", "no-such-cast", "-o", tmp_path / "x")
    assert unknown.code == 2 and "unknown cast 'no-such-cast'" in unknown.err


def test_import_then_export_from_the_installed_command(agents_dir: Path, tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("rolecall")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "rolecall"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*argv, *map(str, args)], capture_output=True, text=True, env=env, timeout=60, check=False
        )

    imported = run("import", "claude-code", agents_dir, "-o", tmp_path / "team")
    assert imported.returncode == 0, imported.stderr
    assert "2 imported, 1 imported with warnings, 2 skipped" in imported.stdout
    exported = run("export", "claude-code", tmp_path / "team", "-o", tmp_path / "agents")
    assert exported.returncode == 0, exported.stderr
    api = (tmp_path / "agents" / "api-designer.md").read_text(encoding="utf-8")
    front = _front(api)
    assert (front["name"], front["tools"], front["model"]) == ("api-designer", "Read, Grep, Bash", "sonnet")
    assert "You are an API designer.\n\n" + BOUNDARIES_MARKER in api


def test_one_exported_agent_alone_imports_into_a_cast_of_its_own(tmp_path: Path, rolecall: RunCli) -> None:
    exported = tmp_path / "agents"
    assert rolecall("export", "claude-code", "product-team", "-o", exported).code == 0
    for path in exported.iterdir():
        if path.name != "sam.md":
            path.unlink()
    run = rolecall("import", "claude-code", exported, "-o", tmp_path / "sam-only")
    assert run.code == 0, run.err
    assert "never 'Server Actions': no persona 'morgan' in the cast; left out" in run.out
    assert "1 file: 0 imported, 1 imported with warnings, 0 skipped" in run.out
    cast = load_cast(tmp_path / "sam-only")
    assert [p.id for p in cast.personas] == ["orchestrator", "sam"]
    assert cast.persona("sam").never == ()


def test_export_agents_md_into_a_new_folder_and_never_over_someone_elses_file(tmp_path: Path, rolecall: RunCli) -> None:
    made = rolecall("export", "agents-md", "product-team", "-o", f"{tmp_path / 'new'}/")
    assert made.code == 0 and (tmp_path / "new" / "AGENTS.md").is_file(), made.err
    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n", encoding="utf-8")
    refused = rolecall("export", "agents-md", "product-team", "-o", notes)
    assert refused.code == 2 and "was not written by rolecall export; pass --force" in refused.err
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert rolecall("export", "agents-md", "product-team", "-o", notes, "--force").code == 0
    assert rolecall("export", "agents-md", "product-team", "-o", notes).code == 0  # its own file now
    assert notes.read_bytes() == (tmp_path / "new" / "AGENTS.md").read_bytes()
