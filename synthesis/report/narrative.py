"""Narrative sentences from Jinja2 text templates (``<templates>/narrative/*.j2``) that report writers may
rephrase. A template's output is split into paragraphs at blank lines; white space inside a paragraph is folded."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from synthesis.errors import ReportError


def number(value: float | int) -> str:
    """1234 -> "1,234"; 12.345 -> "12.3"."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def counted(value: int, singular: str, plural: str = "") -> str:
    """A count and its noun: 1, "country", "countries" -> "1 country"; 1234, "dialogue" -> "1,234 dialogues" (the
    plural is the singular with an "s" unless given)."""
    return f"{number(value)} {singular if value == 1 else plural or singular + 's'}"


def percent(value: float, digits: int = 0) -> str:
    """0.1234 -> "12%" (a share between 0 and 1)."""
    return f"{100 * value:.{digits}f}%"


def and_list(items) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def inline(label: str) -> str:
    """A label as it reads inside a sentence: "Older people" -> "older people", "LGBTQI people" unchanged."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


# What a writer's expression in a template can raise besides Jinja's own errors ("{{ rows|sum }}" over dicts, a
# division by a zero count, an index past a list's end): reported like a template error, not as a traceback.
EXPRESSION_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError)


def template_error(name: str, error: Exception) -> ReportError:
    """One line naming the template (and the line, for a syntax error)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return ReportError(f"{error.filename or name} line {error.lineno}: template syntax error: {error.message}")
    if isinstance(error, jinja2.TemplateNotFound):
        return ReportError(f"{name}: template not found")
    if isinstance(error, jinja2.TemplateError):
        return ReportError(f"{name}: template error: {error}")
    first = (str(error).splitlines() or [""])[0]
    return ReportError(f"{name}: template error: {error.__class__.__name__}: {first}")


class Narrator:
    """Renders the narrative templates of one templates folder."""

    def __init__(self, templates_dir: Path):
        self.folder = Path(templates_dir) / "narrative"
        if not self.folder.is_dir():
            raise ReportError(f"{self.folder}: narrative templates folder not found")
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.folder)),
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      autoescape=False, keep_trailing_newline=False)
        self.env.filters.update(number=number, counted=counted, percent=percent, and_list=and_list, inline=inline,
                                quote=lambda s: f"“{s}”", apply=lambda value, function: function(value))

    def paragraphs(self, name: str, **context) -> list[str]:
        """The paragraphs ``name`` (e.g. "executive_summary.j2") renders to."""
        try:
            text = self.env.get_template(name).render(**context)
        except EXPRESSION_ERRORS as error:
            raise template_error(str(self.folder / name), error) from None
        return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]
