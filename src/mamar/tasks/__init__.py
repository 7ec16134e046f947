"""Tasks given to teams ("prepare a batch of wounded") and how far they have got."""
