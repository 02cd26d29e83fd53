"""Periodic jobs, all run by ``flask jobs run`` (cron, systemd timer, ``make run``'s loop or Celery beat)."""
