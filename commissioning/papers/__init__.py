"""Decision papers: gather the figures (context), lay them out (templates), print them (render)."""
