"""Progress of a sweep: the chunk layout that lets the bar move at once, the bar itself (tqdm, counting
points) and its silence (no terminal, --quiet, inside another bar). The layouts are listed by hand."""

import pytest

import negotiation as ng
from negotiation.core import progress as progress_module
from negotiation.core.progress import note, progress_bar, silenced, would_show
from negotiation.sweeps import sweep
from negotiation.sweeps.engine import BATCH_CHUNKS, POINTWISE_CHUNKS, automatic_chunks
from negotiation.sweeps.plan import make_plan


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


def _layout(plan):
    return [plan.bounds(k) for k in range(plan.n_chunks)]


def _plan(scenario, points, chunk_size, first_chunk=0):
    return make_plan(scenario, [f"omega=0:1:{points}"], None, 0, None, None, None, chunk_size, None,
                     first_chunk=first_chunk)


def test_ramped_chunks_double_up_to_the_chunk_size(scenario):
    # 4, 8, then 16 each: 0-4, 4-12, 12-28, 28-44, 44-60, 60-76, 76-92, and the last 8 points
    assert _layout(_plan(scenario, 100, 16, 4)) == [(0, 4), (4, 12), (12, 28), (28, 44), (44, 60), (60, 76),
                                                    (76, 92), (92, 100)]
    assert _layout(_plan(scenario, 10, 16, 4)) == [(0, 4), (4, 10)]          # ends inside the ramp
    assert _layout(_plan(scenario, 12, 16, 4)) == [(0, 4), (4, 12)]          # ends on the ramp's edge
    assert _layout(_plan(scenario, 3, 16, 4)) == [(0, 3)]
    assert _layout(_plan(scenario, 40, 12, 5)) == [(0, 5), (5, 15), (15, 27), (27, 39), (39, 40)]  # 5, 10, 12, ...
    assert _layout(_plan(scenario, 10, 3)) == [(0, 3), (3, 6), (6, 9), (9, 10)]  # no ramp: as before


def test_a_ramp_is_part_of_the_fingerprint(scenario):
    # resume must refuse a table written with other chunk boundaries; a uniform layout keeps its old key
    assert _plan(scenario, 100, 16, 4).key != _plan(scenario, 100, 16).key
    assert _plan(scenario, 100, 16, 16).key == _plan(scenario, 100, 16).key


def test_automatic_chunks_by_how_points_are_solved():
    assert automatic_chunks(ng.load("security_dilemma")) == BATCH_CHUNKS == (1024, 65536)
    assert automatic_chunks(ng.load("nato_enlargement_bayesian")) == POINTWISE_CHUNKS == (8, 128)


def test_default_chunks_report_progress_early_and_write_the_same_table(scenario, tmp_path):
    # 41 x 41 = 1,681 points: a first chunk of 1,024 points, then the other 657
    calls = []
    default = sweep(scenario, grid=["omega=0:1:41", "phi=0:1:41"], out=tmp_path / "default.csv",
                    progress=lambda *args: calls.append(args))
    assert calls == [(1, 2, 1024, 1681), (2, 2, 1681, 1681)]
    one_chunk = sweep(scenario, grid=["omega=0:1:41", "phi=0:1:41"], out=tmp_path / "one.csv", chunk_size=10**6)
    assert one_chunk.n_chunks == 1 and default.n_chunks == 2
    assert (tmp_path / "default.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_tree_sweeps_start_with_eight_points(tmp_path):
    tree = ng.load("nato_enlargement")
    name = next(p.name for p in tree.parameters.parameters if p.low is not None and p.high is not None)
    parameter = next(p for p in tree.parameters.parameters if p.name == name)
    calls = []
    grid = {name: (parameter.low, parameter.high, 30)}
    sweep(tree, grid=grid, out=tmp_path / "ramp.csv", progress=lambda *args: calls.append(args))
    assert [c[2] for c in calls] == [8, 24, 30]  # chunks of 8, 16, then the last 6 points
    sweep(tree, grid=grid, out=tmp_path / "one.csv", chunk_size=1000)
    assert (tmp_path / "ramp.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_an_interrupted_ramped_sweep_resumes_to_the_same_bytes(scenario, tmp_path):
    options = {"grid": ["omega=0:1:80", "phi=0:1:80"]}  # 6,400 points: chunks 1,024, 2,048, then 3,328
    sweep(scenario, out=tmp_path / "whole.csv", **options)
    out = tmp_path / "cut.csv"

    def stop_after_two(chunks_done, n_chunks, points_done, n_points):
        if chunks_done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as stop:
        sweep(scenario, out=out, progress=stop_after_two, **options)
    assert (stop.value.chunks_done, stop.value.n_chunks) == (2, 3)
    seen = []
    again = sweep(scenario, out=out, resume=True, progress=lambda *args: seen.append(args), **options)
    assert again.resumed_chunks == 2 and seen == [(2, 3, 3072, 6400), (3, 3, 6400, 6400)]
    assert out.read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_the_bar_counts_points_on_stderr_only(scenario, capsys):
    sweep(scenario, grid=["omega=0:1:41", "phi=0:1:41"], progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "sweep security_dilemma" in err and "0/1681 [" in err and "1681/1681 [" in err and "points/s" in err
    assert "1024/1681 [" in err  # the bar moved after the first chunk, before the end


def test_quiet_and_no_terminal_silence_the_bar(scenario, capsys, monkeypatch):
    with silenced():
        sweep(scenario, grid=["omega=0:1:10"], progress=True)
        note("not shown")
    assert capsys.readouterr() == ("", "")
    sweep(scenario, grid=["omega=0:1:10"])  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(progress_module, "_stderr_is_terminal", lambda: True)
    sweep(scenario, grid=["omega=0:1:10"])
    assert "10/10 [" in capsys.readouterr().err
    sweep(scenario, grid=["omega=0:1:10"], progress=False)
    assert capsys.readouterr().err == ""


def test_one_bar_at_a_time(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "_stderr_is_terminal", lambda: True)
    with progress_bar(2, "outer", unit="models") as outer:
        assert outer.shown and not would_show(None) and would_show(True)
        with progress_bar(5, "inner") as inner:
            inner.advance(5)
        assert not inner.shown and inner.count == 5
        note("half way")
        outer.advance(2)
    err = capsys.readouterr().err
    assert "outer" in err and "2/2 [" in err and "negotiation: note: half way" in err and "inner" not in err
    assert would_show(None)  # the outer bar is closed: the next one shows again
