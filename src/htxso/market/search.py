"""Product search: folded words, the database's own full-text engine, ranking, typos.

Words are folded by :func:`htxso.core.text.fold` in Python, so SQLite and PostgreSQL
see the same ``[a-z0-9]+`` words and return the same products.

* **Stored columns**: "Cà phê Đắk Lắk" is stored as ``" ca phe dak lak ... "`` in
  ``Product.search_text`` (title, English title, category, store, province, ward) and
  ``search_title``, by :func:`index_product` (the catalogue service; a store or
  category rename re-indexes its products through :func:`reindex_products`).
* **Vocabulary**: each word is a :class:`SearchTerm` with ``df`` (how many products use
  it) and its :class:`SearchKey` deletion keys (typos); each (product, word) is a
  :class:`ProductTerm` posting.  The postings are the source of ``df``: kept per
  product by :func:`index_product`, decremented by :func:`product_deleted` (the
  product's ``pre_delete`` receiver), recounted by :func:`rebuild_index`.  They are no
  longer used to match.
* **Match**: the database's native full-text index (migration 0006) —
  PostgreSQL ``to_tsvector('simple', search_text) @@ to_tsquery('simple', …)`` on a GIN
  index, SQLite an FTS5 table ``market_product_fts`` (rowid = product id) kept by
  :func:`index_product` / :func:`rebuild_index` / :func:`product_deleted`.  The query
  (:func:`fts_query`) is built from :func:`parse_query`: each query word becomes a group
  of vocabulary words — the word itself, the vocabulary words it begins when it is the
  last word typed (``"ca ph"`` → "phe", "pho", … the :data:`MAX_PREFIX_TERMS` most
  used), and its typo corrections — OR-ed, the groups AND-ed (:class:`FullTextMatch`).
* **Typos**: a word is corrected to the vocabulary words one edit away (insertion,
  deletion, substitution, adjacent transposition: "lac" → "lak", "haa" → "ha") only
  when it is not in the vocabulary (three letters or more), or when it is rare there
  (fewer than :data:`RARE_DF` products) and has four letters or more.  A common word
  is taken as typed: "tho cam" does not also find "pho"/"kho" or "cao"/"nam".
  Candidates come from :class:`SearchKey` (symmetric deletion keys, one indexed query)
  and are checked with a Damerau–Levenshtein distance.
* **Ranking**, computed over the matching rows only (:class:`HasWord` on the stored
  columns): whole query in the title > every word in the title > words elsewhere;
  exact words beat corrected ones; valid OCOP stars add a boost; then stock, sales and
  newness.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from htxso.core.text import fold, fold_tokens

from .models import Product, ProductStatus, ProductTerm, SearchKey, SearchTerm, StoreStatus

MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 3  # an unknown word this long or longer is corrected
MIN_RARE_FUZZY_LENGTH = 4  # a known but rare word this long or longer is corrected
RARE_DF = 3  # "rare": in fewer products than this
MAX_CANDIDATES = 4
MAX_PREFIX_TERMS = 40
MAX_TERM_LENGTH = 40
MIN_SPLIT_LENGTH = 4  # an unknown word this long may be two words typed together
MIN_SPLIT_PART = 2  # ... each of at least two letters ("caphe" → "ca phe")


# ------------------------------------------------------------------ indexing


def product_search_fields(product: Product) -> tuple[str, str]:
    """(search_text, search_title) for a product with store/category/province loaded."""
    category = product.category
    parts = [
        product.title,
        product.title_en,
        category.name,
        category.name_en,
        product.store.name,
        product.province.name if product.province_id else "",
        product.origin_ward.name if product.origin_ward_id else "",
    ]
    text = fold(" ".join(p for p in parts if p))
    title = fold(f"{product.title} {product.title_en}")
    return f" {text[:596]} ", f" {title[:196]} "


def product_words(search_text: str, search_title: str) -> dict[str, bool]:
    """The indexed words of a product's stored columns → whether each is in the title."""
    title = set(search_title.split())
    return {w: w in title for w in (*search_text.split(), *title) if 0 < len(w) <= MAX_TERM_LENGTH}


def deletion_keys(term: str) -> set[str]:
    keys = {term}
    if len(term) >= MIN_FUZZY_LENGTH - 1:
        keys.update(term[:i] + term[i + 1 :] for i in range(len(term)))
    return keys


def add_vocabulary(words: Iterable[str]) -> int:
    """Add folded words to the vocabulary (idempotent).  Returns how many were new."""
    words = {w for w in words if 0 < len(w) <= MAX_TERM_LENGTH}
    if not words:
        return 0
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    new = sorted(words - known)
    if not new:
        return 0
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w, length=len(w)) for w in new], ignore_conflicts=True, batch_size=500
    )
    ids = dict(SearchTerm.objects.filter(term__in=new).values_list("term", "id"))
    SearchKey.objects.bulk_create(
        [SearchKey(key=k, term_id=ids[w]) for w in new if w in ids for k in deletion_keys(w)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(new)


def index_product(product: Product, *, save: bool = True, new: bool = False) -> None:
    """Refresh one product's stored search columns, its native full-text entry (SQLite
    FTS5; PostgreSQL's GIN index follows the column), the vocabulary and its postings.

    The postings are replaced in one transaction (removed words deleted, new ones
    inserted, ``in_title`` corrected) and the ``df`` of the words that came or went is
    adjusted, so a title change is searchable at once.  ``new`` is accepted for older
    callers; the counts follow the postings either way.
    """
    product.search_text, product.search_title = product_search_fields(product)
    if not (save and product.pk):
        return
    words = product_words(product.search_text, product.search_title)
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(
            search_text=product.search_text, search_title=product.search_title
        )
        fts_replace([(product.pk, product.search_text)])
        add_vocabulary(words)
        ids = dict(SearchTerm.objects.filter(term__in=sorted(words)).values_list("term", "id"))
        want = {ids[w]: in_title for w, in_title in words.items() if w in ids}
        have = dict(
            ProductTerm.objects.filter(product_id=product.pk).values_list("term_id", "in_title")
        )
        gone = sorted(have.keys() - want.keys())
        came = sorted(want.keys() - have.keys())
        flipped = [t for t in want.keys() & have.keys() if want[t] != have[t]]
        if gone:
            ProductTerm.objects.filter(product_id=product.pk, term_id__in=gone).delete()
            SearchTerm.objects.filter(pk__in=gone, df__gt=0).update(df=F("df") - 1)
        if came:
            ProductTerm.objects.bulk_create(
                [ProductTerm(product_id=product.pk, term_id=t, in_title=want[t]) for t in came]
            )
            SearchTerm.objects.filter(pk__in=came).update(df=F("df") + 1)
        for value in (True, False):
            changed = [t for t in flipped if want[t] is value]
            if changed:
                ProductTerm.objects.filter(product_id=product.pk, term_id__in=changed).update(
                    in_title=value
                )


def fts_replace(rows: list[tuple[int, str]]) -> None:
    """SQLite: store (product id, search_text) rows in the FTS5 table (replacing them).
    PostgreSQL indexes ``search_text`` itself (GIN on an expression): nothing to do."""
    if connection.vendor != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 400):
            chunk = rows[start : start + 400]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})",  # noqa: S608 (placeholders)
                [pk for pk, _text in chunk],
            )
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES "  # noqa: S608 (placeholders)
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [v for row in chunk for v in row],
            )


def fts_rebuild(cursor) -> None:
    """SQLite: refill the FTS5 table from every product's stored ``search_text``."""
    if connection.vendor != "sqlite":
        return
    cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 (table name)
    cursor.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, search_text)"  # noqa: S608 (table name)
        f" SELECT id, search_text FROM {Product._meta.db_table}"
    )
    cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


def product_deleted(product_ids: list[int]) -> None:
    """Before products are deleted: the words they used lose one product each (``df``),
    and (SQLite) their FTS5 rows go.  Called by the ``pre_delete`` receiver of
    :class:`~htxso.market.models.Product`, so queryset and cascade deletes count too."""
    if not product_ids:
        return
    counts = Counter(
        ProductTerm.objects.filter(product_id__in=product_ids).values_list("term_id", flat=True)
    )
    by_count: dict[int, list[int]] = {}
    for term_id, n in counts.items():
        by_count.setdefault(n, []).append(term_id)
    for n, term_ids in by_count.items():
        SearchTerm.objects.filter(pk__in=term_ids).update(
            df=Case(When(df__gt=n, then=F("df") - n), default=Value(0))
        )
    ProductTerm.objects.filter(product_id__in=product_ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(product_ids))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", product_ids)  # noqa: S608


def reindex_products(products: QuerySet[Product]) -> int:
    """Re-index products whose store, category or place changed name (their stored
    search columns include those names).  Returns how many were re-indexed."""
    n = 0
    related = products.select_related("store", "category", "province", "origin_ward")
    for product in related.iterator(chunk_size=500):
        index_product(product)
        n += 1
    return n


def _insert_postings(cursor, rows: list[tuple[int, int, bool]]) -> None:
    table = ProductTerm._meta.db_table
    per = max(1, min(1000, (connection.features.max_query_params or 999) // 3))
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        cursor.execute(
            f"INSERT INTO {table} (product_id, term_id, in_title) VALUES {values}",  # noqa: S608 (table name and placeholders only)
            [v for row in chunk for v in row],
        )


def analyze(cursor) -> None:
    """Refresh the planner statistics of the searched tables after a bulk load: without
    them SQLite (which never collects them by itself) scans the products by status
    instead of starting from the postings of the rarest word."""
    for model in (Product, ProductTerm, SearchTerm):
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def rebuild_index(*, chunk_size: int = 5000) -> int:
    """Rebuild the vocabulary counts and every posting from the stored search columns
    (a maintenance task; run after a bulk import or by the demo data).  Returns the
    number of distinct words."""
    counts: Counter[str] = Counter()
    for text, title in Product.objects.values_list("search_text", "search_title").iterator(
        chunk_size=chunk_size
    ):
        counts.update(product_words(text, title).keys())
    add_vocabulary(counts)
    ids = dict(SearchTerm.objects.values_list("term", "id"))
    ProductTerm.objects.all()._raw_delete(ProductTerm.objects.db)
    rows: list[tuple[int, int, bool]] = []
    with connection.cursor() as cursor:
        for pk, text, title in Product.objects.values_list(
            "pk", "search_text", "search_title"
        ).iterator(chunk_size=chunk_size):
            rows.extend((pk, ids[w], t) for w, t in product_words(text, title).items())
            if len(rows) >= 50_000:
                _insert_postings(cursor, rows)
                rows = []
        _insert_postings(cursor, rows)
        term, posting = SearchTerm._meta.db_table, ProductTerm._meta.db_table
        cursor.execute(
            f"UPDATE {term} SET df = (SELECT COUNT(*) FROM {posting} p"  # noqa: S608 (table names)
            f" WHERE p.term_id = {term}.id)"
        )
        fts_rebuild(cursor)
        analyze(cursor)
    return len(counts)


def rebuild_vocabulary() -> int:
    """Recount the vocabulary from every product (kept name: :func:`rebuild_index`)."""
    return rebuild_index()


# ------------------------------------------------------------------ typo tolerance


def damerau_levenshtein(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent transpositions count as one edit)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[lb]


def _candidates(words: list[str]) -> dict[str, list[tuple[str, int, int]]]:
    """For each word of three letters or more, the vocabulary words one edit away as
    (term, id, df), most used first — one indexed query for all of them."""
    fuzzy = [w for w in words if len(w) >= MIN_FUZZY_LENGTH]
    result: dict[str, list[tuple[str, int, int]]] = {w: [] for w in words}
    if not fuzzy:
        return result
    keys: dict[str, set[str]] = {w: deletion_keys(w) for w in fuzzy}
    all_keys = set().union(*keys.values())
    rows = (
        SearchKey.objects.filter(key__in=sorted(all_keys))
        .values_list("key", "term__term", "term_id", "term__df")
        .distinct()
    )
    by_key: dict[str, list[tuple[str, int, int]]] = {}
    for key, term, term_id, df in rows:
        by_key.setdefault(key, []).append((term, term_id, df))
    for w in fuzzy:
        result[w] = pick_candidates(w, (c for k in keys[w] for c in by_key.get(k, ())))
    return result


def pick_candidates(word: str, found: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The :data:`MAX_CANDIDATES` words one edit from ``word``, most used first."""
    seen: dict[str, tuple[str, int, int]] = {}
    for term, term_id, df in found:
        if term != word and term not in seen and damerau_levenshtein(word, term) == 1:
            seen[term] = (term, term_id, df)
    return sorted(seen.values(), key=lambda c: (-c[2], c[0]))[:MAX_CANDIDATES]


def corrections(words: list[str]) -> dict[str, list[str]]:
    """For each word, the vocabulary words one edit away (most used first), one query."""
    return {w: [c[0] for c in found] for w, found in _candidates(words).items()}


def needs_correction(word: str, df: int | None) -> bool:
    """Correct an unknown word (three letters or more), or a rare one (four or more);
    a word the catalogue uses often is taken as typed."""
    if df is None:
        return len(word) >= MIN_FUZZY_LENGTH
    return len(word) >= MIN_RARE_FUZZY_LENGTH and df < RARE_DF


def prefix_upper(word: str) -> str:
    """The smallest string above every string starting with ``word`` (range scans)."""
    return word[:-1] + chr(ord(word[-1]) + 1)


# ------------------------------------------------------------------ querying


@dataclass
class SearchFilters:
    query: str = ""
    category_ids: list[int] = field(default_factory=list)
    province: str | None = None
    min_stars: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    store_id: int | None = None
    ethnic: bool = False
    sort: str = "relevance"  # relevance | price_asc | price_desc | newest


@dataclass
class WordGroup:
    """The vocabulary words that satisfy one query word: ``exact`` (the word, and the
    words it begins when typed last) and ``corrected`` (typo corrections); ``weight``
    (the products using them) orders the groups, most selective first."""

    word: str
    exact: list[int]
    corrected: list[int]
    weight: int = 0
    exact_words: list[str] = field(default_factory=list)
    corrected_words: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return self.exact + self.corrected

    @property
    def words(self) -> list[str]:
        return self.exact_words + self.corrected_words


@dataclass
class ParsedQuery:
    words: list[str]
    alternatives: dict[str, list[str]]
    unknown: set[str] = field(default_factory=set)
    groups: list[WordGroup] = field(default_factory=list)

    @property
    def corrected(self) -> bool:
        """True when results may include similar spellings of a typed word."""
        return any(self.alternatives.get(w) for w in self.words)

    @property
    def impossible(self) -> bool:
        """A word matches no vocabulary word at all: nothing can be found."""
        return any(not g.ids for g in self.groups)


def build_groups(
    words: list[str],
    vocabulary: dict[str, tuple[int, int]],
    candidates: dict[str, list[tuple[str, int, int]]],
) -> tuple[list[WordGroup], dict[str, list[str]]]:
    """Word groups from the vocabulary rows fetched for the words (``term → (id, df)``,
    the last word's completions included) and the typo candidates."""
    groups: list[WordGroup] = []
    alternatives: dict[str, list[str]] = {w: [] for w in words}
    last = len(words) - 1
    for i, word in enumerate(words):
        exact, exact_words, weight = [], [], 0
        if word in vocabulary:
            exact.append(vocabulary[word][0])
            exact_words.append(word)
            weight += vocabulary[word][1]
        if i == last and len(word) >= 2:
            completions = sorted(
                (
                    (df, term, term_id)
                    for term, (term_id, df) in vocabulary.items()
                    if term != word and term.startswith(word)
                ),
                key=lambda c: (-c[0], c[1]),
            )[:MAX_PREFIX_TERMS]
            exact += [term_id for _df, _term, term_id in completions]
            exact_words += [term for _df, term, _id in completions]
            weight += sum(df for df, _term, _id in completions)
        corrected = [c for c in candidates.get(word, []) if c[1] not in exact]
        alternatives[word] = [c[0] for c in corrected]
        weight += sum(c[2] for c in corrected)
        groups.append(
            WordGroup(
                word,
                exact,
                [c[1] for c in corrected],
                weight,
                exact_words=exact_words,
                corrected_words=[c[0] for c in corrected],
            )
        )
    return groups, alternatives


def splits_of(word: str) -> list[tuple[str, str]]:
    """The ways to cut ``word`` into two words of :data:`MIN_SPLIT_PART` letters or more."""
    if len(word) < MIN_SPLIT_LENGTH:
        return []
    return [(word[:i], word[i:]) for i in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1)]


def split_joined(words: list[str], df: dict[str, int]) -> dict[str, tuple[str, str]]:
    """For words typed without their space ("caphe", "matong"), the cut into two
    vocabulary words (``df``: word → number of products), the most used pair (by its
    rarer word) first."""
    found = {}
    for word in words:
        known = [
            (min(df[a], df[b]), -i, (a, b))
            for i, (a, b) in enumerate(splits_of(word))
            if df.get(a) and df.get(b)
        ]
        if known:
            found[word] = max(known)[2]
    return found


def parse_query(query: str, *, split: bool = True) -> ParsedQuery:
    """Fold the query and look its words up: one query for the words and the last
    word's completions, one more for typo candidates when a word needs correcting.

    An unknown word that is two vocabulary words typed together ("caphe", "matong") is
    read as those two words, as if typed apart, so they rank the same.  The possible
    halves are fetched by the same first query: a search with an unknown word costs no
    extra query (only a joined *last* word is parsed again, for its completions)."""
    words = fold_tokens(query)[:MAX_QUERY_WORDS]
    if not words:
        return ParsedQuery(words=[], alternatives={})
    last = words[-1]
    halves = (
        {p for w in words for pair in splits_of(w) for p in pair} - set(words) if split else set()
    )
    where = Q(term__in=sorted(set(words) | halves))
    if len(last) >= 2:
        where |= Q(term__gte=last, term__lt=prefix_upper(last))
    found = {
        term: (term_id, df)
        for term, term_id, df in SearchTerm.objects.filter(where).values_list("term", "id", "df")
    }
    joined = [
        w
        for w in words
        if w not in found
        and len(w) >= MIN_SPLIT_LENGTH
        # the last word may be the beginning of a longer word being typed
        and not (w == last and any(t.startswith(w) for t in found))
    ]
    cuts = split_joined(joined, {t: df for t, (_id, df) in found.items()}) if joined else {}
    if cuts:
        if last in cuts:  # the halves need their own completions: parse the words apart
            apart = [part for w in words for part in cuts.get(w, (w,))]
            return parse_query(" ".join(apart[:MAX_QUERY_WORDS]), split=False)
        words = [part for w in words for part in cuts.get(w, (w,))][:MAX_QUERY_WORDS]
    keep = set(words)
    vocabulary = {
        t: v for t, v in found.items() if t in keep or (len(last) >= 2 and t.startswith(last))
    }
    fuzzy = [w for w in words if needs_correction(w, vocabulary.get(w, (0, None))[1])]
    candidates = _candidates(fuzzy) if fuzzy else {}
    groups, alternatives = build_groups(words, vocabulary, candidates)
    return ParsedQuery(
        words=words,
        alternatives=alternatives,
        unknown=set(words) - vocabulary.keys(),
        groups=groups,
    )


def public_products() -> QuerySet[Product]:
    """Products anyone may see: on sale, in a verified store."""
    return Product.objects.filter(status=ProductStatus.ACTIVE, store__status=StoreStatus.VERIFIED)


def ocop_boost(day: dt.date) -> Case:
    return Case(
        When(
            ocop__isnull=False,
            ocop__certified_on__lte=day,
            ocop__expires_on__gt=day,
            ocop__organisation_id=F("store__organisation_id"),
            then=F("ocop__stars"),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def apply_filters(qs: QuerySet[Product], f: SearchFilters, day: dt.date) -> QuerySet[Product]:
    if f.category_ids:
        qs = qs.filter(category_id__in=f.category_ids)
    if f.province:
        qs = qs.filter(province_id=f.province)
    if f.store_id:
        qs = qs.filter(store_id=f.store_id)
    if f.min_stars:
        qs = qs.filter(
            ocop__stars__gte=f.min_stars,
            ocop__certified_on__lte=day,
            ocop__expires_on__gt=day,
            ocop__organisation_id=F("store__organisation_id"),
        )
    if f.min_price is not None:
        qs = qs.filter(min_price__gte=f.min_price)
    if f.max_price is not None:
        qs = qs.filter(min_price__lte=f.max_price)
    if f.ethnic:
        qs = qs.filter(ethnic_minority_producer=True)
    return qs


FTS_TABLE = "market_product_fts"  # SQLite: FTS5 table of migration 0006, rowid = product id


def fts_query(groups: Iterable[WordGroup], *, postgresql: bool) -> str:
    """The native full-text query of parsed word groups: each group's words (the word,
    its completions when typed last, its typo corrections) OR-ed, the groups AND-ed —
    ``to_tsquery('simple', …)`` text on PostgreSQL, an FTS5 ``MATCH`` string on SQLite.
    Folded words are ``[a-z0-9]+``: nothing to escape (FTS5 words are quoted so that
    none is read as an operator)."""
    if postgresql:
        return " & ".join("(" + " | ".join(g.words) + ")" for g in groups)
    return " AND ".join("(" + " OR ".join(f'"{w}"' for w in g.words) + ")" for g in groups)


def tsquery(groups: Iterable[WordGroup]) -> str:
    """The ``to_tsquery('simple', …)`` text of parsed word groups (PostgreSQL)."""
    return fts_query(groups, postgresql=True)


class FullTextMatch(Func):
    """A product matches a native full-text query (:func:`fts_query`), through the
    indexes of migration 0006: on PostgreSQL ``to_tsvector('simple', search_text) @@
    to_tsquery('simple', query)`` (the GIN index's expression), on SQLite
    ``id IN (SELECT rowid FROM market_product_fts WHERE market_product_fts MATCH query)``.

    Built as ``FullTextMatch(F("search_text"), F("id"), Value(query))``."""

    output_field = BooleanField()

    def as_postgresql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[2])
        sql = (
            f"to_tsvector('simple'::regconfig, {column})"
            f" @@ to_tsquery('simple'::regconfig, {query})"
        )
        return sql, [*column_params, *query_params]

    def as_sql(self, compiler, connection, **extra):
        pk, pk_params = compiler.compile(self.source_expressions[1])
        query, query_params = compiler.compile(self.source_expressions[2])
        sql = f"{pk} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {query})"  # noqa: S608
        return sql, [*pk_params, *query_params]


MAX_POSITION_TESTS = 6  # PostgreSQL: up to this many words, strpos tests beat a regex


class HasWord(Func):
    """One of the folded ``words`` is a word of a stored, space-padded column (evaluated
    per row, over the matching rows only): ``instr(column, ' a ') > 0 OR …`` on SQLite,
    ``strpos(column, ' a ') > 0 OR …`` on PostgreSQL — or, for more than
    :data:`MAX_POSITION_TESTS` words (completions), one ``column ~ ' (a|b|…) '``."""

    output_field = BooleanField()

    def __init__(self, column: str, words: list[str]):
        super().__init__(F(column))
        self.words = list(words)

    def _tests(self, compiler, function: str) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        tests = " OR ".join([f"{function}({column}, %s) > 0"] * len(self.words))
        return f"({tests})", [p for w in self.words for p in (*params, f" {w} ")]

    def as_postgresql(self, compiler, connection, **extra):
        if len(self.words) <= MAX_POSITION_TESTS:
            return self._tests(compiler, "strpos")
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} ~ %s", [*params, " (" + "|".join(self.words) + ") "]

    def as_sql(self, compiler, connection, **extra):
        return self._tests(compiler, "instr")


def _word_score(group: WordGroup) -> Case | Value:
    """10 when the word (not a correction) is in the title, 4 when it is elsewhere,
    1 when only a correction matched."""
    if not group.exact:
        return Value(1)
    in_title = HasWord("search_title", group.exact_words)
    if group.corrected:
        exact = When(HasWord("search_text", group.exact_words), then=Value(4))
        return Case(When(in_title, then=Value(10)), exact, default=Value(1))
    return Case(When(in_title, then=Value(10)), default=Value(4), output_field=IntegerField())


def search_products(
    f: SearchFilters, *, base: QuerySet[Product] | None = None, parsed: ParsedQuery | None = None
) -> QuerySet[Product]:
    """Public products matching the filters, ranked.  Annotates ``score`` and ``boost``."""
    day = timezone.localdate()
    qs = apply_filters(public_products() if base is None else base, f, day)
    qs = qs.annotate(boost=ocop_boost(day))
    parsed = parsed or parse_query(f.query)
    if parsed.words:
        if parsed.impossible:
            qs = qs.none()
        else:
            # One look-up in the database's full-text index for the whole query.
            postgresql = connections[qs.db].vendor == "postgresql"
            query = fts_query(parsed.groups, postgresql=postgresql)
            qs = qs.filter(FullTextMatch(F("search_text"), F("id"), Value(query)))
        # The score, computed over the matching rows only.
        score = Value(0)
        for group in parsed.groups:
            score = score + _word_score(group)
        phrase = " ".join(parsed.words)
        score = score + Case(
            When(search_title__contains=f" {phrase}", then=Value(20)),
            default=Value(0),
            output_field=IntegerField(),
        )
        qs = qs.annotate(score=score + F("boost") * 2)
    else:
        qs = qs.annotate(score=F("boost"))
    order = {
        "price_asc": ["min_price", "-id"],
        "price_desc": ["-min_price", "-id"],
        "newest": ["-created_at", "-id"],
    }.get(f.sort, ["-score", "-in_stock", "-sold_count", "-id"])
    return qs.order_by(*order)
