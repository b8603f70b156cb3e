"""The course definition: its folder layout, the curriculum map, rosters, nbgrader helpers and the
synthetic data files the assignments use."""
