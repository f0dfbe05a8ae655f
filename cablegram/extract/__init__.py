"""Extract: read a document's metadata out of its lines (the whole source is split and read
by `cablegram.pipeline.extract_source`)."""
