"""The end-report input as a Word document (python-docx): data in (``analysis.report.
report_data``), a .docx written to a stream.

Layout: a cover with the campaign, its period and participation; the method, generated from the
data; one chapter per UN reporting cluster in the Committee's order (only those with content):
its findings with their evidence, the results of the questions tagged with its articles (a chart
and a table each), the approved quotes and the roundtable outcome points; then findings without
an article; and the annexes: every question's results, and the codebook with frequencies.

Headings and labels come from gettext: call inside ``translation.override(<language>)``.
Tables mark their first row as a header row and charts carry a text alternative, for readers
with a screen reader.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table

from analysis.charts import Series, horizontal_bar_chart_png
from analysis.renderers import (
    chart_data,
    count_text,
    dimension_label,
    hidden,
    question_table,
    xml_safe,
)

Progress = Callable[[float], None]
CHART_WIDTH = Cm(15)
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def render_docx(*, report: dict[str, Any], out: BinaryIO, progress: Progress | None = None) -> None:
    """Write the end-report input of ``report`` as a .docx to ``out``."""
    _DocxReport(report, progress).write(out)


class _DocxReport:
    def __init__(self, report: dict[str, Any], progress: Progress | None):
        self.report = report
        self.k: int = report["k"]
        self.document: DocumentObject = Document()
        self._progress = progress
        self._charts: dict[tuple[str, str], bytes | None] = {}
        questions = sum(len(survey["questions"]) for survey in report["surveys"])
        in_chapters = sum(len(cluster["questions"]) for cluster in report["clusters"])
        # Work units: every chart and table drawn, and the codebook.
        self._total = max(questions + 2 * in_chapters + 3, 1)
        self._done = 0

    # --- Plumbing --------------------------------------------------------------------------------

    def _step(self, units: int = 1) -> None:
        self._done += units
        if self._progress:
            self._progress(min(self._done / self._total, 1.0))

    def heading(self, text: str, level: int) -> None:
        self.document.add_heading(xml_safe(text), level=level)

    def paragraph(self, text: str = "", style: str | None = None):
        return self.document.add_paragraph(xml_safe(text), style=style)

    def table(self, header: list[str], rows: list[list[str]]) -> Table:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = xml_safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_as_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = xml_safe(str(text))
        self.paragraph()  # a little air after each table
        return table

    def date(self, value: Any) -> str:
        return date_format(value, "DATE_FORMAT") if value else gettext("not set")

    def articles(self, codes: list[str]) -> str:
        return ", ".join(codes)

    # --- The document ----------------------------------------------------------------------------

    def write(self, out: BinaryIO) -> None:
        report = self.report
        properties = self.document.core_properties
        properties.title = xml_safe(report["campaign"]["title"])
        properties.subject = gettext("End-report input")
        properties.language = report["language"]
        properties.author = "Inspraak"
        self.cover()
        self.method()
        for cluster in report["clusters"]:
            self.chapter(cluster)
        if report["other_findings"]:
            self.heading(gettext("Findings without a UNCRC article"), 1)
            for finding in report["other_findings"]:
                self.finding(finding)
        self.annex_results()
        self.annex_codebook()
        self.document.save(out)
        self._step(0)

    def cover(self) -> None:
        report = self.report
        campaign = report["campaign"]
        period = report["period"]
        self.heading(campaign["title"], 0)
        self.paragraph(gettext("End-report input"), style="Subtitle")
        if campaign["summary"]:
            self.paragraph(campaign["summary"])
        self.paragraph(
            gettext("Campaign period: %(start)s to %(end)s.")
            % {"start": self.date(period["starts_on"]), "end": self.date(period["ends_on"])}
        )
        if period["first_response"]:
            self.paragraph(
                gettext("Young people answered from %(first)s to %(last)s.")
                % {
                    "first": self.date(period["first_response"]),
                    "last": self.date(period["last_response"]),
                }
            )
        generated = report["generated_at"]
        self.paragraph(
            gettext("Generated by Inspraak on %(date)s at %(time)s.")
            % {"date": date_format(generated, "DATE_FORMAT"), "time": date_format(generated, "H:i")}
        )

        participation = report["participation"]
        self.heading(gettext("Participation"), 1)
        self.paragraph(
            ngettext(
                "%(count)s young person took part (withdrawn responses not counted).",
                "%(count)s young people took part (withdrawn responses not counted).",
                participation["total"],
            )
            % {"count": participation["total"]}
        )
        for key, title in (
            ("by_age_band", gettext("Young people per age band")),
            ("by_organisation", gettext("Young people per organisation")),
            ("by_language", gettext("Young people per language")),
        ):
            self.heading(title, 2)
            rows = participation[key]
            if not rows:
                self.paragraph(gettext("No responses yet."))
                continue
            self.table(
                [dimension_label(key.removeprefix("by_")), gettext("Young people")],
                [[row["label"], count_text(row["count"], self.k)] for row in rows],
            )
        self.paragraph(self.suppression_rule())

    def suppression_rule(self) -> str:
        return gettext(
            "To protect young people, a group of fewer than %(k)s is never shown, nor a number "
            "below %(k)s, and sometimes one more number is hidden so that a hidden one cannot be "
            'worked out from the total; each reads "%(hidden)s". Overall totals are exact.'
        ) % {"k": self.k, "hidden": hidden()}

    def method(self) -> None:
        method = self.report["method"]
        self.heading(gettext("Method"), 1)
        self.heading(gettext("Surveys"), 2)
        if not method["surveys"]:
            self.paragraph(gettext("No survey of this campaign went out yet."))
        for survey in method["surveys"]:
            questions, responses = survey["question_count"], survey["response_count"]
            text = gettext("%(title)s: %(questions)s, %(responses)s.") % {
                "title": survey["title"],
                "questions": ngettext("%(count)s question", "%(count)s questions", questions)
                % {"count": questions},
                "responses": ngettext("%(count)s response", "%(count)s responses", responses)
                % {"count": responses},
            }
            if survey["opens_at"] or survey["closes_at"]:
                text += " " + gettext("Open from %(start)s to %(end)s.") % {
                    "start": self.date(survey["opens_at"]),
                    "end": self.date(survey["closes_at"]),
                }
            self.paragraph(text, style="List Bullet")

        self.heading(gettext("Age bands and languages"), 2)
        bands = []
        for band in method["age_bands"]:
            text = gettext("%(code)s (ages %(low)s to %(high)s)") % {
                "code": band["code"],
                "low": band["min_age"],
                "high": band["max_age"],
            }
            if band["easy_read"]:
                text += " " + gettext("with easy-read wording")
            bands.append(text)
        self.paragraph(
            gettext(
                "Young people gave their age, and only their age band is stored. "
                "The age bands: %(bands)s."
            )
            % {"bands": "; ".join(bands) or gettext("none")}
        )
        self.paragraph(
            gettext("They could answer in %(languages)s.")
            % {"languages": ", ".join(language["name"] for language in method["languages"])}
        )

        self.heading(gettext("Reach"), 2)
        organisations, links = method["organisations"], method["invite_links"]
        reached = method["organisations_reached"]
        self.paragraph(
            ngettext(
                "%(count)s member organisation took part in the campaign.",
                "%(count)s member organisations took part in the campaign.",
                organisations,
            )
            % {"count": organisations}
            + " "
            + ngettext(
                "They handed out %(count)s invite link to groups of young people.",
                "They handed out %(count)s invite links to groups of young people.",
                links,
            )
            % {"count": links}
            + " "
            + ngettext(
                "Young people came in through the links of %(count)s organisation, or through "
                "the survey's public address.",
                "Young people came in through the links of %(count)s organisations, or through "
                "the survey's public address.",
                reached,
            )
            % {"count": reached}
        )
        answers = method["open_answers"]
        self.paragraph(
            ngettext(
                "Staff coded %(coded)s of %(count)s open answer with the codebook in annex 2.",
                "Staff coded %(coded)s of %(count)s open answers with the codebook in annex 2.",
                answers["total"],
            )
            % {"coded": answers["coded"], "count": answers["total"]}
            + " "
            + ngettext(
                "%(count)s answer was chosen as a quote for the report.",
                "%(count)s answers were chosen as quotes for the report.",
                answers["quotes"],
            )
            % {"count": answers["quotes"]}
        )
        self.paragraph(
            ngettext(
                "%(count)s roundtable with experts recorded its outcome.",
                "%(count)s roundtables with experts recorded their outcomes.",
                method["roundtables"],
            )
            % {"count": method["roundtables"]}
        )
        self.heading(gettext("Protecting small groups"), 2)
        self.paragraph(self.suppression_rule())
        self.paragraph(
            gettext(
                "The chapters follow the clusters of rights of the UN Committee on the Rights of "
                "the Child, in its order; a cluster appears when findings, questions, quotes or "
                "roundtable outcomes are tagged with one of its articles."
            )
        )

    # --- Chapters --------------------------------------------------------------------------------

    def chapter(self, cluster: dict[str, Any]) -> None:
        self.heading(cluster["name"], 1)
        if cluster["findings"]:
            self.heading(gettext("Findings"), 2)
            for finding in cluster["findings"]:
                self.finding(finding, level=3)
        if cluster["questions"]:
            self.heading(gettext("Survey results"), 2)
            for question in cluster["questions"]:
                self.question(question, level=3, chart=True, breakdown="age_band")
        if cluster["quotes"]:
            self.heading(gettext("What young people said"), 2)
            for quote in cluster["quotes"]:
                self.quote(quote)
        if cluster["outcome_points"]:
            self.heading(gettext("Roundtable outcomes"), 2)
            for point in cluster["outcome_points"]:
                self.outcome_point(point)

    def finding(self, finding: dict[str, Any], level: int = 2) -> None:
        self.heading(finding["title"], level)
        facts = [gettext("Priority: %(priority)s") % {"priority": finding["priority_label"]}]
        if finding["articles"]:
            facts.append(
                gettext("UNCRC articles: %(articles)s")
                % {"articles": self.articles([a["code"] for a in finding["articles"]])}
            )
        self.paragraph(" · ".join(facts))
        self.paragraph(finding["statement"])
        for item in finding["evidence"]:
            kind = item["kind"]
            if kind == "question" and item.get("question"):
                self.question_evidence(item["question"])
            elif kind == "quote" and item.get("quote"):
                self.quote(item["quote"])
            elif kind == "outcome_point" and item.get("outcome_point"):
                self.outcome_point(item["outcome_point"])
            if item.get("note"):
                self.paragraph(gettext("Note: %(note)s") % {"note": item["note"]})

    def question_evidence(self, question: dict[str, Any]) -> None:
        entry = question.get("results")
        title = gettext("Evidence: %(question)s") % {"question": question["text"]}
        if question.get("breakdown_label"):
            title += " " + gettext("(by %(breakdown)s)") % {
                "breakdown": question["breakdown_label"].lower()
            }
        self.paragraph(title, style="Caption")
        if entry is None:
            self.paragraph(gettext("The results of this question are not computed yet."))
            return
        table = question_table(entry, self.k, question.get("groups"))
        self.table(table["header"], table["rows"])

    def question(
        self, question: dict[str, Any], *, level: int, chart: bool, breakdown: str | None
    ) -> None:
        self.heading(question["text"], level)
        facts = [
            gettext("Survey: %(survey)s") % {"survey": question["survey_title"]},
            ngettext(
                "%(count)s young person answered", "%(count)s young people answered", question["n"]
            )
            % {"count": question["n"]},
        ]
        if question["articles"]:
            facts.append(
                gettext("UNCRC articles: %(articles)s")
                % {"articles": self.articles(question["articles"])}
            )
        self.paragraph(" · ".join(facts))
        if chart:
            image = self.chart(question)
            if image is not None:
                picture = self.document.add_picture(io.BytesIO(image), width=CHART_WIDTH)
                # The text alternative a screen reader reads.
                picture._inline.docPr.set(
                    "descr",
                    xml_safe(
                        gettext(
                            "Chart of the answers to: %(question)s. The numbers are in the table."
                        )
                        % {"question": question["text"]}
                    ),
                )
            self._step()
        groups = question["breakdowns"].get(breakdown) if breakdown else None
        table = question_table(question, self.k, groups)
        self.table(table["header"], table["rows"])
        self._step()

    def chart(self, question: dict[str, Any]) -> bytes | None:
        key = (question["survey_slug"], question["key"])
        if key not in self._charts:
            data = chart_data(question)
            if data is None:
                self._charts[key] = None
            else:
                categories, values = data
                self._charts[key] = horizontal_bar_chart_png(
                    categories=categories,
                    series=[Series(gettext("All"), values)],
                    value_label=gettext("Young people who put it first")
                    if question["kind"] == "ranking"
                    else gettext("Young people"),
                )
        return self._charts[key]

    def quote(self, quote: dict[str, Any]) -> None:
        self.paragraph(f"“{quote['text']}”", style="Quote")
        facts = [gettext("Age band %(band)s") % {"band": quote["age_band"]}]
        language = quote.get("language_name") or LANGUAGE_NAMES.get(quote.get("language"), "")
        if language:
            facts.append(str(language))
        if quote.get("codes"):
            facts.append(gettext("Codes: %(codes)s") % {"codes": ", ".join(quote["codes"])})
        self.paragraph(" · ".join(facts), style="Caption")

    def outcome_point(self, point: dict[str, Any]) -> None:
        self.paragraph(
            gettext("%(point)s (roundtable “%(roundtable)s”, %(date)s)")
            % {
                "point": point["text"],
                "roundtable": point["roundtable"],
                "date": self.date(point["date"]),
            },
            style="List Bullet",
        )

    # --- Annexes ---------------------------------------------------------------------------------

    def annex_results(self) -> None:
        self.heading(gettext("Annex 1: the results of every question"), 1)
        self.paragraph(
            gettext("Every question of every survey, for all young people and per age band.")
        )
        for survey in self.report["surveys"]:
            self.heading(survey["title"], 2)
            if not survey["questions"]:
                self.paragraph(gettext("No responses yet."))
            for question in survey["questions"]:
                self.question(question, level=3, chart=False, breakdown="age_band")

    def annex_codebook(self) -> None:
        book = self.report["codebook"]
        self.heading(gettext("Annex 2: the codebook"), 1)
        self.paragraph(
            gettext(
                "The themes staff gave the open answers, and in how many young people's answers "
                "each theme was found (%(coded)s young people have a coded answer)."
            )
            % {"coded": book["coded_responses"]}
        )
        if not book["codes"]:
            self.paragraph(gettext("The codebook is empty."))
            self._step(3)
            return
        header = [gettext("Code"), gettext("Description"), gettext("UNCRC articles")]
        header.append(
            gettext("%(label)s (n = %(n)s)")
            % {"label": gettext("All"), "n": book["coded_responses"]}
        )
        for band in book["age_bands"]:
            header.append(
                gettext("%(label)s (n = %(n)s)")
                % {"label": band["code"], "n": hidden() if band["suppressed"] else band["n"]}
            )
        rows = []
        for code in book["codes"]:
            frequency = code["frequency"]
            rows.append(
                [
                    code["label"],
                    code["description"],
                    self.articles([article["code"] for article in code["articles"]]),
                    count_text(frequency["overall"]["count"], self.k),
                    *[count_text(cell["count"], self.k) for cell in frequency["by_age_band"]],
                ]
            )
        self.table(header, rows)
        self._step(3)


def _repeat_as_header(row) -> None:
    """Mark a table row as its header: repeated on every page, announced as column headers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
