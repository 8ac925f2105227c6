"""resolve_cast keeps a loaded cast only while the files it was loaded from are unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rolecall import InputError
from rolecall.roles import resolve_cast


def test_an_unchanged_cast_is_loaded_once(product_team: Path) -> None:
    assert resolve_cast(product_team) is resolve_cast(product_team)


def test_an_edited_persona_file_is_read_again(product_team: Path) -> None:
    before = resolve_cast(product_team)
    assert before.persona("sam").name == "Sam"
    sam = product_team / "sam.toml"
    sam.write_text(sam.read_text(encoding="utf-8").replace('name = "Sam"', 'name = "Samantha"'), encoding="utf-8")
    after = resolve_cast(product_team)
    assert after.persona("sam").name == "Samantha"
    assert resolve_cast(product_team) is after


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen_when_the_file_is_replaced(
    product_team: Path,
) -> None:
    """Editors that save by writing a new file and renaming it change the inode, whatever the clock says."""
    resolve_cast(product_team)
    sam = product_team / "sam.toml"
    stat = sam.stat()
    replacement = product_team / "sam.toml.new"
    replacement.write_text(sam.read_text(encoding="utf-8").replace('name = "Sam"', 'name = "Mas"'), encoding="utf-8")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, sam)
    assert resolve_cast(product_team).persona("sam").name == "Mas"


def test_a_persona_file_added_or_broken_is_seen(product_team: Path) -> None:
    resolve_cast(product_team)
    (product_team / "zed.toml").write_text('id = "zed"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"zed\.toml"):
        resolve_cast(product_team)
    (product_team / "zed.toml").unlink()
    assert "zed" not in resolve_cast(product_team)
