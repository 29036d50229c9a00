"""Every table of a docmine database as sorted text lines, with the columns that record *when* (ingest time, file
times) left out, so two ingests of the same files can be compared row for row (a speed change must not change
what is stored).

    python bench/db_dump.py DB > dump.txt          # one database
    python bench/db_dump.py --compare A.db B.db    # exit 1 and the first differences when they differ
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

# columns whose value is the clock, not the content
VOLATILE = {("documents", "ingested_at"), ("minhashes", "ingested_at"), ("files", "seen_at"), ("files", "mtime_ns"),
            ("meta", "value")}


def dump(path: str | Path) -> list[str]:
    """One line per row of every table (full-text index shadow tables included), sorted within each table."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        lines = []
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
            keep = [c for c in cols if (table, c) not in VOLATILE]
            if not keep:
                continue
            names = ", ".join(f"[{c}]" for c in keep)
            rows = sorted(repr(r) for r in conn.execute(f"SELECT {names} FROM [{table}]"))
            lines.append(f"## {table} ({len(rows)} rows) {keep}")
            lines += [f"{table}\t{r}" for r in rows]
        return lines
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="+")
    parser.add_argument("--compare", action="store_true", help="compare two databases")
    args = parser.parse_args()
    if not args.compare:
        print("\n".join(dump(args.db[0])))
        return
    a, b = (dump(p) for p in args.db[:2])
    if a == b:
        print(f"identical: {len(a)} lines")
        return
    import difflib

    diff = difflib.unified_diff([x[:300] + "\n" for x in a], [x[:300] + "\n" for x in b], *args.db[:2], n=0)
    sys.stdout.writelines(list(diff)[:60])
    sys.exit(1)


if __name__ == "__main__":
    main()
