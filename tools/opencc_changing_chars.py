#!/usr/bin/env python3
"""Writes assets/opencc-changing-chars.txt: characters of which every key the Hong Kong →
Simplified conversion (ferrous-opencc's hk2s chain) changes holds at least one — the
characters converted on their own, and for a phrase converted as a whole (反覆 → 反复) without
any of them, its characters that the conversion replaces (覆). Text without any of them
converts to itself, so `registry::fold::to_simplified` skips the conversion for it; Simplified
text seldom holds one.

Run after upgrading ferrous-opencc:  python3 tools/opencc_changing_chars.py
(the unit test `registry::fold::tests::the_changing_set_covers_every_character_the_converter_changes`
fails when the set is out of date)."""

import glob
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def crate_dir():
    version = None
    for line in (ROOT / "Cargo.lock").read_text().split("[[package]]"):
        if 'name = "ferrous-opencc"\n' in line:
            version = line.split('version = "')[1].split('"')[0]
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    found = glob.glob(f"{home}/registry/src/*/ferrous-opencc-{version}")
    if not found:
        raise SystemExit(f"ferrous-opencc {version} is not in {home}/registry/src: run cargo fetch")
    return Path(found[0]) / "assets"


def dictionary_files(config):
    """The dictionary files of a conversion chain, in order."""
    def walk(node):
        if node["type"] == "group":
            for inner in node["dicts"]:
                yield from walk(inner)
        else:
            yield node["file"].replace(".ocd2", ".txt")
    for step in config["conversion_chain"]:
        yield from walk(step["dict"])


def main():
    assets = crate_dir()
    config = json.loads((assets / "hk2s.json").read_text())
    changed = {}
    for name in dictionary_files(config):
        for line in (assets / "dictionaries" / name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            key, values = line.split("\t", 1)
            value = values.split(" ")[0]
            if value != key:
                changed[key] = value
    changing = {key for key in changed if len(key) == 1}
    for key, value in changed.items():
        if not any(c in changing for c in key):
            replaced = [c for c in key if c not in value]
            changing.update(replaced or key)
    text = "".join(sorted(changing))
    (ROOT / "assets" / "opencc-changing-chars.txt").write_text(text + "\n", encoding="utf-8")
    print(f"{len(changing)} characters")


if __name__ == "__main__":
    main()
