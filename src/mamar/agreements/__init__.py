"""Agreements: parties, guarantors, typed terms, status, and versions that supersede."""
