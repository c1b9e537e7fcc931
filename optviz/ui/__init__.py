"""The Streamlit layer: widgets built from specs, cached wrappers, URL/session state.

This package (with ``app.py`` and ``pages/``) is the only code that imports streamlit.
"""
