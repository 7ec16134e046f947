"""Routes: waypoints in numbered versions, and each party's approval or rejection of a version."""
