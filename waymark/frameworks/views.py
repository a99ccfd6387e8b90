from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/index.html", {"nav_section": "standards"})


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/search.html", {"nav_section": "search"})
