"""The map in the browser.

The folium base map, popups, the URL view state, the app's history tabs and the self-contained page, with
their JavaScript and CSS as files beside them.
"""
