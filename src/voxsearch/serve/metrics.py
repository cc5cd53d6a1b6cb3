"""Prometheus metrics, one registry per app so several apps (tests, shadow models) never collide."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class ServerMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "voxsearch_requests", "HTTP requests by route and status.", ["route", "status"], registry=r
        )
        self.errors = Counter("voxsearch_errors", "Error answers by code.", ["code"], registry=r)
        self.stage_seconds = Histogram(
            "voxsearch_stage_seconds", "Wall time per pipeline stage.", ["stage"], buckets=_LATENCY_BUCKETS_S,
            registry=r,
        )
        self.audio_seconds = Counter("voxsearch_audio_seconds", "Seconds of audio recognized.", registry=r)
        self.in_flight = Gauge("voxsearch_in_flight", "Recognition requests running or queued.", registry=r)
        self.empty_transcripts = Counter(
            "voxsearch_empty_transcripts", "Recognitions that produced no words.", registry=r
        )
        self.model_load_failures = Counter(
            "voxsearch_model_load_failures", "Promoted model versions refused because they failed to load.",
            registry=r,
        )
        self.no_results = Counter("voxsearch_no_results", "Queries whose search returned nothing.", registry=r)

    def observe_timings(self, timings_ms: dict[str, float]) -> None:
        for stage, ms in timings_ms.items():
            self.stage_seconds.labels(stage=stage).observe(ms / 1000.0)
