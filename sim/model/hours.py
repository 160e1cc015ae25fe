"""Simulated time is in hours (MODEL.md 4): a day and a week are these many."""

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
