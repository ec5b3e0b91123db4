"""Reading a pasted list of participants."""

from __future__ import annotations

from calms_desktop.core.participants import MAX_NAME, describe_paste, parse_names


def test_parse_names():
    text = "  Gustav \n\n- Hana\tQA\n• Ivo\n3. Jo\nana\nGUSTAV\n" + "x" * (MAX_NAME + 1) + "\n"
    parsed = parse_names(text, ["Ana"])
    assert parsed.names == [("Gustav", ""), ("Hana", "QA"), ("Ivo", ""), ("Jo", "")]
    assert parsed.duplicates == 2
    assert parsed.too_long == 1


def test_describe_paste_says_what_is_added_and_skipped():
    parsed = parse_names("Ana\nana\n" + "x" * 600 + "\nBo", ["Cy"])
    assert describe_paste(parsed) == (
        "2 new names, 1 already there (skipped), 1 longer than 500 characters (skipped)"
    )


def test_pasted_names_lose_control_and_bidi_characters():
    from calms_desktop.core.participants import clean_name

    assert clean_name("  Ana\x00\u202e Lee\u202c ") == "Ana Lee"
    assert clean_name("\u202e\x1b") == ""
    assert clean_name("👩\u200d💻 Kim") == "👩\u200d💻 Kim"  # joiners stay
    assert parse_names("Bo\x07\tLead\u2066\n").names == [("Bo", "Lead")]
