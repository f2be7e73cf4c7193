"""Reusable Textual widgets for dockertui."""
