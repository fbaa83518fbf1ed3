"""Shared foundation used by two or more apps (no ORM models)."""
