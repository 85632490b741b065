"""The reviewer feedback loop: a web app to correct labels (``create_app``), accounts (``auth``), intercoder
agreement (``agreement``), the offline review sheet (``sheets``) and retraining on reviews (``retrain``)."""

from __future__ import annotations

__all__ = ["create_app", "agreement", "retrain"]


def __getattr__(name: str):  # lazy: the CLI imports this package without needing FastAPI loaded
    if name == "create_app":
        from synthesis.review.app import create_app
        return create_app
    if name == "agreement":
        from synthesis.review.agreement import agreement
        return agreement
    if name == "retrain":
        from synthesis.review.retrain import retrain
        return retrain
    raise AttributeError(name)
