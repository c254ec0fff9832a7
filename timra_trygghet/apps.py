from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    # static/scss holds Sass sources, built into build/static by `make setup`, and
    # static/root the files served at the site's root (WHITENOISE_ROOT): neither
    # is collected under /static/.
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "scss", "root"]
