import datetime

import factory
from django.utils.text import slugify

from promises.models import FocusArea, Municipality, Organisation, Period, Promise


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Aktör {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.MUNICIPALITY


class PoliceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Polisen, lokalpolisområde {n}")
    short_name = "Polisen"
    kind = Organisation.Kind.POLICE


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    municipality = factory.SubFactory(MunicipalityFactory)
    name = "2025–2026"
    slug = factory.Sequence(lambda n: f"2025-2026-{n}")
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
    is_published = True
    purpose = "Att öka tryggheten och minska brottsligheten."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    period = factory.SubFactory(PeriodFactory)
    name = factory.Sequence(lambda n: f"Prioriterat område {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    order = factory.Sequence(lambda n: n)


class PromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promise
        skip_postgeneration_save = True

    period = factory.SubFactory(PeriodFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Löfte {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    text = factory.LazyAttribute(lambda o: f"Vi lovar att arbeta med {o.title.lower()}.")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)

    @factory.post_generation
    def focus_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_areas.set(extracted)
