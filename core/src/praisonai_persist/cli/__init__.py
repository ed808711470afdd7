"""The ``praisonai-persist`` command line."""
