"""`credential-race COMMAND ...`: the console entry point installed with the package.

Each command is the module `experiments.COMMAND` (also runnable as `python -m experiments.COMMAND`);
every one takes KEY=VALUE options, prints its help with --help, reports bad input in one
`error:` line with exit status 2, and says first what it will run and where it will write.
"""

from __future__ import annotations

import difflib
import importlib
import sys

COMMANDS = {
    "run": "run replications of a scenario: tables, summary and plots in a run directory",
    "sweep": "a parameter sweep (grid, LHS, Sobol, Morris) in a resumable results folder",
    "discover": "scenario discovery: where each standard wins, what matters, what it would take; a report",
    "claims": "check each scenario's stated effect against its baseline on common seeds",
    "record": "compare a historical run with the public record",
    "calibrate": "calibrate the historical scenario against the record (rejection ABC)",
    "theory": "the theory limit cases (lock-in, Polya urn, risk dominance, contagion, cascades)",
}


def overview() -> str:
    width = max(map(len, COMMANDS)) + 2
    lines = ["usage: credential-race COMMAND [OPTIONS ...]   (credential-race COMMAND --help for its options)", "",
             "commands:", *(f"  {name:<{width}}{what}" for name, what in COMMANDS.items()), "",
             "examples:", "  credential-race run scenario=who_endorses_china replications=50",
             "  credential-race discover discover=smoke", "  credential-race claims who_hosts_divoc"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(overview())
        return
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        close = difflib.get_close_matches(command, list(COMMANDS), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        print(f"error: unknown command '{command}'{hint} (commands: {', '.join(COMMANDS)})", file=sys.stderr)
        sys.exit(2)
    sys.argv = [f"credential-race {command}", *rest]
    importlib.import_module(f"experiments.{command}").main(rest)


if __name__ == "__main__":
    main()
