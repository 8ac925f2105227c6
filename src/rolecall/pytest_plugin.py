"""A pytest plugin that collects scenario files as tests.

Off unless enabled with ``pytest --rolecall`` (or ``rolecall = true`` in the
pytest ini settings). Each scenario TOML file becomes one test item: it is
checked with :func:`rolecall.check` (replayed, the policies and its
``[expect]`` table evaluated), and a failure shows every finding with the
transcript excerpt around the event concerned.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from rolecall.policies.check import CheckResult

__all__ = ["ScenarioFile", "ScenarioItem"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("rolecall", "rolecall scenario checks")
    group.addoption(
        "--rolecall", action="store_true", default=False, help="collect rolecall scenario files (*.toml) as tests"
    )
    group.addoption(
        "--rolecall-policy",
        action="append",
        default=[],
        metavar="PATH",
        help="policy file for rolecall scenarios (repeatable; default: the shipped policies)",
    )
    group.addoption(
        "--rolecall-allow-empty",
        action="store_true",
        default=False,
        help="pass a scenario that no policy rule applies to (by default it fails: nothing was checked)",
    )
    parser.addini("rolecall", type="bool", default=False, help="collect rolecall scenario files as tests")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("--rolecall") or config.getini("rolecall"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".toml" or not _enabled(parent.config) or not _is_scenario(file_path):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _is_scenario(path: Path) -> bool:
    from rolecall.files.scenarios import looks_like_scenario

    return looks_like_scenario(path)


class ScenarioFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        return [ScenarioItem.from_parent(self, name=self.path.stem)]


class ScenarioFailure(Exception):
    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.name)
        self.result = result


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        from rolecall.api import check
        from rolecall.files import default_policies
        from rolecall.policies.report import text_report

        paths = [Path(p) for p in self.config.getoption("--rolecall-policy")] or default_policies(
            Path(str(self.config.rootpath))
        )
        allow_empty = bool(self.config.getoption("--rolecall-allow-empty"))
        (result,) = check(self.path, policies=paths, allow_empty=allow_empty)
        self.add_report_section("call", "rolecall", text_report([result]))
        if not result.passed:
            raise ScenarioFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from rolecall.errors import InputError

        if isinstance(excinfo.value, InputError):
            return "\n".join(str(p) for p in excinfo.value.problems)
        if not isinstance(excinfo.value, ScenarioFailure):
            return str(super().repr_failure(excinfo))
        result = excinfo.value.result
        lines = [f"scenario {result.name} failed its checks:"]
        for f in result.errors:
            lines += [
                "",
                f"rule {f.rule} [{f.severity}]: {f.message}",
                f"  {f.detail}",
                f"  personas {', '.join(f.personas) or '-'}; task {f.task or '-'}; event #{f.seq}",
                "  transcript:",
                result.excerpt(result.line_of(f)),
            ]
        for e in result.failed_expectations:
            lines += ["", f"expectation '{e.name}' failed: {e.detail}"]
        if result.unchecked:
            lines += ["", f"no policy rule applies to this run (cast '{result.cast}'); use --rolecall-allow-empty"]
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"rolecall scenario {self.name}"
