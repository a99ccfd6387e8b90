from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from waymark.frameworks.models import Association, Framework
from waymark.tailoring.models import FocusFramework, FrontPage, OwnCompetence, Policy
from waymark.workforce.models import DiversityAnswers, QualificationRecord, Team, WorkforceRecord


@pytest.mark.django_db
def test_the_demo_tailors_brightwater_and_records_its_workforce_once() -> None:
    call_command("load_standards", verbosity=0, stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert FocusFramework.objects.get().framework.slug == "middle-manager-llf"
    own = Framework.objects.get(organisation__slug="brightwater")
    assert OwnCompetence.objects.filter(node__parent__isnull=False).count() == 2
    assert Association.objects.filter(edition__framework=own).count() == 2
    assert Policy.objects.count() == 1
    assert "Welcome to Brightwater" in FrontPage.objects.get().html
    assert Team.objects.count() == 4
    assert WorkforceRecord.objects.filter(organisation__slug="brightwater").count() == 3
    assert QualificationRecord.objects.count() == 3
    assert not DiversityAnswers.objects.exists()
    call_command("seed_demo", stdout=StringIO())
    assert OwnCompetence.objects.count() == 3
    assert Team.objects.count() == 4
    assert QualificationRecord.objects.count() == 3
