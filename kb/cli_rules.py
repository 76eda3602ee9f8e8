"""The rule commands of `kb`: indikatorer, saerligt-tilbud, score-1b, spindelvaev.

`add_commands(sub)` plugs them into kb/cli.py's subparsers. Handlers print JSON with --json, otherwise
readable Danish text, and raise KbError for user errors (kb/cli.py prints it and exits with code 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kb.errors import KbError
from kb.text import decimal_comma


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _kilde_lines(kilde: dict, indent: str = "    ") -> list[str]:
    from kb.rules import format_kilde

    return [indent + line for line in format_kilde(kilde).splitlines()]


def _int(label: str, value: str | None, default: int | None = None) -> int:
    """Whole numbers from the command line, with a Danish error instead of argparse's English one."""
    if value is None:
        if default is None:
            raise KbError(f"Angiv {label}.")
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise KbError(f"{label[0].upper()}{label[1:]} skal være et helt tal, ikke »{value}«.") from None
    if number < 0:
        raise KbError(f"{label[0].upper()}{label[1:]} kan ikke være negativ (fik {number}).")
    return number


# ---------------------------------------------------------------------------------------------------


def cmd_indikatorer(args) -> int:
    from kb.rules import applicability, load_model

    result = applicability(args.tilbudstype, privat_med_bestyrelse=args.privat_med_bestyrelse)
    if args.json:
        _print_json(result)
        return 0
    t = result["tilbudstype"]
    model = load_model()
    lines = [f"Tilbudstype: {t['navn']} ({t['hjemmel']})"]
    if args.privat_med_bestyrelse:
        lines.append("Privat tilbud med en bestyrelse: ja")
    lines += ["", f"Gælder ({len(result['gaelder'])} af {len(model.indikatorer())}): {', '.join(result['gaelder'])}"]
    if result["gaelder_ikke"]:
        lines += ["", f"Gælder ikke ({len(result['gaelder_ikke'])}):"]
        for item in result["gaelder_ikke"]:
            lines.append(f"  {item['indikator']:5} {item['grund']}")
            lines += _kilde_lines(item["kilde"], "        ")
    if result["betinget"]:
        lines += ["", f"Betinget ({len(result['betinget'])}):"]
        for item in result["betinget"]:
            lines.append(f"  {item['indikator']:5} {item['betingelse']}")
            lines += _kilde_lines(item["kilde"], "        ")
    print("\n".join(lines))
    return 0


def cmd_saerligt_tilbud(args) -> int:
    from kb.rules import saerligt_tilbud

    result = saerligt_tilbud(" ".join(args.tekst))
    if args.json:
        _print_json(result)
        return 0
    verdict = {
        True: "Tæller på indikator 1.b",
        False: "Tæller ikke på indikator 1.b",
        None: "Kan ikke afgøres ud fra beskrivelsen",
    }[result["omfattet"]]
    lines = [f"Resultat: {verdict}", f"Kategori: {result['kategori']}", f"Begrundelse: {result['begrundelse']}"]
    if result["omfattet"] is None:
        lines.append(f"Undersøg: {result['hvad_undersoeges']}")
    for kilde in result["kilder"]:
        lines += _kilde_lines(kilde, "")
    print("\n".join(lines))
    return 0


def cmd_score_1b(args) -> int:
    from kb.rules import score_1b

    result = score_1b(
        _int("antal borgere (--borgere)", args.borgere),
        _int("antal borgere i aktivitet (--i-aktivitet)", args.i_aktivitet),
        _int("antal på folkepension uden aktivitet (--folkepension-uden-aktivitet)", args.folkepension, 0),
    )
    if args.json:
        _print_json(result)
        return 0
    lines = [
        f"Anbefalet score for indikator 1.b: {result['score']} ({result['niveau']})",
        f"Andel: {result['i_aktivitet']} af {result['naevner']} borgere = "
        f"{str(round(result['andel'] * 100, 1)).replace('.', ',')} %",
        "",
        result["begrundelse"],
        "",
        "kb's tærskler – kb's læsning af vejledningens ord, ikke Social- og Boligstyrelsens tal:",
    ]
    for t in result["taerskler"]:
        mark = "→" if t["score"] == result["score"] else " "
        lines.append(f" {mark} {t['score']}  {t['ord']:15} {t['kb_laesning']}")
        lines.append(f"        »{t['kilde']['citat']}«")
    lines.append("")
    for kilde in result["kilder"]:
        lines += _kilde_lines(kilde, "")
    print("\n".join(lines))
    return 0


def _read_scores(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise KbError(f"Filen »{path}« findes ikke. Angiv en JSON-fil med scorer, fx {{\"1.a\": 4, \"1.b\": 3}}.")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise KbError(f"Filen »{path}« er ikke gyldig JSON ({err.msg if hasattr(err, 'msg') else err}).") from None
    if not isinstance(data, dict):
        raise KbError(f'Filen »{path}« skal indeholde et JSON-objekt, fx {{"1.a": 4, "1.b": 3}}.')
    return data


def cmd_spindelvaev(args) -> int:
    from kb.rules import save_radar, spindelvaev

    result = spindelvaev(
        _read_scores(args.scores), tilbudstype=args.tilbudstype, privat_med_bestyrelse=args.privat_med_bestyrelse
    )
    written = []
    for path, fmt in ((args.png, "png"), (args.svg, "svg")):
        if path:
            written.append(str(save_radar(result["temaer"], path, fmt=fmt)))
    if written:
        result["filer"] = written
    if args.json:
        _print_json(result)
        return 0

    lines = ["Kriterier (gennemsnit af indikatorerne):"]
    lines += [f"  Kriterium {k:>2}: {decimal_comma(v)}" for k, v in result["kriterier"].items()]
    lines += ["", "Temaer (gennemsnit af kriterierne):"]
    lines += [f"  {navn}: {decimal_comma(v)}" for navn, v in result["temaer"].items()]
    if result["udeladt"]:
        lines += ["", "Udeladt, fordi indikatoren ikke gælder for tilbudstypen:"]
        lines += [f"  {u['indikator']:5} {u['grund']}" for u in result["udeladt_grunde"]]
    if result["ikke_bedoemt"]:
        lines += ["", f"Ikke bedømt (indgår ikke i gennemsnittet): {', '.join(result['ikke_bedoemt'])}"]
    lines += ["", *_kilde_lines(result["kilde"], "")]
    for path in written:
        lines.append(f"Spindelvæv gemt: {path}")
    print("\n".join(lines))
    return 0


# ---------------------------------------------------------------------------------------------------


def add_commands(sub) -> None:
    """Add the rule commands to kb's argparse subparsers."""
    s = sub.add_parser(
        "indikatorer",
        help="hvilke indikatorer gælder for en tilbudstype",
        description="Vis, hvilke af Kvalitetsmodellens indikatorer der gælder, ikke gælder eller er betingede "
        "for en tilbudstype – med citat af modellens noter.",
    )
    s.add_argument("--tilbudstype", required=True, metavar="TEKST",
                   help="fx »krisecenter«, »§ 110«, »sikret døgninstitution« eller et id")
    s.add_argument("--privat-med-bestyrelse", action="store_true", help="tilbuddet er privat og har en bestyrelse")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.set_defaults(func=cmd_indikatorer)

    s = sub.add_parser(
        "saerligt-tilbud",
        help="tæller en aktivitet på indikator 1.b",
        description="Vurdér efter vejledningen (2. udg. 2024), om en beskrevet aktivitet tæller på indikator 1.b.",
    )
    s.add_argument("tekst", nargs="+", metavar="TEKST", help="beskrivelse af aktiviteten")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.set_defaults(func=cmd_saerligt_tilbud)

    s = sub.add_parser(
        "score-1b",
        help="anbefalet score for indikator 1.b ud fra antal borgere",
        description="Anbefalet score 1-5 for indikator 1.b. Tærsklerne er kb's læsning af vejledningens ord.",
    )
    s.add_argument("--borgere", required=True, metavar="N", help="antal borgere i tilbuddet")
    s.add_argument("--i-aktivitet", required=True, metavar="M",
                   help="antal i uddannelse, beskæftigelse eller samværs- og aktivitetstilbud "
                        "(midlertidigt fraværende medregnet)")
    s.add_argument("--folkepension-uden-aktivitet", dest="folkepension", metavar="P",
                   help="antal på folkepension, som ikke er i aktivitet (holdes uden for nævneren)")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.set_defaults(func=cmd_score_1b)

    s = sub.add_parser(
        "spindelvaev",
        help="gennemsnit pr. kriterium og tema og spindelvæv",
        description="Beregn gennemsnit pr. kriterium og tema ud fra indikatorscorer (1-5) og tegn spindelvævet.",
    )
    s.add_argument("--scores", required=True, metavar="FIL.json", help='JSON-objekt, fx {"1.a": 2, "1.b": 5}')
    s.add_argument("--png", metavar="UD.png", help="gem spindelvævet som PNG")
    s.add_argument("--svg", metavar="UD.svg", help="gem spindelvævet som SVG")
    s.add_argument("--tilbudstype", metavar="TEKST", help="udelad indikatorer, der ikke gælder for tilbudstypen")
    s.add_argument("--privat-med-bestyrelse", action="store_true", help="tilbuddet er privat og har en bestyrelse")
    s.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    s.set_defaults(func=cmd_spindelvaev)


def build_parser() -> argparse.ArgumentParser:
    """A parser with only the rule commands (for tests and `python -m kb.cli_rules`)."""
    p = argparse.ArgumentParser(prog="kb")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True
    add_commands(sub)
    return p
