"""A full disk or an unwritable path: one line naming the file, exit 1, no partial row in the table."""

import os
import resource
import shutil
import stat

import pytest
from sweep_processes import ARGUMENTS, command, committed, run

import negotiation as ng
from negotiation.sweeps import sweep


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "whole.csv"
    assert run(command(*ARGUMENTS, "--out", str(path))).returncode == 0
    return path.read_bytes()


def _one_line_error(process, message):
    assert process.returncode == 1 and process.stdout == ""
    assert process.stderr == f"negotiation: error: {message}\n"


def test_a_file_size_limit_mid_run_keeps_whole_chunks_and_resumes(reference, tmp_path):
    """The table stops growing in the middle of a chunk (RLIMIT_FSIZE: the disk is full for this file)."""
    out = tmp_path / "t.csv"
    limit = len(reference) // 2

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    process = run(command(*ARGUMENTS, "--out", str(out)), preexec_fn=limit_file_size)
    state = committed(out)
    done = state["chunks_done"]
    assert 0 < done < 12
    _one_line_error(process, f"{out}: cannot write the sweep table (File too large); {out} keeps its {done} "
                             "finished chunks (--resume continues)")
    table = out.read_bytes()
    assert len(table) == state["table_bytes"] <= limit and reference.startswith(table) and table.endswith(b"\n")
    assert out.with_name("t.csv.outcomes").stat().st_size == state["outcome_bytes"]
    assert not out.with_name("t.csv.lock").exists()
    resumed = run(command(*ARGUMENTS, "--out", str(out), "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == reference


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_dev_full_is_one_line_naming_it():
    before = set(os.listdir("/dev"))
    process = run(command(*ARGUMENTS, "--out", "/dev/full"))
    _one_line_error(process, "/dev/full: cannot write the sweep table (No space left on device)")
    assert set(os.listdir("/dev")) == before  # no lock, progress or outcomes file beside a device


def test_dev_full_in_the_api_and_no_resume_on_a_device():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    scenario = ng.load("security_dilemma")
    with pytest.raises(ValueError, match=r"^/dev/full: cannot write the sweep table \(No space left on device\)$"):
        sweep(scenario, grid=["omega=0:1:5"], out="/dev/full")
    with pytest.raises(ValueError, match="not a regular file; --resume needs a table file"):
        sweep(scenario, grid=["omega=0:1:5"], out="/dev/full", resume=True)


def _unprivileged(arguments):
    """``arguments`` run without the right to write where the file modes say no (root has it otherwise)."""
    if os.geteuid() != 0:
        return arguments
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only directory does not stop root")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner", *arguments]


def test_a_read_only_directory_is_one_line_naming_the_path(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    out = folder / "t.csv"
    try:
        process = run(_unprivileged(command(*ARGUMENTS, "--out", str(out))))
        _one_line_error(process, f"{out}: cannot create the lock file {out}.lock (Permission denied)")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_read_only_table_is_one_line_naming_it(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("somebody else's table\n")
    out.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    process = run(_unprivileged(command(*ARGUMENTS, "--out", str(out))))
    _one_line_error(process, f"{out}: cannot write the sweep table (Permission denied)")
    assert out.read_text() == "somebody else's table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


@pytest.mark.parametrize("option, name, message", [
    ("--summary", "full.csv", "--summary {full}: cannot write (No space left on device)"),
    ("--map", "full.png", "{full}: cannot write the figure: No space left on device"),  # the one figure writer's line
])
def test_summary_and_map_on_a_full_disk_are_one_line(tmp_path, option, name, message):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    full = tmp_path / name
    full.symlink_to("/dev/full")  # a file of the right type on a full disk
    out = tmp_path / "t.csv"
    process = run(command("sweep", "security_dilemma", "--grid", "omega=0:1:5", "--grid", "phi=0:1:3",
                          "--out", str(out), option, str(full)))
    assert process.returncode == 1 and "Traceback" not in process.stderr
    assert process.stderr == f"negotiation: error: {message.format(full=full)}\n"
    assert committed(out)["complete"]  # the table was written before the summary or the map failed
