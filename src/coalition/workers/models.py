"""A worker's heartbeat: the row says the worker is alive while `beat_at` is recent.

The queue (django-tasks-db) records which workers claimed a task (`worker_ids`, the last
one runs it) but not whether that worker still lives; this table answers that."""

from django.db import models


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} ({self.pid})"
