"""Presenters: pure functions from use-case results to text, JSON documents or Block Kit."""
