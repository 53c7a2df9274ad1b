#!/usr/bin/env python3
"""Licence allow-list check for every crate in Cargo.lock, offline.

Reads `cargo metadata --format-version 1 --locked` (the registry's crates are already on disk
once the project has been built), evaluates each package's SPDX `license` expression
(OR, AND, WITH, parentheses; the legacy `/` means OR) and fails when an expression cannot be
satisfied by the allow-list below, or when a dependency declares no licence at all.

Usage: python3 .ci/licenses.py [--verbose]
"""

import json
import re
import subprocess
import sys

ALLOWED = {
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "0BSD",
    "CC0-1.0",
    "BSL-1.0",
}
# Exceptions that only widen what the licence allows.
ALLOWED_EXCEPTIONS = {"LLVM-exception"}


class ParseError(Exception):
    pass


def tokens(expression):
    expression = expression.replace("/", " OR ")
    return re.findall(r"\(|\)|[A-Za-z0-9.+\-]+", expression)


def satisfiable(expression):
    """True when the licence expression can be honoured using only allowed licences."""
    toks = tokens(expression)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        if pos >= len(toks):
            raise ParseError(f"unexpected end of {expression!r}")
        pos += 1
        return toks[pos - 1]

    def primary():
        tok = take()
        if tok == "(":
            value = disjunction()
            if take() != ")":
                raise ParseError(f"unbalanced parentheses in {expression!r}")
            return value
        if tok.upper() in ("AND", "OR", "WITH", ")"):
            raise ParseError(f"unexpected {tok!r} in {expression!r}")
        licence = tok.rstrip("+")
        ok = licence in ALLOWED
        if peek() is not None and peek().upper() == "WITH":
            take()
            exception = take()
            ok = ok and exception in ALLOWED_EXCEPTIONS
        return ok

    def conjunction():
        value = primary()
        while peek() is not None and peek().upper() == "AND":
            take()
            right = primary()
            value = value and right
        return value

    def disjunction():
        value = conjunction()
        while peek() is not None and peek().upper() == "OR":
            take()
            right = conjunction()
            value = value or right
        return value

    result = disjunction()
    if pos != len(toks):
        raise ParseError(f"trailing {toks[pos:]} in {expression!r}")
    return result


def main():
    verbose = "--verbose" in sys.argv
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(metadata["workspace_members"])
    failures = []
    seen = {}
    for package in metadata["packages"]:
        if package["id"] in members:
            continue
        name = f"{package['name']} {package['version']}"
        licence = package.get("license")
        if not licence:
            failures.append(f"{name}: no SPDX licence declared (license_file: {package.get('license_file')})")
            continue
        seen[licence] = seen.get(licence, 0) + 1
        try:
            if not satisfiable(licence):
                failures.append(f"{name}: {licence}")
        except ParseError as error:
            failures.append(f"{name}: cannot read the licence expression: {error}")
    if verbose:
        for licence, count in sorted(seen.items(), key=lambda kv: -kv[1]):
            print(f"{count:5} {licence}")
    total = sum(seen.values())
    if failures:
        print(f"licence check: {len(failures)} of {total} crates outside the allow-list:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"licence check: {total} crates, all under allowed licences")
    return 0


def self_test():
    assert satisfiable("MIT OR Apache-2.0")
    assert satisfiable("MIT/Apache-2.0")
    assert satisfiable("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT")
    assert satisfiable("(MIT OR Apache-2.0) AND Unicode-3.0")
    assert satisfiable("Apache-2.0 / MIT / MPL-2.0")
    assert not satisfiable("MPL-2.0")
    assert not satisfiable("GPL-3.0-only")
    assert not satisfiable("MIT AND GPL-2.0-or-later")
    assert not satisfiable("LGPL-2.1-or-later OR GPL-3.0")
    assert not satisfiable("GPL-2.0 WITH Classpath-exception-2.0")
    for bad in ("MIT OR", "(MIT", "MIT)"):
        try:
            satisfiable(bad)
        except ParseError:
            continue
        raise AssertionError(bad)


if __name__ == "__main__":
    self_test()
    sys.exit(main())
