"""A sweep's identity covers the contents of the files it reads, not only their names."""

from __future__ import annotations

import json
import shutil

import pytest

from experiments.sweep import main
from experiments.sweeps import load_sweep, run_sweep
from model.params import ConfigError

from .conftest import DATA, QUIET_SWEEP, REPO, interrupted_sweep, one_error_line

SEQUENTIAL = [*QUIET_SWEEP, "sweep.executor=sequential", "sweep.batch_size=2"]


def listing(folder):
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.mark.parametrize("key, name", [("world.countries_file", "tiny_countries.csv"),
                                       ("world.flows_file", "tiny_flows.csv")])
def test_a_resume_after_an_input_file_changed_is_refused_naming_it(tmp_path, monkeypatch, capsys, key, name):
    countries, flows = tmp_path / "countries.csv", tmp_path / "flows.csv"
    shutil.copy(DATA / "tiny_countries.csv", countries)
    shutil.copy(DATA / "tiny_flows.csv", flows)
    folder = tmp_path / "s"
    overrides = [*SEQUENTIAL, "world=gravity", f"world.countries_file={countries}", "world.kind=flows",
                 f"world.flows_file={flows}", f"sweep.output={folder}"]
    interrupted_sweep(overrides, monkeypatch)
    assert any(folder.glob("chunks/*.parquet")) and not (folder / "runs.parquet").exists()
    edited = countries if key == "world.countries_file" else flows
    original = edited.read_text()
    edited.write_text(original.replace("3\n", "30\n", 1) if key == "world.flows_file"
                      else original.replace("8.0", "7.5", 1))
    before = listing(folder)

    with pytest.raises(SystemExit) as info:
        main(overrides)
    assert info.value.code == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {key}: the contents of '{edited}' changed"), line
    assert listing(folder) == before  # nothing written

    edited.write_text(original)  # put back as it was: the sweep resumes
    results = run_sweep(load_sweep(overrides))
    assert results.failures == 0 and len(results.runs) == 18


def test_the_embedded_dataset_is_part_of_the_identity(tmp_path, monkeypatch):
    import experiments.sweeps.compose as compose
    from experiments.sweeps.store import check_folder

    embedded = tmp_path / "countries.csv"
    shutil.copy(REPO / "model" / "data" / "countries.csv", embedded)
    monkeypatch.setattr(compose, "EMBEDDED_COUNTRIES", embedded)
    gravity = ["sweep=default"]  # the embedded world: world.countries_file is ""
    first = load_sweep(gravity)
    assert first.inputs["world.countries_file"]["path"] == str(embedded)
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"config_hash": first.config_hash, "inputs": first.inputs}))
    assert check_folder(folder, first.config_hash, first.inputs)

    embedded.write_text(embedded.read_text().replace("\n", "\r\n", 1))  # one byte more
    second = load_sweep(gravity)
    assert second.config_hash != first.config_hash and second.legacy_hash == first.legacy_hash
    with pytest.raises(ConfigError, match=r"^world.countries_file: the contents of '.*countries.csv' changed"):
        check_folder(folder, second.config_hash, second.inputs, second.legacy_hash)


def test_a_synthetic_sweep_reads_no_file_and_a_folder_from_before_input_hashes_still_resumes(tmp_path):
    from experiments.sweeps.store import check_folder

    smoke = load_sweep(["sweep=smoke"])
    assert smoke.inputs == {}
    folder = tmp_path / "s"
    folder.mkdir()
    gravity = load_sweep(["sweep=default"])
    (folder / "manifest.json").write_text(json.dumps({"config_hash": gravity.legacy_hash}))  # no "inputs"
    assert check_folder(folder, gravity.config_hash, gravity.inputs, gravity.legacy_hash)
