"""The queries one page makes, slowest first, with PostgreSQL's plan of the slowest ones.

Run:  DATABASE_URL=postgres://... .venv/bin/python bench/page_queries.py street / [--explain 3]
Requests the page through Django's test client as the demo login `username` (twice: the second
is measured), prints the page's total time, each query's time and, with --explain N, the
EXPLAIN (ANALYZE, BUFFERS) of the N slowest.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--explain", type=int, default=0)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.username))
    client.get(args.path)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(args.path)
        total = (time.perf_counter() - started) * 1000
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    spent = sum(float(q["time"]) for q in queries) * 1000
    print(f"{args.path} as {args.username}: HTTP {response.status_code}, {total:.0f} ms, "
          f"{len(queries)} queries taking {spent:.0f} ms")  # fmt: skip
    for query in queries:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")
    if connection.vendor != "postgresql":
        return
    for query in queries[: args.explain]:
        print("\n" + query["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])  # our own captured SQL
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
