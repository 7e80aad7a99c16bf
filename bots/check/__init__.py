"""Checking entries: the schema gate and cross-entry rules, their findings explained in the
contributor's words, and how a check result is reported."""
