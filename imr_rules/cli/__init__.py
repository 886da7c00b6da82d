"""The `imr-rules` command line: a thin click layer over the library API.

- `group.py`: the `main` group (signals, output encoding) and the list of commands;
- `commands/`: one module per command or command group (evaluate, check, extract, serve; lint, test,
  schema, docs, rules), each importing the stages it runs only when it runs;
- `common.py`: the error decorator (any ImrError -> `error: path:line:col: message`, exit 2), the rule
  library folder, atomic output and the shared options;
- `formats.py`: the output formats of evaluate, check and lint, one registry entry each.
"""

from imr_rules.cli.group import main

__all__ = ["main"]
