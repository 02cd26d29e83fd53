"""gunicorn's configuration for Rückkehr: ``gunicorn -c gunicorn.conf.py wsgi:app`` (see docs/deployment.md).

Every value can be set from the environment, so one systemd unit or container image fits every installation.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # the reverse proxy in front speaks to this
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))  # more than one needs REDIS_URL (the app refuses otherwise)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # a restarting worker lets the mail it is delivering beside a response go out
keepalive = 5
max_requests = 1000  # recycle workers now and then; the jitter keeps them from restarting together
max_requests_jitter = 100
preload_app = False  # each worker builds its own app (and its own database pool)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # stdout: the journal under systemd
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "rueckkehr"
# The app reads WEB_CONCURRENCY too: it must know how many workers count rate limits.
raw_env = [f"WEB_CONCURRENCY={workers}"]
