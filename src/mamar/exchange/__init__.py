"""The files partners read and write, each in the conventions of its field.

- :mod:`.records`: what one reader may see of an operation (through its viewer);
- :mod:`.geojson`: GeoJSON (RFC 7946) of places, control periods, front lines, route
  versions and incidents;
- :mod:`.hxl`: CSV with HXL hashtags (incidents, convoys, movements), and incidents from it;
- :mod:`.acled`: incidents in ACLED's column layout, and from it;
- :mod:`.cap`: CAP 1.2 alerts (convoy movement notices, ceasefire windows, route closures);
- :mod:`.tracks`: GPX and KML of routes, one track per version;
- :mod:`.incident_rows`: turning a row of a partner's file into an incident, all or nothing.

Places and control areas as GeoJSON/CSV for re-import are :mod:`mamar.geodata.exchange`.
"""
