"""``aggsim app``: bad input is one line and exit code 2, before anything is served."""

from __future__ import annotations

import socket

import pytest

from sim.cli import main


def test_a_missing_scenario_file_is_named(tmp_path, capsys):
    assert main(["app", "--scenario", str(tmp_path / "none.toml")]) == 2
    err = capsys.readouterr().err
    assert "none.toml" in err and len(err.strip().splitlines()) == 1


def test_a_broken_preset_is_named_before_serving(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("[aggregator]\nintermediation = 7\n")
    assert main(["app", "--presets", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "intermediation" in err


def test_a_presets_path_that_is_not_a_folder(tmp_path, capsys):
    assert main(["app", "--presets", str(tmp_path / "nowhere")]) == 2
    assert "--presets" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_a_bad_port(port, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["app", "--port", port])
    assert stop.value.code == 2
    assert "port" in capsys.readouterr().err


def test_a_port_in_use_is_named(capsys):
    pytest.importorskip("panel")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"--port {port}" in err and "in use" in err
