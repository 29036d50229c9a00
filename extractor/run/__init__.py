"""Run batches: which files, where each is read, who writes."""
