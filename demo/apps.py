from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented demo data for development, the benchmark and the tests (never in production).

    Its commands, ``seed_demo`` and ``seed_demo_staff``, build data with the test
    factories (``tests/<app>/factories.py``), which come with the development
    dependencies: the settings install this app only when those are installed,
    so a production install (``uv sync --no-dev``) has neither.
    """

    name = "demo"
    verbose_name = "Demodata"
