"""The Streamlit side of the app: cached loaders, session state, downloads. Only `app.py` uses it."""
