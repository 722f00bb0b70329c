"""watchkeeper: counter-terrorism screening on one watchlist core and one matcher."""

__version__ = "0.1.0"
