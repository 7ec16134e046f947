"""Situation notes: the state of the front, morale, displacement; corrected, never overwritten."""
