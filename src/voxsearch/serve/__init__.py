"""The prediction server."""

from voxsearch.serve.app import create_app

__all__ = ["create_app"]
