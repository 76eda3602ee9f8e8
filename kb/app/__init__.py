"""The Streamlit app's pages and helpers (entry point: ``app.py``; run ``streamlit run app.py``).

Each ``*_page.py`` is a Streamlit page script registered in ``app.py`` with ``st.Page``; shared
pieces live in ``common`` (cached engine, errors, kilde rendering), ``highlight`` (safe Markdown)
and ``export`` (downloads).
"""
