"""The settings sections every feature may read (``config.yml``, ``PINTU_*``).

The provider channels' sections and the loader live in the composition root
(``bot.app.settings``); features see :class:`CoreSettings` only. Secrets are
:class:`~pydantic.SecretStr`, so they never show in a repr, a log line or an
error message; :func:`secret_value` unwraps one where a plain string is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the key."""


def secret_value(secret: SecretStr | None) -> str | None:
    """The plain text of an optional secret (``None`` when it is not set)."""
    return None if secret is None else secret.get_secret_value()


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None
    workers: bool = True


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///./pintu.db"
    echo: bool = False


class TicketSettings(_Section):
    prefix: str = Field("PTU", pattern=r"^[A-Z]{2,6}$")
    reopen_days: int = Field(14, ge=0)
    escalation_interval_seconds: float = Field(300, gt=0)


class DialogueSettings(_Section):
    # A conversation untouched this long starts afresh (a half-told report is kept in history).
    idle_reset_hours: float = Field(24, gt=0)


class CatalogSettings(_Section):
    path: str | None = None
    holidays: list[str] = Field(default_factory=list)
    # Service edits made in the admin console (examples, owners per region), applied on top
    # of the catalog file; None means ./catalog_overrides.yml.
    overrides_path: str | None = None

    def overrides_file(self) -> Path:
        """Where the console's service edits are kept."""
        return Path(self.overrides_path or "catalog_overrides.yml")


class NluSettings(_Section):
    backend: Literal["embedded", "rasa"] = "embedded"
    model_dir: str | None = None
    intent_threshold: float = Field(0.45, ge=0, le=1)
    category_threshold: float = Field(0.40, ge=0, le=1)
    # Below this the service picker's choice is shown but the category's owner is used.
    service_threshold: float = Field(0.50, ge=0, le=1)
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = Field(5.0, gt=0)
    # How often each server process looks for a newly promoted model version.
    watch_interval_seconds: float = Field(2.0, gt=0)


class OutboxSettings(_Section):
    poll_interval_seconds: float = Field(1.0, gt=0)
    max_attempts: int = Field(12, ge=1)
    backoff_base_seconds: float = Field(2.0, gt=0)
    backoff_max_seconds: float = Field(600.0, gt=0)
    batch_size: int = Field(50, ge=1)
    # Sends in flight at once per process (each to a different recipient).
    concurrency: int = Field(32, ge=1)


class RestSettings(_Section):
    callback_url: str | None = None
    # When set, both REST routes require "Authorization: Bearer <token>".
    token: SecretStr | None = None  # secret


class WebchatSettings(_Section):
    cors_allowed_origins: str = "*"


class ConsoleSettings(_Section):
    session_hours: float = Field(12, gt=0)
    language: Literal["id", "en"] = "id"
    session_secret: SecretStr | None = None  # secret


class SurveySettings(_Section):
    enabled: bool = True
    form: str | list[str] = "short"
    cooldown_days: float = Field(30, ge=0)
    expire_hours: float = Field(24, gt=0)
    ask_comment: bool = True
    # Offer the survey when the citizen sent nothing for this long after an answer
    # (information, a ticket's status); 0 turns it off.
    offer_after_quiet_minutes: float = Field(10, ge=0)


class LimitsSettings(_Section):
    # Largest request body read, checked before parsing (413 beyond): webhooks, REST, forms.
    max_body_bytes: int = Field(262_144, ge=1024)
    # Admins' uploads (NLU training data and evaluation sets under /api/nlu, /console/nlu).
    max_upload_bytes: int = Field(20_971_520, ge=1024)
    # Requests per minute from one client address to the open routes (REST channel,
    # /model/parse, sign-in); 0 turns the limit off.
    address_per_minute: int = Field(120, ge=0)
    # Messages per minute one citizen may send on any channel before the bot answers
    # politely and skips the rest of that minute; 0 turns the limit off.
    citizen_per_minute: int = Field(20, ge=0)


class PrivacySettings(_Section):
    # Show the privacy notice and ask for consent at a citizen's first contact per channel.
    notice: bool = True
    # Closed tickets older than this are anonymised (identity and contact data removed;
    # the ticket, its category, unit and survey answers stay for statistics and the IKM).
    retention_days: int = Field(730, ge=1)
    # How often the retention sweep runs while serving.
    retention_interval_seconds: float = Field(3600, gt=0)


class MeTooSettings(_Section):
    """"Saya juga": when a new complaint is offered an open ticket to join instead."""

    enabled: bool = True
    # Near enough when both shared a location (metres); the same village always is.
    distance_m: float = Field(300.0, gt=0)
    # How alike the two descriptions must be (0-1, bot.tickets.me_too.similarity).
    min_similarity: float = Field(0.5, ge=0, le=1)
    # Only tickets filed within this many days are offered.
    window_days: int = Field(30, ge=1)


class CaseSettings(_Section):
    """Case handling beyond LAPOR! (issue 16): the three clocks and the low-rating reopen."""

    # SP4N-LAPOR!'s clocks: verification and the unit's first follow-up in working days,
    # resolution in calendar days (a service standard's "N hari kerja" wins when it has one).
    verification_days: int = Field(3, ge=1)
    first_response_days: int = Field(5, ge=1)
    resolution_days: int = Field(60, ge=1)
    # A resolution answer of 1 or 2 asks whether the problem is solved and may reopen, once.
    low_rating_reopen: bool = True
    # The survey element whose answer rates the resolution (SKM U8 by default).
    resolution_element: str = "complaint_handling"
    me_too: MeTooSettings = Field(default_factory=MeTooSettings)


class AlertRoute(_Section):
    """Where one unit's alerts go: a group chat on a channel, and/or e-mail addresses."""

    chat_channel: str | None = None  # the channel adapter that sends (e.g. the Bot API)
    chat_id: str | None = None  # the group chat's id on that channel
    emails: list[str] = Field(default_factory=list)


class AlertSettings(_Section):
    """Officer alerts (issue 16): a ticket lands in a unit's inbox, a citizen asks for a
    person. ``units`` maps a unit id to its route; a unit without one uses its nearest
    parent's, else ``default``."""

    enabled: bool = True
    units: dict[str, AlertRoute] = Field(default_factory=dict)
    default: AlertRoute = Field(default_factory=AlertRoute)
    language: Literal["id", "en"] = "id"
    smtp_host: str | None = None
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None  # secret
    mail_from: str = "pintu@localhost"
    # An officer who takes a conversation holds it (the bot stays quiet) this long at most.
    hold_minutes: float = Field(60, gt=0)


class S3Settings(_Section):
    """An S3-compatible bucket for citizens' media (``media.storage: s3``)."""

    # None: AWS's own endpoint for the region (https://s3.<region>.amazonaws.com).
    endpoint_url: str | None = None
    bucket: str | None = None
    region: str = "us-east-1"
    # Keys are <key_prefix><year>/<month>/<row id>-<sha256>.<ext>.
    key_prefix: str = "media/"
    # Path-style URLs (endpoint/bucket/key), as MinIO, Ceph and most self-hosted servers
    # expect; false: virtual-hosted (bucket.endpoint/key), AWS's default.
    path_style: bool = True
    timeout_seconds: float = Field(30, gt=0)
    access_key_id: SecretStr | None = None  # secret
    secret_access_key: SecretStr | None = None  # secret

    def endpoint(self) -> str:
        """The endpoint's base URL (AWS's for the region when none is set)."""
        return (self.endpoint_url or f"https://s3.{self.region}.amazonaws.com").rstrip("/")


class MediaSettings(_Section):
    """Citizens' media downloaded from the providers (issue 16)."""

    enabled: bool = True
    # Where the files are kept: a local folder (dir) or an S3-compatible bucket (s3).
    storage: Literal["local", "s3"] = "local"
    # Local folder the files are kept in (relative to the working directory).
    dir: str = "./media"
    s3: S3Settings = Field(default_factory=S3Settings)
    max_bytes: int = Field(10 * 1024 * 1024, ge=1)
    allowed_types: list[str] = Field(default_factory=lambda: [
        "image/jpeg", "image/png", "image/webp", "application/pdf", "audio/ogg",
        "audio/mpeg", "audio/mp4", "audio/amr", "video/mp4"])
    # Files older than this many days are deleted (the record stays, marked expired).
    retention_days: int = Field(365, ge=1)
    poll_interval_seconds: float = Field(5, gt=0)

    @model_validator(mode="after")
    def _s3_is_complete(self) -> MediaSettings:
        if self.storage == "s3":
            missing = [name for name, value in (
                ("media.s3.bucket (PINTU_MEDIA__S3__BUCKET)", self.s3.bucket),
                ("PINTU_MEDIA__S3__ACCESS_KEY_ID", self.s3.access_key_id),
                ("PINTU_MEDIA__S3__SECRET_ACCESS_KEY", self.s3.secret_access_key))
                if not value]
            if missing:
                raise ValueError("media.storage is s3 but these are not set: "
                                 + ", ".join(missing))
        return self


class MapSettings(_Section):
    """The console's ticket map (issue 16): OpenStreetMap tiles through a configurable URL."""

    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    attribution: str = "&copy; OpenStreetMap contributors"
    # CSV of code,lat,lon[,name]; null: the shipped routing/data/centroids.csv.
    centroids_path: str | None = None
    center: list[float] = Field(default_factory=lambda: [-7.8672, 112.5239])
    zoom: int = Field(12, ge=1, le=19)
    max_points: int = Field(2000, ge=1)


class Open311Settings(_Section):
    """The Open311 GeoReport v2 server (issue 16)."""

    enabled: bool = True
    # Public reads list the requests filed through Open311; true: every ticket (texts
    # masked, confidential ones without their description).
    list_all_tickets: bool = False
    max_description_chars: int = Field(4000, ge=1)


class RedisSettings(_Section):
    # Set (e.g. redis://127.0.0.1:6379/0) when several server processes serve one site:
    # web chat events and console live updates then reach every process.
    url: str | None = None
    # Prefix of the pub/sub channels (one deployment per prefix on a shared Redis).
    channel_prefix: str = "pintu"


class CoreSettings(BaseSettings):
    """The settings every feature may read: everything but the provider channels'.

    ``PINTU_<SECTION>__<KEY>`` sets one key; values are read as plain strings
    and converted by the field's type (never parsed as YAML). Build them with
    ``bot.app.settings.load_settings``, which adds ``config.yml`` and its checks.
    """

    model_config = SettingsConfigDict(
        env_prefix="PINTU_", env_nested_delimiter="__", case_sensitive=False, extra="forbid"
    )

    server: ServerSettings = Field(default_factory=ServerSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    tickets: TicketSettings = Field(default_factory=TicketSettings)
    dialogue: DialogueSettings = Field(default_factory=DialogueSettings)
    catalog: CatalogSettings = Field(default_factory=CatalogSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    rest: RestSettings = Field(default_factory=RestSettings)
    webchat: WebchatSettings = Field(default_factory=WebchatSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    surveys: SurveySettings = Field(default_factory=SurveySettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    cases: CaseSettings = Field(default_factory=CaseSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    map: MapSettings = Field(default_factory=MapSettings)
    open311: Open311Settings = Field(default_factory=Open311Settings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
