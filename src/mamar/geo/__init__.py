"""Geography computations: name search, control over time, exposure, road graphs and routing.

Pure functions over plain coordinates and Shapely geometries; the adapters in
``geo.states`` turn places, control areas, front lines, routes and incidents
into those inputs.
"""
