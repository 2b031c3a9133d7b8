"""Exit 0 when the PostgreSQL server named by the URL argument answers."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except psycopg.Error as error:
    print(f"PostgreSQL unreachable: {error}", file=sys.stderr)
    sys.exit(1)
