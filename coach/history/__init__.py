"""Session history: what it holds (`model`), the SQLite file (`schema`, `sqlite`), and its
exports (`export`)."""
