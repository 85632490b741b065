from synthesis.coding.textsearch import TextBatch


def test_holding_finds_each_text_with_the_word_once():
    batch = TextBatch(["no digit here", "aged 12 and 13", "", "1", "line\nwith 2 lines"])
    assert batch.holding("1") == {1, 3}
    assert batch.holding_any("0123456789") == {1, 3, 4}
    assert batch.holding("digit") == {0}
    assert batch.holding("absent") == set()


def test_a_word_is_not_found_across_two_texts():
    assert TextBatch(["disc", "uss"]).holding("discuss") == set()
    assert TextBatch(["the end", "ending"]).holding("end") == {0, 1}


def test_lower_keeps_offsets_and_falls_back_where_lower_case_is_longer():
    batch = TextBatch(["Not DISCUSSED", "fine"])
    assert batch.lower().holding("discu") == {0}
    # "İ" lower-cases to two characters: the texts after it keep their own positions
    batch = TextBatch(["İİİİ", "the group did not Discuss it"])
    assert batch.lower().holding("discu") == {1}
    assert batch.lower().holding("i̇") == {0}
