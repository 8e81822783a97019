"""Scoring any agent on any env of ours: the resumable eval loop, its records, metrics and reports."""
