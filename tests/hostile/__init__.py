"""Helpers shared by tests/test_hostile.py and tests/test_malformed.py."""
