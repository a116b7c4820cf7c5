"""How the benchmark report writes its figures: a missed target never reads as the target."""

from benchmarks.report import missed_by, ratio_text


def test_a_ratio_keeps_two_decimals_away_from_its_target():
    assert ratio_text(0.5612, 0.5) == "0.56x"
    assert ratio_text(4.8213) == "4.82x"


def test_a_ratio_just_short_of_its_target_does_not_read_as_the_target():
    assert ratio_text(201.5 / 403.6, 0.5) == "0.499x"
    assert ratio_text(2.0004, 2.0) == "2.0004x"
    assert ratio_text(0.5, 0.5) == "0.50x"


def test_missed_by_says_how_far_short_in_percent_and_how_far_over_as_a_factor():
    assert missed_by(201.5 / 403.6, 0.5, at_least=True) == (
        "target missed: 0.499 where at least 0.5 is wanted (0.1% short)"
    )
    assert missed_by(4.82, 2) == "target missed: 4.82 where at most 2 is wanted (2.4x over)"
    assert missed_by(2.1, 2) == "target missed: 2.10 where at most 2 is wanted (5.0% over)"
    assert missed_by(0.41, 0.5, at_least=True) == (
        "target missed: 0.41 where at least 0.5 is wanted (18.0% short)"
    )
