import datetime

import factory
from django.utils import timezone

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from tests.promises.factories import OrganisationFactory, PromiseFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    promise = factory.SubFactory(PromiseFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    description = "Planerad insats enligt aktivitetsplanen."
    lead_organisation = factory.SubFactory(OrganisationFactory)
    # The plan lies within its period (Activity.clean): from the period's start
    # to three months ahead, or the period's end when that comes first.
    planned_start = factory.LazyAttribute(lambda o: o.promise.period.starts_on)
    planned_end = factory.LazyAttribute(
        lambda o: min(timezone.localdate() + datetime.timedelta(days=90), o.promise.period.ends_on)
    )
    weight = 1

    @factory.post_generation
    def other_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.other_organisations.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    activity = factory.SubFactory(ActivityFactory)
    reported_on = factory.LazyFunction(timezone.localdate)
    status = ProgressUpdate.Status.IN_PROGRESS
    percent_complete = 50
    text = "Arbetet pågår enligt plan."
    organisation = factory.LazyAttribute(lambda o: o.activity.lead_organisation)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    activity = factory.SubFactory(ActivityFactory)
    promise = None
    name = factory.Sequence(lambda n: f"Genomförda kontroller {n}")
    unit = "antal"
    baseline = 0
    target = 20
    direction = Indicator.Direction.HIGHER_IS_BETTER


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = factory.LazyFunction(timezone.localdate)
    value = 5
    source = "Polisens statistik"
