"""One error type for every failure the command line reports: `RegistryError(code, message,
hint)`, raised where the failure happens. `registry`'s entry point (bots/cli.py `main`) turns it
into one line on stderr, `registry VERB: message — hint`, and an exit status; no verb converts
errors itself.

A code reads `family.detail` (`git.revision`, `usage.path`). The family decides the exit
status, so code and tests decide on codes, never on message text. A verb that meets a failure
as one step of its own work (git failing while `open-pr` publishes) says so with `within`,
which gives the failure the step's code and names the step before the message.
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """The exit statuses of every verb."""

    OK = 0
    FAILED = 1  # findings, a guard that stopped the work, or GitHub, git or a source refused
    USAGE = 2  # how the command was called or what it was pointed at, or an internal error


FAMILIES: dict[str, Exit] = {
    "usage": Exit.USAGE,  # an argument, option, id or path the verb cannot use
    "registry": Exit.USAGE,  # no registry at --root or above; schemas or an entry do not load
    "event": Exit.USAGE,  # submit: the issues event cannot be read or lacks what it needs
    "git": Exit.USAGE,  # git is missing or failed; a revision names no commit
    "location": Exit.FAILED,  # a file is not where an entry can live
    "entry": Exit.FAILED,  # the entry exists already, or one the work needs does not
    "report": Exit.FAILED,  # comment: the report cannot be trusted, so nothing is posted
    "publish": Exit.FAILED,  # open-pr, submit: the change is invalid, or git refused it
    "github": Exit.FAILED,  # GitHub refused or could not be reached
    "hub": Exit.FAILED,  # the Hugging Face Hub refused, could not be reached, or lacks the repo
    "refresh": Exit.FAILED,  # refresh-scores: a guard stopped the refresh, or its source failed
}


def family(code: str) -> str:
    return code.partition(".")[0]


class RegistryError(Exception):
    """A failure a user can cause or meet: what failed (`code`), what happened (`message`,
    one line) and what to do about it (`hint`, may be empty)."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        if family(code) not in FAMILIES:
            raise ValueError(f"error code '{code}' is in no family of {', '.join(FAMILIES)}")
        super().__init__(code, message, hint)
        self.code = code
        self.message = message
        self.hint = hint

    @property
    def status(self) -> Exit:
        return FAMILIES[family(self.code)]

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def within(self, code: str, step: str) -> RegistryError:
        """This failure as part of `step` (named before the message), with the code that
        failing the step has: the same git error is a usage error to `diff` (a revision that
        names nothing) and a refusal to `open-pr`."""
        return RegistryError(code, f"{step}: {self.message}", self.hint)
