# The service as one image. By default it runs the web app under gunicorn (gunicorn.conf.py);
# the same image runs the task worker (`python manage.py db_worker`) and one-off commands
# (`python manage.py migrate`). compose.yaml runs all three with PostgreSQL.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint lays papers out with Pango and HarfBuzz; Liberation Sans stands in for Arial.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md manage.py gunicorn.conf.py ./
COPY commissioning commissioning
COPY contracts contracts
COPY consultations consultations
COPY templates templates
COPY static static
# Installed in place (-e): settings find templates, static files and media next to the code.
RUN pip install -e .

# Static files are collected into the image (WhiteNoise serves them). collectstatic reads the
# settings only: the key and addresses here are placeholders, never used at run time.
RUN DEBUG=false SECRET_KEY=collectstatic-only EMAIL_URL=consolemail:// \
    DATABASE_URL=sqlite:////tmp/unused.sqlite3 python manage.py collectstatic --noinput -v 0

# Not root. Paper PDFs are written under /app/media (a volume shared by the app and the worker).
RUN useradd --system --home-dir /app commissioning \
    && mkdir -p /app/media && chown commissioning /app/media
USER commissioning

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "commissioning.wsgi"]
