from __future__ import annotations

# Editor pages for importing and exporting frameworks; included by waymark/frameworks/urls.py
# under /standards/ with names prefixed "interchange_".
urlpatterns: list = []
