"""Tracing: a person reported missing by a relative, the possible matches on manifests, and
the reunification. Who is sought and who asks live in the vault."""
