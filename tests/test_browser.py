"""Browser tests: a historian's path through the reading room in Debian's chromium.

Each step asserts what is on screen and saves a screenshot under tests/artifacts/. The
selectors are roles, accessible names and link text, so restyling a page does not break them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from cablegram.web import urls
from tests.conftest import Browsing

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="browser tests need playwright: make install")
expect = sync_api.expect
pytestmark = pytest.mark.browser

FIELD_QUERY = "from:stalin"
_SUMMARY = re.compile(r"Results 1–(\d+) of (\d+) for")
_GRAPH_FRAME = re.compile(r"^Correspondence network \(zoom")
_BY_STALIN = re.compile(r"^[^,]+, (Filippov \[Stalin\]|(Joseph )?Stalin)( |$)")  # in titles


def no_trouble(tab: Browsing) -> None:
    """Fail when a page had a script or console error or asked for another host."""
    assert tab.errors == [], tab.errors
    assert tab.outside == [], tab.outside


# What reaches past the right edge of the screen: elements not clipped by a scrolling
# ancestor (an absolutely placed one escapes it). A phone widens its layout viewport to the
# widest content, so the screen's width is the measure, not innerWidth.
_TOO_WIDE = """width => [...document.querySelectorAll("body *")].filter(el => {
  if (el.getBoundingClientRect().right <= width + 1) return false;
  const placed = ["absolute", "fixed"].includes(getComputedStyle(el).position);
  for (let up = el.parentElement; up && !placed; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== "visible") return false;
  }
  return true;
}).slice(-5).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                 + " to " + Math.round(el.getBoundingClientRect().right) + " px")"""


def fits_width(page: Any) -> None:
    """Fail when the page is wider than the screen (it would scroll sideways)."""
    page.wait_for_load_state("load")  # the stylesheet applied
    screen = page.viewport_size["width"]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    too_wide = page.evaluate(_TOO_WIDE, screen) if width > screen else []
    assert width <= screen, f"{page.url}: {width} px wide on a {screen} px screen: {too_wide}"


def hits_of(page: Any) -> list[dict[str, str]]:
    """The hits on a search page: title and meta line of each, in order."""
    hits = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2))
    return [{"title": hits.nth(i).get_by_role("heading").inner_text().strip(),
             "meta": hits.nth(i).locator("p.meta").inner_text().strip()}
            for i in range(hits.count())]


def check_field_search(page: Any) -> list[dict[str, str]]:
    """On the results of FIELD_QUERY: every hit is by Stalin and the count is right."""
    expect(page).to_have_url(re.compile(r"/search\?q=from%3Astalin"))
    expect(page).to_have_title(re.compile("Search: from:stalin"))
    summary = page.get_by_text(_SUMMARY)
    expect(summary).to_be_visible()
    match = _SUMMARY.search(summary.inner_text())
    assert match
    hits = hits_of(page)
    assert len(hits) == int(match.group(1)) >= 2
    for hit in hits:
        assert _BY_STALIN.search(hit["title"]), hit["title"]
    return hits


def narrow_by_recipient(tab: Browsing) -> tuple[str, int]:
    """Click the strongest value of the "To" facet; check the hits narrowed to it."""
    page = tab.page
    facets = page.get_by_role("complementary", name="Narrow the results")
    group = facets.locator("details").filter(
        has=page.locator("summary", has_text=re.compile(r"^To$")))
    facet = group.get_by_role("listitem").first
    label = facet.get_by_role("link").inner_text().strip()
    count = int(facet.locator(".count").inner_text())
    facet.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/search\?q=from%3Astalin%20to%3A"))
    hits = check_field_search(page)
    assert page.get_by_text(_SUMMARY).inner_text().count(f" of {count} ") == 1
    assert len(hits) == min(count, 10)
    surname = label.split()[-1]
    for hit in hits:
        assert f" to {surname}" in hit["title"] or f" to {label}" in hit["title"], hit["title"]
    chosen = facets.locator('[aria-current="true"]', has_text=label)
    expect(chosen).to_be_visible()
    expect(chosen).to_have_attribute("title", "Remove this filter")
    return label, count


def open_first_hit(tab: Browsing) -> str:
    """Open the first hit and check its heading, date, type and author on screen."""
    page = tab.page
    first = hits_of(page)[0]
    page.get_by_role("link", name=first["title"], exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/documents/[^/?#]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(first["title"])
    description = page.locator("section").filter(
        has=page.get_by_role("heading", name="Description"))
    date, kind = first["meta"].split(" · ")[:2]
    expect(description).to_contain_text(date)
    expect(description).to_contain_text(kind)
    expect(page.get_by_role("link", name="Read the text")).to_be_visible()
    return first["title"]


def author_link(page: Any) -> Any:
    """On a document by Stalin: the link of the author's name to his page."""
    authors = page.locator("section").filter(
        has=page.get_by_role("heading", name="Correspondents")).locator("dt:text-is('From') + dd")
    link = authors.locator(f'a[href="{urls.person("stalin")}"]')
    expect(link).to_contain_text("Stalin")
    return link


def follow_author(tab: Browsing) -> None:
    """From a document by Stalin, follow the author to his page; check names and tallies."""
    page = tab.page
    author_link(page).click()
    expect(page).to_have_url(re.compile(re.escape(urls.person("stalin")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Joseph Stalin")
    names = page.locator("section").filter(
        has=page.get_by_role("heading", name="Names and offices"))
    expect(names.locator("dt:text-is('Pseudonyms') + dd")).to_contain_text("Filippov")
    expect(page.get_by_role("heading", name="Most frequent correspondents")).to_be_visible()


# Each node link of the graph whose circle's centre is under something else, and what.
_COVERED_NODES = """svg => [...svg.querySelectorAll("a[href]")].flatMap(node => {
  const name = a => a.querySelector("title").textContent.split(":")[0];
  node.querySelector("circle").scrollIntoView({block: "center", inline: "center"});
  const box = node.querySelector("circle").getBoundingClientRect();
  const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  const over = top && top.closest("a[href]");
  return over === node ? [] : [`${name(node)} (under ${over ? name(over) : top.tagName})`];
})"""


def click_node(tab: Browsing, name: str) -> None:
    """Open the network from the site menu, zoom with its buttons, then click `name`."""
    page = tab.page
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Network").click()
    expect(page).to_have_url(re.compile(re.escape(urls.network()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")
    graph = page.get_by_role("img", name="Correspondence network")
    frame = page.get_by_label(_GRAPH_FRAME)  # the label the script gives the zoomable frame
    expect(graph).to_be_visible()
    expect(page.get_by_role("heading", name="Correspondents by documents")).to_be_visible()
    page.get_by_role("button", name="Zoom in").click()
    expect(frame).to_have_attribute("data-zoom", "1.25")
    page.get_by_role("button", name="Reset view").click()
    expect(frame).to_have_attribute("data-zoom", "1.00")
    tab.shot("path-6-network")
    covered = graph.evaluate(_COVERED_NODES)
    assert covered == [], f"node circles that another node's label or circle covers: {covered}"
    node = graph.get_by_role("link", name=re.compile("^" + re.escape(name) + ": \\d+ document"))
    expect(node).to_have_count(1)
    node.locator("circle").click()  # the circle, as a reader would
    expect(page).to_have_url(re.compile(r"/people/[^/?#]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_user_path(desktop: Browsing) -> None:
    """Home → search with a field filter → click a facet → open a document → follow a
    person → open the network and click a node."""
    page = desktop.page
    response = desktop.go(urls.home())
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading room")
    expect(page.get_by_role("heading", name="In this archive")).to_be_visible()
    desktop.shot("path-1-home")

    box = page.get_by_role("main").get_by_role("searchbox", name="Search the documents")
    box.fill(FIELD_QUERY)
    box.press("Enter")
    check_field_search(page)
    expect(page.get_by_role("searchbox", name="Search the documents")).to_have_value(FIELD_QUERY)
    desktop.shot("path-2-search")

    recipient, _ = narrow_by_recipient(desktop)
    desktop.shot("path-3-facet")
    open_first_hit(desktop)
    desktop.shot("path-4-document")
    follow_author(desktop)
    expect(page.get_by_role("table").get_by_role("link", name=recipient)).to_have_count(1)
    desktop.shot("path-5-person")
    click_node(desktop, recipient)
    desktop.shot("path-7-node")
    no_trouble(desktop)


def test_phone(phone: Browsing) -> None:
    """On a phone: home, results, a document, a person and the network all fit the screen
    (no sideways scrolling), and links work by tapping."""
    page = phone.page
    phone.go(urls.home())
    box = page.get_by_role("main").get_by_role("searchbox", name="Search the documents")
    expect(box).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button", name="Search")).to_be_visible()
    fits_width(page)
    phone.shot("phone-1-home")

    box.tap()
    box.fill(FIELD_QUERY)
    box.press("Enter")
    hits = check_field_search(page)
    fits_width(page)
    phone.shot("phone-2-search")

    page.get_by_role("link", name=hits[-1]["title"], exact=True).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(hits[-1]["title"])
    fits_width(page)
    phone.shot("phone-3-document")

    author_link(page).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joseph Stalin")
    fits_width(page)
    phone.shot("phone-4-person")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Network").tap()
    expect(page.get_by_role("img", name="Correspondence network")).to_be_visible()
    fits_width(page)
    phone.shot("phone-5-network")
    no_trouble(phone)


def tab_to(page: Any, target: Any, limit: int = 80) -> int:
    """Press Tab until `target` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def test_keyboard_only(desktop: Browsing) -> None:
    """By keyboard alone: skip link first, Tab to the search box, type, Enter; Tab to a hit,
    its author, the network; zoom the graph with + and 0; open a node with Enter."""
    page = desktop.page
    desktop.go(urls.home())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    box = page.get_by_role("searchbox", name="Search the archive")
    assert tab_to(page, box) <= 3  # skip link, site name, then the search box
    page.keyboard.type(FIELD_QUERY)
    page.keyboard.press("Enter")
    hits = check_field_search(page)
    desktop.shot("keyboard-1-search")

    link = page.get_by_role("link", name=hits[0]["title"], exact=True).first
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(hits[0]["title"])
    desktop.shot("keyboard-2-document")

    tab_to(page, author_link(page))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Joseph Stalin")
    tab_to(page, page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name="Network"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network")

    frame = page.get_by_label(_GRAPH_FRAME)
    tab_to(page, frame)
    page.keyboard.press("+")
    expect(frame).to_have_attribute("data-zoom", "1.25")
    page.keyboard.press("0")
    expect(frame).to_have_attribute("data-zoom", "1.00")
    node = page.get_by_role("img", name="Correspondence network").get_by_role(
        "link", name=re.compile(r"^Terentii Shtykov: \d+ document"))
    tab_to(page, node)
    desktop.shot("keyboard-3-network")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terentii Shtykov")
    no_trouble(desktop)
