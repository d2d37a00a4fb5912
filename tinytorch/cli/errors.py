"""The one exception the commands raise for an expected failure."""


class CliError(Exception):
    """An expected failure: printed as one line, exit status `exit_code` (2: a usage error,
    such as an unknown module; 1: the thing asked for could not be done)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code
