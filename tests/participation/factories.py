import datetime

import factory

from participation.models import Dialogue, Question
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue
        skip_postgeneration_save = True

    period = factory.SubFactory(PeriodFactory)
    kind = Dialogue.Kind.DIALOGUE_MEETING
    title = factory.Sequence(lambda n: f"Dialogmöte i stadsdelen {n}")
    starts_on = datetime.date(2020, 11, 10)
    method = "Öppet möte i biblioteket med polisen och kommunen."
    respondents = 30
    findings = "Många nämnde belysningen vid busstationen."

    @factory.post_generation
    def focus_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_areas.set(extracted)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    promise = factory.SubFactory(PromiseFactory)
    focus_area = None
    period = factory.LazyAttribute(lambda o: (o.promise or o.focus_area).period)
    message = factory.Sequence(lambda n: f"Varför är det så mörkt vid gångtunneln nummer {n}?")
    display_name = "Anna i Vivsta"
    email = ""
    status = Question.Status.NEW


__all__ = ["DialogueFactory", "FocusAreaFactory", "QuestionFactory"]
