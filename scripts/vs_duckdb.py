#!/usr/bin/env python3
"""DuckDB's side of scripts/bench-vs-duckdb: loads the book that Recouvre's benchmark wrote
as CSV, runs the same aged balance by debtor and simple DSO in SQL, checks that both give
the same figures, and prints both times and their ratio.

    python3 scripts/vs_duckdb.py DIR RECOUVRE_JSON [ITERATIONS]
"""

import json
import statistics
import sys
import time

import duckdb

BOUNDS = (30, 60, 90, 180)  # Recouvre's default buckets: not due, 1-30, ..., > 180


def bucket_case():
    parts = ["WHEN $d - c.due_day <= 0 THEN 0"]
    for i, bound in enumerate(BOUNDS, start=1):
        parts.append(f"WHEN $d - c.due_day <= {bound} THEN {i}")
    return "CASE " + " ".join(parts) + f" ELSE {len(BOUNDS) + 1} END"


N = len(BOUNDS) + 2

# The aged balance by debtor as of day $d, as Recouvre's `aged_by(.., GroupBy::Debtor)`:
# what is open on each claim issued by then (its entries dated up to then), in the bucket of
# its days past due; claims with nothing open left out; one line per debtor and currency
# with its name, counts and amounts per bucket, total and overdue; largest first within a
# currency. The result is kept in a table, as Recouvre keeps its report in memory.
AGING = f"""
CREATE OR REPLACE TEMP TABLE aging AS
WITH open AS (
    SELECT claim_id, sum(amount_minor) AS open
    FROM entries WHERE day <= $d GROUP BY claim_id
), aged AS (
    SELECT c.debtor_id, c.currency, o.open, {bucket_case()} AS b
    FROM claims c JOIN open o ON o.claim_id = c.id
    WHERE c.issue_day <= $d AND o.open > 0
)
SELECT a.debtor_id, any_value(d.name) AS name, a.currency,
    {", ".join(f"count(*) FILTER (WHERE b = {i}) AS n{i}" for i in range(N))},
    {", ".join(f"coalesce(sum(open) FILTER (WHERE b = {i}), 0) AS s{i}" for i in range(N))},
    sum(open) AS total,
    coalesce(sum(open) FILTER (WHERE b > 0), 0) AS overdue
FROM aged a LEFT JOIN debtors d ON d.id = a.debtor_id
GROUP BY a.debtor_id, a.currency
ORDER BY a.currency, total DESC, CAST(a.debtor_id AS VARCHAR)
"""

# The simple DSO at the end of day $d over the $days days ending then, per currency:
# receivables open (positive balances of the claims issued by then) ÷ the invoice entries,
# dated up to $d, of the claims issued in the period × days.
DSO = """
WITH open AS (
    SELECT c.currency, sum(e.amount_minor) AS open
    FROM claims c JOIN entries e ON e.claim_id = c.id
    WHERE c.issue_day <= $d AND e.day <= $d
    GROUP BY c.id, c.currency
), receivables AS (
    SELECT currency, sum(open) AS receivables FROM open WHERE open > 0 GROUP BY currency
), sales AS (
    SELECT c.currency, sum(e.amount_minor) AS sales
    FROM claims c JOIN entries e ON e.claim_id = c.id
    WHERE c.issue_day BETWEEN $d - $days + 1 AND $d AND e.kind = 'invoice' AND e.day <= $d
    GROUP BY c.currency
)
SELECT coalesce(r.currency, s.currency) AS currency,
    coalesce(r.receivables, 0) AS receivables, coalesce(s.sales, 0) AS sales,
    round(coalesce(r.receivables, 0) * $days / s.sales, 1) AS days
FROM receivables r FULL JOIN sales s ON s.currency = r.currency
ORDER BY currency
"""


def main():
    folder, recouvre_json = sys.argv[1], sys.argv[2]
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    ours = json.load(open(recouvre_json))
    for k in ("median", "fastest", "slowest"):
        ours[f"{k}_ms"] = ours[f"{k}_us"] / 1000
    day, days = ours["as_of_day"], ours["dso_days"]

    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(f"CREATE TABLE debtors AS SELECT * FROM read_csv('{folder}/debtors.csv', header = true, columns = {{'id': 'BIGINT', 'name': 'VARCHAR'}})")
    con.execute(f"CREATE TABLE claims AS SELECT * FROM read_csv('{folder}/claims.csv', header = true, columns = {{'id': 'BIGINT', 'debtor_id': 'BIGINT', 'currency': 'VARCHAR', 'issue_day': 'INTEGER', 'due_day': 'INTEGER'}})")
    con.execute(f"CREATE TABLE entries AS SELECT * FROM read_csv('{folder}/entries.csv', header = true, columns = {{'claim_id': 'BIGINT', 'day': 'INTEGER', 'kind': 'VARCHAR', 'amount_minor': 'BIGINT'}})")
    load_ms = (time.perf_counter() - started) * 1000

    times = []
    dso = None
    for _ in range(max(iterations, 1)):
        t = time.perf_counter()
        con.execute(AGING, {"d": day})
        dso = con.execute(DSO, {"d": day, "days": days}).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    duck_ms = statistics.median(times)

    # The same figures, or the comparison means nothing.
    problems = []
    groups = con.execute("SELECT count(*) FROM aging").fetchone()[0]
    if groups != ours["groups"]:
        problems.append(f"groups: DuckDB {groups}, Recouvre {ours['groups']}")
    for t in ours["totals"]:
        row = con.execute(
            f"SELECT {', '.join(f'sum(n{i})' for i in range(N))}, {', '.join(f'sum(s{i})' for i in range(N))} FROM aging WHERE currency = ?",
            [t["currency"]],
        ).fetchone()
        claims, amounts = [int(x) for x in row[:N]], [int(x) for x in row[N:]]
        if claims != t["claims"] or amounts != t["amounts"]:
            problems.append(f"{t['currency']} buckets: DuckDB {claims} {amounts}, Recouvre {t['claims']} {t['amounts']}")
    largest = con.execute("SELECT CAST(debtor_id AS VARCHAR), total FROM aging LIMIT 1").fetchone()
    if ours["largest_group"] and list(largest) != ours["largest_group"]:
        problems.append(f"largest group: DuckDB {largest}, Recouvre {ours['largest_group']}")
    for (currency, receivables, sales, d), o in zip(dso, ours["dso"]):
        if (currency, int(receivables), int(sales)) != (o["currency"], o["receivables"], o["credit_sales"]) or (
            o["days"] is not None and f"{d:.1f}" != o["days"]
        ):
            problems.append(f"DSO {currency}: DuckDB {receivables} {sales} {d}, Recouvre {o}")

    ratio = ours["median_ms"] / duck_ms
    print(f"Aged balance by debtor + simple DSO ({days} days), {ours['claims']:,} claims, "
          f"{ours['debtors']:,} debtors, as of {ours['as_of']}; {groups:,} debtor lines")
    print(f"  Recouvre (in process, 1 thread): median {ours['median_ms']:.1f} ms "
          f"(fastest {ours['fastest_ms']:.1f}, slowest {ours['slowest_ms']:.1f}, {ours['iterations']} runs)")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"  DuckDB {duckdb.__version__} ({threads} threads): "
          f"median {duck_ms:.1f} ms (fastest {times[0]:.1f}, slowest {times[-1]:.1f}, {len(times)} runs; "
          f"loading the CSV: {load_ms:.0f} ms, not counted)")
    print(f"  ratio Recouvre / DuckDB: {ratio:.2f}")
    print(f"  same figures: {'yes' if not problems else 'NO'}")
    for p in problems:
        print(f"    {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
