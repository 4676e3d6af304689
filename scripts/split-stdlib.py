"""Splits the pruned standard library in two (run by scripts/python-deps.sh).

The modules python/frozen-modules.txt names stay in Lib/, which rustpython-pylib freezes into
the Python module; every other module moves to the lazy tree, which the site serves as
python/lib/ and the module imports from at first use (python/src/stdlib.rs). The lazy tree's
index.txt lists its files after a version line (a hash of their contents), which the module
embeds: it knows which names it can fetch without asking the network, and a changed file
is fetched under a new address.

Usage: split-stdlib.py LIB LAZY LISTING
"""

import hashlib
import os
import shutil
import sys

lib, lazy, listing = sys.argv[1:]
names = [line.strip() for line in open(listing, encoding="utf-8") if line.strip() and not line.startswith("#")]


def frozen(module):
    for name in names:
        if name.endswith(".*"):
            package = name[:-2]
            if module == package or module.startswith(package + "."):
                return True
        elif module == name:
            return True
    return False


def module_of(relative):
    parts = relative[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


files = sorted(
    os.path.relpath(os.path.join(root, f), lib).replace(os.sep, "/")
    for root, _, fs in os.walk(lib)
    for f in fs
    if f.endswith(".py")
)
modules = {module_of(f) for f in files}
missing = [n for n in names if n.rstrip(".*").rstrip(".") not in modules]
if missing:
    sys.exit(f"split-stdlib: {listing} names modules Lib/ lacks: {', '.join(missing)}")

shutil.rmtree(lazy, ignore_errors=True)
os.makedirs(lazy)
moved = [f for f in files if not frozen(module_of(f))]
digest = hashlib.sha256()
for relative in moved:
    target = os.path.join(lazy, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.move(os.path.join(lib, relative), target)
    digest.update(relative.encode() + b"\0")
    with open(target, "rb") as f:
        digest.update(f.read())
with open(os.path.join(lazy, "index.txt"), "w", encoding="utf-8") as index:
    index.write(f"version {digest.hexdigest()[:16]}\n")
    index.writelines(f + "\n" for f in moved)
print(f"[python-deps] {len(files) - len(moved)} modules frozen, {len(moved)} fetched at first import ({lazy})")
