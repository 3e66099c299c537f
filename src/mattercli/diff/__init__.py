"""Comparing versions: matching matters across revisions, element changes, reform actions, the history of a matter."""
