"""Checking a letter's decisions for consistency with its own facts and the criteria it cites."""
