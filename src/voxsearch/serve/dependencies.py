"""Shared FastAPI dependencies."""

from __future__ import annotations

from fastapi import Request

from voxsearch.serve.state import ServerState


def get_state(request: Request) -> ServerState:
    return request.app.state.voxsearch
