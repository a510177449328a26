#!/usr/bin/env python3
"""File-level import circles in the workspace's Rust crates.

For every crate under the given roots (default: every member's src/), builds the graph "file A
names an item of file B" from `use crate::...`, inline `crate::a::b` paths, `super::` and
`self::`-relative `use child::...` paths, and prints every strongly connected component of more
than one file. Exit 1 when there is one, 0 otherwise. Module declarations (`mod x;`) are not
imports; `#[cfg(test)]` blocks are skipped (a test module naming its parent is not a circle).
"""
import os
import re
import sys

USE_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_BLOCK_RE = re.compile(r"\buse\s+(crate|super|self)::((?:[A-Za-z_][A-Za-z0-9_]*::)*)\{([^;]*)\};", re.S)
CHILD_USE_RE = re.compile(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?use\s+([a-z_][a-z0-9_]*)::", re.M)


def strip_tests(text):
    """Drops `#[cfg(test)] mod ... { ... }` blocks and comments."""
    text = re.sub(r"//[^\n]*", "", text)
    out, i = [], 0
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{", text[i:])
        if not m:
            out.append(text[i:])
            break
        start = i + m.start()
        out.append(text[i:start])
        depth, j = 0, i + m.end() - 1
        while j < len(text):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        i = j + 1
    return "".join(out)


def module_of(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def crate_graph(src):
    files = {}
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(root, n)
                files[module_of(src, p)] = p
    # main.rs and lib.rs are both the root of their own crate; keep lib.rs as the root module.
    lib = os.path.join(src, "lib.rs")
    if os.path.exists(lib):
        files[()] = lib
    mods = set(files)

    def resolve(segments):
        for k in range(len(segments), -1, -1):
            if tuple(segments[:k]) in mods:
                return tuple(segments[:k])
        return None

    edges = {m: set() for m in mods}
    for mod, path in files.items():
        if path.endswith("main.rs") and os.path.exists(lib):
            continue
        text = strip_tests(open(path, encoding="utf-8").read())
        is_dir_mod = path.endswith(("mod.rs", "lib.rs", "main.rs"))
        here = list(mod) if is_dir_mod else list(mod)  # the module itself
        parent = list(mod[:-1])

        def base(kind):
            if kind == "crate":
                return []
            if kind == "super":
                return parent
            return here

        paths = []
        for kind, rest in USE_RE.findall(text):
            paths.append(base(kind) + rest.strip(":").split("::"))
        for kind, prefix, body in USE_BLOCK_RE.findall(text):
            pre = base(kind) + [p for p in prefix.split("::") if p]
            for item in re.split(r",", re.sub(r"\{[^}]*\}", "", body)):
                item = item.strip().split(" as ")[0].split("::")
                if item and item[0]:
                    paths.append(pre + item)
            for sub_pre, sub_body in re.findall(r"([A-Za-z_][A-Za-z0-9_:]*)::\{([^}]*)\}", body):
                for item in sub_body.split(","):
                    item = item.strip()
                    if item:
                        paths.append(pre + sub_pre.split("::") + item.split("::"))
        for child in CHILD_USE_RE.findall(text):
            if tuple(here + [child]) in mods:
                paths.append(here + [child])
        for p in paths:
            target = resolve(p)
            if target is not None and target != mod:
                edges[mod].add(target)
    return files, edges


def sccs(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    roots = sys.argv[1:] or [
        os.path.join(d, "src")
        for d in sorted(os.listdir("."))
        if os.path.isfile(os.path.join(d, "Cargo.toml")) and os.path.isdir(os.path.join(d, "src"))
    ]
    bad = 0
    for src in roots:
        files, edges = crate_graph(src)
        for comp in sccs(edges):
            bad += 1
            names = sorted(os.path.relpath(files[m]) for m in comp)
            print(f"{src}: {len(comp)}-file import circle: {' '.join(names)}")
    if bad == 0:
        print(f"no file-level import circle in {', '.join(roots)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
