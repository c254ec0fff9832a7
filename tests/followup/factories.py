import datetime

import factory
from django.utils import timezone

from followup.models import Council, FollowUp, Meeting
from tests.promises.factories import MunicipalityFactory, PeriodFactory, PromiseFactory


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "Rådet för trygghet och hälsa"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    period = factory.SubFactory(PeriodFactory)
    council = factory.LazyAttribute(lambda o: CouncilFactory(municipality=o.period.municipality))
    date = datetime.date(2025, 3, 15)
    place = "Kommunhuset"
    attendees = "Kommunpolis, trygghetssamordnare, socialchef"
    agenda = "1. Uppföljning av medborgarlöftena"
    minutes = "Rådet gick igenom samtliga löften."
    is_published = True
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.is_published else None)
    first_published_at = factory.LazyAttribute(lambda o: o.published_at)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(MeetingFactory)
    promise = factory.LazyAttribute(lambda o: PromiseFactory(period=o.meeting.period))
    assessment = FollowUp.Assessment.ON_TRACK
    comment = "Arbetet går enligt plan."
    next_steps = "Fortsätt enligt aktivitetsplanen."
