"""Geography computations: name search, control over time, exposure, road graphs and routing.

Pure functions over plain coordinates and Shapely geometries, below the domain
packages (it imports none of them). The adapters in ``mamar.geodata.states`` turn
places, control areas, front lines, routes and incidents into those inputs.
"""
