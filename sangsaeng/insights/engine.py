"""Dashboard widgets: DuckDB queries over one partner's Parquet files.

Every query runs against a view that reads only the partner's own folder and also filters on the
partner column, so no query can reach across partners even if a file were misplaced. Days are KST
calendar days (Korea has no daylight saving, so KST is UTC+9 all year).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sangsaeng.insights.compaction import COLUMNS, partner_files

ATTRIBUTION_DAYS = 7
COHORT_MONTHS = 6

WIDGETS = ("summary", "sales_daily", "funnel", "returning", "top_products", "followers", "broadcasts", "cohorts")


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Range:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Range:
        return Range(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


_CACHE: OrderedDict[str, tuple[tuple[tuple[str, int], ...], Any]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHED_PARTNERS = 32


def _open(ref: str, files: list[Any]) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(
        "SET threads TO 2; SET enable_object_cache = true; "
        "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false"
    )
    if files:
        listing = "[" + ", ".join(_sql_literal(str(f)) for f in files) + "]"
        con.execute(
            f"CREATE VIEW ev AS SELECT * FROM read_parquet({listing}, hive_partitioning=true) "  # noqa: S608 (quoted)
            f"WHERE partner_ref = {_sql_literal(ref)}"
        )
    else:
        cols = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in COLUMNS)
        con.execute(f"CREATE VIEW ev AS SELECT {cols}, CAST(NULL AS DATE) AS day WHERE false")
    return con


class PartnerData:
    """A DuckDB cursor on a view `ev` = this partner's events (plus a `day` DATE column, KST).

    Each process keeps one DuckDB database per recently used partner, so Parquet footers stay
    cached between requests; it is rebuilt when compaction has rewritten any of the files.
    """

    def __init__(self, ref: str) -> None:
        self.ref = ref
        files = partner_files(ref)
        fingerprint = tuple((str(f), f.stat().st_mtime_ns) for f in files)
        with _CACHE_LOCK:
            entry = _CACHE.get(ref)
            if entry is None or entry[0] != fingerprint:
                if entry is not None:
                    entry[1].close()
                entry = (fingerprint, _open(ref, files))
                _CACHE[ref] = entry
                while len(_CACHE) > CACHED_PARTNERS:
                    _CACHE.popitem(last=False)[1][1].close()
            _CACHE.move_to_end(ref)
            self.con = entry[1].cursor()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> PartnerData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    # -- widgets -------------------------------------------------------------------------------

    def summary(self, r: Range) -> dict[str, int]:
        gross, discount, shipping, refunds, orders = self.rows(
            """SELECT coalesce(sum(gross) FILTER (name = 'order_paid'), 0),
                      coalesce(sum(discount) FILTER (name = 'order_paid'), 0),
                      coalesce(sum(shipping) FILTER (name = 'order_paid'), 0),
                      coalesce(sum(refund) FILTER (name = 'order_refunded'), 0),
                      count(DISTINCT order_ref) FILTER (name = 'order_paid')
               FROM ev WHERE day BETWEEN ? AND ?""",
            [r.start, r.end],
        )[0]
        sales = int(gross) - int(discount) - int(refunds) + int(shipping)
        return {
            "gross": int(gross),
            "discounts": int(discount),
            "returns": int(refunds),
            "shipping": int(shipping),
            "total_sales": sales,
            "orders": int(orders),
            # Shopify's definition: (gross sales - discounts) / orders, in whole won
            "average_order_value": round((int(gross) - int(discount)) / orders) if orders else 0,
        }

    def sales_daily(self, r: Range) -> list[dict[str, Any]]:
        found = dict(
            self.rows(
                """SELECT day, coalesce(sum(gross - discount + shipping) FILTER (name = 'order_paid'), 0)
                        - coalesce(sum(refund) FILTER (name = 'order_refunded'), 0)
                   FROM ev WHERE day BETWEEN ? AND ? GROUP BY day""",
                [r.start, r.end],
            )
        )
        return [
            {
                "day": (r.start + timedelta(days=i)).isoformat(),
                "sales": int(found.get(r.start + timedelta(days=i)) or 0),
            }
            for i in range(r.days)
        ]

    def funnel(self, r: Range) -> list[dict[str, Any]]:
        row = self.rows(
            """SELECT count(DISTINCT session_id),
                      count(DISTINCT session_id) FILTER (name = 'product_view'),
                      count(DISTINCT session_id) FILTER (name = 'cart_add'),
                      count(DISTINCT session_id) FILTER (name = 'checkout_start'),
                      count(DISTINCT session_id) FILTER (name = 'order_paid')
               FROM ev WHERE day BETWEEN ? AND ? AND session_id <> ''""",
            [r.start, r.end],
        )[0]
        steps = ("sessions", "product_views", "add_to_cart", "checkout", "paid")
        first = int(row[0]) or 0
        return [
            {"step": step, "sessions": int(n), "rate": round(int(n) / first, 4) if first else 0.0}
            for step, n in zip(steps, row, strict=True)
        ]

    def returning(self, r: Range) -> dict[str, Any]:
        customers, returning = self.rows(
            """WITH cur AS (SELECT DISTINCT subject FROM ev
                            WHERE name = 'order_paid' AND subject <> '' AND day BETWEEN ? AND ?),
                    before AS (SELECT DISTINCT subject FROM ev
                            WHERE name = 'order_paid' AND subject <> '' AND day < ?)
               SELECT count(*), count(*) FILTER (WHERE subject IN (SELECT subject FROM before)) FROM cur""",
            [r.start, r.end, r.start],
        )[0]
        return {
            "customers": int(customers),
            "returning": int(returning),
            "rate": round(int(returning) / int(customers), 4) if customers else 0.0,
        }

    def top_products(self, r: Range, limit: int = 10) -> list[dict[str, Any]]:
        rows = self.rows(
            """SELECT product_ref, arg_max(label, occurred_at), sum(quantity), sum(gross)
               FROM ev WHERE name = 'order_line' AND day BETWEEN ? AND ?
               GROUP BY product_ref ORDER BY sum(gross) DESC, product_ref LIMIT ?""",
            [r.start, r.end, limit],
        )
        return [{"product": p, "title": t, "quantity": int(q), "revenue": int(g)} for p, t, q, g in rows]

    def followers(self, r: Range) -> list[dict[str, Any]]:
        base = self.rows(
            """SELECT count(*) FILTER (name = 'follow') - count(*) FILTER (name = 'unfollow')
               FROM ev WHERE day < ?""",
            [r.start],
        )[0][0]
        daily = dict(
            self.rows(
                """SELECT day, count(*) FILTER (name = 'follow') - count(*) FILTER (name = 'unfollow')
                   FROM ev WHERE name IN ('follow', 'unfollow') AND day BETWEEN ? AND ? GROUP BY day""",
                [r.start, r.end],
            )
        )
        running = int(base or 0)
        series = []
        for i in range(r.days):
            day = r.start + timedelta(days=i)
            running += int(daily.get(day) or 0)
            series.append({"day": day.isoformat(), "followers": running})
        return series

    def broadcasts(self, r: Range) -> list[dict[str, Any]]:
        rows = self.rows(
            f"""WITH b AS (SELECT broadcast_ref, arg_max(label, occurred_at) FILTER (label <> '') AS title,
                                  coalesce(sum(quantity) FILTER (name = 'broadcast_delivered'), 0) AS delivered,
                                  count(DISTINCT subject) FILTER (name = 'broadcast_opened') AS opened,
                                  count(DISTINCT subject) FILTER (name = 'broadcast_clicked') AS clicked
                           FROM ev WHERE broadcast_ref <> '' AND day BETWEEN ? AND ?
                             AND name IN ('broadcast_delivered', 'broadcast_opened', 'broadcast_clicked')
                           GROUP BY broadcast_ref),
                    clicks AS (SELECT subject, broadcast_ref, occurred_at FROM ev
                               WHERE name = 'broadcast_clicked' AND subject <> ''),
                    orders AS (SELECT order_ref, subject, occurred_at, gross - discount + shipping AS amount
                               FROM ev WHERE name = 'order_paid' AND subject <> '' AND day BETWEEN ? AND ?),
                    last_click AS (SELECT o.order_ref, any_value(o.amount) AS amount,
                                          arg_max(c.broadcast_ref, c.occurred_at) AS broadcast_ref
                                   FROM orders o JOIN clicks c ON c.subject = o.subject
                                    AND c.occurred_at <= o.occurred_at
                                    AND c.occurred_at > o.occurred_at - INTERVAL {ATTRIBUTION_DAYS} DAY
                                   GROUP BY o.order_ref),
                    attributed AS (SELECT broadcast_ref, count(*) AS orders, sum(amount) AS revenue
                                   FROM last_click GROUP BY broadcast_ref)
               SELECT b.broadcast_ref, b.title, b.delivered, b.opened, b.clicked,
                      coalesce(a.orders, 0), coalesce(a.revenue, 0)
               FROM b LEFT JOIN attributed a USING (broadcast_ref)
               ORDER BY b.delivered DESC, b.broadcast_ref""",  # noqa: S608 (a constant interval)
            [r.start, r.end, r.start, r.end],
        )
        return [
            {
                "broadcast": ref,
                "title": title or "",
                "delivered": int(d),
                "opened": int(o),
                "clicked": int(c),
                "orders": int(n),
                "revenue": int(v),
            }
            for ref, title, d, o, c, n, v in rows
        ]

    def cohorts(self, r: Range) -> list[dict[str, Any]]:
        """Customers grouped by the month of their first order (within the range): the share who
        order again k months later, k = 0..5. Months are KST calendar months."""
        rows = self.rows(
            """WITH o AS (SELECT subject, date_trunc('month', day) AS month FROM ev
                          WHERE name = 'order_paid' AND subject <> ''),
                    first AS (SELECT subject, min(month) AS cohort FROM o GROUP BY subject),
                    active AS (SELECT DISTINCT o.subject, f.cohort,
                                      date_diff('month', f.cohort, o.month) AS k
                               FROM o JOIN first f USING (subject))
               SELECT cohort, k, count(*) FROM active
               WHERE cohort BETWEEN date_trunc('month', CAST(? AS DATE)) AND ? AND k < ?
               GROUP BY cohort, k ORDER BY cohort, k""",
            [r.start, r.end, COHORT_MONTHS],
        )
        table: dict[date, dict[int, int]] = {}
        for cohort, k, n in rows:
            table.setdefault(cohort, {})[int(k)] = int(n)
        out = []
        for cohort, counts in sorted(table.items()):
            size = counts.get(0, 0)
            out.append(
                {
                    "cohort": cohort.strftime("%Y-%m"),
                    "customers": size,
                    "retention": [round(counts.get(k, 0) / size, 4) if size else 0.0 for k in range(COHORT_MONTHS)],
                }
            )
        return out

    def widget(self, name: str, r: Range) -> Any:
        return getattr(self, name)(r)

    # -- customers -----------------------------------------------------------------------------

    def rfm(self, subjects: list[str], as_of: date) -> list[dict[str, Any]]:
        """Recency, frequency, monetary for the given (consented) subjects, scored 1-5 by quintile."""
        if not subjects:
            return []
        rows = self.rows(
            """WITH o AS (SELECT subject, max(day) AS last_day, count(DISTINCT order_ref) AS frequency,
                                 sum(gross - discount + shipping) AS monetary
                          FROM ev WHERE name = 'order_paid' AND day <= ? AND list_contains(?, subject)
                          GROUP BY subject)
               SELECT subject, date_diff('day', last_day, CAST(? AS DATE)) AS recency, frequency, monetary,
                      ntile(5) OVER (ORDER BY date_diff('day', last_day, CAST(? AS DATE)) DESC) AS r,
                      ntile(5) OVER (ORDER BY frequency, monetary) AS f,
                      ntile(5) OVER (ORDER BY monetary) AS m
               FROM o ORDER BY monetary DESC, subject""",
            [as_of, subjects, as_of, as_of],
        )
        return [
            {
                "subject": s,
                "recency_days": int(rec),
                "frequency": int(f),
                "monetary": int(m),
                "r": int(rs),
                "f": int(fs),
                "m": int(ms),
                "segment": segment_of(int(rs), int(fs)),
            }
            for s, rec, f, m, rs, fs, ms in rows
        ]


SEGMENTS = ("champions", "loyal", "new", "at_risk", "hibernating", "potential")


def segment_of(r: int, f: int) -> str:
    if r >= 4 and f >= 4:
        return "champions"
    if f >= 4:
        return "loyal" if r >= 3 else "at_risk"
    if r >= 4 and f <= 2:
        return "new"
    if r <= 2 and f <= 2:
        return "hibernating"
    if r <= 2:
        return "at_risk"
    return "potential"
