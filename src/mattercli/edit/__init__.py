"""Writing the catalogue: fmt, new (scaffolding) and import."""
