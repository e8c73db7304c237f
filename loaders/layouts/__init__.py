"""One module per source layout; each registers itself with ``loaders.registry``."""
