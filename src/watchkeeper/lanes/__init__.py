"""Input lanes: message formats that carry people to screen (travel messages, ...)."""
