"""Reusable widgets (vote grid, tally, radar canvas, timer, …)."""
