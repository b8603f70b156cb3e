"""One module per exercise kind."""
