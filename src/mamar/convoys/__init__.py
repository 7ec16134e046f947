"""Convoys and evacuation batches: vehicles, teams, escorts, counts and the status machine."""
