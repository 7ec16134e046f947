"""Channels: how one party or person reaches another, through whom, and whether it works."""
