"""Rendering results (text, JSON, HTML) and evaluating folders of case files in worker processes."""
