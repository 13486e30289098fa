"""Analysis core: coverage, gaps, indicators, planning and reports (pure, no UI imports)."""
