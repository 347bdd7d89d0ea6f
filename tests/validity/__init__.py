"""Validity: the model reproduces classic theory in its limit cases (docs/ODD.md, Evidence)."""
