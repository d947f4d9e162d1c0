"""Service settings, from ``ORGKG_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from orgkg.queries import QUERIES_DIR


class Settings(BaseSettings):
    """What an operator can tune; every value has a safe default (read-only, CORS off, bounded queries)."""

    model_config = SettingsConfigDict(env_prefix="ORGKG_", extra="ignore")

    query_timeout: float = Field(default=5.0, gt=0, description="seconds a query may run before its worker is stopped")
    row_limit: int = Field(default=10_000, ge=1, description="most rows (or triples) one answer carries")
    workers: int = Field(default=2, ge=1, le=64, description="worker processes for public SPARQL (/sparql)")
    lookup_workers: int = Field(
        default=1, ge=1, le=64, description="worker processes for everything else: lookups, named queries, pages"
    )
    queue_limit: int = Field(
        default=8, ge=0, description="requests that may wait for a busy lane's worker; more are answered 503 at once"
    )
    worker_memory_bytes: int = Field(
        default=2 * 1024**3,
        ge=0,
        description="address space of one query worker (RLIMIT_AS); a query needing more gets a 503; 0: no limit",
    )
    max_answer_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1024, description="most bytes one SPARQL answer carries (beside the row limit)"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="origins allowed by CORS, comma-separated; empty: CORS off"
    )
    answer_cache_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=0,
        description="memory for named-query answers kept per store generation (embedded store only); 0: off",
    )
    max_request_bytes: int = Field(default=65_536, ge=1024, description="largest request body or URL accepted")
    reports: Path = Field(default=Path("build/reports"), description="folder of the last validation report")
    queries: Path = Field(default=QUERIES_DIR, description="folder of the named queries (*.rq)")
    write_token: SecretStr | None = Field(
        default=None, description="bearer token for POST/PUT/DELETE /documents; unset: write endpoints disabled"
    )
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="largest document upload")
    convert_seconds: float = Field(default=30.0, gt=0, description="seconds reading one upload may take (422 past it)")
    convert_memory_bytes: int = Field(
        default=1024**3, ge=64 * 1024**2, description="address space of the process reading one upload (422 past it)"
    )
    cache: Path | None = Field(
        default=None, description="source cache for document updates (default: STORE/cache of an embedded store)"
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value
