"""The `cablegram` command: a thin shell over the library."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from cablegram import __version__
from cablegram.archive import Archive, IngestResult
from cablegram.authority.lookup import Authority, read_authority_files
from cablegram.cli_output import (
    print_document,
    print_facets,
    print_hits,
    print_scores,
    print_table,
)
from cablegram.errors import CablegramError, InputError
from cablegram.ingest import default_jobs
from cablegram.pipeline import collect_files, extract_file

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    help="Cablegram: split, read, link, search and serve diplomatic correspondence.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ArchiveOpt = Annotated[Path, typer.Option(
    "--archive", envvar="CABLEGRAM_ARCHIVE", help="Archive folder ($CABLEGRAM_ARCHIVE).",
    show_default=True)]
AuthorityOpt = Annotated[list[Path] | None, typer.Option(
    "--authority", help="Extra authority file (people.yaml, places.yaml or "
    "organizations.yaml); repeat for several.")]
DEFAULT_ARCHIVE = Path("archive")


def _authority(extra: list[Path] | None) -> Authority | None:
    """The shipped authority plus the user's files, or None for the shipped one alone."""
    return Authority(read_authority_files(extra)) if extra else None



def _print_json(data: Any) -> None:
    """Write data as indented JSON (UTF-8 kept as is) to standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(help="Folder to create.")] = None,
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
) -> None:
    """Create an empty archive: database, store of originals and search index.

    Example: `cablegram init my-archive`
    """
    root = directory or archive
    Archive.create(root).close()
    out.print(f"Created an empty archive in {root}/. Next: cablegram ingest --archive {root} FILES")


@dataclass
class _Tally:
    """What an ingest did, counted as the results come (nothing kept per file)."""

    files: int = 0
    documents: int = 0
    fragments: int = 0
    failed: int = 0
    unchanged: int = 0
    added_bytes: int = 0

    def count(self, result: IngestResult) -> None:
        """Count one file's result."""
        self.files += 1
        if result.status == "added":
            self.documents += result.documents
            self.fragments += result.fragments
            self.added_bytes += result.size
        elif result.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1


def _ingest_all(archive: Archive, paths: list[Path], collection: str | None, jobs: int,
                progress: _Progress) -> _Tally:
    """Ingest files as they are found; print failures and unchanged files; advance the bar."""
    tally = _Tally()
    results = archive.ingest(collect_files(paths), jobs, collection, progress.advance)
    try:
        for result in results:
            tally.count(result)
            if result.status == "unchanged":
                progress.line(f"unchanged: {result.path} (these bytes are already stored)")
            elif result.status == "failed":
                progress.line(f"failed: {result.error}", "[red]failed[/red]: "
                              + escape(str(result.error)))
    finally:
        results.close()  # on Ctrl+C: the batch in progress is rolled back, workers stopped
    return tally


class _Progress:
    """A rich progress bar on a terminal; plain lines elsewhere."""

    def __init__(self, total: int | None) -> None:
        """Start the bar when stderr is a terminal (`total` files, when known)."""
        from rich.progress import Progress

        self.bar = Progress(console=err, transient=True) if err.is_terminal else None
        self.console = err
        if self.bar:
            self.bar.start()
            self.task = self.bar.add_task("Ingesting", total=total)

    def line(self, text: str, markup: str | None = None) -> None:
        """Print a line to stderr: above the bar (in colour: `markup`) on a terminal, else
        plain and fast (a re-ingest prints one per file)."""
        if self.bar:
            self.console.print(markup or escape(text), highlight=False)
        else:
            sys.stderr.write(text + "\n")

    def advance(self, path: Path | None = None) -> None:
        """One more file read (and soon stored)."""
        if self.bar:
            self.bar.advance(self.task)

    def stop(self) -> None:
        """Remove the bar."""
        if self.bar:
            self.bar.stop()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (recursive).")],
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
    collection: Annotated[str | None, typer.Option(
        help="Collection name (default: the first folder under each folder given).")] = None,
    authority: AuthorityOpt = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Processes that read and extract files (default: one per "
        "core; 1: this process alone).")] = None,
) -> None:
    """Keep, read, split, extract, store and index files, in batches; each file is stored
    whole or not at all.

    Ingesting the same bytes again changes nothing. Exit code 1 when any file failed.

    Example: `cablegram ingest --archive my-archive samples/`
    """
    arc = Archive.open(archive)
    if authority:
        arc.authority = _authority(authority) or arc.authority
    jobs = jobs or default_jobs()
    started = time.perf_counter()
    progress = _Progress(sum(1 for _ in collect_files(paths)) if err.is_terminal else None)
    try:
        tally = _ingest_all(arc, paths, collection, jobs, progress)
    except KeyboardInterrupt:
        progress.stop()
        err.print("Interrupted: the files of earlier batches are stored; the batch in progress "
                  "was not (rolled back). Run the same command again to ingest the rest.")
        raise typer.Exit(130) from None
    progress.stop()
    seconds = max(time.perf_counter() - started, 1e-6)
    summary = (f"{tally.files} files, {tally.documents} documents ({tally.fragments} "
               f"fragments), {tally.failed} failed")
    out.print(summary + (f", {tally.unchanged} unchanged" if tally.unchanged else ""))
    if tally.documents:
        out.print(f"{tally.documents} documents in {seconds:.2f} s: "
                  f"{tally.documents / seconds:,.0f} documents/s, "
                  f"{tally.added_bytes / seconds / 1e6:.2f} MB/s "
                  f"({jobs} job{'s' if jobs > 1 else ''})", highlight=False)
    else:
        out.print(f"{tally.files} files checked in {seconds:.2f} s; nothing new to store",
                  highlight=False)
    if tally.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Files to read.")],
    format: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl (one object per document), json or table.")] = "jsonl",
    authority: AuthorityOpt = None,
) -> None:
    """Run the pipeline without an archive and print what it reads (GUIDE §4 contract).

    Example: `cablegram extract samples/compilation/bulletin-1951-spring.txt --format table`
    """
    if format not in ("jsonl", "json", "table"):
        raise InputError(f"--format {format}: choose jsonl, json or table.")
    auth = _authority(authority)
    docs: list[dict[str, Any]] = []
    failed = 0
    for path in files:
        try:
            found = [d.to_contract() for d in extract_file(path, auth)]
        except CablegramError as exc:
            err.print(f"failed: {exc}", highlight=False)
            failed += 1
            continue
        if format == "jsonl":
            for d in found:
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        docs += found
    if format == "json":
        _print_json(docs)
    elif format == "table":
        print_table(out, docs)
    if failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[list[str], typer.Argument(
        help='Words, "phrases", prefix*, -exclude, OR, fields: from:stalin date:1950-07..')],
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, max=1000, help="Page of hits to show.")] = 1,
    sort: Annotated[str, typer.Option(help="relevance, date (oldest first) or -date.")]
    = "relevance",
    facets: Annotated[bool, typer.Option("--facets", help="Also print the facets.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as /api/search).")]
    = False,
) -> None:
    """Ranked search with highlighted snippets, in the query language of the reading room.

    Example: `cablegram search volunteers -Kaesong`, `cablegram search '"air cover"'`,
    `cablegram search 'from:stalin date:1950-10' --sort date --facets`
    """
    from cablegram.web.views.search import parse_sort, search_data

    result = search_data(Archive.open(archive), " ".join(query), page, parse_sort(sort), limit)
    if as_json:
        _print_json(result)
        return
    print_hits(out, result)
    if facets:
        print_facets(out, result["facets"])


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id (from search).")],
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One document: all its metadata, its text, and the file and lines it came from.

    Example: `cablegram show 71f96dc9596e-2`
    """
    doc = Archive(archive).document(doc_id)
    if as_json:
        _print_json(doc)
    else:
        print_document(out, doc)


@app.command()
def export(
    format: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl, csv, csv-agents, tei, cmif, chicago-note, chicago, "
        "bibtex, ris or csl-json.")],
    query: Annotated[str | None, typer.Option(
        "--query", "-q", help="Only the documents matching this search.")] = None,
    ids: Annotated[list[str] | None, typer.Option(
        "--id", help="Only this document (repeat for several).")] = None,
    out_path: Annotated[Path | None, typer.Option(
        "--out", "-o", help="File to write (default: standard output).")] = None,
    base_url: Annotated[str | None, typer.Option(
        help="Address of the reading room, cited as each document's URL.")] = None,
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
) -> None:
    """Write the archive (or the documents matching a query) in a standard format.

    `jsonl` is lossless: `cablegram ingest FILE.jsonl` into an empty archive restores it.

    Example: `cablegram export --format csv --query Shtykov --out shtykov.csv`
    """
    from cablegram.export import FORMATS

    if format not in FORMATS:
        err.print(f"error: no export format '{format}'. Choose one of: {', '.join(FORMATS)}.",
                  highlight=False)
        raise typer.Exit(2)
    fmt, body = Archive.open(archive).export(format, query, ids, base_url)
    if out_path is None:
        sys.stdout.write(body)
        return
    try:
        out_path.write_text(body, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{out_path}: cannot write ({exc.strerror or exc}).") from exc
    err.print(f"Wrote {out_path} ({fmt.name}, {len(body.encode('utf-8')):,} bytes).",
              highlight=False)


@app.command()
def reindex(archive: ArchiveOpt = DEFAULT_ARCHIVE) -> None:
    """Rebuild the search index from the store (the index is derived data).

    Example: `cablegram reindex --archive my-archive`
    """
    started = time.perf_counter()
    n = Archive(archive).reindex()
    out.print(f"Reindexed {n} documents in {time.perf_counter() - started:.2f} s.")


@app.command()
def serve(
    archive: ArchiveOpt = DEFAULT_ARCHIVE,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the reading room over HTTP.

    Example: `cablegram serve --archive my-archive --port 8000`
    """
    import uvicorn

    from cablegram.web.app import create_app

    web = create_app(archive)
    out.print(f"Reading room: http://{host}:{port}/  (press Ctrl+C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command(name="eval")
def evaluate_cmd(
    corpus: Annotated[Path, typer.Argument(
        help="Folder holding seeds/gold.json and frus/*.gold.jsonl, or collections with a "
             "gold.jsonl each (bench/corpus.py).")] = Path("../shared/corpus"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    authority: AuthorityOpt = None,
) -> None:
    """Score the pipeline against gold readings and print one row per gold set.

    Example: `cablegram eval ../shared/corpus`
    """
    from cablegram.eval import evaluate, total

    if not corpus.is_dir():
        raise InputError(f"{corpus}: no such folder; give the corpus folder (seeds/, frus/).")
    started = time.perf_counter()
    scores = evaluate(corpus, _authority(authority))
    if not scores:
        raise InputError(f"{corpus}: no gold files found (seeds/gold.json, frus/*.gold.jsonl, "
                         "*/gold.jsonl).")
    scores.append(total(scores))
    seconds = time.perf_counter() - started
    if as_json:
        rows = [{"gold": s.name, "documents": s.documents, **s.values} for s in scores]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        print_scores(out, scores)
    (err if as_json else out).print(
        f"{scores[-1].documents} gold documents scored in {seconds:.1f} s "
        f"({scores[-1].documents / max(seconds, 1e-9):,.0f} documents/s)", highlight=False)


authority_app = typer.Typer(help="The authority file: people, places and organisations.",
                            no_args_is_help=True)
app.add_typer(authority_app, name="authority")


@authority_app.command("check")
def authority_check(authority: AuthorityOpt = None) -> None:
    """Validate the shipped authority files (and yours): counts, then every problem found.

    Exit code 1 when something must be fixed; `ambiguous:` lines are warnings only.

    Example: `cablegram authority check --authority my/people.yaml`
    """
    from cablegram.authority.check import authority_counts, check_authority

    problems = check_authority(authority)
    errors = [p for p in problems if not p.startswith("ambiguous:")]
    if not errors:
        counts = authority_counts(authority)
        out.print(f"{counts['person']} people, {counts['place']} places, "
                  f"{counts['organization']} organisations")
    for p in problems:
        (err if p in errors else out).print(p, highlight=False, markup=False)
    out.print(f"{len(errors)} problems, {len(problems) - len(errors)} ambiguous names")
    if errors:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


def main() -> None:
    """Entry point: run the CLI; errors print their message (no traceback) and set the code."""
    try:
        app()
    except CablegramError as exc:
        err.print(f"error: {exc}", highlight=False)
        sys.exit(exc.exit_code)
