"""Loading: the gradebook, the course's data (rosters, curriculum), widget responses as frames, export."""
