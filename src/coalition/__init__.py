"""coalition: an open platform for running a multinational capability coalition."""

__version__ = "0.1.0"
