from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    # static/scss holds Sass sources, built into build/static by `make setup`:
    # only the built CSS is collected and served.
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "scss"]
