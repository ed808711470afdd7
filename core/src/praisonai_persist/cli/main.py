"""``praisonai-persist``: inspect installed backends and check configured stores."""

from __future__ import annotations

import click

from .backends_cmd import backends
from .doctor_cmd import doctor


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="praisonai-persist", prog_name="praisonai-persist")
def cli() -> None:
    """Durable memory for AI agents: conversation, knowledge and state stores.

    \b
    Examples:
      praisonai-persist backends
      praisonai-persist doctor --conversation-url sqlite:///chat.db
    """


cli.add_command(backends)
cli.add_command(doctor)



def main() -> None:
    """Console-script entry point."""
    cli(prog_name="praisonai-persist")


if __name__ == "__main__":  # pragma: no cover
    main()
