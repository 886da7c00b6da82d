"""For rule authors: lint, rule tests with coverage, Markdown docs, the reader measured against gold."""
