"""Gold sets, predict, score and bench (python -m eval ...)."""
