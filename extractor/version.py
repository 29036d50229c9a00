"""docmine's version, in a module of its own: the store and the batch stamp rows with it without importing the
package's public API (``extractor/__init__.py`` imports ``api``)."""

__version__ = "0.1.0"
