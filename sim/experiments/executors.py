"""Where runs execute, behind the ``concurrent.futures.Executor`` interface.

- ``inprocess``: in this process, one run at a time (debugging, profiling, tiny jobs);
- ``process``: a pool of local worker processes (the default; all cores);
- ``dask``: a Dask cluster — an existing scheduler (``--scheduler tcp://HOST:PORT``) or a local
  cluster of ``workers`` processes. Needs the optional extra ``aggsim[dask]``.

The results never depend on the executor: a run's random numbers depend only on the root seed,
the replication and the stream (``sim.model.streams``).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import select
import signal
import socket
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from sim.errors import Fault, UserError

EXECUTORS = ("process", "inprocess", "dask")


class InProcessExecutor(Executor):
    """Runs each task at submission, in this process; its futures are already done."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # the caller reads it from the future, as from any executor
            future.set_exception(error)
        return future


def _start_worker(command_pid: int) -> None:
    """Set up a pool's worker process: it leaves Ctrl-C to the command, which shuts the pool
    down, and it ends when the command's process ends, however that happens.

    A worker waits for work on a queue whose writing end it holds itself, so it would never see
    the command die (``kill -9``, a lost job); a daemon thread waits on the command's process and
    ends the worker when it exits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(command_pid,), daemon=True).start()


def _exit_with(pid: int) -> None:
    """Return only to end this process, once process ``pid`` has ended."""
    try:
        handle = os.pidfd_open(pid)  # Linux: readable when the process ends
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
    else:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
            time.sleep(1.0)
    os._exit(1)


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a server that has already imported the model (fast to start, and safe
    in a parent with threads); spawn where the platform has no fork server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.experiments.sweep", "sim.experiments.runs"])
        return context
    return multiprocessing.get_context("spawn")


#: Seconds between two looks at the workers while waiting for a run to finish.
WATCH_SECONDS = 5.0
#: Seconds without a worker before a warning line.
IDLE_WARNING_SECONDS = 30.0
#: Seconds a pool's processes are given to end once the command stops.
SHUTDOWN_SECONDS = 5.0
#: A scheduler's address: [tcp:// or tls://]HOST:PORT.
SCHEDULER_ADDRESS = re.compile(r"(?:(tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})")


@contextmanager
def open_executor(
    kind: str,
    workers: int,
    scheduler: str | None = None,
    worker_timeout: float | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[Executor]:
    """An executor of the given kind, shut down on exit.

    On a normal exit the pool is shut down in order; when the command stops early (an error,
    Ctrl-C, SIGTERM) pending work is cancelled and running replications are abandoned: the pool's
    processes are ended within :data:`SHUTDOWN_SECONDS`. With Dask, ``warn`` is told when no
    worker has been connected for :data:`IDLE_WARNING_SECONDS`, and after ``worker_timeout``
    seconds without one the command fails (:class:`sim.errors.Fault`).
    """
    if kind == "inprocess" or (kind == "process" and workers <= 1):
        yield InProcessExecutor()
    elif kind == "process":
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_process_context(),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        try:
            with _interruptions_held():
                _start_workers(pool, workers)
            yield pool
        except BrokenProcessPool:
            _end_pool(pool)
            raise Fault(
                "a worker process died (out of memory, or killed); runs already finished are "
                "kept (a sweep continues with --resume)"
            ) from None
        except BaseException:
            _end_pool(pool)
            raise
        pool.shutdown(wait=True)
    elif kind == "dask":
        with _dask_executor(workers, scheduler, worker_timeout, warn) as executor:
            yield executor
    else:
        raise UserError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {kind!r}")


#: Seconds a new pool's workers are given to start.
START_SECONDS = 60.0


def _ready() -> None:
    """The task that shows a worker has started."""


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker of a new pool now, and wait until each has started.

    A pool otherwise starts a worker whenever work is submitted and none is idle, so one could be
    half-started when a stop comes: unknown to the pool, it would outlive the command and fail
    (with a traceback) once the command's semaphores are gone. The pool's own way of starting them
    all at once (what it does for forked workers) has no public name in Python 3.11.
    """
    pool._launch_processes()  # type: ignore[attr-defined]
    wait([pool.submit(_ready) for _ in range(workers)], timeout=START_SECONDS)


@contextmanager
def _interruptions_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block has run, then deliver them (main thread only; a
    Python handler, not a signal mask, so child processes are not affected)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {
        stop: signal.signal(stop, lambda signum, frame: held.append(signum)) for stop in stops
    }
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        if held:  # now to the command's own handler, at once
            handler = previous[signal.Signals(held[0])]
            if callable(handler):
                handler(held[0], None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), held[0])


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is pending and end the worker processes now, abandoning running work."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API in 3.11
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + SHUTDOWN_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
    # The pool's manager thread closes its wake-up pipe as it ends; Python 3.11 wakes that pipe at
    # exit without the pool's lock, so a pipe closing meanwhile prints a traceback. Let it end now.
    manager = getattr(pool, "_executor_manager_thread", None)  # no public API in 3.11
    if manager is not None:
        manager.join(max(1.0, deadline - time.monotonic()))


def wait_first(executor: Executor, pending: Collection[Future]) -> set[Future]:
    """The pending futures that have finished, once at least one has; meanwhile the executor's
    workers are watched (:meth:`DaskExecutor.watch`)."""
    watch = getattr(executor, "watch", None)
    if watch is None:
        return wait(pending, return_when=FIRST_COMPLETED).done
    while True:
        finished, _ = wait(pending, timeout=WATCH_SECONDS, return_when=FIRST_COMPLETED)
        if finished:
            return finished
        watch()


def as_finished(executor: Executor, futures: Iterable[Future]) -> Iterator[Future]:
    """Each future as it finishes, like :func:`concurrent.futures.as_completed`, with the
    executor's workers watched meanwhile."""
    pending = set(futures)
    while pending:
        finished = wait_first(executor, pending)
        pending -= finished
        yield from finished


class DaskExecutor(Executor):
    """A Dask client's executor that can tell when the cluster has no worker (MODEL.md 7)."""

    def __init__(
        self,
        client: Any,
        worker_timeout: float | None,
        warn: Callable[[str], None] | None,
    ) -> None:
        self.client, self.worker_timeout, self.warn = client, worker_timeout, warn
        self.executor = client.get_executor()
        self.without_workers_since: float | None = None
        self.warned = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.executor.shutdown(wait=wait)

    def watch(self) -> None:
        """Warn once after :data:`IDLE_WARNING_SECONDS` without any worker; fail after
        ``worker_timeout``."""
        if self.client.nthreads():
            self.without_workers_since, self.warned = None, False
            return
        now = time.monotonic()
        if self.without_workers_since is None:
            self.without_workers_since = now
        idle = now - self.without_workers_since
        if self.worker_timeout is not None and idle >= self.worker_timeout:
            raise Fault(
                f"--worker-timeout: the Dask scheduler has had no worker for {idle:.0f} s; "
                "runs already finished are kept (a sweep continues with --resume)"
            )
        if idle >= IDLE_WARNING_SECONDS and not self.warned and self.warn:
            self.warn(
                f"the Dask scheduler has had no worker for {idle:.0f} s; waiting for workers "
                "(--worker-timeout ends the wait)"
            )
            self.warned = True


def check_scheduler_address(address: str) -> tuple[str, str, int]:
    """``tcp://HOST:PORT`` (the scheme defaults to tcp) → (scheme, host, port), or one line of
    error."""
    match = SCHEDULER_ADDRESS.fullmatch(address)
    if not match or not 0 < int(match[3]) < 65536:
        raise UserError(
            f"--scheduler: expected an address like tcp://HOST:PORT (or tls://HOST:PORT), "
            f"got {address!r}"
        )
    return match[1] or "tcp", match[2].strip("[]"), int(match[3])


def check_scheduler_greeting(address: str, seconds: float = 5.0) -> None:
    """Connect to a scheduler's address and check that what answers speaks Dask's protocol
    before a client is built on it: a Dask scheduler greets first, with a length-prefixed
    handshake, while a web server (for one) waits for a request and other services answer with
    text. Over tls the greeting is encrypted; only the connection is checked."""
    scheme, host, port = check_scheduler_address(address)
    try:
        with socket.create_connection((host, port), timeout=seconds) as connection:
            if scheme == "tls":
                return
            connection.settimeout(seconds)
            greeting = connection.recv(8)
    except TimeoutError:
        raise UserError(
            f"--scheduler: {address} is not a Dask scheduler (it did not greet within "
            f"{seconds:.0f} s)"
        ) from None
    except OSError as error:
        raise UserError(
            f"--scheduler: cannot reach the Dask scheduler at {address} ({error.strerror or error})"
        ) from None
    if len(greeting) < 8 or not 0 < int.from_bytes(greeting, "little") < 2**20:
        raise UserError(
            f"--scheduler: {address} is not a Dask scheduler (it answered {greeting!r})"
        )


@contextmanager
def _dask_executor(
    workers: int,
    scheduler: str | None,
    worker_timeout: float | None,
    warn: Callable[[str], None] | None,
) -> Iterator[Executor]:
    if scheduler:
        check_scheduler_address(scheduler)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError(
            "--executor dask: Dask is not installed; pip install 'dask[distributed]' installs it"
        ) from None
    import dask

    cluster = None
    try:
        if scheduler:
            check_scheduler_greeting(scheduler)
            client = Client(scheduler, timeout="10s")
        else:
            # Dask's statistical profiler samples every worker's stack every 10 ms, which costs
            # CPU-bound simulations several percent; the local cluster runs without it.
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
            client = Client(cluster)
    except (OSError, TimeoutError) as error:
        raise UserError(
            f"--scheduler: cannot reach the Dask scheduler at {scheduler} ({error})"
        ) from None
    executor = DaskExecutor(client, worker_timeout, warn)
    try:
        yield executor
    finally:
        executor.shutdown(wait=False)
        client.close()
        if cluster is not None:
            cluster.close()
