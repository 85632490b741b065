"""Qualitative analysis and report synthesis for Leave No One Behind dialogues and consultations."""

__version__ = "0.1.0"
