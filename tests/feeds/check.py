#!/usr/bin/env python3
"""Checks Warta's feeds and sitemaps with the clients the rest of the web uses.

    python3 tests/feeds/check.py WARTA_BINARY SCHEMA_DIR

Starts `warta serve --demo` on a fresh data folder and a free loopback port, then:
- every sitemap validates with `xmllint --schema` against the sitemaps.org schemas in
  SCHEMA_DIR (the news sitemap also against `sitemap-news.xsd` beside this script);
- every feed (home, each section, each topic of the demo articles; RSS and Atom)
  parses with `feedparser` without its `bozo` flag, with entries whose links and
  dates are there;
- unknown feed and sitemap addresses are 404s.
Exits non-zero, naming the address and the reason, on the first failure.
"""

import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import feedparser

HERE = Path(__file__).resolve().parent


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def start(binary):
    data = tempfile.mkdtemp(prefix="warta-feeds-")
    proc = subprocess.Popen(
        [binary, "serve", "--demo", "--data", data, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.time() + 60
    log = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                fail(f"warta exited with {proc.returncode}:\n{log}")
            continue
        log += line
        m = re.search(r"Warta is serving (http://\S+)", line)
        if m:
            return proc, m.group(1).rstrip("/")
    proc.kill()
    fail(f"warta did not start in 60 s:\n{log}")


def get(url, want=200):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    if status != want:
        fail(f"{url}: status {status}, expected {want}")
    return body


def validate(url, body, schema):
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(body)
        f.flush()
        r = subprocess.run(
            ["xmllint", "--noout", "--schema", str(schema), f.name],
            capture_output=True,
            text=True,
        )
    if r.returncode != 0:
        fail(f"{url} does not validate against {schema.name}:\n{r.stderr}")


def locs(body):
    return re.findall(rb"<loc>([^<]+)</loc>", body)


def main():
    if len(sys.argv) != 3:
        fail("usage: check.py WARTA_BINARY SCHEMA_DIR")
    binary, schemas = sys.argv[1], Path(sys.argv[2]).resolve()
    proc, base = start(binary)
    try:
        check(base, schemas)
    finally:
        proc.terminate()


def check(base, schemas):
    # The demo's settings name http://127.0.0.1:8080; addresses are read back against
    # wherever this server listens.
    def local(url):
        return re.sub(r"^https?://[^/]+", base, url.decode() if isinstance(url, bytes) else url)

    robots = get(base + "/robots.txt").decode()
    if "Sitemap: " not in robots:
        fail("robots.txt names no sitemap")

    # A schema that knows both the sitemaps.org and the news namespace, for the news
    # sitemap (the sitemaps.org schema admits other namespaces only strictly).
    tmp = Path(tempfile.mkdtemp(prefix="warta-xsd-"))
    news_schema = tmp / "news-sitemap.xsd"
    news_schema.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
        '  <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'schemaLocation="{(schemas / "sitemap.xsd").as_uri()}"/>\n'
        '  <xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" '
        f'schemaLocation="{(HERE / "sitemap-news.xsd").as_uri()}"/>\n'
        "</xsd:schema>\n"
    )

    index_url = base + "/sitemap.xml"
    index = get(index_url)
    validate(index_url, index, schemas / "siteindex.xsd")
    articles = []
    sitemaps = [local(u) for u in locs(index)]
    if not any(u.endswith("/sitemap-news.xml") for u in sitemaps):
        fail("the sitemap index does not list the news sitemap")
    for url in sitemaps:
        body = get(url)
        if url.endswith("/sitemap-news.xml"):
            validate(url, body, news_schema)
            if b"<news:title>" not in body:
                fail(f"{url}: the demo's latest stories are missing")
        else:
            validate(url, body, schemas / "sitemap.xsd")
            pages = [local(u) for u in locs(body)]
            if url.endswith("/sitemaps/indeks.xml"):
                for u in pages:
                    get(u)  # each day and page listed answers 200
            # An article's address is /{section}/{yyyy}/{mm}/{dd}/{slug}; the Indeks'
            # sitemap also lists days and the publication's pages.
            articles += [u for u in pages if len(u[len(base) :].strip("/").split("/")) == 5]
    print(f"sitemaps: {len(sitemaps)} valid, {len(articles)} article addresses")
    if not articles:
        fail("no article in any sitemap")

    # Feeds: the site's, each section's, each topic's found on the demo articles.
    sections = sorted({u[len(base) :].split("/")[1] for u in articles})
    topics = set()
    for url in articles:
        page = get(url).decode()
        topics.update(re.findall(r'href="/topik/([^"/?#]+)"', page))
    feeds = ["/rss.xml", "/atom.xml"]
    for s in sections:
        feeds += [f"/{s}/rss.xml", f"/{s}/atom.xml"]
    for t in sorted(topics):
        feeds += [f"/topik/{t}/rss.xml", f"/topik/{t}/atom.xml"]
    for path in feeds:
        url = base + path
        parsed = feedparser.parse(get(url))
        if parsed.bozo:
            fail(f"{url}: feedparser says bozo: {parsed.bozo_exception}")
        if not parsed.entries:
            fail(f"{url}: no entries")
        for e in parsed.entries:
            if not e.get("link", "").startswith("http"):
                fail(f"{url}: an entry without an absolute link: {e.get('title')}")
            if not e.get("published_parsed"):
                fail(f"{url}: an entry without a date: {e.get('title')}")
    print(f"feeds: {len(feeds)} parse without bozo ({len(sections)} sections, {len(topics)} topics)")

    for path in ["/tiada/rss.xml", "/topik/tiada/atom.xml", "/sitemaps/1999-01.xml", f"/{sections[0]}/feed.json"]:
        get(base + path, want=404)
    print("unknown feeds and sitemaps: 404")


if __name__ == "__main__":
    main()
