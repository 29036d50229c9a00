"""Prepare text: Document → normalised, segmented Document with its metadata."""
