"""The measuring tools (seed_scale, bench) in a room of their own, above the apps."""
