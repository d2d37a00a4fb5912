"""Runnable recipes for the course milestones, measured natively: `python -m milestones.<name>`."""
