"""Reader for HTML: archive pages (both layouts) and generic articles, as lines of text.

Block elements become lines, inline elements run together, and page furniture (scripts,
styles, navigation, headers and footers, forms' controls) is dropped. An archive page keeps
all its text in reading order, so the page extractor reads it exactly as it reads the page
saved as plain text; any other page keeps only its main text. Each line records where it came
from as a short CSS path (`#content > div.transcript > p[3]`).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cablegram.errors import UnreadableFileError
from cablegram.model import Line, SourceText
from cablegram.readers.text import SNIFF, charset_name, decode, media_type

EXTENSIONS = (".html", ".htm")

# Elements dropped with everything inside them: never text of the page.
DROP_TAGS = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "iframe",
    "svg", "math", "canvas", "object", "embed", "button", "select", "textarea", "input",
    "option", "dialog",
]  # fmt: skip
# Elements dropped by their attributes or class: hidden parts and site furniture.
DROP_SELECTORS = [
    "[hidden]", "[aria-hidden=true]", "[role=navigation]", "[role=banner]",
    "[role=contentinfo]", ".sr-only", ".visually-hidden", ".skip-link", ".breadcrumb",
    ".breadcrumbs", ".cookie-banner", ".share", ".social",
]  # fmt: skip
# Tab panes that are not shown: a page shows one version of a document (the active tab).
INACTIVE_TABS = ".tab-pane:not(.active)"
# Elements that start and end a line.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "hgroup", "hr", "legend", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
# Where a generic page keeps its main text, tried in this order (the one with most text wins
# among several matches); without any, the block with the most paragraph text is taken.
MAIN_SELECTORS = ["article", "main", "[role=main]", "#content", ".content"]
DENSE_CANDIDATES = "div, section, td, body"
# A `<meta charset>` or `http-equiv` declaration near the top of the bytes.
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
SPACES = re.compile(r"\s+")


def _declared(data: bytes) -> str | None:
    """The charset a page declares in a meta tag, if any."""
    m = META_CHARSET.search(data[: SNIFF * 2])
    return m.group(1).decode("ascii", "replace") if m else None


def _strip_furniture(body: LexborNode) -> None:
    """Remove every element that is not text of the page."""
    selectors = [*DROP_TAGS, *DROP_SELECTORS]
    if body.css_first(".tab-pane.active") is not None:
        selectors.append(INACTIVE_TABS)
    for node in reversed(body.css(", ".join(selectors))):  # inner ones before their parents
        if node.mem_id != body.mem_id:
            node.decompose()


Positions = dict[int, tuple[int, int]]  # element → (index among same-tag siblings, count)


def _positions(parent: LexborNode, cache: dict[int, Positions]) -> Positions:
    """Each child's 1-based index among its same-tag siblings, and their count (cached)."""
    if parent.mem_id not in cache:
        children = list(parent.iter())
        counts: dict[str | None, int] = {}
        for child in children:
            counts[child.tag] = counts.get(child.tag, 0) + 1
        seen: dict[str | None, int] = {}
        out: Positions = {}
        for child in children:
            seen[child.tag] = seen.get(child.tag, 0) + 1
            out[child.mem_id] = (seen[child.tag], counts[child.tag])
        cache[parent.mem_id] = out
    return cache[parent.mem_id]


def _step(node: LexborNode, cache: dict[int, Positions]) -> str:
    """One step of a CSS path: `#id`, or tag, first class and index among same-tag siblings."""
    if node.id:
        return f"#{node.id}"
    classes = (node.attributes.get("class") or "").split()
    step = (node.tag or "") + (f".{classes[0]}" if classes else "")
    if node.parent is not None:
        index, count = _positions(node.parent, cache).get(node.mem_id, (1, 1))
        step += f"[{index}]" if count > 1 else ""
    return step


def css_path(node: LexborNode, cache: dict[int, Positions] | None = None) -> str:
    """A short CSS path to `node` from the body (or from its nearest ancestor with an id)."""
    cache = {} if cache is None else cache
    steps: list[str] = []
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html"):
        steps.append(_step(cur, cache))
        if cur.id:
            break
        cur = cur.parent
    return " > ".join(reversed(steps)) or "body"


class _Lines:
    """Collects text into lines, each with the path of the block it came from."""

    def __init__(self, root: LexborNode) -> None:
        """Start with no lines."""
        self.positions: dict[int, Positions] = {}
        self.steps: dict[int, tuple[str, ...]] = {}  # element → the steps of its css_path
        self.lines: list[str] = []
        self.origins: list[str] = []
        self.parts: list[str] = []
        self.block = root

    def flush(self) -> None:
        """End the current line, if it has any text."""
        if not self.parts:
            return
        text = SPACES.sub(" ", "".join(self.parts)).strip()
        self.parts = []
        if text:
            self.lines.append(text)
            self.origins.append(self.path(self.block))

    def pre(self, node: LexborNode) -> None:
        """Add a preformatted block line by line, keeping its own line breaks."""
        self.flush()
        for text in (node.text(deep=True) or "").split("\n"):
            if text.strip():
                self.lines.append(text.rstrip())
                self.origins.append(self.path(node))

    def path(self, node: LexborNode) -> str:
        """css_path(node), from the steps of its ancestors' paths (kept: lines share them)."""
        return " > ".join(self._steps(node)) or "body"

    def _steps(self, node: LexborNode | None) -> tuple[str, ...]:
        """The steps of css_path(node), top first."""
        chain: list[LexborNode] = []  # the node and its ancestors whose steps are not known
        top: tuple[str, ...] = ()
        while node is not None and node.tag not in ("body", "html"):
            if node.mem_id in self.steps:
                top = self.steps[node.mem_id]
                break
            chain.append(node)
            if node.id:
                break
            node = node.parent
        for cur in reversed(chain):
            step = _step(cur, self.positions)
            top = (step,) if cur.id else (*top, step)
            self.steps[cur.mem_id] = top
        return top


def _walk(node: LexborNode, out: _Lines) -> None:
    """Add the text under `node` to `out`: blocks and `<br>` break lines, inline runs on."""
    stack: list[tuple[LexborNode, LexborNode | None]] = [(node, None)]
    while stack:
        cur, leaving = stack.pop()
        if leaving is not None:  # the end of a block: back to the enclosing one
            out.flush()
            out.block = leaving
            continue
        if cur.is_text_node:
            out.parts.append(cur.text(deep=False) or "")
        elif cur.tag == "br":
            out.flush()
        elif cur.tag == "pre":
            out.pre(cur)
        elif cur.is_element_node:
            if cur.tag in BLOCK_TAGS:
                out.flush()
                stack.append((cur, out.block))
                out.block = cur
            stack.extend((c, None) for c in reversed(list(cur.iter(include_text=True))))
    out.flush()


def block_lines(root: LexborNode) -> tuple[list[str], list[str]]:
    """The text under `root` as lines, and where each line came from."""
    out = _Lines(root)
    _walk(root, out)
    return out.lines, out.origins


def _text_length(node: LexborNode) -> int:
    """How much text an element holds."""
    return len(SPACES.sub(" ", node.text(deep=True) or "").strip())


def _paragraph_text(node: LexborNode) -> int:
    """How much text the element's own paragraphs hold (its density as an article body)."""
    return sum(_text_length(c) for c in node.iter() if c.tag in ("p", "pre", "blockquote"))


def main_block(body: LexborNode) -> LexborNode:
    """The element holding a generic page's main text."""
    for selector in MAIN_SELECTORS:
        found = [n for n in body.css(selector) if _text_length(n)]
        if found:
            return max(found, key=_text_length)
    dense = max(body.css(DENSE_CANDIDATES), key=_paragraph_text, default=body)
    return dense if _paragraph_text(dense) else body


def _is_archive_page(lines: list[str]) -> bool:
    """Whether the lines are an archive page's (either layout)."""
    from cablegram.extract.page import looks_like_page  # the page layouts live with extract

    return looks_like_page([Line(t, i) for i, t in enumerate(lines, 1)])


def read_html(name: str, data: bytes) -> SourceText:
    """Decode an HTML file and turn it into lines: the whole page for an archive page, else
    its main text only."""
    text, codec = decode(name, data, _declared(data))
    tree = LexborHTMLParser(text)
    body = tree.body
    if body is None:
        raise UnreadableFileError(f"{name}: no HTML body found. Check that this is a web page "
                                  "saved as HTML, or give its text as a .txt file.")
    _strip_furniture(body)
    lines, origins = block_lines(body)
    if not _is_archive_page(lines):
        lines, origins = block_lines(main_block(body))
    return SourceText(name=name, text="\n".join(lines), media_type=media_type("text/html", codec),
                      reader="html", origins=origins, encoding=charset_name(codec))
