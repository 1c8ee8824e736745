#!/usr/bin/env python3
"""Makes an upgrade fixture from a release binary (issue #23): a small site as that
release leaves it, on SQLite and as a plain-SQL PostgreSQL dump, with the export that
release gives of it. `crates/warta/tests/upgrade.rs` opens both with the current code,
migrates them forward and compares the export.

    tools/make_upgrade_fixture.py RELEASE_BINARY NAME [POSTGRES_URL]

writes crates/warta/tests/fixtures/upgrade/NAME/{warta.db,postgres.sql,export.jsonl}.
The site: the demo's 28 articles, an editor and a contributor, newsroom saves
(revisions), a correction, related pins and an exclude. Dev only: it needs the
release binary, sqlite3, psql and pg_dump.
"""

import html
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PASSWORD = "kata-sandi-panjang"


class Browser:
    def __init__(self, base):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def get(self, path):
        with self.opener.open(self.base + path) as r:
            return r.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data) as r:
                return r.status
        except urllib.error.HTTPError as e:
            if e.code in (302, 303):
                return e.code
            raise


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def field(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % name, page)
    return html.unescape(m.group(1)) if m else ""


def textarea(page, name):
    m = re.search(r'<textarea id="%s"[^>]*>(.*?)</textarea>' % name, page, re.S)
    return html.unescape(m.group(1)) if m else ""


def edit(b, article, changes):
    page = b.get("/admin/articles/%d" % article)
    fields = {n: field(page, n) for n in ("csrf", "base", "headline", "dateline_place", "hero", "publish_at", "section", "language")}
    fields["csrf"] = re.search(r'data-csrf="([^"]+)"', page).group(1) if not fields["csrf"] else fields["csrf"]
    for n in ("lede", "body", "tags", "pins", "excludes"):
        fields[n] = textarea(page, n) or field(page, n)
    sel = re.search(r'<option value="([^"]+)" selected', page)
    if sel:
        fields["section"] = sel.group(1)
    fields["action"] = "save"
    fields.update(changes)
    status = b.post("/admin/articles/%d" % article, fields)
    assert status == 303, (article, status)
    return page


def main():
    binary, name = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else "postgres://postgres@127.0.0.1:5432/test"
    out = os.path.join("crates/warta/tests/fixtures/upgrade", name)
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp()
    data = os.path.join(work, "data")
    port = "18099"
    server = subprocess.Popen([binary, "serve", "--demo", "--data", data, "--listen", "127.0.0.1:" + port])
    try:
        base = "http://127.0.0.1:" + port
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/").read()
                break
            except Exception:
                time.sleep(0.2)
        for email, who, role in (("ed@warta.test", "Edi Tor", "editor"), ("kon@warta.test", "Kon Tri", "contributor")):
            subprocess.run([binary, "user", "add", email, "--name", who, "--role", role, "--password-stdin", "--data", data],
                           input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
        b = Browser(base)
        token = field(b.get("/admin/login"), "token")
        assert b.post("/admin/login", {"email": "ed@warta.test", "password": PASSWORD, "token": token, "next": "/admin"}) == 303
        # Newsroom saves (revisions), pins and an exclude, a correction.
        edit(b, 1, {"lede": "Ringkasan yang disunting di ruang redaksi.", "pins": "5, 9", "excludes": "12"})
        page = edit(b, 2, {"headline": "Judul yang disunting redaksi"})
        csrf = field(page, "csrf") or re.search(r'data-csrf="([^"]+)"', page).group(1)
        assert b.post("/admin/articles/2/correction", {"csrf": csrf, "text": "Nama pejabat diperbaiki."}) == 303
        edit(b, 3, {"body": "Paragraf pertama yang ditulis ulang.\n\nParagraf kedua."})
    finally:
        server.terminate()
        server.wait()
    subprocess.run([binary, "export", "--data", data, "--out", os.path.join(out, "export.jsonl")], check=True)
    db = os.path.join(data, "warta.db")
    subprocess.run(["sqlite3", db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"], check=True)
    shutil.copy(db, os.path.join(out, "warta.db"))
    schema = "warta_fixture"
    subprocess.run(["psql", pg, "-qc", "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s" % (schema, schema)], check=True)
    sep = "&" if "?" in pg else "?"
    subprocess.run([binary, "copy-store", "--from", "sqlite://" + db, "--to", pg + sep + "options[search_path]=" + schema], check=True,
                   stdout=subprocess.DEVNULL)
    dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--inserts", "-n", schema, pg],
                          check=True, capture_output=True, text=True).stdout
    # psql's own commands (\restrict…) and settings a plain connection cannot run stay out.
    lines = [l for l in dump.splitlines() if not l.startswith("\\")]
    with open(os.path.join(out, "postgres.sql"), "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["psql", pg, "-qc", "DROP SCHEMA %s CASCADE" % schema], check=True)
    shutil.rmtree(work)
    print("wrote", out)


if __name__ == "__main__":
    main()
