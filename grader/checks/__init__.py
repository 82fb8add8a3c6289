"""The checks: a table of rows (``table.py``) run by one engine per kind (``kinds.py``)."""
