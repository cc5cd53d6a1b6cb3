"""voxsearch: spoken queries in, transcripts and catalog search results out."""

__version__ = "0.1.0"
__all__ = ["__version__"]
