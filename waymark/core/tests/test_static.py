from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_every_static_file_the_layout_names_is_in_the_collected_manifest(
    db: None, monkeypatch
) -> None:
    """Production uses hashed names from `collectstatic`: a missing entry is a 500 there."""
    storage = ManifestStaticFilesStorage()
    monkeypatch.setattr("django.contrib.staticfiles.storage.staticfiles_storage", storage)
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string("core/home.html", request=request)
    assert "waymark/waymark." in html
    assert "govuk/govuk-frontend.min." in html
