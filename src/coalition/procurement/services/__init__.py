"""Writes of the procurement domain: one function per use case, one transaction, one
audit event, the access policy consulted first. Import each from its module."""
