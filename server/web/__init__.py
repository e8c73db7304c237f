"""The web app: Flask under waitress. ``app.py`` makes the app and lists its blueprints,
the only way routes are registered here.

app, state    the app, and what it holds per app (snapshot, workers, caches, limits)
guards        what every request passes through: bounds, errors, headers
site          language, the layout's globals, problem documents and error pages
home          /  /search
endpoint      /sparql  /api/queries…  /health
pages         /id/…  /graph/…  /ontology  /dumps/…  (with describe and ontodoc)
graph_views   /graph  /api/graph…
cache, csp    the one cache class; the one Content-Security-Policy
admission, proxies, httpserver, serve
              places per kind of request, trusted proxies, guarded waitress, serving
"""
