"""The command line: ``committee-kg SUBCOMMAND``.

Argument parsing and dispatch only: each command's work is done in the rooms (the loaders,
``store/``, ``query/``, ``publish/``, ``web/``), imported by the command that needs it, so
``--help`` loads no RDF library and ``convert`` none of the server's.

Errors are one line on stderr naming the file and the place, and a non-zero exit (each
error's ``exit_code``, ``loaders/errors.py``): a script or a person can act on one line,
and a traceback is a bug. ``convert`` exits 0 for a complete valid session, 3 for a
partial or invalid one it still printed, 2 when nothing usable was found.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
from pathlib import Path

from committee_kg.data import EXAMPLES_DIR
from committee_kg.loaders.errors import CommitteeKGError, QueryError, StoreWriteError

from .settings import default, help_text, is_url, limits

# what ``pip install committee-kg`` leaves out: reading needs none of it (pyproject.toml)
SERVER_EXTRA = {"flask", "waitress", "networkx", "numpy", "scipy", "tqdm"}
SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def example_sources() -> list[Path]:
    """The bundled example minutes of every layout (not their expectations or READMEs)."""
    return sorted(
        p for p in EXAMPLES_DIR.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.name[0] != "."
    )


DEMO_STORE = "./data/demo-store"
DEMO_DUMPS = "./data/demo-dumps"


def _err(message: str) -> None:
    print(f"committee-kg: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _dump_arg(p) -> None:
    p.add_argument(
        "--dump",
        nargs="?",
        const=default("dumps"),
        metavar="DIR",
        help="then rewrite the open-data dumps there if the store changed "
        f"(default {default('dumps')})",
    )


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=default("store"), help=help_text("store"))


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--loader", help="use this loader instead of the best-recognising one")
    p.add_argument("--committee", help="the commission's code (JP-35) when the text cannot tell")
    p.add_argument("--url", help="URL where the source document is published")


def _prepare_workers_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes converting and validating while this one writes "
        "(default: one per CPU from 64 files; 1: all in this process)",
    )


def _limit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=default("timeout"), help=help_text("timeout"))
    p.add_argument("--max-rows", type=int, default=default("max_rows"), help=help_text("max_rows"))
    p.add_argument("--workers", type=int, default=default("workers"), help=help_text("workers"))


# -- subcommands ------------------------------------------------------------------------


def cmd_convert(args) -> int:
    from committee_kg.loaders.pipeline import convert
    from committee_kg.loaders.validate import validate
    from committee_kg.loaders.vocab import Minter

    minter = Minter(args.base)
    conv = convert(
        args.file,
        loader=args.loader,
        committee=args.committee,
        url=args.url,
        minter=minter,
        limits=limits(),
    )
    report = validate(conv.graph, base=minter.base)
    fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[args.format]
    sys.stdout.write(conv.graph.serialize(format=fmt))
    for w in conv.warnings:
        _warn(f"{args.file}: {w}")
    for f in report.findings:
        _warn(f"{args.file}: {f.line()}")
    return 0 if report.conforms and not conv.warnings else 3


def _validate_store(args) -> int:
    """Every stored session against the shapes of today: after the shapes change."""
    from committee_kg.server.store.revalidate import revalidate

    if args.format != "text":
        _err("validate --store: the report is text (validate a session's file for --format ttl)")
        return 2
    total = invalid = warned = 0
    try:
        for checked in revalidate(args.store, args.workers):
            total += 1
            invalid += not checked.conforms
            warned += bool(checked.findings) and checked.conforms
            if checked.findings:
                state = "valid" if checked.conforms else "INVALID"
                print(f"session {checked.meeting} (graph {checked.graph}): {state}")
                for f in checked.findings:
                    print(f"  {f.line()}")
    except CommitteeKGError as exc:
        _err(str(exc))
        return exc.exit_code
    print(f"{total} session(s) checked: {invalid} invalid, {warned} valid with warnings")
    return 3 if invalid else 0


def cmd_validate(args) -> int:
    from committee_kg.loaders.pipeline import convert
    from committee_kg.loaders.validate import validate

    if bool(args.files) == bool(args.store):
        _err("validate: give minutes files, or --store DIR, not both")
        return 2
    if args.store:
        return _validate_store(args)
    worst = 0
    for file in args.files:
        try:
            conv = convert(file, loader=args.loader, committee=args.committee, limits=limits())
        except CommitteeKGError as exc:
            _err(str(exc))
            worst = max(worst, exc.exit_code)
            continue
        report = validate(conv.graph)
        if args.format == "ttl":
            sys.stdout.write(report.turtle())
        else:
            state = "valid" if report.conforms else "INVALID"
            print(
                f"{file}: session {conv.meeting}: {state}, {len(report.violations)} violation(s), "
                f"{len(report.warnings)} warning(s)"
            )
            for w in conv.warnings:
                print(f"  gap: {w}")
            for f in report.findings:
                print(f"  {f.line()}")
        if not report.conforms:
            worst = max(worst, 3)
    return worst


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .store.ingest import ingest
    from .store.remote import open_store

    def report(o) -> None:
        for w in o.warnings:
            tqdm.write(f"warning: {w}", file=sys.stderr)
        if not o.ok:
            tqdm.write(f"committee-kg: {o.message}", file=sys.stderr)
        elif args.verbose:
            tqdm.write(f"{o.status}: {o.path} → {o.meeting}", file=sys.stderr)

    files = [Path(f) for f in args.files]
    store = open_store(args.store, base=args.base)  # a directory, or a SPARQL server's URL
    outcomes = ingest(
        store,
        files,
        loader=args.loader,
        committee=args.committee,
        url=args.url,
        keep=default("keep_generations"),
        on_outcome=report,
        workers=args.workers,
    )
    loaded = sum(o.status == "loaded" for o in outcomes)
    same = sum(o.status == "unchanged" for o in outcomes)
    bad = len(outcomes) - loaded - same
    print(f"{loaded} loaded, {same} unchanged, {bad} failed — store {args.store}", file=sys.stderr)
    store.close()
    _refresh_dumps(args, changed=loaded > 0)
    return 3 if bad else 0


def _refresh_dumps(args, changed: bool) -> None:
    """``--dump``: the dumps follow the store, so that what a portal harvests is never older
    than what the endpoint answers (rewritten when the store changed, or when none is there)."""
    if args.dump is None or not (changed or not Path(args.dump, "SHA256SUMS").exists()):
        return
    from .publish.dump import dump_store

    files = dump_store(args.store, args.dump)
    print(f"dumps: {len(files)} files in {args.dump}", file=sys.stderr)


def cmd_reingest(args) -> int:
    from .store.ingest import reingest
    from .store.store import Store

    outcomes = reingest(Store(args.store), keep=default("keep_generations"), workers=args.workers)
    for o in outcomes:
        for w in o.warnings:
            _warn(w)
        if not o.ok:
            _err(o.message)
    loaded = sum(o.status == "loaded" for o in outcomes)
    same = sum(o.status == "unchanged" for o in outcomes)
    print(
        f"{loaded} changed, {same} unchanged, {len(outcomes) - loaded - same} failed",
        file=sys.stderr,
    )
    _refresh_dumps(args, changed=loaded > 0)
    return 0 if loaded + same == len(outcomes) else 3


def _read_query(args, **kw):
    """The request for the query given: a catalogue query as the server builds it (the
    text-search narrowed by the full-text index), or the query text."""
    from .query import sparql

    if args.name:
        from .query import textsearch
        from .store.store import Store

        params = {}
        for p in args.param or []:
            key, sep, value = p.partition("=")
            if not sep:
                raise QueryError(f"--param {p!r}: write it as NAME=VALUE")
            params[key.lstrip("?$")] = value
        base = Store.recorded_base(Path(args.store)) or default("base")
        return textsearch.catalogue_request(args.name, params, base, **kw)
    if args.param:
        raise QueryError("--param goes with --name (a catalogue query)")
    if args.query is None:
        raise QueryError("give a query, @FILE, or --name NAME")
    if args.query.startswith("@"):
        return sparql.Request(Path(args.query[1:]).read_text(encoding="utf-8"), **kw)
    return sparql.Request(args.query, **kw)


def cmd_query(args) -> int:
    from .query import textsearch
    from .store.remote import open_snapshot

    snap = open_snapshot(args.store)
    results = args.format if args.format in ("json", "csv", "tsv", "xml") else "json"
    graphs = args.format if args.format in ("ttl", "nt", "jsonld") else "ttl"
    request = _read_query(args, results=results, graphs=graphs, max_rows=args.max_rows)
    result = textsearch.run(snap, request)
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    if result.truncated:
        _warn(f"the result was cut at {args.max_rows} rows (--max-rows)")
    return 0


def cmd_dump(args) -> int:
    from .publish.dump import dump_store

    files = dump_store(args.store, args.out, args.public_url)
    print(f"{len(files)} files in {args.out}", file=sys.stderr)
    return 0


def cmd_sessions(args) -> int:
    from .store.remote import open_snapshot, open_store

    if args.remove:
        store = open_store(args.store)
        removed = [m for m in args.remove if store.remove(m)]
        for m in set(args.remove) - set(removed):
            _err(f"{args.store}: no session {m}")
        if store.unpublished:
            store.publish()
        print(f"{len(removed)} session(s) removed", file=sys.stderr)
        return 0 if len(removed) == len(args.remove) else 4
    for s in open_snapshot(args.store).sessions():
        print(f"{s.date}\t{s.committee}\t{s.meeting}\t{s.triples}\t{s.source_sha256[:12]}")
    return 0


def cmd_topics(args) -> int:
    from committee_kg.loaders.topics import suggest

    from .store.remote import open_snapshot
    from .store.store import agenda_texts

    texts = agenda_texts(open_snapshot(args.store).db)
    print("phrase\toccurrences\tsessions")
    for phrase, n, sessions in suggest(texts, limit=args.limit, min_sessions=args.min_sessions):
        print(f"{phrase}\t{n}\t{sessions}")
    return 0


def cmd_loaders(args) -> int:
    from committee_kg.loaders.registry import loaders

    for ld in loaders():
        print(f"{ld.name}\t{ld.version}\t{ld.description}")
    return 0


def _stop_on_signals() -> None:
    """SIGINT and SIGTERM both stop ``serve`` and ``demo`` cleanly (waitress finishes, the
    query workers are stopped, exit 0): a supervisor sends either, and a process a shell
    started in the background inherits SIGINT ignored, which Python would then leave so."""

    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)


def _serve(store: str, args) -> None:
    _stop_on_signals()
    from .web.serve import serve

    serve(
        store,
        args.host,
        args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        dumps=args.dumps,
    )


def cmd_serve(args) -> int:
    from .store.remote import open_snapshot
    from .web.httpserver import few_malloc_arenas

    few_malloc_arenas()  # first: opening the store starts threads

    # fail now, with one line, if there is nothing to serve (a directory without a published
    # store, a SPARQL server that does not answer)
    open_snapshot(args.store)
    _serve(args.store, args)
    return 0


def _progress_lines(total: int, what: str):
    """An on_outcome that says how far a batch is, a line at each quarter, where no
    progress bar can be drawn (stderr is no terminal: a log, a supervisor)."""
    done = 0
    marks = {round(total * k / 4) for k in (1, 2, 3)}

    def heard(outcome) -> None:
        nonlocal done
        done += 1
        if not outcome.ok:
            _err(outcome.message)
        if done in marks:
            print(f"demo: {what} {done} of {total}", file=sys.stderr, flush=True)

    return heard


def cmd_demo(args) -> int:
    from .publish.dump import dump_store
    from .store.ingest import ingest
    from .store.store import Store
    from .web.httpserver import few_malloc_arenas

    few_malloc_arenas()  # first: the demo ends serving (see cmd_serve)
    _stop_on_signals()
    target = Path(args.store)
    if target.exists():
        shutil.rmtree(target)
    files = example_sources()
    print(f"demo: ingesting {len(files)} example minutes into {target} …", file=sys.stderr)
    bar = sys.stderr.isatty()  # a terminal gets ingest's progress bar, a log these lines
    outcomes = ingest(
        Store(target),
        files,
        progress=bar,
        on_outcome=None if bar else _progress_lines(len(files), "ingested"),
    )
    if bar:
        for o in outcomes:
            if not o.ok:
                _err(o.message)
    loaded = sum(o.ok for o in outcomes)
    print(
        f"demo: {loaded} of {len(files)} example sessions ingested into {target}", file=sys.stderr
    )
    print(f"demo: writing the dumps to {args.dumps} …", file=sys.stderr, flush=True)
    # the demo's catalogue links to the demo server, so a harvester can follow them
    written = dump_store(target, args.dumps, f"http://{args.host}:{args.port}/")
    print(f"demo: {len(written)} dump files written to {args.dumps}", file=sys.stderr)
    if args.no_serve:
        return 0 if loaded == len(files) else 3
    _serve(str(target), args)
    return 0


# -- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="committee-kg", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("convert", help="print one minutes file as RDF (no store)")
    c.add_argument("file")
    c.add_argument("--format", choices=["ttl", "nt", "jsonld"], default="ttl")
    c.add_argument("--base", default=default("base"), help=help_text("base"))
    _source_args(c)
    c.set_defaults(func=cmd_convert)

    v = sub.add_parser(
        "validate", help="check minutes files, or every session of a store, against the shapes"
    )
    v.add_argument("files", nargs="*")
    v.add_argument("--format", choices=["text", "ttl"], default="text")
    v.add_argument(
        "--store", help="instead of files: every session stored here (its current generation)"
    )
    v.add_argument("--workers", type=int, help="with --store: processes (default: one per CPU)")
    _source_args(v)
    v.set_defaults(func=cmd_validate)

    i = sub.add_parser("ingest", help="convert, validate and store minutes files")
    i.add_argument("files", nargs="+")
    i.add_argument("--base", default=None, help=help_text("base"))
    i.add_argument("-v", "--verbose", action="store_true", help="a line for every file stored")
    _dump_arg(i)
    _store_arg(i)
    _source_args(i)
    _prepare_workers_arg(i)
    i.set_defaults(func=cmd_ingest)

    q = sub.add_parser("query", help="run a SPARQL query on the store")
    q.add_argument("query", nargs="?", help="the query, or @FILE")
    q.add_argument("--name", help="a catalogue query from queries/ instead")
    q.add_argument(
        "--param", action="append", metavar="NAME=VALUE", help="a catalogue query's parameter"
    )
    q.add_argument("--max-rows", type=int, default=default("max_rows"), help=help_text("max_rows"))
    q.add_argument(
        "--format", choices=["json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"], default="json"
    )
    _store_arg(q)
    q.set_defaults(func=cmd_query)

    d = sub.add_parser("dump", help="write the open-data dumps (with DCAT, VoID, SHA256SUMS)")
    d.add_argument("--out", default=default("dumps"), help=help_text("dumps"))
    d.add_argument("--public-url", default=default("public_url"), help=help_text("public_url"))
    _store_arg(d)
    d.set_defaults(func=cmd_dump)

    s = sub.add_parser("serve", help="serve the SPARQL endpoint")
    _store_arg(s)
    s.add_argument("--host", default=default("host"), help=help_text("host"))
    s.add_argument("--port", type=int, default=default("port"), help=help_text("port"))
    s.add_argument("--dumps", default=default("dumps"), help=help_text("dumps"))
    _limit_args(s)
    s.set_defaults(func=cmd_serve)

    ss = sub.add_parser("sessions", help="list stored sessions, or remove some")
    _store_arg(ss)
    ss.add_argument("--remove", nargs="+", metavar="IRI", help="meeting IRIs to remove")
    ss.set_defaults(func=cmd_sessions)

    ri = sub.add_parser("reingest", help="rerun today's loaders over every stored source file")
    _dump_arg(ri)
    _store_arg(ri)
    _prepare_workers_arg(ri)
    ri.set_defaults(func=cmd_reingest)

    tp = sub.add_parser("topics", help="grow the topic scheme: phrases no topic covers yet")
    tp.add_argument(
        "--suggest",
        action="store_true",
        required=True,
        help="list frequent noun phrases of the stored sessions that no topic covers",
    )
    tp.add_argument("--limit", type=int, default=30)
    tp.add_argument("--min-sessions", type=int, default=2, help="in at least this many sessions")
    _store_arg(tp)
    tp.set_defaults(func=cmd_topics)

    lo = sub.add_parser("loaders", help="list the source-layout loaders")
    lo.set_defaults(func=cmd_loaders)

    de = sub.add_parser("demo", help="ingest the example minutes into a fresh store and serve")
    de.add_argument("--store", default=DEMO_STORE)
    de.add_argument("--host", default=default("host"), help=help_text("host"))
    de.add_argument("--port", type=int, default=default("port"), help=help_text("port"))
    de.add_argument("--dumps", default=DEMO_DUMPS, help="where the demo's dumps are written")
    de.add_argument("--no-serve", action="store_true", help="ingest and dump only")
    _limit_args(de)
    de.set_defaults(func=cmd_demo)
    return p


def _recover(args) -> None:
    """A run killed between storing and publishing is finished by the next command on the
    store, whichever it is, and by the server's start (issue 16)."""
    store = getattr(args, "store", None)
    if store is None or args.command == "demo":  # (the demo starts a fresh store)
        return
    if is_url(store):  # a SPARQL server: RemoteStore finishes an interrupted run on opening
        return
    from .store.store import recover

    try:
        generation = recover(store)
    except StoreWriteError as exc:  # a read can go on; a write meets the same error itself
        _warn(str(exc))
        return
    if generation:
        _warn(
            f"{store}: an interrupted run had stored changes that no generation held; "
            f"they are published now, as generation {generation}"
        )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _recover(args)
        return args.func(args)
    except CommitteeKGError as exc:
        _err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except ModuleNotFoundError as exc:
        if exc.name not in SERVER_EXTRA:
            raise
        _err(
            f"{args.command} needs the store and web libraries ({exc.name} is not installed): "
            "pip install 'committee-kg[server]'"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
