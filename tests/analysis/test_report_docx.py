"""The DOCX end-report input, opened with python-docx: a cover with participation, the method,
one chapter per UN reporting cluster in the Committee's order (only those with content), the
annexes; headings in the chosen language; and every number equal to the database's count with
small-cell suppression applied (issue 6, acceptance 1).

The reference numbers are counted here from the answers and responses themselves, then passed
through ``suppress_group`` as DESIGN §4 says, never read from the snapshot or the selectors.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Count
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from analysis.exports import snapshots_refresh_for_export, write_docx
from analysis.renderers import NO_VALUE
from analysis.suppression import suppress_group
from consultations.models import AgeBand
from surveys.models import Answer, Option, Question, QuestionKind, Response
from tests.analysis.suppression_reference import published_table
from tests.analysis.test_exports import (
    OTHER_POINT,
    POINT,
    QUOTE,
    ExportScenario,
    build_export_scenario,
)

pytestmark = pytest.mark.django_db

K = 5
HIDDEN = "not shown"  # what a suppressed number reads (English)


# --- Reading the document ------------------------------------------------------------------------


@dataclass
class Block:
    style: str  # a paragraph's style, or "table"
    text: str = ""
    table: Table | None = None

    @property
    def rows(self) -> list[list[str]]:
        return [[cell.text for cell in row.cells] for row in self.table.rows]


def blocks_of(document: DocumentObject) -> list[Block]:
    """The body in reading order: paragraphs (with their style) and tables."""
    blocks = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            blocks.append(Block(paragraph.style.name, paragraph.text))
        elif element.tag == qn("w:tbl"):
            blocks.append(Block("table", table=Table(element, document)))
    return blocks


def headings(blocks: list[Block], level: int) -> list[str]:
    return [block.text for block in blocks if block.style == f"Heading {level}"]


def section(blocks: list[Block], title: str, level: int = 1) -> list[Block]:
    """The blocks under the heading ``title`` of ``level``, up to the next of that level."""
    start = next(
        index
        for index, block in enumerate(blocks)
        if block.style == f"Heading {level}" and block.text == title
    )
    end = next(
        (
            index
            for index in range(start + 1, len(blocks))
            if blocks[index].style in {f"Heading {n}" for n in range(1, level + 1)}
        ),
        len(blocks),
    )
    return blocks[start + 1 : end]


def first_table(blocks: list[Block]) -> list[list[str]]:
    return next(block for block in blocks if block.style == "table").rows


def number_in(cell: str) -> int | str | None:
    """A table cell as a number: "22 (37%)" → 22, "not shown" → None, a dash (no one) →
    NO_VALUE."""
    if cell == HIDDEN:
        return None
    if cell == NO_VALUE:
        return NO_VALUE
    return int(re.match(r"\d+", cell).group())


def render(scenario: ExportScenario, language: str) -> tuple[DocumentObject, bytes]:
    snapshots_refresh_for_export(campaign=scenario.campaign)
    out = io.BytesIO()
    write_docx(campaign=scenario.campaign, out=out, language=language)
    return Document(io.BytesIO(out.getvalue())), out.getvalue()


# --- Counting by hand ----------------------------------------------------------------------------


def counted(scenario: ExportScenario):
    return Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True)


def bands(scenario: ExportScenario) -> list[str]:
    return list(
        AgeBand.objects.filter(campaign=scenario.campaign)
        .order_by("order", "min_age")
        .values_list("code", flat=True)
    )


def published(counts: dict[Any, int], total: int) -> dict[Any, int | None]:
    return {
        key: cell.value
        for key, cell in suppress_group(counts, total=total, k=K, exact_total=True).cells.items()
    }


def question_values(question: Question) -> list[str]:
    if question.kind == QuestionKind.SCALE:
        return [str(point) for point in range(1, question.scale_points + 1)]
    return list(
        Option.objects.filter(question=question)
        .order_by("order", "pk")
        .values_list("value", flat=True)
    )


def reference_columns(scenario: ExportScenario, key: str) -> dict[str, Any]:
    """A closed question's published table, counted from its answers: per column (All, then
    every age band) its n (None when hidden) and its count per value (None when hidden)."""
    question = Question.objects.get(survey=scenario.survey, key=key)
    values = question_values(question)
    answers = Answer.objects.filter(question=question, response__withdrawn_at__isnull=True)
    if question.kind == QuestionKind.RANKING:
        answers = answers.filter(rank=1)

    def value_of(row: dict[str, Any]) -> str:
        if question.kind == QuestionKind.SCALE:
            return str(int(row["number_value"]))
        return row["option__value"]

    overall: dict[str, int] = defaultdict(int)
    per_band: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in answers.values("number_value", "option__value", "response__age_band__code"):
        overall[value_of(row)] += 1
        per_band[row["response__age_band__code"]][value_of(row)] += 1
    respondents = Answer.objects.filter(question=question, response__withdrawn_at__isnull=True)
    n = respondents.values("response_id").distinct().count()
    band_n = dict(
        respondents.values("response__age_band__code")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("response__age_band__code", "n")
    )
    columns = {"All": {"n": n, "counts": published({v: overall[v] for v in values}, n)}}
    sizes = suppress_group(
        {band: band_n.get(band, 0) for band in bands(scenario)}, total=n, k=K, exact_total=True
    )
    hidden = {
        band for band in bands(scenario) if sizes.cells[band].suppressed or band_n.get(band, 0) < K
    }
    table = published_table(
        {band: per_band[band] for band in bands(scenario)},
        group_n={band: band_n.get(band, 0) for band in bands(scenario)},
        hidden_groups=hidden,
        values=values,
        overall_n=n,
        k=K,
    )
    for band in bands(scenario):
        size = band_n.get(band, 0)
        if band in hidden:
            columns[band] = {"n": sizes.cells[band].value, "counts": None, "empty": size == 0}
        else:
            columns[band] = {"n": size, "counts": table[band]}
    return columns


def assert_table_matches(rows: list[list[str]], expected: dict[str, Any]) -> None:
    header, *body = rows
    names = list(expected)
    assert [cell.split(" (n = ")[0] for cell in header[1:]] == names
    for position, name in enumerate(names, start=1):
        column = expected[name]
        shown_n = header[position].split(" (n = ")[1].rstrip(")")
        assert shown_n == (HIDDEN if column["n"] is None else str(column["n"])), name
        values = list(expected["All"]["counts"])
        for value, row in zip(values, body, strict=False):
            cell = number_in(row[position])
            if column["counts"] is None:
                assert cell == (NO_VALUE if column.get("empty") else None), (name, value)
            else:
                assert cell == column["counts"][value], (name, value, row)


# --- The tests -----------------------------------------------------------------------------------


@pytest.fixture
def scenario(settings, tmp_path) -> ExportScenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_export_scenario(count=90, seed=3, k=K)


def test_it_has_a_cover_method_cluster_chapters_in_the_committees_order_and_annexes(scenario):
    document, _ = render(scenario, "en")
    blocks = blocks_of(document)

    assert blocks[0].style == "Title" and blocks[0].text == "Wellbeing at school"
    assert blocks[1].style == "Subtitle" and blocks[1].text == "End-report input"
    assert headings(blocks, 1) == [
        "Participation",
        "Method",
        # Article 12 (mood, say, the finding), 19 (the quote's code, the outcome point),
        # 28 and 31 (priorities, sport, hobbies): clusters 3, 5 and 8 of the Committee.
        "General principles",
        "Violence against children",
        "Education, leisure and cultural activities",
        "Findings without a UNCRC article",
        "Annex 1: the results of every question",
        "Annex 2: the codebook",
    ]
    assert document.core_properties.title == "Wellbeing at school"
    assert document.core_properties.language == "en"


def test_each_cluster_chapter_holds_what_is_tagged_with_its_articles(scenario):
    document, _ = render(scenario, "en")
    blocks = blocks_of(document)

    principles = section(blocks, "General principles")
    assert headings(principles, 2) == ["Findings", "Survey results"]
    assert headings(principles, 3) == [
        "Kinderen willen meer inspraak",
        "Question mood",
        "Question say",
    ]
    texts = [block.text for block in principles]
    assert "Priority: High · UNCRC articles: 12" in texts
    assert "Evidence: Question mood (by age band)" in texts
    assert f"“{QUOTE}”" in texts  # the finding's quote, with its note
    assert "Note: Typisch voor de 12-14-jarigen" in texts

    violence = section(blocks, "Violence against children")
    assert headings(violence, 2) == ["What young people said", "Roundtable outcomes"]
    assert f"“{QUOTE}”" in [block.text for block in violence]
    assert any(block.text.startswith(POINT) for block in violence)

    leisure = section(blocks, "Education, leisure and cultural activities")
    assert headings(leisure, 3) == ["Question sport", "Question hobbies", "Question priorities"]

    # A point without an article, and a question without one, belong to no chapter.
    chapters = blocks[: blocks.index(next(b for b in blocks if b.text.startswith("Annex 1")))]
    assert not any(OTHER_POINT in block.text for block in chapters)
    assert "Question hours" not in headings(chapters, 3)
    assert headings(section(blocks, "Findings without a UNCRC article"), 2) == [
        "Een bevinding zonder artikel"
    ]


def test_charts_have_a_text_alternative_and_tables_a_header_row(scenario):
    document, _ = render(scenario, "en")

    pictures = document.inline_shapes
    # One chart per closed question in a chapter: mood, say, sport, hobbies, priorities.
    assert len(pictures) == 5
    for picture in pictures:
        assert picture._inline.docPr.get("descr").startswith("Chart of the answers to: Question ")
    images = [part for part in document.part.related_parts.values() if "image" in part.content_type]
    assert images and all(part.blob.startswith(b"\x89PNG\r\n") for part in images)
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_participation_equals_the_database_with_small_groups_hidden(scenario):
    document, _ = render(scenario, "en")
    blocks = blocks_of(document)
    responses = counted(scenario)
    total = responses.count()

    participation = section(blocks, "Participation")
    assert (
        participation[0].text
        == f"{total} young people took part (withdrawn responses not counted)."
    )

    per_band = dict(
        responses.values("age_band__code")
        .annotate(n=Count("id"))
        .values_list("age_band__code", "n")
    )
    expected = published({band: per_band.get(band, 0) for band in bands(scenario)}, total)
    table = first_table(section(blocks, "Young people per age band", level=2))
    assert {row[0]: number_in(row[1]) for row in table[1:]} == expected

    per_language = dict(
        responses.values("language").annotate(n=Count("id")).values_list("language", "n")
    )
    expected = published({code: per_language.get(code, 0) for code in ("nl", "fr", "en")}, total)
    table = first_table(section(blocks, "Young people per language", level=2))
    names = {"Dutch": "nl", "French": "fr", "English": "en"}
    assert {names[row[0]]: number_in(row[1]) for row in table[1:]} == expected

    per_org = dict(
        responses.values("organisation__name")
        .annotate(n=Count("id"))
        .values_list("organisation__name", "n")
    )
    labels = [scenario.chiro.name, scenario.scouts.name, None]
    expected = published({name: per_org.get(name, 0) for name in labels}, total)
    table = first_table(section(blocks, "Young people per organisation", level=2))
    shown = {row[0]: number_in(row[1]) for row in table[1:]}
    assert shown == {
        scenario.chiro.name: expected[scenario.chiro.name],
        scenario.scouts.name: expected[scenario.scouts.name],
        "Without an invite link": expected[None],
    }


def test_every_question_in_annex_1_equals_the_database_with_suppression(scenario):
    document, _ = render(scenario, "en")
    blocks = blocks_of(document)
    annex = section(blocks, "Annex 1: the results of every question")

    assert headings(annex, 3) == [
        f"Question {key}"
        for key in (
            "mood",
            "sport",
            "sport_where",
            "hobbies",
            "hours",
            "story",
            "priorities",
            "say",
        )
    ]
    for key in ("mood", "sport", "sport_where", "hobbies", "priorities", "say"):
        question_blocks = section(annex, f"Question {key}", level=3)
        expected = reference_columns(scenario, key)
        assert_table_matches(first_table(question_blocks), expected)
        assert f"{expected['All']['n']} young people answered" in question_blocks[0].text
    hidden_somewhere = [
        row
        for key in ("mood", "sport", "hobbies")
        for row in first_table(section(annex, f"Question {key}", 3))
    ]
    assert any(cell == HIDDEN for row in hidden_somewhere for cell in row)  # the test bites


def test_a_chapters_table_is_the_same_as_the_annexs(scenario):
    document, _ = render(scenario, "en")
    blocks = blocks_of(document)

    chapter = section(
        section(blocks, "Education, leisure and cultural activities"), "Question sport", 3
    )
    annex = section(section(blocks, "Annex 1: the results of every question"), "Question sport", 3)

    assert first_table(chapter) == first_table(annex)
    assert_table_matches(first_table(chapter), reference_columns(scenario, "sport"))


def test_the_codebook_annex_counts_young_people_with_the_code(scenario):
    document, _ = render(scenario, "en")
    annex = section(blocks_of(document), "Annex 2: the codebook")

    rows = first_table(annex)
    assert rows[0][:4] == ["Code", "Description", "UNCRC articles", "All (n = 1)"]
    # One young person's answer carries the code: fewer than k, so hidden everywhere.
    assert rows[1][0] == "Veiligheid" and rows[1][2] == "19"
    assert rows[1][3:] == [HIDDEN] * 5


def test_the_method_is_written_from_the_data(scenario):
    document, _ = render(scenario, "en")
    method = " ".join(block.text for block in section(blocks_of(document), "Method"))
    total = counted(scenario).count()

    assert f"At school: 8 questions, {total} responses." in method
    assert "6-8 (ages 6 to 8) with easy-read wording" in method
    assert "They could answer in Dutch, French, English." in method
    assert "2 member organisations took part in the campaign." in method
    assert "1 answer was chosen as a quote for the report." in method
    assert f"a group of fewer than {K} is never shown" in method
    assert f'each reads "{HIDDEN}"' in method


def test_headings_and_texts_follow_the_chosen_language(scenario):
    document, _ = render(scenario, "fr")
    blocks = blocks_of(document)

    assert blocks[0].text == "Bien-être à l'école"
    assert "Principes généraux" in headings(blocks, 1)
    assert "Violence à l'égard des enfants" in headings(blocks, 1)
    mood = first_table(section(blocks, "Vraag mood", level=3))  # no French text: Dutch
    assert [row[0] for row in mood[1:6]] == ["Très mal", "Mal", "Moyen", "Bien", "Très bien"]
    assert document.core_properties.language == "fr"


def test_withdrawn_young_people_leave_every_number(scenario):
    withdrawn = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=False).count()
    assert withdrawn > 0  # the scenario has some

    document, _ = render(scenario, "en")
    participation = section(blocks_of(document), "Participation")

    assert participation[0].text.startswith(f"{counted(scenario).count()} young people")
