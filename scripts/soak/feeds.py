#!/usr/bin/env python3
"""scripts/soak/feeds.py — the feed server of scripts/soak.sh: a few hundred RSS feeds whose
items it knows, and a set of hostile ones, on loopback only.

  feeds.py --port P --feeds N --out DIR [--step-min S] [--step-max S] [--grow-for S] [--event FILE]

Normal feed i is served at http://127.0.1.<1 + i % 10>:P/feed/<i>.xml (ten hosts, so the
poller's per-host limit is not what paces them); its item j appears at start + j * step_i
(step_i drawn from [step-min, step-max], 3 items from the start) and stays listed. Item text
is pseudo-words drawn per (feed, item), so no two items are near-duplicates.

Every item the server lists in a 200 response is appended once to DIR/served.tsv
(feed, guid, link, kind), so the consumer side knows exactly what must appear: kind is
"normal", "event" (the event feed), or the hostile feed's name for items a hostile feed
served whole. DIR/requests.tsv logs each request (time, path, status, user agent).

Hostile feeds, each on its own host 127.0.2.<k>:P (a slow one blocks only itself):
  malformed  truncated XML, cut mid-item            badutf8   invalid UTF-8 bytes in titles
  huge       one item of 3 MB text + small items    slow      35 s before the headers
  trickle    the body one line a second             redirect  302 to a normal feed
  loop       a redirect loop                        flaky500  500 every other request, else items
  always500  500 always                             html      an HTML page, not a feed
  empty      200 with no body                       many      1,200 items (over max_items)
  retry429   429 with Retry-After: 5, every third request serves its items
"""
import argparse
import hashlib
import http.server
import os
import random
import socketserver
import sys
import threading
import time
from email.utils import formatdate

HOSTILE = ["malformed", "badutf8", "huge", "slow", "trickle", "redirect", "loop", "flaky500",
           "always500", "html", "empty", "many", "retry429"]

SYL = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "ne", "dri", "pa", "qua", "ze", "bo", "li",
       "mor", "fe", "gan", "hi", "jo", "ul", "tri", "wes", "xa", "yo", "cor", "dan", "el", "fin"]


def words(seed, n):
    r = random.Random(repr(seed))
    return " ".join("".join(r.choice(SYL) for _ in range(r.randint(2, 4))) for _ in range(n))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class State:
    def __init__(self, args):
        self.args = args
        self.start = time.time()
        self.lock = threading.Lock()
        self.logged = set()
        self.counts = {}
        r = random.Random(42)
        self.steps = [r.uniform(args.step_min, args.step_max) for _ in range(args.feeds)]
        self.event = []
        if args.event:
            for line in open(args.event, encoding="utf-8"):
                if "\t" in line and not line.startswith("#"):
                    self.event.append(line.rstrip("\n").split("\t", 1))
        os.makedirs(args.out, exist_ok=True)
        self.served = open(os.path.join(args.out, "served.tsv"), "a", buffering=1, encoding="utf-8")
        self.reqlog = open(os.path.join(args.out, "requests.tsv"), "a", buffering=1, encoding="utf-8")

    def visible(self, step, initial=3):
        # After --grow-for seconds no item appears any more, so a run can drain and be checked.
        return initial + int(min(time.time() - self.start, self.args.grow_for) / step)

    def note(self, feed, items, kind):
        with self.lock:
            for guid, link in items:
                if (feed, guid) not in self.logged:
                    self.logged.add((feed, guid))
                    self.served.write(f"{feed}\t{guid}\t{link}\t{kind}\n")

    def nth(self, name):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1
            return self.counts[name]


def rss(items, title="Soak feed"):
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>',
           f"<title>{esc(title)}</title><link>https://soak.example/</link><language>en</language>"]
    for it in items:
        out.append(f"<item><title>{it['title']}</title><link>{it['link']}</link>"
                   f"<guid>{it['guid']}</guid><pubDate>{it['date']}</pubDate>"
                   f"<description>{it['text']}</description></item>")
    out.append("</channel></rss>")
    return "".join(out)


def normal_items(st, i, upto=None):
    n = st.visible(st.steps[i]) if upto is None else upto
    items = []
    for j in range(n - 1, -1, -1):
        at = st.start + max(j - 2, 0) * st.steps[i]
        items.append({"title": esc(words((i, j, "t"), 8)), "link": f"https://soak.example/{i}/{j}",
                      "guid": f"soak-{i}-{j}", "date": formatdate(at), "text": esc(words((i, j, "d"), 40))})
    return items


def hostile_items(name, n, text_words=30):
    return [{"title": esc(words((name, j, "t"), 8)), "link": f"https://hostile.example/{name}/{j}",
             "guid": f"hostile-{name}-{j}", "date": formatdate(time.time() - 3600),
             "text": esc(words((name, j, "d"), text_words))} for j in range(n)]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    st = None

    def log_message(self, *a):
        pass

    def reply(self, code, body=b"", ctype="application/rss+xml; charset=utf-8", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.st.reqlog.write(f"{time.time():.3f}\t{self.headers.get('Host')}{self.path}\t{code}\t{self.headers.get('User-Agent')}\n")

    def serve_items(self, feed, items, kind):
        body = rss(items).encode()
        self.reply(200, body)
        self.st.note(feed, [(it["guid"], it["link"]) for it in items], kind)

    def do_GET(self):
        st, p = self.st, self.path
        try:
            if p.startswith("/feed/") and p.endswith(".xml"):
                i = int(p[len("/feed/"):-4])
                return self.serve_items(f"feed/{i}", normal_items(st, i), "normal")
            if p == "/event.xml":
                n = min(len(st.event), st.visible(60.0, 2))
                items = [{"title": esc(t), "link": f"https://harbour-news.example/2026/strike-{k:02d}",
                          "guid": f"harbour-{k:02d}", "date": formatdate(st.start + k * 60),
                          "text": esc(x)} for k, (t, x) in enumerate(st.event[:n])][::-1]
                return self.serve_items("event", items, "event")
            if p.startswith("/hostile/"):
                return self.hostile(p[len("/hostile/"):])
            self.reply(404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_HEAD = do_GET

    def hostile(self, name):
        st = self.st
        k = st.nth(name)
        if name == "malformed":
            body = rss(hostile_items(name, 3))
            return self.reply(200, body[: len(body) * 2 // 3].encode())
        if name == "badutf8":
            items = hostile_items(name, 3)
            body = rss(items).encode().replace(b"<title>", b"<title>\xff\xfe bad \xc3\x28 ", 3)
            self.reply(200, body)
            return st.note(name, [(it["guid"], it["link"]) for it in items], name)
        if name == "huge":
            items = hostile_items(name, 3)
            items[1]["text"] = esc(words((name, "huge"), 1)) * 1 + " x" * 1_500_000
            return self.serve_items(name, items, name)
        if name == "slow":
            time.sleep(35)
            return self.serve_items(name, hostile_items(name, 2), name)
        if name == "trickle":
            items = hostile_items(name, 2)
            body = rss(items).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for off in range(0, len(body), 200):
                self.wfile.write(body[off:off + 200])
                self.wfile.flush()
                time.sleep(1)
            st.reqlog.write(f"{time.time():.3f}\ttrickle\t200\t{self.headers.get('User-Agent')}\n")
            return st.note(name, [(it["guid"], it["link"]) for it in items], name)
        if name == "redirect":
            return self.reply(302, b"", headers={"Location": f"http://127.0.1.1:{st.args.port}/feed/0.xml"})
        if name == "loop":
            return self.reply(302, b"", headers={"Location": f"/hostile/loop?n={k}"})
        if name.startswith("loop?"):
            return self.reply(302, b"", headers={"Location": f"/hostile/loop?n={k}"})
        if name == "flaky500":
            if k % 2:
                return self.reply(500, b"internal error", "text/plain")
            return self.serve_items(name, hostile_items(name, 3), name)
        if name == "always500":
            return self.reply(500, b"internal error", "text/plain")
        if name == "html":
            return self.reply(200, b"<html><body><h1>Not a feed</h1></body></html>", "text/html")
        if name == "empty":
            return self.reply(200, b"")
        if name == "many":
            if not MANY:
                MANY.extend(hostile_items(name, 1200, 5))
            return self.serve_items(name, MANY, name)
        if name == "retry429":
            if k % 3:
                return self.reply(429, b"slow down", "text/plain", {"Retry-After": "5"})
            return self.serve_items(name, hostile_items(name, 2), name)
        self.reply(404, b"no such hostile feed", "text/plain")


MANY = []


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--out", required=True)
    ap.add_argument("--step-min", type=float, default=30)
    ap.add_argument("--step-max", type=float, default=120)
    ap.add_argument("--grow-for", type=float, default=1e9, help="seconds during which items keep appearing")
    ap.add_argument("--event")
    ap.add_argument("--urls", action="store_true", help="print the feed URLs and exit")
    args = ap.parse_args()
    hosts = [f"127.0.1.{1 + h}" for h in range(10)] + [f"127.0.2.{1 + h}" for h in range(len(HOSTILE) + 1)]
    if args.urls:
        for i in range(args.feeds):
            print(f"http://127.0.1.{1 + i % 10}:{args.port}/feed/{i}.xml")
        if args.event:
            print(f"http://127.0.2.{len(HOSTILE) + 1}:{args.port}/event.xml")
        for k, name in enumerate(HOSTILE):
            print(f"http://127.0.2.{1 + k}:{args.port}/hostile/{name}")
        return
    Handler.st = State(args)
    for h in hosts:
        srv = Server((h, args.port), Handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print(f"feeds.py: serving {args.feeds} feeds and {len(HOSTILE)} hostile ones on port {args.port}", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
