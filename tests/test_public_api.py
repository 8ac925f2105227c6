"""The public surface is small and deliberate; changing it should be a conscious act."""

from __future__ import annotations

import rolecall
import rolecall.errors
import rolecall.orchestrator
import rolecall.roles


def test_top_level_all_is_sorted_and_importable() -> None:
    assert rolecall.__all__ == sorted(rolecall.__all__)
    for name in rolecall.__all__:
        assert hasattr(rolecall, name)


def test_top_level_api() -> None:
    assert set(rolecall.__all__) >= {
        "Cast", "Coordinator", "InputError", "Persona", "Plan", "Problem", "RolecallError",
        "UsageError", "build_plan", "load_cast", "plan_file", "resolve_cast", "route",
    }  # fmt: skip


def test_errors_module_exports_the_hierarchy() -> None:
    assert rolecall.errors.__all__ == ["InputError", "Problem", "RolecallError", "UsageError"]
    assert issubclass(rolecall.InputError, rolecall.RolecallError)
    assert issubclass(rolecall.UsageError, rolecall.RolecallError)


def test_subpackages_declare_all() -> None:
    for module in (rolecall.roles, rolecall.orchestrator):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
