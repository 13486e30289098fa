"""Presentation code for the Streamlit app: translations, map layers, page sections."""
