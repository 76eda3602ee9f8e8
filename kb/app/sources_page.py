"""Om kilderne: what is indexed, the index status, a rebuild button, and adding a source by upload.

An upload is checked with the core's own loader in a temporary folder before anything touches
``kilder/``; if adding or indexing then fails, the manifest entry and the copied file are rolled
back, and the old index keeps serving throughout (the core builds next to it and swaps atomically).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path

import streamlit as st

from kb import paths
from kb.app import common
from kb.app.highlight import escape_md
from kb.errors import KbError

log = logging.getLogger("kb.app")

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_TYPES = ["pdf", "txt", "md"]


def fmt_time(iso: str | None) -> str:
    """ISO timestamp → Danish local date and time."""
    if not iso:
        return "ukendt"
    try:
        dt = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return dt.strftime("%d.%m.%Y %H.%M")


def render() -> None:
    st.title("Om kilderne")
    st.caption(
        "De dokumenter, kb søger i, og søgeindeksets tilstand. Du kan bygge indekset igen og tilføje "
        "en ny kilde."
    )
    with common.guard():
        _sources_section()
    with common.guard():
        _status_section()
    with common.guard():
        _upload_section()


def _sources_section() -> None:
    st.subheader("Kilder")
    sources = list(common.sources_by_id().values())
    if not sources:
        st.warning("Kildefortegnelsen (kilder/kilder.toml) kunne ikke læses eller er tom.")
        return
    chunks_by_source: dict = {}
    try:
        chunks_by_source = common.get_engine().status().get("sources", {})
    except KbError:
        pass
    for src in sources:
        with st.container(border=True):
            title = src.title + (f" – {src.subtitle}" if getattr(src, "subtitle", None) else "")
            st.markdown(f"**{escape_md(title)}**")
            meta = [src.publisher]
            if src.authors:
                meta.insert(0, ", ".join(src.authors))
            if src.year:
                meta.append(str(src.year))
            if src.edition:
                meta.append(src.edition)
            st.markdown(escape_md(" · ".join(meta)))
            info = chunks_by_source.get(src.id)
            indexed = (
                f"{info['chunks']} tekststykker og {info.get('questions', 0)} spørgsmål, de besvarer, i indekset"
                if info else "ikke indekseret endnu"
            )
            st.caption(escape_md(f"Id: {src.id} · fil: {src.file} · {indexed}"))


def _status_section() -> None:
    st.subheader("Søgeindeks")
    try:
        status = common.get_engine().status()
    except KbError as e:
        st.error(str(e), icon=common.ERROR_ICON)
        status = None
    if status:
        c = st.columns([1, 1, 1, 2, 1])
        c[0].metric("Tekststykker", status.get("chunks", "–"))
        c[1].metric(
            "Spørgsmål",
            status.get("questions", 0),
            help="Spørgsmål, tekststykkerne besvarer (kilder/spoergsmaal/): søgningen måler dit spørgsmål mod dem.",
        )
        c[2].metric("Kilder", len(status.get("sources", {})))
        c[3].metric("Bygget", fmt_time(status.get("built_at")))
        c[4].metric("kb-version", str(status.get("kb_version", "–")))
        st.caption(
            f"Sprogmodel (embedder): {escape_md(str(status.get('embedder', '–')))} · "
            f"{status.get('dim', '–')} dimensioner"
        )
    st.markdown(
        "Byg indekset igen, når kilderne er ændret. Kun nye eller ændrede tekststykker indlejres, og det "
        "nuværende indeks bruges, indtil det nye er færdigt."
    )
    if st.button("Byg indekset igen", icon=":material/refresh:", key="genopbyg"):
        stats = rebuild()
        if stats is not None:
            show_stats(stats)


def rebuild() -> dict | None:
    """Rebuild with a progress bar; one at a time per process. Returns the build statistics."""
    lock = common.rebuild_lock()
    if not lock.acquire(blocking=False):
        st.warning("Indekset er ved at blive bygget i en anden session. Vent et øjeblik, og prøv igen.")
        return None
    try:
        return _build_with_progress()
    finally:
        lock.release()


def _build_with_progress() -> dict:
    """Incremental build into the configured index dir; the caller holds the rebuild lock."""
    from kb import api

    bar = st.progress(0.0, text="Læser kilderne …")

    def progress(done: int, total: int) -> None:
        try:
            frac = done / total if total else 1.0
            bar.progress(min(frac, 1.0), text=f"Indlejrer tekststykker: {done} af {total}")
        except Exception:  # noqa: BLE001 - progress display must never break a build
            pass

    try:
        with st.spinner("Bygger søgeindekset …"):
            stats = api.build_index(progress=progress)
    finally:
        bar.empty()
    common.clear_engine()
    return stats


def show_stats(stats: dict) -> None:
    from kb.indexer import failure_outcome

    fejl = stats.get("fejl") or []
    if fejl:
        for f in fejl:
            st.warning(f"Kilden {escape_md(str(f.get('source')))} {escape_md(failure_outcome(f))}")
    st.success(
        f"Indekset er bygget: {stats.get('kilder', '?')} kilder, {stats.get('chunks', '?')} tekststykker, "
        f"{stats.get('spoergsmaal', 0)} spørgsmål ({stats.get('indlejret', 0)} nye indlejret, "
        f"{stats.get('genbrugt', 0)} genbrugt) på "
        f"{common.fmt_num(float(stats.get('sekunder', 0) or 0), 1)} s.",
        icon=":material/check_circle:",
    )


def _upload_section() -> None:
    st.subheader("Tilføj en kilde")
    st.markdown(
        f"Upload en PDF-, tekst- (.txt) eller Markdown-fil (.md) på højst {MAX_UPLOAD_MB} MB, og udfyld "
        "oplysningerne til kildehenvisningen. Filen kontrolleres, lægges i kilder/ og indekseres. Går noget "
        "galt, fortrydes tilføjelsen, og det nuværende indeks bruges fortsat."
    )
    with st.form("upload_form", clear_on_submit=False):
        upload = st.file_uploader(
            "Dokument", type=UPLOAD_TYPES, max_upload_size=MAX_UPLOAD_MB, key="upload_fil"
        )
        c1, c2 = st.columns(2)
        titel = c1.text_input("Titel *", max_chars=300, key="upload_titel")
        udgiver = c2.text_input("Udgiver *", max_chars=200, key="upload_udgiver")
        c3, c4, c5 = st.columns(3)
        aar = c3.number_input(
            "Udgivelsesår",
            min_value=1800,
            max_value=2200,
            value=None,
            step=1,
            key="upload_aar",
            placeholder="fx 2024",
        )
        udgave = c4.text_input("Udgave", max_chars=100, key="upload_udgave", placeholder="fx 2. udg.")
        kilde_id = c5.text_input(
            "Kort id (valgfrit)",
            max_chars=40,
            key="upload_id",
            help="Små bogstaver a-z, tal, - og _. Udelades det, dannes det af filnavnet.",
        )
        forfattere = st.text_input(
            "Forfattere (adskilt med komma, valgfrit)", max_chars=500, key="upload_forfattere"
        )
        submitted = st.form_submit_button("Tilføj og indeksér", type="primary", icon=":material/upload:")
    if not submitted:
        return
    if upload is None:
        common.error("Vælg en fil at uploade.")
        return
    data = upload.getvalue()
    authors = [a.strip() for a in (forfattere or "").split(",") if a.strip()]
    add_uploaded(
        upload.name,
        data,
        titel=titel,
        udgiver=udgiver,
        aar=int(aar) if aar else None,
        udgave=udgave or None,
        kilde_id=(kilde_id or "").strip() or None,
        forfattere=authors,
    )


def check_upload(name: str, data: bytes) -> str:
    """Cheap checks before the core sees the file; returns the sanitised file name."""
    from kb.sources import sanitize_filename

    safe = sanitize_filename(name)
    suffix = Path(safe).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        raise KbError("Kun PDF-, .txt- og .md-filer kan tilføjes som kilder.")
    if len(data) == 0:
        raise KbError("Filen er tom.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise KbError(f"Filen er for stor ({len(data) / 1e6:.1f} MB). Den må højst fylde {MAX_UPLOAD_MB} MB.")
    if suffix == "pdf" and not data[:1024].lstrip().startswith(b"%PDF-"):
        raise KbError(
            "Filen er ikke en gyldig PDF (den mangler PDF-hovedet). Gem den som PDF igen, og prøv igen."
        )
    if suffix in ("txt", "md"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError as e:
                raise KbError("Tekstfilen kan ikke læses. Gem den som UTF-8, og prøv igen.") from e
    return safe


def preflight(safe_name: str, data: bytes, titel: str, udgiver: str) -> None:
    """Run the core's loader on a temporary copy: a broken file never reaches kilder/."""
    from kb.ingest import load_document
    from kb.sources import Source

    with tempfile.TemporaryDirectory(prefix="kb-upload-") as tmp:
        (Path(tmp) / safe_name).write_bytes(data)
        src = Source(id="upload", title=titel or "upload", publisher=udgiver or "upload", file=safe_name)
        try:
            load_document(src, Path(tmp))
        except KbError as e:
            detail = str(e).replace(f"Kilden {src.id!r}: ", "")
            raise KbError(f"Filen kunne ikke læses: {detail}") from e
        except Exception as e:
            log.warning("Upload kunne ikke indlæses", exc_info=True)
            kind = "PDF" if safe_name.lower().endswith(".pdf") else "tekstfil"
            raise KbError(
                f"Filen kunne ikke læses som {kind} – den ser ud til at være beskadiget. "
                "Åbn og gem den igen (fx »Gem som PDF«), og prøv igen."
            ) from e


def add_uploaded(
    name: str,
    data: bytes,
    *,
    titel: str,
    udgiver: str,
    aar: int | None,
    udgave: str | None,
    kilde_id: str | None,
    forfattere: list[str],
) -> bool:
    """Check, add and index an uploaded source; roll everything back on failure. True on success."""
    from kb.sources import add_source, manifest_path

    lock = common.rebuild_lock()
    if not lock.acquire(blocking=False):
        st.warning("Indekset er ved at blive bygget i en anden session. Vent et øjeblik, og prøv igen.")
        return False
    added_file: Path | None = None
    manifest = manifest_path(paths.kilder_dir())
    manifest_before: bytes | None = None
    ok = False
    try:
        if not (titel or "").strip():
            raise KbError("Angiv en titel for kilden.")
        if not (udgiver or "").strip():
            raise KbError("Angiv en udgiver for kilden.")
        safe = check_upload(name, data)
        with st.spinner("Kontrollerer filen …"):
            preflight(safe, data, titel, udgiver)
        manifest_before = manifest.read_bytes()
        with tempfile.TemporaryDirectory(prefix="kb-upload-") as tmp:
            tmp_path = Path(tmp) / safe
            tmp_path.write_bytes(data)
            src = add_source(
                tmp_path,
                titel=titel,
                udgiver=udgiver,
                aar=aar,
                id=kilde_id,
                forfattere=forfattere or None,
                udgave=udgave,
            )
        added_file = src.path(paths.kilder_dir())
        stats = _build_with_progress()
        own = [f for f in stats.get("fejl") or [] if f.get("source") == src.id and not f.get("kun_spoergsmaal")]
        if own:
            raise KbError(f"Kilden kunne ikke indekseres: {own[0].get('fejl')}")
        show_stats(stats)
        st.success(
            f"Kilden »{escape_md(src.title)}« er tilføjet og kan nu søges i.", icon=":material/check_circle:"
        )
        ok = True
        return True
    except KbError as e:
        # The message may quote the file name or id the user typed: show it literally.
        st.error(
            escape_md(f"{e} Kilden er ikke tilføjet; det nuværende søgeindeks bruges fortsat."),
            icon=common.ERROR_ICON,
        )
        return False
    except Exception:
        log.exception("Upload af kilde fejlede")
        st.error(
            "Kilden kunne ikke tilføjes på grund af en uventet fejl. Det nuværende søgeindeks bruges "
            "fortsat.",
            icon=common.ERROR_ICON,
        )
        return False
    finally:
        if not ok:
            _rollback(manifest, manifest_before, added_file)
        lock.release()


def _rollback(manifest: Path, before: bytes | None, added_file: Path | None) -> None:
    """Undo a half-finished upload: restore kilder.toml and remove the copied file."""
    try:
        if before is not None and manifest.read_bytes() != before:
            manifest.write_bytes(before)
        if added_file is not None and added_file.exists():
            added_file.unlink()
    except OSError:
        log.exception("Tilbagerulning af upload fejlede")


if __name__ == "__main__":
    render()
