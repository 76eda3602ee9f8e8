"""kb – søgning i vejledninger og regler for socialtilsyn. Start: ``streamlit run app.py``.

The entry point only sets up the page and the navigation; each page lives in ``kb/app/``.
"""

import logging

import streamlit as st

st.set_page_config(
    page_title="kb – vejledning til socialtilsyn",
    page_icon=":material/menu_book:",
    layout="wide",
    initial_sidebar_state="expanded",
)
logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logging.getLogger("kb").setLevel(logging.INFO)

# Static CSS only (never document or user text): drop Streamlit's English input hints ("Press Enter
# to submit form", the upload size line) - the Danish labels and help say the same - and tighten the
# top margin for laptop screens.
st.html(
    """<style>
    [data-testid="InputInstructions"],
    [data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
    [data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
    </style>"""
)

PAGES = [
    st.Page("kb/app/search_page.py", title="Søg", icon=":material/search:", url_path="soeg", default=True),
    st.Page(
        "kb/app/model_page.py",
        title="Kvalitetsmodellen",
        icon=":material/account_tree:",
        url_path="kvalitetsmodellen",
    ),
    st.Page(
        "kb/app/saerligt_page.py", title="Særligt tilbud?", icon=":material/rule:", url_path="saerligt-tilbud"
    ),
    st.Page(
        "kb/app/scoring_page.py", title="Scoring og spindelvæv", icon=":material/radar:", url_path="scoring"
    ),
    st.Page("kb/app/practice_page.py", title="Øv dig", icon=":material/school:", url_path="oev-dig"),
    st.Page(
        "kb/app/sources_page.py", title="Om kilderne", icon=":material/library_books:", url_path="kilder"
    ),
]

page = st.navigation(PAGES, position="sidebar")
page.run()
with st.sidebar:
    st.caption(
        "kb samler Kvalitetsmodel for socialtilsyn, Social- og Boligstyrelsens vejledning og "
        "relevante analyser. Svarene er hjælp til den faglige vurdering – ikke en afgørelse."
    )
