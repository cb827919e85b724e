"""``fazhi serve``: the dashboard and JSON API over a store (parse, build the app, run uvicorn)."""

from __future__ import annotations

import click

from .cli_store import _open, db_option
from .settings import MB


@click.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=20,
    show_default=True,
    help="Largest report file accepted for upload, in MB.",
)
def serve(db: str | None, host: str, port: int, max_upload_mb: float) -> None:
    """Serve the dashboard: overview, one page per report, indicator comparison, search, upload.

    The JSON API is under /api, its OpenAPI documentation at /docs.
    """
    import uvicorn

    from .web import WebSettings, create_app

    store = _open(db)
    app = create_app(store=store, settings=WebSettings(max_upload_bytes=int(max_upload_mb * MB)))
    click.echo(f"fazhi: serving {store!r} at http://{host}:{port}/ (API docs: /docs)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()
