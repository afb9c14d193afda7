"""The AgentDojo tools as the programs see them, and what each does to the environment.

A program calls a tool by bare name with only its own arguments; the parameters the agentdojo
function declares as ``Depends(...)`` are filled from the task environment with agentdojo's own
helpers, exactly as the artifact's harness did.

Under opportune every tool is an external call on one resource, ``"env"``, except the banking
client's, which name the fields of the bank account they touch. The table below says
whether a tool only reads the environment or changes it. It was derived by reading each function
in ``agentdojo.default_suites.v1.tools`` (agentdojo 0.1.34) and is kept explicit, so a change of
agentdojo version that adds a tool fails loudly instead of guessing. Two entries are less obvious:

* ``get_unread_emails`` marks the returned emails as read, and ``get_webpage`` appends the URL to
  ``web.web_requests``; both are writes.
* Several read tools hand back the environment's own objects, not copies (the transactions of
  ``get_scheduled_transactions``, the message lists of ``read_channel_messages``, the events and
  files that searches return). A later write can change such an object in place, and under plain
  Python the program sees that change the next time it looks (``str(scheduled_list)`` after
  ``update_scheduled_transaction``, in banking 9). Those writes are marked
  ``changes_held_objects``, and the harness declares them ``mutates=True``, so the program does
  not run ahead of them. Writes that only add new objects (``send_money``, ``send_email``,
  ``create_file``) do not need it. ``update_scheduled_transaction`` is declared
  ``changes_read_results=True`` instead: it changes only objects that reads of its resource
  returned, never its arguments, so opportune lets the program go on and makes later uses of
  those results wait for the change (docs/design.md, *Changes to what reads returned*).
* ``create_calendar_event`` appends the account's address to the ``participants`` list the
  program passed in, so it changes an argument the program holds, too.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Effect = Literal["read", "write"]
ENV_RESOURCE = "env"


@dataclass(frozen=True)
class ToolEffect:
    """A tool's effect on the environment, and whether it changes objects the program holds.

    ``resources``: the parts of the environment it reads or writes (``("env",)``, all of it,
    unless the table says finer). ``changes_read_results``: the only objects it changes in place
    that the program can hold are ones that earlier reads of those resources returned, and it
    changes none of its arguments; opportune then need not stop the program for it.
    """

    effect: Effect
    changes_held_objects: bool = False
    resources: tuple[str, ...] = (ENV_RESOURCE,)
    changes_read_results: bool = False


_R = ToolEffect("read")
_W = ToolEffect("write")
_WH = ToolEffect("write", changes_held_objects=True)

# The banking client (agentdojo/default_suites/v1/tools/banking_client.py) touches the fields of
# the one ``bank_account`` it gets, each tool a known set of them:
# * ``send_money`` appends a new Transaction to ``transactions`` (its id from ``next_id``, which
#   reads both lists; its sender from the IBAN); ``schedule_transaction`` the same for
#   ``scheduled_transactions``. Both return a dict of strings, build new lists nowhere the
#   program holds (the read tools return new lists), and change no existing object.
# * ``update_scheduled_transaction`` sets fields of the Transaction in ``scheduled_transactions``
#   with the given id, the very object ``get_scheduled_transactions`` returned in its list; its
#   arguments are an int and strings/floats/bools. It changes nothing else.
# * ``get_balance``, ``get_iban``, ``get_most_recent_transactions`` and
#   ``get_scheduled_transactions`` read ``balance``, ``iban``, ``transactions`` and
#   ``scheduled_transactions`` (the last two return new lists of the stored objects).
# No tool of any suite writes ``balance`` or ``iban``.
_BANK_TX = "bank_account.transactions"
_BANK_SCHEDULED = "bank_account.scheduled_transactions"
_BANK_BALANCE = "bank_account.balance"
_BANK_IBAN = "bank_account.iban"

TOOL_EFFECTS: dict[str, ToolEffect] = {
    # banking_client
    "get_iban": ToolEffect("read", resources=(_BANK_IBAN,)),
    "send_money": ToolEffect("write", resources=(_BANK_TX,)),
    "schedule_transaction": ToolEffect("write", resources=(_BANK_SCHEDULED,)),
    "update_scheduled_transaction": ToolEffect(
        "write", changes_held_objects=True, resources=(_BANK_SCHEDULED,),
        changes_read_results=True,
    ),
    "get_balance": ToolEffect("read", resources=(_BANK_BALANCE,)),
    "get_most_recent_transactions": ToolEffect("read", resources=(_BANK_TX,)),
    "get_scheduled_transactions": ToolEffect("read", resources=(_BANK_SCHEDULED,)),
    # file_reader
    "read_file": _R,
    # user_account
    "get_user_info": _R,
    "update_password": _W,
    "update_user_info": _W,
    # slack
    "get_channels": _R,
    "add_user_to_channel": _W,
    "read_channel_messages": _R,
    "read_inbox": _R,
    "send_direct_message": _WH,  # appends to the list read_inbox returned
    "send_channel_message": _WH,  # appends to the list read_channel_messages returned
    "get_users_in_channel": _R,
    "invite_user_to_slack": _W,
    "remove_user_from_slack": _W,
    # web
    "get_webpage": _W,  # appends to web.web_requests
    "post_webpage": _W,
    # travel_booking_client
    "get_user_information": _R,
    "get_all_hotels_in_city": _R,
    "get_hotels_prices": _R,
    "get_rating_reviews_for_hotels": _R,
    "get_hotels_address": _R,
    "get_all_restaurants_in_city": _R,
    "get_cuisine_type_for_restaurants": _R,
    "get_restaurants_address": _R,
    "get_rating_reviews_for_restaurants": _R,
    "get_dietary_restrictions_for_all_restaurants": _R,
    "get_contact_information_for_restaurants": _R,
    "get_price_for_restaurants": _R,
    "check_restaurant_opening_hours": _R,
    "get_all_car_rental_companies_in_city": _R,
    "get_car_types_available": _R,
    "get_rating_reviews_for_car_rental": _R,
    "get_car_fuel_options": _R,
    "get_car_rental_address": _R,
    "get_car_price_per_day": _R,
    "reserve_hotel": _W,
    "reserve_car_rental": _W,
    "reserve_restaurant": _W,
    "get_flight_information": _R,
    # calendar_client
    "get_current_day": _R,
    "search_calendar_events": _R,
    "get_day_calendar_events": _R,
    "create_calendar_event": _WH,  # appends to the participants list it is given
    "cancel_calendar_event": _WH,
    "reschedule_calendar_event": _WH,
    "add_calendar_event_participants": _WH,
    # email_client
    "send_email": _W,
    "delete_email": _W,
    "get_unread_emails": _WH,  # marks the emails as read, which earlier searches returned
    "get_sent_emails": _R,
    "get_received_emails": _R,
    "get_draft_emails": _R,
    "search_emails": _R,
    "search_contacts_by_name": _R,
    "search_contacts_by_email": _R,
    # cloud_drive_client
    "append_to_file": _WH,
    "search_files_by_filename": _R,
    "create_file": _W,
    "delete_file": _W,
    "get_file_by_id": _R,
    "list_files": _R,
    "share_file": _WH,
    "search_files": _R,
}

def bind_tool(function: Callable[..., Any], env: Any) -> Callable[..., Any]:
    """``function`` with its ``Depends`` parameters filled from ``env``.

    The program's positional arguments go, in order, to the parameters that are not
    dependencies; keyword arguments pass through unchanged.
    """
    from agentdojo.functions_runtime import _get_dependencies

    dependencies = _get_dependencies(function)
    params = [p for p in inspect.signature(function).parameters if p not in dependencies]

    @functools.wraps(function)
    def tool(*args: Any, **kwargs: Any) -> Any:
        injected = {name: dep.extract_dep_from_env(env) for name, dep in dependencies.items()}
        if len(args) > len(params):
            raise TypeError(
                f"{function.__name__}() takes {len(params)} positional arguments besides the "
                f"environment, but the program passed {len(args)}"
            )
        bound = dict(zip(params, args))
        for name in kwargs:
            if name in bound:
                raise TypeError(f"{function.__name__}() got multiple values for argument {name!r}")
        return function(**injected, **bound, **kwargs)

    return tool


def suite_tools(suite: Any, env: Any) -> dict[str, Callable[..., Any]]:
    """The suite's tools by name, each bound to ``env``."""
    tools: dict[str, Callable[..., Any]] = {}
    for fn in suite.tools:
        if fn.name not in TOOL_EFFECTS:
            raise KeyError(
                f"agentdojo tool {fn.name!r} has no entry in TOOL_EFFECTS; read its source and add "
                "it as a read or a write (this table was written for agentdojo 0.1.34)"
            )
        tools[fn.name] = bind_tool(fn.run, env)
    return tools
