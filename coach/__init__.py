"""coach: a full-screen terminal coach for guided exercise routines."""

__version__ = "0.1.0"
