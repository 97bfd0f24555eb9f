"""Models of the reporting domain."""
