"""Read models: projections of the journal, written in the append's transaction."""
