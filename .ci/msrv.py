#!/usr/bin/env python3
"""The MSRV check CI can run with the one toolchain this machine has.

The crate states `rust-version` in Cargo.toml. Two things can break it:
our own code using a newer standard-library API, which clippy's
`incompatible_msrv` lint catches (it reads `rust-version`; CI runs clippy
with -D warnings), and a library dependency that needs a newer Rust, which
this script catches: every crate the library depends on (not dev-only)
must state a `rust-version` no newer than ours.
"""
import json
import subprocess
import sys


def version(v):
    return tuple(int(x) for x in v.split("."))


meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = meta["resolve"]["root"]
ours = packages[root]["rust_version"]
if not ours:
    sys.exit("msrv: Cargo.toml states no rust-version")

seen, stack = set(), [root]
while stack:
    node = stack.pop()
    if node in seen:
        continue
    seen.add(node)
    for dep in nodes[node]["deps"]:
        # Normal and build dependencies; dev-dependencies are not the
        # library's.
        if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
            stack.append(dep["pkg"])

bad = []
for node in sorted(seen - {root}, key=lambda n: packages[n]["name"]):
    p = packages[node]
    needs = p.get("rust_version")
    if needs and version(needs) > version(ours):
        bad.append(f"{p['name']} {p['version']} needs Rust {needs}")
print(f"msrv: {len(seen) - 1} library dependencies checked against Rust {ours}")
if bad:
    sys.exit("msrv: " + "; ".join(bad))
