"""Small pieces the staff pages share: a campaign by its address, a service's refusal shown on
its form, and the UNCRC articles offered by reporting cluster."""

from __future__ import annotations

from django import forms
from django.http import Http404

from config.exceptions import ApplicationError, NotFoundError
from consultations.models import Campaign, CrcCluster
from consultations.selectors import campaign_get, crc_clusters_with_articles
from consultations.translation import localized


def campaign_or_404(slug: str) -> Campaign:
    try:
        return campaign_get(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None


def form_error(form: forms.Form, error: ApplicationError) -> None:
    """A service refusal beside the field it names, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def article_clusters() -> list[CrcCluster]:
    """The Committee's clusters, each with the articles filed under it as their main cluster
    (``main_articles``, so that every article is offered once) and its ``label``."""
    clusters = crc_clusters_with_articles()
    for cluster in clusters:
        cluster.main_articles = [article for article in cluster.articles if article.is_primary]
        cluster.label = localized(cluster, "name")
    return [cluster for cluster in clusters if cluster.main_articles]
