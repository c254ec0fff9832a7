from django.conf.locale.sv.formats import *  # noqa: F403

from timra_trygghet.formats.day_first import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
