"""One module per command (or command group). Each imports only click and `..common` at its top and the
stages it runs inside its function, so `imr-rules --help` loads none of them.

To add a command: a module here defining a click command, and one entry in `COMMANDS` (cli/group.py).
"""
