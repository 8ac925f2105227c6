"""A faster ``__init__`` for the frozen, slotted dataclasses a run builds by the hundred thousand."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

__all__ = ["fast_init"]

_T = TypeVar("_T")


def fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen slotted dataclass an ``__init__`` that fills each slot through its descriptor.

    The generated one of a frozen dataclass calls ``object.__setattr__`` per
    field (to get past the frozen ``__setattr__``), which costs a third more;
    a replay builds several such objects per step. Same signature (positional
    and keyword-only fields), defaults and default factories; type checkers
    still see the dataclass's own signature.
    """
    env: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = f.name
        env[f"_set_{name}"] = getattr(cls, name).__set__
        if f.default is not dataclasses.MISSING:
            env[f"_default_{name}"] = f.default
            param = f"{name}=_default_{name}"
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_factory_{name}"] = f.default_factory
            param = f"{name}=_MISSING"
            body.append(f"if {name} is _MISSING: {name} = _factory_{name}()")
        else:
            param = name
        (keyword if f.kw_only else positional).append(param)
        body.append(f"_set_{name}(self, {name})")
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    # Field names come from the class body, never from input.
    exec(f"def __init__({params}):\n" + "".join(f"    {line}\n" for line in body), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
