from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The public site: pages about promises, periods, focus areas and meetings.

    It reads the domain apps (promises, activities, followup) and writes nothing.
    Its addresses keep the URL names ``promises:…`` and ``followup:…``, and its
    templates the folders ``promises/`` and ``followup/``, after what they show.
    It has no models, so it never appears in the admin.
    """

    name = "website"
