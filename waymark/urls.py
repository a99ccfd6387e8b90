from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("waymark.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("o/<slug:org_slug>/", include("waymark.organisations.urls")),
    # Each part of a manager's development journey: pages under the organisation, each
    # app in its own namespace ("assessment:gaps", "planning:objective_new"), not nested
    # inside "organisations:".
    *[
        path("o/<slug:org_slug>/", include(f"waymark.{app}.urls"))
        for app in (
            "profiles",
            "assessment",
            "planning",
            "cpd",
            "records",
            "signposting",
            "feedback",
            "supervision",
            "tailoring",
            "workforce",
            "programmes",
            "reports",
            "evaluation",
        )
    ],
    path("standards/", include("waymark.frameworks.urls")),
    path("catalogue/", include("waymark.signposting.catalogue_urls")),
    path("gateway/", include("waymark.signposting.gateway_urls")),
    path("rate/", include("waymark.feedback.rater_urls")),
    path("national/", include("waymark.reports.national_urls")),
    path("api/", include("waymark.api.urls")),
    path("ims/case/v1p0/", include("waymark.frameworks.case_api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "waymark.core.views.not_found"
handler403 = "waymark.core.views.forbidden"
