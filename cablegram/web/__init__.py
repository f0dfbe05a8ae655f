"""The web reading room: `cablegram.web.app.create_app(archive_root)` builds it."""
