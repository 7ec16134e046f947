"""The operation's geography as stored: above the domain packages.

``mamar.geo`` holds pure values and algorithms (shapes, Arabic names, territory over
time, exposure, routing on a road graph) and imports no domain package; the domain
packages (``places``, ``control``) build on it. This package stands above both:
reading places, control areas and incidents through the viewer for the algorithms
(:mod:`.states`, :mod:`.service`), importing and exporting them (:mod:`.exchange`),
and keeping imported road graphs in the database (:mod:`.roadstore`).
"""
