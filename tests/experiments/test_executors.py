"""Where runs execute, when things go wrong (issue 11: findings 14 and 15): a scheduler address
that is not one, a service that is not a Dask scheduler, a cluster without workers, SIGTERM and
Ctrl-C while replications run. Dask runs against real scheduler processes on loopback."""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiments import executors

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    *("--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0", "--quiet"),
]
GRID = ["--vary", "aggregator.intermediation=0:1:3", "--reps", "2"]


def one_line(capsys) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    "address", ["not a url", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "http://127.0.0.1:80"]
)
def test_a_scheduler_address_that_is_not_one_is_one_line_exit_2(address, tmp_path, capsys):
    out = tmp_path / "x"
    args = ["--executor", "dask", "--scheduler", address, "--out", str(out)]
    assert main(["run", *SMALL, *args]) == 2
    assert "--scheduler: expected an address like tcp://HOST:PORT" in one_line(capsys)
    assert not out.exists()


@pytest.fixture
def server_on_loopback(request) -> Iterator[str]:
    """A service on 127.0.0.1 that is not a Dask scheduler: a web server, or one that greets
    with a text banner."""
    if request.param == "web server":
        server = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    else:

        class Banner(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Banner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("server_on_loopback", "expected"),
    [
        pytest.param("web server", "it did not greet within 5 s", marks=pytest.mark.slow),
        ("banner", "it answered b'SSH-2.0-'"),
    ],
    indirect=["server_on_loopback"],
)
def test_a_service_that_is_not_a_dask_scheduler_is_one_line_exit_2(
    server_on_loopback, expected, tmp_path, capsys
):
    pytest.importorskip("distributed")
    out = tmp_path / "x"
    started = time.monotonic()
    args = ["--executor", "dask", "--scheduler", server_on_loopback, "--out", str(out)]
    assert main(["sweep", *SMALL, *GRID, *args]) == 2
    assert time.monotonic() - started < 20
    line = one_line(capsys)
    assert f"{server_on_loopback} is not a Dask scheduler ({expected}" in line
    assert not out.exists()


def test_an_unreachable_scheduler_leaves_no_folder(tmp_path, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for command in (["run"], ["sweep", *GRID]):
        out = tmp_path / command[0]
        args = ["--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", "--out", str(out)]
        assert main([*command, *SMALL, *args]) == 2
        assert "cannot reach the Dask scheduler" in one_line(capsys)
        assert not out.exists()


@pytest.fixture(scope="module")
def scheduler_without_workers() -> Iterator[str]:
    """A real Dask scheduler process on loopback, with no worker."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=0, host="127.0.0.1", dashboard_address=None, processes=True
    )
    yield cluster.scheduler_address
    cluster.close()


@pytest.mark.slow
def test_a_cluster_without_workers_warns_then_fails_keeping_what_was_written(
    scheduler_without_workers, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(executors, "IDLE_WARNING_SECONDS", 1.0)
    monkeypatch.setattr(executors, "WATCH_SECONDS", 0.5)
    out = tmp_path / "sweep"
    args = ["--executor", "dask", "--scheduler", scheduler_without_workers, "--out", str(out)]
    started = time.monotonic()
    assert main(["sweep", *SMALL, *GRID, *args, "--worker-timeout", "4"]) == 1
    assert 4 <= time.monotonic() - started < 30
    warning, error = capsys.readouterr().err.strip().splitlines()
    assert warning.startswith("aggsim: warning: the Dask scheduler has had no worker for")
    assert error.startswith("aggsim: error: --worker-timeout: the Dask scheduler has had no worker")
    assert "--resume" in error
    # The sweep's folder is kept, ready to continue: here on local processes.
    assert (out / "sweep.json").exists() and not (out / "manifest.json").exists()
    assert (
        main(["sweep", *SMALL, *GRID, "--executor", "inprocess", "--out", str(out), "--resume"])
        == 0
    )


def marked_processes(mark: str) -> list[int]:
    """The processes whose environment carries ``mark`` (a command and everything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stop", "code", "word"),
    [
        (signal.SIGTERM, 143, "terminated"),
        (signal.SIGINT, 130, "interrupted"),
        (signal.SIGKILL, -signal.SIGKILL, None),  # no word, but no orphaned worker either
    ],
)
def test_a_signal_ends_the_command_and_its_pool_within_seconds(stop, code, word, tmp_path):
    mark = f"AGGSIM_TEST_MARK={uuid.uuid4()}"
    long_runs = ["--set", "run.days=200", "--set", "customers.count=4000"]
    long_runs += ["--set", "run.warmup_days=0"]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "sweep",
            "--quiet",
            *long_runs,
            *GRID,
            "--workers",
            "2",
            "--out",
            str(tmp_path / "sweep"),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT), mark.split("=")[0]: mark.split("=")[1]},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(marked_processes(mark)) < 4 and time.monotonic() < deadline:  # main, server, 2
        time.sleep(0.2)
    time.sleep(2.0)  # replications are running
    signalled = time.monotonic()
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - signalled < 10, "running replications are abandoned, not awaited"
    # Ctrl-C: 130, or death by SIGINT itself, which a shell also reports as 130 (CPython ends a
    # process that way when the interrupt fell inside an exec of source text)
    assert process.returncode in ((code, -signal.SIGINT) if stop == signal.SIGINT else (code,))
    if word is not None:
        assert stderr.strip().splitlines() == [
            f"aggsim: {word}; no half-written file is left (aggsim sweep continues with --resume)"
        ]
    deadline = time.monotonic() + 5
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked_processes(mark) == [], "the pool's processes ended with the command"


def test_a_stop_during_the_pools_start_is_held_until_every_worker_is_known(monkeypatch):
    """Ctrl-C while a worker is half-started would leave it unknown to the pool, outliving the
    command and printing a traceback: the stop is held until every worker has started, then the
    pool is ended."""
    start = executors._start_workers
    seen = {}

    def interrupted_start(pool, workers):
        os.kill(os.getpid(), signal.SIGINT)  # arrives as the first worker starts
        start(pool, workers)
        seen["processes"] = list(pool._processes.values())  # no public API

    monkeypatch.setattr(executors, "_start_workers", interrupted_start)
    # Ctrl-C raises KeyboardInterrupt, even where the test runner was started with it ignored
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), executors.open_executor("process", 2):
            pytest.fail("the held stop comes before any work")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(seen["processes"]) == 2, "every worker started before the stop"
    assert not any(p.is_alive() for p in seen["processes"]), "and every one was ended"
