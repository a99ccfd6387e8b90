"""The import form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.models import Edition


class ImportForm(forms.Form):
    """Upload a file. Aimed at one edition (`target`), the framework and what to do if the
    edition exists are fixed, so those questions are not asked."""

    file = forms.FileField(
        label=_("Upload a framework file"),
        help_text=_(
            "A CASE 1.0 package (.json), a spreadsheet (.csv or .xlsx) or a Waymark YAML file "
            "(.yaml). A file with any problem imports nothing."
        ),
    )
    framework_slug = forms.SlugField(
        label=_("Short name of the framework (optional)"),
        required=False,
        max_length=100,
        help_text=_(
            "To add the file as a new edition of a framework already in Waymark, give that "
            "framework's short name. Leave it empty to use the file's own, or one made from its title."
        ),
    )
    if_exists = forms.ChoiceField(
        label=_("If this edition is already in Waymark"),
        choices=[
            ("refuse", _("Stop and tell me")),
            ("replace", _("Replace it in place, if nothing else uses its items")),
        ],
        initial="refuse",
        widget=forms.RadioSelect,
    )
    strictness = forms.ChoiceField(
        label=_("Files that do not quite follow CASE 1.0"),
        choices=[
            ("lenient", _("Repair what can be repaired safely, and list every repair")),
            ("strict", _("Refuse them")),
        ],
        initial="lenient",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, target: Edition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if target is not None:
            del self.fields["framework_slug"]
            del self.fields["if_exists"]
            self.fields["file"].help_text = _(
                "The edition exported as CSV, Excel or CASE JSON and edited. Rows without an "
                "identifier keep the item with the same code. A file with any problem imports nothing."
            )
