"""The gazetteer: places with Arabic and English names, aliases, a point or polygon, precision."""
