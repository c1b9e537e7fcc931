"""Pure math and figures of the lesson pages (never imports streamlit)."""
