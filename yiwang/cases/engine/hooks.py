"""Where procedures and features plug into the engine, so that the engine imports none of them.

A plug-in module registers functions under a hook name with `@hook("on_decision")`; the
engine calls `run("on_decision", case=…, …)` at that point of every action. The plug-ins are
imported once, by the cases app's `ready()`.

Hooks, with the keyword arguments they get:
- check_filing(procedure, version, applicant, chosen, commitment_signed): raise to refuse;
- after_filing(case, actor, commitment_signed): inside the filing transaction;
- after_filing_commit(case): after it, returns the case it moved on to (or None);
- on_decision(case, actor, approved, note): inside the decision's transaction;
- after_change(case, action): inside every action's transaction, after the case is saved;
- green_mark(procedure, version, day): the green mark the new case runs under, or None;
- issue_mode(case): "valid" | "provisional" | "held" (the first non-None answer wins).
"""

from __future__ import annotations

from collections.abc import Callable

NAMES = frozenset(
    {
        "check_filing",
        "after_filing",
        "after_filing_commit",
        "on_decision",
        "after_change",
        "green_mark",
        "issue_mode",
    }
)
_HOOKS: dict[str, dict[str, tuple[int, Callable]]] = {name: {} for name in NAMES}


def hook(name: str, *, order: int = 100):
    """Register the decorated function under a hook name; lower `order` runs first (a rule that
    must refuse before the others, like the credit gate, says so), then by name."""
    if name not in NAMES:
        raise ValueError(f"no engine hook is called {name!r}")

    def register(function: Callable) -> Callable:
        _HOOKS[name][f"{function.__module__}.{function.__qualname__}"] = (order, function)
        return function

    return register


def run(name: str, **kwargs) -> list:
    """Call every function of a hook in order; their answers, None left out."""
    answers = []
    ordered = sorted(_HOOKS[name].items(), key=lambda entry: (entry[1][0], entry[0]))
    for _path, (_order, function) in ordered:
        answer = function(**kwargs)
        if answer is not None:
            answers.append(answer)
    return answers


def first(name: str, default, **kwargs):
    answers = run(name, **kwargs)
    return answers[0] if answers else default
