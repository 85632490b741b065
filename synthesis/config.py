"""The one configuration object, validated once and recorded with every run."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synthesis.errors import ConfigError


class Config(BaseModel):
    """Settings for every stage. Unknown keys are errors; every field has a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    corpus_dir: Path = Field(Path("corpora/lnob-2016"), description="Corpus folder with dialogues/ and consultation/.")
    out_dir: Path = Field(Path("build"), description="Where outputs go; the default store lives here too.")
    db_url: str | None = Field(
        None, description="SQLAlchemy URL of the project store; default sqlite:///<out_dir>/project.sqlite."
    )
    max_document_mb: float = Field(
        20.0, gt=0, description="Transcripts and reports larger than this are skipped (survey exports stream)."
    )
    batch_size: int = Field(2000, ge=1, description="Consultation rows read, segmented and stored per batch.")
    survey_mapping: Path | None = Field(
        None, description="YAML column mapping for consultation exports; default: the packaged mapping."
    )
    languages: tuple[str, ...] = Field(
        ("en", "es", "fr"), description="ISO 639-1 codes the language detector chooses among."
    )
    min_detect_chars: int = Field(
        25, ge=0, description="Shorter segments take their document's language instead of a detected one."
    )

    codebook: Path | None = Field(None, description="Codebook YAML; default corpora/codebooks/lnob.yaml.")
    model_dir: Path = Field(Path("models/lnob-coder"), description="The coding model used by `run` and `code`.")
    gold_dir: Path = Field(Path("corpora/lnob-2016/gold"), description="Gold train/dev/test JSONL for `train`.")
    real_eval: Path = Field(Path("../shared/eval/real_dev.jsonl"),
                            description="Real-text evaluation file scored (never trained on) by `train`, if present.")
    cache_dir: Path = Field(Path("build/cache"), description="Embedding cache (keyed by text hash and model).")
    seed: int = Field(2016, description="Random seed for training and clustering, so runs repeat exactly.")

    # --- themes ---

    # --- report ---

    # --- review ---

    @property
    def store_url(self) -> str:
        return self.db_url or f"sqlite:///{self.out_dir / 'project.sqlite'}"


def load_config(path: str | Path | None = None, **overrides) -> Config:
    """Read a TOML file (optional) and apply overrides that are not None."""
    values: dict = {}
    if path is not None:
        try:
            values = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: {error}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Config(**values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "config"
        raise ConfigError(f"{path or 'config'}: {where}: {first['msg']}") from None
