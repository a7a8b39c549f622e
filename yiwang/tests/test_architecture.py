"""The dependency rules of ARCHITECTURE.md, checked on the real code: no import cycles, apps
one way (import-linter contracts in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

import grimp

from tools.check_import_cycles import cycles

ROOT = Path(__file__).resolve().parents[2]


def test_a_cycle_between_two_modules_is_found():
    graph = grimp.ImportGraph()
    for module in ("yiwang.low", "yiwang.high", "yiwang.other"):
        graph.add_module(module)
    graph.add_import(importer="yiwang.high", imported="yiwang.low")
    graph.add_import(importer="yiwang.low", imported="yiwang.high")
    graph.add_import(importer="yiwang.other", imported="yiwang.low")
    assert cycles(graph) == [["yiwang.high", "yiwang.low"]]


def test_no_module_of_the_project_is_in_an_import_cycle():
    assert cycles(grimp.build_graph("yiwang")) == []


def test_the_layer_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
