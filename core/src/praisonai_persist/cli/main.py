"""``praisonai-persist``: backends, doctor, run and resume agent turns, sessions, export/import, migrate, copy."""

from __future__ import annotations

import click

from .backends_cmd import backends
from .doctor_cmd import doctor
from .migrate_cmd import migrate
from .run_cmd import resume, run
from .sessions_cmd import sessions
from .transfer_cmd import copy, export, import_


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="praisonai-persist", prog_name="praisonai-persist")
def cli() -> None:
    """Durable memory for AI agents: conversation, knowledge and state stores.

    Store URLs come from --conversation-url / --knowledge-url / --state-url, a --config file or
    the PRAISONAI_* environment. Exit codes: 0 success, 1 failure, 2 wrong usage.

    \b
    Examples:
      praisonai-persist backends
      praisonai-persist doctor --conversation-url sqlite:///chat.db
      praisonai-persist run "Hello" --session-id chat-1 --agent mybot:reply
      praisonai-persist copy sqlite:///chat.db postgresql://app@db/app
    """


cli.add_command(backends)
cli.add_command(doctor)
cli.add_command(sessions)
cli.add_command(export)
cli.add_command(import_)
cli.add_command(migrate)
cli.add_command(copy)
cli.add_command(run)
cli.add_command(resume)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="praisonai-persist")


if __name__ == "__main__":  # pragma: no cover
    main()
