"""The store: a pyoxigraph store on disk, one named graph per session, and the default graph
their merge (ARCHITECTURE.md, The store).

store        the writable store and its published generations (Store), a generation
             read-only (Snapshot), and finishing a run a crash interrupted (recover)
statistics   the figures and derived dates computed into a graph at each publish
ingest       convert, validate and store minutes files; reingest what is stored
revalidate   every stored session checked again against today's shapes
textindex    the full-text index of titles, explanations and remarks, kept with the store
"""
