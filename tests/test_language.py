"""Languages as people write them, read as codes."""

import pytest

from synthesis.language import language_code


@pytest.mark.parametrize("given, code", [
    ("English (UK)", "en"), ("Español", "es"), ("français", "fr"), ("spa", "es"), ("eng", "en"), ("fra", "fr"),
    ("en-GB", "en"), ("es_PE", "es"), ("pt-BR", "pt"), ("FR", "fr"), ("  es ", "es"), ("", ""),
    # names of other languages, and several at once, are kept as written (not "fr", "es" or "en")
    ("French Creole", "French Creole"), ("Spanish Sign Language", "Spanish Sign Language"),
    ("English and French", "English and French"), ("Kiswahili", "Kiswahili"),
])
def test_a_language_is_read_as_its_code_where_it_names_one(given, code):
    assert language_code(given) == code
