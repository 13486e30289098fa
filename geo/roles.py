"""Who may do what: the three roles, the one permission table and the actor of a change.

Roles, each allowed what the one before may do and more:

- ``viewer`` sees, filters and downloads;
- ``editor`` also imports files, switches layer versions (activate / deactivate), saves and
  deletes scenarios and calibrations;
- ``admin`` also manages accounts (add, change another's password, disable, enable) and
  reads the audit trail.

:data:`PERMISSIONS` maps each :class:`Action` to the least role allowed to do it; the
workspace checks it (:func:`geo.accounts.authorise`) before it touches the file, so a page
that forgets to hide a button still cannot change the data.

An :class:`Actor` names who acts. A signed-in account is ``Actor(name, role)``: when the
workspace has accounts, the role *stored for that account* decides (the one carried by the
actor is only what the app believed at sign-in), and a disabled or unknown account is
refused. A *local* actor (``local=True``: someone working on this machine with the command
line, who can open and edit the workspace file anyway) is taken at its word; see
:mod:`geo.__main__` for the rule the command line follows. With no accounts at all the
workspace is in **single-user local mode**: a change without an actor is made as
:data:`SINGLE_USER`, an admin — anyone who reaches the app can change the data.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from geo.errors import PermissionDeniedError

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")  # least to most


class Action(StrEnum):
    """What an actor does; the audit trail records the same names."""

    VIEW = "view"
    DOWNLOAD = "download"
    IMPORT = "import"
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"
    SCENARIO_SAVE = "scenario_save"
    SCENARIO_DELETE = "scenario_delete"
    CALIBRATION_SAVE = "calibration_save"
    CALIBRATION_DELETE = "calibration_delete"
    ACCOUNT_ADD = "account_add"
    ACCOUNT_PASSWD = "account_passwd"
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_ENABLE = "account_enable"
    AUDIT_READ = "audit_read"
    # Recorded in the audit trail, never permitted or refused.
    SIGNIN_FAILED = "signin_failed"


PERMISSIONS: dict[Action, Role] = {
    Action.VIEW: "viewer",
    Action.DOWNLOAD: "viewer",
    Action.IMPORT: "editor",
    Action.ACTIVATE: "editor",
    Action.DEACTIVATE: "editor",
    Action.SCENARIO_SAVE: "editor",
    Action.SCENARIO_DELETE: "editor",
    Action.CALIBRATION_SAVE: "editor",
    Action.CALIBRATION_DELETE: "editor",
    Action.ACCOUNT_ADD: "admin",
    Action.ACCOUNT_PASSWD: "admin",  # one's own password: any role (geo.accounts)
    Action.ACCOUNT_DISABLE: "admin",
    Action.ACCOUNT_ENABLE: "admin",
    Action.AUDIT_READ: "admin",
}
"""The least role allowed to do each action (the only table of permissions)."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an account's name and role, or a local user (``local``)."""

    name: str
    role: Role
    local: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")

    @property
    def via(self) -> str:
        """``local`` (this machine's user) or ``account`` (signed in), for the audit."""
        return "local" if self.local else "account"


SINGLE_USER = Actor("single-user", "admin", local=True)
"""The actor of a change made without one while the workspace has no accounts."""


def local_actor(name: str | None = None) -> Actor:
    """The command line's actor: ``name`` or the operating-system user, as a local admin
    (it can edit the workspace file directly anyway; see :mod:`geo.__main__`)."""
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no user name in the environment or password database
            name = "local"
    return Actor(name, "admin", local=True)


def allowed(role: str, action: Action) -> bool:
    """Whether ``role`` may do ``action`` (an unknown role or action may do nothing)."""
    needed = PERMISSIONS.get(action)
    return needed is not None and role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def require(actor: Actor, action: Action) -> None:
    """:class:`PermissionDeniedError` unless ``actor``'s role allows ``action``."""
    if not allowed(actor.role, action):
        needed = PERMISSIONS.get(action, "admin")
        raise PermissionDeniedError(
            f"refused: {actor.name!r} ({actor.role}) may not {action.value.replace('_', ' ')}"
            f"; it needs the role {needed} or higher.",
            action=action.value, role=actor.role, needed=needed)
