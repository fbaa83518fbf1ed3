"""WSGI entry point (gunicorn opstap.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opstap.conf.production")
application = get_wsgi_application()
