"""Table definitions (SQLAlchemy Core). The migrations under ``migrations/versions`` create these;
``tests/store/test_migrations.py`` checks the two agree."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _any_length(declared: int):
    """Text of any length, for values users write (a dialogue's date or language, a respondent's gender as the
    export spells it, a codebook's version) and model versions (a codebook's name is part of them). PostgreSQL has it as TEXT
    (migration 0008); SQLite enforces no declared length, so its tables keep ``VARCHAR(declared)`` as created."""
    return String(declared).with_variant(Text(), "postgresql")


runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # ingest, run, code, train, themes, report, retrain
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running, ok, partial, failed
    Column("config", JSON, nullable=False),
    Column("summary", JSON),
    Column("model_version", _any_length(64)),
    Column("coded_at", DateTime(timezone=True)),  # when the run finished coding the store (migration 0007)
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("format", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    # which readers parsed it: a file read by older ones is read again (migration 0009)
    Column("reader_revision", Integer, nullable=False, server_default="0"),
    # a hash of the manifest row it was read with ("" for none; NULL where stored before migration 0010): a row
    # corrected, cleared or deleted reads the file again
    Column("manifest_sha256", String(64)),
    # the one-line reports of its rows that were skipped (a survey export's bad rows), repeated while it is unchanged
    Column("skipped_rows", JSON),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("country", Text, nullable=False, default=""),
    Column("iso", _any_length(3), nullable=False, default=""),
    Column("language", _any_length(8), nullable=False, default=""),
    Column("date", _any_length(32), nullable=False, default=""),
    Column("organisation", Text, nullable=False, default=""),
    Column("row", Integer),
    Column("text", Text, nullable=False),
    Column("attributes", JSON, nullable=False),
)

respondents = Table(
    "respondents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("external_id", Text, nullable=False),
    Column("row", Integer, nullable=False),
    Column("country", Text, nullable=False, default=""),
    Column("gender", _any_length(16), nullable=False, default=""),
    Column("age_band", _any_length(16), nullable=False, default=""),
    Column("language", _any_length(8), nullable=False, default=""),
    Column("attributes", JSON, nullable=False),
)

segments = Table(
    "segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("parent_id", Integer, ForeignKey("segments.id", ondelete="CASCADE"), index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("paragraph_index", Integer, nullable=False),
    Column("language", _any_length(8), nullable=False, default=""),
    Column("country", Text, nullable=False, default=""),
    Column("speaker_role", String(32), nullable=False, default=""),
    Column("speaker_label", Text, nullable=False, default=""),
    Column("section", Text, nullable=False, default=""),
    Column("question", _any_length(32), nullable=False, default=""),
    Index("ix_segments_kind_language", "kind", "language"),
)

codebooks = Table(
    "codebooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Versions edited in the review app (append-only; the latest one is the codebook in use), migration 0006:
    Column("version", _any_length(32)),
    Column("yaml", Text),  # the whole codebook as YAML
    Column("author", Text),
)

codes = Table(
    "codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("codebook_id", Integer, ForeignKey("codebooks.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # group or cause
    Column("label", Text, nullable=False),
    Column("parent", String(64)),
    Column("description", Text, nullable=False, default=""),
    UniqueConstraint("codebook_id", "code"),
)

model_versions = Table(
    "model_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", _any_length(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("data_sha256", String(64), nullable=False),
    Column("metrics", JSON, nullable=False),
)

predictions = Table(
    "predictions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("model_version", _any_length(64), nullable=False),
    Column("code", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # group, cause, mention
    Column("score", Float, nullable=False),
    Column("selected", Boolean, nullable=False, default=False),  # above the code's threshold
    Column("start_char", Integer),  # mentions only: offsets into the document text
    Column("end_char", Integer),
    Index("ix_predictions_segment_version", "segment_id", "model_version"),
)

# Append-only: a correction is a new row, never an update of a prediction or of an earlier review.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="SET NULL"), index=True),
    Column("source_path", Text, nullable=False),  # kept so a review outlives a re-ingested source
    Column("segment_text", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("previous", JSON, nullable=False),
    Column("labels", JSON, nullable=False),
    Column("memo", Text, nullable=False, default=""),
    Column("kind", String(16), nullable=False, server_default="review"),  # review or adjudication
)

# Review app accounts; passwords are argon2 hashes.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # reviewer or admin
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Review app sessions: the cookie holds a random token, the store only its SHA-256.
sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Themes: the current set, replaced as a whole by each themes run (one transaction).
themes = Table(
    "themes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("number", Integer, nullable=False),  # the topic number in the fitted model, 0 = largest
    Column("label", Text, nullable=False),
    Column("label_source", String(16), nullable=False),  # generated, or human (a rename carried over)
    Column("keywords", JSON, nullable=False),  # top keywords, best first
    Column("size", Integer, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("profile", JSON, nullable=False),  # {"country": {...}, "language": {...}, "group": {...}, "cause": {...}}
    Column("centroid", JSON, nullable=False),  # mean embedding of its segments, to match themes across runs
)

theme_quotes = Table(
    "theme_quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="CASCADE"), nullable=False),
    Column("rank", Integer, nullable=False),
)

segment_themes = Table(
    "segment_themes",
    metadata,
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("probability", Float, nullable=False),
)

# Human theme names, append-only; each themes run matches them to the new themes by centroid.
theme_renames = Table(
    "theme_renames",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", Text, nullable=False),
    Column("keywords", JSON, nullable=False),  # the renamed theme's keywords, for messages
    Column("centroid", JSON, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Per-code decision thresholds of each model version that coded the store: the review queue measures uncertainty
# as the distance of a score to its code's threshold, not to 0.5.
model_thresholds = Table(
    "model_thresholds",
    metadata,
    Column("model_version", _any_length(64), primary_key=True),
    Column("thresholds", JSON, nullable=False),  # {"group": {code: threshold}, "cause": {code: threshold}}
)

# The review queue's key: each coded unit segment's uncertainty under a model version, written with its predictions
# (``synthesis.uncertainty``; higher is less certain).
uncertainty = Table(
    "uncertainty",
    metadata,
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True),
    Column("model_version", _any_length(64), primary_key=True),
    Column("value", Float, nullable=False),
    Index("ix_uncertainty_version_value", "model_version", "value"),
)
