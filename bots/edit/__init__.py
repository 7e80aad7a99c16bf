"""Writing entries people keep reading: ruamel round trips, the canonical layout, skeletons."""
