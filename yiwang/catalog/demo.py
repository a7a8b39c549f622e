"""Demo catalogue: the health commission's real items and Dalian's implementation entries."""
