"""Fail when any module of `yiwang` takes part in an import cycle, between apps or within one.

Imports anywhere in a module count, including those inside functions: an import moved into a
function still makes the cycle it dodges. `make lint` runs this; the app layers themselves are
import-linter contracts in pyproject.toml.
"""

from __future__ import annotations

import sys

import grimp


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if not child.startswith("yiwang"):
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph("yiwang")
    found = cycles(graph)
    for component in found:
        print("import cycle: " + " ↔ ".join(component))
    if found:
        print(f"{len(found)} import cycle(s): make it one-way (an event, a hook, a panel).")
        return 1
    print(f"no import cycle among {len(graph.modules)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
