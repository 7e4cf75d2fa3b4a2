"""The speed benchmarks run (figures are reported, not asserted: they depend on the machine)."""

from __future__ import annotations

from benchmarks import cold_start
from benchmarks._machine import bracket, machine_state


def test_cold_start_measures_all_three_commands_in_one_run() -> None:
    out = cold_start.measure(runs=1)
    assert out["runs"] == 1.0
    assert out["score_s"] > 0 and out["version_s"] > 0 and out["python_s"] > 0
    assert out["score_over_version"] > 0 and out["score_over_python"] > 0


def test_machine_state_brackets_a_measurement() -> None:
    before, after = machine_state(), machine_state()
    both = bracket(before, after)
    assert both["reference_s"] > 0 and both["cores"] >= 1
    assert set(both) == {"load_avg_before", "load_avg_after", "cores", "reference_s"}
