"""Extraction: segmented text → typed records (no RDF here)."""
