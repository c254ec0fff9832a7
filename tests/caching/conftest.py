# The app-server tests here serve the admin, which needs collected static files.
from tests.production.conftest import collected_static  # noqa: F401
