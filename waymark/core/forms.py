"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def add_service_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names, the rest on the form, so a
    failed save re-renders with the message beside what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceErrorsMixin:
    """For forms whose view calls a service: `form.add_service_errors(error)`."""

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)
