"""Reviewing a change: field-by-field diffs, the pull-request report and the comment a
maintainer reads."""
