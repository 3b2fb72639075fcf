"""Streamlit pages and their rendering helpers; UI only, all logic lives in the core."""
