"""activities.0006: indicators measured in percent become levels; every other stays a sum."""

import importlib

import pytest
from django.apps import apps

from activities.models import Indicator
from tests.activities.factories import IndicatorFactory

migration = importlib.import_module("activities.migrations.0006_indicator_aggregation")


@pytest.mark.django_db
def test_percentages_become_levels_and_counts_stay_sums():
    share = IndicatorFactory(unit="%")
    spelled = IndicatorFactory(unit="Procent")
    count = IndicatorFactory(unit="antal")
    per_year = IndicatorFactory(unit="antal per år")

    migration.percentages_are_levels(apps, None)

    assert {
        indicator.pk: indicator.aggregation
        for indicator in Indicator.objects.filter(
            pk__in=[share.pk, spelled.pk, count.pk, per_year.pk]
        )
    } == {share.pk: "latest", spelled.pk: "latest", count.pk: "sum", per_year.pk: "sum"}
