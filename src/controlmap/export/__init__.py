"""Exports: the map and its data in the formats other tools read."""
