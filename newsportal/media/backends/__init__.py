"""Storage backends for newsportal.media."""
