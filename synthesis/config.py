"""The one configuration object, validated once and recorded with every run."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synthesis.errors import ConfigError

INSTALLATION = Path(__file__).resolve().parent.parent  # the checkout the package is installed from (pip -e)


def shipped(relative: str) -> Path:
    """What the tool ships (the model, the templates, the bundled corpus) as a default setting: the installation's
    copy, so that the tool runs from any folder; else the path as given (relative to the working folder)."""
    path = INSTALLATION / relative
    return path if path.exists() else Path(relative)


class Config(BaseModel):
    """Settings for every stage. Unknown keys are errors; every field has a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    corpus_dir: Path = Field(shipped("corpora/lnob-2016"),
                             description="Corpus folder with dialogues/ and consultation/; default: the bundled one.")
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
    model_dir: Path = Field(shipped("models/lnob-coder"),
                            description="The coding model used by `run` and `code`; default: the installation's.")
    gold_dir: Path = Field(shipped("corpora/lnob-2016/gold"),
                           description="Gold train/dev/test JSONL for `train` (and train-causes.jsonl, causes only); "
                                       "default: the bundled corpus's.")
    real_eval: Path = Field(Path("../shared/eval/real_dev.jsonl"),
                            description="Real-text evaluation file scored (never trained on) by `train`, if present.")
    cache_dir: Path = Field(Path("build/cache"), description="Embedding cache (keyed by text hash and model).")
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto", description="Encoder arithmetic; auto: bfloat16 where the CPU computes it natively (AVX-512 BF16 or "
                            "AMX), else float32. Embeddings agree to a cosine of 0.9999 (see README).")
    seed: int = Field(2016, description="Random seed for training and clustering, so runs repeat exactly.")

    # --- themes ---
    themes_min_segments: int = Field(30, ge=2, description="Fewer distinct unit texts than this give one theme.")
    themes_min_size: int | None = Field(
        None, ge=2, description="HDBSCAN min_cluster_size (the smallest theme); default: distinct texts / 150, "
                                "between 10 and 200.")
    themes_max: int = Field(20, ge=1, description="Themes are merged (BERTopic reduce_topics) down to at most this.")
    themes_umap_neighbors: int = Field(15, ge=2, description="UMAP n_neighbors.")
    themes_umap_components: int = Field(5, ge=2, description="UMAP n_components.")
    themes_umap_epochs: int | None = Field(60, ge=10, description="UMAP n_epochs (None: UMAP's default).")
    themes_pca_components: int = Field(50, ge=0, description="PCA dimensions before UMAP (0: none).")
    themes_outlier_threshold: float = Field(
        0.2, ge=0, le=1, description="Outliers join their nearest theme when the cosine similarity is at least this.")
    themes_language_centring: bool = Field(
        True, description="Subtract each language's mean embedding before clustering, so themes do not form by "
                          "language (see ARCHITECTURE.md).")
    themes_code_weight: float = Field(
        1.0, ge=0, description="Weight of a segment's codes (groups, causes) next to its embedding when clustering; "
                               "0 clusters on embeddings alone.")
    themes_keyword_cooccurrence: float = Field(
        1.0, ge=0.0, description="Weight of co-occurrence (NPMI within the theme's segments) in keyword choice; "
                                 "0: distinctiveness and reach only.")
    themes_guided: bool = Field(False, description="Seed topics with the codebook's root-cause vocabulary.")
    themes_sample: int = Field(
        30000, ge=100, description="Above this many units, fit on a stratified sample and assign the rest in batches.")
    themes_quotes: int = Field(5, ge=1, le=10, description="Representative verbatim quotes stored per theme.")

    # --- report ---
    templates_dir: Path = Field(shipped("report_templates"), description="Word templates (global_synthesis.docx, "
                                "country_profile.docx) and narrative/*.j2 sentence templates for `report`; default: "
                                "the installation's.")
    report_quote_chars: int = Field(450, ge=80, description="Longer quotes are cut at the last sentence end "
                                    "before this many characters (the cut is marked; the rest stays verbatim).")
    report_quotes_per_theme: int = Field(3, ge=1, le=10, description="Representative quotes printed per theme.")
    report_voices_per_language: int = Field(4, ge=0, description="Consultation quotes per survey language in "
                                            "the global report (per country profile: this many in all).")
    report_min_units: int = Field(25, ge=0, description="A dialogue with fewer coded units is reported as having "
                                  "little data.")
    recommendation_sections: str = Field(
        r"recommend|recomend|recommand|propuesta|proposition|acuerdos|way forward|next steps|demands|asks",
        description="Regular expression (case-insensitive) matched against a dialogue unit's section heading: "
                    "units under a matching heading are recommendations.")
    recommendation_questions: tuple[str, ...] = Field(
        ("q5_help",), description="Consultation question keys whose answers are recommendations.")

    # --- review ---
    double_review_share: float = Field(
        0.1, ge=0, le=1, description="Share of the review queue (chosen stably per segment) that two reviewers "
                                     "review, for intercoder agreement.")
    session_hours: float = Field(8.0, gt=0, description="Review app sessions expire after this many hours.")
    claim_minutes: float = Field(15.0, ge=0, description="The queue gives an item shown to one reviewer to no other "
                                                         "for this long, unless they skip it (0: no claims).")
    secure_cookies: bool = Field(False, description="Mark review app cookies Secure (set when served over HTTPS).")
    login_attempts: int = Field(5, ge=1, description="Failed logins allowed for one account name from one client "
                                                     "address in `login_window_minutes` before that name's logins "
                                                     "from there are refused (429); 20 times as many per address, 3 "
                                                     "times as many per name.")
    login_window_minutes: float = Field(10.0, gt=0, description="The window of the login rate limit.")
    max_request_kb: int = Field(64, ge=1, description="Review app request bodies larger than this are refused (413).")
    models_dir: Path = Field(Path("models"), description="`retrain` writes each new model version in a folder here.")

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
