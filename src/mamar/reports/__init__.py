"""Reports built from read models: the operation overview."""
