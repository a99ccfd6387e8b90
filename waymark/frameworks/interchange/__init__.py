"""Framework interchange: CASE 1.0 JSON, CSV, XLSX and the shipped YAML, all through one
in-memory package (`package.Package`) and one save service (`services.package_import`).
See docs/interchange.md."""
