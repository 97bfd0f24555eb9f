"""Liveness of the background task workers: their heartbeats, and the recovery of tasks
left running by a worker that died (SIGKILL, out of memory, machine lost)."""
