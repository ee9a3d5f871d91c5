"""Demo content (original articles written for this project) and a synthetic corpus generator."""
