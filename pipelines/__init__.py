"""Osservatorio's code location and the shared machinery its assets use."""
