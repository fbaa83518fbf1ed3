"""Private documents: the one place that decides which uploads Opstap accepts."""
