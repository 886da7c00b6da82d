"""Reading letters into cases: text, structure, sentences, patterns, context, facts, history, the case."""
