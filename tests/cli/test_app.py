"""``aggsim app``: bad input is one line and exit code 2, before anything is served; the server
stays bounded: a malformed request is one line of its log, closed tabs go, SIGTERM ends it."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from tests.commands import ROOT


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


def serving_app(results: Path) -> tuple[subprocess.Popen, str]:
    """``aggsim app --port 0`` started as a user would, once it says where it serves, and that
    address."""
    app = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "app", "--port", "0", "--results", str(results)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert app.stdout is not None
    app.stdout.readline()
    found = re.search(r"http://\S+/", app.stdout.readline())
    assert found is not None, "the app did not say where it serves"
    return app, found.group(0)


@pytest.mark.slow
def test_malformed_websocket_requests_are_one_line_each_in_the_log(tmp_path):
    """Requests that are not Bokeh's (no subprotocol, garbage frames) put tracebacks of dozens of
    lines in the teacher's terminal; each is now one line, and the app serves on."""
    import asyncio
    import signal
    import urllib.request

    from tornado.websocket import websocket_connect

    app, url = serving_app(tmp_path)

    async def send(frames: list[str]) -> None:
        for frame in frames:
            with contextlib.suppress(Exception):
                ws = await websocket_connect(url.replace("http", "ws") + "ws")
                await ws.write_message(frame)
                await asyncio.sleep(0.3)
                ws.close()

    try:
        asyncio.run(send(["garbage", '{"not": "bokeh"}', "\x00\xff" * 10]))
        assert urllib.request.urlopen(url, timeout=30).status == 200
    finally:
        app.send_signal(signal.SIGINT)
        _, err = app.communicate(timeout=60)
    logged = [line for line in err.splitlines() if "/ws" in line]
    assert len(logged) == 3, err
    assert "Traceback" not in err and all(line.startswith("aggsim app: ") for line in logged)


#: Page loads: at the 6.7 MB each that closed tabs' sessions kept, 200 MB; flat, a few.
LOADS = 30


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads memory from /proc")
def test_page_loads_leave_the_memory_flat_and_sigterm_ends_it_at_once(tmp_path):
    """Every page load builds a classroom (two worlds and their page); the sessions of pages
    that have gone were never cleaned up (the server's own tasks were not started): 30 loads
    took the app from 173 to 373 MB. Now they go within seconds and the memory stays flat
    (``python bench/app_memory.py`` measures a hundred loads)."""
    import signal
    import time
    import urllib.request

    from sim.cli.app import SESSION_CHECK_MS

    app, url = serving_app(tmp_path)
    try:

        def load(times: int) -> None:
            for _ in range(times):
                assert urllib.request.urlopen(url, timeout=60).status == 200

        load(5)
        time.sleep(3 * SESSION_CHECK_MS / 1000)
        before = _rss_mb(app.pid)
        load(LOADS)
        time.sleep(3 * SESSION_CHECK_MS / 1000)
        grown = _rss_mb(app.pid) - before
        assert grown < 50, f"{grown:.0f} MB more after {LOADS} page loads"
    finally:
        started = time.monotonic()
        app.send_signal(signal.SIGTERM)
        app.communicate(timeout=60)
    assert time.monotonic() - started < 2.0 and app.returncode == 143
