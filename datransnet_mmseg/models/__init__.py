"""Placeholder until its components land."""
