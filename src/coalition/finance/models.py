"""Models of the finance domain."""
