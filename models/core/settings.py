"""The one settings object: database URL, folders and time zone, read from TUOPIN_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    smtp_host: str = Field(
        default="",
        description="SMTP server that sends the due-soon digest; empty: no e-mail is sent.",
    )
    smtp_port: int = Field(default=25, description="Port of the SMTP server.")
    smtp_user: str = Field(default="", description="SMTP login; empty: send without logging in.")
    smtp_password: str = Field(default="", description="Password of the SMTP login.")
    smtp_sender: str = Field(
        default="",
        description="From address of the digest e-mail; empty: the SMTP login, else tuopin@<smtp_host>.",
    )
    smtp_starttls: bool = Field(default=False, description="Switch the SMTP connection to TLS (STARTTLS) first.")
    digest_to: str = Field(
        default="",
        description="The one address the daily due-soon digest is sent to; empty: no digest e-mail.",
    )
    digest_days: int = Field(
        default=3,
        description="How many days ahead the due-soon digest looks (page default and daily e-mail).",
    )
    web_url: str = Field(
        default="",
        description="The dashboard's address as clerks reach it (http://10.1.2.3:8000); the digest e-mail links "
                    "each case to its page. Empty: no links.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (environment read once)."""
    return Settings()
