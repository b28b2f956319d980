"""A parsed query as SQL: FTS5 expressions for both indexes and conditions on ``articles``.

``search`` runs these; the article list and saved searches use ``query_clause`` to list
the articles a query matches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from newsreader.store.query import TIME_FILTERS, Filter, Query, Term, parse_query

DATED = "(articles.published IS NOT NULL OR articles.updated IS NOT NULL)"
EXACT_MATCH = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
FORMS_MATCH = "SELECT rowid FROM forms_fts WHERE forms_fts MATCH ?"


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """A query's words as FTS5 expressions for the two indexes.

    ``forms`` finds the articles that have some form of every word; clauses it cannot
    express (phrases, prefixes) must match the exact index as ``required``. ``excluded``
    (exact) and ``forms_excluded`` are what no hit may contain.
    """

    exact: str
    forms: str
    required: str
    excluded: str
    forms_excluded: str


def _any(terms: list[Term], render: Callable[[Term], str]) -> str:
    parts = [render(term) for term in terms]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def plan(query: Query) -> Plan:
    formed: list[str] = []
    required: list[str] = []
    for clause in query.clauses:
        if all(term.forms for term in clause):
            formed.append(_any(list(clause), Term.to_forms_fts))
        else:
            required.append(_any(list(clause), Term.to_fts))
    excluded = list(query.excluded)
    forms_excluded = [term for term in excluded if term.forms]
    forms = " AND ".join(formed)
    if forms and forms_excluded:
        forms = f"({forms}) NOT {_any(forms_excluded, Term.to_forms_fts)}"
    return Plan(
        exact=query.to_fts(),
        forms=forms,
        required=" AND ".join(required),
        excluded=" OR ".join(term.to_fts() for term in excluded),
        forms_excluded=" OR ".join(term.to_forms_fts() for term in forms_excluded),
    )


# Filters


def _months_back(moment: datetime, months: int) -> datetime:
    month = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month, 12)
    year = max(year, 1)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return moment


def _moment(spec: Filter, now: datetime) -> int:
    """The filter's time as a sort_time (seconds since the epoch)."""
    if spec.day is not None:
        midnight = datetime.combine(spec.day, time())
        try:
            return int(midnight.astimezone().timestamp())  # the reader's own midnight
        except (OverflowError, ValueError, OSError):  # at the ends of the calendar
            return int(midnight.replace(tzinfo=UTC).timestamp())
    if spec.unit == "d":
        moment = now - timedelta(days=spec.amount)
    elif spec.unit == "w":
        moment = now - timedelta(weeks=spec.amount)
    else:
        months = spec.amount * (12 if spec.unit == "y" else 1)
        moment = _months_back(now, months)
    return int(moment.timestamp())


def _condition(spec: Filter, now: datetime) -> tuple[str, list[object]]:
    if spec.key == "feed":
        return (
            "articles.feed_id IN (SELECT id FROM feeds WHERE instr(nr_fold(feeds.title), ?) > 0 "
            "OR instr(nr_fold(feeds.source), ?) > 0)",
            [spec.value, spec.value],
        )
    if spec.key == "author":
        return "instr(nr_fold(articles.author), ?) > 0", [spec.value]
    if spec.key == "tag":
        return "articles.id IN (SELECT article_id FROM article_tags WHERE folded = ?)", [spec.value]
    if spec.key == "folder":
        # A folder at any depth (OPML), or a group of the feed (newsboat's tags).
        return (
            "articles.feed_id IN (SELECT feed_id FROM feed_groups WHERE folded = ? "
            "UNION SELECT feed_id FROM feed_state, json_each(feed_state.folder) "
            "WHERE nr_fold(json_each.value) = ?)",
            [spec.value, spec.value],
        )
    if spec.key == "is":
        state = {
            "unread": "articles.read = 0",
            "read": "articles.read = 1",
            "starred": "articles.starred = 1",
        }
        return state[spec.value], []
    operator = ">=" if spec.key == "since" else "<"
    # An article without a date of its own is listed by when it was first seen, but a
    # date filter asks for its date: it has none, so it never passes one.
    return (
        f"(articles.sort_time {operator} ? AND {DATED})",
        [_moment(spec, now)],
    )


def filter_sql(query: Query, now: datetime | None = None) -> tuple[list[str], list[object]]:
    """The query's filters as conditions on ``articles``, to AND together."""
    now = now or datetime.now().astimezone()
    clauses: list[str] = []
    params: list[object] = []
    for spec in query.filters:
        sql, values = _condition(spec, now)
        clauses.append(f"NOT COALESCE(({sql}), 0)" if spec.negated else sql)
        params += values
    return clauses, params


# Filters that say nothing about a related item: it has no read state, star, tags or
# author of its own, so a query with one of them finds no items (negated or not).
ITEMLESS_FILTERS = frozenset({"is", "tag", "author"})


def item_filter_sql(
    query: Query, now: datetime | None = None
) -> tuple[list[str], list[object]] | None:
    """The query's filters as conditions on ``related_items`` (joined to the ``articles``
    row that lists each), or None when some filter cannot apply to an item at all.

    A date filter holds an item to its own day (the article's time if it has none),
    feed: to the feed of the article that lists it.
    """
    if any(spec.key in ITEMLESS_FILTERS for spec in query.filters):
        return None
    now = now or datetime.now().astimezone()
    clauses: list[str] = []
    params: list[object] = []
    for spec in query.filters:
        if spec.key in TIME_FILTERS:
            moment = _moment(spec, now)
            day = spec.day or datetime.fromtimestamp(moment).astimezone().date()
            operator = ">=" if spec.key == "since" else "<"
            sql = (
                f"(CASE WHEN related_items.day IS NULL THEN articles.sort_time {operator} ? "
                f"ELSE related_items.day {operator} ? END)"
            )
            values: list[object] = [moment, day.isoformat()]
        else:
            sql, values = _condition(spec, now)
        clauses.append(f"NOT COALESCE(({sql}), 0)" if spec.negated else sql)
        params += values
    return clauses, params


def query_clause(text: str) -> tuple[str, list[object]]:
    """One condition on ``articles``: the article matches the query ``text``.

    Raises QuerySyntaxError for bad syntax.
    """
    query = parse_query(text)
    steps = plan(query)
    clauses, params = filter_sql(query)
    if steps.exact:
        union = EXACT_MATCH
        union_params: list[object] = [steps.exact]
        if steps.forms:
            forms_sql, forms_params = forms_select(steps, "rowid")
            union += f" UNION ALL {forms_sql}"
            union_params += forms_params
        clauses.insert(0, f"articles.id IN ({union})")
        params[:0] = union_params
    elif steps.excluded:
        clauses.append(f"articles.id NOT IN ({EXACT_MATCH})")
        params.append(steps.excluded)
    if steps.forms_excluded:
        clauses.append(f"articles.id NOT IN ({FORMS_MATCH})")
        params.append(steps.forms_excluded)
    return "(" + " AND ".join(clauses) + ")", params


def forms_select(
    steps: Plan, columns: str, forms: str = "forms_fts", exact: str = EXACT_MATCH
) -> tuple[str, list[object]]:
    """The matches of a forms index (``forms``, of articles unless another is named),
    held to the required and excluded words as written (``exact``: its rowid query)."""
    sql = f"SELECT {columns} FROM {forms} WHERE {forms} MATCH ?"
    params: list[object] = [steps.forms]
    if steps.required:
        sql += f" AND {forms}.rowid IN ({exact})"
        params.append(steps.required)
    if steps.excluded:
        sql += f" AND {forms}.rowid NOT IN ({exact})"
        params.append(steps.excluded)
    return sql, params
