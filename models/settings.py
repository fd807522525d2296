"""The one settings object: database URL, folders and time zone, read from TUOPIN_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TUOPIN_")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'tuopin.db'}",
        description="SQLAlchemy URL of the application database (sqlite:///file or postgresql+psycopg://...).",
    )
    output_dir: Path = Field(
        default=PROJECT_ROOT / "out" / "documents",
        description="Folder where rendered documents are written.",
    )
    policy_dir: Path = Field(
        default=PROJECT_ROOT / "policy",
        description="Folder of policy data files, one per province and year: <province>/<year>.toml.",
    )
    templates_dir: Path = Field(
        default=PROJECT_ROOT / "templates",
        description="Folder of the Jinja2 templates of the documents.",
    )
    pdf: bool = Field(
        default=True,
        description="Also render every document to an A4 PDF beside its HTML (WeasyPrint, Chinese fonts).",
    )
    docx: bool = Field(
        default=True,
        description="Also write an editable DOCX of every letter and notice",
    )
    timezone: str = Field(
        default="Asia/Shanghai",
        description="Calendar of windows and deadlines; the database stores UTC.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (environment read once)."""
    return Settings()
