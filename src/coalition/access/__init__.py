"""Who may do what: the typed principal (`actor.py`) and the one access policy
(`policy.py`) that every service consults before it writes and every selector applies
before it reads. `matrix.py` lists every route against every role (docs/access.md)."""
