"""Utilities that are not registered components."""
