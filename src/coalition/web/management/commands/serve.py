"""`coalition serve`: gunicorn (a production WSGI server), static files by whitenoise."""

import logging
import os
import subprocess
import sys
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from coalition.wsgi import application

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


WORKER_COMMAND = [sys.executable, "-m", "coalition", "worker", "--interval", "0.5"]
RESTART_CHECK_SECONDS = 2.0


class TaskWorkers:
    """The task workers `serve` starts, watched by a thread that starts again any that
    died, so that queued plans never wait for a worker that is gone."""

    def __init__(self, count: int) -> None:
        self.processes = [subprocess.Popen(WORKER_COMMAND) for _ in range(count)]
        self.stopping = threading.Event()
        self.restarts = 0
        self.watcher = threading.Thread(target=self._watch, name="task-workers", daemon=True)
        self.watcher.start()

    def _watch(self) -> None:
        while not self.stopping.wait(RESTART_CHECK_SECONDS):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self.stopping.is_set():
                    log.warning(
                        "task worker %s exited with %s; starting it again",
                        process.pid,
                        process.returncode,
                    )
                    self.processes[index] = subprocess.Popen(WORKER_COMMAND)
                    self.restarts += 1

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class Command(BaseCommand):
    help = "Serve the web UI and the API with gunicorn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("TASK_WORKERS", "1")),
            help="background task workers (optimiser runs) started beside the web server; "
            "0 when they run elsewhere",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="start no task worker: they run elsewhere (`coalition worker`, any number, "
            "on any machine that reaches the database)",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        task_workers: int,
        no_worker: bool,
        **options: Any,
    ) -> None:
        if no_worker:
            task_workers = 0
        call_command("collectstatic", interactive=False, verbosity=0)
        # The queue lives in the database, so these workers could as well run on other
        # machines (`coalition worker`); starting them here keeps `make run` one command.
        queue = TaskWorkers(task_workers)
        self.stdout.write(f"coalition is serving on http://{host}:{port}/  (Ctrl-C stops it)")
        self.stdout.flush()
        try:
            self._serve(host, port, workers)
        finally:
            queue.stop()

    def _serve(self, host: str, port: int, workers: int) -> None:
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                # THREADS per worker: a request waiting for the database (a write queued
                # behind another) holds its thread, so reads need threads beside it. With
                # 4, 32 clients mixing reads and writes got 68 req/s, p50 377 ms; with 8,
                # 142 req/s, p50 200 ms (bench/api.py, "mixed").
                "threads": int(os.environ.get("THREADS", "8")),
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
