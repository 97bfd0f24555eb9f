"""The thread that beats for its worker while the main thread runs tasks, so that a long
solve or import does not make the worker look dead. It uses its own database connection
(Django's are per thread) and never stops the worker: a failed beat is logged and tried
again at the next tick (on SQLite, the worker's own long import may hold the lock)."""

import logging
import threading

from django.db import connection

from coalition.workers.services import worker_beat

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, *, worker_id: str, every: float) -> None:
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    worker_beat(worker_id=self.worker_id)
                except Exception:
                    log.exception("worker %s: the heartbeat failed", self.worker_id)
        finally:
            connection.close()
