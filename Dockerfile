# syntax=docker/dockerfile:1
# optviz: JAX optimizers on 2D loss surfaces, served by Streamlit on port 8501 (CPU only).
#   docker build -t optviz . && docker run --rm -p 8501:8501 optviz
FROM python:3.11-slim-bookworm

# JAX on CPU; compiled kernels persist in JAX_COMPILATION_CACHE_DIR across app restarts.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    JAX_PLATFORMS=cpu \
    JAX_COMPILATION_CACHE_DIR=/app/.jax_cache

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# plotly.js for the in-place chart, copied from the plotly package into static/ (served there).
RUN python -m optviz.ui.live_chart

# A non-root user with a numeric uid, owning the compilation cache.
RUN useradd --no-log-init --create-home --uid 10001 appuser \
    && mkdir -p /app/.jax_cache \
    && chown -R 10001:10001 /app/.jax_cache
USER 10001

EXPOSE 8501

# Exec form with python's urllib: slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"]

# postScriptGC=false: the full GC Streamlit runs after every rerun costs ~80 ms with JAX loaded.
ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true", "--browser.gatherUsageStats=false", "--runner.postScriptGC=false"]
