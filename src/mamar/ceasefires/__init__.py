"""Ceasefire windows: declared, in force, violated, suspended, restored, expired."""
