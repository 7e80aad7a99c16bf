"""Data coming in from people: issue forms and submissions, and importers of existing
collections."""
