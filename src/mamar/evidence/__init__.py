"""Evidence for third parties: signed checkpoints, witnesses, bundles (see docs/evidence.md)."""
