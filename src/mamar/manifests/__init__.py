"""Manifests: the vehicles of a convoy and the people on each, with their status at each stop.

Who the people are (names, year of birth, origin, phones) lives in the vault; the
journal holds only each person's number on the vehicle, the group they travel
with, whether they are a child travelling alone, and their status at each stop.
"""
