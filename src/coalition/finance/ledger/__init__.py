"""The double-entry ledger: a pure core (`core`) and its Django store (`store`)."""
