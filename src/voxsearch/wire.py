"""Wire schemas shared by the server and the edge client (DESIGN.md, "Wire contract")."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WireHit(BaseModel):
    id: str
    title: str
    score: float


class WireModel(BaseModel):
    engine: str
    version: str


class RecognizeAnswer(BaseModel):
    request_id: str
    transcript: str
    results: list[WireHit]
    model: WireModel
    timings_ms: dict[str, float] = Field(description="Wall time per stage: decode, vad, asr, search, total, queue.")


class SearchAnswer(BaseModel):
    request_id: str
    query: str
    results: list[WireHit]
    timings_ms: dict[str, float]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorAnswer(BaseModel):
    error: ErrorBody


class HealthAnswer(BaseModel):
    status: str


class ReadyAnswer(BaseModel):
    status: str
    engine: str | None = None
    model_version: str | None = None
    catalog: str | None = None
    catalog_entries: int | None = None
    detail: str | None = None


class ModelsAnswer(BaseModel):
    catalogs: dict[str, str | None] = Field(description="Catalog → model version serving it (null: unadapted).")
