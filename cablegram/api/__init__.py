"""The JSON API: `/api/…` endpoints over the reading room's data, with its OpenAPI description.

Every endpoint returns the same dict as the matching `.json` twin of the reading room, so the
API, the pages and their twins can never disagree. Errors are `{"error": {"code", "message"}}`.
"""
