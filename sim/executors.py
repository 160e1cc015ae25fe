"""Where runs execute, behind the ``concurrent.futures.Executor`` interface.

- ``inprocess``: in this process, one run at a time (debugging, profiling, tiny jobs);
- ``process``: a pool of local worker processes (the default; all cores);
- ``dask``: a Dask cluster — an existing scheduler (``--scheduler tcp://HOST:PORT``) or a local
  cluster of ``workers`` processes. Needs the optional extra ``aggsim[dask]``.

The results never depend on the executor: a run's random numbers depend only on the root seed,
the replication and the stream (``sim.rng``).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from sim.errors import UserError

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


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the main process, which shuts the pool down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a server that has already imported the model (fast to start, and safe
    in a parent with threads); spawn where the platform has no fork server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.sweep", "sim.experiment"])
        return context
    return multiprocessing.get_context("spawn")


@contextmanager
def open_executor(kind: str, workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor of the given kind, shut down on exit (pending work is cancelled)."""
    if kind == "inprocess" or (kind == "process" and workers <= 1):
        yield InProcessExecutor()
    elif kind == "process":
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=_process_context(), initializer=_ignore_interrupts
        )
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    elif kind == "dask":
        with _dask_executor(workers, scheduler) as executor:
            yield executor
    else:
        raise UserError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {kind!r}")


@contextmanager
def _dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError(
            "--executor dask: Dask is not installed; install the extra: pip install 'aggsim[dask]'"
        ) from None
    import dask

    cluster = None
    try:
        if scheduler:
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
    executor = client.get_executor()
    try:
        yield executor
    finally:
        executor.shutdown(wait=False)
        client.close()
        if cluster is not None:
            cluster.close()
