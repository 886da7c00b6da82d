"""`imr-rules serve`: a local web application for people who do not use a terminal.

`create_app(...)` builds the FastAPI application (page, JSON API, OpenAPI page); `serve(...)` runs it
with uvicorn. Needs the `serve` extra (`pip install 'imr-rules[serve]'`).
"""

from __future__ import annotations

from imr_rules.serve.app import Settings, create_app, serve

__all__ = ["Settings", "create_app", "serve"]
