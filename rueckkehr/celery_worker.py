"""Entry point for ``celery -A rueckkehr.celery_worker worker|beat``."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
