"""Words of the interface in Arabic and English."""
