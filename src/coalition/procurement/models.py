"""Models of the procurement domain."""
