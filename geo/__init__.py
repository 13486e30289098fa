"""Geography core of the Lào Cai connectivity planner: data, CRS, admin units, import/export.

Pure Python: never imports streamlit or folium.
"""
